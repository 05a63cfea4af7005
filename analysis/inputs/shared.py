"""A build's shared results: what several reports of one build compute alike, computed once.

Several reports of a build compute the same things from the same inputs: each region's partner
report and the timeline compute the law in force on every day it changed (a tariff schedule
built from the HS10 lines, ~0.3 s of CPU each, tens of days per report). A local build gives
its kernels a private folder of its own (``$TARIFF_REPORTS_SHARED``, removed with the build's
copy of the inputs); a result one kernel computes is written there (pickled, atomically), and
the build's other kernels read it instead of computing it again.

When a result is shared: only for the inputs every kernel of the build loads alike
(``load_inputs()`` with the build's params folder and data, its private copies), recognised by
identity: :func:`register` records the objects of such a load, and :func:`scope_of` answers
only for those very objects (immutable: frozen dataclasses, read-only arrays and mappings).
Anything else (a scenario's changed measures, another params folder) is computed as before.
The kernels of one local build are forked from one process, so a result read back is the one
the reader would have computed; each caller gets a copy of its own.

The load itself is shared too: the first kernel's ``load_inputs()`` of the build's private copy
is stored, keyed by :func:`inputs_key` (the SHA-256 of every byte of the copy, scenarios
included, with the copy's paths), and the other kernels read it back, a copy each, registered
like a load of their own; its lazy line data, product lists and USMCA shares are each stored
when first read, keyed by the load's scope and paths (``inputs.lines``). These name the copy's
paths, so they are kept in the build's own folder (:func:`own_folder`, in the private copy,
removed with it), never between builds. Pickled by :func:`dumps`, read-only arrays and
mappings come back read-only.

Between builds: a build with a results cache gives its kernels a folder under it and, in
``$TARIFF_REPORTS_SHARED_SCOPE``, the SHA-256 of everything the law is read from (the code and
library versions, the params folder but its scenarios, the data; ``pipeline.snapshot``) with
the two private folders it was taken of. A load of exactly those folders is scoped by that
digest (:func:`scope_for`), so the next build with the same law reads the results, and any
changed byte of a measure, list, data file or the code misses. A stored result carries the
SHA-256 of its bytes: one that does not match is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

import numpy as np

from analysis.atomic import atomic_write_bytes

try:
    import fcntl
except ImportError:  # Windows: no single flight; each caller computes what it has not read
    fcntl = None  # type: ignore[assignment]

SHARED_ENV = "TARIFF_REPORTS_SHARED"
SCOPE_ENV = "TARIFF_REPORTS_SHARED_SCOPE"

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

# (scope, objects) of each registered load; kept alive, so that an id is never reused.
_REGISTERED: list[tuple[str, tuple[object, ...]]] = []
# What this process computed but could not store (a full disk); else each read is the file's.
_MEMORY: dict[str, bytes] = {}


def folder() -> Path | None:
    """The build's shared folder, or None outside a build that shares (or with ``off``)."""
    value = os.environ.get(SHARED_ENV, "").strip()
    if not value or not os.path.isabs(value):
        return None
    path = Path(value)
    return path if path.is_dir() else None


def register(scope: str, *objects: object) -> None:
    """Record ``objects`` (one load of the build's inputs, described by ``scope``: its params
    and data folders) as shareable."""
    if folder() is not None:
        _REGISTERED.append((scope, objects))


def scope_for(params: Path, data: Path) -> str:
    """The scope of a load of ``params`` and ``data``: the build's digest of their content if
    ``$TARIFF_REPORTS_SHARED_SCOPE`` names exactly these folders, else the folders' paths
    (results shared within this build only)."""
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        given = json.loads(os.environ.get(SCOPE_ENV) or "{}")
        same = given.get("params") == str(params) and given.get("data") == str(data)
        if same and isinstance(given.get("digest"), str) and given["digest"]:
            return content_scope(given["digest"])
    return f"{params}|{data}"


