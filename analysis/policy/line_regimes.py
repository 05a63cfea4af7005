"""The model's tariff input from the lines: a regime (a date's law, or a scenario) stacked
line by line (:mod:`analysis.policy.lines`) and summed into sector x source cells.

A scenario is the law of its regime date with changes (:func:`analysis.policy.regimes.resolve`
turns them into :class:`analysis.policy.stacking.ActiveMeasure`). Each reaches the line engine
as a :class:`analysis.policy.lines.LineMeasure` with the same meaning as in the cell engine:

* a new headline rate (no scope) replaces the measure's headline rate and drops its member
  countries' rates (``rate_by_country``, ``floor_by_country``): every member now pays it;
* a new rate for some regions replaces their rate and drops their countries' rates;
* a new rate for some sectors (of some regions) sets exactly those region x sector cells;
* a removal switches the measure off everywhere, or in the regions x sectors it names;
* ``as_of``: the measure's value on that date, as written.

The cells are sector x source, where the sources are the 8 regions with the countries of
``split`` standing alone. A cell's rate is the import-weighted mean of its rows' rates (2024
weights); its baseline (``mfn_tariff_rate`` of the schedule) is the mean of the rows' 2024
applied rates (:mod:`analysis.inputs.lines`), not the column-1 general rate; its weights
(``imports_usd``) are the rows' 2024 imports. A region's rate is therefore exactly the
import-weighted mean of its countries' rates.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

import numpy as np

from analysis.inputs.lines import LazyLines, LineData
from analysis.policy import line_steps
from analysis.policy.line_steps import remembered
from analysis.policy.lines import LineMeasure, LineSchedule, line_schedule
from analysis.policy.row_parts import RowParts
from analysis.policy.row_stacking import RowStacking
from analysis.policy.stacking import ActiveMeasure, TariffSchedule

_EMPTY: Mapping[str, float] = MappingProxyType({})


def line_measure(am: ActiveMeasure, region_of: Mapping[str, str]) -> LineMeasure:
    """One measure of a regime for the line engine (module docstring);
    ``region_of``: Census code -> region."""
    if am.value is None:  # switched on by a scenario: its first value, bare
        first = am.measure.values[0]
        value = replace(
            first,
            rate_by_country=_EMPTY,
            floor_by_country=_EMPTY,
            country_exemptions=MappingProxyType({}),
            rate_by_cell=MappingProxyType({}),
            exempt_lists=(),
        )
    else:
        value = am.value
    dropped = am.members_dropped
    by_country = {c: r for c, r in value.rate_by_country.items() if region_of[c] not in dropped}
    floors = {c: r for c, r in value.floor_by_country.items() if region_of[c] not in dropped}
    # The loaded member cells are the countries' rates weighted (the line engine takes the
    # countries' own); the other cells are a scenario's scoped rates.
    cells = {c: r for c, r in am.rate_by_cell.items() if value.rate_by_cell.get(c) != r}
    value = replace(
        value,
        rate=am.rate,
        rate_by_partner=MappingProxyType(dict(am.rate_by_partner)),
        rate_by_sector=MappingProxyType(dict(am.rate_by_sector)),
        rate_by_country=MappingProxyType(by_country),
        floor_by_country=MappingProxyType(floors),
    )
    return LineMeasure(am.measure, value, frozenset(am.excluded), cells)


def _sources(lines: LineData, split: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(source labels, country -> source index): the regions, then each split country."""
    labels = list(lines.partners)
    countries = lines.countries.countries
    source_of = np.array([lines.partners.index(c.region) for c in countries])
    keys = [c.key for c in countries]
    codes = [c.cty_code for c in countries]
    for name in split:
        index = keys.index(name) if name in keys else codes.index(name)
        source_of[index] = len(labels)
        labels.append(keys[index])
    return labels, source_of


def _sums(cell: np.ndarray, w: np.ndarray, shape: tuple[int, int]) -> Callable[..., np.ndarray]:
    def total(
        values: np.ndarray, rows: np.ndarray | None = None, *, on_rows: bool = False
    ) -> np.ndarray:
        """Import-weighted sums by cell; ``rows``: the only rows where ``values`` are not 0
        (ascending), when known (the same sums in the same order: a 0 adds nothing);
        ``on_rows``: ``values`` are given on ``rows`` only."""
        if rows is None:
            weighted, at = w * values, cell
        else:
            weighted, at = w[rows] * (values if on_rows else values[rows]), cell[rows]
        return np.bincount(at, weights=weighted, minlength=shape[0] * shape[1]).reshape(shape)

    return total


