"""Build report runs: snapshot the inputs → execute (workers) → render → publish atomically.

* The build reads its inputs once (``analysis.pipeline.snapshot``): the params folder and the
  data go into a private folder its kernels read, the notebooks are passed as the bytes read,
  and the results cache is keyed by exactly those bytes.
* What several reports compute alike from the build's inputs (the law on each day it changed)
  is computed once per build and shared through a private folder (``analysis.inputs.shared``).
* Each report runs in a process of its own (``analysis.pipeline.workers``): a worker that dies
  fails only its report; workers stop their kernels and exit when the builder dies.
* Publishing (``analysis.pipeline.publish``) writes final names only by ``os.replace`` of a
  complete temporary file; a failed run keeps the previous good report; every temporary is
  allocated here, so it is removed whatever happens to a worker (a SIGKILLed *builder* can
  leave temporaries, which are named so that only they are swept, a day later).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.inputs.shared import SHARED_ENV
from analysis.inputs.shared import scope_env as shared_scope_env
from analysis.pipeline import lazy_imports
from analysis.pipeline.environment import kernel_env
from analysis.pipeline.publish import Draw, RunResult, Temps, finish, sweep_stale_temps
from analysis.pipeline.runs import ReportRun
from analysis.pipeline.snapshot import InputsSnapshot, MaterializedSnapshot, code_digest
from analysis.report.charts import DEFERRED_SPECS_ENV, DEFERRED_SVG_ENV

if TYPE_CHECKING:
    from analysis.inputs.bundle import Inputs
    from analysis.pipeline.build_inputs import BuildInputs
    from analysis.pipeline.cache import ResultsCache
    from analysis.pipeline.jobs import Execution, Job

__all__ = ["DEFAULT_CELL_TIMEOUT", "RunResult", "build_reports", "start_early", "sweep_stale_temps"]

DEFAULT_CELL_TIMEOUT = 600.0


def _warm_renderer(charts: bool, after: threading.Thread | None = None) -> None:
    """Import nbconvert/Altair and build the Vega bundle (~2 s) while the kernels run; with
    ``charts``, start the SVG renderer too (the kernels leave their charts' SVG to it). First
    wait for ``after`` (what the first kernel needs sooner: the line data handed to it)."""
    if after is not None:
        after.join()
    try:
        with contextlib.suppress(Exception):  # the real render reports any problem
            from analysis.pipeline.render import exporter
            from analysis.pipeline.vega_bundle import vega_resources

            exporter()
            vega_resources()
            if charts:
                from analysis.pipeline import svg

                svg.warm()
    finally:
        _SVG_READY.set()
    with contextlib.suppress(Exception):
        # What the index imports (its data pages: the report tables, the model's calibration,
        # scipy: ~0.5 s), here rather than before the kernels start (:func:`write_index`).
        import analysis.pipeline.index  # noqa: F401


_WARMERS: list[threading.Thread] = []
#: Set once the warm-up has started the SVG renderer (or could not).
_SVG_READY = threading.Event()


def _start_renderer_warmup(charts: bool, after: threading.Thread | None = None) -> None:
    """Warm the renderer in a thread of this process, once. Started once the runs are
    validated and read (not before: its imports would compete with validation for this
    process), while this process only waits for the workers; its work starts once ``after``
    has ended."""
    if not _WARMERS:
        warmer = threading.Thread(
            target=_warm_renderer, args=(charts, after), name="warm-renderer", daemon=True
        )
        warmer.start()
        _WARMERS.append(warmer)


def start_early(local: bool = True) -> None:
    """For a local build, start the workers' fork server now, so that it imports what the
    kernels import while this process validates, reads and hashes the runs
    (``forkserver``); the command line calls it first, :func:`build_reports` again."""
    if local:
        from analysis.pipeline import forkserver

        forkserver.context()


def _renderer_ready() -> None:
    for warmer in _WARMERS:
        warmer.join()


#: How often the build looks for chart specs its kernels have left (``report.charts``).
SPEC_POLL_SECONDS = 0.05


def _draw_left_specs(specs: Path, folder: Path | None, stop: threading.Event) -> None:
    """Once the renderer is warm, draw the charts' specs the kernels leave in ``specs``
    (``svg.draw_left``) as they appear, until ``stop``: the SVGs are drawn while the kernels
    run on, on a core this process leaves idle, and filling a finished notebook in
    (:func:`_svg_drawer`) finds them drawn. Only time depends on it: what is not drawn here
    is drawn then."""
    _SVG_READY.wait()
    from analysis.pipeline import svg

    with contextlib.suppress(Exception):
        while not stop.wait(SPEC_POLL_SECONDS):
            svg.draw_left(specs, folder)


def _start_drawing_left_specs(build: _Build, specs: Path) -> threading.Event:
    """Start :func:`_draw_left_specs` in a thread of this process; set the event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=_draw_left_specs,
        args=(specs, _svg_folder(build), stop),
        name="draw-left-specs",
        daemon=True,
    ).start()
    return stop


