"""Quotas (voluntary export restraints): binding caps, inverse-demand prices and quota rent."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import brentq

from analysis.model.armington import solve_market
from analysis.model.market_inputs import MarketInputs, validated_inputs
from analysis.model.quota import (
    at_caps,
    equilibrium_with_caps,
    supply_elasticity_for_tariff_equivalent,
    tariff_equivalent_closed_form,
)
from analysis.model.supply import LogChanges, SupplyCurves, log_changes, supply_curves
from analysis.model.welfare import us_welfare


def capped_market(
    value: list[float],
    t0: list[float],
    t1: list[float],
    sigma: float,
    eta: float,
    eps: list[float],
    cap: list[float],
) -> tuple[MarketInputs, SupplyCurves]:
    m = validated_inputs([value], [t0], [t1], [sigma], [eta], [eps], [cap], None)
    return m, supply_curves(m)


def solve_caps(m: MarketInputs, s: SupplyCurves) -> tuple[npt.NDArray[Any], LogChanges]:
    """The price index and every source's log changes, as solve_market chains them."""
    assert m.cap is not None
    x, binding, _ = equilibrium_with_caps(m, m.cap, s, 1e-13, 100)
    return x, at_caps(m, m.cap, s, x, binding, log_changes(m, s, x))


def test_a_capped_single_source_sells_its_cap_at_the_inverse_demand_price() -> None:
    # One source: P̂ = p̂ and Q̂ = q̂ = P̂^-η, so a binding cap c gives ln P̂ = -ln c / η,
    # the exporter price on the supply curve is c^(1/ε), and the wedge is rent.
    c, eta, eps, value = 0.8, 1.5, 2.0, 100.0
    m, s = capped_market([value], [0.1], [0.1], 3.0, eta, [eps], [c])
    x, logs = solve_caps(m, s)
    assert_allclose(x, [-np.log(c) / eta], rtol=1e-12)
    assert logs.cap_binds[0, 0]
    assert_allclose(np.exp(logs.log_q), [[c]], rtol=1e-14)
    p_hat, w_hat = c ** (-1 / eta), c ** (1 / eps)
    assert_allclose(np.exp(logs.log_p), [[p_hat]], rtol=1e-12)
    assert_allclose(np.exp(logs.log_w), [[w_hat]], rtol=1e-14)
    # The exporter charges the customs price 1.1 p / (1 + 0.1) = p: it keeps p - w per unit.
    assert_allclose(logs.rent, [[value * c * (p_hat - w_hat)]], rtol=1e-12)
    assert_allclose(logs.t_eq, [[1.1 * p_hat / w_hat - 1]], rtol=1e-12)


def test_a_cap_beside_an_elastic_rival_solves_the_price_index_equation_by_hand() -> None:
    # Source 1 capped at c (buyer price from inverse demand), source 2 at a fixed price 1:
    # P̂^(1-σ) = ½ p̂_1^(1-σ) + ½, with ln p̂_1 = ((σ-η) x - ln c)/σ.
    c, sigma, eta = 0.8, 3.0, 1.0
    m, s = capped_market([50.0, 50.0], [0.0, 0.0], [0.0, 0.0], sigma, eta, [2.0, np.inf], [c, 1e9])

    def excess(x: float) -> float:
        p1 = np.exp(((sigma - eta) * x - np.log(c)) / sigma)
        return float(np.log(0.5 * p1 ** (1 - sigma) + 0.5) / (1 - sigma) - x)

    x, logs = solve_caps(m, s)
    assert_allclose(x, [brentq(excess, 0.0, 5.0, xtol=1e-15)], rtol=1e-12)
    assert_array_equal(logs.cap_binds, [[True, False]])
    assert_allclose(logs.log_w[0, 1], 0.0, atol=0)
    assert_array_equal(logs.rent[0, 1], 0.0)


def test_a_cap_above_free_sales_does_not_bind_and_leaves_the_free_solution() -> None:
    m, s = capped_market([30.0, 70.0], [0.0, 0.0], [0.4, 0.0], 3.0, 1.0, [2.0, 1.0], [0.99, 2.0])
    x, logs = solve_caps(m, s)
    free = log_changes(m, s, x)
    assert not logs.cap_binds.any()
    assert_allclose(logs.log_q, free.log_q, atol=0)
    assert_array_equal(logs.rent, 0.0)
    assert_allclose(logs.t_eq, [[0.4, 0.0]])


