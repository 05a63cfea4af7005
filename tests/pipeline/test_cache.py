"""The results cache: keys change with every input, entries are complete or absent."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEMO_RUN, FIXTURE_NOTEBOOKS, write_params

from analysis.pipeline.cache import (
    CACHE_ENV,
    ResultsCache,
    cache_dir,
    environment_digest,
    run_key,
)
from analysis.pipeline.runs import ReportRun, load_run


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, ReportRun]:
    params = write_params(tmp_path / "params", {"demo": DEMO_RUN})
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(FIXTURE_NOTEBOOKS, notebooks)
    return params, notebooks, load_run(params / "reports" / "demo.yaml", notebooks)


def test_the_key_is_stable_and_changes_with_each_input(
    setup: tuple[Path, Path, ReportRun], tmp_path: Path
) -> None:
    params, notebooks, run = setup
    key = run_key(run, environment_digest(params))
    assert key == run_key(run, environment_digest(params))  # deterministic
    other_params = replace(run, effective_parameters={**run.effective_parameters, "scale": 3})
    assert run_key(other_params, environment_digest(params)) != key

    measure = sorted((params / "measures").glob("*.yaml"))[0]
    measure.write_text(measure.read_text() + "\n# edited\n")
    assert run_key(run, environment_digest(params)) != key
    edited = run_key(run, environment_digest(params))

    (notebooks / "demo.py").write_text((notebooks / "demo.py").read_text() + "\n# %%\n1\n")
    assert run_key(run, environment_digest(params)) != edited

    data = tmp_path / "data"
    data.mkdir()
    (data / "x.csv").write_text("a\n1\n")
    with_data = environment_digest(params, data)
    (data / "x.csv").write_text("a\n2\n")
    assert environment_digest(params, data) != with_data


def test_a_run_spec_title_is_not_part_of_the_key(setup: tuple[Path, Path, ReportRun]) -> None:
    params, _, _run = setup
    before = environment_digest(params)
    (params / "reports" / "demo.yaml").write_text(DEMO_RUN.replace("Demo", "Renamed"))
    assert environment_digest(params) == before


def test_a_file_named_by_a_parameter_is_part_of_the_key(
    setup: tuple[Path, Path, ReportRun], tmp_path: Path
) -> None:
    params, _, run = setup
    market = tmp_path / "market.yaml"
    market.write_text("a: 1\n")
    named = replace(run, effective_parameters={**run.effective_parameters, "f": str(market)})
    key = run_key(named, environment_digest(params))
    market.write_text("a: 2\n")
    assert run_key(named, environment_digest(params)) != key


def test_entries_round_trip_and_incomplete_ones_are_misses(tmp_path: Path) -> None:
    cache = ResultsCache(tmp_path / "cache")
    assert cache.get("ab" * 32) is None
    executed, summary = tmp_path / "e.ipynb", tmp_path / "s.json"
    executed.write_text("{}")
    summary.write_text("")
    entry = cache.put("ab" * 32, executed, summary)
    found = cache.get("ab" * 32)
    assert found == entry and found.executed.read_text() == "{}"
    entry.summary.unlink()  # as if a writer died between the two files
    assert cache.get("ab" * 32) is None


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "tariff-reports"
