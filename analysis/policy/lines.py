"""The law line by line: the tariff on every HS10 x country row of 2024 imports on one day.

The rules are those of :mod:`analysis.policy.stacking`, applied to rows instead of sector x
region cells. For a row ``i`` (line ``h``, country ``c`` in region ``p``, sector ``s``) with
baseline ``b_i`` (the 2024 applied rate, :mod:`analysis.inputs.lines`):

* a measure's **scope** ``g_i`` is 1 or 0 where ``params/line_lists.yaml`` gives it product
  lists (the legal text's annex), else its sector share ``c(s, p)`` on every line of the
  sector (the fallback, as the cell engine does: a share, not a list);
* its **exempt share** ``x_i`` is 1 on an exemption list (``exempt`` in line_lists.yaml, the
  value's ``exempt_lists`` and a country's ``country_exemptions``), combined with any
  ``exempt_sectors.all`` partner share (e.g. USMCA) as ``1 - (1 - a)(1 - b)``; a measure
  without exemption lists keeps its ``exempt_sectors`` shares;
* its **rate** ``r_i`` is, in order of precedence, the list's rate for the line (Section 301
  headings), the country's rate (``rate_by_country``), the sector's, the region's, the
  headline rate; a country with ``floor_by_country`` f pays ``max(0, f - b_i)`` (all-in floor);
* **Section 232** measures (in file order) take ``G_i = sum g_i`` (capped at 1: a line on two
  lists is counted once) out of the reciprocal-type layers; each adds ``g (1 - x) r``, or
  ``g (1 - x) max(0, f - b)`` for an all-in floor;
* a **reciprocal-type** layer adds ``(1 - G) g (1 - x) r`` (``applies_to: non_section232``) or
  ``g (1 - x) r`` (``all``); a floor layer tops up to ``max(0, f - b)`` in place of ``r``;
* a measure in force switches off those it ``supersedes`` for its regions.

The total is ``b_i`` plus the contributions. Aggregates weight rows by 2024 imports (fixed
weights). The metal content of derivative goods is not modelled (as in the cell engine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.lines import LineData
from analysis.inputs.measures import Coverage, Measure, MeasureValue
from analysis.inputs.product_lists import LineLists, ProductLists

GROUPS = ("country", "region", "sector", "chapter", "heading")


@dataclass(frozen=True)
class LineSchedule:
    """Rates of every row on one day, with each measure's contribution."""

    day: dt.date
    lines: LineData
    contributions: Mapping[str, np.ndarray]  # measure id -> (rows,) added rate
    authorities: Mapping[str, str]  # measure id -> legal authority ("Section 232", ...)
    fallback: tuple[str, ...]  # measures in force without a product list (sector shares)

    @property
    def tariff_rate(self) -> np.ndarray:
        total = self.lines.baseline_rate.copy()
        for added in self.contributions.values():
            total += added
        return total

    @property
    def additional_tariff_rate(self) -> np.ndarray:
        return np.asarray(self.tariff_rate - self.lines.baseline_rate)

    def group_index(self, by: str) -> tuple[np.ndarray, np.ndarray]:
        """(row -> group index, group labels) for one of :data:`GROUPS`."""
        lines = self.lines
        if by == "country":
            keys = np.array([c.key for c in lines.countries.countries], dtype=object)
            return lines.country_at, keys
        if by == "region":
            return lines.region_at, np.array(lines.partners, dtype=object)
        if by == "sector":
            return lines.sector_at, np.array(lines.sectors, dtype=object)
        codes = lines.chapter if by == "chapter" else lines.heading
        labels, of_product = np.unique(codes, return_inverse=True)
        return of_product[lines.product_at], labels.astype(object)

    def aggregate(self, by: str, rows: np.ndarray | None = None) -> pd.DataFrame:
        """Import-weighted rates by group, over ``rows`` (a bool mask) or all rows.

        Columns: effective_tariff_rate (with the baseline), additional_tariff_rate (above the
        2024 baseline), imports_usd, and ``rate_<authority>`` (each authority's contribution).
        Groups without imports in ``rows`` are left out.
        """
        at, labels = self.group_index(by)
        weights = self.lines.imports_usd if rows is None else self.lines.imports_usd * rows
        imports = np.bincount(at, weights=weights, minlength=labels.size)
        paid = np.bincount(at, weights=weights * self.tariff_rate, minlength=labels.size)
        base = np.bincount(at, weights=weights * self.lines.baseline_rate, minlength=labels.size)
        keep = imports > 0
        safe = np.where(keep, imports, 1.0)
        frame = pd.DataFrame(
            {
                "effective_tariff_rate": paid / safe,
                "additional_tariff_rate": (paid - base) / safe,
                "imports_usd": imports,
            },
            index=pd.Index(labels, name=by),
        )
        for authority, added in self.by_authority().items():
            part = np.bincount(at, weights=weights * added, minlength=labels.size)
            frame[f"rate_{authority}"] = part / safe
        return frame[keep]

    def by_authority(self) -> dict[str, np.ndarray]:
        """(rows,) contribution of each legal authority (IEEPA, Section 232, ...)."""
        out: dict[str, np.ndarray] = {}
        for mid, added in self.contributions.items():
            name = self.authorities[mid]
            out[name] = out[name] + added if name in out else added.copy()
        return out

    def total(self, rows: np.ndarray | None = None) -> dict[str, float]:
        """Import-weighted rates over ``rows`` (all rows if None)."""
        w = self.lines.imports_usd if rows is None else self.lines.imports_usd * rows
        imports = float(w.sum())
        if imports == 0:
            return {"effective_tariff_rate": 0.0, "additional_tariff_rate": 0.0, "imports_usd": 0}
        return {
            "effective_tariff_rate": float(w @ self.tariff_rate) / imports,
            "additional_tariff_rate": float(w @ self.additional_tariff_rate) / imports,
            "imports_usd": imports,
        }


