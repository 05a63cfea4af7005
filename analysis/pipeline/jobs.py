"""What the builder hands a worker (:class:`Job`) and what comes back (:class:`Execution`).

Kept apart from ``execute`` (papermill, jupyter_client) so that the builder, which only builds
jobs and reads executions, never imports the notebook machinery its workers preload.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.pipeline.runs import ReportRun


@dataclass(frozen=True)
class Job:
    """What a worker needs; temp paths are allocated by the parent so it can always clean up."""

    run: ReportRun
    notebook_source: bytes  # the notebook as the build read (and hashed) it
    executed_tmp: Path  # papermill output (must end in .ipynb)
    summary_tmp: Path  # where the kernel's record_summary() writes
    env: dict[str, str]  # the kernel's environment (the fork server's may be stale)
    cell_timeout: float | None
    # False where the caller is not a main thread (a Dask worker): signals cannot be caught.
    handle_signals: bool = True


@dataclass(frozen=True)
class Execution:
    run_name: str
    seconds: float
    error: str | None  # None: every cell ran
    kernel_peak_rss_mb: float | None = None  # the forked kernel's peak memory, where known
    kernel_cpu_seconds: float | None = None  # the forked kernel's CPU time (user + system)