def content_scope(digest: str) -> str:
    """The scope of a load of the folders ``$TARIFF_REPORTS_SHARED_SCOPE`` names with
    ``digest`` (what :func:`scope_for` answers for them)."""
    return f"content {digest}"


def scope_env(
    digest: str, params: Path, data: Path, inputs: str = "", own: Path | None = None
) -> dict[str, str]:
    """The environment that makes :func:`scope_for` answer ``digest`` for these folders, and
    :func:`inputs_key` name ``inputs`` (the digest of all their bytes, scenarios included),
    with ``own`` the build's own folder (removed with the build: :func:`own_folder`)."""
    value = {"digest": digest, "params": str(params), "data": str(data), "inputs": inputs}
    return {SCOPE_ENV: json.dumps(value | ({"own": str(own)} if own is not None else {}))}


def _given() -> dict[str, Any]:
    with contextlib.suppress(ValueError, TypeError):
        given = json.loads(os.environ.get(SCOPE_ENV) or "{}")
        return given if isinstance(given, dict) else {}
    return {}


def own_folder() -> Path | None:
    """The build's own shared folder (what only this build can read: its whole load of the
    inputs), or None outside a build that shares."""
    value = _given().get("own")
    if not isinstance(value, str) or not os.path.isabs(value) or folder() is None:
        return None
    path = Path(value)
    return path if path.is_dir() else None


def inputs_key(params: Path, data: Path) -> str | None:
    """The key of a whole load of ``params`` and ``data`` (``load_inputs()``): only if
    ``$TARIFF_REPORTS_SHARED_SCOPE`` names exactly these folders with the digest of all their
    bytes and the build's own folder; the folders' paths are part of it (the loaded objects
    name them)."""
    given = _given()
    same = given.get("params") == str(params) and given.get("data") == str(data)
    inputs = given.get("inputs")
    if same and isinstance(inputs, str) and inputs and own_folder() is not None:
        return own_inputs_key(inputs, params, data)
    return None


def own_inputs_key(inputs: str, params: Path, data: Path) -> str:
    """The key of a whole load of ``params`` and ``data`` whose bytes hash to ``inputs``
    (what :func:`inputs_key` answers in a kernel of the build)."""
    return f"inputs {inputs} {params}|{data}"


def _checked(data: bytes) -> memoryview | None:
    """The pickle in a stored result (a view of ``data``: the line data's pickles are ~15 MB,
    not copied again), or None if it does not match its SHA-256."""
    end = data.find(b"\n")
    body = memoryview(data)[end + 1 :]
    checksum = data[:end] if end >= 0 else data
    return body if checksum == hashlib.sha256(body).hexdigest().encode("ascii") else None


def scope_of(*objects: object) -> str | None:
    """The scope of the registered load these very objects come from, or None."""
    for scope, registered in _REGISTERED:
        if len(registered) == len(objects) and all(
            a is b for a, b in zip(registered, objects, strict=True)
        ):
            return scope
    return None


def _mapping_proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _read_only(rebuild: Callable[..., np.ndarray], args: tuple[Any, ...], state: Any) -> np.ndarray:
    array = rebuild(*args)
    if state is not None:
        array.__setstate__(state)
    array.setflags(write=False)
    return array


class _Pickler(pickle.Pickler):
    """A pickler that keeps what the loaded inputs are made of: read-only mappings
    (``MappingProxyType``, which pickle refuses) and read-only arrays (which pickle would
    give back writeable)."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        if type(obj) is np.ndarray and not obj.flags.writeable:
            reduced = cast(tuple[Any, ...], obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL))
            rebuild, args, *rest = reduced
            return _read_only, (rebuild, args, rest[0] if rest else None)
        return NotImplemented


def dumps(value: object) -> bytes:
    """``value`` pickled, its read-only mappings and arrays read back read-only."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


_MISSING = object()  # no stored value
# What :func:`_flight` yields: this process holds the key's lock; the lock it waited for was
# removed by its holder (who stored the value, or failed); no lock can be had here.
_HELD_LOCK, _GONE, _UNLOCKED = "held", "gone", "unlocked"
# The keys (their names) this thread is computing, their locks held.
_HOLDING = threading.local()