def _share_rows(
    spec: Mapping[str, Coverage], lines: LineData, skip: frozenset[str] = frozenset()
) -> np.ndarray:
    """(rows,) a sector x region share table (``Coverage`` by sector) on every row."""
    grid = np.zeros((len(lines.sectors), len(lines.partners)))
    for i, sector in enumerate(lines.sectors):
        cov = spec.get(sector)
        if cov is None or cov.same_goods_as in skip:
            continue
        grid[i, :] = [cov.for_partner(p) for p in lines.partners]
    return np.asarray(grid[lines.sector_at, lines.region_at])


def _list_rows(lists: ProductLists, names: tuple[str, ...], lines: LineData) -> np.ndarray:
    """(rows,) 1.0 on any of the lists, else 0.0."""
    on = np.zeros(lines.hs10.size, dtype=bool)
    for name in names:
        on |= lists.mask(name)
    return np.asarray(on[lines.product_at], dtype=float)


def _partner_exemption(m: Measure, lines: LineData) -> np.ndarray:
    """(regions,) the share every sector of a region is exempt (``exempt_sectors.all``, e.g.
    USMCA goods): the smallest share over all sectors, 0 unless every sector has one."""
    shares = np.ones(len(lines.partners))
    for sector in lines.sectors:
        cov = m.exempt_sectors.get(sector)
        row = [0.0 if cov is None else cov.for_partner(p) for p in lines.partners]
        shares = np.minimum(shares, row)
    return shares


def _exempt(m: Measure, value: MeasureValue, spec: LineLists, ctx: _Context) -> np.ndarray:
    """(rows,) the exempt share of each row under this value (module docstring)."""
    lines, lists = ctx.lines, ctx.lists
    value_lists = tuple(n for n in value.exempt_lists if n in lists.masks)
    if spec.exempt:
        listed = _list_rows(lists, spec.exempt + value_lists, lines)
        exempt = 1.0 - (1.0 - listed) * (1.0 - _partner_exemption(m, lines)[lines.region_at])
    else:
        exempt = _share_rows(m.exempt_sectors, lines, ctx.active_232)
        if value_lists:
            exempt = np.maximum(exempt, _list_rows(lists, value_lists, lines))
    for code, name in value.country_exemptions.items():
        mine = ctx.country_rows(code)
        if name in lists.masks:
            exempt = np.where(mine, np.maximum(exempt, lists.mask(name)[lines.product_at]), exempt)
    return np.asarray(np.clip(exempt, 0.0, 1.0))


