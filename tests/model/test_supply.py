"""Each source on its constant-elasticity supply curve, given the price index."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.market_inputs import MarketInputs, validated_inputs
from analysis.model.supply import log_changes, supply_curves


def market(
    t1: list[float], sigma: float, eta: float, eps: list[float], t0: float = 0.0
) -> MarketInputs:
    n = len(t1)
    value = [[10.0 * (i + 1) for i in range(n)]]
    return validated_inputs(value, [[t0] * n], [t1], [sigma], [eta], [eps], None, None)


def test_infinite_supply_elasticity_keeps_the_exporter_price_whatever_the_index() -> None:
    m = market([0.25, 0.0], sigma=4.0, eta=1.0, eps=[np.inf, np.inf])
    s = supply_curves(m)
    assert_array_equal(s.gap, 1.0)
    assert_allclose(s.k, [[np.log(1.25), 0.0]])
    for x in (-0.3, 0.0, 0.2):
        logs = log_changes(m, s, np.array([x]))
        assert_array_equal(logs.log_w, 0.0)
        assert_allclose(logs.log_p, [[np.log(1.25), 0.0]], rtol=1e-15)


def test_zero_supply_elasticity_keeps_the_quantity_whatever_the_index() -> None:
    m = market([0.25, 0.1], sigma=3.0, eta=0.5, eps=[0.0, 0.0])
    s = supply_curves(m)
    for x in (-0.3, 0.0, 0.2):
        assert_array_equal(log_changes(m, s, np.array([x])).log_q, 0.0)


def test_prices_and_quantities_lie_on_both_the_demand_and_the_supply_curve() -> None:
    # Demand ln q̂ = -σ ln p̂ + (σ-η) x and supply ln q̂ = ε ln ŵ, with p̂ = τ̂ ŵ, at any x.
    sigma, eta, x = 2.5, 0.8, 0.07
    eps = np.array([0.5, 2.0, 7.0])
    m = market([0.3, -0.05, 0.1], sigma=sigma, eta=eta, eps=list(eps), t0=0.1)
    logs = log_changes(m, supply_curves(m), np.array([x]))
    log_tau = np.log(np.array([1.3, 0.95, 1.1]) / 1.1)
    assert_allclose(logs.log_p, log_tau + logs.log_w, rtol=1e-14)
    assert_allclose(logs.log_q, -sigma * logs.log_p + (sigma - eta) * x, atol=1e-15)
    assert_allclose(logs.log_q, eps * logs.log_w, atol=1e-15)


def test_the_buyer_price_moves_with_the_index_at_slope_one_minus_gap() -> None:
    # d ln p̂ / dx = (σ-η)/(ε+σ), so the gap 1 - a is (ε+η)/(ε+σ).
    sigma, eta = 3.0, 1.2
    eps = np.array([0.0, 1.5, np.inf])
    m = market([0.2, 0.2, 0.2], sigma=sigma, eta=eta, eps=list(eps))
    s = supply_curves(m)
    assert_allclose(s.gap[0], [eta / sigma, (1.5 + eta) / (1.5 + sigma), 1.0], rtol=1e-15)
    rise = log_changes(m, s, np.array([0.1])).log_p - log_changes(m, s, np.array([0.0])).log_p
    assert_allclose(rise[0], 0.1 * (1 - s.gap[0]), atol=1e-15)


def test_shares_are_tariff_inclusive_base_spending_and_rho_is_one_minus_sigma() -> None:
    m = validated_inputs(
        [[30.0, 70.0]], [[0.1, 0.0]], [[0.1, 0.0]], [2.0, 0.5], 1.0, 1.0, None, None
    )
    s = supply_curves(m)
    assert_allclose(m.rows_of(s.share), [[33.0 / 103.0, 70.0 / 103.0]] * 2)
    assert_allclose(s.rho, [-1.0, 0.5])


def test_free_sources_pay_the_new_tariff_and_earn_no_rent() -> None:
    m = market([0.3, 0.0], sigma=2.0, eta=1.0, eps=[1.0, 2.0])
    logs = log_changes(m, supply_curves(m), np.array([0.05]))
    assert_array_equal(logs.rent, 0.0)
    assert_array_equal(logs.t_eq, [[0.3, 0.0]])
    assert not logs.cap_binds.any()
