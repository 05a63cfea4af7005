"""What the builder hands a worker (:class:`Job`), what comes back (:class:`Execution`), and
in which order the builder starts them (:func:`longest_first`).

Kept apart from ``execute`` (papermill, jupyter_client) so that the builder, which only builds
jobs and reads executions, never imports the notebook machinery its workers preload.
"""

from __future__ import annotations

import contextlib
import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.pipeline.layout import META_KEY, ipynb_path
from analysis.pipeline.runs import ReportRun

# A kernel's CPU seconds by notebook, where the output folder holds no stamp of the run (a
# first build): the stamps' ``kernel_cpu_seconds`` of two cache-off builds of the shipped
# reports (``benchmarks/cpu_build.py --jobs 2`` at fd9fb23), the median of a notebook's reports
# (a partner report is ~0.65 s, the first to run ~1.6 s: it computes the days all of them
# read), rounded. Only the order in which runs start reads them: the shortest last.
DECLARED_KERNEL_CPU_SECONDS = {
    "validation": 1.8,
    "scenario_report": 1.55,
    "sensitivity": 1.2,
    "autos": 0.95,
    "scenario_comparison": 0.85,
    "partner_report": 0.65,
    "timeline": 0.55,
    "adhoc_template": 0.45,
}


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


# An executed notebook's own metadata (~30 KB) is followed only by ``nbformat`` and
# ``nbformat_minor`` (``nbformat.write``: sorted keys, one space of indent): read from the end.
_TAIL_BYTES = 256 * 1024
_TOP_LEVEL_METADATA = b'\n "metadata": {'


def _stamp(path: Path) -> dict[str, Any] | None:
    """The build's metadata (``META_KEY``) of the executed notebook at ``path``, or None."""
    with contextlib.suppress(OSError, ValueError), path.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(0, size - _TAIL_BYTES))
        tail = file.read()
        start = tail.rfind(_TOP_LEVEL_METADATA)
        if start >= 0:
            text = tail[start + len(_TOP_LEVEL_METADATA) - 1 :].decode("utf-8")
            metadata, _ = json.JSONDecoder().raw_decode(text)
            stamp = metadata.get(META_KEY) if isinstance(metadata, dict) else None
            return stamp if isinstance(stamp, dict) else None
    return None


def previous_kernel_cpu_seconds(run: ReportRun, out_dir: Path) -> float | None:
    """The CPU seconds of ``run``'s kernel in the build that published it in ``out_dir`` (its
    stamp), or None: no such report, or another notebook's, or a stamp without the figure."""
    stamp = _stamp(ipynb_path(out_dir, run.name))
    if stamp is None or stamp.get("run") != run.name or stamp.get("notebook") != run.notebook:
        return None
    seconds = stamp.get("kernel_cpu_seconds")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return float(seconds)
    return None


def longest_first(runs: Sequence[ReportRun], out_dir: Path) -> list[ReportRun]:
    """``runs`` in the order a build starts them: the longest first, so that no long report
    runs alone at the end (the longest-processing-time rule: with n workers, the build ends
    within 4/3 of the shortest possible). A run's length is its kernel's CPU seconds in the
    previous build into ``out_dir``, else its notebook's declared figure
    (:data:`DECLARED_KERNEL_CPU_SECONDS`), else the median of the others; ties keep the given
    order. Only the order changes: each run's outputs are its own."""
    known = [previous_kernel_cpu_seconds(run, out_dir) for run in runs]
    estimates = [
        seconds if seconds is not None else DECLARED_KERNEL_CPU_SECONDS.get(run.notebook)
        for run, seconds in zip(runs, known, strict=True)
    ]
    figures = [e for e in estimates if e is not None]
    unknown = statistics.median(figures) if figures else 0.0
    length = [unknown if e is None else e for e in estimates]
    order = sorted(range(len(runs)), key=lambda i: -length[i])
    return [runs[i] for i in order]
