"""The results cache: keys change with every input, entries are verified before use."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DEMO_RUN, FIXTURE_NOTEBOOKS, write_params

from analysis.pipeline.cache import (
    CACHE_ENV,
    MAX_MB_ENV,
    ResultsCache,
    cache_dir,
    max_bytes,
    run_key,
)
from analysis.pipeline.runs import ReportRun, load_run
from analysis.pipeline.snapshot import InputsSnapshot


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, ReportRun]:
    params = write_params(tmp_path / "params", {"demo": DEMO_RUN})
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(FIXTURE_NOTEBOOKS, notebooks)
    return params, notebooks, load_run(params / "reports" / "demo.yaml", notebooks)


def _key(run: ReportRun, params: Path, data: Path | None = None) -> str:
    source = run.notebook_path.read_bytes()
    return run_key(run, InputsSnapshot.take(params, data).digest, source)


def test_the_key_is_stable_and_changes_with_each_input(
    setup: tuple[Path, Path, ReportRun], tmp_path: Path
) -> None:
    params, notebooks, run = setup
    key = _key(run, params)
    assert key == _key(run, params)  # deterministic
    other_params = replace(run, effective_parameters={**run.effective_parameters, "scale": 3})
    assert _key(other_params, params) != key

    measure = sorted((params / "measures").glob("*.yaml"))[0]
    measure.write_text(measure.read_text() + "\n# edited\n")
    assert _key(run, params) != key
    edited = _key(run, params)

    (notebooks / "demo.py").write_text((notebooks / "demo.py").read_text() + "\n# %%\n1\n")
    assert _key(run, params) != edited

    data = tmp_path / "data"
    data.mkdir()
    (data / "x.csv").write_text("a\n1\n")
    with_data = _key(run, params, data)
    (data / "x.csv").write_text("a\n2\n")
    assert _key(run, params, data) != with_data


def test_a_run_spec_title_is_not_part_of_the_key(setup: tuple[Path, Path, ReportRun]) -> None:
    params, _, run = setup
    before = _key(run, params)
    (params / "reports" / "demo.yaml").write_text(DEMO_RUN.replace("Demo", "Renamed"))
    assert _key(run, params) == before


def test_a_market_file_is_part_of_the_key(setup: tuple[Path, Path, ReportRun]) -> None:
    params, _, run = setup
    market = sorted((params / "markets").glob("*.yaml"))[0]
    key = _key(run, params)
    market.write_text(market.read_text() + "\n# edited\n")
    assert _key(run, params) != key


def _notebook(pad: int = 0) -> bytes:
    return json.dumps({"cells": [], "metadata": {}, "pad": "x" * pad}).encode()


def test_entries_round_trip_and_incomplete_ones_are_misses(tmp_path: Path) -> None:
    cache = ResultsCache(tmp_path / "cache")
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, _notebook(), b"")
    found = cache.get("ab" * 32)
    assert found is not None and found.executed == _notebook() and found.summary == b""
    (tmp_path / "cache" / "ab" / f"{'ab' * 32}.sha256").unlink()  # a writer died before it
    assert cache.get("ab" * 32) is None


@pytest.mark.parametrize(
    ("part", "damage"),
    [
        ("ipynb", b'{"cells": ['),  # truncated
        ("ipynb", b'{"cells": [], "x": 1}'),  # parses, but not what was stored
        ("summary.json", b"{not json"),
        ("sha256", b"garbage"),
    ],
)
def test_a_damaged_entry_is_dropped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str, damage: bytes
) -> None:
    cache = ResultsCache(tmp_path)
    key = "cd" * 32
    cache.put(key, _notebook(), b'{"text": "t", "numbers": {}}')
    (tmp_path / "cd" / f"{key}.{part}").write_bytes(damage)
    assert cache.get(key) is None
    assert "dropped a corrupt cache entry" in capsys.readouterr().err
    assert list((tmp_path / "cd").iterdir()) == []  # the whole entry is gone


def test_pruning_keeps_the_most_recently_used_within_the_cap(tmp_path: Path) -> None:
    one = len(_notebook(3000))
    cache = ResultsCache(tmp_path, max_size=2 * one + 500)
    cache.put("aa" * 32, _notebook(3000), b"")
    cache.put("bb" * 32, _notebook(3000), b"")
    assert cache.get("aa" * 32) is not None  # used: now the most recent
    os.utime(tmp_path / "bb" / f"{'bb' * 32}.sha256", (1.0, 1.0))
    cache.put("cc" * 32, _notebook(3000), b"")  # over the cap: the least recent goes
    assert cache.get("bb" * 32) is None
    assert cache.get("aa" * 32) is not None and cache.get("cc" * 32) is not None


def test_the_cache_folder_and_cap_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "tariff-reports"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "tariff-reports"
    monkeypatch.setenv(MAX_MB_ENV, "2")
    assert max_bytes() == 2 * 1024 * 1024
    monkeypatch.setenv(MAX_MB_ENV, "lots")
    assert max_bytes() == 500 * 1024 * 1024


def test_drawn_svgs_share_the_cap_least_recently_used_first(tmp_path: Path) -> None:
    one = len(_notebook(3000))
    cache = ResultsCache(tmp_path, max_size=one + 1500)
    (tmp_path / "svg").mkdir()
    old, new = tmp_path / "svg" / "old.svg", tmp_path / "svg" / "new.svg"
    old.write_bytes(b"x" * 1000)
    new.write_bytes(b"y" * 1000)
    os.utime(old, (1.0, 1.0))
    cache.put("aa" * 32, _notebook(3000), b"")  # one entry and one SVG fit, not two
    assert not old.exists() and new.exists()
    assert cache.get("aa" * 32) is not None
