"""What the fork server imports for the kernels: every notebook's imports, and nothing runs."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from analysis.inputs.paths import PROJECT_DIR

PROBE = """
import os, sys, threading
before = set(sys.modules)
from analysis.pipeline import kernel_preload
print(threading.active_count(), " ".join(sorted(set(sys.modules) - before)))
"""


def _notebook_imports() -> set[str]:
    names: set[str] = set()
    for path in sorted((PROJECT_DIR / "notebooks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_every_notebook_import_is_preloaded_and_no_thread_starts(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    )
    threads, modules = out.stdout.split(maxsplit=1)
    loaded = set(modules.split())
    assert threads == "1"  # forking the preloaded process is safe
    stdlib = set(sys.stdlib_module_names)
    missing = {n for n in _notebook_imports() if n.split(".")[0] not in stdlib} - loaded
    assert not missing
