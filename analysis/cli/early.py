"""What ``tariff-reports build`` starts before the command line imports anything heavy.

A local build's fork server imports what the report kernels import (~3 s of CPU, in its own
process); started here, before this process imports pandas and the package (~1.4 s), it is
ready sooner. The command line then lowers its own CPU priority below the processes it starts
(:func:`yield_cpu_to_kernels`). Only the real command line does this (never an import of the
package), and only for a local build: not for ``--help`` or ``--scheduler``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

COMMAND_NAMES = {"tariff-reports", "__main__.py"}


def is_local_build(argv: Sequence[str]) -> bool:
    """True for ``tariff-reports build ...`` (or ``python -m analysis build ...``) run here."""
    if not argv or Path(argv[0]).name not in COMMAND_NAMES or list(argv[1:2]) != ["build"]:
        return False
    return not any(a in ("-h", "--help") or a.startswith("--scheduler") for a in argv[2:])


def _in_a_child_process() -> bool:
    """True while multiprocessing imports the builder's main module in another process (the
    fork server, a worker): only the builder itself starts the fork server."""
    import multiprocessing

    process = multiprocessing.current_process()
    return (
        bool(getattr(process, "_inheriting", False)) or multiprocessing.parent_process() is not None
    )


def start_fork_server_if_building(argv: Sequence[str]) -> bool:
    """Start the fork server for a local build; True if this did."""
    if not is_local_build(argv) or _in_a_child_process():
        return False
    from analysis.pipeline.forkserver import context

    context()
    yield_cpu_to_kernels()
    return True


#: How far below the fork server, its workers and kernels the builder runs (``nice``).
BUILDER_NICENESS = 10


def yield_cpu_to_kernels() -> None:
    """Lower this process's CPU priority (and its later threads') by :data:`BUILDER_NICENESS`.

    Called once the fork server runs (the workers, kernels and prefetcher it forks keep the
    command's priority). A report's kernel and the fork server's imports are each build's
    critical path; the builder's own work in the meantime (validating, handing over the line
    data, warming the renderer, drawing the charts' SVG copies as kernels leave them) is
    needed only when a report ends, and on two cores took CPU from them. Measured on a quiet
    2-core machine (4 alternated pairs): one report 4.27-4.46 s -> 4.13-4.29 s, a full build
    16.6-17.0 s -> 16.5-16.7 s. Only a process's own priority is lowered (a user's may be
    lower already: ``nice`` adds to it); where it cannot be, nothing changes."""
    with contextlib.suppress(AttributeError, OSError):  # Windows: no os.nice
        os.nice(BUILDER_NICENESS)


def _interrupted_while_starting(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C before the command has started: one line, exit 130 (not an import traceback)."""
    os.write(sys.stderr.fileno(), b"interrupted\n")
    os._exit(128 + signum)


def quiet_interrupts_while_starting(argv: Sequence[str]) -> None:
    """For the real command line only: a Ctrl-C during its imports prints one line. The
    command's own handling takes over in :func:`analysis.cli.app.main`."""
    is_command = bool(argv) and Path(argv[0]).name in COMMAND_NAMES
    if is_command and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupted_while_starting)
