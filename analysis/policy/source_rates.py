"""A day's law as each source's rate by measure: every region whole and every country alone.

A report that draws a partner's tariff over time needs, for each change day, the partner's
import-weighted rate of each measure (by layer, by authority) and which measures add to it
somewhere, not the day's sector x source cells. :class:`SourceRates` holds exactly that for
every source at once: the 8 regions whole and each country of the lines standing alone (its own
rows), so one table per day serves every partner report and any split.

For a source ``j`` and a measure ``m`` the cell of sector ``s`` is ``c[s, j] = sum_i w_i a_i /
W[s, j]`` over the source's rows ``i`` of the sector (``w`` 2024 imports, ``a`` the measure's
contribution on the row, ``W`` the cell's imports, 1 where 0), and the source's rate is
``sum_s c[s, j] W[s, j] / sum_s W[s, j]``: the numbers of
:meth:`analysis.policy.stacking.TariffSchedule.measure_rates` for the source of the day's
schedule (:func:`analysis.policy.line_regimes.stacked_cells`) with that country split out, or
with no split for a region, bit for bit. The cell sums are those of ``stacked_cells``: one
grouped sum (``np.bincount``) over the same rows in the same order, the regions' bins and the
countries' bins apart (a bin's sum is its rows' terms in row order, whatever the other bins), and
the sums over sectors are each source's contiguous row, as the one-partner formula sums it
(:func:`analysis.questions.timeline.every_partners_authority_rates` relies on the same).

With a ``split`` (countries by key) the table also holds what the schedule with those countries
split out sums (:func:`analysis.policy.regimes.schedule_for_date` with ``split``): each region's
remainder (its rows less the split countries': a third grouped sum over the same rows in the
same order, the split countries' rows in a bin of their own that is dropped), each of that
schedule's sources' imports summed over sectors (its column, as ``imports_usd.sum(axis=0)``
sums it) and every measure's rate over all its cells (``measure_rates(None)``: the cells of the
remainders and of the split countries side by side, summed as one array). A timeline that
splits the largest suppliers out then reads them from the day's shared table instead of
summing a split schedule's cells again, bit for bit the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs.lines import LineData
from analysis.policy.line_steps import by_content, remembered
from analysis.policy.row_stacking import RowStacking
from analysis.policy.stacking import MFN, ActiveMeasure, TariffSchedule


@dataclass(frozen=True)
class SourceRates:
    """One day's import-weighted rates of each measure for every source (regions, then the
    countries by key); ``measures`` in stacking order, ``active`` every measure in force
    (id, layer, legal authority) in the law's order."""

    day: dt.date
    sources: tuple[str, ...]
    measures: tuple[str, ...]
    active: tuple[tuple[str, str, str], ...]
    rates: np.ndarray  # (measures, sources) import-weighted added rate
    mfn_rate: np.ndarray  # (sources,) import-weighted MFN (2024 applied) rate
    reaches: np.ndarray  # (measures, sources) bool: adds a rate in some sector cell
    split: tuple[str, ...] = ()  # countries (keys) split out of their regions, in order
    remainder_rates: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    # (measures, regions) each region less the split countries
    split_imports: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # (regions + split,) each source of the split schedule: its imports over sectors
    all_rates: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # (measures,) import-weighted over every cell of the split schedule

    def _column(self, partner: str) -> int:
        try:
            return self.sources.index(partner)
        except ValueError:
            raise KeyError(f"{partner!r} is not a source of the law of {self.day}") from None

    def layer_rates(self, partner: str) -> pd.Series:
        """:meth:`analysis.policy.stacking.TariffSchedule.layer_rates` of ``partner``."""
        j = self._column(partner)
        layer_of = {mid: layer for mid, layer, _ in self.active}
        out = {MFN: float(self.mfn_rate[j])}
        for i, mid in enumerate(self.measures):
            layer = layer_of[mid]
            out[layer] = out.get(layer, 0.0) + float(self.rates[i, j])
        return pd.Series(out, name="tariff_rate")

    def authority_rates(self, partner: str) -> dict[str, float]:
        """:func:`analysis.questions.timeline.authority_rates` of ``partner`` (every authority
        in force, 0 where it adds nothing)."""
        return self._by_authority(self.rates[:, self._column(partner)])

    def _by_authority(self, column: np.ndarray) -> dict[str, float]:
        """Each authority in force (in the law's order): the sum of its measures' ``column``
        (by measure, in stacking order), 0 for a measure that stacks nothing."""
        row = {m: i for i, m in enumerate(self.measures)}
        out: dict[str, float] = {}
        for mid, _, authority in self.active:
            i = row.get(mid)
            out[authority] = out.get(authority, 0.0) + (0.0 if i is None else float(column[i]))
        return out

    def split_authority_rates(self) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
        """The schedule with :attr:`split` split out, as
        :func:`analysis.questions.timeline.every_partners_authority_rates` reads it: each of
        its sources' authority rates (a region: its remainder; then the split countries) and
        imports over sectors; bit for bit."""
        regions = self.sources[: self.remainder_rates.shape[1]]
        out = {r: self._by_authority(self.remainder_rates[:, j]) for j, r in enumerate(regions)}
        out |= {c: self.authority_rates(c) for c in self.split}
        names = (*regions, *self.split)
        imports = {p: float(v) for p, v in zip(names, self.split_imports, strict=True)}
        return out, imports

    def all_authority_rates(self) -> dict[str, float]:
        """:func:`analysis.questions.timeline.authority_rates` of the split schedule, every
        partner together (``None``): bit for bit."""
        return self._by_authority(self.all_rates)

    def reaching(self, partner: str) -> set[str]:
        """The measures that add a rate to ``partner`` in some sector."""
        j = self._column(partner)
        return {m for i, m in enumerate(self.measures) if self.reaches[i, j]}


