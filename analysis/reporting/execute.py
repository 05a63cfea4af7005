"""Worker side of a build: run one report notebook with papermill into a temporary file.

This module runs in pool worker processes (and is preloaded by their fork server, hence the
top-level heavy imports). It never writes a final file: the parent publishes or discards.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import jupytext
import papermill
from jupyter_client.manager import KernelManager
from papermill.exceptions import PapermillExecutionError

from analysis.reporting.runs import ReportRun
from analysis.reporting.summary import SUMMARY_ENV

KERNEL_NAME = "python3"


@dataclass(frozen=True)
class Job:
    """What a worker needs; temp paths are allocated by the parent so it can always clean up."""

    run: ReportRun
    executed_tmp: Path  # papermill output (must end in .ipynb)
    summary_tmp: Path  # where the kernel's record_summary() writes
    env: dict[str, str]  # the kernel's environment (the fork server's may be stale)
    cell_timeout: float | None


@dataclass(frozen=True)
class Execution:
    run_name: str
    seconds: float
    error: str | None  # None: every cell ran


def _interrupt_on_sigterm() -> None:
    """SIGTERM → KeyboardInterrupt, so a terminated worker still shuts its kernel down."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, PapermillExecutionError):
        return f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    return f"{type(exc).__name__}: {exc}"


def execute(job: Job) -> Execution:
    """Execute ``job.run``'s notebook with its parameters into ``job.executed_tmp``."""
    _interrupt_on_sigterm()
    # Each worker runs one report at a time, so setting its environment here is private to this
    # run; the kernel inherits it (that is how record_summary finds SUMMARY_ENV).
    os.environ.clear()
    os.environ.update(job.env)
    os.environ[SUMMARY_ENV] = str(job.summary_tmp)
    started = time.perf_counter()
    # IPC sockets instead of TCP: no "running over TCP without encryption" warning and no ports.
    # An absolute socket path, because the kernel's cwd (the notebooks folder) is not ours.
    socket_dir = Path(tempfile.mkdtemp(prefix="tariff-kernel-"))
    km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(socket_dir / "k"))
    error: str | None = None
    try:
        papermill.execute_notebook(
            jupytext.read(job.run.notebook_path),
            str(job.executed_tmp),
            parameters=dict(job.run.parameters),
            kernel_name=KERNEL_NAME,
            cwd=str(job.run.notebook_path.parent),
            progress_bar=False,
            execution_timeout=job.cell_timeout,
            km=km,
        )
    except Exception as exc:
        error = _describe(exc)
    finally:
        # papermill does not shut down a kernel manager it was given.
        if km.has_kernel:
            km.shutdown_kernel(now=False)
        shutil.rmtree(socket_dir, ignore_errors=True)
    return Execution(job.run.name, time.perf_counter() - started, error)
