"""Regimes: the measures in force on a date, or in a scenario, stacked into a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from analysis.inputs import shared
from analysis.inputs.datasets import TradeData
from analysis.inputs.lines import LazyLines
from analysis.inputs.measures import STATUSES, Measure
from analysis.inputs.scenarios import Change, Scenario
from analysis.policy.line_regimes import lines_schedule
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
    scope = shared.scope_of(data, measures, lines)
    if scope is None:
        return lines_schedule(day, lines, active, split)
    # The build's own inputs: computed once per build (``analysis.inputs.shared``), stored
    # without the measures, which are this process's own.
    key = f"{scope}|schedule_for_date|{day.isoformat()}|{','.join(split)}"
    stored = shared.remember(
        key, lambda: replace(lines_schedule(day, lines, active, split), active=())
    )
    return replace(stored, active=tuple(active))


def schedule_for_scenario(
    scenario: Scenario,
    data: TradeData,
    measures: Mapping[str, Measure],
    lines: LazyLines | None = None,
    split: Sequence[str] = (),
) -> TariffSchedule:
    """The tariff schedule of a scenario: its regime date's measures, then its changes
    (from the lines when ``lines`` are given, as :func:`schedule_for_date`)."""
    active = resolve(scenario, measures)
    if lines is not None:
        return lines_schedule(scenario.regime_date, lines, active, split)
    return _stack(active, data)


def _stack(active: list[ActiveMeasure], data: TradeData) -> TariffSchedule:
    return stack(
        active,
        sectors=data.sectors,
        partners=data.partners,
        mfn_tariff_rate=data.mfn_tariff_rate,
        imports_usd=data.imports_usd,
    )