def _grouped(at: np.ndarray, weighted: np.ndarray, sectors: int, sources: int) -> np.ndarray:
    return np.bincount(at, weights=weighted, minlength=sectors * sources).reshape(sectors, sources)


def _by_source(cells: np.ndarray, weights: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """(sources,) each column's ``sum_s cells * weights / imports``, summed as one column."""
    return np.asarray(np.ascontiguousarray((cells * weights).T).sum(axis=1) / imports)


@dataclass(frozen=True)
class _Frame:
    """What every day's rates of ``lines`` share: each row's region and country cells, the
    cells' imports (1 for 0), each source's imports and MFN rate."""

    region_cell: np.ndarray
    country_cell: np.ndarray
    safe: np.ndarray  # (sectors, regions + countries)
    imports: np.ndarray  # (sectors, regions + countries)
    totals: np.ndarray  # (regions + countries,)
    mfn_rate: np.ndarray  # (regions + countries,)


def _cells(
    lines: LineData,
    frame: tuple[np.ndarray, np.ndarray],
    rows: np.ndarray | None,
    values: np.ndarray,
    remainder_cell: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """(sectors, regions + countries) import-weighted sums of ``values`` (on ``rows``, else
    on every row), each region's and each country's bins summed apart; and with a
    ``remainder_cell`` the regions' remainders' (:func:`_remainders`), from the same terms."""
    region_cell, country_cell = frame
    n_sectors, n_regions = len(lines.sectors), len(lines.partners)
    n_countries = len(lines.countries.countries)
    w = lines.imports_usd
    at_rest = remainder_cell
    if rows is None:
        weighted, at_region, at_country = w * values, region_cell, country_cell
    else:
        weighted, at_region, at_country = w[rows] * values, region_cell[rows], country_cell[rows]
        at_rest = None if remainder_cell is None else remainder_cell[rows]
    cells = np.hstack(
        [
            _grouped(at_region, weighted, n_sectors, n_regions),
            _grouped(at_country, weighted, n_sectors, n_countries),
        ]
    )
    return cells, None if at_rest is None else _remainders(at_rest, weighted, n_sectors, n_regions)


def _remainders(at: np.ndarray, weighted: np.ndarray, sectors: int, regions: int) -> np.ndarray:
    """(sectors, regions) sums of the ``weighted`` terms by remainder cell ``at`` (the split
    countries' rows in a last bin, dropped)."""
    sums = np.bincount(at, weights=weighted, minlength=sectors * regions + 1)
    return sums[: sectors * regions].reshape(sectors, regions)


def _frame(lines: LineData) -> _Frame:
    sector_at = lines.sector_at.astype(np.intp)
    region_cell = sector_at * len(lines.partners) + lines.region_at
    country_cell = sector_at * len(lines.countries.countries) + lines.country_at
    at = (region_cell, country_cell)
    imports = _cells(lines, at, None, np.ones(lines.rows))[0]
    safe = np.where(imports > 0, imports, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):  # a country without 2024 imports
        totals = np.ascontiguousarray(imports.T).sum(axis=1)
        mfn_rate = _by_source(
            _cells(lines, at, None, lines.baseline_rate)[0] / safe, imports, totals
        )
    return _Frame(region_cell, country_cell, safe, imports, totals, mfn_rate)


@dataclass(frozen=True)
class _Split:
    """What the schedule with some countries split out sums, for every day: each row's
    remainder cell (the split countries' rows in a last bin, dropped; None without a split:
    the regions' own cells), the remainders' imports (1 for 0) and totals, the split
    countries' columns among the sources and the split schedule's imports by cell."""

    cell: np.ndarray | None
    safe: np.ndarray  # (sectors, regions)
    imports: np.ndarray  # (sectors, regions)
    totals: np.ndarray  # (regions,)
    columns: list[int]  # the split countries' columns among the sources
    schedule_imports: np.ndarray  # (sectors, regions + split), as the split schedule's


def _split_frame(lines: LineData, frame: _Frame, split: Sequence[str]) -> _Split:
    n_regions = len(lines.partners)
    keys = [c.key for c in lines.countries.countries]
    columns = [n_regions + keys.index(name) for name in split]
    if not split:
        cell, imports = None, frame.imports[:, :n_regions]
    else:
        out = np.zeros(len(keys), dtype=bool)
        out[[j - n_regions for j in columns]] = True
        cell = np.where(out[lines.country_at], len(lines.sectors) * n_regions, frame.region_cell)
        ones = np.asarray(lines.imports_usd * np.ones(lines.rows))
        imports = _remainders(cell, ones, len(lines.sectors), n_regions)
    safe = np.where(imports > 0, imports, 1.0)
    totals = np.ascontiguousarray(imports.T).sum(axis=1)
    schedule_imports = np.hstack([imports, frame.imports[:, columns]])
    return _Split(cell, safe, np.ascontiguousarray(imports), totals, columns, schedule_imports)


@dataclass(frozen=True)
class _Part:
    """One measure's numbers in a day's :class:`SourceRates`: a pure function of its rows and
    its values there (and of the lines and the split)."""

    rates: np.ndarray  # (sources,)
    reaches: np.ndarray  # (sources,) bool
    remainder: np.ndarray  # (regions,)
    every: np.floating  # over every cell of the split schedule


def _part(
    lines: LineData, frame: _Frame, apart: _Split, rows: np.ndarray, values: np.ndarray
) -> _Part:
    """A measure's contribution ``values`` on ``rows`` summed by source (module docstring)."""
    n_regions = len(lines.partners)
    at = (frame.region_cell, frame.country_cell)
    with np.errstate(invalid="ignore", divide="ignore"):  # a country without 2024 imports
        cells, remainders = _cells(lines, at, rows, values, apart.cell)
        added = cells / frame.safe
        rest = added[:, :n_regions] if remainders is None else remainders / apart.safe
        split_cells = np.hstack([rest, added[:, apart.columns]])
        return _Part(
            _by_source(added, frame.imports, frame.totals),
            added.any(axis=0),
            _by_source(rest, apart.imports, apart.totals),
            (split_cells * apart.schedule_imports).sum() / apart.schedule_imports.sum(),
        )


def source_rates(
    day: dt.date,
    lines: LineData,
    stacking: RowStacking,
    active: Sequence[ActiveMeasure],
    split: Sequence[str] = (),
    *,
    parts: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
) -> SourceRates:
    """The rates of the law ``stacking`` (of ``active`` on ``day``, on ``lines``) by source,
    with the ``split`` countries' (keys) regions' remainders (module docstring). ``parts``:
    the stacking's parts where the caller has them at hand (as
    :func:`analysis.policy.row_stacking.stacked_parts` gave them to pack it), not unpacked
    again."""
    if stacking.rows != lines.rows:
        raise ValueError(f"a stacking of {stacking.rows} rows for lines of {lines.rows}")
    frame = remembered(("source frame", id(lines)), (lines,), lambda: _frame(lines))
    key = ("source frame", "split", id(lines), tuple(split))
    apart = remembered(key, (lines,), lambda: _split_frame(lines, frame, split))
    if parts is None:
        parts = stacking.parts()
    if len(parts) != len(stacking.measures) + 1:
        raise ValueError("a row stacking whose parts and measures do not agree")
    parts = parts[:-1]  # the Section 232 share paying is no measure's rate
    rates, reaches, remainder, every = [], [], [], []
    n_regions = len(lines.partners)
    for mid, (rows, values) in zip(stacking.measures, parts, strict=True):

        def part(rows: np.ndarray = rows, values: np.ndarray = values) -> _Part:
            return _part(lines, frame, apart, rows, values)

        contents = np.concatenate([rows.astype(np.int64, copy=False), values.view(np.int64)])
        named = ("source parts", id(lines), tuple(split), mid)
        found = by_content(named, (lines,), contents, part)
        rates.append(found.rates)
        reaches.append(found.reaches)
        remainder.append(found.remainder)
        every.append(found.every)
    sources = (*lines.partners, *(c.key for c in lines.countries.countries))
    return SourceRates(
        day=day,
        sources=sources,
        measures=stacking.measures,
        active=tuple((am.measure.id, am.measure.layer, am.measure.authority_name) for am in active),
        rates=np.array(rates).reshape(len(parts), len(sources)),
        mfn_rate=np.array(frame.mfn_rate),
        reaches=np.array(reaches, dtype=bool).reshape(len(parts), len(sources)),
        split=tuple(split),
        remainder_rates=np.array(remainder).reshape(len(parts), n_regions),
        split_imports=apart.schedule_imports.sum(axis=0),
        all_rates=np.array(every, dtype=np.float64).reshape(len(parts)),
    )


#: A day's law as a report reads a partner's rates from it: its schedule, or its rates by source.
DayLaw = TariffSchedule | SourceRates

__all__ = ["DayLaw", "SourceRates", "source_rates"]
