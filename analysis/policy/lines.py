"""The law line by line: the tariff on every HS10 x country row of 2024 imports on one day.

The rules are those of :mod:`analysis.policy.stacking`, applied to rows instead of sector x
region cells. For a row ``i`` (line ``h``, country ``c`` in region ``p``, sector ``s``) with
baseline ``b_i`` (the 2024 applied rate, :mod:`analysis.inputs.lines`):

* a measure's **scope** ``g_i`` is 1 or 0 where ``params/line_lists.yaml`` gives it product
  lists (the legal text's annex), else its sector share ``c(s, p)`` on every line of the
  sector (the fallback, as the cell engine does: a share, not a list); a line on a ``shared``
  list (a general-purpose provision the law lists, of which only some trade is in scope)
  takes the sector share;
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
* a measure in force switches off those it ``supersedes`` for its regions (and a superseded
  Section 232 measure's goods stay out of the ``same_goods_as`` exemptions);
* a scenario's changes (:mod:`analysis.policy.line_regimes`) reach a measure as a
  :class:`LineMeasure`: its value with the scenario's rates, the region x sector cells where it
  is switched off (``excluded``) and those where a scoped change sets its rate (``cells``, which
  win over every other rate).

The total is ``b_i`` plus the contributions. Aggregates weight rows by 2024 imports (fixed
weights). A Section 232 measure with ``metal_content`` taxes only the metal share of value of
its derivative lines (:mod:`analysis.policy.metal_content`): ``G`` then counts the share that
leaves the reciprocal-type layers, the whole line or only its metal content by date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.inputs.lines import LineData, UsmcaShares
from analysis.inputs.measures import Coverage, Measure, MeasureValue
from analysis.inputs.product_lists import LineLists, ProductLists
from analysis.policy import line_steps
from analysis.policy.metal_content import content_split
from analysis.policy.row_parts import RowParts

GROUPS = ("country", "region", "sector", "chapter", "heading")


@dataclass(frozen=True)
class LineMeasure:
    """A measure as one regime applies it: a value, less switched-off cells, with set cells."""

    measure: Measure
    value: MeasureValue
    excluded: frozenset[tuple[str, str | None]] = frozenset()  # (region, sector or None)
    cells: Mapping[tuple[str, str], float] = field(default_factory=dict)  # (region, sector)


@dataclass(frozen=True)
class LineSchedule:
    """Rates of every row on one day, with each measure's contribution."""

    day: dt.date
    lines: LineData
    # measure id -> (rows,) added rate (the engine's: a RowParts, spread when first read)
    contributions: Mapping[str, np.ndarray]
    authorities: Mapping[str, str]  # measure id -> legal authority ("Section 232", ...)
    fallback: tuple[str, ...]  # measures in force without a product list (sector shares)
    section232_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (rows,) net
    # measure id -> the rows it reaches (ascending): its contribution is 0 on every other row
    reached: Mapping[str, np.ndarray] = field(default_factory=dict)

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

    def partition_cells(self, split: tuple[str, ...] = ()) -> pd.DataFrame:
        """The model's input from the lines: one row per GTAP sector x source, where the
        sources are the 8 regions with the countries in ``split`` (ISO3 or Census codes)
        standing alone (e.g. ``("KOR",)`` takes Korea out of ``ftrow``).

        Columns: sector, partner, imports_usd, baseline_rate (the 2024 applied rate),
        tariff_rate (with the measures), additional_tariff_rate; import-weighted.
        """
        lines = self.lines
        keys = [c.key for c in lines.countries.countries]
        codes = [c.cty_code for c in lines.countries.countries]
        labels = list(lines.partners)
        group_of_country = np.array(
            [lines.partners.index(c.region) for c in lines.countries.countries]
        )
        for name in split:
            index = keys.index(name) if name in keys else codes.index(name)
            group_of_country[index] = len(labels)
            labels.append(keys[index])
        cell = lines.sector_at.astype(np.intp) * len(labels) + group_of_country[lines.country_at]
        size = len(lines.sectors) * len(labels)
        w = lines.imports_usd
        imports = np.bincount(cell, weights=w, minlength=size)
        base = np.bincount(cell, weights=w * lines.baseline_rate, minlength=size)
        paid = np.bincount(cell, weights=w * self.tariff_rate, minlength=size)
        safe = np.where(imports > 0, imports, 1.0)
        return pd.DataFrame(
            {
                "sector": np.repeat(lines.sectors, len(labels)),
                "partner": np.tile(labels, len(lines.sectors)),
                "imports_usd": imports,
                "baseline_rate": base / safe,
                "tariff_rate": paid / safe,
                "additional_tariff_rate": (paid - base) / safe,
            }
        )

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