def test_caps_that_bind_are_exceeded_by_free_sales_and_the_others_are_not() -> None:
    # σ < η: binding a cap raises P̂ and lowers the free sales of the other capped sources.
    sigma, eta = 0.6, 2.5
    eps = np.array([1.0, 3.0, 0.5, 2.0])
    tau = np.array([1.0, 1.1, 0.9, 1.0])
    cap = np.array([0.95, 1.01, 1.02, 0.97])
    m, s = capped_market(
        [10.0, 20.0, 30.0, 40.0], [0.0] * 4, list(tau - 1), sigma, eta, list(eps), list(cap)
    )
    x, logs = solve_caps(m, s)
    free_log_q = eps / (eps + sigma) * (-sigma * np.log(tau) + (sigma - eta) * x[0])
    assert_array_equal(logs.cap_binds[0], free_log_q > np.log(cap))
    assert logs.cap_binds.any()
    assert np.all(logs.log_q[0] <= np.log(cap) + 1e-14)


def test_a_binding_cap_on_fixed_supply_turns_the_whole_buyer_price_into_rent() -> None:
    m, s = capped_market([100.0], [0.0], [0.0], 2.0, 1.0, [0.0], [0.5])
    _, logs = solve_caps(m, s)
    assert_allclose(np.exp(logs.log_p), [[2.0]], rtol=1e-12)  # p̂ = c^(-1/η)
    assert_array_equal(np.exp(logs.log_w), [[0.0]])
    assert_allclose(logs.rent, [[100.0 * 0.5 * 2.0]], rtol=1e-12)
    assert np.isinf(logs.t_eq[0, 0])


# ---------------------------------------------------------------------------- through solve_market


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
    # The quota rent is what the equivalent tariff would raise beyond the quota's own revenue
    # (the VER's duty is charged on the customs price, rent included).
    extra_revenue = tariffed.new_tariff_revenue_usd[0] - capped.new_tariff_revenue_usd[0]
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
    # Buyers pay 1.025 (1 + dp); the exporter charges dp above its unchanged price of 1, and
    # the 2.5% duty falls on that customs price.
    dp = solution.buyer_price_change[0]
    assert_allclose(solution.quota_rent_usd[0], 50.0 * 0.7 * dp, rtol=1e-13)
    assert_allclose(solution.new_tariff_revenue_usd[0], 0.025 * 50.0 * 0.7 * (1 + dp), rtol=1e-13)
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


def test_under_a_ver_the_duty_falls_on_the_customs_price_and_the_rent_is_paid_abroad() -> None:
    # One source, perfectly elastic supply at price 1, a 10% tariff before and after, and a
    # cap at 80% of the base volume: buyers pay (1.1) p with p = 0.8^(-1/eta) (the composite
    # is the one source), the exporter charges p (duty-exclusive) and keeps p - 1 per unit.
    value, t, c, eta = 100.0, 0.10, 0.8, 2.0
    solution = solve_market(
        base_value_usd=[value],
        base_tariff_rate=[t],
        new_tariff_rate=[t],
        sigma=3.0,
        eta=eta,
        supply_elasticity=[np.inf],
        quantity_cap=[c],
    )
    p = c ** (-1 / eta)
    assert_allclose(solution.quota_rent_usd, [value * c * (p - 1)], rtol=1e-12)
    assert_allclose(solution.new_tariff_revenue_usd, [t * value * c * p], rtol=1e-12)
    # The US pays foreigners the rent: a terms-of-trade loss of exactly that amount.
    assert_allclose(solution.terms_of_trade_gain_usd, -value * c * (p - 1), rtol=1e-12)


def test_tariff_equivalent_closed_form_by_hand() -> None:
    # Cap at 0.8 of base, epsilon = 2, eta = 1.5, base tariff 10%:
    # 1 + t* = 1.1 x 0.8^-(1/2 + 1/1.5) = 1.1 x 0.8^(-7/6).
    assert_allclose(tariff_equivalent_closed_form(0.8, 2.0, 1.5, 0.1), 1.1 * 0.8 ** (-7 / 6) - 1)
    # A cap that does not cut sales needs no extra tariff; perfectly elastic supply and
    # demand need none either.
    assert_allclose(tariff_equivalent_closed_form(1.0, 0.5, 1.0, 0.025), 0.025)
    assert_allclose(tariff_equivalent_closed_form(0.5, np.inf, np.inf, 0.0), 0.0, atol=1e-15)
    with pytest.raises(ValueError, match="positive share"):
        tariff_equivalent_closed_form(0.0, 1.0, 1.0)


@pytest.mark.parametrize("eps", [0.046, 0.5, 0.729, 2.0, 8.0])
def test_model_tariff_equivalent_matches_the_closed_form_for_one_source(eps: float) -> None:
    # One source is the whole market: it faces the market's eta.
    c, eta, t0 = 0.923, 1.2, 0.025
    m, s = capped_market([100.0], [t0], [t0], 3.0, eta, [eps], [c])
    _, logs = solve_caps(m, s)
    assert_allclose(logs.t_eq, [[tariff_equivalent_closed_form(c, eps, eta, t0)]], rtol=1e-10)


