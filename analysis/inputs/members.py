"""Country rates inside a region: from the member countries' rates to one rate per cell.

``ftrow`` and ``row`` are groups of countries, and from 7 Aug 2025 the law set different
reciprocal rates for their members (EO 14326 Annex I), a floor for some (Korea, Switzerland)
and extra duties for others (Brazil, India). A measure value states these per member country
(Census country code); this module turns them into one rate per sector x region cell:

    r(s, p) = sum over members c of p:  w(c, s) * r(c, s),   w(c, s) = M(c, s) / M(p, s)

with ``M`` the 2024 imports (analysis/data/member_imports_2024_by_sector_country.csv) and

* ``r(c, s) = rate_by_country[c]``, else the region's rate (``rate_by_partner``, else the
  headline ``rate``) for unlisted members;
* ``r(c, s) = max(0, floor - m(s, p))`` for a member with ``floor_by_country`` (an all-in
  floor, with ``m`` the cell's average MFN rate, as the stacking engine does for floors);
* ``r(c, s) *= 1 - X(c, s) / M(c, s)`` where ``country_exemptions`` names a product list
  (analysis/data/member_exempt_imports_2024.csv) exempt for that member.

A cell with no member trade keeps the headline rate. Pure: data in, new measures out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.datasets import TradeData
from analysis.inputs.errors import InputError
from analysis.inputs.measures import Measure, MeasureValue


def resolve_member_rates(measures: dict[str, Measure], data: TradeData) -> dict[str, Measure]:
    """Every measure, with member-country rates turned into cell rates (``rate_by_cell``)."""
    out = {}
    for mid, measure in measures.items():
        if any(_has_members(v) for v in measure.values):
            values = tuple(
                _cells(measure, i, v, data) if _has_members(v) else v
                for i, v in enumerate(measure.values)
            )
            measure = replace(measure, values=values)
        out[mid] = measure
    return out


def _has_members(value: MeasureValue) -> bool:
    return bool(value.rate_by_country or value.floor_by_country)


def _check_codes(
    measure: Measure, key: str, codes: Iterable[str], known: set[str], members: pd.DataFrame
) -> None:
    for code in codes:
        if code not in known:
            expected = f"a Census code of a member of {', '.join(sorted(set(members.partner)))}"
            raise InputError(measure.path, key, expected, code)


def _per_row(column: pd.Series, of: Callable[[Any], float]) -> np.ndarray:
    """(rows,) ``of(x)`` for each row's ``x`` in ``column``, computed once per distinct value."""
    at, distinct = pd.factorize(column, use_na_sentinel=False)
    values: np.ndarray = np.asarray([of(x) for x in distinct], dtype=float)
    return np.asarray(values[at])


def _by_code(by_country: Mapping[str, float]) -> Callable[[Any], float]:
    """A country code's value in ``by_country``, NaN where it has none."""
    return lambda code: float("nan") if (v := by_country.get(code)) is None else float(v)


def _member_rates(
    measure: Measure, i: int, value: MeasureValue, data: TradeData, members: pd.DataFrame
) -> np.ndarray:
    """The rate each member row (country x sector) pays under this value."""
    key = f"values[{i}]"
    known = set(members["cty_code"].unique())
    _check_codes(measure, f"{key}.rate_by_country", value.rate_by_country, known, members)
    _check_codes(measure, f"{key}.floor_by_country", value.floor_by_country, known, members)
    _check_codes(measure, f"{key}.country_exemptions", value.country_exemptions, known, members)
    # Each distinct country, partner and sector looked up once, then taken row by row: the
    # same float operations, element by element, as pandas' maps, so the same rates bit for bit.
    default = _per_row(members["partner"], lambda p: value.rate_by_partner.get(p, value.rate))
    given = _per_row(members["cty_code"], _by_code(value.rate_by_country))
    rates = np.where(np.isnan(given), default, given)
    floors = _per_row(members["cty_code"], _by_code(value.floor_by_country))
    sector_at = _per_row(members["sector"], list(data.sectors).index).astype(np.intp)
    partner_at = _per_row(members["partner"], list(data.partners).index).astype(np.intp)
    mfn = data.mfn_tariff_rate[sector_at, partner_at]
    floored = np.where(np.isnan(floors), rates, np.maximum(0.0, floors - mfn))
    rate = pd.Series(floored, index=members.index)
    exempt = data.member_exempt_imports
    for code, product_list in value.country_exemptions.items():
        listed = exempt[(exempt["product_list"] == product_list) & (exempt["cty_code"] == code)]
        if listed.empty:
            raise InputError(
                measure.path,
                f"{key}.country_exemptions.{code}",
                "a known product list",
                product_list,
            )
        by_sector = listed.set_index("sector")["exempt_imports_usd"]
        mine = members["cty_code"] == code
        share = (
            members.loc[mine, "sector"].map(by_sector).fillna(0) / members.loc[mine, "imports_usd"]
        )
        rate[mine] = rate[mine] * (1.0 - share.clip(0.0, 1.0))
    return np.asarray(rate.to_numpy(dtype=float))


def _cells(measure: Measure, i: int, value: MeasureValue, data: TradeData) -> MeasureValue:
    members = data.member_imports
    members = members[members["partner"].isin(measure.partners)].reset_index(drop=True)
    weighted = members.assign(
        paid=_member_rates(measure, i, value, data, members) * members["imports_usd"]
    )
    sums = weighted.groupby(["partner", "sector"])[["paid", "imports_usd"]].sum()
    sums = sums[sums["imports_usd"] > 0]
    cells = {
        (str(p), str(s)): float(paid / imports)
        for (p, s), paid, imports in zip(sums.index, sums["paid"], sums["imports_usd"], strict=True)
    }
    return replace(value, rate_by_cell=MappingProxyType(cells))