def _check_names(runs: Sequence[ReportRun]) -> None:
    seen: dict[str, Path] = {}
    for run in runs:
        if run.name in seen:
            raise ValueError(
                f"two runs named {run.name!r} would write the same files: "
                f"{seen[run.name]} and {run.spec_path}"
            )
        seen[run.name] = run.spec_path


@dataclass(frozen=True)
class _Options:
    workers: int
    timeout: float | None
    cache: ResultsCache | None
    scheduler: str | None
    # Where the kernels' shared results and the drawn SVGs are kept between builds (the
    # results cache's folder, also when the run results are not read: ``--no-cache``).
    keep: ResultsCache | None = None


@dataclass(frozen=True)
class _Build:
    """One build's fixed facts: its runs' temporaries, notebook bytes, snapshot and keys."""

    out_dir: Path
    temps: Mapping[str, Temps]
    sources: Mapping[str, bytes]  # notebook bytes by run name, read once
    snapshot: InputsSnapshot
    keys: Mapping[str, str]  # cache keys by run name (empty without a cache)
    options: _Options
    # The private copy of the snapshot the runs were checked against (kept by the caller),
    # and the bundle the checks loaded from it, handed to the kernels; else None.
    copy: MaterializedSnapshot | None = None
    checked: Inputs | None = None


def _store(build: _Build, name: str) -> Callable[[], object] | None:
    """A function that stores run ``name``'s execution in the cache, if the code it ran is
    still the code the key names (else the result is published but not stored)."""
    cache = build.options.cache
    if cache is None or name not in build.keys:
        return None
    temps = build.temps[name]

    def store() -> None:
        if code_digest() != build.snapshot.code:
            print(
                f"warning: the analysis code changed during the build: {name} not cached",
                file=sys.stderr,
            )
            return
        cache.put(build.keys[name], temps.executed.read_bytes(), temps.summary.read_bytes())

    return store


def _cached(build: _Build, runs: Sequence[ReportRun]) -> list[ReportRun]:
    """The runs found (verified) in the cache, their files copied into their temporaries."""
    cache = build.options.cache
    if cache is None:
        return []
    hits = []
    for run in runs:
        entry = cache.get(build.keys[run.name])
        if entry is None:
            continue
        try:
            build.temps[run.name].executed.write_bytes(entry.executed)
            build.temps[run.name].summary.write_bytes(entry.summary)
        except OSError:  # the output folder refuses: run it (and fail there, with a reason)
            continue
        hits.append(run)
    return hits


def _svg_drawer(build: _Build) -> Draw:
    """What draws the SVGs a kernel left to the build into its executed notebook
    (``pipeline.svg``; kept beside the results cache when there is one): ``finish`` calls it
    on the notebook it reads, before the execution is cached or published."""
    from analysis.pipeline import svg

    folder = _svg_folder(build)
    return lambda nb: svg.fill_deferred(nb, folder)


def _svg_folder(build: _Build) -> Path | None:
    """Where the drawn SVGs are kept between builds (beside the results cache), or None."""
    from analysis.pipeline import svg

    keep = build.options.keep
    return None if keep is None else keep.root / svg.FOLDER


def _from_cache(run: ReportRun) -> Callable[[], Execution]:
    from analysis.pipeline.jobs import Execution

    return lambda: Execution(run.name, 0.0, None)


def _run_all(
    build: _Build, runs: Sequence[ReportRun], progress: Callable[[RunResult], None] | None
) -> dict[str, RunResult]:
    hits = _cached(build, runs)
    hit_names = {run.name for run in hits}
    pending = [run for run in runs if run.name not in hit_names]
    results: dict[str, RunResult] = {}
    if not pending or build.options.scheduler is not None:
        _start_renderer_warmup(charts=bool(pending))  # else once the kernels' inputs are handed

    def done(run: ReportRun, outcome: Callable[[], Execution]) -> None:
        _renderer_ready()
        temps = build.temps[run.name]
        # The charts' SVG its kernel left to the build (a cached execution has them).
        draw = None if run.name in hit_names else _svg_drawer(build)
        store = _store(build, run.name)
        results[run.name] = finish(run, outcome, temps, build.out_dir, store, draw)
        if progress is not None:
            progress(results[run.name])

    def publish_cached() -> None:
        for run in hits:
            done(run, _from_cache(run))

    if not pending:
        publish_cached()
    elif build.options.scheduler is not None:
        from analysis.pipeline.dask_runner import run_on_cluster

        publish_cached()
        run_on_cluster(build.options.scheduler, pending, build, build.options.timeout, done)
    else:
        _run_locally(build, pending, done, publish_cached)
    return results


