"""A timeline of one build across its processes, recorded from outside the package.

``benchmarks/profile_build.py --trace`` runs the real command line with this folder first on
``PYTHONPATH`` and ``$TARIFF_TRACE_FILE`` set: Python imports this module at start-up in every
interpreter the build starts (the builder, and the fork server, which the standard library
spawns with the builder's environment), and every other process of the build (a worker, the
prefetcher, a report's kernel) is forked from one of those and inherits it. Nothing of it is in
the package: without ``$TARIFF_TRACE_FILE`` this module only chains to the system's
``sitecustomize``.

Each event is one line appended to the file (one ``write`` of a short line with ``O_APPEND``,
so lines of several processes do not mix): wall time, process id, parent id, the process's
role and the event. The roles: ``builder`` (the command), ``forkserver``, ``worker``,
``kernel``, ``prefetch``; a forked child is ``<role>-child`` until it says what it runs. The
events: an import of the modules in :data:`TIMED_IMPORTS` (begin, end), a call of the functions
in :data:`TIMED_CALLS` (begin, end), each fork, each notebook cell the kernel runs (its first
line), and each process's end.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import inspect
import os
import sys
import time
from typing import Any

TRACE_ENV = "TARIFF_TRACE_FILE"

#: Modules whose import is timed (begin/end): the command line's, the fork server's preload.
TIMED_IMPORTS = {
    "analysis.cli": "import cli (package)",
    "analysis.cli.main": "import cli.main",
    "analysis.cli.reports": "import cli.reports",
    "analysis.cli.law": "import cli.law",
    "analysis.cli.model": "import cli.model",
    "analysis.pipeline.kernel_preload": "import kernel_preload",
    "analysis.pipeline.execute": "import execute",
    "analysis.pipeline.workers": "import workers",
    "analysis.pipeline.render": "import render",
    "analysis.pipeline.build": "import pipeline.build",
    "analysis.pipeline.index": "import pipeline.index",
    "scipy.optimize": "import scipy.optimize",
    "pandas": "import pandas",
    "nbconvert": "import nbconvert",
    "altair": "import altair",
    "__mp_main__": "import __mp_main__ (the builder's main module)",
}

#: module -> attribute paths whose calls are timed (begin/end) and the role a call gives.
TIMED_CALLS: dict[str, list[tuple[str, str | None]]] = {
    "analysis.cli.main": [("main", None)],
    "analysis.cli.early": [("start_fork_server_if_building", None)],
    "analysis.cli.reports": [
        ("resolve_runs", None),
        ("fork_runs", None),
        ("usable_output_folder", None),
    ],
    "analysis.pipeline.build_inputs": [
        ("BuildInputs.snapshot", None),
        ("BuildInputs.copy", None),
        ("BuildInputs.inputs", None),
        ("BuildInputs.final", None),
        ("BuildInputs.close", None),
    ],
    "analysis.pipeline.build": [
        ("build_reports", None),
        ("_prepare", None),
        ("_hand_over", None),
        ("_warm_renderer", None),
        ("_renderer_ready", None),
        ("_write_index_or_warn", None),
    ],
    "analysis.pipeline.forkserver": [("context", None), ("stop", None)],
    "analysis.pipeline.snapshot": [("InputsSnapshot.take", None), ("code_digest", None)],
    "analysis.inputs.bundle": [
        ("load_inputs", None),
        ("hand_over", None),
        ("hand_over_lines", None),
    ],
    "analysis.pipeline.render": [("exporter", None), ("render_string", None)],
    "analysis.pipeline.vega_bundle": [("vega_resources", None)],
    "analysis.pipeline.svg": [("warm", None), ("fill_deferred", None), ("svg_of", None)],
    "analysis.pipeline.publish": [("finish", None)],
    "analysis.pipeline.workers": [("worker_main", "worker"), ("run_in_processes", None)],
    "analysis.pipeline.execute": [("execute", None), ("fork_spare_kernel", None)],
    "analysis.pipeline.prefetch": [("prefetch_main", "prefetch")],
    "analysis.questions.backcast": [("backcast", None)],
    # A kernel waiting for another that computes what both need (single flight): _waiting is
    # called just before the wait, _acquire returns when it ends.
    "analysis.inputs.shared": [("_waiting", None), ("_acquire", None)],
    "analysis.pipeline.warm_kernel": [("_become_kernel", "kernel")],
    "ipykernel.kernelapp": [("IPKernelApp.initialize", None), ("IPKernelApp.start", None)],
    # When the kernel answers the worker's kernel-info request, and when each cell's request
    # reaches it (the time between is the worker's: ``pipeline.ready_client``).
    "ipykernel.kernelbase": [
        ("Kernel.kernel_info_request", None),
        ("Kernel.execute_request", None),
    ],
    "nbclient.client": [
        ("NotebookClient.async_start_new_kernel", None),
        ("NotebookClient.async_start_new_kernel_client", None),
    ],
    "multiprocessing.forkserver": [("main", "forkserver")],
}

_STATE: dict[str, Any] = {"role": "builder", "path": None}


def event(text: str) -> None:
    """Append one event line to the trace file (silently nothing if it cannot)."""
    path = _STATE["path"]
    if path is None:
        return
    line = f"{time.time():.6f}\t{os.getpid()}\t{os.getppid()}\t{_STATE['role']}\t{text}\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass


def _set_role(role: str) -> None:
    if _STATE["role"] != role:
        _STATE["role"] = role
        event(f"role {role}")


def _timed(fn: Any, label: str, role: str | None) -> Any:
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            if role:
                _set_role(role)
            event(f"{label} begin")
            try:
                return await fn(*args, **kwargs)
            finally:
                event(f"{label} end")

        return timed_async

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if role:
            _set_role(role)
        event(f"{label} begin")
        try:
            return fn(*args, **kwargs)
        finally:
            event(f"{label} end")

    return timed


def _patch(module: Any, name: str) -> None:
    for attr, role in TIMED_CALLS.get(name, []):
        owner = module
        *parents, last = attr.split(".")
        for part in parents:
            owner = getattr(owner, part, None)
        original = getattr(owner, last, None) if owner is not None else None
        if original is None or getattr(original, "_traced", False):
            continue
        label = f"{name.rsplit('.', 1)[-1]}.{attr}"
        wrapped = _timed(original, label, role)
        wrapped._traced = True
        setattr(owner, last, wrapped)


async def _run_cell_async(original: Any, shell: Any, raw_cell: str, *args: Any, **kw: Any) -> Any:
    lines = [x for x in raw_cell.splitlines() if x.strip() and not x.lstrip().startswith("#")]
    head = (lines[0].strip() if lines else "(empty)")[:60]
    event(f"cell begin: {head}")
    try:
        return await original(shell, raw_cell, *args, **kw)
    finally:
        event(f"cell end: {head}")


def _patch_ipython(module: Any) -> None:
    shell = module.InteractiveShell
    original = shell.run_cell_async

    async def run_cell_async(self: Any, raw_cell: str, *args: Any, **kw: Any) -> Any:
        return await _run_cell_async(original, self, raw_cell, *args, **kw)

    shell.run_cell_async = run_cell_async


EXTRA = {"IPython.core.interactiveshell": _patch_ipython}


class _Finder(importlib.abc.MetaPathFinder):
    """Times and patches the modules named above as they are imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in TIMED_IMPORTS and name not in TIMED_CALLS and name not in EXTRA:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        original = getattr(loader, "exec_module", None)
        if original is None or isinstance(loader, type):
            return spec

        def exec_module(module: Any) -> None:
            label = TIMED_IMPORTS.get(name)
            if label:
                event(f"{label} begin")
            try:
                original(module)
            finally:
                if label:
                    event(f"{label} end")
            _patch(module, name)
            if name in EXTRA:
                EXTRA[name](module)

        loader.exec_module = exec_module
        return spec


