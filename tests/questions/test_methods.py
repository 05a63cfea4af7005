"""Exact model against SMART by partner."""

from __future__ import annotations

import dataclasses

import numpy as np

from analysis.inputs.bundle import Inputs
from analysis.questions.evidence import default_elasticities
from analysis.questions.methods import implied_smart_elasticities, smart_comparison
from analysis.questions.simulate import simulate
from analysis.questions.us_market import Elasticities


def test_exact_and_smart_agree_on_the_direction_of_every_partner(inputs: Inputs) -> None:
    table = smart_comparison(simulate(inputs, "deal_15"))
    assert (
        np.sign(table["exact_imports_change_usd"]) == np.sign(table["smart_imports_change_usd"])
    ).all()


def _small(result: object, inputs: Inputs, scale: float) -> object:
    """The same scenario with the tariff change scaled down, exact model re-solved."""
    from analysis.questions.us_market import solve

    market = result.market  # type: ignore[attr-defined]
    base = market.base_tariff_rate
    smaller = dataclasses.replace(
        market, new_tariff_rate=base + scale * (market.new_tariff_rate - base)
    )
    solution = solve(smaller, result.elasticities)  # type: ignore[attr-defined]
    return dataclasses.replace(result, market=smaller, solution=solution)  # type: ignore[type-var]


def test_for_small_changes_exact_and_smart_agree_partner_by_partner(inputs: Inputs) -> None:
    # First-order agreement needs SMART's elasticities implied by the exact model (E_s =
    # sigma - E_m) and the same export supply on both sides: infinitely elastic here.
    full = _foreign_at(inputs, np.inf)
    result = simulate(inputs, "deal_15", elasticities=full)
    table = smart_comparison(_small(result, inputs, 1e-4))
    exact, smart = table["exact_imports_change_usd"], table["smart_imports_change_usd"]
    np.testing.assert_allclose(smart, exact, rtol=2e-3)
    # ... and they part ways for the full change (curvature): SMART overstates the fall.
    whole = smart_comparison(result)
    assert whole["smart_imports_change_usd"].sum() < whole["exact_imports_change_usd"].sum()


def _foreign_at(inputs: Inputs, value: float) -> Elasticities:
    prior = default_elasticities(inputs, calibrated=False)
    supply = prior.supply_elasticity.copy()
    supply[:, :-1] = value
    return dataclasses.replace(prior, supply_elasticity=supply)


def test_the_implied_elasticities_are_the_textbook_ones_with_flat_us_supply(
    inputs: Inputs,
) -> None:
    full = default_elasticities(inputs, calibrated=False)
    supply = full.supply_elasticity.copy()
    supply[:, -1] = np.inf
    flat = dataclasses.replace(full, supply_elasticity=supply)
    result = simulate(inputs, "deal_15", elasticities=flat)
    e_m, e_s = implied_smart_elasticities(result)
    spend = (1 + result.market.base_tariff_rate) * result.market.base_value_usd
    s_m = spend[:, :-1].sum(axis=1) / spend.sum(axis=1)
    sigma, eta = 3.8, 1.0
    np.testing.assert_allclose(e_m, eta * s_m + sigma * (1 - s_m), rtol=1e-12)
    np.testing.assert_allclose(e_s, s_m * (sigma - eta), rtol=1e-12)
