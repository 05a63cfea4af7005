"""Member-country rates weighted into region cells: hand-computed cases and limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.catalog import Catalog
from analysis.inputs.datasets import TradeData
from analysis.inputs.errors import InputError
from analysis.inputs.measures import Measure, parse_measure
from analysis.inputs.members import resolve_member_rates
from analysis.policy.regimes import schedule_for_date

REF = {"title": "test", "url": "https://example.org", "date": "2025-01-01"}
# Two members of row: A ("1111") sells 300 of ele and 100 of ome, B ("2222") 100 and 300.
MEMBERS = pd.DataFrame(
    {
        "partner": ["row"] * 4,
        "cty_code": ["1111", "1111", "2222", "2222"],
        "country": ["A", "A", "B", "B"],
        "sector": ["ele", "ome", "ele", "ome"],
        "imports_usd": [300, 100, 100, 300],
    }
)
# A's order exempts 150 of its 300 of ele.
EXEMPT = pd.DataFrame(
    {
        "product_list": ["a_list"],
        "cty_code": ["1111"],
        "sector": ["ele"],
        "exempt_imports_usd": [150],
    }
)


def _data(inputs: Inputs) -> TradeData:
    return replace(inputs.data, member_imports=MEMBERS, member_exempt_imports=EXEMPT)


def _measure(inputs: Inputs, value: dict[str, Any]) -> Measure:
    doc = {
        "title": "t",
        "authority": "t",
        "description": "t",
        "layer": "country",
        "stacking": "additive",
        "partners": ["row"],
        "sectors": "all",
        "values": [{"start": "2025-08-07", "reference": REF, **value}],
    }
    catalog = Catalog(inputs.data.partners, inputs.data.sectors)
    return parse_measure(Path("ieepa_t.yaml"), doc, catalog)


def _cells(inputs: Inputs, value: dict[str, Any]) -> dict[tuple[str, str], float]:
    m = _measure(inputs, value)
    resolved = resolve_member_rates({"ieepa_t": m}, _data(inputs))["ieepa_t"]
    return dict(resolved.values[0].rate_by_cell)


def test_a_cell_rate_is_the_import_weighted_mean_of_its_members(inputs: Inputs) -> None:
    cells = _cells(inputs, {"rate": 0.10, "rate_by_country": {"1111": 0.20}})
    # ele: (300 x 20% + 100 x 10%) / 400 = 17.5%; ome: (100 x 20% + 300 x 10%) / 400 = 12.5%
    assert cells[("row", "ele")] == pytest.approx(0.175)
    assert cells[("row", "ome")] == pytest.approx(0.125)


def test_a_member_floor_tops_up_over_the_cells_mfn_rate(inputs: Inputs) -> None:
    mfn = inputs.data.mfn_tariff_rate[inputs.data.sector_index("ome"), -1]
    assert inputs.data.partners[-1] == "row" and 0 < mfn < 0.15
    cells = _cells(inputs, {"rate": 0.0, "floor_by_country": {"2222": 0.15}})
    # ome: A pays 0, B tops up to 15% over the cell's MFN rate, on 300 of 400
    assert cells[("row", "ome")] == pytest.approx(0.75 * (0.15 - mfn))


def test_a_country_exemption_list_lowers_only_that_members_rate(inputs: Inputs) -> None:
    value = {
        "rate": 0.10,
        "rate_by_country": {"1111": 0.20},
        "country_exemptions": {"1111": "a_list"},
    }
    cells = _cells(inputs, value)
    # ele: A's 20% on half its 300, B's 10% on 100: (30 + 10) / 400 = 10%
    assert cells[("row", "ele")] == pytest.approx(0.10)
    assert cells[("row", "ome")] == pytest.approx(0.125)  # no exemption in ome


def test_unlisted_members_pay_the_regions_rate_not_the_headline(inputs: Inputs) -> None:
    value = {"rate": 0.125, "rate_by_partner": {"row": 0.0}, "rate_by_country": {"2222": 0.10}}
    cells = _cells(inputs, value)
    assert cells[("row", "ele")] == pytest.approx(100 * 0.10 / 400)
    assert cells[("row", "ome")] == pytest.approx(300 * 0.10 / 400)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"rate": 0.1, "rate_by_country": {"9999": 0.2}}, "values[0].rate_by_country"),
        ({"rate": 0.1, "floor_by_country": {"9999": 0.2}}, "values[0].floor_by_country"),
        (
            {"rate": 0.1, "rate_by_country": {"1111": 0.2}, "country_exemptions": {"1111": "x"}},
            "values[0].country_exemptions.1111",
        ),
    ],
)
def test_an_unknown_member_or_list_is_a_one_line_error(
    inputs: Inputs, value: dict[str, Any], key: str
) -> None:
    with pytest.raises(InputError) as err:
        _cells(inputs, value)
    assert str(err.value).startswith(f"ieepa_t.yaml: {key}: expected")


def test_country_codes_must_be_digits(inputs: Inputs) -> None:
    with pytest.raises(InputError, match=r"rate_by_country: expected Census country codes"):
        _measure(inputs, {"rate": 0.1, "rate_by_country": {"Vietnam": 0.2}})


def test_every_member_at_the_baseline_rate_reproduces_the_baseline(inputs: Inputs) -> None:
    """Limit: the country-rate measure with every member at 10% adds exactly what the 10%
    baseline it replaces would have added, in every cell of ftrow and row."""
    day = dt.date(2025, 9, 1)
    law = dict(inputs.measures)
    country = law["ieepa_reciprocal_country_rates"]
    value = country.value_on(day)
    codes = {str(c): 0.10 for c in inputs.data.member_imports["cty_code"]}
    flat = replace(value, rate_by_country=codes, floor_by_country={})
    law["ieepa_reciprocal_country_rates"] = replace(country, values=(flat,))
    law = resolve_member_rates(law, inputs.data)
    with_members = schedule_for_date(day, inputs.data, law).contributions
    law.pop("ieepa_reciprocal_country_rates")
    baseline_only = schedule_for_date(day, inputs.data, law).contributions
    for j in (inputs.data.partner_index("ftrow"), inputs.data.partner_index("row")):
        assert with_members["ieepa_reciprocal_country_rates"][:, j] == pytest.approx(
            baseline_only["ieepa_reciprocal_baseline"][:, j]
        )


def test_the_members_add_up_to_the_regions_2024_imports(inputs: Inputs) -> None:
    """Published totals (SOURCES.md): ftrow $288.537 bn, row $763.562 bn."""
    totals = inputs.data.member_imports.groupby("partner")["imports_usd"].sum()
    assert totals["ftrow"] / 1e9 == pytest.approx(288.537, abs=1e-3)
    assert totals["row"] / 1e9 == pytest.approx(763.562, abs=1e-3)
