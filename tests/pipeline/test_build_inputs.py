"""The inputs a build checks its runs against: its private copy, errors naming the user's files."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from analysis.inputs import bundle, shared
from analysis.inputs import lines as lines_module
from analysis.inputs.bundle import load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR, SHIPPED_DATA_DIR, SHIPPED_PARAMS_DIR
from analysis.pipeline.build_inputs import BuildInputs, copy_folders, users_path
from analysis.pipeline.snapshot import InputsSnapshot

MEASURE = "measures/section232_steel_aluminum.yaml"


def _users_error(params: Path | None, data: Path | None = None) -> str:
    """The error a load of the user's own folders gives: what the build must say too."""
    with pytest.raises(InputError) as raised:
        load_inputs(params, data)
    return str(raised.value)


def _checked_error(params: Path | None, data: Path | None = None) -> str:
    with BuildInputs(params, data) as checked, pytest.raises(InputError) as raised:
        checked.inputs()
    return str(raised.value)


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A user's params folder (a layer over the shipped one) with a scenario of its own."""
    folder = tmp_path / "mine"
    (folder / "scenarios").mkdir(parents=True)
    shutil.copy(SHIPPED_PARAMS_DIR / "scenarios" / "deal_15.yaml", folder / "scenarios" / "my.yaml")
    return folder


def test_a_copied_file_maps_back_to_the_layer_it_was_read_from(mine: Path, tmp_path: Path) -> None:
    snapshot = InputsSnapshot.take(mine)
    root = tmp_path / "copy"
    mapped = users_path(f"{root}/params/scenarios/my.yaml: line 2", root, snapshot)
    assert mapped == f"{mine.resolve()}/scenarios/my.yaml: line 2"
    shipped = SHIPPED_PARAMS_DIR / MEASURE
    assert users_path(f"{root}/params/{MEASURE}", root, snapshot) == str(shipped)
    # A folder, or a file no layer has: where a load of the user's folders looks last.
    assert users_path(f"{root}/params/scenarios", root, snapshot) == f"{mine.resolve()}/scenarios"
    assert users_path(f"{root}/params/none.yaml", root, snapshot) == f"{mine.resolve()}/none.yaml"
    data = SHIPPED_DATA_DIR.resolve()
    assert users_path(f"{root}/data/partners.csv", root, snapshot) == f"{data}/partners.csv"
    assert users_path("(command line)", root, snapshot) == "(command line)"
    assert users_path(f"{tmp_path}/params/x.yaml", root, snapshot) == f"{tmp_path}/params/x.yaml"


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        (MEASURE, "id: section232_steel_aluminum\nid: again\n"),
        ("elasticities.yaml", "sectors: 3\n"),
        ("law_status.yaml", "- a list\n"),
        ("measures/new_measure.yaml", "title: [unclosed\n"),
    ],
)
def test_a_broken_users_file_is_named_as_a_load_of_the_users_folder_names_it(
    mine: Path, relative: str, text: str
) -> None:
    (mine / relative).parent.mkdir(parents=True, exist_ok=True)
    (mine / relative).write_text(text)
    expected = _users_error(mine)
    assert str(mine.resolve()) in expected
    assert _checked_error(mine) == expected


def test_a_broken_data_file_is_named_in_the_users_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA_DIR, data)
    with (data / "partners.csv").open("a") as handle:
        handle.write("extra,row\n")  # no longer the manifest's checksum
    expected = _users_error(None, data)
    assert str(data.resolve()) in expected
    assert _checked_error(None, data) == expected


def test_a_broken_user_scenario_fails_only_what_names_it_with_the_users_path(mine: Path) -> None:
    (mine / "scenarios" / "broken.yaml").write_text("title: x\ntitle: y\n")
    with pytest.raises(InputError) as raised:
        load_inputs(mine).scenario("broken")
    with BuildInputs(mine) as checked:
        inputs = checked.inputs()
        assert inputs.scenario("my").title  # the rest is usable
        with pytest.raises(InputError) as found, checked.users_names():
            inputs.scenario("broken")
        with pytest.raises(InputError) as unknown, checked.users_names():
            inputs.scenario("no_such")
    assert str(found.value) == str(raised.value)
    with pytest.raises(InputError) as users_unknown:
        load_inputs(mine).scenario("no_such")
    assert str(unknown.value) == str(users_unknown.value)
    assert str(mine.resolve()) in str(unknown.value)