@dataclass(frozen=True)
class _Rows:
    """The rows one measure can reach (its regions, its lists), as index arrays."""

    idx: np.ndarray
    product_at: np.ndarray
    country_at: np.ndarray
    region_at: np.ndarray
    sector_at: np.ndarray
    base: np.ndarray

    @classmethod
    def of(cls, lines: LineData, on: np.ndarray) -> _Rows:
        idx = np.flatnonzero(on)
        return cls(
            idx,
            lines.product_at[idx],
            lines.country_at[idx],
            lines.region_at[idx],
            lines.sector_at[idx],
            lines.baseline_rate[idx],
        )


def _share_grid(
    spec: Mapping[str, Coverage], lines: LineData, skip: frozenset[str] = frozenset()
) -> np.ndarray:
    """(sectors, regions) a share table given by sector (``Coverage``)."""
    grid = np.zeros((len(lines.sectors), len(lines.partners)))
    for i, sector in enumerate(lines.sectors):
        cov = spec.get(sector)
        if cov is None or cov.same_goods_as in skip:
            continue
        grid[i, :] = [cov.for_partner(p) for p in lines.partners]
    return grid


def _share_rows(grid: np.ndarray, rows: _Rows) -> np.ndarray:
    """(rows,) a sector x region share on every row."""
    return np.asarray(grid[rows.sector_at, rows.region_at])


def _on_lists(
    lists: ProductLists, names: tuple[str, ...], products: int, day: dt.date
) -> np.ndarray:
    """(products,) bool: on any of the lists on ``day``."""
    on = np.zeros(products, dtype=bool)
    for name in names:
        on |= lists.mask_on(name, day)
    return on


def _partner_exemption(m: Measure, lines: LineData) -> np.ndarray:
    """(regions,) the share every sector of a region is exempt (``exempt_sectors.all``, e.g.
    USMCA goods): the smallest share over all sectors, 0 unless every sector has one."""
    shares = np.ones(len(lines.partners))
    for sector in lines.sectors:
        cov = m.exempt_sectors.get(sector)
        row = [0.0 if cov is None else cov.for_partner(p) for p in lines.partners]
        shares = np.minimum(shares, row)
    return shares


def _exempt(
    m: Measure, value: MeasureValue, spec: LineLists, ctx: _Context, rows: _Rows
) -> np.ndarray:
    """(rows,) the exempt share of each row under this value (module docstring).

    The share is ``1 - (1 - o)(1 - a)``: ``a`` the partner-wide share (``exempt_sectors.all``,
    e.g. USMCA goods; the row's monthly USMCA share times ``usmca_exempt`` where the measure
    has one), ``o`` the product exemption (on a list, or the sector share net of ``a``).
    """
    lines, lists = ctx.lines, ctx.lists
    value_lists = tuple(n for n in value.exempt_lists if n in lists.masks)
    partner = _partner_exemption(m, lines)[rows.region_at]
    if spec.exempt:
        other = _on_lists(lists, spec.exempt + value_lists, lines.hs10.size, ctx.day)[
            rows.product_at
        ]
        other = other.astype(float)
    else:
        share = _share_rows(_share_grid(m.exempt_sectors, lines, ctx.active_232), rows)
        room = np.where(partner < 1.0, 1.0 - partner, 1.0)
        other = np.clip((share - partner) / room, 0.0, 1.0)
        if value_lists:
            listed = _on_lists(lists, value_lists, lines.hs10.size, ctx.day)[rows.product_at]
            other = np.maximum(other, listed)
    if spec.usmca_exempt is not None and ctx.usmca is not None:
        partner = ctx.usmca_share(rows, spec.usmca_exempt, partner)
    exempt = 1.0 - (1.0 - other) * (1.0 - partner)
    for code, names in spec.country_exempt.items():
        index = ctx.code_index.get(code)
        if index is not None:
            listed = _on_lists(lists, names, lines.hs10.size, ctx.day)[rows.product_at]
            exempt = np.where((rows.country_at == index) & listed, 1.0, exempt)
    for code, name in value.country_exemptions.items():
        index = ctx.code_index.get(code)
        if name in lists.masks and index is not None:
            mine = (rows.country_at == index) & lists.mask(name)[rows.product_at]
            exempt = np.where(mine, 1.0, exempt)
    return np.asarray(np.clip(exempt, 0.0, 1.0))


