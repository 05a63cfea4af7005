"""Tests of the exact Armington model: analytic results and its own equilibrium conditions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.armington import MarketSolution, solve_market
from analysis.model.diversion import trade_creation_and_diversion
from analysis.model.welfare import us_welfare


def random_markets(
    rng: np.random.Generator, n_markets: int = 40, n_sources: int = 6
) -> dict[str, Any]:
    """Random markets with the last source domestic and a mix of awkward cases."""
    value = rng.lognormal(0.0, 1.5, (n_markets, n_sources))
    value[0, 1] = 0.0  # a source with no base trade
    base = rng.uniform(0.0, 0.25, (n_markets, n_sources))
    new = np.maximum(base + rng.uniform(-0.1, 0.6, (n_markets, n_sources)), 0.0)
    base[:, -1] = new[:, -1] = 0.0
    sigma = rng.uniform(0.3, 9.0, n_markets)
    sigma[3] = 1.0  # Cobb-Douglas
    eta = rng.uniform(0.0, 3.0, n_markets)
    eps = rng.uniform(0.0, 12.0, (n_markets, n_sources))
    eps[2] = np.inf
    eps[5, 2] = 0.0
    return {
        "base_value_usd": value,
        "base_tariff_rate": base,
        "new_tariff_rate": new,
        "sigma": sigma,
        "eta": eta,
        "supply_elasticity": eps,
        "domestic_index": n_sources - 1,
    }


def assert_equilibrium(inputs: dict[str, Any], solution: MarketSolution) -> None:
    """Check the model's equations directly on the solution (independent of the solver's
    reduction to one equation per market)."""
    t0 = np.asarray(inputs["base_tariff_rate"])
    t1 = np.asarray(inputs["new_tariff_rate"])
    value = np.asarray(inputs["base_value_usd"])
    sigma = np.asarray(inputs["sigma"])[..., None]
    eta = np.asarray(inputs["eta"])[..., None]
    eps = np.broadcast_to(inputs["supply_elasticity"], solution.quantity_change.shape)
    p = 1 + solution.buyer_price_change
    w = 1 + solution.exporter_price_change
    q = 1 + solution.quantity_change
    big_p = (1 + solution.price_index_change)[..., None]
    assert_allclose(p, (1 + t1) / (1 + t0) * w, rtol=1e-12)
    demand = -sigma * np.log(p) + (sigma - eta) * np.log(big_p)
    assert_allclose(np.log(q), demand, atol=1e-11)
    finite = np.isfinite(eps)
    assert_allclose(np.log(q)[finite], eps[finite] * np.log(w)[finite], atol=1e-11)
    assert_allclose(w[~finite], 1.0, rtol=0, atol=0)
    share = (1 + t0) * value / np.sum((1 + t0) * value, axis=-1, keepdims=True)
    rho = 1 - sigma
    ces = np.log(np.sum(share * p ** np.where(rho == 0, 1.0, rho), axis=-1, keepdims=True))
    index = np.where(
        rho == 0, np.sum(share * np.log(p), axis=-1, keepdims=True), ces / np.where(rho, rho, 1)
    )
    assert_allclose(index, np.log(big_p), atol=1e-12)


# ---------------------------------------------------------------------------- basic properties


def test_random_markets_satisfy_demand_supply_and_price_index_equations() -> None:
    inputs = random_markets(np.random.default_rng(1))
    solution = solve_market(**inputs)
    assert_equilibrium(inputs, solution)
    assert not np.isnan(solution.value_change).any()
    # Newton from the linearised guess: a handful of steps, not a bisection's ~45.
    assert solution.newton_iterations <= 8


def test_no_tariff_change_means_no_change_anywhere() -> None:
    inputs = random_markets(np.random.default_rng(2))
    inputs["new_tariff_rate"] = inputs["base_tariff_rate"]
    solution = solve_market(**inputs)
    for field in (
        "exporter_price_change",
        "buyer_price_change",
        "quantity_change",
        "value_change",
        "price_index_change",
        "quota_rent_usd",
        "producer_surplus_change_usd",
        "buyer_surplus_change_usd",
        "terms_of_trade_gain_usd",
        "trade_creation_usd",
        "trade_diversion_usd",
    ):
        assert_allclose(getattr(solution, field), 0.0, atol=1e-12, err_msg=field)
    assert np.isnan(solution.pass_through).all()
    welfare = us_welfare(solution)
    assert_allclose(welfare.net_welfare_usd, 0.0, atol=1e-12)
    assert_allclose(welfare.deadweight_loss_usd, 0.0, atol=1e-12)


def test_infinite_supply_elasticity_keeps_exporter_prices_and_passes_the_tariff_through() -> None:
    rng = np.random.default_rng(3)
    value = rng.lognormal(size=(10, 4))
    t0 = rng.uniform(0, 0.1, (10, 4))
    t1 = t0 + rng.uniform(0.01, 0.5, (10, 4))
    solution = solve_market(
        base_value_usd=value,
        base_tariff_rate=t0,
        new_tariff_rate=t1,
        sigma=rng.uniform(0.5, 8, 10),
        eta=rng.uniform(0, 3, 10),
        supply_elasticity=np.inf,
    )
    assert_array_equal(solution.exporter_price_change, 0.0)
    assert_allclose(1 + solution.buyer_price_change, (1 + t1) / (1 + t0), rtol=1e-14)
    assert_allclose(solution.pass_through, 1.0, rtol=1e-12)


@pytest.mark.parametrize("eta", [0.0, 0.5, 1.0, 2.7])
def test_single_source_with_infinite_supply_sells_tau_hat_to_the_minus_eta(eta: float) -> None:
    solution = solve_market(
        base_value_usd=[[100.0]],
        base_tariff_rate=[[0.025]],
        new_tariff_rate=[[0.275]],
        sigma=3.0,
        eta=eta,
        supply_elasticity=np.inf,
    )
    tau_hat = 1.275 / 1.025
    assert_allclose(1 + solution.quantity_change, tau_hat**-eta, rtol=1e-14)
    assert_allclose(1 + solution.price_index_change, tau_hat, rtol=1e-14)


def test_zero_supply_elasticity_fixes_quantity_and_the_exporter_absorbs_the_tariff() -> None:
    # One source: buyers pay the old price, the exporter receives 1/τ̂ of it.
    alone = solve_market(
        base_value_usd=[50.0],
        base_tariff_rate=[0.0],
        new_tariff_rate=[0.25],
        sigma=4.0,
        eta=1.2,
        supply_elasticity=0.0,
    )
    assert_array_equal(alone.quantity_change, 0.0)
    assert_allclose(alone.buyer_price_change, 0.0, atol=1e-15)
    assert_allclose(1 + alone.exporter_price_change, 1 / 1.25, rtol=1e-14)
    assert_allclose(alone.pass_through, 0.0, atol=1e-13)
    # Among other sources: its quantity still does not move.
    among = solve_market(
        base_value_usd=[50.0, 80.0, 20.0],
        base_tariff_rate=[0.0, 0.0, 0.0],
        new_tariff_rate=[0.25, 0.1, 0.0],
        sigma=4.0,
        eta=1.2,
        supply_elasticity=[0.0, 2.0, np.inf],
    )
    assert among.quantity_change[0] == 0.0
    assert among.exporter_price_change[0] < -0.15


def test_a_negligible_supplier_passes_through_tau_hat_to_the_power_eps_over_eps_plus_sigma() -> (
    None
):
    # A source with zero base value does not move the price index, so p̂ = τ̂^{ε/(ε+σ)} exactly.
    eps, sigma = 3.0, 5.0
    solution = solve_market(
        base_value_usd=[0.0, 10.0, 30.0],
        base_tariff_rate=[0.0, 0.0, 0.0],
        new_tariff_rate=[0.4, 0.0, 0.0],
        sigma=sigma,
        eta=1.0,
        supply_elasticity=[eps, 1.0, 2.0],
    )
    assert_allclose(solution.price_index_change, 0.0, atol=1e-15)
    assert_allclose(1 + solution.buyer_price_change[0], 1.4 ** (eps / (eps + sigma)), rtol=1e-14)
    assert_allclose(solution.new_value_usd[0], 0.0)


def test_cobb_douglas_keeps_buyer_expenditure_on_each_source_constant() -> None:
    # σ = η = 1 with fixed exporter prices: q̂ = 1/p̂, so p̂ q̂ = 1 for every source.
    solution = solve_market(
        base_value_usd=[10.0, 20.0, 30.0],
        base_tariff_rate=[0.0, 0.05, 0.1],
        new_tariff_rate=[0.5, 0.05, 0.3],
        sigma=1.0,
        eta=1.0,
        supply_elasticity=np.inf,
    )
    spend = (1 + solution.buyer_price_change) * (1 + solution.quantity_change)
    assert_allclose(spend, 1.0, rtol=1e-14)


def test_sigma_equal_to_one_is_the_limit_of_nearby_sigmas() -> None:
    common: dict[str, Any] = {
        "base_value_usd": [10.0, 20.0, 30.0],
        "base_tariff_rate": [0.0, 0.05, 0.0],
        "new_tariff_rate": [0.5, 0.05, 0.2],
        "eta": 0.7,
        "supply_elasticity": [2.0, 1.0, 5.0],
    }
    at_one = solve_market(sigma=1.0, **common)
    below = solve_market(sigma=1.0 - 1e-7, **common)
    above = solve_market(sigma=1.0 + 1e-7, **common)
    assert_allclose(at_one.quantity_change, 0.5 * (below.quantity_change + above.quantity_change))
    assert_allclose(at_one.price_index_change, below.price_index_change, rtol=1e-6)


def test_sources_and_markets_without_base_trade_give_no_nan() -> None:
    solution = solve_market(
        base_value_usd=[[0.0, 0.0, 0.0], [0.0, 5.0, 1.0]],
        base_tariff_rate=0.0,
        new_tariff_rate=[[0.2, 0.1, 0.0], [0.3, 0.0, 0.0]],
        sigma=3.0,
        eta=1.0,
        supply_elasticity=2.0,
        domestic_index=2,
    )
    for field in ("quantity_change", "value_change", "new_value_usd", "trade_diversion_usd"):
        assert not np.isnan(getattr(solution, field)).any(), field
    assert_array_equal(solution.new_value_usd[0], 0.0)
    assert_array_equal(solution.buyer_surplus_change_usd[0], 0.0)
    assert_array_equal(solution.new_value_usd[1, 0], 0.0)


def test_a_leading_draw_axis_gives_the_same_answer_as_a_loop_of_single_solves() -> None:
    rng = np.random.default_rng(4)
    n_draws, n_markets, n_sources = 7, 5, 4
    value = rng.lognormal(size=(n_markets, n_sources))
    t0 = np.zeros((n_markets, n_sources))
    t1 = rng.uniform(0, 0.5, (n_markets, n_sources))
    t1[:, 0] = 0.0
    sigma = rng.uniform(1.1, 8, (n_draws, n_markets))
    eta = rng.uniform(0.2, 2, (n_draws, n_markets))
    eps = rng.uniform(0.1, 10, (n_draws, n_markets, n_sources))
    cap = np.full((n_markets, n_sources), np.nan)
    cap[:, 1] = 0.95
    common: dict[str, Any] = {
        "base_value_usd": value,
        "base_tariff_rate": t0,
        "new_tariff_rate": t1,
    }
    together = solve_market(
        sigma=sigma,
        eta=eta,
        supply_elasticity=eps,
        quantity_cap=cap,
        domestic_index=0,
        **common,
    )
    assert together.quantity_change.shape == (n_draws, n_markets, n_sources)
    assert together.price_index_change.shape == (n_draws, n_markets)
    for d in range(n_draws):
        alone = solve_market(
            sigma=sigma[d],
            eta=eta[d],
            supply_elasticity=eps[d],
            quantity_cap=cap,
            domestic_index=0,
            **common,
        )
        assert_allclose(together.quantity_change[d], alone.quantity_change, atol=1e-14)
        assert_allclose(together.quota_rent_usd[d], alone.quota_rent_usd, atol=1e-12)
        assert_allclose(together.terms_of_trade_gain_usd[d], alone.terms_of_trade_gain_usd)


def test_outputs_are_read_only() -> None:
    solution = solve_market(
        base_value_usd=[1.0, 2.0],
        base_tariff_rate=0.0,
        new_tariff_rate=[0.1, 0.0],
        sigma=2.0,
        eta=1.0,
        supply_elasticity=1.0,
    )
    with pytest.raises(ValueError):
        solution.quantity_change[0] = 1.0


# ---------------------------------------------------------------------------- welfare


def test_harberger_triangle_for_a_small_tariff_on_a_single_perfectly_elastic_source() -> None:
    value, eta = 200.0, 1.7
    for t in (0.01, 0.02):
        solution = solve_market(
            base_value_usd=[[value]],
            base_tariff_rate=[[0.0]],
            new_tariff_rate=[[t]],
            sigma=4.0,
            eta=eta,
            supply_elasticity=np.inf,
        )
        welfare = us_welfare(solution)
        harberger = 0.5 * t**2 * eta * value
        # The error is third order, so relative to the triangle it is of order t.
        assert_allclose(welfare.deadweight_loss_usd, harberger, rtol=2 * t)
        assert_allclose(welfare.terms_of_trade_gain_usd, 0.0)


def test_small_country_tariff_from_zero_has_no_terms_of_trade_gain_and_lowers_us_welfare() -> None:
    rng = np.random.default_rng(5)
    n_markets, n_sources = 200, 5
    eps = np.full((n_markets, n_sources), np.inf)
    eps[:, -1] = rng.uniform(0, 5, n_markets)  # domestic supply may slope up
    new = rng.uniform(0, 0.6, (n_markets, n_sources))
    new[:, -1] = 0.0
    solution = solve_market(
        base_value_usd=rng.lognormal(size=(n_markets, n_sources)),
        base_tariff_rate=0.0,
        new_tariff_rate=new,
        sigma=rng.uniform(0.3, 9, n_markets),
        eta=rng.uniform(0, 3, n_markets),
        supply_elasticity=eps,
        domestic_index=n_sources - 1,
    )
    welfare = us_welfare(solution)
    assert_allclose(welfare.terms_of_trade_gain_usd, 0.0, atol=0)
    assert np.all(welfare.net_welfare_usd <= 1e-9)
    assert np.all(welfare.deadweight_loss_usd >= -1e-9)
    assert np.any(welfare.net_welfare_usd < -1e-3)


def test_large_country_gains_terms_of_trade_when_foreign_supply_slopes_up() -> None:
    solution = solve_market(
        base_value_usd=[[60.0, 40.0, 100.0]],
        base_tariff_rate=0.0,
        new_tariff_rate=[[0.1, 0.1, 0.0]],
        sigma=3.0,
        eta=1.0,
        supply_elasticity=[[2.0, 2.0, 1.0]],
        domestic_index=2,
    )
    foreign = slice(0, 2)
    expected = np.sum(
        -solution.exporter_price_change[0, foreign]
        * solution.base_value_usd[0, foreign]
        * (1 + solution.quantity_change[0, foreign])
    )
    assert solution.terms_of_trade_gain_usd[0] > 0
    assert_allclose(solution.terms_of_trade_gain_usd[0], expected)
    # With a 10% tariff from free trade, the terms-of-trade gain beats the efficiency loss.
    assert us_welfare(solution).net_welfare_usd[0] > 0


def test_welfare_pieces_add_up() -> None:
    inputs = random_markets(np.random.default_rng(6))
    solution = solve_market(**inputs)
    welfare = us_welfare(solution)
    domestic_ps = solution.producer_surplus_change_usd[..., -1]
    revenue = np.sum(solution.new_tariff_revenue_usd - solution.base_tariff_revenue_usd, axis=-1)
    assert_allclose(
        welfare.net_welfare_usd,
        solution.buyer_surplus_change_usd + domestic_ps + revenue,
    )
    assert_allclose(
        welfare.deadweight_loss_usd,
        welfare.terms_of_trade_gain_usd
        - welfare.quota_rent_to_foreigners_usd
        - welfare.net_welfare_usd,
    )


def test_buyer_surplus_uses_the_log_form_when_eta_is_one() -> None:
    solution = solve_market(
        base_value_usd=[[30.0, 70.0]],
        base_tariff_rate=[[0.1, 0.0]],
        new_tariff_rate=[[0.3, 0.0]],
        sigma=2.0,
        eta=1.0,
        supply_elasticity=[[3.0, 1.0]],
    )
    spend = 30.0 * 1.1 + 70.0
    expected = -spend * np.log1p(solution.price_index_change)
    assert_allclose(solution.buyer_surplus_change_usd, expected, rtol=1e-14)


def test_producer_surplus_is_the_area_left_of_the_supply_curve() -> None:
    eps = 2.5
    solution = solve_market(
        base_value_usd=[40.0, 60.0],
        base_tariff_rate=0.0,
        new_tariff_rate=[0.3, 0.0],
        sigma=3.0,
        eta=1.0,
        supply_elasticity=[eps, np.inf],
    )
    w = 1 + solution.exporter_price_change[0]
    assert_allclose(
        solution.producer_surplus_change_usd[0], 40.0 * (w ** (eps + 1) - 1) / (eps + 1)
    )
    assert solution.producer_surplus_change_usd[1] == 0.0


def test_same_basket_cost_prices_the_base_purchases_at_new_buyer_prices() -> None:
    solution = solve_market(
        base_value_usd=[40.0, 60.0],
        base_tariff_rate=[0.1, 0.0],
        new_tariff_rate=[0.3, 0.0],
        sigma=3.0,
        eta=1.0,
        supply_elasticity=[np.inf, 1.0],
        domestic_index=1,
    )
    expected = 44.0 * (1.3 / 1.1 - 1) + 60.0 * solution.buyer_price_change[1]
    assert_allclose(solution.us_buyer_cost_same_basket_usd, expected)


def test_us_welfare_rejects_a_different_domestic_mask() -> None:
    solution = solve_market(
        base_value_usd=[1.0, 2.0],
        base_tariff_rate=0.0,
        new_tariff_rate=[0.1, 0.0],
        sigma=2.0,
        eta=1.0,
        supply_elasticity=1.0,
        domestic_index=1,
    )
    us_welfare(solution, domestic_mask=[False, True])
    with pytest.raises(ValueError, match="domestic_mask"):
        us_welfare(solution, domestic_mask=[True, False])


# ---------------------------------------------------------------------------- trade flows


def test_creation_is_the_change_in_total_imports_and_diversion_nets_to_zero() -> None:
    inputs = random_markets(np.random.default_rng(7))
    solution = solve_market(**inputs)
    change = solution.new_value_usd - solution.base_value_usd
    assert_allclose(solution.trade_creation_usd, np.sum(change[..., :-1], axis=-1))
    assert_allclose(np.sum(solution.trade_diversion_usd, axis=-1), 0.0, atol=1e-9)
    assert_array_equal(solution.trade_diversion_usd[..., -1], 0.0)
    imports = solution.base_value_usd[..., :-1]
    share = imports / np.sum(imports, axis=-1, keepdims=True)
    expected = change[..., :-1] - share * solution.trade_creation_usd[..., None]
    assert_allclose(solution.trade_diversion_usd[..., :-1], expected, atol=1e-9)
    assert np.abs(expected).max() > 1.0


def test_diversion_is_change_beyond_the_base_share_of_creation() -> None:
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=[-30.0, 10.0, 5.0, 99.0],
        base_value_usd=[50.0, 30.0, 20.0, 500.0],
        is_foreign=[True, True, True, False],
    )
    assert creation == pytest.approx(-15.0)
    assert_allclose(diversion, [-30 + 7.5, 10 + 4.5, 5 + 3.0, 0.0])


# ---------------------------------------------------------------------------- VER


def ver_market(cap: float, eps_japan: float = 2.0) -> dict[str, Any]:
    return {
        "base_value_usd": [50.0, 40.0, 200.0],
        "base_tariff_rate": [0.025, 0.025, 0.0],
        "new_tariff_rate": [0.025, 0.025, 0.0],
        "sigma": 4.0,
        "eta": 1.0,
        "supply_elasticity": [eps_japan, 1.5, 1.0],
        "quantity_cap": [cap, np.nan, np.nan],
        "domestic_index": 2,
    }


def test_a_binding_ver_holds_quantity_at_the_cap_and_pays_exporters_the_supply_price() -> None:
    solution = solve_market(**ver_market(cap=0.8))
    assert solution.cap_binds[0]
    assert not solution.cap_binds[1:].any()
    assert_allclose(1 + solution.quantity_change[0], 0.8, rtol=1e-14)
    assert_allclose(1 + solution.exporter_price_change[0], 0.8 ** (1 / 2.0), rtol=1e-14)
    assert solution.buyer_price_change[0] > 0
    assert solution.quota_rent_usd[0] > 0
    assert_array_equal(solution.quota_rent_usd[1:], 0.0)
    assert solution.tariff_equivalent_rate[0] > 0.025


def test_the_tariff_equivalent_of_a_ver_reproduces_the_capped_quantity() -> None:
    capped = solve_market(**ver_market(cap=0.8))
    as_tariff = ver_market(cap=np.nan)
    as_tariff["new_tariff_rate"] = [capped.tariff_equivalent_rate[0], 0.025, 0.0]
    tariffed = solve_market(**as_tariff)
    assert_allclose(tariffed.quantity_change, capped.quantity_change, atol=1e-12)
    assert_allclose(tariffed.buyer_price_change, capped.buyer_price_change, atol=1e-12)
    assert_allclose(tariffed.exporter_price_change, capped.exporter_price_change, atol=1e-12)
    # The quota rent equals the revenue the extra tariff would raise on the same volume.
    extra_revenue = tariffed.new_tariff_revenue_usd[0] - 0.025 * tariffed.new_value_usd[0]
    assert_allclose(capped.quota_rent_usd[0], extra_revenue, rtol=1e-12)
    # ...and the US loses that rent: welfare under the VER is lower by exactly that much, while
    # the efficiency loss (deadweight loss) is the same as under the equivalent tariff.
    assert_allclose(
        us_welfare(tariffed).net_welfare_usd - us_welfare(capped).net_welfare_usd,
        capped.quota_rent_usd[0],
        rtol=1e-12,
    )
    assert_allclose(
        us_welfare(capped).deadweight_loss_usd, us_welfare(tariffed).deadweight_loss_usd
    )


def test_a_pure_ver_with_perfectly_elastic_supply_hands_the_whole_price_rise_to_exporters() -> None:
    solution = solve_market(**{**ver_market(cap=0.7), "supply_elasticity": [np.inf, 1.5, 1.0]})
    assert solution.exporter_price_change[0] == 0.0
    rent_per_unit = 1.025 * (1 + solution.buyer_price_change[0]) - 1.025
    assert_allclose(solution.quota_rent_usd[0], 50.0 * 0.7 * rent_per_unit, rtol=1e-14)
    welfare = us_welfare(solution)
    assert welfare.quota_rent_to_foreigners_usd > 0
    assert welfare.deadweight_loss_usd > 0


def test_a_cap_above_the_free_quantity_changes_nothing() -> None:
    inputs = ver_market(cap=0.9)
    inputs["new_tariff_rate"] = [0.275, 0.025, 0.0]  # quantity falls well below 0.9 anyway
    capped = solve_market(**inputs)
    free = solve_market(**{**inputs, "quantity_cap": None})
    assert not capped.cap_binds.any()
    assert_allclose(capped.quantity_change, free.quantity_change, atol=0)
    assert_array_equal(capped.quota_rent_usd, 0.0)
    assert_allclose(capped.tariff_equivalent_rate, [0.275, 0.025, 0.0])


def test_binding_caps_are_consistent_when_several_partners_are_capped() -> None:
    # Capping one partner raises demand for the other; its cap may start to bind only then.
    inputs = ver_market(cap=0.6)
    inputs["quantity_cap"] = [0.6, 1.02, np.nan]
    solution = solve_market(**inputs)
    q = 1 + solution.quantity_change
    assert solution.cap_binds[0] and solution.cap_binds[1]
    assert_allclose(q[:2], [0.6, 1.02], rtol=1e-14)
    assert np.all(solution.quota_rent_usd[:2] > 0)


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sigma": 0.0}, "sigma"),
        ({"eta": -1.0}, "eta"),
        ({"supply_elasticity": np.nan}, "supply_elasticity"),
        ({"base_value_usd": [1.0, -2.0, 3.0]}, "base_value_usd"),
        ({"new_tariff_rate": [0.1, -1.0, 0.0]}, "new_tariff_rate"),
        ({"new_tariff_rate": [0.1, 0.0, 0.05]}, "domestic source"),
        ({"quantity_cap": [0.9, np.nan, 0.9]}, "domestic"),
        ({"quantity_cap": [0.0, np.nan, np.nan]}, "quantity_cap"),
        ({"base_value_usd": [1.0, 2.0]}, "broadcast"),
        ({"domestic_index": 3}, "domestic_index"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(change: dict[str, Any], message: str) -> None:
    inputs: dict[str, Any] = {
        "base_value_usd": [1.0, 2.0, 3.0],
        "base_tariff_rate": 0.0,
        "new_tariff_rate": [0.1, 0.0, 0.0],
        "sigma": 2.0,
        "eta": 1.0,
        "supply_elasticity": 1.0,
        "domestic_index": 2,
        **change,
    }
    with pytest.raises(ValueError, match=message):
        solve_market(**inputs)


def test_a_cap_that_no_one_can_make_up_for_has_no_equilibrium() -> None:
    # Inelastic composite demand (η = 0) and a fixed-quantity rival: a binding cap cannot clear.
    with pytest.raises(ValueError, match="no equilibrium"):
        solve_market(
            base_value_usd=[10.0, 10.0],
            base_tariff_rate=0.0,
            new_tariff_rate=0.0,
            sigma=0.5,
            eta=0.0,
            supply_elasticity=[np.inf, 0.0],
            quantity_cap=[0.5, np.nan],
        )
