"""Regimes on the real data: dates and scenarios stack as the law says."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.inputs.scenarios import load_scenarios
from analysis.policy.regimes import resolve, schedule_for_date, schedule_for_scenario
from analysis.policy.stacking import TariffSchedule


def test_japan_rates_rank_as_the_scenarios_say(inputs: Inputs) -> None:
    data = inputs.data
    measures = dict(inputs.measures)
    scenarios = inputs.scenarios

    def japan(name: str) -> float:
        rates = schedule_for_scenario(scenarios[name], data, measures).effective_rates()
        return float(rates.loc["japan", "effective_tariff_rate"])

    # SOURCES.md: MFN 1.64% for Japan, plus the 2018 Section 232 aluminium 10% (Japan's
    # arrangement covers steel only) on the measure's shares of nfm ($1,168.5m of Japanese
    # imports) and fmp ($2,562.8m), over Japan's $144,863m.
    aluminium = (0.2292 * 0.10 * 1168.5258 + 0.0033 * 0.10 * 2562.825285) / 144863.35
    assert japan("mfn_only") == pytest.approx(0.01643 + aluminium, abs=1e-4)
    assert japan("mfn_only") < japan("deal_15") < japan("july_2025") < japan("pause_expires")
    assert japan("pause_expires") < japan("letter_25") < japan("escalation_30")
    assert japan("escalation_30") < japan("escalation_35")


def test_the_dated_regime_follows_the_2025_timeline_for_japan(inputs: Inputs) -> None:
    data = inputs.data
    measures = dict(inputs.measures)

    def japan(day: str) -> float:
        schedule = schedule_for_date(dt.date.fromisoformat(day), data, measures)
        return float(schedule.effective_rates().loc["japan", "additional_tariff_rate"])

    # Before 2025's measures Japan pays only the 2018 aluminium 10% (as in the test above).
    aluminium = (0.2292 * 0.10 * 1168.5258 + 0.0033 * 0.10 * 2562.825285) / 144863.35
    assert japan("2025-01-15") == pytest.approx(aluminium, abs=1e-6)
    assert japan("2025-04-09") > japan("2025-04-10")  # the 24% lasted one day
    assert japan("2025-07-17") > japan("2025-10-17")  # the deal lowered cars to 15%
    mvh = data.sector_index("mvh")
    schedule = schedule_for_date(dt.date(2025, 10, 17), data, measures)
    # Cars and parts at the deal's 15% all-in, the rest at the 15% floor, but for the 0.5% of
    # mvh that is steel content of derivatives (trailers, ...; the measure's share): 50% on
    # top of MFN m, i.e. 0.15 + 0.005 x (0.50 + m - 0.15).
    j = data.partner_index("japan")
    mfn = data.mfn_tariff_rate[mvh, j]
    assert schedule.tariff_rate[mvh, j] == pytest.approx(0.15 + 0.005 * (0.50 + mfn - 0.15))


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


def test_goods_under_section_232_pay_no_border_tariff(inputs: Inputs) -> None:
    """In July 2025 the 25% border tariff reached only the part of Canada's and Mexico's mvh
    outside Section 232 (trucks, buses, unlisted parts, the steel content of derivatives) that
    did not claim USMCA. Hand check: Canada (1 - 0.6092 - 0.2246 - 0.0070) x (1 - 0.67) x 25%;
    Mexico (1 - 0.5831 - 0.2697 - 0.0115) x 0.32 x 25%."""
    data = inputs.data
    schedule = schedule_for_date(dt.date(2025, 7, 17), data, inputs.measures)
    mvh = data.sector_index("mvh")
    expected = {
        "canada": (1 - 0.6092 - 0.2246 - 0.0070) * (1 - 0.67) * 0.25,
        "mexico": (1 - 0.5831 - 0.2697 - 0.0115) * (1 - 0.68) * 0.25,
    }
    for partner, rate in expected.items():
        j = data.partner_index(partner)
        border = schedule.contributions[f"ieepa_fentanyl_{partner}"][mvh, j]
        assert border == pytest.approx(rate, rel=1e-9)


def test_copper_is_not_exempted_twice_once_section_232_copper_applies(inputs: Inputs) -> None:
    data = inputs.data
    nfm, row = data.sector_index("nfm"), data.partner_index("row")
    before = schedule_for_date(dt.date(2025, 7, 17), data, inputs.measures)
    after = schedule_for_date(dt.date(2025, 10, 17), data, inputs.measures)
    # Before 1 Aug: aluminium (row's share 0.1959) under Section 232, copper (0.2663) exempt
    # (Annex II).
    base_before = before.contributions["ieepa_reciprocal_baseline"][nfm, row]
    assert base_before == pytest.approx(0.10 * (1 - 0.1959) * (1 - 0.2663))
    # After: copper is under Section 232 itself; the rest pays row's (country) rate once.
    country = inputs.measures["ieepa_reciprocal_country_rates"]
    rate = country.value_on(dt.date(2025, 10, 17)).rate_by_cell[("row", "nfm")]
    base_after = after.contributions["ieepa_reciprocal_country_rates"][nfm, row]
    assert base_after == pytest.approx(rate * (1 - 0.1959 - 0.2663))


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
    caps = inputs.measures["section301_2026_net_of_mfn"]
    # the exempt sectors, and the product lists named on the value in force (their shares)
    value = next(v for v in caps.values if v.covers(dt.date(2026, 11, 28)))
    exempt = {
        s
        for covers in (caps.exempt_sectors, value.added_exempt)
        for s, cover in covers.items()
        if cover.for_partner("japan") > 0
    }
    assert {"oil", "bph", "ele", "ocr"} <= exempt  # energy, pharma, electronics, coffee and tea
    general = [
        i
        for i, sector in enumerate(data.sectors)
        if schedule.section232_share[i, japan] == 0.0 and sector not in exempt
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


def _active(inputs: Inputs, day: str) -> set[str]:
    schedule = schedule_for_date(dt.date.fromisoformat(day), inputs.data, inputs.measures)
    return {am.measure.id for am in schedule.active}


def test_country_rates_replace_the_baseline_for_ftrow_and_row_from_7_august_2025(
    inputs: Inputs,
) -> None:
    data = inputs.data
    before = schedule_for_date(dt.date(2025, 8, 6), data, inputs.measures)
    after = schedule_for_date(dt.date(2025, 8, 7), data, inputs.measures)
    assert "ieepa_reciprocal_country_rates" not in {am.measure.id for am in before.active}
    for partner in ("ftrow", "row"):
        j = data.partner_index(partner)
        assert before.contributions["ieepa_reciprocal_baseline"][:, j].sum() > 0
        assert after.contributions["ieepa_reciprocal_baseline"][:, j].sum() == 0
        # Higher Annex I rates (Vietnam, Taiwan 20%, India 25%, Switzerland 39%...) raise it.
        assert (
            after.effective_rates().loc[partner, "additional_tariff_rate"]
            > (before.effective_rates().loc[partner, "additional_tariff_rate"])
        )
    uk = data.partner_index("uk")
    assert after.contributions["ieepa_reciprocal_baseline"][:, uk].sum() > 0  # UK keeps 10%


def test_brazils_and_indias_orders_run_on_their_own_dates(inputs: Inputs) -> None:
    assert "ieepa_brazil_eo14323" not in _active(inputs, "2025-08-05")
    assert "ieepa_brazil_eo14323" in _active(inputs, "2025-08-06")
    assert "ieepa_brazil_eo14323" in _active(inputs, "2026-02-23")
    assert "ieepa_india_russian_oil_eo14329" not in _active(inputs, "2025-08-26")
    assert "ieepa_india_russian_oil_eo14329" in _active(inputs, "2025-08-27")
    assert "ieepa_india_russian_oil_eo14329" not in _active(inputs, "2026-02-07")


def test_brazils_exemptions_widen_on_13_november_2025(inputs: Inputs) -> None:
    """45.6% of Brazil's 2024 sales to the US are exempt before 13 Nov 2025, 55.3% from then
    (SOURCES.md section 10), and Brazil is $40.0 bn of row's $763.6 bn: the layer's share of
    row's rate can be at most 40% of the non-exempt share of Brazil's weight."""

    def layer(day: dt.date) -> float:
        schedule = schedule_for_date(day, inputs.data, inputs.measures)
        return float(schedule.measure_rates("row")["ieepa_brazil_eo14323"])

    old, new = layer(dt.date(2025, 11, 12)), layer(dt.date(2025, 11, 13))
    assert 0 < new < old
    weight = 40.0 / 763.6
    assert old <= 0.40 * (1 - 0.456) * weight
    assert new <= 0.40 * (1 - 0.553) * weight


def test_a_partner_wide_rate_change_overrides_every_member_rate(
    inputs: Inputs, tmp_path: Path
) -> None:
    """Setting the country-rate measure to 10% for row must give exactly what the 10%
    baseline gives row on the same day: member rates do not survive a partner-wide change."""
    data = inputs.data

    def scenario(change: dict[str, object]) -> TariffSchedule:
        doc = {
            "title": "t",
            "description": "t",
            "regime_date": "2025-09-01",
            "references": [REF],
            "changes": [{**change, "reason": "test", "reference": REF}],
        }
        path = tmp_path / "changed.yaml"
        path.write_text(yaml.safe_dump(doc))
        return schedule_for_scenario(inputs.scenario_file(path), data, inputs.measures)

    measure = "ieepa_reciprocal_country_rates"
    flat = scenario({"measure": measure, "rate": 0.10, "partners": ["row"]})
    baseline = scenario({"measure": measure, "remove": True})
    row = data.partner_index("row")
    np.testing.assert_allclose(
        flat.contributions[measure][:, row],
        baseline.contributions["ieepa_reciprocal_baseline"][:, row],
        rtol=1e-12,
    )
    assert flat.contributions[measure][:, row].sum() > 0


def test_trucks_and_buses_pay_from_1_november_2025_at_their_own_rates(inputs: Inputs) -> None:
    """Proclamation 10984: trucks 25% (USMCA trucks on non-US content only), buses 10%.
    Hand check for Mexico's mvh: 4.35% of it is trucks, 27.2% of that exempt (USMCA x US
    content), so the truck layer adds 0.0435 x 0.728 x 25% = 0.79 point to the cell."""
    data = inputs.data
    mvh, mexico, row = (
        data.sector_index("mvh"),
        data.partner_index("mexico"),
        data.partner_index("row"),
    )
    before = schedule_for_date(dt.date(2025, 10, 31), data, inputs.measures).contributions
    after = schedule_for_date(dt.date(2025, 11, 1), data, inputs.measures).contributions
    assert "section232_mhd_vehicles" not in before
    assert after["section232_mhd_vehicles"][mvh, mexico] == pytest.approx(0.0435 * 0.728 * 0.25)
    assert after["section232_buses"][mvh, row] == pytest.approx(0.0188 * 0.10)
    # Japan's cars and parts deal leaves Japan's trucks at 25%: no cap heading in HTSUS Rev 6.
    japan = data.partner_index("japan")
    assert after["section232_mhd_vehicles"][mvh, japan] == pytest.approx(0.0107 * 0.25)


def _same_schedule(a: TariffSchedule, b: TariffSchedule) -> None:
    assert (a.sectors, a.partners, dict(a.layers)) == (b.sectors, b.partners, dict(b.layers))
    assert a.active == b.active
    for name in ("imports_usd", "mfn_tariff_rate", "section232_share"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert list(a.contributions) == list(b.contributions)
    for measure, added in a.contributions.items():
        assert np.array_equal(added, b.contributions[measure]), measure


def test_a_builds_schedule_by_day_is_shared_only_for_the_builds_own_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a build's shared folder, the day's schedule is stored by the first kernel and read
    back by the next, the same as computed; measures changed by a notebook are never shared."""
    from dataclasses import replace
    from types import MappingProxyType

    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.policy.line_regimes import lines_schedule
    from analysis.policy.stacking import active_on

    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    inputs = load_inputs()
    day = dt.date(2025, 8, 7)
    first = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    assert len(list(tmp_path.glob("*.pickle"))) == 2  # the line stacking, its cells
    shared._MEMORY.clear()  # as another kernel of the build
    second = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    alone = lines_schedule(day, inputs.lines, active_on(inputs.measures.values(), day))
    _same_schedule(first, alone)
    _same_schedule(second, alone)
    # The measures of a schedule read back are this process's own objects.
    assert all(a.measure is inputs.measures[a.measure.id] for a in second.active)
    fewer = MappingProxyType(
        {k: m for k, m in inputs.measures.items() if k != next(iter(inputs.measures))}
    )
    schedule_for_date(day, inputs.data, fewer, inputs.lines)
    assert len(list(tmp_path.glob("*.pickle"))) == 2  # not shared
    other = replace(inputs)
    assert shared.scope_of(other.data, other.measures, other.lines) is not None  # same objects