def _rates(m: Measure, value: MeasureValue, spec: LineLists, ctx: _Context) -> np.ndarray:
    """(rows,) the statutory rate of each row (precedence in the module docstring)."""
    lines = ctx.lines
    by_region = np.array([value.rate_by_partner.get(p, value.rate) for p in lines.partners])
    rate = by_region[lines.region_at]
    if value.rate_by_sector:
        by_sector = np.array([value.rate_by_sector.get(s, np.nan) for s in lines.sectors])
        rate = np.where(np.isnan(by_sector[lines.sector_at]), rate, by_sector[lines.sector_at])
    for code, country_rate in value.rate_by_country.items():
        rate = np.where(ctx.country_rows(code), country_rate, rate)
    if spec.rates_from_list:
        listed = np.full(lines.hs10.size, np.nan)
        for name in spec.scope:
            listed = np.fmax(listed, ctx.lists.rate_on(name, ctx.day))
        rate = np.nan_to_num(listed[lines.product_at])
    return np.asarray(rate, dtype=float)


@dataclass(frozen=True)
class _Context:
    day: dt.date
    lines: LineData
    lists: ProductLists
    active_232: frozenset[str]
    code_index: Mapping[str, int]

    def country_rows(self, code: str) -> np.ndarray:
        index = self.code_index.get(code)
        if index is None:
            return np.zeros(self.lines.rows, dtype=bool)
        return np.asarray(self.lines.country_at == index)


def _in_force(measures: Mapping[str, Measure], day: dt.date) -> list[tuple[Measure, MeasureValue]]:
    out = []
    for measure in measures.values():
        if measure.is_mfn:
            continue
        try:
            out.append((measure, measure.value_on(day)))
        except KeyError:
            continue
    return out


def _regions_on(m: Measure, off: Mapping[str, set[str]], lines: LineData) -> np.ndarray:
    """(rows,) bool: rows of the measure's regions, less those where it is superseded."""
    regions = [lines.partners.index(p) for p in m.partners if p not in off.get(m.id, set())]
    return np.asarray(np.isin(lines.region_at, regions))


def _contribution(
    m: Measure, value: MeasureValue, net: np.ndarray, base: np.ndarray, ctx: _Context
) -> np.ndarray:
    """(rows,) the rate a measure adds on the covered share ``net`` of each row."""
    spec = ctx.lists.measures.get(m.id, LineLists())
    rate = _rates(m, value, spec, ctx)
    floor = m.stacking in ("floor", "section232_floor")
    added = np.maximum(0.0, rate - base) if floor else rate
    for code, cap in value.floor_by_country.items():
        added = np.where(ctx.country_rows(code), np.maximum(0.0, cap - base), added)
    return np.asarray(net * added)


def line_schedule(
    day: dt.date, lines: LineData, lists: ProductLists, measures: Mapping[str, Measure]
) -> LineSchedule:
    """The rate of every row on ``day``: the measures in force stacked line by line."""
    active = _in_force(measures, day)
    off: dict[str, set[str]] = {}
    for m, _ in active:
        for other in m.supersedes:
            off.setdefault(other, set()).update(m.partners)
    ctx = _Context(
        day,
        lines,
        lists,
        frozenset(m.id for m, _ in active if m.is_section232),
        {c.cty_code: i for i, c in enumerate(lines.countries.countries)},
    )
    base = lines.baseline_rate
    in_232 = np.zeros(lines.rows)
    contributions: dict[str, np.ndarray] = {}
    fallback = []
    ordered = sorted(active, key=lambda mv: not mv[0].is_section232)  # Section 232 first
    for m, value in ordered:
        spec = lists.measures.get(m.id, LineLists())
        if spec.scope:
            scope = _list_rows(lists, spec.scope, lines)
        else:
            scope = _share_rows(m.sectors, lines)
            fallback.append(m.id)
        scope = scope * _regions_on(m, off, lines)
        if m.is_section232:
            scope = np.minimum(scope, 1.0 - in_232)  # a line is counted once
            in_232 += scope
        elif m.applies_to == "non_section232":
            scope = scope * (1.0 - in_232)
        net = scope * (1.0 - _exempt(m, value, spec, ctx))
        contributions[m.id] = _contribution(m, value, net, base, ctx)
    return LineSchedule(
        day=day,
        lines=lines,
        contributions=contributions,
        authorities={m.id: m.authority_name for m, _ in active},
        fallback=tuple(fallback),
    )
