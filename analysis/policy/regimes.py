"""Regimes: the measures in force on a date, or in a scenario, stacked into a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from analysis.inputs import shared
from analysis.inputs.datasets import TradeData
from analysis.inputs.lines import LazyLines
from analysis.inputs.measures import STATUSES, Measure
from analysis.inputs.scenarios import Change, Scenario
from analysis.policy.line_regimes import (
    cell_schedule,
    line_stacking,
    lines_schedule,
    stacked_cells,
    unstacked,
)
from analysis.policy.lines import LineSchedule
from analysis.policy.row_stacking import RowStacking, stacked_parts, stacking_key
from analysis.policy.source_rates import SourceRates, source_rates
from analysis.policy.stacking import ActiveMeasure, TariffSchedule, active_on, stack


def resolve(scenario: Scenario, measures: Mapping[str, Measure]) -> list[ActiveMeasure]:
    """The measures of a scenario with the rates they take in it.

    Changes apply in order to the measures in force on the regime date. A change scoped to
    some partners and/or sectors touches only those cells; every other cell keeps its rate.
    """
    active = {am.measure.id: am for am in active_on(measures.values(), scenario.regime_date)}
    for change in scenario.changes:
        measure = measures[change.measure]
        current = active.get(change.measure)
        if change.remove:
            _remove(active, change, measure)
        elif change.as_of is not None:
            active[change.measure] = ActiveMeasure.of(
                measure, measure.value_on(change.as_of, STATUSES)
            )
        else:
            active[change.measure] = _with_rate(current, change, measure)
    return list(active.values())


def _remove(active: dict[str, ActiveMeasure], change: Change, measure: Measure) -> None:
    """Switch a measure off, everywhere or in the change's scope."""
    current = active.get(change.measure)
    if current is None:
        return
    if not change.partners and not change.sectors:
        del active[change.measure]
        return
    partners = change.partners or measure.partners
    cells = {(p, s) for p in partners for s in (change.sectors or (None,))}
    active[change.measure] = replace(current, excluded=current.excluded | cells)


def _with_rate(current: ActiveMeasure | None, change: Change, measure: Measure) -> ActiveMeasure:
    """A measure with a new rate: its headline rate, or only in the change's scope.

    * no scope: a new headline rate; the measure's sector rates and exclusions stay, its
      member-country and cell rates go (every member now pays the new rate);
    * partners only: a new rate for those partners (their sector rates stay, their cell
      rates go);
    * sectors (with or without partners): a new rate in exactly those cells.

    A measure not in force takes the rate in the scope only (zero elsewhere).
    """
    assert change.rate is not None and change.reference is not None
    base = current or ActiveMeasure(
        measure, 0.0 if _scoped(change) else change.rate, change.reference
    )
    if not _scoped(change):
        return replace(
            base,
            rate=change.rate,
            reference=change.reference,
            rate_by_partner={},
            rate_by_cell={},
            members_dropped=frozenset(measure.partners),
        )
    if not change.sectors:
        by_partner = dict(base.rate_by_partner) | dict.fromkeys(change.partners, change.rate)
        cells = {c: r for c, r in base.rate_by_cell.items() if c[0] not in change.partners}
        dropped = base.members_dropped | frozenset(change.partners)
        return replace(
            base, rate_by_partner=by_partner, rate_by_cell=cells, members_dropped=dropped
        )
    partners = change.partners or measure.partners
    cells = {(p, s): change.rate for p in partners for s in change.sectors}
    return replace(base, rate_by_cell=dict(base.rate_by_cell) | cells)


def _scoped(change: Change) -> bool:
    return bool(change.partners or change.sectors)


def schedule_for_date(
    day: dt.date,
    data: TradeData,
    measures: Mapping[str, Measure],
    lines: LazyLines | None = None,
    split: Sequence[str] = (),
) -> TariffSchedule:
    """The tariff schedule in force on ``day`` (law as later corrected): from the lines
    (:mod:`analysis.policy.line_regimes`, sources the regions and the ``split`` countries)
    when ``lines`` are given, else from the sector x region cells of ``data``."""
    active = active_on(measures.values(), day)
    if lines is None:
        return _stack(active, data)
    return _from_lines(day, data, measures, lines, active, split)


def schedule_for_scenario(
    scenario: Scenario,
    data: TradeData,
    measures: Mapping[str, Measure],
    lines: LazyLines | None = None,
    split: Sequence[str] = (),
    *,
    usmca_claimed: bool = True,
) -> TariffSchedule:
    """The tariff schedule of a scenario: its regime date's measures, then its changes
    (from the lines when ``lines`` are given, as :func:`schedule_for_date`; with
    ``usmca_claimed=False``, as :func:`analysis.policy.line_regimes.lines_schedule`)."""
    active = resolve(scenario, measures)
    if lines is not None:
        day = scenario.regime_date
        return _from_lines(day, data, measures, lines, active, split, usmca_claimed)
    return _stack(active, data)


