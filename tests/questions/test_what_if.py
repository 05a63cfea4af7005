"""The what-if grid: every point is the exact solution the solver gives for that point."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.simulate import simulate
from analysis.questions.what_if import (
    WHAT_IF_OUTCOMES,
    own_measures_effect,
    rate_grid,
    sigma_grid,
    what_if_grid,
)


def test_the_grids_are_inclusive_and_rounded() -> None:
    rates = rate_grid()
    assert rates[0] == 0.0 and rates[-1] == 0.5 and len(rates) == 21
    assert list(sigma_grid(2.5, 5.1, 3)) == [2.5, 3.8, 5.1]


def test_each_grid_point_equals_a_one_point_solve(inputs: Inputs) -> None:
    result = simulate(inputs, "deal_15", "mfn_only")
    grid = what_if_grid(result, "japan", rate_grid(0.0, 0.5, 0.25), np.array([2.5, 5.1]))
    assert len(grid) == 6 and set(WHAT_IF_OUTCOMES) <= set(grid.columns)
    for row in grid.itertuples():
        one = what_if_grid(
            result, "japan", np.array([row.tariff_rate]), np.array([row.substitution_elasticity])
        ).iloc[0]
        for name in WHAT_IF_OUTCOMES:
            assert one[name] == pytest.approx(getattr(row, name), rel=1e-9, abs=1e-3)


def test_a_higher_rate_means_fewer_exports_and_a_higher_cost(inputs: Inputs) -> None:
    result = simulate(inputs, "deal_15", "mfn_only")
    grid = what_if_grid(result, "japan", rate_grid(), np.array([3.8]))
    assert grid["exports_value_change_usd"].is_monotonic_decreasing
    assert grid["us_buyer_cost_usd"].is_monotonic_increasing
    assert grid["exports_value_change_usd"].iloc[-1] < -1e9


def test_a_higher_elasticity_moves_more_trade_away(inputs: Inputs) -> None:
    result = simulate(inputs, "deal_15", "mfn_only")
    grid = what_if_grid(result, "japan", np.array([0.3]), np.array([2.5, 5.1]))
    low, high = grid["exports_value_change_usd"]
    assert high < low < 0


def test_own_measures_effect_is_nothing_when_the_law_does_not_change(inputs: Inputs) -> None:
    result = simulate(inputs, "mfn_only", "mfn_only")
    own = own_measures_effect(result, "japan")
    assert own["exports_value_change_usd"] == pytest.approx(0.0, abs=1e-3)
    assert own["tariff_revenue_change_usd"] == pytest.approx(0.0, abs=1e-3)


def test_others_tariffs_divert_sales_to_the_partner(inputs: Inputs) -> None:
    # Substitutes: the other partners' tariffs raise demand for Japan's goods, so Japan loses
    # less under the whole regime than under its own tariffs alone, and the own effect is a
    # loss (its own tariffs only rise) no larger than its whole US sales.
    result = simulate(inputs, "current", "mfn_only")
    own = own_measures_effect(result, "japan")
    whole = result.partners().loc["japan", "exports_value_change_usd"]
    base = result.market.base_value_usd[:, result.market.source_index("japan")].sum()
    assert -base < own["exports_value_change_usd"] < 0
    assert own["exports_value_change_usd"] < whole
    assert own["tariff_revenue_change_usd"] < result.headline()["tariff_revenue_change_usd"]
