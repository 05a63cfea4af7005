"""The prefetcher computes what a kernel would, and its failure costs nothing but time."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs import shared
from analysis.inputs.bundle import load_inputs
from analysis.pipeline import prefetch
from analysis.questions import backcast as backcast_module

BOUND = 600.0  # seconds: only so that a broken test fails instead of hanging


def test_only_a_build_with_an_idle_core_that_shares_and_quotes_the_backcast_prefetches(
    tmp_path: Path,
) -> None:
    sharing = {shared.SHARED_ENV: str(tmp_path)}
    assert prefetch.wanted(["timeline", "partner_report"], sharing, 1, 2)
    assert prefetch.wanted(["validation"], sharing, 3, 4)
    assert not prefetch.wanted(["validation"], sharing, 2, 2)  # every core has a worker
    assert not prefetch.wanted(["validation"], sharing, 1, None)  # cores unknown
    assert not prefetch.wanted(["timeline", "autos", "demo"], sharing, 1, 2)
    assert not prefetch.wanted([], sharing, 1, 2)
    for off in ({}, {shared.SHARED_ENV: "off"}, {shared.SHARED_ENV: "relative"}):
        assert not prefetch.wanted(["validation"], off, 1, 2)


def in_fork(env: dict[str, str]) -> int | None:
    """``prefetch_main(env)`` in a forked process (as the builder starts it); its exit code."""
    ctx = multiprocessing.get_context("fork")
    alive_r, alive_w = ctx.Pipe(duplex=False)
    process = ctx.Process(target=prefetch.prefetch_main, args=(env, alive_r))
    process.start()
    process.join(BOUND)
    alive_w.close()
    return process.exitcode


@pytest.fixture
def sharing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setenv(shared.SHARED_ENV, str(folder))
    monkeypatch.delenv(shared.SCOPE_ENV, raising=False)
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setattr(shared, "_REGISTERED", [])
    return folder


def test_a_prefetcher_that_fails_exits_quietly_and_stores_nothing(
    sharing: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    env = dict(os.environ, TARIFF_REPORTS_DATA=str(tmp_path / "missing"))  # no data: it fails
    assert in_fork(env) == 0
    assert not list(sharing.iterdir())
    assert capfd.readouterr().err == ""


@pytest.mark.slow
def test_the_prefetched_backcast_is_what_a_kernel_computes(
    sharing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prefetcher stores every law year of the backcast; a kernel of the build then
    computes none of them, and its backcast is the one it computes without sharing."""
    assert in_fork(dict(os.environ)) == 0
    assert list(sharing.glob("*.pickle"))
    inputs = load_inputs()  # as a kernel of the build: registered, so shared
    computed = backcast_module.law_year

    def refused(*args: object) -> object:
        raise AssertionError("the kernel computed a law year again")

    monkeypatch.setattr(backcast_module, "law_year", refused)
    read_back = backcast_module.backcast(inputs)
    monkeypatch.setattr(backcast_module, "law_year", computed)
    monkeypatch.delenv(shared.SHARED_ENV)  # what this kernel computes on its own
    own = backcast_module.backcast(load_inputs())
    for field in dataclasses.fields(own):
        mine, theirs = getattr(own, field.name), getattr(read_back, field.name)
        if isinstance(mine, pd.DataFrame):
            pd.testing.assert_frame_equal(theirs, mine, check_exact=True)
        else:
            assert theirs == mine
