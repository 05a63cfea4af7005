"""load_inputs: one frozen bundle, read from the params folder the environment names."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import struct
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import run_cli

from analysis.inputs import bundle, shared
from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.lines import LazyLines
from analysis.inputs.paths import PROJECT_DIR, data_folder, params_dir


@pytest.fixture
def params_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", folder)
    return folder


def test_the_bundle_holds_every_input_and_cannot_be_changed(inputs: Inputs) -> None:
    assert {"mfn_only", "deal_15", "ver_cars"} <= set(inputs.scenarios)
    assert "section232_autos_vehicles" in inputs.measures
    assert inputs.parameters["substitution_elasticity"].default == 3.8
    assert inputs.catalog.sectors == inputs.data.sectors
    with pytest.raises(TypeError):
        inputs.scenarios["x"] = inputs.scenarios["deal_15"]  # type: ignore[index]


def test_an_unknown_scenario_lists_the_known_ones(inputs: Inputs) -> None:
    with pytest.raises(InputError, match=r"scenario: expected one of \['current', 'deal_15'"):
        inputs.scenario("no_such")


def test_the_params_folder_of_the_environment_is_honoured_everywhere(
    params_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scenario that exists only in the copy: the loader and the command line must both see
    # it (no process-wide cache of the project's own files), and stop seeing it without it.
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params_copy))
    assert load_inputs().params_dir == params_copy.resolve()
    env = {**os.environ, "TARIFF_REPORTS_PARAMS": str(params_copy)}
    (params_copy / "scenarios" / "mine.yaml").write_text(
        (params_copy / "scenarios" / "mfn_only.yaml").read_text(encoding="utf-8")
    )
    out = run_cli("simulate", "--scenario", "mine", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scenario"] == "mine"
    monkeypatch.delenv("TARIFF_REPORTS_PARAMS")
    assert "mine" not in load_inputs().scenarios


def test_a_broken_user_scenario_fails_only_what_names_it(params_copy: Path) -> None:
    (params_copy / "scenarios" / "bad.yaml").write_text("title: x\ntitle: y\n")
    inputs = load_inputs(params_copy)
    assert "current" in inputs.scenarios and "bad" not in inputs.scenarios
    with pytest.raises(InputError, match=r"bad.yaml: line 2: expected valid YAML with unique keys"):
        inputs.scenario("bad")


def test_a_user_folder_is_a_layer_over_the_shipped_params(tmp_path: Path) -> None:
    # Only one scenario and one replaced file: everything else comes from the shipped params.
    (tmp_path / "scenarios").mkdir()
    mine = (PROJECT_DIR / "params" / "scenarios" / "mfn_only.yaml").read_text(encoding="utf-8")
    (tmp_path / "scenarios" / "mine.yaml").write_text(mine.replace("title:", "title: Mine -", 1))
    (tmp_path / "scenarios" / "deal_15.yaml").write_text(mine)
    inputs = load_inputs(tmp_path)
    assert {"mine", "current", "mfn_only"} <= set(inputs.scenarios)
    assert inputs.scenarios["mine"].title.startswith("Mine -")
    # The user's deal_15 replaces the shipped one (by file name).
    assert inputs.scenarios["deal_15"].path == tmp_path.resolve() / "scenarios" / "deal_15.yaml"
    assert set(inputs.measures) == set(load_inputs().measures)


# A build's kernels: the load of the build's own private copy is read once and shared.


_FRESH = bundle._read_inputs  # a load that shares nothing


def _same(a: object, b: object, where: str = "inputs") -> None:
    """``a`` and ``b`` hold equal values, arrays bit for bit with the same dtype, shape and
    read-only flag, and no array of one is (or views) an array of the other."""
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), where
        assert (a.dtype, a.shape, a.flags.writeable) == (b.dtype, b.shape, b.flags.writeable), where
        if a.dtype == object:
            assert a.tolist() == b.tolist(), where
        else:
            assert a.tobytes() == b.tobytes(), where
        assert a.size == 0 or not np.shares_memory(a, b), where
    elif isinstance(a, pd.DataFrame | pd.Series):
        assert type(a) is type(b) and a.equals(b), where
    elif isinstance(a, LazyLines):
        assert isinstance(b, LazyLines), where
        _same(a.get(), b.get(), f"{where}.get()")
        _same(a.product_lists(), b.product_lists(), f"{where}.product_lists()")
        _same(a.usmca(), b.usmca(), f"{where}.usmca()")
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, Mapping):
        assert type(a) is type(b) and list(a) == list(b), where  # type: ignore[arg-type]
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")  # type: ignore[index]
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b), where  # type: ignore[arg-type]
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert type(b) is float and struct.pack("<d", a) == struct.pack("<d", b), where
    elif isinstance(a, InputError):
        assert type(a) is type(b) and str(a) == str(b), where
    else:
        assert type(a) is type(b) and a == b, where


@pytest.fixture
def build_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[int]]:
    """A kernel of a build: a shared folder, and the build's digests naming the shipped folders
    (``set_digest(d)`` as a build whose inputs hash to ``d``); counts the real reads."""
    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setenv(shared.SHARED_ENV, str(folder))
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setattr(shared, "_REGISTERED", [])
    reads: list[int] = []
    read = bundle._read_inputs

    def counted(folder: Path, data_dir: Path) -> Inputs:
        reads.append(1)
        return read(folder, data_dir)

    monkeypatch.setattr(bundle, "_read_inputs", counted)

    def set_digest(digest: str) -> list[int]:
        params, data = params_dir().resolve(), data_folder().resolve()
        value = shared.scope_env(f"law {digest}", params, data, inputs=digest, own=folder)
        monkeypatch.setenv(shared.SCOPE_ENV, value[shared.SCOPE_ENV])
        return reads

    return set_digest


def _another_kernel() -> None:
    shared._MEMORY.clear()  # what one kernel keeps in memory is not another's


def test_a_builds_kernels_read_the_inputs_once_and_each_gets_a_fresh_loads_equal(
    build_share: Callable[[str], list[int]],
) -> None:
    reads = build_share("one")
    first = load_inputs()
    _another_kernel()
    second = load_inputs()
    assert reads == [1]  # read back, not read again
    fresh = _FRESH(params_dir().resolve(), data_folder())
    _same(fresh, second)
    _same(fresh, first)  # the first kernel's lines were read, the second's read back
    _another_kernel()
    assert (
        reads == [1]
        and load_inputs().lines.get().hs10.tobytes() == fresh.lines.get().hs10.tobytes()
    )
    # Each a load of the build's own: the law by day recognises it.
    assert shared.scope_of(second.data, second.measures, second.lines) == "content law one"


def test_two_loads_in_one_kernel_share_no_mutable_state(
    build_share: Callable[[str], list[int]],
) -> None:
    build_share("one")
    first, second = load_inputs(), load_inputs()
    assert first is not second and first.data is not second.data
    assert first.lines is not second.lines and first.lines.get() is not second.lines.get()
    _same(first, second)  # equal, and no array of one views the other's (checked in _same)
    writable = second.io_tables.use_usd
    assert writable.flags.writeable  # as loaded: the bundle does not freeze it
    before = first.io_tables.use_usd.copy()
    writable += 1.0
    assert np.array_equal(first.io_tables.use_usd, before)
    assert load_inputs().io_tables.use_usd.tobytes() == before.tobytes()


def _stored(key: str) -> Path:
    folder = shared.folder()
    assert folder is not None
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()}.pickle"


def test_stored_inputs_that_fail_their_checksum_are_read_again(
    build_share: Callable[[str], list[int]],
) -> None:
    reads = build_share("one")
    load_inputs()
    key = shared.inputs_key(params_dir().resolve(), data_folder().resolve())
    assert key is not None
    entry = _stored(key)
    checksum, _, body = entry.read_bytes().partition(b"\n")
    assert b"Section 232" in body
    entry.write_bytes(checksum + b"\n" + body.replace(b"Section 232", b"Section 233"))
    _another_kernel()
    again = load_inputs()
    assert reads == [1, 1]
    _same(_FRESH(params_dir().resolve(), data_folder()), again)


def test_a_changed_params_file_misses(
    build_share: Callable[[str], list[int]],
    params_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A changed scenario: the law's digest is the same, the whole inputs' is not (the build
    # hashes every byte of the copy), so the bundle is read again and holds the change.
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params_copy))
    reads = build_share("one")
    assert load_inputs().scenarios["deal_15"].title != "Edited"
    scenario = params_copy / "scenarios" / "deal_15.yaml"
    text = scenario.read_text(encoding="utf-8")
    lines = ["title: Edited" if t.startswith("title:") else t for t in text.splitlines()]
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _another_kernel()
    build_share("two")
    assert load_inputs().scenarios["deal_15"].title == "Edited"
    assert reads == [1, 1]


def test_a_load_outside_a_build_shares_nothing(
    build_share: Callable[[str], list[int]], params_copy: Path
) -> None:
    reads = build_share("one")
    load_inputs(params_copy)
    load_inputs(params_copy)
    assert reads == [1, 1] and not list(shared.folder().glob("*.pickle"))  # type: ignore[union-attr]


def test_a_broken_user_scenario_is_kept_as_its_error_when_shared(
    build_share: Callable[[str], list[int]],
    params_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (params_copy / "scenarios" / "bad.yaml").write_text("title: x\ntitle: y\n")
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params_copy))
    reads = build_share("one")
    load_inputs()
    _another_kernel()
    inputs = load_inputs()
    assert reads == [1]
    with pytest.raises(InputError, match=r"bad.yaml: line 2: expected valid YAML with unique keys"):
        inputs.scenario("bad")