@pytest.fixture
def build_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A build's shared folder, with a fresh load of the build's inputs registered; returns
    the folder and the day/usmca line of each line stacking computed (not read back)."""
    from analysis.inputs import shared
    from analysis.policy import regimes

    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    computed: list[str] = []
    stack = regimes.line_stacking

    def counted(day: dt.date, *args: object, **kwargs: object) -> object:
        computed.append(f"{day} {kwargs}")
        return stack(day, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(regimes, "line_stacking", counted)
    return tmp_path, computed


def test_a_builds_line_stacking_is_shared_between_splits_and_with_scenarios(
    build_share: tuple[Path, list[str]],
) -> None:
    """A country report's schedule (split ``KOR``) reads the line stacking another report's
    (no split) stored, and a scenario whose measures are the law of its date (``current``: no
    changes) reads the date's; each equals the unshared computation bit for bit."""
    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.policy.line_regimes import lines_schedule
    from analysis.policy.stacking import active_on

    folder, computed = build_share
    inputs = load_inputs()
    day = dt.date(2026, 11, 28)
    schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    assert len(computed) == 1
    shared._MEMORY.clear()  # as another kernel of the build
    korea = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines, ("KOR",))
    current = inputs.scenario("current")
    assert current.regime_date == day and not current.changes
    now = schedule_for_scenario(current, inputs.data, inputs.measures, inputs.lines, ("KOR",))
    assert len(computed) == 1  # the stacking, computed once
    assert len(list(folder.glob("*.pickle"))) == 3  # one stacking, cells of two splits
    alone = lines_schedule(day, inputs.lines, active_on(inputs.measures.values(), day), ("KOR",))
    _same_schedule(korea, alone)
    _same_schedule(now, alone)
    assert korea.partners[-1] == "KOR"


