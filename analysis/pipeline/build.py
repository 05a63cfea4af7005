"""Build report runs in parallel: execute (workers) → render → publish atomically (this process).

Safety rules:
* final names (``r.html``, ``r.ipynb``, ``r.failed.ipynb``, ``index.html``) are only ever
  written by ``os.replace`` of a complete temporary file in the same folder;
* a failed run publishes only ``r.failed.ipynb``; the previous good report stays untouched;
* every temporary file is allocated here, so it is removed whatever happens to a worker
  (a SIGKILLed *builder* can leave hidden temporaries, which are ignored and swept a day later).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analysis.atomic import discard, publish, temp_path
from analysis.inputs.datasets import data_checksums
from analysis.pipeline import lazy_imports
from analysis.pipeline.environment import kernel_env
from analysis.pipeline.index import write_index
from analysis.pipeline.layout import META_KEY, failed_path, html_path, ipynb_path
from analysis.pipeline.runs import ReportRun
from analysis.report.stamp import format_stamp, reproducibility_stamp
from analysis.report.summary import read_summary

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from analysis.pipeline.cache import ResultsCache
    from analysis.pipeline.execute import Execution

STALE_TEMP_SECONDS = 24 * 3600
DEFAULT_CELL_TIMEOUT = 600.0

# Imported once by the fork server; each worker forks from it, so they start warm and clean
# (no threads or zmq state inherited from the caller, unlike plain fork). As with any
# non-fork start method, a *script* calling build_reports needs an ``if __name__ ==
# "__main__":`` guard: its main module is imported (once, here) to unpickle jobs.
_PRELOAD = ["__main__", "analysis.pipeline.execute"]


@dataclass(frozen=True)
class RunResult:
    run: ReportRun
    status: Literal["ok", "failed"]
    seconds: float
    html: Path | None
    error: str | None


@dataclass
class _Temps:
    executed: Path
    summary: Path
    html: Path

    @classmethod
    def allocate(cls, out_dir: Path, name: str) -> _Temps:
        return cls(
            executed=temp_path(ipynb_path(out_dir, name)),
            summary=temp_path(out_dir / f"{name}.summary.json"),
            html=temp_path(html_path(out_dir, name)),
        )

    def discard(self) -> None:
        for path in (self.executed, self.summary, self.html):
            discard(path)


def sweep_stale_temps(out_dir: Path, max_age: float = STALE_TEMP_SECONDS) -> None:
    """Remove day-old temporaries of killed builds (young ones may belong to a running build)."""
    cutoff = time.time() - max_age
    for path in out_dir.glob(".*.tmp*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


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


def _stamp(nb: NotebookNode, run: ReportRun, status: str, **facts: Any) -> None:
    nb.metadata[META_KEY] = {
        "run": run.name,
        "title": run.title,
        "description": run.description,
        "notebook": run.notebook,
        "spec": str(run.spec_path),
        "status": status,
        "built_at": _utc_now(),
        "stamp": reproducibility_stamp(run.effective_parameters, data_checksums()),
        **facts,
    }


def _stamp_cell(stamp: dict[str, Any]) -> NotebookNode:
    """The reproducibility stamp as the report's last section (one stamp per report)."""
    from nbformat import from_dict

    text = "## Reproducibility\n\nParameters are every notebook parameter with the value this run "
    text += "gave it (defaults included).\n\n" + format_stamp(stamp)
    cell = {"cell_type": "markdown", "id": "reproducibility-stamp", "metadata": {}, "source": text}
    node: NotebookNode = from_dict(cell)  # type: ignore[no-untyped-call]
    return node