def _holding() -> set[str]:
    names: set[str] | None = getattr(_HOLDING, "names", None)
    if names is None:
        names = _HOLDING.names = set()
    return names


def _waiting(key: str) -> None:
    """Called just before this process waits for another that is computing ``key`` (a hook:
    a test learns from it that a process waits, without timing anything)."""


def _acquire(fd: int, lock: Path, key: str) -> str:
    """Take the ``flock`` on ``fd`` (``lock`` opened), waiting for its holder if need be."""
    assert fcntl is not None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _waiting(key)
            fcntl.flock(fd, fcntl.LOCK_EX)
        mine, now = os.fstat(fd), os.stat(lock)
    except FileNotFoundError:  # removed by the holder this process waited for
        return _GONE
    except OSError:  # a file system without locks: each caller computes, as without sharing
        return _UNLOCKED
    except BaseException:  # interrupted while waiting
        os.close(fd)
        raise
    return _HELD_LOCK if (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino) else _GONE


@contextlib.contextmanager
def _flight(lock: Path, name: str, key: str) -> Iterator[str]:
    """Hold ``key``'s lock while the body runs (yields :data:`_HELD_LOCK`), or yield why not.

    The lock is an exclusive ``flock`` on the file ``lock``, which its holder removes before
    releasing it (after storing the value, or failing): a waiter then finds the file it locked
    gone (:data:`_GONE`) and reads the stored value, or, if there is none, takes a new lock and
    computes. The system releases the lock of a process that dies, so a crashed kernel costs
    the others only the time it spent. A key this thread is already computing (asked again
    from within its own computation) and a folder that refuses locks are computed without one
    (:data:`_UNLOCKED`), as before single flight.

    A wait never deadlocks: a process waits for a key while holding others only when the
    computation of what it holds asks for that key (``cells`` of a split asks for its
    ``line stacking``, which may ask for the line data), and which keys a computation may ask
    for is fixed by the code, the same in every process. Two processes waiting for each other
    would need a key whose computation may ask, through others, for itself: one that would
    recurse without end in a single process, with or without locks."""
    holding = _holding()
    state, fd = _UNLOCKED, -1
    if fcntl is not None and name not in holding:
        with contextlib.suppress(OSError):
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        if fd >= 0:
            state = _acquire(fd, lock, key)
            if state != _HELD_LOCK:
                os.close(fd)
    if state != _HELD_LOCK:
        yield state
        return
    holding.add(name)
    try:
        yield state
    finally:
        holding.discard(name)
        with contextlib.suppress(OSError):
            lock.unlink()  # before the release: a waiter wakes to find it gone
        os.close(fd)


def _read(name: str, path: Path) -> Any:
    """The value stored under ``name`` (this process's memory first, then ``path``), or
    :data:`_MISSING` (none, or one that fails its checksum or does not unpickle)."""
    data: bytes | memoryview | None = _MEMORY.get(name)
    if data is None:
        with contextlib.suppress(OSError):
            data = _checked(path.read_bytes())
            os.utime(path)  # recently used: a results cache's pruning takes it last
    if data is not None:
        with contextlib.suppress(Exception):  # unreadable: computed again
            return pickle.loads(data)
    return _MISSING


def _name(key: str) -> str:
    """The file name (without suffix) a value stored under ``key`` has."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _pickled(value: object) -> bytes | None:
    """``value`` pickled for sharing, or None where it cannot be (then it is not shared)."""
    try:
        return dumps(value)
    except Exception:
        return None


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` behind its SHA-256 at ``path``; False where the disk refuses (a full disk
    only costs the other kernels time). Checksummed, and computed again where a read fails the
    checksum: no fsync needed."""
    checksum = hashlib.sha256(data).hexdigest().encode("ascii")
    try:
        atomic_write_bytes(path, checksum + b"\n" + data, durable=False)
    except OSError:
        return False
    return True


