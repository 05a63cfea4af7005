"""``tariff-reports build`` and ``tariff-reports list``: the report pipeline.

Exit codes: 0 all good, 1 some report failed, 2 bad input (one-line message), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR, params_dir
from analysis.pipeline.build import RunResult, build_reports, start_early
from analysis.pipeline.build_inputs import BuildInputs
from analysis.pipeline.cache import ResultsCache, cache_dir
from analysis.pipeline.dask_runner import check_scheduler
from analysis.pipeline.forkserver import stop as stop_fork_server
from analysis.pipeline.layout import INDEX_NAME, failed_path
from analysis.pipeline.nbparams import parameter_help
from analysis.pipeline.runs import (
    ReportRun,
    load_run,
    notebook_run,
    notebooks_dir,
    parse_value,
    run_specs,
)

DEFAULT_OUT = PROJECT_DIR / "reports"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "params",
        nargs="*",
        metavar="PARAMS",
        help="run specs to build: YAML files or run names in params/reports (default: all); "
        "with -p, one notebook stem (notebooks/<stem>.py)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        default=None,
        help="build one notebook with this parameter (YAML value, like papermill -y); "
        "repeat for more; the report is named from the notebook and its parameters",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        help="parallel notebook runs (default: number of CPUs)",
    )
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run the notebooks on this Dask scheduler (e.g. tcp://host:8786); "
        "rendering and publishing stay here",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="execute every notebook, even when a cached run has the same inputs "
        "(cache: $TARIFF_REPORTS_CACHE or ~/.cache/tariff-reports; the law and charts "
        "the reports share are still kept there, by content; off: no cache at all)",
    )


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--params-dir",
        type=Path,
        default=None,
        help="folder holding reports/*.yaml (default: $TARIFF_REPORTS_PARAMS or params/)",
    )


def resolve_runs(
    args: Sequence[str], params: Path | None = None, load: Callable[[], Inputs] | None = None
) -> list[ReportRun]:
    """Runs named on the command line (files or run names), or all runs; validated against
    ``load()`` (default: a load of the params folder)."""
    specs = run_specs(params)
    if not args:
        paths = specs
    else:
        by_name = {p.stem: p for p in specs}
        paths = []
        for arg in args:
            path = Path(arg)
            if path.is_file():
                paths.append(path)
            elif arg in by_name:
                paths.append(by_name[arg])
            else:
                known = ", ".join(sorted(by_name)) or "none"
                raise InputError(arg, "run", f"a run spec file or one of the runs: {known}", arg)
    runs: list[ReportRun] = []
    seen: dict[str, Path] = {}
    inputs = (load or (lambda: load_inputs(params)))() if paths else None
    for path in dict.fromkeys(p.resolve() for p in paths):  # keeps order, drops repeats
        run = load_run(path, inputs=inputs)
        if run.name in seen:
            raise InputError(
                path, "(file name)", f"a run name not also used by {seen[run.name]}", run.name
            )
        seen[run.name] = path
        runs.append(run)
    return runs


def usable_output_folder(out: Path) -> Path:
    """``out`` as a folder we can write reports into (created if missing); else one line."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "--out", "a folder", "a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise InputError(
            out, "--out", "a folder we can write to", exc.strerror or str(exc)
        ) from None
    return out


class BuildInterrupted(KeyboardInterrupt):
    """A build stopped by SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # Cleaning up takes a moment; a second signal must not cut it short with a traceback.
    for other in (signal.SIGINT, signal.SIGTERM):
        signal.signal(other, signal.SIG_IGN)
    raise BuildInterrupted(signum)


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`BuildInterrupted` while the build runs."""
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for signum in previous:
        signal.signal(signum, _interrupt)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def fork_runs(
    args: Sequence[str], pairs: Sequence[Sequence[str]], load: Callable[[], Inputs] | None = None
) -> list[ReportRun]:
    """``build NOTEBOOK -p NAME VALUE ...``: one run of one notebook, validated up front."""
    if len(args) != 1:
        raise InputError(
            "-p", "NOTEBOOK", "exactly one notebook stem before -p", " ".join(args) or "none"
        )
    values: dict[str, Any] = {}
    for name, text in pairs:
        if name in values:
            raise InputError("-p", name, "each parameter given once", f"{name} twice")
        values[name] = parse_value(text, name)
    return [notebook_run(args[0], values, load=load)]


