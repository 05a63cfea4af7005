"""Exemptions measured on product lists: published totals, dates and hand-computed cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.exempt_lists import resolve_exempt_lists
from analysis.policy.regimes import schedule_for_date


def _list_total(inputs: Inputs, name: str) -> float:
    frame = inputs.data.exempt_lists
    return float(frame.loc[frame["product_list"] == name, "exempt_imports_usd"].sum())


def test_the_electronics_list_matches_the_published_385_billion(inputs: Inputs) -> None:
    """The exclusion of 11 Apr 2025 was reported to cover about $385 bn of 2024 imports
    (Barron's, via econbrowser.com/archives/2025/04/trump-blinks-for-now)."""
    assert _list_total(inputs, "ita_electronics") / 1e9 == pytest.approx(385, rel=0.01)


def test_the_electronics_exemption_is_each_partners_own_share(inputs: Inputs) -> None:
    data = inputs.data
    frame = data.exempt_lists
    row = frame[
        (frame["product_list"] == "ita_electronics")
        & (frame["sector"] == "ele")
        & (frame["partner"] == "japan")
    ].iloc[0]
    share = row["exempt_imports_usd"] / row["imports_usd"]
    assert 0.2 < share < 0.3  # Japan sells the US few computers and chips (26%)
    cover = inputs.measures["ieepa_reciprocal_baseline"].exempt_sectors["ele"]
    assert cover.for_partner("japan") == pytest.approx(share)
    assert cover.for_partner("china") > 0.7  # China's are mostly computers and phones


def test_farm_goods_are_exempt_from_13_november_2025_only(inputs: Inputs) -> None:
    """57% of the EU's 2024 meat sales (cmt, mostly beef) are on EO 14360's list: the EU's
    15% floor charged the whole cell until 12 Nov 2025 and the rest of it from 13 Nov."""
    data = inputs.data
    cmt, eu = data.sector_index("cmt"), data.partner_index("eu")
    frame = data.exempt_lists
    row = frame[
        (frame["product_list"] == "ag_exclusion_eo14360")
        & (frame["sector"] == "cmt")
        & (frame["partner"] == "eu")
    ].iloc[0]
    share = row["exempt_imports_usd"] / row["imports_usd"]  # 57% of the EU's meat
    before = schedule_for_date(dt.date(2025, 11, 12), data, inputs.measures)
    after = schedule_for_date(dt.date(2025, 11, 13), data, inputs.measures)
    old = before.contributions["ieepa_eu_floor_eo14326"][cmt, eu]
    new = after.contributions["ieepa_eu_floor_eo14326"][cmt, eu]
    assert old > 0
    assert new == pytest.approx(old * (1 - share))


def test_an_unknown_list_is_a_one_line_error(inputs: Inputs) -> None:
    measure = replace(inputs.measures["ieepa_reciprocal_baseline"], exempt_lists=("nope",))
    with pytest.raises(InputError) as err:
        resolve_exempt_lists({"ieepa_reciprocal_baseline": measure}, inputs.data)
    assert Path(str(err.value).split(":")[0]).name == "ieepa_reciprocal_baseline.yaml"
    assert (
        "exempt_lists: expected one of ['ag_exclusion_eo14360', 'ita_electronics', "
        "'s301_exclusions']" in str(err.value)
    )


def test_every_measure_naming_a_list_gets_the_lists_own_shares(inputs: Inputs) -> None:
    """A list's cover is made once and given to every measure naming it: each of them exempts,
    for each partner, the list's imports over the cell's (read off the data file's rows)."""
    frame = inputs.data.exempt_lists
    rows = frame[(frame["product_list"] == "ita_electronics") & (frame["sector"] == "ele")]
    share = {
        str(p): e / i
        for p, e, i in zip(
            rows["partner"], rows["exempt_imports_usd"], rows["imports_usd"], strict=True
        )
    }
    naming = [m for m in inputs.measures.values() if m.exempt_lists == ("ita_electronics",)]
    assert len(naming) > 2
    for measure in naming:
        cover = measure.exempt_sectors["ele"]
        assert {p: cover.for_partner(p) for p in share} == share, measure.path
