"""Each line-level stacking rule on hand-computed HS10 x country rows (4 lines x 3 countries)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

from analysis.inputs.catalog import Catalog
from analysis.inputs.countries import Country, CountryTable
from analysis.inputs.lines import LineData
from analysis.inputs.measures import Measure, parse_measure
from analysis.inputs.product_lists import LineLists, ProductLists
from analysis.policy.lines import line_schedule

SECTORS = ("i_s", "ele", "mvh", "omf")
PARTNERS = ("japan", "row")
HS10 = np.array(
    ["7208100000", "8471300100", "8703230190", "9403600000"]
)  # steel, laptop, car, furniture
COUNTRIES = (
    Country("5880", "JPN", "Japan", "japan"),
    Country("4419", "CHE", "Switzerland", "row"),
    Country("3510", "BRA", "Brazil", "row"),
)
# Baseline (2024 applied) rate of each line for each country: rows are products x countries.
BASE = np.array(
    [
        [0.02, 0.02, 0.02],  # steel
        [0.00, 0.00, 0.00],  # laptop
        [0.025, 0.02, 0.02],  # car
        [0.02, 0.20, 0.02],  # furniture: Switzerland pays a high 20% (a floor test)
    ]
)
REF = {"title": "test", "url": "https://example.org", "date": "2025-01-01"}


def _lines() -> LineData:
    product_at, country_at = np.divmod(np.arange(12), 3)
    region_of = np.array([0, 1, 1])
    sector_of = np.arange(4)
    table = CountryTable(COUNTRIES, PARTNERS, Path("countries.csv"), MappingProxyType({}))
    return LineData(
        hs10=HS10,
        product_sector=sector_of,
        chapter=np.array([h[:2] for h in HS10]),
        heading=np.array([h[:4] for h in HS10]),
        sectors=SECTORS,
        partners=PARTNERS,
        countries=table,
        product_at=product_at,
        country_at=country_at,
        region_at=region_of[country_at],
        sector_at=sector_of[product_at],
        imports_usd=np.full(12, 100.0),
        baseline_rate=BASE.ravel(),
        applied_basis=np.full(12, "own", dtype=object),
    )


def measure(mid: str, **fields: Any) -> Measure:
    doc: dict[str, Any] = {
        "title": mid,
        "authority": "test",
        "description": "test",
        "layer": "baseline",
        "stacking": "additive",
        "partners": "all",
        "sectors": "all",
        "values": [{"start": "2025-04-05", "rate": 0.10, "reference": REF}],
    }
    doc.update(fields)
    return parse_measure(Path(f"{mid}.yaml"), doc, Catalog(partners=PARTNERS, sectors=SECTORS))


def value(start: str, rate: float, **extra: Any) -> dict[str, Any]:
    return {"start": start, "rate": rate, "reference": REF, **extra}


LISTS = {
    "steel": np.array([True, False, False, False]),
    "cars": np.array([False, False, True, False]),
    "annex": np.array([False, True, False, False]),
}
SCOPES = {
    "section232_steel": LineLists(scope=("steel",)),
    "section232_cars": LineLists(scope=("cars",)),
    "section232_cars_japan": LineLists(scope=("cars",)),
    "ieepa_recip": LineLists(exempt=("annex",)),
    "ieepa_floor_japan": LineLists(exempt=("annex",)),
    "section301_listed": LineLists(scope=("rated",), rates_from_list=True),
}
TRANCHES = {
    "rated": (
        (dt.date(2018, 7, 6), np.array([0.25, np.nan, np.nan, 0.075])),
        (dt.date(2025, 7, 1), np.array([np.nan, np.nan, 1.0, 0.25])),
    )
}


def law() -> dict[str, Measure]:
    s232 = {"stacking": "section232", "layer": "section232"}
    return {
        m.id: m
        for m in (
            measure(
                "section232_steel", **s232, sectors={"i_s": 0.5}, values=[value("2025-03-12", 0.5)]
            ),
            measure("section232_cars", **s232, values=[value("2025-04-03", 0.25)]),
            measure(
                "section232_cars_japan",
                stacking="section232_floor",
                layer="section232",
                partners=["japan"],
                supersedes=["section232_cars"],
                values=[value("2025-04-03", 0.15)],
            ),
            measure(
                "ieepa_recip",
                values=[
                    value("2025-04-05", 0.10, end="2025-07-31", rate_by_country={"4419": 0.39}),
                    value("2025-08-01", 0.10, floor_by_country={"4419": 0.15}),
                ],
            ),
            measure(
                "ieepa_floor_japan",
                stacking="floor",
                partners=["japan"],
                supersedes=["ieepa_recip"],
                values=[value("2025-04-05", 0.15)],
            ),
            # No list: its sector share (half of omf) on every furniture line; Brazil only.
            measure(
                "ieepa_brazil",
                partners=["row"],
                sectors={"omf": 0.5},
                values=[value("2025-04-05", 0.0, rate_by_country={"3510": 0.40})],
            ),
        )
    }


def schedule(day: str, measures: dict[str, Measure] | None = None) -> Any:
    lists = ProductLists(Path("lists.csv"), LISTS | {"rated": np.ones(4, bool)}, TRANCHES, SCOPES)
    return line_schedule(dt.date.fromisoformat(day), _lines(), lists, measures or law())


def added(day: str, measures: dict[str, Measure] | None = None) -> np.ndarray:
    """(products, countries) additional rate."""
    return np.asarray(schedule(day, measures).additional_tariff_rate.reshape(4, 3))


def test_section232_lines_leave_the_reciprocal_layers_and_a_deal_floor_tops_up() -> None:
    got = added("2025-06-01")
    # steel: 50% everywhere, no reciprocal on Section 232 goods.
    np.testing.assert_allclose(got[0], [0.50, 0.50, 0.50])
    # car: Japan's deal supersedes the 25% and tops up to 15% all-in: 0.15 - 0.025.
    np.testing.assert_allclose(got[2], [0.125, 0.25, 0.25])


def test_annex_lines_are_exempt_and_floors_and_country_rates_apply() -> None:
    got = added("2025-06-01")
    np.testing.assert_allclose(got[1], [0.0, 0.0, 0.0])  # laptop on the exemption list
    # furniture: Japan floor 0.15 - 0.02; Switzerland 39%; Brazil 10% + half x 40% (no list).
    np.testing.assert_allclose(got[3], [0.13, 0.39, 0.10 + 0.5 * 0.40])


def test_a_country_floor_is_net_of_the_line_baseline() -> None:
    got = added("2025-08-15")
    # From 1 Aug Switzerland pays max(0, 15% - b): nothing on furniture (b = 20%).
    assert got[3, 1] == pytest.approx(0.0)
    assert got[0, 1] == pytest.approx(0.50)  # steel: still Section 232 only


def test_list_rates_take_the_highest_tranche_in_force() -> None:
    listed = measure(
        "section301_listed",
        partners=["row"],
        applies_to="all",
        values=[value("2024-09-27", 0.0)],
    )
    before = added("2025-06-01", {listed.id: listed})
    after = added("2025-07-01", {listed.id: listed})
    np.testing.assert_allclose(before[:, 2], [0.25, 0.0, 0.0, 0.075])
    np.testing.assert_allclose(after[:, 2], [0.25, 0.0, 1.0, 0.25])
    np.testing.assert_allclose(after[:, 0], 0.0)  # Japan is not a partner of the measure


def test_aggregates_weight_lines_by_imports() -> None:
    table = schedule("2025-06-01").aggregate("country")
    # Japan: (0.50 + 0 + 0.125 + 0.13) / 4 with equal weights.
    assert table.loc["JPN", "additional_tariff_rate"] == pytest.approx(0.18875)
    assert table.loc["JPN", "imports_usd"] == pytest.approx(400.0)
    chapters = schedule("2025-06-01").aggregate("chapter")
    assert chapters.loc["87", "additional_tariff_rate"] == pytest.approx((0.125 + 0.25 + 0.25) / 3)
    regions = schedule("2025-06-01").aggregate("region")
    assert regions.loc["japan", "effective_tariff_rate"] == pytest.approx(
        0.18875 + BASE[:, 0].mean()
    )
    assert regions.loc["japan", "rate_Section 232"] == pytest.approx((0.50 + 0.125) / 4)


def test_no_measure_in_force_leaves_the_baseline() -> None:
    got = schedule("2025-01-01")
    np.testing.assert_allclose(got.tariff_rate, BASE.ravel())


def test_usmca_shares_of_the_month_replace_the_partner_share() -> None:
    from analysis.inputs.lines import UsmcaShares

    fentanyl = measure(
        "ieepa_fentanyl_row",
        partners=["row"],
        exempt_sectors={"all": {"share": 0.0, "by_partner": {"row": 0.5}}},
        values=[value("2025-03-04", 0.25)],
    )
    # Switzerland's steel and car rows stand in for USMCA rows: steel 80% claimed in March,
    # 20% in April; the car row has no trade in the months (keeps the 50% partner share).
    usmca = UsmcaShares(
        months=(dt.date(2025, 3, 1), dt.date(2025, 4, 1)),
        rows=np.array([1, 7]),
        shares=np.array([[0.8, np.nan], [0.2, np.nan]]),
        position=np.array([-1, 0, -1, -1, -1, -1, -1, 1, -1, -1, -1, -1]),
    )
    scopes = SCOPES | {fentanyl.id: LineLists(usmca_exempt=1.0)}
    lists = ProductLists(Path("lists.csv"), LISTS, TRANCHES, scopes)
    march = line_schedule(dt.date(2025, 3, 15), _lines(), lists, {fentanyl.id: fentanyl}, usmca)
    april = line_schedule(dt.date(2025, 4, 15), _lines(), lists, {fentanyl.id: fentanyl}, usmca)
    assert march.additional_tariff_rate[1] == pytest.approx(0.25 * (1 - 0.8))
    assert april.additional_tariff_rate[1] == pytest.approx(0.25 * (1 - 0.2))
    assert april.additional_tariff_rate[7] == pytest.approx(0.25 * (1 - 0.5))
    assert april.additional_tariff_rate[2] == pytest.approx(0.25 * (1 - 0.5))  # Brazil
    assert april.additional_tariff_rate[0] == 0.0  # Japan is not a partner


def test_a_country_exemption_list_applies_to_that_country_from_its_date() -> None:
    recip = law()["ieepa_recip"]
    since = {"deal": np.array([dt.date.max.toordinal()] * 3 + [dt.date(2025, 6, 1).toordinal()])}
    scopes = SCOPES | {recip.id: LineLists(exempt=("annex",), country_exempt={"3510": ("deal",)})}
    masks = LISTS | {"deal": np.array([False, False, False, True])}
    lists = ProductLists(Path("lists.csv"), masks, TRANCHES, scopes, since)
    may = line_schedule(dt.date(2025, 5, 31), _lines(), lists, {recip.id: recip})
    june = line_schedule(dt.date(2025, 6, 1), _lines(), lists, {recip.id: recip})
    furniture = slice(9, 12)  # Japan, Switzerland, Brazil
    np.testing.assert_allclose(may.additional_tariff_rate[furniture], [0.10, 0.39, 0.10])
    np.testing.assert_allclose(june.additional_tariff_rate[furniture], [0.10, 0.39, 0.0])


def test_a_general_provision_on_a_list_takes_the_sector_share() -> None:
    # The laptop line is listed as a general-purpose provision (like heading 8471 on the
    # auto-parts list): only the sector share (here 40% of ele) is in scope.
    parts = measure(
        "section232_parts",
        stacking="section232",
        layer="section232",
        sectors={"ele": 0.4, "mvh": 0.2},
        values=[value("2025-05-03", 0.25)],
    )
    recip = law()["ieepa_recip"]
    scopes = SCOPES | {parts.id: LineLists(scope=("cars",), shared=("annex",))}
    lists = ProductLists(Path("lists.csv"), LISTS, TRANCHES, scopes)
    got = line_schedule(dt.date(2025, 6, 1), _lines(), lists, {parts.id: parts, recip.id: recip})
    laptop, car = slice(3, 6), slice(6, 9)
    # Laptop: 40% under Section 232 at 25%; the recip exemption (annex) covers the rest.
    np.testing.assert_allclose(got.additional_tariff_rate[laptop], 0.4 * 0.25)
    # Car: on the full list, 25% in full; no reciprocal on Section 232 goods.
    np.testing.assert_allclose(got.additional_tariff_rate[car], 0.25)


def test_a_country_can_stand_alone_as_a_model_source() -> None:
    got = schedule("2025-06-01")
    cells = got.partition_cells(split=("BRA",)).set_index(["sector", "partner"])
    # Brazil leaves row: row keeps Switzerland only; Brazil's own cells appear.
    assert set(cells.index.get_level_values("partner")) == {"japan", "row", "BRA"}
    furniture = cells.loc[("omf", "BRA")]
    assert furniture["imports_usd"] == pytest.approx(100.0)
    assert furniture["additional_tariff_rate"] == pytest.approx(0.10 + 0.5 * 0.40)
    assert cells.loc[("omf", "row"), "additional_tariff_rate"] == pytest.approx(0.39)
    assert cells.loc[("omf", "row"), "baseline_rate"] == pytest.approx(0.20)
    # Without a split the cells are the 8 regions' (here 2): row holds both countries.
    regions = got.partition_cells().set_index(["sector", "partner"])
    assert regions.loc[("omf", "row"), "imports_usd"] == pytest.approx(200.0)
    assert regions.loc[("omf", "row"), "additional_tariff_rate"] == pytest.approx((0.39 + 0.30) / 2)


# The shipped law on real rows of the 2024 data (params/measures, product_lists.csv).
TWN, KOR, DEU, JPN, BRA, CAN, CHN, RUS = (
    "5830", "5800", "4280", "5880", "3510", "1220", "5700", "4621"
)  # fmt: skip


def _shipped(inputs: Any, day: str, mid: str, cells: list[tuple[str, str]]) -> list[float]:
    """The rate measure ``mid`` adds on each (HS10, Census code) row on ``day``."""
    lazy = inputs.lines
    lines = lazy.get()
    got = line_schedule(
        dt.date.fromisoformat(day), lines, lazy.product_lists(), inputs.measures, lazy.usmca()
    )
    codes = np.array([c.cty_code for c in lines.countries.countries])
    out = []
    for hs10, code in cells:
        at = np.flatnonzero(
            (lines.hs10[lines.product_at] == hs10) & (codes[lines.country_at] == code)
        )
        assert at.size == 1, (hs10, code)
        added = got.contributions.get(mid)
        out.append(0.0 if added is None else float(added[at[0]]))
    return out


def test_the_2018_steel_tariff_and_its_arrangements(inputs: Any) -> None:
    # 7210.12.00.00 (tin-plated steel) is in Proclamation 9705's 7206.10-7216.50.
    steel = [("7210120000", c) for c in (TWN, KOR, DEU, JPN, BRA)]
    # Taiwan 25%; Korea and Brazil quotas, Germany (EU) and Japan in their TRQs: 0.
    got = _shipped(inputs, "2025-01-15", "section232_steel_2018", steel)
    np.testing.assert_allclose(got, [0.25, 0.0, 0.0, 0.0, 0.0])
    # Ferro-alloys (7202) are outside the 2018 scope, inside the 2025 chapters.
    assert _shipped(inputs, "2025-01-15", "section232_steel_2018", [("7202998040", TWN)]) == [0]
    # From 12 Mar 2025 Proclamation 10896 ends every arrangement: 25% for all.
    got = _shipped(inputs, "2025-03-12", "section232_steel_aluminum", steel)
    np.testing.assert_allclose(got, [0.25] * 5)
    assert _shipped(inputs, "2025-03-12", "section232_steel_2018", steel[:1]) == [0.0]


def test_the_2018_aluminium_tariff_and_its_arrangements(inputs: Any) -> None:
    # 7606.12.30.96 (aluminium alloy sheet): Japan's and Korea's arrangements are on steel
    # only, so both pay 10%; Germany in the EU TRQ 0; Canada exempt (not reached).
    cells = [("7606123096", c) for c in (JPN, KOR, DEU, CAN, CHN)]
    got = _shipped(inputs, "2025-01-15", "section232_aluminum_2018", cells)
    np.testing.assert_allclose(got, [0.10, 0.10, 0.0, 0.0, 0.10])
    # Russia's aluminium pays 200% (Proclamation 10522).
    russia = _shipped(inputs, "2025-01-15", "section232_aluminum_2018", [("7604291090", RUS)])
    assert russia == [pytest.approx(2.0)]


def test_section301_product_exclusions_lapse_after_10_november_2026(inputs: Any) -> None:
    # 8483.50.90.40 is excluded whole (note 20(vvv)(i)(1)) from List 1's 25%; 8483.50.90.80
    # of the same List 1 subheading is not.
    cells = [("8483509040", CHN), ("8483509080", CHN)]
    np.testing.assert_allclose(
        _shipped(inputs, "2025-06-01", "section301_china_lists", cells), [0.0, 0.25]
    )
    np.testing.assert_allclose(
        _shipped(inputs, "2026-11-11", "section301_china_lists", cells), [0.25, 0.25]
    )