def _frame(
    lines: LineData, split: Sequence[str]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(source labels, each row's cell, imports by cell, the same with 1 for 0, the MFN
    baseline by cell): the same for every regime of ``lines`` and ``split``."""
    labels, source_of = _sources(lines, split)
    shape = (len(lines.sectors), len(labels))
    cell = lines.sector_at.astype(np.intp) * shape[1] + source_of[lines.country_at]
    imports = _sums(cell, lines.imports_usd, shape)(np.ones(lines.rows))
    safe = np.where(imports > 0, imports, 1.0)
    mfn = _sums(cell, lines.imports_usd, shape)(lines.baseline_rate) / safe
    return tuple(labels), cell, imports, safe, mfn


def cell_schedule(
    schedule: LineSchedule, active: Sequence[ActiveMeasure], split: Sequence[str] = ()
) -> TariffSchedule:
    """The line schedule summed into sector x source cells (module docstring). Inside a
    :func:`analysis.policy.line_steps.shared_steps` block of its
    :data:`~analysis.policy.line_steps.CELL_STEPS`, a measure's cells are summed once per
    contribution (its rows by identity, its values bit for bit), the Section 232 share's once
    per share: the same sums."""
    contributions = schedule.contributions
    parts: list[tuple[str, Callable[[], _Part], _Source | None]] = []
    for mid in contributions:
        source = contributions.on_rows(mid) if isinstance(contributions, RowParts) else None
        parts.append((mid, functools.partial(_on_rows, schedule, mid), source))
    share_232 = schedule.section232_share
    section232 = None
    if share_232.size:
        section232 = (_ready((share_232, None, False)), (None, share_232))
    return _lazy_cells(schedule.lines, parts, section232, active, split)


def _ready(part: _Part) -> Callable[[], _Part]:
    return lambda: part


def _on_rows(schedule: LineSchedule, mid: str) -> _Part:
    """(values, rows or None, on rows only) of a measure, as :func:`_cells` sums them."""
    if isinstance(schedule.contributions, RowParts):  # where not 0: the same sums
        rows, values = schedule.contributions.nonzero(mid)
        return values, rows, True
    return schedule.contributions[mid], schedule.reached.get(mid), False


def stacked_cells(
    lines: LineData,
    stacking: RowStacking,
    active: Sequence[ActiveMeasure],
    split: Sequence[str] = (),
) -> TariffSchedule:
    """:func:`cell_schedule` of the line schedule ``stacking`` keeps (the same numbers, bit
    for bit: the sums run over the same nonzero terms in the same order)."""
    if stacking.rows != lines.rows:
        raise ValueError(f"a stacking of {stacking.rows} rows for lines of {lines.rows}")
    parts = stacking.parts()
    rows_232, share_232 = parts.pop()
    items = [
        (m, values, rows, True) for m, (rows, values) in zip(stacking.measures, parts, strict=True)
    ]
    return _cells(lines, items, (share_232, rows_232, True), active, split)


_Part = tuple[np.ndarray, np.ndarray | None, bool]  # (values, rows or None, on rows only)
_Source = tuple[np.ndarray | None, np.ndarray]  # (rows by identity or None, values there)


def _cells(
    lines: LineData,
    parts: Sequence[tuple[str, np.ndarray, np.ndarray | None, bool]],
    section232: _Part | None,
    active: Sequence[ActiveMeasure],
    split: Sequence[str],
) -> TariffSchedule:
    """The cells of each measure's contribution (``parts``, in stacking order) and of the
    Section 232 share paying (none: 0 everywhere)."""
    lazy = [(m, _ready((values, rows, on)), None) for m, values, rows, on in parts]
    share = None if section232 is None else (_ready(section232), None)
    return _lazy_cells(lines, lazy, share, active, split)


def _lazy_cells(
    lines: LineData,
    parts: Sequence[tuple[str, Callable[[], _Part], _Source | None]],
    section232: tuple[Callable[[], _Part], _Source | None] | None,
    active: Sequence[ActiveMeasure],
    split: Sequence[str],
) -> TariffSchedule:
    """The cells of each measure's contribution (``parts``, in stacking order: each measure's
    sum's terms when asked, and what names them for :func:`analysis.policy.line_steps
    .by_content`, if anything) and of the Section 232 share paying (none: 0 everywhere)."""
    key = ("cell frame", id(lines), tuple(split))
    labels, cell, imports, safe, mfn = remembered(key, (lines,), lambda: _frame(lines, split))
    shape = imports.shape
    total = _sums(cell, lines.imports_usd, shape)

    def rates(name: str, part: Callable[[], _Part], source: _Source | None) -> np.ndarray:
        def summed() -> np.ndarray:
            values, rows, on_rows = part()
            return np.asarray(total(values, rows, on_rows=on_rows) / safe)

        if source is None:
            return summed()
        at, values = source
        named = (lines, at)
        return line_steps.by_content(
            ("measure cells", name, id(lines), tuple(split), id(at)), named, values, summed
        )

    share_232 = np.zeros(shape)
    if section232 is not None:
        share_232 = rates("section 232 share", *section232)
    return TariffSchedule(
        sectors=lines.sectors,
        partners=labels,
        imports_usd=imports,
        mfn_tariff_rate=mfn,
        contributions={m: rates(m, part, source) for m, part, source in parts},
        layers={am.measure.id: am.measure.layer for am in active},
        section232_share=share_232,
        active=tuple(active),
    )


def line_stacking(
    day: dt.date,
    lazy: LazyLines,
    active: Sequence[ActiveMeasure],
    *,
    usmca_claimed: bool = True,
    days: Mapping[str, dt.date] | None = None,
) -> LineSchedule:
    """The regime ``active`` (on ``day``: the month of the USMCA shares and of the product
    lists; a measure of ``days`` on its own day) stacked line by line; with
    ``usmca_claimed=False`` every USMCA share is 0 (no good entered under USMCA: the measures'
    rates as written)."""
    lines = lazy.get()
    region_of = {c.cty_code: c.region for c in lines.countries.countries}
    chosen = [line_measure(am, region_of) for am in active]
    measures = {am.measure.id: am.measure for am in active}
    usmca = lazy.usmca()
    if not usmca_claimed:
        usmca = replace(usmca, shares=np.zeros_like(usmca.shares))
    return line_schedule(
        day, lines, lazy.product_lists(), measures, usmca, active=chosen, days=days
    )


def unstacked(
    day: dt.date, lazy: LazyLines, stacking: RowStacking, active: Sequence[ActiveMeasure]
) -> LineSchedule:
    """The line schedule a :class:`RowStacking` keeps (of ``active`` on ``day``): each
    measure's contribution where it is not 0 (0 elsewhere, +0 where the engine had -0), the
    Section 232 share paying, each measure's authority and whether it falls back on sector
    shares (no product list)."""
    lines = lazy.get()
    if stacking.rows != lines.rows:
        raise ValueError(f"a stacking of {stacking.rows} rows for lines of {lines.rows}")
    parts = stacking.parts()
    rows_232, share_232 = parts.pop()
    paying_232 = np.zeros(lines.rows)
    paying_232[rows_232] = share_232
    authority = {am.measure.id: am.measure.authority_name for am in active}
    specs = lazy.product_lists().measures
    return LineSchedule(
        day=day,
        lines=lines,
        contributions=RowParts(lines.rows, dict(zip(stacking.measures, parts, strict=True))),
        authorities={mid: authority[mid] for mid in stacking.measures},
        fallback=tuple(m for m in stacking.measures if m not in specs or not specs[m].scope),
        section232_share=paying_232,
        reached={mid: rows for mid, (rows, _) in zip(stacking.measures, parts, strict=True)},
    )


def lines_schedule(
    day: dt.date,
    lazy: LazyLines,
    active: Sequence[ActiveMeasure],
    split: Sequence[str] = (),
    *,
    usmca_claimed: bool = True,
    days: Mapping[str, dt.date] | None = None,
) -> TariffSchedule:
    """The regime ``active`` from the lines (:func:`line_stacking`; a measure of ``days`` on
    its own day), as sector x source cells."""
    schedule = line_stacking(day, lazy, active, usmca_claimed=usmca_claimed, days=days)
    return cell_schedule(schedule, active, split)