def test_a_builds_scenario_is_shared_and_a_changed_rate_misses(
    build_share: tuple[Path, list[str]],
) -> None:
    """A scenario with changes (deal_15) is read back as computed; a scenario with one rate
    changed stacks its own lines (never reads the other's), and so does the statutory stacking
    (no USMCA claims)."""
    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.policy.line_regimes import lines_schedule

    folder, computed = build_share
    inputs = load_inputs()
    deal = inputs.scenario("deal_15")
    first = schedule_for_scenario(deal, inputs.data, inputs.measures, inputs.lines, ("JPN",))
    shared._MEMORY.clear()
    second = schedule_for_scenario(deal, inputs.data, inputs.measures, inputs.lines, ("JPN",))
    alone = lines_schedule(deal.regime_date, inputs.lines, resolve(deal, inputs.measures), ("JPN",))
    _same_schedule(first, alone)
    _same_schedule(second, alone)
    assert len(computed) == 1
    # 30% for Japan, then the same scenario at 30.5%: a stacking of its own.
    threat = inputs.scenario("escalation_30")
    change = threat.changes[0]
    assert change.rate == 0.20 and len(threat.changes) == 1
    other = replace(threat, changes=(replace(change, rate=0.205),))
    japan = []
    for scenario in (threat, other):
        got = schedule_for_scenario(scenario, inputs.data, inputs.measures, inputs.lines, ("JPN",))
        active = resolve(scenario, inputs.measures)
        _same_schedule(got, lines_schedule(scenario.regime_date, inputs.lines, active, ("JPN",)))
        japan.append(got.contributions[change.measure][:, got.partners.index("JPN")])
    assert len(computed) == 3
    # The measure adds its rate on the same covered shares: 30.5% is 0.205 / 0.20 of 30%.
    assert japan[0].max() > 0
    np.testing.assert_allclose(japan[1], japan[0] * (0.205 / 0.20), rtol=1e-12)
    statutory = schedule_for_scenario(
        deal, inputs.data, inputs.measures, inputs.lines, ("JPN",), usmca_claimed=False
    )
    assert len(computed) == 4
    expected = lines_schedule(
        deal.regime_date,
        inputs.lines,
        resolve(deal, inputs.measures),
        ("JPN",),
        usmca_claimed=False,
    )
    _same_schedule(statutory, expected)
    assert len(list(folder.glob("*.pickle"))) == 8


