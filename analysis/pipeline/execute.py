"""Worker side of a build: run one report notebook with papermill into a temporary file.

This module runs in pool worker processes (and is preloaded by their fork server, hence the
top-level heavy imports). It never writes a final file: the parent publishes or discards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
import uuid
from types import FrameType
from typing import Any

import jupytext
import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillExecutionError
from traitlets import default

from analysis.pipeline import kernel_steps, lazy_imports, warm_kernel
from analysis.pipeline.jobs import Execution, Job
from analysis.pipeline.ready_client import ReadyKernelClient
from analysis.pipeline.warm_kernel import ForkedProvisioner
from analysis.report.summary import SUMMARY_ENV

lazy_imports.install()  # this worker's nbformat validation never needs rfc3987_syntax

KERNEL_NAME = "python3"
# Loaded by every kernel before the first cell: defers rfc3987_syntax (~1 s per kernel).
KERNEL_EXTENSION_ARG = f"--InteractiveShellApp.extra_extensions={lazy_imports.__name__}"
# ... and shares the line engine's day-free steps for the whole report (``kernel_steps``).
KERNEL_STEPS_ARG = f"--InteractiveShellApp.extra_extensions={kernel_steps.__name__}"
SHUTDOWN_POLL_S = 0.01  # how often a worker looks whether its kernel has exited
LANGUAGE = "python"  # papermill needs it to inject parameters if a notebook has no kernelspec


# Kernels this worker has started and not yet shut down (each leads its own session, so its
# process id is also its process group id).
_KERNEL_PIDS: set[int] = set()
# True while this worker runs a report: only then does a signal interrupt it.
_RUNNING: list[bool] = [False]


class IPCKernelManager(AsyncKernelManager):
    """Kernels over local IPC sockets: no "running over TCP without encryption" warning, no ports.

    Async, like nbclient's default: with a blocking manager nbclient ignores cell timeouts.
    Started kernels are recorded so that a signalled worker can stop them (:func:`_on_signal`).
    In a build worker the kernel is the spare forked ahead (``warm_kernel``), already warm,
    and its client (``ready_client``) runs the first cell as soon as the kernel answers.
    """

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        spare = warm_kernel.take() if self.provisioner is None else None
        if spare is not None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            provisioner = ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            provisioner.spare = spare
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)

    async def _async_post_start_kernel(self, **kw: object) -> None:
        await super()._async_post_start_kernel(**kw)
        pid = getattr(self.provisioner, "pid", None)
        if isinstance(pid, int):
            _KERNEL_PIDS.add(pid)

    async def _async_finish_shutdown(
        self, waittime: float | None = None, pollinterval: float = 0.1, restart: bool = False
    ) -> None:
        """As jupyter_client's, looking every 10 ms, not 100 ms, for the kernel to have exited:
        a report's kernel exits ~0.1 s after its shutdown request, and the worker that waits
        holds the report's place in the build (~0.05 s a report, by half a poll on average)."""
        await super()._async_finish_shutdown(waittime, min(pollinterval, SHUTDOWN_POLL_S), restart)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        pid = getattr(self.provisioner, "pid", None)
        await super()._async_cleanup_resources(restart=restart)
        _KERNEL_PIDS.discard(pid)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        extra = [*(extra_arguments or []), KERNEL_STEPS_ARG, KERNEL_EXTENSION_ARG]
        return super().format_kernel_cmd(extra)

    @default("client_factory")
    def _client_factory_default(self) -> type[ReadyKernelClient]:
        return ReadyKernelClient

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        # Absolute and unique: the kernel runs in the notebooks folder, and two builds may run
        # at once. The socket files are removed when nbclient shuts the kernel down.
        return os.path.join(tempfile.gettempdir(), f"tariff-kernel-{uuid.uuid4().hex[:16]}")


class _WriteOnceManager(NotebookExecutionManager):  # type: ignore[misc]  # untyped library
    """papermill's execution record, written once, when the notebook completes (or fails or is
    interrupted: papermill completes it in a ``finally``), not before and after every cell:
    ~75 writes of a growing notebook, each validated, cost a worker ~0.7 s of CPU per report.
    The notebook written is the same: the writes before the last only show progress.

    With ``left_to_caller`` it is not written at all: :class:`WriteOnceEngine` sets it when
    the run raised nothing, as ``papermill.execute_notebook`` then writes the same notebook
    itself (after adding its error marker if a cell failed)."""

    _complete = False
    left_to_caller = False

    def save(self, **kwargs: Any) -> None:
        if self._complete and not self.left_to_caller:
            super().save(**kwargs)
        else:
            self.last_save_time = self.now()

    def notebook_complete(self, **kwargs: Any) -> None:
        self._complete = True
        super().notebook_complete(**kwargs)


