"""Layer attribution: how much of each outcome each tariff layer causes (Shapley values).

The players are the layers of the two regimes (reciprocal baseline, country add-on, Section
232, Section 301, all-in floor, other) and, when the scenario has one, its quota. For a
coalition C the regime takes the scenario's measures for the layers in C and the baseline's
for the others (so supersession and non-stacking are re-applied: without the floor, the
baseline it replaced comes back), each measure as in force on its own regime's day (its
product lists and their tranches: the Section 301 tranche of 1 Jan 2025 is the Section 301
layer's change, not a change every coalition brings), with the quota only if it is in C, and
the model is solved from the baseline. So v(no player) = 0, v(all players) is the scenario
against its baseline, whatever the baseline, and a layer that changes no rate (China's
suspended add-on) gets 0. The Shapley value of player k is

    phi_k = sum over C not containing k of |C|! (n - |C| - 1)! / n! * (v(C + k) - v(C)),

and the contributions add up exactly to the headline change. All 2^n coalitions are solved in
one vectorised call.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.inputs.measures import layer_label, schedule_layer_labels
from analysis.model.shapley import shapley_values
from analysis.policy.line_regimes import lines_schedule
from analysis.policy.line_steps import CELL_STEPS, shared_steps
from analysis.policy.regimes import resolve
from analysis.policy.stacking import ActiveMeasure, stack
from analysis.questions.simulate import SimulationResult, headline_arrays
from analysis.questions.us_market import Market, solve

DEFAULT_OUTCOMES = (
    "focus_exports_value_change_usd",
    "tariff_revenue_change_usd",
    "us_buyer_cost_usd",
    "deadweight_loss_usd",
    "focus_sector_units_change",
)


QUOTA = "quota"


def attribute_layers(
    result: SimulationResult, outcomes: tuple[str, ...] = DEFAULT_OUTCOMES
) -> pd.DataFrame:
    """Shapley contribution of each layer (and the quota) to each outcome, against the
    result's baseline.

    Returns one row per player plus a ``total`` row (the scenario against its baseline, equal
    to the headline), with one column per outcome; the player rows add up to the total.
    """
    base = resolve(result.baseline, result.measures)
    new = resolve(result.scenario, result.measures)
    has_quota = bool(np.any(~np.isnan(result.market.quantity_cap)))
    layers = sorted({am.measure.layer for am in (*base, *new)})
    players = [*layers, QUOTA] if has_quota else layers
    coalitions = [frozenset(c) for r in range(len(players) + 1) for c in combinations(players, r)]
    market = _coalition_market(result, base, new, coalitions)
    solution = solve(market, result.elasticities)
    heads = headline_arrays(solution, market, result.data, result.params, result.focus)
    table = np.column_stack([np.asarray(heads[o]) for o in outcomes])  # (coalitions, outcomes)
    value = {c: table[i] for i, c in enumerate(coalitions)}
    phi = shapley_values(players, lambda c: value[frozenset(c)])
    labels = {**schedule_layer_labels(base), **schedule_layer_labels(new)}
    rows = [
        {"layer": _label(p, labels), **dict(zip(outcomes, np.asarray(phi[p]), strict=True))}
        for p in players
    ]
    total = value[frozenset(players)] - value[frozenset()]
    rows.append({"layer": "total", **dict(zip(outcomes, total, strict=True))})
    return pd.DataFrame(rows)


def _label(player: str, labels: dict[str, str]) -> str:
    """The layer in words, named by the scenario's measures in it (as the page's chart of the
    scenario's layers names it), else by the baseline's: the 2026 Section 301 tiers sit in the
    layers IEEPA's add-ons and floors held in 2025, and must not be credited to IEEPA."""
    if player == QUOTA:
        return "Quota (export restraint)"
    return labels.get(player, layer_label(player))


def _coalition_market(
    result: SimulationResult,
    base: list[ActiveMeasure],
    new: list[ActiveMeasure],
    coalitions: list[frozenset[str]],
) -> Market:
    """One market per coalition (a leading axis): the baseline's tariffs before, the
    coalition's regime after, the quota only where the coalition holds it."""
    data = result.data
    zeros = np.zeros((len(data.sectors), 1))
    tariffs, caps = [], []
    no_cap = np.full(result.market.quantity_cap.shape, np.nan)
    # each measure's rows and exemptions once, not once per coalition; and each distinct
    # contribution's cells once (most coalitions give a measure the same contribution)
    with shared_steps(), shared_steps(CELL_STEPS):
        for coalition in coalitions:
            kept = [am for am in base if am.measure.layer not in coalition]
            taken = [am for am in new if am.measure.layer in coalition]
            days = {am.measure.id: result.baseline.regime_date for am in kept}
            days |= {am.measure.id: result.scenario.regime_date for am in taken}
            tariffs.append(np.hstack([_tariff_rate(result, [*kept, *taken], days), zeros]))
            caps.append(result.market.quantity_cap if QUOTA in coalition else no_cap)
    return Market(
        sectors=result.market.sectors,
        sources=result.market.sources,
        base_value_usd=result.market.base_value_usd,
        base_tariff_rate=result.market.base_tariff_rate,
        new_tariff_rate=np.stack(tariffs),
        quantity_cap=np.stack(caps),
        is_domestic=result.market.is_domestic,
    )


def _tariff_rate(
    result: SimulationResult, active: list[ActiveMeasure], days: dict[str, dt.date]
) -> np.ndarray:
    """(sector, source) rates of a coalition's regime: from the lines as the result's
    schedules were, each measure read on the day of the regime it comes from (``days``: a
    measure the coalition did not change stays as the baseline had it, so the empty coalition
    is exactly the baseline and a layer whose law is 0 on both days changes nothing), else the
    cells (each measure already at its regime's dated value)."""
    data = result.data
    if result.lines is not None:
        # the countries split out of their regions (the lines' sources are the regions; the
        # result's data already name a focus country among its partners)
        split = result.schedule.partners[len(result.lines.get().partners) :]
        day = result.scenario.regime_date
        return lines_schedule(day, result.lines, active, split, days=days).tariff_rate
    schedule = stack(
        active,
        sectors=data.sectors,
        partners=data.partners,
        mfn_tariff_rate=data.mfn_tariff_rate,
        imports_usd=data.imports_usd,
    )
    return schedule.tariff_rate
