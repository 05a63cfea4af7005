"""Worker side of a build: run one report notebook with papermill into a temporary file.

This module runs in pool worker processes (and is preloaded by their fork server, hence the
top-level heavy imports). It never writes a final file: the parent publishes or discards.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import jupytext
import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError
from traitlets import default

from analysis.pipeline.runs import ReportRun
from analysis.report.summary import SUMMARY_ENV

KERNEL_NAME = "python3"
LANGUAGE = "python"  # papermill needs it to inject parameters if a notebook has no kernelspec


class IPCKernelManager(AsyncKernelManager):
    """Kernels over local IPC sockets: no "running over TCP without encryption" warning, no ports.

    Async, like nbclient's default: with a blocking manager nbclient ignores cell timeouts.
    """

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        # Absolute and unique: the kernel runs in the notebooks folder, and two builds may run
        # at once. The socket files are removed when nbclient shuts the kernel down.
        return os.path.join(tempfile.gettempdir(), f"tariff-kernel-{uuid.uuid4().hex[:16]}")


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


ERROR_MAX_CHARS = 300


def _describe(exc: BaseException) -> str:
    """One line for tables and the index; the full traceback is in the failed notebook."""
    if isinstance(exc, PapermillExecutionError):
        text = f"{exc.ename}: {exc.evalue} (cell {exc.exec_count})"
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= ERROR_MAX_CHARS else text[: ERROR_MAX_CHARS - 1] + "…"


def execute(job: Job) -> Execution:
    """Execute ``job.run``'s notebook with its parameters into ``job.executed_tmp``."""
    _interrupt_on_sigterm()
    # Each worker runs one report at a time, so setting its environment here is private to this
    # run; the kernel inherits it (that is how record_summary finds SUMMARY_ENV).
    os.environ.clear()
    os.environ.update(job.env)
    os.environ[SUMMARY_ENV] = str(job.summary_tmp)
    started = time.perf_counter()
    error: str | None = None
    try:
        # nbclient creates the kernel manager, and shuts the kernel down even on interrupt.
        papermill.execute_notebook(
            jupytext.read(job.run.notebook_path),
            str(job.executed_tmp),
            parameters=dict(job.run.parameters),
            kernel_name=KERNEL_NAME,
            language=LANGUAGE,
            cwd=str(job.run.notebook_path.parent),
            progress_bar=False,
            execution_timeout=job.cell_timeout,
            kernel_manager_class=IPCKernelManager,
        )
    except Exception as exc:
        error = _describe(exc)
    return Execution(job.run.name, time.perf_counter() - started, error)
