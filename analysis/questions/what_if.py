"""What-if grid: one partner's tariff x the substitution elasticity, solved exactly.

Two ways to set the partner's tariff to a rate ``r`` on the grid, every other partner keeping
the scenario's rates:

* **the law scaled** (``law_rate`` given: the partner's import-weighted tariff, all duties,
  under the scenario): each of the partner's sector rates is the scenario's times
  ``r / law_rate``, so the partner's import-weighted tariff is ``r`` (2024 weights) and at
  ``r = law_rate`` the grid point *is* the scenario: the what-if starts at the headline;
* **an all-in floor** (no ``law_rate``): the partner's goods pay ``max(baseline rate, r)``,
  like the 15% deal; 0 = the baseline.

The substitution elasticity is set to each grid value in every sector, the other elasticities
stay at the scenario's. The whole grid is one vectorised call of the same solver
:func:`analysis.questions.simulate.simulate` uses (draw axes), so every point is exact.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.questions.simulate import SimulationResult, headline_arrays
from analysis.questions.us_market import solve

#: The outcomes the what-if shows (registered names).
WHAT_IF_OUTCOMES = (
    "exports_value_change_usd",
    "us_buyer_cost_usd",
    "tariff_revenue_usd",
)


def rate_grid(low: float = 0.0, high: float = 0.5, step: float = 0.025) -> np.ndarray:
    """Rates from ``low`` to ``high`` inclusive, rounded to avoid float drift."""
    return np.round(np.arange(low, high + step / 2, step), 6)


def anchored_rate_grid(
    start: float, high: float = 0.5, step: float = 0.025, low: float = 0.0
) -> np.ndarray:
    """``low`` (the lowest rate the law can give the partner: its MFN or trade-agreement
    duty), the round rates ``step, 2 step, ...`` above it up to ``high`` (or up to ``start``,
    if higher), and ``start`` exactly as a point of its own (the slider's first value, the
    law's tariff): so the slider starts at the headline and can be moved to 15%, 25%, 35%,
    never below what no law can give."""
    low = min(low, start)
    top = max(high, start)
    round_rates = np.round(step * np.arange(int(np.floor(top / step + 1e-9)) + 1), 6)
    above = round_rates[(round_rates > low + 1e-9) & ~np.isclose(round_rates, low)]
    rates: np.ndarray = np.union1d(above[~np.isclose(above, start)], [low, start])
    return rates


def sigma_grid(low: float, high: float, n: int = 14) -> np.ndarray:
    """``n`` substitution elasticities across the prior range, rounded to 2 decimals."""
    return np.round(np.linspace(low, high, n), 2)


def what_if_grid(
    result: SimulationResult,
    partner: str,
    rates: np.ndarray,
    sigmas: np.ndarray,
    law_rate: float | None = None,
) -> pd.DataFrame:
    """One row per (rate, sigma): the partner's exports change, all US buyers' extra cost (a
    total, never per household: the cost per household is the consumer-price-level figure of
    the headline) and tariff revenue (registered names). With ``law_rate`` (the partner's
    tariff, all duties, under the scenario) each rate scales the scenario's tariffs on the
    partner; without it, each rate is an all-in floor (see the module's docstring)."""
    market, data = result.market, result.data
    j = market.source_index(partner)
    shape = (len(sigmas), len(rates))
    new = np.broadcast_to(market.new_tariff_rate, shape + market.new_tariff_rate.shape).copy()
    if law_rate is not None and law_rate > 0:
        scale = rates / law_rate
        new[..., :, j] = market.new_tariff_rate[:, j][None, None, :] * scale[None, :, None]
    elif law_rate is not None:  # the law puts no tariff on the partner: one rate on all
        new[..., :, j] = rates[None, :, None]
    else:
        new[..., :, j] = np.maximum(market.base_tariff_rate[:, j], rates[None, :, None])
    grid_market = dataclasses.replace(market, new_tariff_rate=new)
    e = result.elasticities
    n_sectors = e.substitution_elasticity.shape[-1]
    sigma = np.broadcast_to(sigmas[:, None, None], (*shape, n_sectors)).copy()
    solution = solve(grid_market, dataclasses.replace(e, substitution_elasticity=sigma))
    head = headline_arrays(solution, grid_market, data, result.params, result.focus)
    base = grid_market.base_value_usd[:, j].sum()
    exports = (solution.new_value_usd[..., j].sum(axis=-1) - base).reshape(shape)
    rate_mesh, sigma_mesh = np.meshgrid(rates, sigmas)
    return pd.DataFrame(
        {
            "tariff_rate": rate_mesh.ravel(),
            "substitution_elasticity": sigma_mesh.ravel(),
            "exports_value_change_usd": exports.ravel(),
            "us_buyer_cost_usd": np.asarray(head["us_buyer_cost_usd"]).ravel(),
            "tariff_revenue_usd": np.asarray(head["tariff_revenue_usd"]).ravel(),
        }
    )


def own_measures_effect(result: SimulationResult, partner: str) -> dict[str, float]:
    """The effect of the partner's own tariffs: its rates go from the baseline's to the
    scenario's while every other partner's stay at the baseline's, solved exactly (the same
    elasticities). Market outcomes only (registered names) plus the partner's
    ``exports_value_change_usd``: the consumer price level is the whole regime's, never one
    partner's. When only this partner's rates differ, this is the whole regime's effect."""
    market = result.market
    j = market.source_index(partner)
    new = market.base_tariff_rate.copy()
    new[:, j] = market.new_tariff_rate[:, j]
    own = dataclasses.replace(market, new_tariff_rate=new)
    solution = solve(own, result.elasticities)
    head = headline_arrays(solution, own, result.data, result.params, result.focus)
    exports = solution.new_value_usd[..., j].sum() - own.base_value_usd[:, j].sum()
    return {"exports_value_change_usd": float(exports), **{k: float(v) for k, v in head.items()}}