def _stable_cell_ids(nb: NotebookNode) -> None:
    """Cell ids by position: jupytext and papermill draw random ones, which would make the
    same inputs give different bytes."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"


def _write_nb(nb: NotebookNode, path: Path) -> None:
    from analysis.pipeline.nbio import write_nb

    write_nb(nb, path)


def _publish_failure(
    run: ReportRun, temps: _Temps, out_dir: Path, seconds: float, error: str
) -> RunResult:
    nb = _load_or_stub(temps.executed, error)
    _stamp(nb, run, "failed", seconds=round(seconds, 2), error=error, summary=None)
    _write_nb(nb, temps.executed)
    publish(temps.executed, failed_path(out_dir, run.name))
    return RunResult(run, "failed", seconds, None, error)


def _publish_success(run: ReportRun, temps: _Temps, out_dir: Path, seconds: float) -> RunResult:
    from analysis.pipeline.nbio import read_nb
    from analysis.pipeline.render import render_string

    started = time.perf_counter()
    nb = read_nb(temps.executed)
    summary = read_summary_or_none(temps.summary)
    _stamp(nb, run, "ok", seconds=round(seconds, 2), error=None, summary=summary)
    nb.cells.append(_stamp_cell(nb.metadata[META_KEY]["stamp"]))
    _stable_cell_ids(nb)
    temps.html.write_text(render_string(nb, run.title), encoding="utf-8")
    _write_nb(nb, temps.executed)
    total = seconds + time.perf_counter() - started
    final_html = publish(temps.html, html_path(out_dir, run.name))
    publish(temps.executed, ipynb_path(out_dir, run.name))
    # A stale failure record would make the index show this run as failed.
    discard(failed_path(out_dir, run.name))
    return RunResult(run, "ok", total, final_html, None)


def read_summary_or_none(path: Path) -> dict[str, Any] | None:
    # The temp file exists (pre-allocated) but stays empty unless the notebook recorded one.
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        return read_summary(path)
    except ValueError:
        return None


def _finish(
    run: ReportRun,
    outcome: Callable[[], Execution],
    temps: _Temps,
    out_dir: Path,
    store: Callable[[], object] | None = None,
) -> RunResult:
    """Publish one run from its outcome (the worker's Execution, or the error it raised);
    ``store`` keeps a successful execution in the results cache before it is stamped."""
    try:
        execution = outcome()
    except BrokenProcessPool as exc:
        return _publish_failure(run, temps, out_dir, 0.0, f"worker process died: {exc}")
    except Exception as exc:
        return _publish_failure(run, temps, out_dir, 0.0, f"worker error: {exc!r}")
    if execution.error is not None:
        return _publish_failure(run, temps, out_dir, execution.seconds, execution.error)
    if store is not None:
        with contextlib.suppress(OSError):  # a full or read-only cache never fails a build
            store()
    try:
        return _publish_success(run, temps, out_dir, execution.seconds)
    except Exception as exc:
        # Keep the executed notebook for debugging; the rendered output is not trustworthy.
        discard(temps.html)
        error = f"rendering failed: {type(exc).__name__}: {exc}"
        return _publish_failure(run, temps, out_dir, execution.seconds, error)


def _warm_renderer() -> None:
    """Import nbconvert/Altair and build the Vega bundle (~2 s) while the kernels run."""
    with contextlib.suppress(Exception):  # the real render reports any problem
        from analysis.pipeline.render import exporter
        from analysis.pipeline.vega_bundle import vega_resources

        exporter()
        vega_resources()


def _pool(workers: int) -> ProcessPoolExecutor:
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows: spawn
        return ProcessPoolExecutor(max_workers=workers)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _check_names(runs: Sequence[ReportRun]) -> None:
    seen: dict[str, Path] = {}
    for run in runs:
        if run.name in seen:
            raise ValueError(
                f"two runs named {run.name!r} would write the same files: "
                f"{seen[run.name]} and {run.spec_path}"
            )
        seen[run.name] = run.spec_path


def _cached(
    runs: Sequence[ReportRun], temps: dict[str, _Temps], cache: ResultsCache | None
) -> tuple[dict[str, str], list[ReportRun]]:
    """Cache keys of the runs, and the runs found in the cache (copied into their temps)."""
    if cache is None:
        return {}, []
    from analysis.pipeline.cache import environment_digest, run_key

    environment = environment_digest()
    keys = {run.name: run_key(run, environment) for run in runs}
    hits = []
    for run in runs:
        entry = cache.get(keys[run.name])
        if entry is None:
            continue
        try:
            temps[run.name].executed.write_bytes(entry.executed.read_bytes())
            temps[run.name].summary.write_bytes(entry.summary.read_bytes())
        except OSError:  # evicted meanwhile: run it
            continue
        hits.append(run)
    return keys, hits


def _run_all(
    runs: Sequence[ReportRun],
    temps: dict[str, _Temps],
    out_dir: Path,
    options: _Options,
    progress: Callable[[RunResult], None] | None,
) -> dict[str, RunResult]:
    keys, hits = _cached(runs, temps, options.cache)
    hit_names = {run.name for run in hits}
    pending = [run for run in runs if run.name not in hit_names]
    results: dict[str, RunResult] = {}

    def finish(run: ReportRun, outcome: Callable[[], Execution]) -> None:
        store = None
        if options.cache is not None and run.name in keys:
            cache, key, t = options.cache, keys[run.name], temps[run.name]
            store = functools.partial(cache.put, key, t.executed, t.summary)
        warmer.join()
        results[run.name] = _finish(run, outcome, temps[run.name], out_dir, store)
        if progress is not None:
            progress(results[run.name])

    # This process only waits for the workers, so prepare rendering meanwhile.
    warmer = threading.Thread(target=_warm_renderer, daemon=True)
    warmer.start()
    cached = [(run, _from_cache(run)) for run in hits]
    if not pending:
        for run, outcome in cached:
            finish(run, outcome)
    elif options.scheduler is not None:
        from analysis.pipeline.dask_runner import run_on_cluster

        for run, outcome in cached:
            finish(run, outcome)
        run_on_cluster(options.scheduler, pending, temps, options.timeout, finish)
    else:
        _run_in_pool(pending, temps, options, cached, finish)
    return results


def _from_cache(run: ReportRun) -> Callable[[], Execution]:
    from analysis.pipeline.execute import Execution

    return lambda: Execution(run.name, 0.0, None)


def _run_in_pool(
    runs: Sequence[ReportRun],
    temps: dict[str, _Temps],
    options: _Options,
    cached: Sequence[tuple[ReportRun, Callable[[], Execution]]],
    finish: Callable[[ReportRun, Callable[[], Execution]], None],
) -> None:
    """Execute ``runs`` in worker processes; publish ``cached`` runs while the kernels start."""
    from analysis.pipeline.execute import Job, execute

    env = kernel_env()
    with _pool(max(1, min(options.workers, len(runs)))) as pool:
        futures = {
            pool.submit(
                execute,
                Job(run, temps[run.name].executed, temps[run.name].summary, env, options.timeout),
            ): run
            for run in runs
        }
        try:
            for run, outcome in cached:
                finish(run, outcome)
            for fut in as_completed(futures):
                finish(futures[fut], fut.result)
        except BaseException:
            # Interrupted: start no queued run, and stop the running ones now (each worker
            # kills its kernel and returns); then wait for the workers to exit.
            _stop_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
            raise


@dataclass(frozen=True)
class _Options:
    workers: int
    timeout: float | None
    cache: ResultsCache | None
    scheduler: str | None


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM to every worker: a worker kills its kernel and stops the report it runs."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def build_reports(
    runs: Sequence[ReportRun],
    out_dir: Path,
    jobs: int | None = None,
    progress: Callable[[RunResult], None] | None = None,
    cell_timeout: float | None = DEFAULT_CELL_TIMEOUT,
    cache: ResultsCache | None = None,
    scheduler: str | None = None,
) -> list[RunResult]:
    """Execute and render ``runs`` into ``out_dir`` (one report per worker process).

    ``progress`` is called with each result as it completes. Results come back in the order of
    ``runs``; a failed run never raises here. ``index.html`` is rewritten at the end.
    ``cell_timeout`` (seconds per cell, None for no limit) stops a hung notebook. With ``cache``,
    a run whose inputs are all unchanged is rendered from its cached execution (no kernel).
    With ``scheduler`` (a Dask scheduler address), the runs execute on that cluster; rendering
    and publishing stay here.
    """
    _check_names(runs)
    lazy_imports.install()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_stale_temps(out_dir)
    results: dict[str, RunResult] = {}
    temps: dict[str, _Temps] = {}
    try:
        for run in runs:
            temps[run.name] = _Temps.allocate(out_dir, run.name)
        if runs:
            workers = max(1, min(jobs or os.cpu_count() or 1, len(runs)))
            options = _Options(workers, cell_timeout, cache, scheduler)
            results = _run_all(runs, temps, out_dir, options, progress)
    finally:
        # Also when interrupted: no temporary is left, and the index shows what is on disk.
        for t in temps.values():
            t.discard()
        write_index(out_dir)
    return [results[run.name] for run in runs]
