"""load_inputs: one frozen bundle, read from the params folder the environment names."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import run_cli

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR


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