def test_a_fifo_in_the_users_folder_is_named_by_validation(mine: Path) -> None:
    os.mkfifo(mine / "elasticities.yaml")  # the copy holds regular files only
    expected = _users_error(mine)
    assert "a FIFO" in expected
    with BuildInputs(mine) as checked:
        with pytest.raises(InputError) as raised:
            checked.inputs()
        assert checked.handed_over() is None
    assert str(raised.value) == expected


def _no_read(*args: object) -> object:
    raise AssertionError("the kernel read the files again")


def test_the_bundle_checked_is_what_a_kernel_of_the_build_loads_from_its_copy(
    mine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with BuildInputs(mine) as checked:
        assert checked.handed_over() is None  # nothing loaded yet
        inputs = checked.inputs()
        assert checked.handed_over() is inputs
        params, data = copy_folders(checked.copy())
        assert inputs.params_dir == params
        snapshot, _ = checked.final({"user_files/a.yaml": b"title: a\n"})
        assert (params / "user_files" / "a.yaml").read_bytes() == b"title: a\n"
        taken = InputsSnapshot.take(mine, user_files={"user_files/a.yaml": b"title: a\n"})
        assert (snapshot.digest, snapshot.law_digest) == (taken.digest, taken.law_digest)
        # What the builder hands over: the bundle, then its line data.
        own = checked.copy().root / "own"
        own.mkdir()
        assert bundle.hand_over(inputs, snapshot.digest, data, own)
        assert bundle.hand_over_lines(inputs, snapshot.law_digest, own)
        fresh = bundle._read_inputs(params, data)
        expected = fresh.lines.get(), fresh.lines.product_lists(), fresh.lines.usmca()
        # A kernel of the build: the copy's folders, its digests and its own folder.
        monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
        monkeypatch.setenv("TARIFF_REPORTS_DATA", str(data))
        monkeypatch.setenv(shared.SHARED_ENV, str(own))
        scope = shared.scope_env(snapshot.law_digest, params, data, snapshot.digest, own)
        monkeypatch.setenv(shared.SCOPE_ENV, scope[shared.SCOPE_ENV])
        monkeypatch.setattr(shared, "_MEMORY", {})
        monkeypatch.setattr(shared, "_REGISTERED", [])
        for name in ("load_lines", "load_product_lists", "load_usmca"):
            monkeypatch.setattr(lines_module, name, _no_read)
        monkeypatch.setattr(bundle, "_read_inputs", _no_read)
        kernels = load_inputs()
        parts = kernels.lines.get(), kernels.lines.product_lists(), kernels.lines.usmca()
    assert kernels is not inputs
    # What was handed over is a fresh load of the copy, pickled byte for byte the same; the
    # kernel holds what reading back the first kernel's stored load gives (``inputs.shared``).
    assert shared.dumps(inputs) == shared.dumps(fresh)
    assert shared.dumps(kernels) == shared.dumps(pickle.loads(shared.dumps(fresh)))
    for got, read in zip(parts, expected, strict=True):
        assert shared.dumps(got) == shared.dumps(pickle.loads(shared.dumps(read)))


def test_line_data_that_cannot_be_read_are_left_to_the_kernels(mine: Path, tmp_path: Path) -> None:
    (mine / "line_lists.yaml").write_text("lists: [unclosed\n")
    with BuildInputs(mine) as checked:
        inputs = checked.inputs()
        own = tmp_path / "own"
        own.mkdir()
        assert not bundle.hand_over_lines(inputs, "law", own)
        assert len(list(own.iterdir())) == 1  # the line data; not the product lists


def test_a_run_check_error_names_the_users_market_file(mine: Path) -> None:
    from analysis.pipeline.runs import notebook_run

    (mine / "markets").mkdir()
    (mine / "markets" / "bad.yaml").write_text("name: [unclosed\n")
    nb_dir = PROJECT_DIR / "notebooks"
    value = {"market_file": "params/markets/bad.yaml"}
    with pytest.raises(InputError) as raised:
        notebook_run("adhoc_template", value, nb_dir, load_inputs(mine))
    checked = BuildInputs(mine)
    with checked, pytest.raises(InputError) as found, checked.users_names():
        notebook_run("adhoc_template", value, nb_dir, load=checked.inputs)
    assert str(mine.resolve()) in str(raised.value)
    assert str(found.value) == str(raised.value)
