"""One process per report: results come back, and a dead worker is named by its signal."""

from __future__ import annotations

import functools
import multiprocessing
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_NOTEBOOKS

from analysis.pipeline.environment import kernel_env
from analysis.pipeline.jobs import Execution, Job
from analysis.pipeline.runs import load_run
from analysis.pipeline.workers import _death, run_in_processes


def test_a_process_killed_by_a_signal_is_named_by_it() -> None:
    ctx = multiprocessing.get_context("forkserver")
    process = ctx.Process(target=functools.partial(signal.raise_signal, signal.SIGKILL))
    process.start()
    process.join()
    assert _death(process) == "worker process died: SIGKILL"


@pytest.mark.slow
def test_every_job_is_finished_once_with_its_own_outcome(
    build_params: Path, tmp_path: Path
) -> None:
    jobs = []
    for name in ("demo", "broken", "fixed"):
        run = load_run(build_params / "reports" / f"{name}.yaml", FIXTURE_NOTEBOOKS)
        executed, summary = tmp_path / f"{name}.ipynb", tmp_path / f"{name}.json"
        source = run.notebook_path.read_bytes()
        jobs.append(Job(run, source, executed, summary, kernel_env(), 600.0))
    seen: dict[str, Execution] = {}

    def finish(job: Job, outcome: Callable[[], Execution]) -> None:
        assert job.run.name not in seen
        seen[job.run.name] = outcome()

    run_in_processes(jobs, 2, finish)
    assert sorted(seen) == ["broken", "demo", "fixed"]
    assert seen["demo"].error is None and seen["fixed"].error is None
    assert "fixture failure: boom" in (seen["broken"].error or "")


@pytest.mark.slow
def test_the_next_report_starts_before_the_ended_one_is_finished(
    build_params: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report's worker starts as soon as another ends, before the builder finishes the
    ended one (draws its SVGs, renders and publishes it): with one worker at a time, the
    second report has started when the first is finished."""
    from analysis.pipeline import forkserver

    process_class = forkserver.context().Process
    started: list[str] = []
    own_start = process_class.start

    def counted_start(self: multiprocessing.process.BaseProcess) -> None:
        started.append(self.name)
        own_start(self)

    monkeypatch.setattr(process_class, "start", counted_start)
    jobs = []
    for name in ("demo", "fixed"):
        run = load_run(build_params / "reports" / f"{name}.yaml", FIXTURE_NOTEBOOKS)
        executed, summary = tmp_path / f"{name}.ipynb", tmp_path / f"{name}.json"
        source = run.notebook_path.read_bytes()
        jobs.append(Job(run, source, executed, summary, kernel_env(), 600.0))
    started_when_finished: list[int] = []

    def finish(job: Job, outcome: Callable[[], Execution]) -> None:
        started_when_finished.append(len(started))
        assert outcome().error is None

    run_in_processes(jobs, 1, finish)
    assert started_when_finished == [2, 2]
