"""US welfare of a solved market: closed forms, the Harberger triangle, terms of trade."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import random_markets
from numpy.testing import assert_allclose

from analysis.model.armington import solve_market
from analysis.model.welfare import us_welfare


def one_source_tariff(t: float, eta: float, value: float = 100.0) -> dict[str, object]:
    """A tariff ``t`` from free trade on a single, perfectly elastic foreign source."""
    return {
        "base_value_usd": [[value]],
        "base_tariff_rate": [[0.0]],
        "new_tariff_rate": [[t]],
        "sigma": 4.0,
        "eta": eta,
        "supply_elasticity": np.inf,
    }


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


@pytest.mark.parametrize("eta", [0.0, 1.0, 2.0])
def test_one_source_tariff_welfare_matches_the_closed_form(eta: float) -> None:
    # P̂ = 1 + t and Q̂ = (1+t)^-η, so ΔCS = -V ∫_1^{1+t} z^-η dz and ΔR = t V (1+t)^-η.
    t, value = 0.25, 100.0
    welfare = us_welfare(solve_market(**one_source_tariff(t, eta, value)))
    area = np.log(1 + t) if eta == 1.0 else ((1 + t) ** (1 - eta) - 1) / (1 - eta)
    revenue = t * value * (1 + t) ** -eta
    assert_allclose(welfare.buyer_surplus_change_usd, -value * area, rtol=1e-13)
    assert_allclose(welfare.tariff_revenue_change_usd, revenue, rtol=1e-13)
    assert_allclose(welfare.net_welfare_usd, revenue - value * area, rtol=1e-12)
    assert_allclose(welfare.deadweight_loss_usd, value * area - revenue, rtol=1e-12)
    assert_allclose(welfare.domestic_producer_surplus_change_usd, 0.0)


def test_with_inelastic_demand_a_tariff_on_elastic_supply_is_a_pure_transfer() -> None:
    welfare = us_welfare(solve_market(**one_source_tariff(0.3, eta=0.0)))
    assert_allclose(welfare.buyer_surplus_change_usd, -30.0, rtol=1e-13)
    assert_allclose(welfare.tariff_revenue_change_usd, 30.0, rtol=1e-13)
    assert_allclose(welfare.deadweight_loss_usd, 0.0, atol=1e-12)


def test_only_the_domestic_producers_surplus_counts_for_the_us() -> None:
    # Domestic supply fixed (ε = 0): its surplus gain is its revenue gain V_d (ŵ_d - 1).
    common = {
        "base_value_usd": [40.0, 60.0],
        "base_tariff_rate": 0.0,
        "new_tariff_rate": [0.2, 0.0],
        "sigma": 3.0,
        "eta": 1.0,
        "supply_elasticity": [2.0, 0.0],
    }
    with_us = solve_market(domestic_index=1, **common)
    gain = 60.0 * with_us.exporter_price_change[1]
    assert gain > 0
    assert_allclose(us_welfare(with_us).domestic_producer_surplus_change_usd, gain, rtol=1e-13)
    # The same market read as two foreign sources: no US producer surplus at all.
    all_foreign = us_welfare(solve_market(**common))
    assert_allclose(all_foreign.domestic_producer_surplus_change_usd, 0.0)


def test_welfare_is_per_market_and_read_only() -> None:
    welfare = us_welfare(solve_market(**random_markets(np.random.default_rng(8), n_markets=7)))
    assert welfare.net_welfare_usd.shape == (7,)
    assert welfare.quota_rent_to_foreigners_usd.shape == (7,)
    with pytest.raises(ValueError):
        welfare.net_welfare_usd[0] = 0.0
