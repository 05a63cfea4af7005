"""Publishing one report run: stamp, render and move into place, or record its failure.

Safety rules:
* final names (``r.html``, ``r.ipynb``, ``r.failed.ipynb``) are only ever written by
  ``os.replace`` of a complete temporary file in the same folder;
* a failed run publishes only ``r.failed.ipynb``; the previous good report stays untouched;
* no exception escapes :func:`finish`: a run whose files cannot be written (a full disk, a
  folder made read-only) fails with one line saying why, and the previous good report stays.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analysis.atomic import discard, is_our_temporary, publish, temp_path
from analysis.inputs.datasets import data_checksums
from analysis.pipeline.layout import META_KEY, failed_path, html_path, ipynb_path
from analysis.pipeline.runs import ReportRun
from analysis.report.stamp import format_stamp, reproducibility_stamp
from analysis.report.summary import read_summary

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from analysis.pipeline.jobs import Execution

STALE_TEMP_SECONDS = 24 * 3600
#: Draws the SVGs a kernel left to the build into an executed notebook; returns how many.
Draw = Callable[["NotebookNode"], int]


@dataclass(frozen=True)
class RunResult:
    run: ReportRun
    status: Literal["ok", "failed"]
    seconds: float
    html: Path | None
    error: str | None


@dataclass
class Temps:
    """A run's temporary files, allocated by the builder so it can always remove them."""

    executed: Path
    summary: Path
    html: Path

    @classmethod
    def allocate(cls, out_dir: Path, name: str) -> Temps:
        return cls(
            executed=temp_path(ipynb_path(out_dir, name)),
            summary=temp_path(out_dir / f"{name}.summary.json"),
            html=temp_path(html_path(out_dir, name)),
        )

    def discard(self) -> None:
        for path in (self.executed, self.summary, self.html):
            discard(path)


def sweep_stale_temps(out_dir: Path, max_age: float = STALE_TEMP_SECONDS) -> None:
    """Remove day-old temporaries of killed builds (young ones may belong to a running build).

    Only regular files whose name :func:`analysis.atomic.temp_path` made are touched: never a
    user's own file, whatever folder ``--out`` names.
    """
    cutoff = time.time() - max_age
    for path in out_dir.iterdir():
        if not is_our_temporary(path.name) or path.is_symlink() or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load_or_stub(path: Path, error: str) -> NotebookNode:
    """The (partial) executed notebook, or a one-cell stand-in if the kernel never wrote one."""
    from analysis.pipeline.nbio import markdown_nb, read_nb

    try:
        return read_nb(path)
    except Exception:
        # Empty (never written) or cut short mid-write by a killed worker.
        return markdown_nb(f"**Report run failed:** `{error}`")


_CHECKSUMS: dict[bytes, dict[str, str]] = {}


def _data_checksums() -> dict[str, str]:
    """The shipped data's checksums (``data_checksums``), parsed once per build: again only
    when the manifest's bytes differ from those last parsed."""
    from analysis.inputs.paths import data_folder

    manifest = data_folder() / "manifest.yaml"
    try:
        before = manifest.read_bytes()
    except OSError:
        return data_checksums()  # which says what is wrong
    if before not in _CHECKSUMS:
        checksums = data_checksums()
        with contextlib.suppress(OSError):
            if manifest.read_bytes() == before:  # not rewritten while it was parsed
                _CHECKSUMS.clear()
                _CHECKSUMS[before] = checksums
        return checksums
    return dict(_CHECKSUMS[before])


def _stamp(nb: NotebookNode, run: ReportRun, status: str, **facts: Any) -> None:
    nb.metadata[META_KEY] = {
        "run": run.name,
        "title": run.title,
        "description": run.description,
        "notebook": run.notebook,
        "spec": str(run.spec_path),
        "status": status,
        "built_at": _utc_now(),
        "stamp": reproducibility_stamp(run.effective_parameters, _data_checksums()),
        **facts,
    }


def _stamp_cell(stamp: dict[str, Any]) -> NotebookNode:
    """The reproducibility stamp as the report's last section (one stamp per report)."""
    from nbformat import from_dict

    text = "## Reproducibility\n\nThe parameters' hash covers every notebook parameter with the "
    text += "value this run gave it (defaults included); the values themselves are in the run's "
    text += "executed notebook, beside this page.\n\n" + format_stamp(stamp)
    cell = {"cell_type": "markdown", "id": "reproducibility-stamp", "metadata": {}, "source": text}
    node: NotebookNode = from_dict(cell)  # type: ignore[no-untyped-call]
    return node