def _store(name: str, path: Path, value: object) -> None:
    data = _pickled(value)
    if data is not None and not _write(path, data):
        _MEMORY[name] = data  # not written: this process keeps it


class _PutOff(Exception):
    """What :func:`remember` raises in :func:`each_busy_last`'s first pass instead of waiting
    for a key another process is computing."""


def each_busy_last(items: Iterable[K], compute: Callable[[K], T]) -> dict[K, T]:
    """``{item: compute(item)}`` for ``items`` in their order, except that an item whose
    shared value another process of the build is computing (the first key ``compute`` asks
    :func:`remember` for, not one asked for within its computation) is put off to a second
    pass, by when it is mostly stored, instead of waited for at once. Two kernels asking for
    the same days in the same order then compute different days instead of taking turns to
    wait for each other. The values are those of asking in order: :func:`remember` decides
    them (an item put off has computed nothing)."""
    items = list(items)
    done: dict[K, T] = {}
    put_off: list[K] = []
    for item in items:
        _HOLDING.put_off = True
        try:
            done[item] = compute(item)
        except _PutOff:
            put_off.append(item)
        finally:
            _HOLDING.put_off = False
    for item in put_off:
        done[item] = compute(item)
    return {item: done[item] for item in items}


def remember(key: str, compute: Callable[[], T], own: bool = False) -> T:
    """``compute()``, or the value another kernel of this build stored under ``key`` (with
    ``own``, in the build's own folder: :func:`own_folder`).

    Single flight: while a process of the build computes ``key``, another that asks for it
    waits for the stored value (:func:`_flight`) instead of computing it again (in the first
    pass of :func:`each_busy_last`, it puts the item off instead)."""
    may_put_off = getattr(_HOLDING, "put_off", False)
    _HOLDING.put_off = False  # only an item's first key: after it, and within it, wait
    where = own_folder() if own else folder()
    if where is None:
        return compute()
    name = _name(key)
    path = where / f"{name}.pickle"
    while True:
        found = _read(name, path)
        if found is not _MISSING:
            return cast(T, found)
        if may_put_off and state(key, own) == "computing":
            raise _PutOff(key)
        with _flight(where / f"{name}.lock", name, key) as flight:
            if flight == _GONE:  # its holder finished (stored, or failed): read again
                continue
            if flight == _HELD_LOCK:  # stored while this process waited for the lock
                found = _read(name, path)
                if found is not _MISSING:
                    return cast(T, found)
            value = compute()
            _store(name, path, value)
            return value


def state(key: str, own: bool = False) -> str:
    """Where ``key`` stands in this build, at a glance: ``"stored"``, ``"computing"`` (a
    process holds its single-flight lock: another process, or this one further up its
    stack) or ``"free"``; ``"free"`` too without a build folder or without locks. It never
    waits and may be stale as soon as it is answered: it only chooses what to compute first
    (``questions.backcast``: a kernel that finds the backcast being computed computes the
    law years from the other end), never what a value is (:func:`remember` decides that)."""
    where = own_folder() if own else folder()
    if where is None or fcntl is None:
        return "free"
    name = _name(key)
    if name in _MEMORY or (where / f"{name}.pickle").exists():
        return "stored"
    try:
        fd = os.open(where / f"{name}.lock", os.O_RDONLY)
    except OSError:  # no lock file: nobody is computing it
        return "free"
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released when fd is closed
    except BlockingIOError:
        return "computing"
    except OSError:
        return "free"
    finally:
        os.close(fd)
    return "free"


def store(where: Path, key: str, value: object) -> bool:
    """Store ``value`` under ``key`` in the folder ``where``, as :func:`remember` would have
    stored it (a builder hands what it has already computed to its kernels); False if it
    cannot be pickled or written (the kernels then compute it themselves)."""
    data = _pickled(value)
    return data is not None and _write(where / f"{_name(key)}.pickle", data)
