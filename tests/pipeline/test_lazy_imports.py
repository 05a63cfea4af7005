"""Deferred imports: rfc3987_syntax loads only when its checker is called, and still works."""

from __future__ import annotations

import subprocess
import sys

from analysis.pipeline.execute import KERNEL_EXTENSION_ARG, IPCKernelManager


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_jsonschema_imports_without_the_grammar_and_the_iri_check_still_works() -> None:
    out = _python(
        "import sys\n"
        "from analysis.pipeline.lazy_imports import install\n"
        "print(install())\n"
        "import jsonschema\n"
        "print('lark' in sys.modules)\n"
        "v = jsonschema.Draft202012Validator({'format': 'iri'}, "
        "format_checker=jsonschema.FormatChecker())\n"
        "print(v.is_valid('http://a b'), v.is_valid('http://example.com/x'))\n"
        "print('lark' in sys.modules, type(sys.modules['rfc3987_syntax']).__name__)\n"
    )
    assert out.splitlines() == ["['rfc3987_syntax']", "False", "False True", "True module"]


def test_install_leaves_an_already_imported_module_alone() -> None:
    out = _python(
        "import rfc3987_syntax\n"
        "from analysis.pipeline.lazy_imports import install, defer\n"
        "print(install(), defer('no_such_module_here', ('x',)))\n"
    )
    assert out == "[] False"


def test_build_kernels_load_the_extension_before_any_cell() -> None:
    km = IPCKernelManager(kernel_name="python3")
    assert km.format_kernel_cmd()[-1] == KERNEL_EXTENSION_ARG
    ipython = [sys.executable, "-m", "IPython", KERNEL_EXTENSION_ARG, "--no-banner", "-c"]
    code = "import sys; print(type(sys.modules['rfc3987_syntax']).__name__)"
    done = subprocess.run([*ipython, code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "DeferredModule", done.stderr