def _shared_env(build: _Build, snapshot: MaterializedSnapshot) -> dict[str, str]:
    """The kernels' shared folder (``analysis.inputs.shared``): none where
    ``$TARIFF_REPORTS_SHARED`` is ``off``; the folder it names if it names one; else, with a
    results cache, ``shared/`` under it, else one in the build's private copy of the inputs,
    removed with it. A result's key names the law's content digest (the snapshot's
    ``law_digest``) for the kernels' loads of that private copy, so builds read each other's
    results only where the law's inputs and the code are the same, byte for byte. The kernels'
    whole ``load_inputs()`` (and its line data) is this build's own: keyed by the snapshot's
    ``digest`` and the copy's paths, kept in ``own/`` in the private copy, removed with it."""
    value = os.environ.get(SHARED_ENV, "").strip()
    if value.lower() == "off":
        return {}
    own = snapshot.root / "own"  # the build's whole load of the inputs: removed with it
    own.mkdir(mode=0o700)
    scope = shared_scope_env(
        build.snapshot.law_digest,
        (snapshot.root / "params").resolve(),
        (snapshot.root / "data").resolve(),
        inputs=build.snapshot.digest,
        own=own.resolve(),
    )
    if os.path.isabs(value) and os.path.isdir(value):
        return {SHARED_ENV: value} | scope
    folder = snapshot.root / "shared"
    keep = build.options.keep
    if keep is not None:
        with contextlib.suppress(OSError):  # a read-only cache: this build's own folder
            (keep.root / "shared").mkdir(mode=0o700, parents=True, exist_ok=True)
            folder = keep.root / "shared"
    if folder.parent == snapshot.root:
        folder.mkdir(mode=0o700)
    return {SHARED_ENV: str(folder)} | scope


def _hand_over(build: _Build, snapshot: MaterializedSnapshot) -> threading.Thread | None:
    """The bundle the runs were checked against, loaded from this very copy, stored where
    the kernels' ``load_inputs()`` of the copy looks first (``inputs.bundle.hand_over``);
    and its line data, read by a thread of this process while the workers and the first
    kernel start (this process only waits for them): returned, to be joined."""
    from analysis.inputs.bundle import hand_over, hand_over_lines
    from analysis.pipeline.build_inputs import copy_folders

    params, data = copy_folders(snapshot)
    own = (snapshot.root / "own").resolve()  # none where the build shares nothing
    inputs = build.checked
    if inputs is None or build.copy is not snapshot or inputs.params_dir != params:
        return None
    if not own.is_dir() or not hand_over(inputs, build.snapshot.digest, data, own):
        return None
    lines = threading.Thread(
        target=hand_over_lines,
        args=(inputs, build.snapshot.law_digest, own),
        name="hand-over-lines",
        daemon=True,
    )
    lines.start()
    return lines


def _run_locally(
    build: _Build,
    runs: Sequence[ReportRun],
    done: Callable[[ReportRun, Callable[[], Execution]], None],
    publish_cached: Callable[[], None],
) -> None:
    """Execute ``runs`` in worker processes that read the build's snapshot of the inputs."""
    from analysis.pipeline import prefetch
    from analysis.pipeline.jobs import Job, longest_first
    from analysis.pipeline.workers import run_in_processes

    given = contextlib.nullcontext(build.copy) if build.copy is not None else None
    with given or MaterializedSnapshot(build.snapshot) as snapshot:
        env = kernel_env() | snapshot.env() | _shared_env(build, snapshot)
        env[DEFERRED_SVG_ENV] = "1"  # the charts' SVG drawn here (``pipeline.svg``)
        specs = snapshot.root / "specs"  # ... from the specs the kernels leave, as they run
        specs.mkdir(mode=0o700)
        env[DEFERRED_SPECS_ENV] = str(specs)
        handing = _hand_over(build, snapshot)
        _start_renderer_warmup(charts=True, after=handing)
        jobs = [
            Job(
                run,
                build.sources[run.name],
                build.temps[run.name].executed,
                build.temps[run.name].summary,
                env,
                build.options.timeout,
            )
            for run in longest_first(runs, build.out_dir)  # no long report alone at the end
        ]

        def job_done(job: Job, outcome: Callable[[], Execution]) -> None:
            done(job.run, outcome)

        workers = max(1, min(build.options.workers, len(runs)))
        # The backcast most reports quote, computed meanwhile on an otherwise idle core.
        notebooks = (run.notebook for run in runs)
        fetch = env if prefetch.wanted(notebooks, env, workers, os.cpu_count()) else None
        drawing = _start_drawing_left_specs(build, specs)
        try:
            run_in_processes(
                jobs, workers, job_done, before_wait=publish_cached, prefetch_env=fetch
            )
        finally:
            drawing.set()
            if handing is not None:
                handing.join()  # before the copy goes


