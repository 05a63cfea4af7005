"""Exemptions measured on product lists: from a list of tariff lines to a share of each cell.

Some exemptions are legal lists of tariff lines (the electronics of HTSUS note 2(v)(iii)(a),
the farm goods EO 14360 added on 13 Nov 2025). The data file
``analysis/data/exempt_lists_2024_by_sector_partner.csv`` gives, per list, the 2024 imports of
each sector x partner cell on its lines. A measure names the lists that exempt goods from it:

* at the top (``exempt_lists``): exempt whenever the measure is in force; the list's share of
  each cell is added to the measure's ``exempt_sectors`` for that sector and partner;
* in a dated value (``values[i].exempt_lists``): exempt only while that value is in force (the
  stacking engine adds them to the measure's exemptions then).

Shares add because the goods on different lists are different goods; the sum is capped at 1.
Pure: data in, new measures out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

import pandas as pd

from analysis.inputs.datasets import TradeData
from analysis.inputs.errors import InputError
from analysis.inputs.measures import Coverage, Measure


def resolve_exempt_lists(measures: dict[str, Measure], data: TradeData) -> dict[str, Measure]:
    """Every measure, with its named product lists turned into shares of each cell."""
    out = {}
    # A list's cover is a function of the list and the data alone: made once per list in this
    # call (a few lists, named by tens of measure values), the objects immutable.
    covers: dict[str, dict[str, Coverage]] = {}

    def cover_of(measure: Measure, key: str, name: str) -> dict[str, Coverage]:
        if name not in covers:
            covers[name] = _list_cover(measure, key, name, data)
        return covers[name]

    for mid, measure in measures.items():
        exempt = dict(measure.exempt_sectors)
        for name in measure.exempt_lists:
            for sector, cover in cover_of(measure, "exempt_lists", name).items():
                exempt[sector] = _add(exempt.get(sector), cover)
        values = tuple(
            replace(
                v,
                added_exempt=MappingProxyType(_value_cover(measure, i, v.exempt_lists, cover_of)),
            )
            if v.exempt_lists
            else v
            for i, v in enumerate(measure.values)
        )
        out[mid] = replace(measure, exempt_sectors=MappingProxyType(exempt), values=values)
    return out


def _value_cover(
    measure: Measure,
    i: int,
    names: tuple[str, ...],
    cover_of: Callable[[Measure, str, str], dict[str, Coverage]],
) -> dict[str, Coverage]:
    cover: dict[str, Coverage] = {}
    for name in names:
        for sector, c in cover_of(measure, f"values[{i}].exempt_lists", name).items():
            cover[sector] = _add(cover.get(sector), c)
    return cover


def _list_cover(measure: Measure, key: str, name: str, data: TradeData) -> dict[str, Coverage]:
    """The list's share of each sector's trade, by partner."""
    frame: pd.DataFrame = data.exempt_lists
    rows = frame[frame["product_list"] == name]
    if rows.empty:
        known = sorted(set(frame["product_list"]))
        raise InputError(measure.path, key, f"one of {known}", name)
    basis = f"product list {name} (analysis/data/exempt_lists_2024_by_sector_partner.csv)"
    out = {}
    for sector, group in rows.groupby("sector"):
        shares = group["exempt_imports_usd"] / group["imports_usd"]
        by_partner = {str(p): float(s) for p, s in zip(group["partner"], shares, strict=True)}
        out[str(sector)] = Coverage(0.0, MappingProxyType(by_partner), basis)
    return out


def _add(old: Coverage | None, new: Coverage) -> Coverage:
    """Two exemptions of different goods: shares add (capped at 1), partner by partner."""
    if old is None:
        return new
    partners = set(old.by_partner) | set(new.by_partner)
    by_partner = {p: min(1.0, old.for_partner(p) + new.for_partner(p)) for p in partners}
    return Coverage(
        share=min(1.0, old.share + new.share),
        by_partner=MappingProxyType(by_partner),
        basis=f"{old.basis}; plus {new.basis}" if old.basis else new.basis,
        same_goods_as=old.same_goods_as,
    )
