"""What the fork server imports for the kernels: every notebook's imports, and nothing runs."""

from __future__ import annotations

import ast
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

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


# A kernel's usual output work after the preload: a styled table (with its CSV link), a chart
# to its spec (Altair hands its data to narwhals), a frame's records.
OUTPUT_PROBE = """
import sys
from analysis.pipeline import kernel_preload
import pandas as pd
from analysis.report.views import style_table
from analysis.report import enable_offline_charts
import altair as alt
before = set(sys.modules)
frame = pd.DataFrame({"partner": ["japan", "eu"], "tariff_rate": [0.15, 0.2]})
style_table(frame).to_html()
enable_offline_charts(svg_fallback=False)
alt.Chart(frame).mark_bar().encode(x="tariff_rate:Q", y="partner:N").to_dict()
frame.to_dict("records")
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_a_kernels_tables_and_charts_import_nothing_after_the_preload() -> None:
    """What the kernels imported after the fork, in every report, is imported once before it:
    styling a table and writing a chart's spec import no module of pandas, narwhals or
    pyarrow (each a cost in every kernel)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run(
        [sys.executable, "-c", OUTPUT_PROBE], capture_output=True, text=True, check=True, env=env
    )
    heavy = ("pandas", "narwhals", "pyarrow", "altair", "jinja2")
    assert [m for m in out.stdout.split() if m.split(".")[0] in heavy] == []


FREEZE_PROBE = """
import gc
from analysis.pipeline import kernel_preload
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_preloaded_objects_are_frozen_out_of_the_collections() -> None:
    """Every worker and kernel forked from the fork server keeps the preload's objects for its
    whole life: they are frozen, so a kernel's full collections scan only what its report
    made (not the libraries' objects, over 100,000)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run(
        [sys.executable, "-c", FREEZE_PROBE], capture_output=True, text=True, check=True, env=env
    )
    frozen, scanned = (int(n) for n in out.stdout.split())
    assert frozen > 100_000
    assert scanned < frozen / 10


MALLOC_PROBE = """
import ctypes, sys
if sys.argv[1] == "preload":
    from analysis.pipeline import kernel_preload
    assert kernel_preload.MALLOC_KEPT
FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in FIELDS.split()]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
size = 20 << 20
before = libc.mallinfo2()
block = libc.malloc(size)
during = libc.mallinfo2()
libc.free(block)
after = libc.mallinfo2()
print(during.hblkhd - before.hblkhd, after.fordblks)
"""


def _twenty_mib_block(mode: str) -> tuple[int, int]:
    """(bytes mapped for a 20 MiB block, bytes the allocator keeps free once it is freed)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    out = subprocess.run(
        [sys.executable, "-c", MALLOC_PROBE, mode],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    mapped, kept = (int(n) for n in out.stdout.split())
    return mapped, kept


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="glibc's allocator only",
)
def test_the_kernels_keep_freed_memory_for_their_next_allocations() -> None:
    """A fresh interpreter maps a 20 MiB block of its own and unmaps it when it is freed (the
    next one is faulted in again, page by page); after the preload (so in every worker and
    kernel) the block comes from the heap and stays there, free, once freed."""
    mapped, _ = _twenty_mib_block("fresh")
    assert mapped >= 20 << 20
    mapped, kept = _twenty_mib_block("preload")
    assert mapped == 0
    assert kept >= 20 << 20
