"""Layer attribution: how much of each outcome each tariff layer causes (Shapley values).

The players are the layers of a scenario's regime (reciprocal baseline, country add-on,
Section 232, all-in floor, other). For a coalition C of layers the tariff schedule is
re-stacked with only the measures of those layers (so supersession and non-stacking are
re-applied: without the floor, the baseline it replaced comes back), and the model is
solved from the MFN-only baseline. The Shapley value of layer k is

    phi_k = sum over C not containing k of |C|! (n - |C| - 1)! / n! * (v(C + k) - v(C)),

and the contributions add up exactly to v(all layers) - v(no layer). All 2^n coalitions
are solved in one vectorised call.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis.inputs.measures import LAYER_LABELS
from analysis.model.shapley import shapley_values
from analysis.policy.regimes import resolve
from analysis.policy.stacking import stack
from analysis.questions.simulate import SimulationResult, headline_arrays
from analysis.questions.us_market import Market, solve

DEFAULT_OUTCOMES = (
    "japan_exports_value_change_usd",
    "tariff_revenue_change_usd",
    "us_buyer_cost_usd",
    "deadweight_loss_usd",
    "car_units_change",
)


def attribute_layers(
    result: SimulationResult, outcomes: tuple[str, ...] = DEFAULT_OUTCOMES
) -> pd.DataFrame:
    """Shapley contribution of each layer to each outcome, against MFN only.

    Returns one row per layer plus a ``total`` row (the scenario against MFN only), with one
    column per outcome; the layer rows add up to the total.
    """
    active = resolve(result.scenario, result.measures)
    players = sorted({am.measure.layer for am in active})
    data = result.data
    mfn = data.mfn_tariff_rate
    coalitions = [frozenset(c) for r in range(len(players) + 1) for c in combinations(players, r)]
    tariffs = []
    for coalition in coalitions:
        schedule = stack(
            [am for am in active if am.measure.layer in coalition],
            sectors=data.sectors,
            partners=data.partners,
            mfn_tariff_rate=mfn,
            imports_usd=data.imports_usd,
        )
        tariffs.append(np.hstack([schedule.tariff_rate, np.zeros((len(data.sectors), 1))]))
    market = Market(
        sectors=result.market.sectors,
        sources=result.market.sources,
        base_value_usd=result.market.base_value_usd,
        base_tariff_rate=np.hstack([mfn, np.zeros((len(data.sectors), 1))]),
        new_tariff_rate=np.stack(tariffs),
        quantity_cap=result.market.quantity_cap,
    )
    solution = solve(market, result.elasticities)
    heads = headline_arrays(solution, market, data, result.params)
    table = np.column_stack([np.asarray(heads[o]) for o in outcomes])  # (coalitions, outcomes)
    value = {c: table[i] for i, c in enumerate(coalitions)}
    phi = shapley_values(players, lambda c: value[frozenset(c)])
    rows = [
        {"layer": LAYER_LABELS.get(p, p), **dict(zip(outcomes, np.asarray(phi[p]), strict=True))}
        for p in players
    ]
    total = value[frozenset(players)] - value[frozenset()]
    rows.append({"layer": "total", **dict(zip(outcomes, total, strict=True))})
    return pd.DataFrame(rows)
