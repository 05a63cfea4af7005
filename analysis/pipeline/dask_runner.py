"""Report runs (and Monte Carlo chunks) on an existing Dask distributed cluster.

The client (``tariff-reports build --scheduler ADDRESS``) validates every run first, exactly as
a local build does. Each run then becomes one task: the task carries the notebook's source, the
run's parameters and a copy of the client's params folder (measures, scenarios, elasticities,
markets: a few hundred kB), and returns the executed notebook and its summary as bytes. The
shipped data travel with the installed package on every worker; a task first checks that the
worker's data have the client's checksums, so a worker with other data fails that run instead of
publishing a report computed from them. Rendering, stamping and publishing (atomic ``os.replace``)
stay on the client. A task that fails, or a worker that dies, fails only its own run.

Workers need the project installed (``pip install .`` of the same version). A worker process
runs one report at a time (a lock), since the kernel inherits the process environment.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from analysis.inputs.datasets import data_checksums
from analysis.inputs.errors import InputError
from analysis.inputs.paths import params_dir
from analysis.pipeline.runs import ReportRun

if TYPE_CHECKING:
    from analysis.pipeline.execute import Execution

CONNECT_TIMEOUT = "10s"
PARAMS_ENV = "TARIFF_REPORTS_PARAMS"
_ONE_RUN_AT_A_TIME = threading.Lock()


class _RunTemps(Protocol):
    executed: Path
    summary: Path


@dataclass(frozen=True)
class RemoteJob:
    name: str
    notebook: str  # notebook stem
    notebook_source: bytes  # the jupytext file
    parameters: dict[str, Any]
    params_files: dict[str, bytes]  # the client's params folder: relative path -> contents
    data_checksums: dict[str, str]
    cell_timeout: float | None


@dataclass(frozen=True)
class RemoteResult:
    seconds: float
    error: str | None
    executed: bytes
    summary: bytes


def params_files(folder: Path) -> dict[str, bytes]:
    """Every file of a params folder (run specs excluded), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("reports/")
    }


def _unpack(files: dict[str, bytes], root: Path) -> None:
    for relative, data in files.items():
        target = (root / relative).resolve()
        if root.resolve() not in target.parents:
            raise ValueError(f"params file outside its folder: {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def execute_remote(job: RemoteJob) -> RemoteResult:
    """Worker side: execute one report run in a private folder; return its files as bytes."""
    from analysis.pipeline.environment import kernel_env
    from analysis.pipeline.execute import Job, execute

    started = time.perf_counter()
    mine = data_checksums()
    if mine != job.data_checksums:
        differ = sorted(
            k
            for k in mine.keys() | job.data_checksums.keys()
            if mine.get(k) != job.data_checksums.get(k)
        )
        error = f"worker data differ from the client's: {', '.join(differ)}"
        return RemoteResult(time.perf_counter() - started, error, b"", b"")
    with _ONE_RUN_AT_A_TIME, tempfile.TemporaryDirectory(prefix="tariff-run-") as tmp:
        root = Path(tmp)
        _unpack(job.params_files, root / "params")
        notebook = root / "notebooks" / f"{job.notebook}.py"
        notebook.parent.mkdir()
        notebook.write_bytes(job.notebook_source)
        executed, summary = root / "executed.ipynb", root / "summary.json"
        summary.touch()
        run = ReportRun(
            job.name, root / "run.yaml", job.name, job.notebook, notebook, job.parameters
        )
        saved = dict(os.environ)
        try:
            env = kernel_env() | {PARAMS_ENV: str(root / "params")}
            outcome = execute(Job(run, executed, summary, env, job.cell_timeout, False))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        produced = executed.read_bytes() if executed.is_file() else b""
        return RemoteResult(outcome.seconds, outcome.error, produced, summary.read_bytes())


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``; one-line :class:`InputError` if unreachable."""
    from distributed import Client

    try:
        return Client(  # type: ignore[no-untyped-call]
            address, timeout=CONNECT_TIMEOUT, set_as_default=False
        )
    except (OSError, TimeoutError, ValueError) as exc:
        found = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(address, "--scheduler", "a reachable Dask scheduler", found) from None


def check_scheduler(address: str) -> None:
    """Raise a one-line :class:`InputError` unless a scheduler answers at ``address``."""
    connect(address).close()


def _collect(future: Any, name: str, temps: _RunTemps) -> Execution:
    from analysis.pipeline.execute import Execution

    result: RemoteResult = future.result()
    temps.executed.write_bytes(result.executed)
    temps.summary.write_bytes(result.summary)
    return Execution(name, result.seconds, result.error)


def run_on_cluster(
    address: str,
    runs: Sequence[ReportRun],
    temps: dict[str, Any],
    cell_timeout: float | None,
    finish: Callable[[ReportRun, Callable[[], Execution]], None],
) -> None:
    """Execute ``runs`` on the cluster; call ``finish`` on the client as each one completes."""
    from distributed import as_completed

    client = connect(address)
    futures: dict[Any, ReportRun] = {}
    try:
        shared = params_files(params_dir())
        checksums = data_checksums()
        for run in runs:
            job = RemoteJob(
                run.name,
                run.notebook,
                run.notebook_path.read_bytes(),
                dict(run.parameters),
                shared,
                checksums,
                cell_timeout,
            )
            futures[client.submit(execute_remote, job, pure=False)] = run
        with client.as_current():  # as_completed finds the client through it
            for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
                run = futures[future]
                finish(run, functools.partial(_collect, future, run.name, temps[run.name]))
    except BaseException:
        # Interrupted: queued runs never start; running ones finish on their workers (Dask
        # cannot stop a running task) and are discarded, since nothing waits for them.
        client.cancel(list(futures))
        raise
    finally:
        client.close()


def cluster_map(address: str) -> Callable[[Callable[..., Any], Iterable[Any]], list[Any]]:
    """A ``map`` that runs each call as a task on the cluster and returns results in order
    (for :func:`analysis.questions.uncertainty.monte_carlo_chunked`)."""

    def map_on_cluster(function: Callable[..., Any], items: Iterable[Any]) -> list[Any]:
        client = connect(address)
        try:
            futures = client.map(function, list(items), pure=False)
            results: list[Any] = client.gather(futures)
            return results
        finally:
            client.close()

    return map_on_cluster