def _stable_cell_ids(nb: NotebookNode) -> None:
    """Cell ids by position: jupytext and papermill draw random ones, which would make the
    same inputs give different bytes."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"


def _write_nb(nb: NotebookNode | bytes, path: Path) -> None:
    """Write notebook ``nb`` (a node, or its bytes: ``nbio.notebook_bytes``) to ``path``."""
    from analysis.pipeline.nbio import notebook_bytes

    path.write_bytes(nb if isinstance(nb, bytes) else notebook_bytes(nb))


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def publish_failure(
    run: ReportRun,
    temps: Temps,
    out_dir: Path,
    seconds: float,
    error: str,
    draw: Draw | None = None,
) -> RunResult:
    """Record a failed run as ``r.failed.ipynb`` (if the disk lets us); never raises.
    ``draw`` draws the SVGs its kernel left to the build, if it can."""
    try:
        nb = _load_or_stub(temps.executed, error)
        if draw is not None:
            with contextlib.suppress(Exception):  # the record matters more than its SVGs
                draw(nb)
        _stamp(nb, run, "failed", seconds=round(seconds, 2), error=error, summary=None)
        _write_nb(nb, temps.executed)
        publish(temps.executed, failed_path(out_dir, run.name))
    except Exception as exc:
        error = f"{error}; its failure record could not be written: {_one_line(exc)}"
    return RunResult(run, "failed", seconds, None, error)


def read_summary_or_none(path: Path) -> dict[str, Any] | None:
    # The temp file exists (pre-allocated) but stays empty unless the notebook recorded one.
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        return read_summary(path)
    except ValueError:
        return None


def _publish_success(
    run: ReportRun, temps: Temps, out_dir: Path, execution: Execution, nb: NotebookNode
) -> RunResult:
    """Stamp, render and publish the executed notebook ``nb`` (read from ``temps.executed``,
    which it consumes: rendering edits it)."""
    from analysis.pipeline import render
    from analysis.pipeline.nbio import notebook_bytes

    started = time.perf_counter()
    summary = read_summary_or_none(temps.summary)
    seconds = execution.seconds
    _stamp(nb, run, "ok", seconds=round(seconds, 2), error=None, summary=summary)
    if execution.kernel_peak_rss_mb is not None:  # the build's own measure, not the report's
        nb.metadata[META_KEY]["kernel_peak_rss_mb"] = execution.kernel_peak_rss_mb
    if execution.kernel_cpu_seconds is not None:
        nb.metadata[META_KEY]["kernel_cpu_seconds"] = execution.kernel_cpu_seconds
    nb.cells.append(_stamp_cell(nb.metadata[META_KEY]["stamp"]))
    _stable_cell_ids(nb)
    executed = notebook_bytes(nb)  # before rendering edits nb
    temps.html.write_text(render.render_string(nb, run.title, consume=True), encoding="utf-8")
    _write_nb(executed, temps.executed)
    total = seconds + time.perf_counter() - started
    final_html = publish(temps.html, html_path(out_dir, run.name))
    publish(temps.executed, ipynb_path(out_dir, run.name))
    # A stale failure record would make the index show this run as failed.
    discard(failed_path(out_dir, run.name))
    _write_data(out_dir, run.name, executed)
    return RunResult(run, "ok", total, final_html, None)


def _write_data(out_dir: Path, name: str, executed: bytes) -> None:
    """The report's data folder, written now (``index.write_data``) rather than by the index
    at the end of the build, when nothing else is left to do: the same files, from the same
    notebook bytes. Whatever goes wrong here, the index tries again (and says why it fails)."""
    import json

    from analysis.pipeline.index import write_data

    with contextlib.suppress(Exception):
        write_data(out_dir, name, json.loads(executed))


def _executed(temps: Temps, draw: Draw | None, store: Callable[[], object] | None) -> NotebookNode:
    """The executed notebook, read once, its deferred SVGs drawn (``draw``); rewritten before
    ``store`` keeps it in the results cache, as a kernel drawing its own SVGs writes it."""
    from analysis.pipeline.nbio import read_nb

    nb = read_nb(temps.executed)
    drawn = draw(nb) if draw is not None else 0
    if store is not None:
        if drawn:
            _write_nb(nb, temps.executed)
        with contextlib.suppress(OSError):  # a full or read-only cache never fails a build
            store()
    return nb


def finish(
    run: ReportRun,
    outcome: Callable[[], Execution],
    temps: Temps,
    out_dir: Path,
    store: Callable[[], object] | None = None,
    draw: Draw | None = None,
) -> RunResult:
    """Publish one run from its outcome (the worker's Execution, or the error it raised);
    ``draw`` draws the SVGs its kernel left to the build into the notebook (``pipeline.svg``)
    and returns how many, before ``store`` keeps a successful execution in the results cache
    (then it is stamped). The executed notebook is read once and written once (twice when it
    is stored and had SVGs to draw)."""
    try:
        execution = outcome()
    except Exception as exc:
        return publish_failure(run, temps, out_dir, 0.0, f"worker error: {_one_line(exc)}", draw)
    if execution.error is not None:
        return publish_failure(run, temps, out_dir, execution.seconds, execution.error, draw)
    try:
        return _publish_success(run, temps, out_dir, execution, _executed(temps, draw, store))
    except Exception as exc:
        # Keep the executed notebook for debugging; the rendered output is not trustworthy.
        discard(temps.html)
        error = f"publishing failed: {_one_line(exc)}"
        return publish_failure(run, temps, out_dir, execution.seconds, error, draw)