def _from_lines(
    day: dt.date,
    data: TradeData,
    measures: Mapping[str, Measure],
    lines: LazyLines,
    active: Sequence[ActiveMeasure],
    split: Sequence[str],
    usmca_claimed: bool = True,
) -> TariffSchedule:
    """:func:`analysis.policy.line_regimes.lines_schedule`, shared between the kernels of a
    build for the build's own inputs (``analysis.inputs.shared``): the line stacking once per
    distinct stacking (:func:`analysis.policy.row_stacking.stacking_key`: a date's law and a
    scenario with the same measures as stacked share it, whatever the split), its cells once
    per stacking and split. Stored without the measures, which are this process's own."""
    scope = shared.scope_of(data, measures, lines)
    stacked = (
        None if scope is None else stacking_key(day, active, measures, usmca_claimed=usmca_claimed)
    )
    if scope is None or stacked is None:
        return lines_schedule(day, lines, active, split, usmca_claimed=usmca_claimed)

    computed: list[LineSchedule] = []  # the stacking, when this process computes it

    def rows() -> RowStacking:
        computed.append(line_stacking(day, lines, active, usmca_claimed=usmca_claimed))
        return RowStacking.of(computed[0])

    def cells() -> TariffSchedule:
        stacking = shared.remember(f"{scope}|line stacking|{stacked}", rows)
        if computed:  # the same cells as from ``stacking``, bit for bit, without unpacking it
            return replace(cell_schedule(computed[0], active, split), active=())
        return replace(stacked_cells(lines.get(), stacking, active, split), active=())

    stored = shared.remember(f"{scope}|cells|{','.join(split)}|{stacked}", cells)
    return replace(stored, active=tuple(active))


def rates_for_date(
    day: dt.date,
    data: TradeData,
    measures: Mapping[str, Measure],
    lines: LazyLines,
    split: Sequence[str] = (),
) -> SourceRates:
    """The law in force on ``day`` as each source's rate by measure, every region whole and
    every country alone (:mod:`analysis.policy.source_rates`): the numbers of
    :func:`schedule_for_date` of the day, for any split, without its cells; with the
    ``split`` countries' (keys) regions' remainders, imports and all-partner rates, those of
    :func:`schedule_for_date` with that split. Shared between the kernels of a build as
    :func:`schedule_for_date` (once per day and split, from the day's shared line
    stacking)."""
    active = active_on(measures.values(), day)
    stacked = stacking_key(day, active, measures)
    scope = shared.scope_of(data, measures, lines)

    computed: list[list[tuple[np.ndarray, np.ndarray]]] = []  # the parts, computed here

    def rows() -> RowStacking:
        schedule = line_stacking(day, lines, active)
        computed.append(stacked_parts(schedule))
        return RowStacking.packed(schedule, computed[0])

    if scope is None or stacked is None:
        stacking = rows()
        return source_rates(day, lines.get(), stacking, active, split, parts=computed[0])

    def rates() -> SourceRates:
        stacking = shared.remember(f"{scope}|line stacking|{stacked}", rows)
        # the parts computed here are those the stacking unpacks to, bit for bit
        parts = computed[0] if computed else None
        return source_rates(day, lines.get(), stacking, active, split, parts=parts)

    return shared.remember(f"{scope}|source rates|{','.join(split)}|{stacked}", rates)


def line_law_on(
    day: dt.date, data: TradeData, measures: Mapping[str, Measure], lines: LazyLines
) -> LineSchedule:
    """The law in force on ``day`` line by line (every measure's contribution on every row,
    :func:`analysis.policy.line_regimes.line_stacking`); for the build's own inputs, from the
    day's line stacking as the build shares it (:func:`schedule_for_date` stores it): the same
    contributions where they are not 0 (and +0 where the engine's was -0)."""
    active = active_on(measures.values(), day)
    stacked = stacking_key(day, active, measures)
    scope = shared.scope_of(data, measures, lines)
    if scope is None or stacked is None:
        return line_stacking(day, lines, active)
    computed: list[LineSchedule] = []

    def rows() -> RowStacking:
        computed.append(line_stacking(day, lines, active))
        return RowStacking.of(computed[0])

    stacking = shared.remember(f"{scope}|line stacking|{stacked}", rows)
    if computed:
        return computed[0]
    return unstacked(day, lines, stacking, active)


def _stack(active: list[ActiveMeasure], data: TradeData) -> TariffSchedule:
    return stack(
        active,
        sectors=data.sectors,
        partners=data.partners,
        mfn_tariff_rate=data.mfn_tariff_rate,
        imports_usd=data.imports_usd,
    )
