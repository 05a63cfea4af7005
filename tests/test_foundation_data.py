"""Data, measures and scenarios: cited, sorted, checksummed, and clear when wrong."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import read_checked_csv, verify_all
from analysis.inputs.errors import InputError
from analysis.inputs.measures import load_measures
from analysis.inputs.paths import DATA_DIR, PROJECT_DIR
from analysis.inputs.scenarios import load_scenarios
from analysis.policy.regimes import schedule_for_date, schedule_for_scenario

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


def test_shipped_data_passes_every_check() -> None:
    assert verify_all() == []


def test_import_totals_match_the_documented_checks(inputs: Inputs) -> None:
    data = inputs.data
    # analysis/data/SOURCES.md "Checks": $3,123,773,412,637 in all, $144,863,352,475 from Japan.
    assert data.imports_usd.sum() == 3_123_773_412_637
    assert data.imports_usd[:, data.partner_index("japan")].sum() == 144_863_352_475
    assert data.japan_car_units_2024() == 1_388_330


def test_a_corrupted_data_file_is_named_in_the_error(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    target = tmp_path / "data" / "us_imports_2024_by_sector_partner.csv"
    target.write_text(target.read_text().replace("48865", "48866", 1))
    with pytest.raises(InputError, match=r"us_imports_2024_by_sector_partner.csv: sha256"):
        read_checked_csv(target.name, tmp_path / "data")


def test_every_measure_value_is_cited_with_title_link_and_date(inputs: Inputs) -> None:
    for measure in dict(inputs.measures).values():
        assert measure.authority and measure.description
        for value in measure.values:
            assert value.reference.title
            assert re.match(r"https?://", value.reference.url), measure.id
            assert isinstance(value.reference.date, dt.date)


def test_measure_values_are_sorted_and_do_not_overlap(inputs: Inputs) -> None:
    for measure in dict(inputs.measures).values():
        for status in ("in_force", "announced", "superseded"):
            vals = [v for v in measure.values if v.status == status]
            for prev, cur in itertools.pairwise(vals):
                assert prev.end is not None and prev.end < cur.start, measure.id


def test_overlapping_dates_are_refused_with_file_and_key(inputs: Inputs, tmp_path: Path) -> None:
    folder = tmp_path / "measures"
    shutil.copytree(PROJECT_DIR / "params" / "measures", folder)
    path = folder / "section232_steel_aluminum.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["values"][0]["end"] = "2025-06-10"  # runs past the start of the next value
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as err:
        load_measures(folder, inputs.catalog)
    assert "section232_steel_aluminum.yaml" in str(err.value)
    assert "values[1].start" in str(err.value)


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


def test_japan_rates_rank_as_the_scenarios_say(inputs: Inputs) -> None:
    data = inputs.data
    measures = dict(inputs.measures)
    scenarios = inputs.scenarios

    def japan(name: str) -> float:
        rates = schedule_for_scenario(scenarios[name], data, measures).effective_rates()
        return float(rates.loc["japan", "effective_tariff_rate"])

    assert japan("mfn_only") == pytest.approx(0.01643, abs=1e-4)  # SOURCES.md: Japan 1.64%
    assert japan("mfn_only") < japan("deal_15") < japan("july_2025") < japan("pause_expires")
    assert japan("pause_expires") < japan("letter_25") < japan("escalation_30")
    assert japan("escalation_30") < japan("escalation_35")


def test_the_dated_regime_follows_the_2025_timeline_for_japan(inputs: Inputs) -> None:
    data = inputs.data
    measures = dict(inputs.measures)

    def japan(day: str) -> float:
        schedule = schedule_for_date(dt.date.fromisoformat(day), data, measures)
        return float(schedule.effective_rates().loc["japan", "additional_tariff_rate"])

    assert japan("2025-01-15") == 0.0
    assert japan("2025-04-09") > japan("2025-04-10")  # the 24% lasted one day
    assert japan("2025-07-17") > japan("2025-10-17")  # the deal lowered cars to 15%
    mvh = data.sector_index("mvh")
    schedule = schedule_for_date(dt.date(2025, 10, 17), data, measures)
    assert schedule.tariff_rate[mvh, data.partner_index("japan")] == pytest.approx(0.15)


def test_floors_never_push_a_rate_below_mfn(inputs: Inputs) -> None:
    data = inputs.data
    schedule = schedule_for_date(dt.date(2025, 10, 17), data, inputs.measures)
    assert np.all(schedule.tariff_rate >= data.mfn_tariff_rate - 1e-12)


def test_removing_a_measure_for_some_sectors_only_keeps_it_elsewhere(
    inputs: Inputs, tmp_path: Path
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "july_2025.yaml").read_text())
    doc["changes"] = [
        {"measure": "ieepa_reciprocal_baseline", "remove": True, "sectors": ["ome"], "reason": "x"}
    ]
    (folder / "no_ome.yaml").write_text(yaml.safe_dump(doc))
    data = inputs.data
    measures = dict(inputs.measures)
    schedule = schedule_for_scenario(
        load_scenarios(folder, measures, inputs.catalog)["no_ome"], data, measures
    )
    added = schedule.contributions["ieepa_reciprocal_baseline"]
    assert (added[data.sector_index("ome")] == 0).all()
    assert added[data.sector_index("chm"), data.partner_index("japan")] > 0


def test_a_rate_change_keeps_the_measures_sector_rates(inputs: Inputs, tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "july_2025.yaml").read_text())
    ref = {"title": "t", "url": "https://x.org", "date": "2025-01-01"}
    doc["changes"] = [
        {"measure": "ieepa_fentanyl_canada", "rate": 0.5, "reason": "x", "reference": ref}
    ]
    (folder / "canada_50.yaml").write_text(yaml.safe_dump(doc))
    data = inputs.data
    measures = dict(inputs.measures)
    schedule = schedule_for_scenario(
        load_scenarios(folder, measures, inputs.catalog)["canada_50"], data, measures
    )
    active = {am.measure.id: am for am in schedule.active}["ieepa_fentanyl_canada"]
    assert active.rate == 0.5
    assert active.rate_by_sector["oil"] == 0.10  # energy keeps its 10%


def test_usmca_goods_under_section_232_pay_no_border_tariff(inputs: Inputs) -> None:
    data = inputs.data
    schedule = schedule_for_date(dt.date(2025, 7, 17), data, inputs.measures)
    mvh = data.sector_index("mvh")
    for partner in ("canada", "mexico"):
        j = data.partner_index(partner)
        border = schedule.contributions[f"ieepa_fentanyl_{partner}"][mvh, j]
        assert border == pytest.approx(0.0, abs=1e-12)


def test_copper_is_not_exempted_twice_once_section_232_copper_applies(inputs: Inputs) -> None:
    data = inputs.data
    nfm, row = data.sector_index("nfm"), data.partner_index("row")
    before = schedule_for_date(dt.date(2025, 7, 17), data, inputs.measures)
    after = schedule_for_date(dt.date(2025, 10, 17), data, inputs.measures)
    # Before 1 Aug: aluminium (0.1828) under Section 232, copper (0.2663) exempt (Annex II).
    base_before = before.contributions["ieepa_reciprocal_baseline"][nfm, row]
    assert base_before == pytest.approx(0.10 * (1 - 0.1828) * (1 - 0.2663))
    # After: copper is under Section 232 itself; the rest pays the baseline once.
    base_after = after.contributions["ieepa_reciprocal_baseline"][nfm, row]
    assert base_after == pytest.approx(0.10 * (1 - 0.1828 - 0.2663))


def test_validate_catches_section_232_shares_above_one(tmp_path: Path) -> None:
    from analysis.cli.main import main

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "measures" / "section232_copper.yaml"
    path.write_text(path.read_text().replace("nfm: {share: 0.2663", "nfm: {share: 0.9"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_PARAMS", str(params))
        assert main(["validate"]) == 2


def test_the_annex_ii_exemptions_are_the_same_in_every_reciprocal_measure(inputs: Inputs) -> None:
    # The block is repeated in each reciprocal-type file; this keeps the copies in step.
    annex_ii = ("oil", "gas", "coa", "p_c", "bph", "nfm")
    measures = dict(inputs.measures)
    blocks = {
        mid: tuple(m.exempt_sectors[s].share for s in annex_ii)
        for mid, m in measures.items()
        if mid.startswith("ieepa_") and not mid.startswith("ieepa_fentanyl")
    }
    assert len(blocks) >= 6
    assert len(set(blocks.values())) == 1, blocks
