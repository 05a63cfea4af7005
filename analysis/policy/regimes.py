"""Regimes: the measures in force on a date, or in a scenario, stacked into a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from analysis.inputs.datasets import TradeData
from analysis.inputs.measures import STATUSES, Measure
from analysis.inputs.scenarios import Scenario
from analysis.policy.stacking import ActiveMeasure, TariffSchedule, active_on, stack


def resolve(scenario: Scenario, measures: Mapping[str, Measure]) -> list[ActiveMeasure]:
    """The measures of a scenario with the rates they take in it."""
    active = {am.measure.id: am for am in active_on(measures.values(), scenario.regime_date)}
    for change in scenario.changes:
        measure = measures[change.measure]
        current = active.get(change.measure)
        if change.remove:
            if current is None:
                continue
            if not change.partners and not change.sectors:
                del active[change.measure]
                continue
            partners = change.partners or measure.partners
            cells = {(p, s) for p in partners for s in (change.sectors or (None,))}
            active[change.measure] = replace(current, excluded=current.excluded | cells)
        elif change.as_of is not None:
            value = measure.value_on(change.as_of, STATUSES)
            active[change.measure] = ActiveMeasure(
                measure, value.rate, value.reference, value.rate_by_partner, value.rate_by_sector
            )
        else:
            assert change.rate is not None and change.reference is not None
            if current is None:
                active[change.measure] = ActiveMeasure(measure, change.rate, change.reference)
            else:  # a new headline rate; sector overrides and exclusions stay as they were
                active[change.measure] = replace(
                    current, rate=change.rate, reference=change.reference, rate_by_partner={}
                )
    return list(active.values())


def schedule_for_date(
    day: dt.date, data: TradeData, measures: Mapping[str, Measure]
) -> TariffSchedule:
    """The tariff schedule in force on ``day`` (law as later corrected)."""
    return _stack(active_on(measures.values(), day), data)


def schedule_for_scenario(
    scenario: Scenario, data: TradeData, measures: Mapping[str, Measure]
) -> TariffSchedule:
    """The tariff schedule of a scenario: its regime date's measures, then its changes."""
    return _stack(resolve(scenario, measures), data)


def _stack(active: list[ActiveMeasure], data: TradeData) -> TariffSchedule:
    return stack(
        active,
        sectors=data.sectors,
        partners=data.partners,
        mfn_tariff_rate=data.mfn_tariff_rate,
        imports_usd=data.imports_usd,
    )
