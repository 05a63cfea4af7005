"""Regimes on the real data: dates and scenarios stack as the law says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.paths import PROJECT_DIR
from analysis.inputs.scenarios import load_scenarios
from analysis.policy.regimes import schedule_for_date, schedule_for_scenario


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
