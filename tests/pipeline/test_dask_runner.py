"""Report runs and Monte Carlo chunks on a Dask cluster (a LocalCluster of one worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE_NOTEBOOKS

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.pipeline.build import RunResult, build_reports
from analysis.pipeline.dask_runner import (
    RemoteJob,
    check_scheduler,
    cluster_map,
    execute_remote,
    params_files,
)
from analysis.pipeline.runs import load_run


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_a_build_on_the_cluster_publishes_like_a_local_one(
    build_params: Path, tmp_path: Path, scheduler: str
) -> None:
    runs = [
        load_run(build_params / "reports" / f"{name}.yaml", FIXTURE_NOTEBOOKS)
        for name in ("demo", "broken")
    ]
    seen: list[RunResult] = []
    demo, broken = build_reports(runs, tmp_path / "dask", progress=seen.append, scheduler=scheduler)
    assert (demo.status, broken.status) == ("ok", "failed")
    assert "fixture failure: boom" in (broken.error or "")
    assert sorted(r.run.name for r in seen) == ["broken", "demo"]
    assert (tmp_path / "dask" / "broken.failed.ipynb").exists()
    [local] = build_reports(runs[:1], tmp_path / "local", jobs=1)
    assert local.status == "ok"
    html = (tmp_path / "dask" / "demo.html").read_bytes()
    assert html == (tmp_path / "local" / "demo.html").read_bytes()
    assert sorted(p.name for p in (tmp_path / "dask").iterdir() if p.name.startswith(".")) == []


def test_a_worker_with_other_data_fails_the_run(build_params: Path) -> None:
    job = RemoteJob(
        "demo",
        "demo",
        (FIXTURE_NOTEBOOKS / "demo.py").read_bytes(),
        {},
        params_files(build_params),
        {"imports.csv": "0" * 64},
        None,
    )
    result = execute_remote(job)
    assert result.error is not None and "worker data differ" in result.error
    assert result.executed == b""


def test_params_files_leave_out_the_run_specs(build_params: Path) -> None:
    files = params_files(build_params)
    assert "elasticities.yaml" in files and not any(k.startswith("reports/") for k in files)


def test_an_unreachable_scheduler_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--scheduler: expected a reachable Dask scheduler"):
        check_scheduler("tcp://127.0.0.1:9")


def test_cluster_map_returns_results_in_order(scheduler: str) -> None:
    assert cluster_map(scheduler)(abs, [-3, 2, -1]) == [3, 2, 1]


def test_monte_carlo_chunks_on_the_cluster_give_the_draws_of_one_call_here(
    scheduler: str, inputs: Inputs
) -> None:
    """A real LocalCluster worker solves the chunks: the same seed gives the same draws, and so
    the same percentiles, as one call in this process."""
    from analysis.questions.simulate import simulate
    from analysis.questions.uncertainty import monte_carlo, monte_carlo_chunked

    result = simulate(inputs, "deal_15")
    here = monte_carlo(result, n_draws=450, seed=9)
    there = monte_carlo_chunked(
        result, n_draws=450, seed=9, chunk_draws=200, map_chunks=cluster_map(scheduler)
    )
    assert there.draws.equals(here.draws)
    assert there.percentiles().equals(here.percentiles())


@pytest.mark.parametrize("glibc", [True, False])
def test_a_cluster_call_returns_its_result_with_or_without_glibc(
    glibc: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import dask_runner

    if not glibc:
        monkeypatch.setattr(dask_runner, "_glibc", lambda: None)
    assert dask_runner._call(sum, [1.0, 2.0]) == 3.0
