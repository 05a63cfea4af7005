"""Tests of the exact Armington model: analytic results and its own equilibrium conditions."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from helpers import random_markets
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.armington import MarketSolution, solve_market
from analysis.model.welfare import us_welfare


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
    with warnings.catch_warnings():
        # Pass-through is computed on first use: an unchanged tariff must not warn (a warning
        # printed in a kernel shows above a report's title).
        warnings.simplefilter("error")
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


def test_three_hundred_draws_solved_at_once_match_the_draws_solved_one_by_one() -> None:
    """The Monte Carlo solves blocks of draws at once; every field, those computed on first use
    and the welfare sums included, must be what each draw gives alone."""
    rng = np.random.default_rng(21)
    markets = random_markets(rng, n_markets=12, n_sources=5)
    n_draws = 300
    sigma = rng.uniform(0.5, 6.0, (n_draws, 1)) * np.ones(12)
    eta = rng.uniform(0.0, 2.5, (n_draws, 1)) * np.ones(12)
    eps = np.broadcast_to(markets["supply_elasticity"], (n_draws, 12, 5)).copy()
    eps[:, :, :-1] *= rng.uniform(0.2, 3.0, (n_draws, 1, 1))  # one foreign draw per set
    fixed = {k: v for k, v in markets.items() if k not in ("sigma", "eta", "supply_elasticity")}
    together = solve_market(sigma=sigma, eta=eta, supply_elasticity=eps, **fixed)
    welfare = us_welfare(together)
    for d in range(n_draws):
        alone = solve_market(sigma=sigma[d], eta=eta[d], supply_elasticity=eps[d], **fixed)
        for name in (
            "exporter_price_change",
            "buyer_price_change",
            "quantity_change",
            "price_index_change",
            "new_value_usd",
            "new_tariff_revenue_usd",
            "buyer_surplus_change_usd",
            "producer_surplus_change_usd",
            "terms_of_trade_gain_usd",
            "trade_creation_usd",
            "trade_diversion_usd",
            "pass_through",
        ):
            got, want = getattr(together, name)[d], getattr(alone, name)
            assert_allclose(got, want, rtol=1e-12, atol=1e-9, err_msg=name)
        one = us_welfare(alone)
        assert_allclose(welfare.net_welfare_usd[d], one.net_welfare_usd, rtol=1e-12, atol=1e-9)
        assert_allclose(welfare.deadweight_loss_usd[d], one.deadweight_loss_usd, atol=1e-9)


def test_many_draws_of_one_source_follow_the_closed_form() -> None:
    """One source alone: the price index is its buyer price, so demand
    :math:`\\hat q = (\\hat\\tau\\hat w)^{-\\eta}` meets supply
    :math:`\\hat q = \\hat w^{\\varepsilon}` at
    :math:`\\hat w = \\hat\\tau^{-\\eta/(\\varepsilon+\\eta)}`, in every draw."""
    rng = np.random.default_rng(5)
    n_draws = 500
    eta = rng.uniform(0.1, 3.0, (n_draws, 1))
    eps = rng.uniform(0.0, 20.0, (n_draws, 1, 1))
    sigma = rng.uniform(0.5, 8.0, (n_draws, 1))  # irrelevant with a single source
    solution = solve_market(
        base_value_usd=[[50.0]],
        base_tariff_rate=[[0.025]],
        new_tariff_rate=[[0.15]],
        sigma=sigma,
        eta=eta,
        supply_elasticity=eps,
    )
    tau_hat = 1.15 / 1.025
    w_hat = tau_hat ** (-eta[:, :, None] / (eps + eta[:, :, None]))
    assert_allclose(1 + solution.exporter_price_change, w_hat, rtol=1e-12)
    assert_allclose(1 + solution.quantity_change, w_hat**eps, rtol=1e-12)
    assert_allclose(1 + solution.price_index_change, tau_hat * w_hat[..., 0], rtol=1e-12)
    # Pass-through (p - 1)/(tau - 1), computed on first use.
    assert_allclose(solution.pass_through, (tau_hat * w_hat - 1) / (tau_hat - 1), rtol=1e-10)


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


# ---------------------------------------------------------------------------- surplus fields


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
