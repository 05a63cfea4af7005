"""A build's shared results: computed once, read back by the build's other kernels, and only
for the very objects of a registered load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.inputs import shared


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setattr(shared, "_REGISTERED", [])
    return tmp_path


def counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return calls, compute


def test_a_value_is_computed_once_and_read_back_by_another_process(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = {"rate": np.array([0.1, 0.25]), "day": "2025-08-07"}
    calls, compute = counting(value)
    assert shared.remember("k", compute) is value  # the computing caller gets its own object
    monkeypatch.setattr(shared, "_MEMORY", {})  # as another kernel of the build
    again = shared.remember("k", compute)
    assert calls == [1] and len(list(folder.glob("*.pickle"))) == 1
    assert again is not value and again["day"] == "2025-08-07"
    assert np.array_equal(again["rate"], value["rate"])


def test_each_caller_gets_a_copy_of_its_own(folder: Path) -> None:
    shared.remember("k", lambda: [1, 2])
    first = shared.remember("k", lambda: [9])
    first.append(3)
    assert shared.remember("k", lambda: [9]) == [1, 2]


def test_different_keys_do_not_mix(folder: Path) -> None:
    assert shared.remember("a", lambda: 1) == 1
    assert shared.remember("b", lambda: 2) == 2


def test_without_a_folder_nothing_is_kept_or_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared, "_REGISTERED", [])
    for value in ("", "off", "relative/folder", str(tmp_path / "missing")):
        monkeypatch.setenv(shared.SHARED_ENV, value)
        calls, compute = counting(5)
        shared.remember("k", compute)
        shared.remember("k", compute)
        assert calls == [1, 1]
        shared.register("scope", object())
    assert shared._REGISTERED == []


def test_an_unreadable_entry_is_computed_again(folder: Path) -> None:
    shared.remember("k", lambda: 1)
    [entry] = folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    shared._MEMORY.clear()
    assert shared.remember("k", lambda: 2) == 2


def test_only_the_very_objects_of_a_registered_load_have_a_scope(folder: Path) -> None:
    data, measures = [1.0], {"m": 1}
    shared.register("build", data, measures)
    assert shared.scope_of(data, measures) == "build"
    assert shared.scope_of([1.0], measures) is None  # equal, not the same object
    assert shared.scope_of(data, {"m": 2}) is None
    assert shared.scope_of(data) is None


def test_the_builds_digest_scopes_only_a_load_of_the_folders_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params, data = tmp_path / "params", tmp_path / "data"
    monkeypatch.setenv(shared.SCOPE_ENV, shared.scope_env("abc", params, data)[shared.SCOPE_ENV])
    assert shared.scope_for(params, data) == "content abc"
    # Another folder (a notebook that points the loader elsewhere): this load's paths only.
    assert shared.scope_for(tmp_path / "other", data) == f"{tmp_path / 'other'}|{data}"
    assert shared.scope_for(params, tmp_path / "other") == f"{params}|{tmp_path / 'other'}"
    for broken in ("", "not json", "[1]", '{"digest": "", "params": "p", "data": "d"}'):
        monkeypatch.setenv(shared.SCOPE_ENV, broken)
        assert shared.scope_for(params, data) == f"{params}|{data}"


def test_a_stored_entry_that_does_not_match_its_checksum_is_computed_again(
    folder: Path,
) -> None:
    shared.remember("k", lambda: [1, 2])
    [entry] = folder.glob("*.pickle")
    checksum, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(checksum + b"\n" + body.replace(b"K\x01", b"K\x07"))  # [1, 2] -> [7, 2]
    shared._MEMORY.clear()
    assert shared.remember("k", lambda: [3]) == [3]


def test_read_only_arrays_and_mappings_come_back_read_only(folder: Path) -> None:
    from types import MappingProxyType

    frozen = np.arange(6.0).reshape(2, 3)[:, ::2]  # not contiguous
    frozen.setflags(write=False)
    names = np.array(["a", "bb"], dtype=object)
    names.setflags(write=False)
    value = {"frozen": frozen, "names": names, "open": np.zeros(2), "m": MappingProxyType({"x": 1})}
    shared.remember("k", lambda: value)
    shared._MEMORY.clear()
    back = shared.remember("k", lambda: None)
    assert back["frozen"].tolist() == [[0.0, 2.0], [3.0, 5.0]]
    assert not back["frozen"].flags.writeable
    assert back["names"].tolist() == ["a", "bb"] and not back["names"].flags.writeable
    assert back["open"].flags.writeable
    assert isinstance(back["m"], MappingProxyType) and dict(back["m"]) == {"x": 1}


def test_a_value_that_cannot_be_pickled_is_computed_by_each_caller(folder: Path) -> None:
    calls, compute = counting(lambda: 1)  # a lambda does not pickle
    shared.remember("k", compute)
    shared.remember("k", compute)
    assert calls == [1, 1] and not list(folder.glob("*.pickle"))


def test_a_full_disk_keeps_the_value_for_this_process_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shared, "atomic_write_bytes", full)
    calls, compute = counting([1])
    assert shared.remember("k", compute) == [1]
    assert shared.remember("k", compute) == [1] and calls == [1]
    assert not list(folder.glob("*.pickle"))
    shared._MEMORY.clear()  # as another kernel
    shared.remember("k", compute)
    assert calls == [1, 1]


def test_a_whole_load_is_keyed_only_for_the_builds_copy_with_its_own_folder(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params, data, own = tmp_path / "params", tmp_path / "data", tmp_path / "own"
    own.mkdir()

    def given(**changes: object) -> None:
        env = shared.scope_env("law", params, data, inputs="all", own=own)[shared.SCOPE_ENV]
        monkeypatch.setenv(shared.SCOPE_ENV, json.dumps(json.loads(env) | changes))

    given()
    assert shared.inputs_key(params, data) == f"inputs all {params}|{data}"
    assert shared.own_folder() == own
    assert shared.inputs_key(tmp_path / "other", data) is None
    given(inputs="")  # the law's digest alone does not cover the scenarios
    assert shared.inputs_key(params, data) is None
    given(own=str(tmp_path / "missing"))
    assert shared.inputs_key(params, data) is None and shared.own_folder() is None
    given()
    monkeypatch.setenv(shared.SHARED_ENV, "off")
    assert shared.inputs_key(params, data) is None


def test_an_own_value_is_kept_in_the_builds_own_folder_only(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    env = shared.scope_env("law", tmp_path, tmp_path, inputs="all", own=own)
    monkeypatch.setenv(shared.SCOPE_ENV, env[shared.SCOPE_ENV])
    shared.remember("k", lambda: 1, own=True)
    assert len(list(own.glob("*.pickle"))) == 1
    assert not [p for p in folder.glob("*.pickle") if p.parent != own]
