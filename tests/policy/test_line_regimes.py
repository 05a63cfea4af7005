"""A regime's rates from the lines as the model's sector x source cells, on hand-computed rows
(the 4 lines x 3 countries of ``test_lines``: Japan; Switzerland and Brazil in ``row``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from policy.test_lines import LISTS, SCOPES, TRANCHES, _lines, law

from analysis.inputs.bundle import Inputs
from analysis.inputs.product_lists import ProductLists
from analysis.inputs.references import Reference
from analysis.inputs.scenarios import Change, Scenario
from analysis.policy.line_regimes import cell_schedule, line_measure
from analysis.policy.lines import line_schedule
from analysis.policy.regimes import resolve
from analysis.policy.stacking import ActiveMeasure

DAY = dt.date(2025, 6, 1)
REF = Reference("test", "https://example.org", dt.date(2025, 1, 1))
REGION_OF = {"5880": "japan", "4419": "row", "3510": "row"}


def _lists() -> ProductLists:
    return ProductLists(Path("lists.csv"), LISTS | {"rated": np.ones(4, bool)}, TRANCHES, SCOPES)


def _scenario(*changes: Change) -> Scenario:
    return Scenario("s", Path("s.yaml"), "s", "s", DAY, changes, (), ())


def _change(mid: str, **fields: object) -> Change:
    base: dict[str, object] = {
        "measure": mid,
        "as_of": None,
        "rate": None,
        "remove": False,
        "partners": (),
        "sectors": (),
        "reason": "test",
        "reference": REF,
    }
    return Change(**(base | fields))  # type: ignore[arg-type]


def _added(active: list[ActiveMeasure], lines: object = None) -> np.ndarray:
    chosen = [line_measure(am, REGION_OF) for am in active]
    got = line_schedule(DAY, lines or _lines(), _lists(), law(), active=chosen)
    return np.asarray(got.additional_tariff_rate.reshape(4, 3))


def test_the_law_of_a_day_is_the_scenario_without_changes() -> None:
    np.testing.assert_allclose(
        _added(resolve(_scenario(), law())),
        line_schedule(DAY, _lines(), _lists(), law()).additional_tariff_rate.reshape(4, 3),
    )


def test_a_new_headline_rate_replaces_the_member_countries_rates() -> None:
    # Switzerland's 39% (rate_by_country) goes: every country now pays 20% on the laptop
    # (annex-exempt, so 0) and the furniture line; Japan keeps its floor (15% - 2% = 13%).
    got = _added(resolve(_scenario(_change("ieepa_recip", rate=0.20)), law()))
    # furniture: Switzerland 20%, Brazil 20% + half the line at Brazil's 40% (ieepa_brazil)
    np.testing.assert_allclose(got[3], [0.13, 0.20, 0.20 + 0.5 * 0.40])
    np.testing.assert_allclose(got[1], [0.0, 0.0, 0.0])


def test_a_scoped_removal_switches_a_measure_off_in_its_cells_only() -> None:
    change = _change("section232_steel", remove=True, partners=("row",), sectors=("i_s",))
    got = _added(resolve(_scenario(change), law()))
    # Steel: Japan keeps 50% x the whole line (on the list); row's countries lose it and pay
    # the reciprocal layer instead (Switzerland 39%, Brazil 10%).
    np.testing.assert_allclose(got[0], [0.50, 0.39, 0.10])


def test_a_rate_for_a_sector_sets_exactly_those_cells() -> None:
    change = _change("ieepa_recip", rate=0.30, partners=("row",), sectors=("omf",))
    got = _added(resolve(_scenario(change), law()))
    # furniture in row: 30% for both countries (the cell wins over Switzerland's 39%)
    np.testing.assert_allclose(got[3, 1:], [0.30, 0.30 + 0.5 * 0.40])
    # the laptop of row is annex-exempt; the car is Section 232: untouched
    np.testing.assert_allclose(got[2, 1:], [0.25, 0.25])


def test_a_region_is_the_import_weighted_mean_of_its_countries() -> None:
    lines = _lines()
    weights = np.array([100.0, 300.0, 100.0] * 4)  # Switzerland three times Brazil
    lines = replace(lines, imports_usd=weights)
    active = resolve(_scenario(), law())
    schedule = line_schedule(DAY, lines, _lists(), law())
    cells = cell_schedule(schedule, active)
    split = cell_schedule(schedule, active, ("BRA",))
    # furniture (omf): Switzerland 39% on a 20% baseline, Brazil 10% + 20% on 2%.
    row = cells.partners.index("row")
    omf = cells.sectors.index("omf")
    assert cells.additional_tariff_rate[omf, row] == pytest.approx((3 * 0.39 + 0.30) / 4)
    assert cells.mfn_tariff_rate[omf, row] == pytest.approx((3 * 0.20 + 0.02) / 4)
    assert split.partners == ("japan", "row", "BRA")
    assert split.additional_tariff_rate[omf, 1] == pytest.approx(0.39)
    assert split.additional_tariff_rate[omf, 2] == pytest.approx(0.30)
    # every region's rate (all sectors) is the mean of its countries' (lines.aggregate)
    by_country = schedule.aggregate("country")
    region = cells.effective_rates()
    swiss, brazil = by_country.loc["CHE"], by_country.loc["BRA"]
    expected = (
        swiss.effective_tariff_rate * swiss.imports_usd
        + brazil.effective_tariff_rate * brazil.imports_usd
    ) / (swiss.imports_usd + brazil.imports_usd)
    assert region.loc["row", "effective_tariff_rate"] == pytest.approx(expected)
    # Section 232 share paying: the steel line is on its list (all of it, not the 0.5 share),
    # the furniture line is on none
    i_s = cells.sectors.index("i_s")
    assert cells.section232_share[i_s, row] == pytest.approx(1.0)
    assert cells.section232_share[omf, row] == pytest.approx(0.0)


def test_summing_only_the_reached_rows_changes_no_bit(inputs: Inputs) -> None:
    # cell_schedule sums a measure's contribution over the rows it reaches only: every other
    # row must hold exactly 0, and the cells must be the sums over all rows, bit for bit.
    lines = inputs.lines.get()
    scenario = inputs.scenario("current")
    active = resolve(scenario, inputs.measures)
    region_of = {c.cty_code: c.region for c in lines.countries.countries}
    schedule = line_schedule(
        scenario.regime_date,
        lines,
        inputs.lines.product_lists(),
        {am.measure.id: am.measure for am in active},
        inputs.lines.usmca(),
        active=[line_measure(am, region_of) for am in active],
    )
    assert set(schedule.reached) == set(schedule.contributions)
    for mid, added in schedule.contributions.items():
        outside = np.ones(lines.rows, bool)
        outside[schedule.reached[mid]] = False
        assert not added[outside].any(), mid
    for split in ((), ("JPN",)):
        fast = cell_schedule(schedule, active, split)
        slow = cell_schedule(replace(schedule, reached={}), active, split)
        for mid, cells in fast.contributions.items():
            assert cells.tobytes() == slow.contributions[mid].tobytes(), mid
