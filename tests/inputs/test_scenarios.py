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


def _quota_scenario(tmp_path: Path, quota: dict[str, object], **top: object) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "ver_cars.yaml").read_text())
    doc["quotas"] = [
        {**{k: v for k, v in doc["quotas"][0].items() if k != "cap_share_of_2024"}, **quota}
    ]
    doc.update(top)
    (folder / "mine.yaml").write_text(yaml.safe_dump(doc))
    return folder


def test_a_quota_may_be_set_in_cars_a_year(inputs: Inputs, tmp_path: Path) -> None:
    folder = _quota_scenario(tmp_path, {"cap_units": 1_200_000})
    quota = load_scenarios(folder, inputs.measures, inputs.catalog)["mine"].quotas[0]
    # Japan's 2024 passenger cars: 1,388,330 (UN Comtrade, SOURCES.md); 1.2 million is 86.4%.
    assert quota.cap_units == 1_200_000
    assert quota.cap_share_of_2024 == pytest.approx(1_200_000 / 1_388_330, rel=1e-12)


@pytest.mark.parametrize(
    ("quota", "key", "found"),
    [
        ({"cap_units": 1_500_000}, "quotas[0].cap_units", "1500000"),  # above 2024's 1,388,330
        ({"cap_units": 1e6, "cap_share_of_2024": 0.9}, "quotas[0]", "cap_share_of_2024"),
        ({}, "quotas[0]", "none"),
        ({"cap_units": 1e6, "sector": "tex"}, "quotas[0].cap_units", "tex"),  # no units counted
    ],
)
def test_a_bad_quota_in_cars_is_one_line_naming_the_key(
    inputs: Inputs, tmp_path: Path, quota: dict[str, object], key: str, found: str
) -> None:
    folder = _quota_scenario(tmp_path, quota)
    with pytest.raises(InputError) as err:
        load_scenarios(folder, inputs.measures, inputs.catalog)
    message = str(err.value)
    assert "\n" not in message and "mine.yaml" in message and key in message
    assert "expected" in message and found in message


def test_a_scenario_declares_its_horizon_long_run_by_default(
    inputs: Inputs, tmp_path: Path
) -> None:
    assert inputs.scenario("july_2025").horizon == "short_run"  # the 2025 evidence's law
    assert inputs.scenario("ver_cars").horizon == "long_run"
    assert inputs.scenario("current").horizon == "long_run"
    folder = _quota_scenario(tmp_path, {"cap_share_of_2024": 0.9}, horizon="medium_run")
    with pytest.raises(InputError, match="horizon"):
        load_scenarios(folder, inputs.measures, inputs.catalog)
