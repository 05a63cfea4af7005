"""The US market of every sector as model input, on the shipped data."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.us_market import (
    DOMESTIC,
    Elasticities,
    Market,
    build_market,
    prior_elasticities,
    solve,
    sources,
)


def schedule(inputs: Inputs, name: str) -> TariffSchedule:
    return schedule_for_scenario(inputs.scenario(name), inputs.data, inputs.measures)


@pytest.fixture(scope="module")
def july(inputs: Inputs) -> Market:
    return build_market(inputs.data, schedule(inputs, "mfn_only"), schedule(inputs, "july_2025"))


def fixed_prices(market: Market, sigma: float, eta: float) -> Elasticities:
    n_sectors, n_sources = market.base_value_usd.shape
    return Elasticities(
        substitution_elasticity=np.full(n_sectors, sigma),
        demand_elasticity=np.full(n_sectors, eta),
        supply_elasticity=np.full((n_sectors, n_sources), np.inf),
    )


def test_the_sources_are_the_partners_then_us_producers(inputs: Inputs) -> None:
    assert sources(inputs.data) == (*inputs.data.partners, DOMESTIC)
    assert sources(inputs.data)[-1] == "us"


def test_the_market_stacks_imports_and_domestic_sales_with_no_tariff_at_home(
    inputs: Inputs, july: Market
) -> None:
    data = inputs.data
    n_sectors, n_partners = len(data.sectors), len(data.partners)
    assert july.base_value_usd.shape == (n_sectors, n_partners + 1)
    assert_array_equal(july.base_value_usd[:, :-1], data.imports_usd)
    assert_array_equal(july.base_value_usd[:, -1], data.domestic_sales_usd)
    assert_array_equal(july.base_tariff_rate[:, -1], 0.0)
    assert_array_equal(july.new_tariff_rate[:, -1], 0.0)
    assert_allclose(july.new_tariff_rate[:, :-1], schedule(inputs, "july_2025").tariff_rate)
    assert np.isnan(july.quantity_cap).all()


def test_a_quota_lands_in_its_sector_and_partner_cell_only(inputs: Inputs) -> None:
    base = schedule(inputs, "mfn_only")
    market = build_market(inputs.data, base, base, {("japan", "mvh"): 0.9})
    i, j = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    assert market.quantity_cap[i, j] == 0.9
    assert np.count_nonzero(~np.isnan(market.quantity_cap)) == 1


def test_prior_elasticities_are_the_defaults_of_the_params_file(inputs: Inputs) -> None:
    params = inputs.parameters
    prior = prior_elasticities(inputs.data, params)
    n_sectors = len(inputs.data.sectors)
    assert_array_equal(prior.substitution_elasticity, params["substitution_elasticity"].default)
    assert_array_equal(prior.demand_elasticity, params["demand_elasticity"].default)
    assert prior.supply_elasticity.shape == (n_sectors, len(inputs.data.partners) + 1)
    assert_array_equal(prior.supply_elasticity[:, :-1], params["foreign_supply_elasticity"].default)
    assert_array_equal(prior.supply_elasticity[:, -1], params["domestic_supply_elasticity"].default)


def test_cobb_douglas_with_fixed_prices_gives_the_geometric_mean_of_tariff_factors(
    july: Market,
) -> None:
    # σ = 1 and ε = ∞: p̂_i = τ̂_i and ln P̂ = Σ s_i ln τ̂_i, s_i the tariff-inclusive base shares.
    solution = solve(july, fixed_prices(july, sigma=1.0, eta=0.5))
    spend = (1 + july.base_tariff_rate) * july.base_value_usd
    share = spend / spend.sum(axis=1, keepdims=True)
    log_tau = np.log1p(july.new_tariff_rate) - np.log1p(july.base_tariff_rate)
    expected = np.expm1(np.sum(share * log_tau, axis=1))
    assert_allclose(solution.price_index_change, expected, rtol=1e-12, atol=1e-15)
    assert_allclose(1 + solution.buyer_price_change, np.exp(log_tau), rtol=1e-13)
    assert_array_equal(solution.is_domestic, [False] * (len(july.sources) - 1) + [True])


def test_a_binding_quota_holds_the_partner_at_its_cap(inputs: Inputs) -> None:
    base = schedule(inputs, "mfn_only")
    market = build_market(inputs.data, base, base, {("japan", "mvh"): 0.9})
    solution = solve(market, prior_elasticities(inputs.data, inputs.parameters))
    i, j = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    assert solution.cap_binds[i, j]
    assert solution.quantity_change[i, j] == pytest.approx(-0.1, rel=1e-12)
    assert solution.quota_rent_usd[i, j] > 0
    assert np.count_nonzero(solution.cap_binds) == 1
