"""A build's shared results: computed once, read back by the build's other kernels, and only
for the very objects of a registered load."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
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


@pytest.mark.parametrize("cut", ["no newline", "empty", "checksum only"])
def test_a_stored_entry_cut_short_is_computed_again(folder: Path, cut: str) -> None:
    shared.remember("k", lambda: [1, 2])
    [entry] = folder.glob("*.pickle")
    checksum, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes({"no newline": checksum + body, "empty": b"", "checksum only": checksum}[cut])
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
    def full(path: Path, data: bytes, durable: bool = True) -> None:
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


# Single flight: processes coordinated by events (no sleeps, no timing): each wait below is
# bounded only so that a broken lock fails the test instead of hanging it.
BOUND = 120.0


def in_process(target: Callable[[], object]) -> tuple[BaseProcess, Connection]:
    """``target()`` in a forked process (this test's environment and monkeypatches), its
    result sent back through a pipe."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def main() -> None:
        send.send(target())

    process = ctx.Process(target=main)
    process.start()
    send.close()
    return process, receive


def result(process: BaseProcess, receive: Connection) -> object:
    assert receive.poll(BOUND)
    value = receive.recv()
    process.join(BOUND)
    assert process.exitcode == 0
    return value


def holder(key: str, value: object, computing: Event, go: Event) -> Callable[[], object]:
    """What a process runs that computes ``key``, and says so, then waits for ``go``."""

    def compute() -> object:
        computing.set()
        assert go.wait(BOUND)
        return value

    return lambda: shared.remember(key, compute)


def waiter(key: str, waiting: Event, ask: Callable[[], object]) -> Callable[[], object]:
    """What a process runs that does ``ask()``, setting ``waiting`` when it waits for ``key``."""

    def run() -> object:
        shared._waiting = lambda asked: waiting.set() if asked == key else None
        return ask()

    return run


def asks(key: str, value: object) -> Callable[[], object]:
    return lambda: shared.remember(key, lambda: value)


@pytest.fixture
def events() -> Iterator[tuple[Event, Event, Event]]:
    """(computing, go, waiting); ``go`` is set at the end, so that no process is left waiting."""
    ctx = multiprocessing.get_context("fork")
    computing, go, waiting = ctx.Event(), ctx.Event(), ctx.Event()
    yield computing, go, waiting
    go.set()


def test_a_kernel_asking_for_a_key_being_computed_waits_for_its_value(
    folder: Path, events: tuple[Event, Event, Event]
) -> None:
    computing, go, waiting = events
    first = in_process(holder("k", "first's", computing, go))
    assert computing.wait(BOUND)
    second = in_process(waiter("k", waiting, asks("k", "computed again")))
    assert waiting.wait(BOUND)  # the second is waiting for the lock the first holds
    go.set()
    assert result(*first) == "first's"
    assert result(*second) == "first's"  # read back: never computed again
    assert [p.suffix for p in folder.iterdir()] == [".pickle"]  # no lock file is left


def test_a_kernel_that_dies_computing_a_key_costs_the_waiting_one_only_time(
    folder: Path, events: tuple[Event, Event, Event]
) -> None:
    computing, _, waiting = events
    # Its own event, never set: a multiprocessing Event's set() waits for its sleepers to
    # wake, and this one's sleeper is killed.
    never = multiprocessing.get_context("fork").Event()
    first = in_process(holder("k", "never stored", computing, never))
    assert computing.wait(BOUND)
    second = in_process(waiter("k", waiting, asks("k", "second's")))
    assert waiting.wait(BOUND)
    pid = first[0].pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the system releases its lock
    first[0].join(BOUND)
    assert result(*second) == "second's"
    assert shared.remember("k", lambda: "third's") == "second's"
    assert [p.suffix for p in folder.iterdir()] == [".pickle"]  # the dead one's lock removed


def test_a_computation_that_fails_lets_the_waiting_kernel_compute(
    folder: Path, events: tuple[Event, Event, Event]
) -> None:
    computing, go, waiting = events

    def fails() -> object:
        computing.set()
        assert go.wait(BOUND)
        raise ValueError("a broken input")

    def first() -> object:
        with pytest.raises(ValueError, match="a broken input"):
            shared.remember("k", fails)
        return "raised"

    failing = in_process(first)
    assert computing.wait(BOUND)
    second = in_process(waiter("k", waiting, asks("k", "second's")))
    assert waiting.wait(BOUND)
    go.set()
    assert result(*failing) == "raised"
    assert result(*second) == "second's"


def test_nested_keys_wait_for_each_other_without_deadlock(
    folder: Path, events: tuple[Event, Event, Event]
) -> None:
    """Two kernels compute the cells of two splits of one stacking: each holds its cells' key
    and asks for the stacking's; the one that computes it first makes the other wait."""
    computing, go, waiting = events

    def cells(split: str, rows: Callable[[], object]) -> Callable[[], object]:
        def compute() -> object:
            return (split, shared.remember("rows", rows))

        return lambda: shared.remember(f"cells {split}", compute)

    def rows_computed() -> object:
        computing.set()
        assert go.wait(BOUND)
        return "first's rows"

    first = in_process(cells("A", rows_computed))
    assert computing.wait(BOUND)
    second = in_process(waiter("rows", waiting, cells("B", lambda: "rows again")))
    assert waiting.wait(BOUND)  # holding the key of its cells B, waiting for the rows
    go.set()
    assert result(*first) == ("A", "first's rows")
    assert result(*second) == ("B", "first's rows")
    assert sorted(p.suffix for p in folder.iterdir()) == [".pickle"] * 3


def test_a_key_asked_for_within_its_own_computation_does_not_wait_for_itself(
    folder: Path,
) -> None:
    def outer() -> object:
        return ("outer", shared.remember("k", lambda: "inner"))

    assert shared.remember("k", outer) == ("outer", "inner")
    shared._MEMORY.clear()
    assert shared.remember("k", lambda: "again") == ("outer", "inner")  # the last stored


def test_a_keys_state_is_free_then_computing_then_stored(folder: Path) -> None:
    import fcntl
    import os

    lock = folder / f"{shared._name('k')}.lock"
    assert shared.state("k") == "free"  # no lock file
    seen: list[str] = []
    # Inside its own computation the key's lock is held (an exclusive flock on the lock file).
    assert shared.remember("k", lambda: seen.append(shared.state("k")) or 7) == 7
    assert seen == ["computing"]
    assert shared.state("k") == "stored"
    fd = os.open(folder / f"{shared._name('other')}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert shared.state("other") == "computing"  # held through another open file
    os.close(fd)
    assert not lock.exists()  # removed by its holder
    assert shared.state("other") == "free"  # a lock file nobody holds


def test_an_item_another_process_is_computing_is_put_off_not_waited_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import os

    def would_wait(key: str) -> None:
        raise AssertionError(f"waited for {key}")  # (else the test would wait for ever)

    monkeypatch.setattr(shared, "_waiting", would_wait)

    # Another process computing "b": an exclusive flock on its lock file, through an open file
    # of its own (flock locks belong to the open file, so this process counts as another).
    held = os.open(folder / f"{shared._name('b')}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX)
    asked: list[str] = []
    computed: list[str] = []
    flags: list[bool] = []

    def value(item: str) -> str:
        computed.append(item)
        flags.append(shared._HOLDING.put_off)  # within an item's computation: waits as ever
        if item == "c":
            os.close(held)  # "b"'s computer ends without storing it: the second pass computes
        return item.upper()

    def compute(item: str) -> str:
        asked.append(item)
        return shared.remember(item, lambda: value(item))

    assert shared.each_busy_last(["a", "b", "c"], compute) == {"a": "A", "b": "B", "c": "C"}
    assert asked == ["a", "b", "c", "b"]  # "b" put off to the second pass
    assert computed == ["a", "c", "b"]  # and nothing of it computed in the first
    assert flags == [False, False, False]
    assert shared._HOLDING.put_off is False
    assert shared.each_busy_last(["c", "a"], compute) == {"c": "C", "a": "A"}  # stored: read
    assert computed == ["a", "c", "b"]
