"""One worker process per report, forked from a warm fork server, at most N at a time.

Each worker forks its report's kernel from itself before anything else (``warm_kernel``): the
fork server has imported what the kernels import, so the kernel starts warm, and it is still a
fresh process per report.

Why not a ``ProcessPoolExecutor``: when one of its workers dies, the pool breaks and every
report of the build fails, including those on the surviving workers. Here each report runs in
a process of its own, so a worker that dies (killed, out of memory) fails its own report only,
and the next report simply starts in a fresh process.

Faults and signals:

* a worker sends its :class:`~analysis.pipeline.jobs.Execution` back through a pipe; a worker
  that exits without sending one failed its report ("worker process died: SIGKILL");
* each worker watches a pipe whose only writer is the builder: when the builder dies (even by
  SIGKILL) the pipe ends, and the worker kills its kernel and exits at once;
* workers ignore SIGINT (the builder alone decides, and stops them with SIGTERM, on which a
  worker kills its kernel and exits without a traceback); the fork server is started with
  SIGINT ignored, so a Ctrl-C during its warm-up imports prints nothing. The fork server exits
  by itself when the builder does (the standard library watches the builder for it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from analysis.pipeline import forkserver
from analysis.pipeline.jobs import Execution, Job


def _exit_when_builder_dies(alive: Connection) -> None:
    """Block until the builder's end of ``alive`` closes; then stop the kernel and exit."""
    from analysis.pipeline.execute import stop_kernels

    with contextlib.suppress(EOFError, OSError):
        while True:
            alive.recv()
    stop_kernels()
    os._exit(1)


def worker_main(job: Job, result: Connection, alive: Connection) -> None:
    """A worker process: run one report, send its Execution, exit (never a traceback)."""
    from analysis.pipeline.execute import execute, fork_spare_kernel, stop_kernels  # preloaded

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # First, while this process has no thread: the report's kernel, a warm copy of this one.
    fork_spare_kernel((result, alive))
    threading.Thread(target=_exit_when_builder_dies, args=(alive,), daemon=True).start()
    try:
        outcome = execute(job)
        result.send(outcome)
    except BaseException:  # SIGTERM from the builder: the kernel is already stopped
        stop_kernels()
        os._exit(143)


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"worker process died: {signal.Signals(-code).name}"
    return f"worker process died (exit code {code})"


class _Running:
    def __init__(self, name: str, process: BaseProcess, result: Connection) -> None:
        self.name, self.process, self.result = name, process, result

    def outcome(self) -> Callable[[], Execution]:
        """The worker's Execution, or a failed one if it died without sending it."""
        sent: Execution | None = None
        with contextlib.suppress(EOFError, OSError):
            if self.result.poll():
                sent = self.result.recv()
        self.process.join()
        self.result.close()
        execution = sent or Execution(self.name, 0.0, _death(self.process))
        return lambda: execution


def _start_prefetch(ctx: Any, env: Mapping[str, str], alive: Connection) -> BaseProcess | None:
    """The build's prefetching process (``pipeline.prefetch``), forked from the fork server
    after the first workers (their kernels start first), or None (it could not start: only time
    is lost)."""
    from analysis.pipeline.prefetch import prefetch_main

    with contextlib.suppress(Exception):
        process: BaseProcess = ctx.Process(target=prefetch_main, args=(env, alive))
        process.start()
        return process
    return None


def _stop(process: BaseProcess | None) -> None:
    if process is not None:
        with contextlib.suppress(OSError, ValueError):
            process.kill()  # what it has not stored, a kernel computed
        process.join()


def run_in_processes(
    jobs: Sequence[Job],
    workers: int,
    finish: Callable[[Job, Callable[[], Execution]], None],
    before_wait: Callable[[], None] | None = None,
    prefetch_env: Mapping[str, str] | None = None,
) -> None:
    """Run each job in a process of its own, ``workers`` at a time; ``finish`` each as it ends.

    ``before_wait`` runs once, after the first workers have started (cached runs are
    published then, while the kernels start). With ``prefetch_env`` (the kernels'
    environment), one more process computes what most reports share (``pipeline.prefetch``)
    from then until it is done or the last report ends. On any exception (an interrupt
    included) every running worker gets SIGTERM and is waited for, then the exception
    propagates.
    """
    ctx = forkserver.context()
    alive_r, alive_w = ctx.Pipe(duplex=False)
    queue = list(reversed(jobs))
    running: dict[Any, tuple[Job, _Running]] = {}
    prefetcher: BaseProcess | None = None

    def start_workers() -> None:
        while queue and len(running) < workers:
            job = queue.pop()
            result_r, result_w = ctx.Pipe(duplex=False)
            process = ctx.Process(target=worker_main, args=(job, result_w, alive_r))
            process.start()
            result_w.close()
            running[process.sentinel] = (job, _Running(job.run.name, process, result_r))

    try:
        start_workers()
        if not running:  # nothing to run: no prefetcher either
            return
        if prefetch_env is not None:
            prefetcher = _start_prefetch(ctx, prefetch_env, alive_r)
        if before_wait is not None:
            before_wait()
        while running:
            ended = [running.pop(ready) for ready in wait(list(running))]
            # The next reports start before the ended ones are finished (their SVGs drawn,
            # rendered, published): a core does not idle while the builder publishes.
            start_workers()
            for job, worker in ended:
                finish(job, worker.outcome())
    except BaseException:
        for _, worker in running.values():
            with contextlib.suppress(OSError, ValueError):
                worker.process.terminate()
        for _, worker in running.values():
            worker.process.join()
        raise
    finally:
        _stop(prefetcher)
        alive_w.close()
        alive_r.close()
