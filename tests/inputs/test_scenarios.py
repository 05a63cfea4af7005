"""Scenarios: the seed scenarios load; bad ones are refused naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.inputs.scenarios import load_scenarios

REQUIRED_SCENARIOS = {
    "mfn_only",
    "july_2025",
    "pause_expires",
    "letter_25",
    "escalation_30",
    "escalation_35",
    "deal_15",
    "ver_cars",
}


@pytest.mark.parametrize(
    ("edit", "key", "found"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        (
            {"changes": [{"measure": "no_such_measure", "as_of": "2025-01-01", "reason": "x"}]},
            "changes[0].measure",
            "no_such_measure",
        ),
        (
            {
                "changes": [
                    {
                        "measure": "ieepa_reciprocal_japan",
                        "rate": -0.1,
                        "reason": "x",
                        "reference": {"title": "t", "url": "https://x.org", "date": "2025-01-01"},
                    }
                ]
            },
            "changes[0].rate",
            "-0.1",
        ),
        (
            {
                "changes": [
                    {
                        "measure": "ieepa_reciprocal_japan",
                        "rate": 25,
                        "reason": "x",
                        "reference": {"title": "t", "url": "https://x.org", "date": "2025-01-01"},
                    }
                ]
            },
            "changes[0].rate",
            "25",
        ),
        (
            {
                "quotas": [
                    {
                        "partner": "atlantis",
                        "sector": "mvh",
                        "cap_share_of_2024": 0.9,
                        "reason": "x",
                        "reference": {"title": "t", "url": "https://x.org", "date": "2025-01-01"},
                    }
                ]
            },
            "quotas[0].partner",
            "atlantis",
        ),
        (
            {
                "changes": [
                    {
                        "measure": "ieepa_reciprocal_baseline",
                        "remove": True,
                        "sectors": ["cars"],
                        "reason": "x",
                    }
                ]
            },
            "changes[0].sectors",
            "cars",
        ),
    ],
)
def test_bad_scenarios_are_refused_naming_file_key_expected_and_found(
    inputs: Inputs, tmp_path: Path, edit: dict[str, object], key: str, found: str
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "july_2025.yaml").read_text())
    doc.update(edit)
    (folder / "bad.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as err:
        load_scenarios(folder, inputs.measures, inputs.catalog)
    message = str(err.value)
    assert "bad.yaml" in message and key in message and "expected" in message and found in message


def test_the_seed_scenarios_exist_and_load(inputs: Inputs) -> None:
    assert set(inputs.scenarios) >= REQUIRED_SCENARIOS


def test_a_scenario_may_name_its_focus(inputs: Inputs, tmp_path: Path) -> None:
    from analysis.inputs.focus import Focus
    from analysis.inputs.scenarios import load_scenario_file

    text = (inputs.params_dir / "scenarios" / "current.yaml").read_text(encoding="utf-8")
    good = tmp_path / "eu_view.yaml"
    good.write_text(text + "focus: {partner: eu}\n", encoding="utf-8")
    assert load_scenario_file(good, inputs.measures, inputs.catalog).focus == Focus("eu", "mvh")
    bad = tmp_path / "bad_view.yaml"
    bad.write_text(text + "focus: {partner: atlantis}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad_view.yaml: focus.partner: expected"):
        load_scenario_file(bad, inputs.measures, inputs.catalog)


def test_a_shipped_rate_needs_a_reference_and_a_users_only_a_reason(
    inputs: Inputs, tmp_path: Path
) -> None:
    from analysis.inputs.scenarios import parse_scenario

    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "july_2025.yaml").read_text())
    doc["changes"] = [{"measure": "ieepa_reciprocal_japan", "rate": 0.2, "reason": "mine"}]
    path = tmp_path / "mine.yaml"
    with pytest.raises(InputError, match=r"changes\[0\].reference: expected a reference"):
        parse_scenario(path, doc, inputs.measures, inputs.catalog, shipped=True)
    scenario = parse_scenario(path, doc, inputs.measures, inputs.catalog)
    (change,) = scenario.changes
    assert change.user_assumption and scenario.user_assumptions == (
        "ieepa_reciprocal_japan rate = 0.2 (20.00%): mine",
    )
    assert change.reference is not None and change.reference.title == "user assumption: mine"
    assert not any(c.user_assumption for s in inputs.scenarios.values() for c in s.changes)
