"""The build's fork server: started as early as a build knows it will run kernels here.

The server imports what a worker and a report kernel need (``kernel_preload``, ``workers``)
once; each report's worker is forked from it, and forks the report's kernel from itself
(``warm_kernel``). Starting it is cheap for the caller and the imports (~3 s of CPU) happen in
the server process, so a build starts it before it validates, reads and hashes its inputs, and
the kernels are warm by the time the first job is ready.

As with any non-fork start method, a *script* calling ``build_reports`` needs an
``if __name__ == "__main__":`` guard: its main module is imported (once, by the fork server) to
unpickle jobs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from typing import Any

# Imported once by the fork server, in this order (the kernels' libraries first: the worker
# module's imports then find them loaded).
PRELOAD = [
    "__main__",
    "analysis.pipeline.kernel_preload",
    "analysis.pipeline.execute",
    "analysis.pipeline.workers",
]


def context() -> Any:
    """The multiprocessing context of the build's workers, its fork server started (without
    waiting for its imports)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows: spawn
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    if not _STARTED and threading.current_thread() is threading.main_thread():
        from multiprocessing import forkserver

        # Ignored, not blocked: a new process does not inherit the signal mask through the
        # standard library's spawn, but an ignored SIGINT stays ignored in it (Python installs
        # its own handler only where SIGINT is not ignored at start). So a Ctrl-C during the
        # server's warm-up imports prints nothing. A Ctrl-C in the few milliseconds it takes to
        # start the server is lost (once per process: the command line starts the server
        # before it says anything); later calls leave the handler alone.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
        _STARTED.append(True)
    return ctx


_STARTED: list[bool] = []


def stop() -> None:
    """Stop this process's fork server at once (the command line, its build finished): one
    still importing would otherwise keep running, and keep the output pipes open, until its
    imports end (a build served from the cache never needs it)."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if not isinstance(pid, int):
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    forget = getattr(server, "_stop", None)  # reaps it and forgets it (the stdlib's own)
    if callable(forget):
        with contextlib.suppress(OSError):
            forget()  # a later build in this process starts a new server
    _STARTED.clear()