def test_a_build_computes_each_days_rates_and_line_law_once_from_its_stacking(
    inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a build, a day's rates by source are computed once from the day's stacking (shared
    with the cells of :func:`schedule_for_date`) and read back equal to an unshared
    computation; the line law of a day stacked once is read from that stacking: the same
    contributions and rates as the line engine's."""
    from analysis.inputs import shared
    from analysis.policy import regimes
    from analysis.policy.lines import line_schedule

    day, lazy = dt.date(2025, 8, 7), inputs.lines
    plain = regimes.rates_for_date(day, inputs.data, inputs.measures, lazy)
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("rates28-test", inputs.data, inputs.measures, lazy)
    stacked: list[dt.date] = []
    rates: list[dt.date] = []
    stack, compute = regimes.line_stacking, regimes.source_rates

    def counted_stack(on: dt.date, *args: object, **kwargs: object) -> object:
        stacked.append(on)
        return stack(on, *args, **kwargs)  # type: ignore[arg-type]

    def counted_rates(on: dt.date, *args: object, **kwargs: object) -> object:
        rates.append(on)
        return compute(on, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(regimes, "line_stacking", counted_stack)
    monkeypatch.setattr(regimes, "source_rates", counted_rates)
    schedule_for_date(day, inputs.data, inputs.measures, lazy, ("KOR",))
    assert stacked == [day]
    first = regimes.rates_for_date(day, inputs.data, inputs.measures, lazy)
    again = regimes.rates_for_date(day, inputs.data, inputs.measures, lazy)
    assert stacked == [day] and rates == [day]
    for law in (first, again):
        assert law.sources == plain.sources and law.measures == plain.measures
        assert law.rates.tobytes() == plain.rates.tobytes()
        assert law.mfn_rate.tobytes() == plain.mfn_rate.tobytes()
        assert np.array_equal(law.reaches, plain.reaches) and law.active == plain.active
    read = regimes.line_law_on(day, inputs.data, inputs.measures, lazy)
    assert stacked == [day]
    engine = line_schedule(day, lazy.get(), lazy.product_lists(), inputs.measures, lazy.usmca())
    assert list(read.contributions) == list(engine.contributions)
    assert read.tariff_rate.tobytes() == engine.tariff_rate.tobytes()
    assert np.array_equal(read.section232_share, engine.section232_share)
    for mid, added in engine.contributions.items():
        assert np.array_equal(read.contributions[mid], added), mid
        assert read.authorities[mid] == engine.authorities[mid]
    assert set(read.fallback) == set(engine.fallback)
    other = dt.date(2025, 4, 9)
    fresh = regimes.line_law_on(other, inputs.data, inputs.measures, lazy)
    assert stacked == [day, other]
    again_other = regimes.line_law_on(other, inputs.data, inputs.measures, lazy)
    assert stacked == [day, other]
    assert again_other.tariff_rate.tobytes() == fresh.tariff_rate.tobytes()