def _cell_grid(cells: Mapping[tuple[str, str], float], lines: LineData) -> np.ndarray:
    """(sectors, regions) the rates of ``cells``, NaN elsewhere."""
    grid = np.full((len(lines.sectors), len(lines.partners)), np.nan)
    for (region, sector), rate in cells.items():
        if region in lines.partners and sector in lines.sectors:
            grid[lines.sectors.index(sector), lines.partners.index(region)] = rate
    return grid


def _rates(lm: LineMeasure, spec: LineLists, ctx: _Context, rows: _Rows) -> np.ndarray:
    """(rows,) the statutory rate of each row (precedence in the module docstring)."""
    lines, value = ctx.lines, lm.value
    by_region = np.array([value.rate_by_partner.get(p, value.rate) for p in lines.partners])
    rate = by_region[rows.region_at]
    if value.rate_by_sector:
        by_sector = np.array([value.rate_by_sector.get(s, np.nan) for s in lines.sectors])
        rate = np.where(np.isnan(by_sector[rows.sector_at]), rate, by_sector[rows.sector_at])
    if value.rate_by_country:
        by_country = ctx.by_country(value.rate_by_country)[rows.country_at]
        rate = np.where(np.isnan(by_country), rate, by_country)
    if spec.rates_from_list:
        listed = np.full(lines.hs10.size, np.nan)
        for name in spec.scope:
            listed = np.fmax(listed, ctx.lists.rate_on(name, ctx.day))
        rate = np.nan_to_num(listed[rows.product_at])
    if lm.cells:
        cell = _share_rows(_cell_grid(lm.cells, lines), rows)
        rate = np.where(np.isnan(cell), rate, cell)
    return np.asarray(rate, dtype=float)


@dataclass(frozen=True)
class _Context:
    day: dt.date
    lines: LineData
    lists: ProductLists
    active_232: frozenset[str]
    code_index: Mapping[str, int]
    usmca: UsmcaShares | None = None

    def usmca_share(self, rows: _Rows, part: float, default: np.ndarray) -> np.ndarray:
        """(rows,) ``part`` x the row's USMCA share this month; ``default`` where none."""
        assert self.usmca is not None
        pos = self.usmca.position[rows.idx]
        month = self.usmca.on(self.day)
        share = np.where(pos >= 0, month[np.maximum(pos, 0)], np.nan)
        return np.asarray(np.where(np.isnan(share), default, part * share))

    def by_country(self, rates: Mapping[str, float]) -> np.ndarray:
        """(countries,) the rate of each listed country (Census code), NaN elsewhere."""
        out = np.full(len(self.code_index), np.nan)
        for code, rate in rates.items():
            if code in self.code_index:
                out[self.code_index[code]] = rate
        return out


def _in_force(measures: Mapping[str, Measure], day: dt.date) -> list[LineMeasure]:
    out = []
    for measure in measures.values():
        if measure.is_mfn:
            continue
        try:
            out.append(LineMeasure(measure, measure.value_on(day)))
        except KeyError:
            continue
    return out


def _section232_goods(chosen: Sequence[LineMeasure]) -> frozenset[str]:
    """The Section 232 measures whose goods are out of the other layers' sector exemptions
    (``same_goods_as``): those in force and those they supersede (the same goods under a
    later proclamation, e.g. copper from 6 Apr 2026)."""
    ids = {lm.measure.id for lm in chosen if lm.measure.is_section232}
    for lm in chosen:
        if lm.measure.is_section232:
            ids.update(lm.measure.supersedes)
    return frozenset(ids)


def _excluded_rows(lm: LineMeasure, rows: _Rows, lines: LineData) -> np.ndarray:
    """(rows,) bool: in a region x sector cell (or a whole region) where ``lm`` is off."""
    grid = np.zeros((len(lines.sectors), len(lines.partners)), dtype=bool)
    for region, sector in lm.excluded:
        if region not in lines.partners:
            continue
        j = lines.partners.index(region)
        if sector is None:
            grid[:, j] = True
        elif sector in lines.sectors:
            grid[lines.sectors.index(sector), j] = True
    return np.asarray(grid[rows.sector_at, rows.region_at])