def test_a_small_capped_source_faces_sigma_in_the_closed_form() -> None:
    # A source with a tiny share barely moves the price index: its demand elasticity is sigma.
    c, sigma, eps = 0.9, 4.0, 1.5
    m, s = capped_market([1e-6, 100.0], [0.0, 0.0], [0.0, 0.0], sigma, 1.0, [eps, 2.0], [c, 1e9])
    _, logs = solve_caps(m, s)
    assert_allclose(logs.t_eq[0, 0], tariff_equivalent_closed_form(c, eps, sigma), rtol=1e-6)


def test_the_tariff_equivalent_reproduces_the_quota_outcome() -> None:
    # Duality: replacing the cap by its tariff equivalent gives the same quantities and
    # prices (the rent becomes tariff revenue).
    kwargs: dict[str, Any] = {
        "base_value_usd": [[40.0, 60.0, 100.0]],
        "base_tariff_rate": [[0.025, 0.025, 0.0]],
        "sigma": [3.0],
        "eta": [1.0],
        "supply_elasticity": [[0.8, 2.0, 1.5]],
        "domestic_index": 2,
    }
    quota = solve_market(
        **kwargs, new_tariff_rate=[[0.025, 0.025, 0.0]], quantity_cap=[[0.85, np.nan, np.nan]]
    )
    t_eq = float(quota.tariff_equivalent_rate[0, 0])
    tariff = solve_market(**kwargs, new_tariff_rate=[[t_eq, 0.025, 0.0]])
    assert_allclose(tariff.quantity_change, quota.quantity_change, atol=1e-9)
    assert_allclose(tariff.quantity_change[0, 0], 0.85 - 1, atol=1e-9)
    assert_allclose(tariff.price_index_change, quota.price_index_change, atol=1e-9)


def test_the_closed_form_at_a_long_run_elasticity_by_hand() -> None:
    # Cap at 92.3% of free-trade volume, supply elasticity 0.75, demand the source faces 4:
    # 1 + t = 0.923^-(1/0.75 + 1/4) = 0.923^-1.58333 = exp(1.58333 x 0.080126) = 1.13527.
    assert_allclose(tariff_equivalent_closed_form(0.923, 0.75, 4.0), 0.13527, atol=5e-5)
    # The short-run fit to 2025 (about 0.05) makes the same cap worth a tariff in the hundreds
    # of percent: 0.923^-(1/0.05 + 1/4) - 1 = exp(20.25 x 0.080126) - 1 = exp(1.62255) - 1 = 4.066.
    assert_allclose(tariff_equivalent_closed_form(0.923, 0.05, 4.0), 4.066, atol=5e-3)


def test_the_tariff_equivalent_vanishes_in_its_limits() -> None:
    # Supply and demand ever more elastic: a cap at 92.3% is worth an ever smaller tariff.
    big = np.array([1e2, 1e4, 1e6])
    te = tariff_equivalent_closed_form(0.923, big, big)
    assert (np.diff(te) < 0).all() and te[-1] < 1e-6
    # Elastic supply alone leaves the demand side's wedge: 0.923^(-1/4) - 1 = 0.02024.
    assert_allclose(tariff_equivalent_closed_form(0.923, np.inf, 4.0), 0.02024, atol=5e-5)
    # A quota at 100% of free-trade volume needs no tariff, at any supply elasticity.
    assert_allclose(tariff_equivalent_closed_form(1.0, np.array([0.05, 0.75, 40.0]), 4.0), 0.0)


def test_the_supply_elasticity_a_tariff_equivalent_implies_by_hand() -> None:
    # Cap e^-0.1 of free-trade volume, demand elasticity 4, tariff equivalent e^0.225 - 1:
    # 1/eps = 0.225 / 0.1 - 1/4 = 2, so eps = 0.5.
    eps = supply_elasticity_for_tariff_equivalent(np.exp(0.225) - 1, np.exp(-0.1), 4.0)
    assert_allclose(eps, 0.5, rtol=1e-12)
    # With a base tariff the wedge is measured over it: (1 + t) / 1.1 = e^0.225.
    eps = supply_elasticity_for_tariff_equivalent(1.1 * np.exp(0.225) - 1, np.exp(-0.1), 4.0, 0.1)
    assert_allclose(eps, 0.5, rtol=1e-12)
    # A tariff equivalent the demand side alone explains: perfectly elastic supply.
    assert np.isinf(supply_elasticity_for_tariff_equivalent(0.01, 0.923, 4.0))
    # Higher tariff equivalents mean less elastic supply; the inverse of the closed form.
    te = np.array([0.12, 0.14, 0.20])
    eps = supply_elasticity_for_tariff_equivalent(te, 0.923, 3.8)
    assert (np.diff(eps) < 0).all()
    assert_allclose(tariff_equivalent_closed_form(0.923, eps, 3.8), te, rtol=1e-12)
    with pytest.raises(ValueError, match=r"in \(0, 1\)"):
        supply_elasticity_for_tariff_equivalent(0.1, 1.0, 4.0)
