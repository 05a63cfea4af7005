"""The what-if grid: every point is the exact solution the solver gives for that point."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.simulate import simulate
from analysis.questions.what_if import (
    WHAT_IF_OUTCOMES,
    anchored_rate_grid,
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


def test_the_anchored_grid_holds_its_start_exactly_and_the_round_rates() -> None:
    rates = anchored_rate_grid(0.132)
    assert 0.132 in rates and rates[0] == 0.0 and rates[-1] == 0.5
    assert {0.15, 0.25, 0.35} <= {float(r) for r in rates}  # round rates can be chosen
    assert len(rates) == 22 and np.all(np.diff(rates) > 0)  # 0, 2.5, ..., 50% and 13.2%
    assert list(anchored_rate_grid(0.2)) == pytest.approx(list(rate_grid()))  # 0, 2.5, ..., 50%
    assert anchored_rate_grid(0.6)[-1] == 0.6  # a start above the usual top is still on it
    assert anchored_rate_grid(0.6)[-2] == 0.6 - 0.025


def test_the_slider_starts_at_the_partners_mfn_duty() -> None:
    """With ``low`` (Japan's MFN duty, 1.6%) the rates start there, not at 0%: 1.6%, then
    2.5%, 5%, ... (by hand), the law's 13.9% among them; a ``low`` on a round rate is listed
    once; a start below ``low`` (a reader's what-if rate) is still on the grid, first."""
    rates = [float(r) for r in anchored_rate_grid(0.139, low=0.016)]
    assert rates[:4] == pytest.approx([0.016, 0.025, 0.05, 0.075])
    assert 0.139 in rates and rates[-1] == 0.5 and len(rates) == 22  # 1.6, 2.5..50, 13.9
    assert [float(r) for r in anchored_rate_grid(0.2, low=0.025)][:2] == pytest.approx(
        [0.025, 0.05]
    )
    assert float(anchored_rate_grid(0.01, low=0.016)[0]) == pytest.approx(0.01)


def test_at_the_laws_own_tariff_the_scaled_law_is_the_scenario(inputs: Inputs) -> None:
    """The what-if starts at the headline: the grid point at the law's tariff (scale 1) is the
    scenario solved by simulate, to the dollar; half the tariff sells more, double sells less."""
    from analysis.report.shared_figures import law_words, partner_tariff

    result = simulate(inputs, "current", "mfn_only")
    law = partner_tariff(result.schedule, "japan", "Japan", law_words(result.scenario))
    rate = law.total.value
    sigma = float(inputs.parameters["substitution_elasticity"].default)
    grid = what_if_grid(
        result, "japan", np.array([rate / 2, rate, 2 * rate]), np.array([sigma]), rate
    )
    half, at_law, double = grid.itertuples()
    head, mine = result.headline(), result.partners().loc["japan"]
    assert at_law.exports_value_change_usd == pytest.approx(mine["exports_value_change_usd"], abs=1)
    assert at_law.tariff_revenue_usd == pytest.approx(head["tariff_revenue_usd"], abs=1)
    assert at_law.us_buyer_cost_usd == pytest.approx(head["us_buyer_cost_usd"], abs=1)
    assert half.exports_value_change_usd > at_law.exports_value_change_usd
    assert double.exports_value_change_usd < at_law.exports_value_change_usd


def test_the_scaled_laws_import_weighted_tariff_is_the_slider_rate(inputs: Inputs) -> None:
    # The scaled rates' import-weighted average (2024 weights) is r: the shared figure's
    # definition (shared_figures.partner_tariff) computed from the market's sector rates.
    from analysis.report.shared_figures import law_words, partner_tariff

    result = simulate(inputs, "current", "mfn_only")
    market = result.market
    j = market.source_index("japan")
    law = partner_tariff(result.schedule, "japan", "Japan", law_words(result.scenario)).total
    weights = market.base_value_usd[:, j] / market.base_value_usd[:, j].sum()
    assert float(weights @ market.new_tariff_rate[:, j]) == pytest.approx(law.value, rel=1e-12)