def cmd_build(args: argparse.Namespace) -> int:
    # The kernels' imports warm up while the runs are validated and hashed; when the command
    # ends (every worker has exited), the fork server goes too, even if still importing.
    start_early(local=getattr(args, "scheduler", None) is None)
    try:
        return _build(args)
    finally:
        stop_fork_server()


def _build(args: argparse.Namespace) -> int:
    # The runs are checked against the build's private copy of the inputs, which its kernels
    # read, and the bundle loaded for the checks is handed to them (``pipeline.build_inputs``).
    with BuildInputs() as checked:
        return _build_checked(args, checked)


def _build_checked(args: argparse.Namespace, checked: BuildInputs) -> int:
    pairs = getattr(args, "parameter", None)
    with checked.users_names():
        if pairs:
            runs = fork_runs(args.params, pairs, checked.inputs)
        else:
            runs = resolve_runs(args.params, load=checked.inputs)
    if not runs:
        print(f"no report runs found in {params_dir() / 'reports'}", file=sys.stderr)
        return 0
    scheduler = getattr(args, "scheduler", None)
    if scheduler is not None:
        check_scheduler(scheduler)  # one line and exit 2 before anything is written
    out = usable_output_folder(args.out)
    folder = cache_dir()
    # --no-cache runs every notebook; the law and charts they share are still kept there.
    keep = ResultsCache(folder) if folder is not None else None
    cache = None if getattr(args, "no_cache", False) else keep
    total = len(runs)
    done = 0

    def progress(result: RunResult) -> None:
        nonlocal done
        done += 1
        line = f"[{done}/{total}] {result.run.name}: {result.status} ({result.seconds:.1f} s)"
        print(line, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        with _signals_interrupt():
            # Printed once the build handles Ctrl-C: from here on it is one line, always.
            print(f"building {total} report(s) into {out} ...", file=sys.stderr, flush=True)
            results = build_reports(
                runs,
                out,
                jobs=args.jobs,
                progress=progress,
                cache=cache,
                scheduler=scheduler,
                keep=keep,
                checked=checked,
            )
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, BuildInterrupted) else signal.SIGINT
        name = signal.Signals(signum).name
        print(
            f"{name}: stopped; finished reports kept, nothing half-written, index rewritten",
            file=sys.stderr,
        )
        return 128 + signum
    rows = [("report", "status", "seconds", "output")]
    for r in results:
        where = str(r.html) if r.html else f"{r.error} (see {failed_path(out, r.run.name)})"
        rows.append((r.run.name, r.status, f"{r.seconds:.1f}", where))
    print(_table(rows))
    failed = sum(r.status == "failed" for r in results)
    print(
        f"{total - failed} ok, {failed} failed in {time.perf_counter() - started:.1f} s; "
        f"index: {out / INDEX_NAME}"
    )
    return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    runs = resolve_runs([], getattr(args, "params_dir", None))
    rows = [("run", "notebook", "title", "parameters")]
    for run in runs:
        params = ", ".join(f"{k}={v!r}" for k, v in run.parameters.items())
        rows.append((run.name, run.notebook, run.title, params))
    print(_table(rows) if runs else "no report runs found")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """Each parameter of a notebook: name, type, default, allowed values, help."""
    path = notebooks_dir() / f"{args.notebook}.py"
    if "/" in args.notebook or not path.is_file():
        known = ", ".join(sorted(p.stem for p in notebooks_dir().glob("*.py")))
        raise InputError(args.notebook, "NOTEBOOK", f"a notebook stem ({known})", args.notebook)
    rows = parameter_help(path)
    print(
        f"parameters of notebooks/{path.name} (tariff-reports build {args.notebook} -p NAME VALUE):"
    )
    for name, annotation, default, allowed, text in rows:
        print(f"  {name}: {annotation} = {default}")
        print(f"      {text}" if text else "      (no help)")
        print(f"      allowed: {allowed}")
    if not rows:
        print("  (none)")
    return 0


def register(sub: Any) -> None:
    """Add the report commands: ``build``, ``list`` and ``params``."""
    build = sub.add_parser("build", help="run and render report notebooks")
    add_build_arguments(build)
    build.set_defaults(func=cmd_build)
    listing = sub.add_parser("list", help="list the report runs and their parameters")
    add_list_arguments(listing)
    listing.set_defaults(func=cmd_list)
    params = sub.add_parser(
        "params", help="a notebook's parameters: type, default, allowed values, help"
    )
    params.add_argument("notebook", metavar="NOTEBOOK", help="notebook stem, e.g. scenario_report")
    params.set_defaults(func=cmd_params)