def _process_start() -> float:
    """When this process started, as wall time (Linux: /proc's start in clock ticks since
    boot, to 10 ms), else now."""
    try:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        since_boot = ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - (time.clock_gettime(time.CLOCK_BOOTTIME) - since_boot)
    except (OSError, ValueError, AttributeError):
        return time.time()


def _after_fork() -> None:
    role = _STATE["role"]
    _STATE["role"] = role if role.endswith("-child") else f"{role}-child"
    event("forked")


def install(path: str) -> None:
    _STATE["path"] = os.path.abspath(path)
    if "multiprocessing.resource_tracker" in " ".join(sys.orig_argv):
        _STATE["role"] = "resource-tracker"
    started = _process_start()
    event(f"python start {started:.3f} ({' '.join(sys.orig_argv)[:100]})")
    event("site ready")
    sys.meta_path.insert(0, _Finder())
    for name in list(TIMED_CALLS) + list(EXTRA):
        if name in sys.modules:
            _patch(sys.modules[name], name)
    os.register_at_fork(after_in_child=_after_fork)
    atexit.register(event, "exit")
    os_exit = os._exit

    def traced_exit(code: int) -> None:
        event(f"os._exit({code})")
        os_exit(code)

    os._exit = traced_exit


def _chain_system_sitecustomize() -> None:
    """Run the ``sitecustomize`` this one shadows (Debian's, for example), if any."""
    here = os.path.dirname(os.path.abspath(__file__))
    saved, module = list(sys.path), sys.modules.pop("sitecustomize", None)
    try:
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
        import sitecustomize  # noqa: F401
    except Exception:
        pass
    finally:
        sys.path[:] = saved
        if module is not None:
            sys.modules["sitecustomize"] = module


_chain_system_sitecustomize()
if os.environ.get(TRACE_ENV):
    install(os.environ[TRACE_ENV])
