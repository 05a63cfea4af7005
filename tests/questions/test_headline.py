"""The headline formulas against hand-solved cases and the per-partner table."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.focus import Focus
from analysis.questions.outcomes import HEADLINE_OUTCOMES
from analysis.questions.simulate import headline_arrays, simulate


def test_the_focus_headline_is_the_partners_row(inputs: Inputs) -> None:
    """For every partner as focus, its headline equals its row of the partner table (computed
    by a groupby of the sector x source table, apart from the formulas)."""
    for partner in inputs.data.partners:
        result = simulate(inputs, "current", focus=Focus(partner, "mvh"))
        head, row = result.headline(), result.partners().loc[partner]
        assert head["focus_exports_value_change_usd"] == pytest.approx(
            row["exports_value_change_usd"], rel=1e-12
        )
        assert head["focus_exports_volume_change"] == pytest.approx(
            row["exports_volume_change"], rel=1e-12
        )


def test_japans_cars_are_units_times_the_volume_change(inputs: Inputs) -> None:
    result = simulate(inputs, "current")
    i, j = result.market.sector_index("mvh"), result.market.source_index("japan")
    change = float(result.solution.quantity_change[i, j])
    # 1,388,330 passenger cars from Japan in 2024 (UN Comtrade, analysis/data/SOURCES.md).
    assert result.headline()["focus_sector_units_change"] == round(1_388_330 * change)


def test_draw_axes_give_one_value_per_draw_and_skip_the_consumer_prices(inputs: Inputs) -> None:
    from analysis.questions.us_market import solve

    result = simulate(inputs, "current")
    e = result.elasticities
    drawn = type(e)(
        substitution_elasticity=np.stack([e.substitution_elasticity] * 2),
        demand_elasticity=np.stack([e.demand_elasticity] * 2),
        supply_elasticity=np.stack([e.supply_elasticity] * 2),
    )
    solution = solve(result.market, drawn)
    out = headline_arrays(solution, result.market, result.data, result.params, result.focus)
    assert "household_cost_usd" not in out
    head = result.headline()
    for name, values in out.items():
        assert np.shape(values) == (2,), name
        assert values[1] == pytest.approx(head[name], rel=1e-9, nan_ok=True), name
    assert tuple(result.headline()) == HEADLINE_OUTCOMES


def test_the_scenario_names_the_focus_unless_the_caller_does(inputs: Inputs) -> None:
    import dataclasses

    scenario = dataclasses.replace(inputs.scenario("current"), focus=Focus("eu", "mvh"))
    assert simulate(inputs, scenario).focus == Focus("eu", "mvh")
    assert simulate(inputs, scenario, focus=Focus("china", "mvh")).focus.partner == "china"
    assert simulate(inputs, "current").focus == Focus("japan", "mvh")


def test_the_buyers_cost_splits_into_duties_import_prices_and_us_made_prices_in_every_draw(
    inputs: Inputs,
) -> None:
    """Duties + import prices net of duty + US-made prices = the extra cost of the base basket
    (an identity of the model), over draws; and the masked sums are the sums over the
    partners' or US producers' cells, taken cell by cell."""
    from analysis.questions.uncertainty import draw_elasticities
    from analysis.questions.us_market import solve

    result = simulate(inputs, "current")
    solution = solve(result.market, draw_elasticities(result, 5, seed=1))
    out = headline_arrays(solution, result.market, result.data, result.params, result.focus)
    parts = (
        out["us_buyer_duty_paid_usd"]
        + out["us_buyer_import_price_net_of_duty_usd"]
        + out["us_buyer_domestic_price_usd"]
    )
    np.testing.assert_allclose(parts, out["us_buyer_cost_usd"], rtol=1e-10)
    m = result.market
    domestic = int(np.flatnonzero(m.is_domestic)[0])
    us_made = [
        sum(
            m.base_value_usd[i, domestic] * solution.buyer_price_change[d, i, domestic]
            for i in range(m.base_value_usd.shape[0])
        )
        for d in range(5)
    ]
    np.testing.assert_allclose(out["us_buyer_domestic_price_usd"], us_made, rtol=1e-12)
    imports = [
        sum(
            solution.new_value_usd[d, i, j] - m.base_value_usd[i, j]
            for i in range(m.base_value_usd.shape[0])
            for j in range(m.base_value_usd.shape[1])
            if j != domestic
        )
        for d in range(5)
    ]
    np.testing.assert_allclose(out["imports_value_change_usd"], imports, rtol=1e-10)