def _reach(
    m: Measure, spec: LineLists, off: Mapping[str, set[str]], ctx: _Context
) -> tuple[_Rows, np.ndarray]:
    """The rows a measure reaches (its regions, less those where it is superseded, on its
    lists or in its sectors) and its scope on each: 1 on a list, else the sector share."""
    lines = ctx.lines
    on = np.array([p in m.partners and p not in off.get(m.id, set()) for p in lines.partners])
    if spec.scope or spec.shared:
        listed = _on_lists(ctx.lists, spec.scope, lines.hs10.size, ctx.day)
        shared = _on_lists(ctx.lists, spec.shared, lines.hs10.size, ctx.day) & ~listed
        rows = _Rows.of(lines, on[lines.region_at] & (listed | shared)[lines.product_at])
        scope = np.where(
            listed[rows.product_at], 1.0, _share_rows(_share_grid(m.sectors, lines), rows)
        )
        return rows, np.asarray(scope)
    grid = _share_grid(m.sectors, lines)
    reached = (grid > 0) & on[np.newaxis, :]
    cell_at = lines.sector_at.astype(np.intp) * len(lines.partners) + lines.region_at
    rows = _Rows.of(lines, reached.ravel()[cell_at])
    return rows, _share_rows(grid, rows)


def _added(lm: LineMeasure, spec: LineLists, ctx: _Context, rows: _Rows) -> np.ndarray:
    """(rows,) the rate a measure adds on each row where it is covered."""
    m, value = lm.measure, lm.value
    rate = _rates(lm, spec, ctx, rows)
    floor = m.stacking in ("floor", "section232_floor")
    added = np.maximum(0.0, rate - rows.base) if floor else rate
    if value.floor_by_country:
        cap = ctx.by_country(value.floor_by_country)[rows.country_at]
        added = np.where(np.isnan(cap), added, np.maximum(0.0, cap - rows.base))
    return np.asarray(added)


def _contribution(lm: LineMeasure, net: np.ndarray, ctx: _Context, rows: _Rows) -> np.ndarray:
    """(rows,) the rate a measure adds on the covered share ``net`` of each row."""
    spec = ctx.lists.measures.get(lm.measure.id, LineLists())
    return np.asarray(net * line_steps.added(_added, lm, spec, ctx, rows))


def line_schedule(
    day: dt.date,
    lines: LineData,
    lists: ProductLists,
    measures: Mapping[str, Measure],
    usmca: UsmcaShares | None = None,
    active: Sequence[LineMeasure] | None = None,
    days: Mapping[str, dt.date] | None = None,
) -> LineSchedule:
    """The rate of every row on ``day``: the measures in force (or ``active``, a scenario's
    measures) stacked line by line, with the monthly USMCA shares of ``usmca`` where a
    measure exempts USMCA goods. ``days``: the day a measure (by id) is read on where it is
    not ``day`` (its lists, tranches, metal content and USMCA month), for a regime made of two
    regimes' measures, each as in force on its own regime's day."""
    chosen = list(_in_force(measures, day) if active is None else active)
    off: dict[str, set[str]] = {}
    for lm in chosen:
        for other in lm.measure.supersedes:
            off.setdefault(other, set()).update(lm.measure.partners)
    ctx = _Context(
        day,
        lines,
        lists,
        _section232_goods(chosen),
        {c.cty_code: i for i, c in enumerate(lines.countries.countries)},
        usmca,
    )
    in_232 = np.zeros(lines.rows)  # the share out of the reciprocal-type layers
    claimed = np.zeros(lines.rows)  # the share a Section 232 measure has counted
    paying_232 = np.zeros(lines.rows)
    parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # each measure on the rows it reaches
    fallback = []
    ordered = sorted(chosen, key=lambda lm: not lm.measure.is_section232)  # Section 232 first
    for lm in ordered:
        m = lm.measure
        spec = lists.measures.get(m.id, LineLists())
        ctx = replace(ctx, day=(days or {}).get(m.id, day))
        if not spec.scope:
            fallback.append(m.id)
        rows, scope = line_steps.reach(_reach, m, spec, off, ctx)
        if lm.excluded:
            scope = np.where(_excluded_rows(lm, rows, lines), 0.0, scope)
        if m.is_section232:
            scope = np.minimum(scope, 1.0 - claimed[rows.idx])  # a line is counted once
            claimed[rows.idx] += scope
            scope, leaving = content_split(spec, lists, ctx.day, rows.product_at, scope)
            in_232[rows.idx] += leaving
        elif m.applies_to == "non_section232":
            scope = scope * (1.0 - in_232[rows.idx])
        net = scope * (1.0 - line_steps.exempt(_exempt, m, lm.value, spec, ctx, rows))
        if m.is_section232:
            paying_232[rows.idx] += net
        parts[m.id] = (rows.idx, _contribution(lm, net, ctx, rows))
    return LineSchedule(
        day=day,
        lines=lines,
        contributions=RowParts(lines.rows, parts),
        authorities={lm.measure.id: lm.measure.authority_name for lm in chosen},
        fallback=tuple(fallback),
        section232_share=paying_232,
        reached={mid: at for mid, (at, _) in parts.items()},
    )