class WriteOnceEngine(NBClientEngine):  # type: ignore[misc]  # untyped library
    """papermill's nbclient engine, with :class:`_WriteOnceManager` (its ``execute_notebook``,
    with that one class changed), for ``papermill.execute_notebook`` only.

    papermill's own engine writes the executed notebook as it completes, and
    ``papermill.execute_notebook`` writes it again as soon as the engine returns: the same
    bytes twice (each a JSON dump and a validation of the whole notebook, ~0.1 s of a
    worker's CPU). Here the engine writes it only when the run raises (a timeout, a dead
    kernel, an interrupt: papermill then writes nothing), so the file is written once, with
    the bytes papermill's last write gives it."""

    @classmethod
    def execute_notebook(
        cls,
        nb: Any,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: Any,
    ) -> Any:
        nb_man = _WriteOnceManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        except BaseException:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()  # written: papermill writes nothing after a raise
            raise
        nb_man.cleanup_pbar()
        nb_man.left_to_caller = True  # papermill writes it next
        nb_man.notebook_complete()
        return nb_man.nb


ENGINE_NAME = "tariff-reports-write-once"
papermill_engines.register(ENGINE_NAME, WriteOnceEngine)


def fork_spare_kernel(inherited: tuple[Any, ...] = ()) -> None:
    """Fork this worker's kernel ahead (before any thread starts): the next kernel start uses
    it. Recorded at once, so that a signal or the builder's death stops it even unused."""
    if not hasattr(os, "fork"):  # Windows: kernels start cold
        return
    spare = warm_kernel.fork_spare(inherited)
    _KERNEL_PIDS.add(spare.pid)
    warm_kernel.offer(spare)


def stop_kernels() -> None:
    """Kill the kernels this worker started (their whole process groups)."""
    for pid in list(_KERNEL_PIDS):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        _KERNEL_PIDS.discard(pid)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGINT: stop this worker's kernels; interrupt the report it is running."""
    stop_kernels()
    if _RUNNING[0]:
        raise KeyboardInterrupt(f"signal {signum}")


def _stop_on_signals() -> None:
    """SIGTERM (from the builder) stops the run; SIGINT is the builder's alone to act on (a
    terminal's Ctrl-C reaches every process of the job, and one line is all it should print)."""
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
    if job.handle_signals:
        _stop_on_signals()
    # Each worker runs one report at a time, so setting its environment here is private to this
    # run; the kernel inherits it (that is how record_summary finds SUMMARY_ENV).
    os.environ.clear()
    os.environ.update(job.env)
    os.environ[SUMMARY_ENV] = str(job.summary_tmp)
    started = time.perf_counter()
    error: str | None = None
    _RUNNING[0] = True
    try:
        # nbclient creates the kernel manager, and shuts the kernel down even on interrupt.
        papermill.execute_notebook(
            jupytext.reads(job.notebook_source.decode("utf-8"), fmt="py:percent"),
            str(job.executed_tmp),
            parameters=dict(job.run.parameters),
            kernel_name=KERNEL_NAME,
            language=LANGUAGE,
            cwd=str(job.run.notebook_path.parent),
            progress_bar=False,
            execution_timeout=job.cell_timeout,
            kernel_manager_class=IPCKernelManager,
            engine_name=ENGINE_NAME,
        )
    except Exception as exc:
        error = _describe(exc)
    finally:
        _RUNNING[0] = False
        stop_kernels()  # normally none is left; after an interrupt nbclient may not have waited
    seconds = time.perf_counter() - started
    peak = max(warm_kernel.PEAK_RSS_KB, default=None)
    cpu = sum(warm_kernel.CPU_SECONDS) if warm_kernel.CPU_SECONDS else None
    return Execution(
        job.run.name,
        seconds,
        error,
        None if peak is None else round(peak / 1024, 1),
        None if cpu is None else round(cpu, 2),
    )


def compile_notebook_validator() -> None:
    """Compile nbformat's schema validator in this process.

    papermill validates each cell it adds (``nbformat.v4.new_code_cell``), and the validator is
    compiled (fastjsonschema, ~0.07 s of CPU) once per process: once per report, in each
    worker. The fork server imports this module (``forkserver.PRELOAD``), so compiling it here
    gives every worker the compiled one."""
    nbformat.v4.new_code_cell("")  # type: ignore[no-untyped-call]


compile_notebook_validator()
