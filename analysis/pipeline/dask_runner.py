"""Report runs (and Monte Carlo chunks) on an existing Dask distributed cluster.

The client (``tariff-reports build --scheduler ADDRESS``) validates every run first, exactly as
a local build does. Each run then becomes one task: the task carries the notebook's source, the
run's parameters and the build's snapshot of the params folder (measures, scenarios,
elasticities, markets: a few hundred kB; the very bytes the cache key was computed from), and
returns the executed notebook and its summary as bytes. The
shipped data travel with the installed package on every worker; a task first checks that the
worker's data have the client's checksums, so a worker with other data fails that run instead of
publishing a report computed from them. Rendering, stamping and publishing (atomic ``os.replace``)
stay on the client. A task that fails, or a worker that dies, fails only its own run.

Workers need the project installed (``pip install .`` of the same version). A worker process
runs one report at a time (a lock), since the kernel inherits the process environment.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from analysis.inputs.datasets import data_checksums
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PARAMS_ENV
from analysis.pipeline.runs import ReportRun
from analysis.pipeline.snapshot import InputsSnapshot, write_tree
from analysis.report.charts import DEFERRED_SVG_ENV

if TYPE_CHECKING:
    from analysis.pipeline.jobs import Execution

CONNECT_SECONDS = 10
CONNECT_TIMEOUT = f"{CONNECT_SECONDS}s"
_ONE_RUN_AT_A_TIME = threading.Lock()


class _RunTemps(Protocol):
    executed: Path
    summary: Path


class _Build(Protocol):
    """What the runner needs of the builder's build (``analysis.pipeline.build._Build``)."""

    @property
    def temps(self) -> Mapping[str, _RunTemps]: ...
    @property
    def sources(self) -> Mapping[str, bytes]: ...
    @property
    def snapshot(self) -> InputsSnapshot: ...


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
    return dict(InputsSnapshot.take(folder).params)


def execute_remote(job: RemoteJob) -> RemoteResult:
    """Worker side: execute one report run in a private folder; return its files as bytes."""
    from analysis.pipeline.environment import kernel_env
    from analysis.pipeline.execute import execute
    from analysis.pipeline.jobs import Job

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
        write_tree(job.params_files, root / "params")
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
            # The charts' SVG are drawn by the builder (``pipeline.svg``).
            env = kernel_env() | {PARAMS_ENV: str(root / "params"), DEFERRED_SVG_ENV: "1"}
            job_ = Job(run, job.notebook_source, executed, summary, env, job.cell_timeout, False)
            outcome = execute(job_)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        produced = executed.read_bytes() if executed.is_file() else b""
        return RemoteResult(outcome.seconds, outcome.error, produced, summary.read_bytes())


# Schemes of a scheduler a client on another host can reach (distributed's comm backends).
_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_EXPECTED = "a Dask scheduler address like tcp://host:8786"


def _host_port(address: str) -> tuple[str, int]:
    """The host and port of ``address`` (default scheme tcp); else a one-line InputError."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None  # not a number, or out of range
    if parts.scheme not in _SCHEMES or not parts.hostname or port is None:
        raise InputError(address, "--scheduler", _EXPECTED, address)
    return parts.hostname, port


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``; one-line :class:`InputError` if unreachable.

    The address is checked, and its port tried, before a ``Client`` exists: a client that
    fails half-way through its start raises again from its finalizer 20 s later.
    """
    from distributed import Client

    host, port = _host_port(address)
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
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
    from analysis.pipeline.jobs import Execution

    result: RemoteResult = future.result()
    temps.executed.write_bytes(result.executed)
    temps.summary.write_bytes(result.summary)
    return Execution(name, result.seconds, result.error)


def run_on_cluster(
    address: str,
    runs: Sequence[ReportRun],
    build: _Build,
    cell_timeout: float | None,
    finish: Callable[[ReportRun, Callable[[], Execution]], None],
) -> None:
    """Execute ``runs`` on the cluster; call ``finish`` on the client as each one completes."""
    from distributed import as_completed

    client = connect(address)
    futures: dict[Any, ReportRun] = {}
    try:
        shared = dict(build.snapshot.params)
        checksums = data_checksums()
        for run in runs:
            job = RemoteJob(
                run.name,
                run.notebook,
                build.sources[run.name],
                dict(run.parameters),
                shared,
                checksums,
                cell_timeout,
            )
            futures[client.submit(execute_remote, job, pure=False)] = run
        with client.as_current():  # as_completed finds the client through it
            for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
                run = futures[future]
                finish(run, functools.partial(_collect, future, run.name, build.temps[run.name]))
    except BaseException:
        # Interrupted: queued runs never start; running ones finish on their workers (Dask
        # cannot stop a running task) and are discarded, since nothing waits for them.
        client.cancel(list(futures))
        raise
    finally:
        client.close()


# glibc's mallopt parameters (malloc.h) and its defaults.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_DEFAULT_THRESHOLD = 128 * 1024
_KEEP_BYTES = 32 * 1024 * 1024  # the largest mmap threshold glibc accepts on 64-bit


@contextlib.contextmanager
def _freed_blocks_reused() -> Iterator[None]:
    """While a task runs, let glibc reuse freed megabyte-sized blocks instead of returning
    them to the system; afterwards hand the memory back.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_`` set low, which also fixes
    glibc's mmap threshold at 128 kB: every array above that (a Monte Carlo block's 45 x 9
    arrays are 3 MB) is then a fresh ``mmap`` whose pages are faulted in and zeroed again, which
    made a chunk's solve take 1.6x its CPU time in a plain process. Elsewhere than glibc this
    does nothing.
    """
    libc = _glibc()
    if libc is None:
        yield
        return
    trim = int(os.environ.get("MALLOC_TRIM_THRESHOLD_", _DEFAULT_THRESHOLD))
    libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES)
    libc.mallopt(_M_TRIM_THRESHOLD, 16 * _KEEP_BYTES)
    try:
        yield
    finally:
        libc.mallopt(_M_TRIM_THRESHOLD, trim)
        libc.mallopt(_M_MMAP_THRESHOLD, _DEFAULT_THRESHOLD)
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> Any:
    """The C library if it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    import ctypes
    import platform

    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def _call(function: Callable[[Any], Any], item: Any) -> Any:
    with _freed_blocks_reused():
        return function(item)


def cluster_map(address: str) -> Callable[[Callable[..., Any], Iterable[Any]], list[Any]]:
    """A ``map`` that runs each call as a task on the cluster and returns results in order
    (for :func:`analysis.questions.uncertainty.monte_carlo_chunked`)."""

    def map_on_cluster(function: Callable[..., Any], items: Iterable[Any]) -> list[Any]:
        client = connect(address)
        try:
            calls = list(items)
            # The function (a partial holding a whole simulation result) goes to each worker
            # once, not with every task.
            shared = client.scatter(function, broadcast=True, hash=False)
            futures = client.map(_call, [shared] * len(calls), calls, pure=False)
            results: list[Any] = client.gather(futures)
            return results
        finally:
            client.close()

    return map_on_cluster
