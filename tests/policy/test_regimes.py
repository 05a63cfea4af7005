"""Regimes on the real data: dates and scenarios stack as the law says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
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


REF = {"title": "test", "url": "https://example.org", "date": "2025-01-01"}


def _july_with(inputs: Inputs, tmp_path: Path, change: dict[str, object]) -> object:
    """The july_2025 scenario with one more change, parsed like any user file."""
    doc = yaml.safe_load((PROJECT_DIR / "params" / "scenarios" / "july_2025.yaml").read_text())
    doc["changes"] = [*doc.get("changes", []), {**change, "reason": "test", "reference": REF}]
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(doc))
    return schedule_for_scenario(inputs.scenario_file(path), inputs.data, inputs.measures)


def test_a_rate_change_for_one_partner_changes_that_partner_only(
    inputs: Inputs, tmp_path: Path
) -> None:
    # "10% on Japanese cars": the Section 232 vehicle tariff falls from 25% to 10% for Japan.
    data = inputs.data
    before = schedule_for_scenario(inputs.scenario("july_2025"), data, inputs.measures)
    change = {"measure": "section232_autos_vehicles", "rate": 0.10, "partners": ["japan"]}
    after = _july_with(inputs, tmp_path, change)
    mvh, japan = data.sector_index("mvh"), data.partner_index("japan")
    old = before.contributions["section232_autos_vehicles"][mvh, japan]
    new = after.contributions["section232_autos_vehicles"][mvh, japan]
    assert old > 0 and new == pytest.approx(old * 0.10 / 0.25)
    others = np.ones(data.imports_usd.shape, dtype=bool)
    others[:, japan] = False
    np.testing.assert_array_equal(after.tariff_rate[others], before.tariff_rate[others])


def test_a_rate_change_for_one_cell_changes_that_cell_only(inputs: Inputs, tmp_path: Path) -> None:
    data = inputs.data
    before = schedule_for_scenario(inputs.scenario("july_2025"), data, inputs.measures)
    change = {
        "measure": "ieepa_reciprocal_baseline",
        "rate": 0.20,
        "partners": ["eu"],
        "sectors": ["chm"],
    }
    after = _july_with(inputs, tmp_path, change)
    chm, eu = data.sector_index("chm"), data.partner_index("eu")
    old = before.contributions["ieepa_reciprocal_baseline"][chm, eu]
    new = after.contributions["ieepa_reciprocal_baseline"][chm, eu]
    assert new == pytest.approx(2 * old)  # 10% -> 20% on the same covered share
    others = np.ones(data.imports_usd.shape, dtype=bool)
    others[chm, eu] = False
    np.testing.assert_array_equal(after.tariff_rate[others], before.tariff_rate[others])


def test_a_scope_outside_the_measure_is_refused(inputs: Inputs, tmp_path: Path) -> None:
    change = {"measure": "ieepa_reciprocal_japan", "rate": 0.2, "partners": ["canada"]}
    with pytest.raises(InputError, match=r"changed.yaml: changes\[\d+\].partners: expected one of"):
        _july_with(inputs, tmp_path, change)


def test_no_ieepa_tariff_is_in_force_from_24_february_2026(inputs: Inputs) -> None:
    ieepa = {m for m in inputs.measures if m.startswith("ieepa_")}
    assert len(ieepa) >= 8
    for day in ("2026-02-24", "2026-04-01", "2026-07-24", "2026-11-28", "2027-06-01"):
        schedule = schedule_for_date(dt.date.fromisoformat(day), inputs.data, inputs.measures)
        assert not {am.measure.id for am in schedule.active} & ieepa, day
    last_day = schedule_for_date(dt.date(2026, 2, 23), inputs.data, inputs.measures)
    assert "ieepa_reciprocal_baseline" in {am.measure.id for am in last_day.active}


def test_section_122_runs_from_24_february_to_23_july_2026(inputs: Inputs) -> None:
    def active(day: str) -> set[str]:
        schedule = schedule_for_date(dt.date.fromisoformat(day), inputs.data, inputs.measures)
        return {am.measure.id for am in schedule.active}

    assert "section122_surcharge" not in active("2026-02-23")
    assert "section122_surcharge" in active("2026-02-24") and "section122_surcharge" in active(
        "2026-07-23"
    )
    assert "section122_surcharge" not in active("2026-07-24")
    assert {"section301_2026_economies", "section301_2026_net_of_mfn"} <= active("2026-07-24")


def test_japanese_general_goods_pay_max_mfn_or_12_5_percent_today(inputs: Inputs) -> None:
    data = inputs.data
    schedule = schedule_for_scenario(inputs.scenario("current"), data, inputs.measures)
    japan = data.partner_index("japan")
    annex_ii = {"oil", "gas", "coa", "p_c", "bph", "nfm"}
    general = [
        i
        for i, sector in enumerate(data.sectors)
        if schedule.section232_share[i, japan] == 0.0 and sector not in annex_ii
    ]
    assert len(general) >= 20
    for i in general:
        mfn = data.mfn_tariff_rate[i, japan]
        assert schedule.tariff_rate[i, japan] == pytest.approx(max(mfn, 0.125)), data.sectors[i]
    # Cars keep the 15% all-in of the Section 232 deal.
    mvh = data.sector_index("mvh")
    assert schedule.contributions["section232_autos_japan_eo14345"][mvh, japan] > 0


def test_the_current_scenario_is_the_law_of_today(inputs: Inputs) -> None:
    data = inputs.data
    today = schedule_for_date(dt.date(2026, 11, 28), data, inputs.measures)
    current = schedule_for_scenario(inputs.scenario("current"), data, inputs.measures)
    np.testing.assert_array_equal(current.tariff_rate, today.tariff_rate)
