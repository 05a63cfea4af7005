"""Warm kernels: forked from a pre-imported process, one fresh process per report, no leaks."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import nbformat
from conftest import FIXTURE_NOTEBOOKS

from analysis.pipeline.build import build_reports
from analysis.pipeline.layout import META_KEY
from analysis.pipeline.runs import ReportRun, load_run
from analysis.pipeline.warm_kernel import ForkedProcess, SpareKernel, _is_this_launcher, fork_spare


def _leaky_run(params: Path, name: str) -> ReportRun:
    spec = params / "reports" / f"{name}.yaml"
    spec.write_text(f"title: {name}\nnotebook: leaky\nparameters:\n  tag: {name}\n")
    return load_run(spec, FIXTURE_NOTEBOOKS)


def _numbers(out: Path, name: str) -> dict[str, float]:
    meta = nbformat.read(out / f"{name}.ipynb", as_version=4).metadata[META_KEY]
    return dict(meta["summary"]["numbers"])


def test_no_state_leaks_from_one_report_to_the_next(build_params: Path, tmp_path: Path) -> None:
    runs = [_leaky_run(build_params, name) for name in ("first", "second", "third")]
    # One worker: the three kernels come one after the other from the same fork server.
    results = build_reports(runs, tmp_path / "a", jobs=1)
    assert [r.status for r in results] == ["ok"] * 3, [r.error for r in results]
    # A second build in this process reuses the fork server: still nothing leaks.
    [again] = build_reports(runs[:1], tmp_path / "b", jobs=1)
    assert again.status == "ok", again.error
    numbers = [_numbers(tmp_path / "a", r.run.name) for r in results]
    numbers.append(_numbers(tmp_path / "b", "first"))
    for seen in numbers:
        assert seen["warm_start"] == 1  # the kernel had Altair imported before its first cell
        assert {k: v for k, v in seen.items() if k.startswith("seen_")} == {
            "seen_environment": 0,
            "seen_module_global": 0,
            "seen_pandas_option": 0,
            "seen_sys_modules": 0,
        }
    # One fresh kernel process per report, none of them this process.
    pids = {seen["kernel_pid"] for seen in numbers}
    assert len(pids) == len(numbers) and os.getpid() not in pids


def test_an_unused_spare_exits_when_its_pipe_closes() -> None:
    spare = fork_spare()
    spare.discard()
    assert ForkedProcess(spare.pid).wait(timeout=None) == 0


def test_a_spare_stopped_by_a_signal_reports_it() -> None:
    spare: SpareKernel = fork_spare()
    process = ForkedProcess(spare.pid)
    assert process.poll() is None  # waiting for its launch
    process.kill()
    assert process.wait() == -signal.SIGKILL
    spare.discard()


def test_only_this_interpreter_running_the_launcher_is_forked() -> None:
    assert _is_this_launcher([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"])
    assert not _is_this_launcher(["/bin/sh", "-m", "ipykernel_launcher", "-f", "c.json"])
    assert not _is_this_launcher([sys.executable, "-m", "other_kernel", "-f", "c.json"])
    assert not _is_this_launcher([sys.executable])


def test_no_interrupt_reaches_a_kernel_the_manager_is_shutting_down() -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from jupyter_client.manager import KernelManager

    from analysis.pipeline.warm_kernel import ForkedProvisioner

    class Recording:  # the Popen-like process: what the provisioner sends it
        def __init__(self) -> None:
            self.sent: list[int] = []

        def send_signal(self, signum: int) -> None:
            self.sent.append(signum)

    def send(signum: int) -> None:  # in a thread of its own: another test may leave a loop
        with ThreadPoolExecutor(1) as pool:  # running in this one (asyncio.run would refuse)
            pool.submit(asyncio.run, provisioner.send_signal(signum)).result()

    manager = KernelManager()
    provisioner = ForkedProvisioner(parent=manager)
    process = Recording()
    provisioner.process = process  # type: ignore[assignment]
    provisioner.pgid = None  # type: ignore[assignment]  # to the process, not its group
    manager.shutting_down = True  # jupyter_client's interrupt before its shutdown request
    send(signal.SIGINT)
    assert process.sent == []
    send(signal.SIGTERM)  # other signals still go
    manager.shutting_down = False  # a running kernel (a cell's timeout) is interrupted
    send(signal.SIGINT)
    assert process.sent == [signal.SIGTERM, signal.SIGINT]


def test_the_control_thread_has_ended_when_ipykernel_closes_iopub(
    build_params: Path, tmp_path: Path
) -> None:
    """ipykernel's exit handler stops the IOPub thread, then joins the control thread; a control
    thread still flushing after the shutdown reply then waits on the stopped IOPub thread, and
    the worker kills the kernel 2.5 s later (seen in 2-4 of a build's 22 kernels). A forked
    kernel stops its control thread first: when ipykernel's handler runs, the control thread
    has ended and the IOPub thread still runs."""
    probe = tmp_path / "threads.txt"
    spec = build_params / "reports" / "exit_probe.yaml"
    spec.write_text(f"title: exit probe\nnotebook: exit_probe\nparameters:\n  probe: {probe}\n")
    [result] = build_reports([load_run(spec, FIXTURE_NOTEBOOKS)], tmp_path / "out", jobs=1)
    assert result.status == "ok", result.error
    control_alive, iopub_alive, kernel_pid = probe.read_text().split()
    assert (control_alive, iopub_alive) == ("False", "True")
    assert int(kernel_pid) != os.getpid()