def _prepare(
    runs: Sequence[ReportRun],
    out_dir: Path,
    options: _Options,
    temps: dict[str, Temps],
    checked: BuildInputs | None = None,
) -> _Build:
    """Read every input once (or take the snapshot the runs were ``checked`` against), and
    allocate every temporary into ``temps`` (the caller's, so that it removes them whatever
    happens)."""
    from analysis.pipeline.cache import run_key

    sources = {run.name: run.notebook_path.read_bytes() for run in runs}
    user_files = {k: v for r in runs for k, v in r.user_files.items()}
    copy = None
    if checked is None:
        snapshot = InputsSnapshot.take(user_files=user_files)
    else:
        snapshot, copy = checked.final(user_files)
    keys = {}
    if options.cache is not None:
        keys = {run.name: run_key(run, snapshot.digest, sources[run.name]) for run in runs}
    for run in runs:
        temps[run.name] = Temps.allocate(out_dir, run.name)
    handed = checked.handed_over() if checked is not None else None
    return _Build(out_dir, temps, sources, snapshot, keys, options, copy, handed)


def write_index(out_dir: Path) -> Path:
    """``pipeline.index.write_index``: imported when a build ends (warmed meanwhile by
    :func:`_warm_renderer`), not by the command line before its kernels start."""
    from analysis.pipeline.index import write_index as write

    return write(out_dir)


def _write_index_or_warn(out_dir: Path) -> None:
    try:
        write_index(out_dir)
    except OSError as exc:
        print(
            f"warning: {out_dir / 'index.html'} not rewritten: {exc.strerror or exc}",
            file=sys.stderr,
        )


def build_reports(
    runs: Sequence[ReportRun],
    out_dir: Path,
    jobs: int | None = None,
    progress: Callable[[RunResult], None] | None = None,
    cell_timeout: float | None = DEFAULT_CELL_TIMEOUT,
    cache: ResultsCache | None = None,
    scheduler: str | None = None,
    keep: ResultsCache | None = None,
    checked: BuildInputs | None = None,
) -> list[RunResult]:
    """Execute and render ``runs`` into ``out_dir`` (one worker process per report).

    ``progress`` is called with each result as it completes. Results come back in the order of
    ``runs``; a failed run never raises here. ``index.html`` is rewritten at the end.
    ``cell_timeout`` (seconds per cell, None for no limit) stops a hung notebook. With ``cache``,
    a run whose inputs are all unchanged is rendered from its cached execution (no kernel).
    With ``scheduler`` (a Dask scheduler address), the runs execute on that cluster; rendering
    and publishing stay here. What the kernels compute alike (``inputs.shared``) and the charts'
    SVGs (``pipeline.svg``) are kept under ``keep``'s folder (default: ``cache``'s), within
    its size cap, for the next builds. ``checked``: the inputs the runs were checked against
    (the build's snapshot, its private copy, kept and removed by the caller, and the bundle
    loaded from it), which the build reads, and its kernels, instead of reading them again.
    """
    _check_names(runs)
    lazy_imports.install()
    # Local kernels will run unless every run is cached: the fork server's imports are worth
    # starting now, before the snapshot is read and hashed.
    start_early(local=scheduler is None and bool(runs))
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_stale_temps(out_dir)
    results: dict[str, RunResult] = {}
    temps: dict[str, Temps] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(runs) or 1))
    keep = keep if keep is not None else cache
    options = _Options(workers, cell_timeout, cache, scheduler, keep)
    try:
        if runs:
            build = _prepare(runs, out_dir, options, temps, checked)
            results = _run_all(build, runs, progress)
            if keep is not None and keep is not cache:  # nothing stored a run: prune here
                with contextlib.suppress(OSError):
                    keep.prune()
    finally:
        # Also when interrupted: no temporary is left, and the index shows what is on disk.
        for t in temps.values():
            t.discard()
        _write_index_or_warn(out_dir)
    return [results[run.name] for run in runs]
