"""Tests of the linearised SMART formulas, alone and against the exact Armington model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.armington import solve_market
from analysis.model.smart import smart_effects
from analysis.model.welfare import us_welfare

IMPORTS = np.array([50.0, 30.0, 20.0])


def smart(**change: Any) -> Any:
    inputs: dict[str, Any] = {
        "base_import_value_usd": IMPORTS,
        "base_tariff_rate": [0.05, 0.05, 0.05],
        "new_tariff_rate": [0.25, 0.05, 0.10],
        "import_demand_elasticity": 1.5,
        "substitution_elasticity": 4.0,
        **change,
    }
    return smart_effects(**inputs)


def test_no_tariff_change_means_no_effects() -> None:
    result = smart(new_tariff_rate=[0.05, 0.05, 0.05], export_supply_elasticity=3.0)
    for field in (
        "creation_effect_usd",
        "diversion_effect_usd",
        "exporter_price_change",
        "import_value_change_usd",
        "welfare_change_usd",
        "tariff_revenue_change_usd",
    ):
        assert_array_equal(getattr(result, field), 0.0, err_msg=field)


def test_trade_creation_with_perfectly_elastic_supply_is_m_times_em_times_the_price_change() -> (
    None
):
    result = smart()
    d = (np.array([0.25, 0.05, 0.10]) - 0.05) / 1.05
    assert_allclose(result.creation_effect_usd, -1.5 * IMPORTS * d)
    assert_array_equal(result.exporter_price_change, 0.0)


def test_finite_export_supply_divides_creation_by_one_plus_em_over_ex() -> None:
    result = smart(export_supply_elasticity=3.0)
    d = (np.array([0.25, 0.05, 0.10]) - 0.05) / 1.05
    assert_allclose(result.creation_effect_usd, -1.5 * IMPORTS * d / (1 + 1.5 / 3.0))


def test_doubling_the_import_demand_elasticity_doubles_trade_creation() -> None:
    once = smart(import_demand_elasticity=1.5)
    twice = smart(import_demand_elasticity=3.0)
    assert_allclose(twice.creation_effect_usd, 2 * once.creation_effect_usd)
    assert_allclose(twice.trade_creation_usd, 2 * once.trade_creation_usd)
    assert_allclose(twice.diversion_effect_usd, once.diversion_effect_usd)


def test_diversion_nets_to_zero_across_partners() -> None:
    rng = np.random.default_rng(0)
    result = smart_effects(
        base_import_value_usd=rng.lognormal(size=(50, 8)),
        base_tariff_rate=rng.uniform(0, 0.2, (50, 8)),
        new_tariff_rate=rng.uniform(0, 0.6, (50, 8)),
        import_demand_elasticity=rng.uniform(0.5, 3, 50),
        substitution_elasticity=rng.uniform(0, 10, 50),
        export_supply_elasticity=rng.uniform(0.5, 20, 50),
    )
    assert_allclose(np.sum(result.diversion_effect_usd, axis=-1), 0.0, atol=1e-12)
    assert_allclose(np.sum(result.trade_diversion_usd, axis=-1), 0.0, atol=1e-12)
    assert np.any(np.abs(result.diversion_effect_usd) > 1e-3)


def test_the_same_tariff_change_for_every_partner_diverts_nothing() -> None:
    result = smart(new_tariff_rate=[0.15, 0.15, 0.15], export_supply_elasticity=2.0)
    assert_allclose(result.diversion_effect_usd, 0.0, atol=1e-15)
    # Each partner's world price absorbs E_m/(E_x + E_m) of the buyer price change.
    assert_allclose(result.exporter_price_change, -1.5 / 3.5 * 0.1 / 1.05)


def test_world_prices_move_along_the_export_supply_curve() -> None:
    # Δw/w = ΔM/(M E_x): creation and diversion are both net of the world-price response.
    result = smart(export_supply_elasticity=2.5)
    assert_allclose(result.exporter_price_change, result.quantity_change / 2.5)
    assert np.all(result.diversion_effect_usd != 0)


def test_wits_negative_import_demand_elasticity_is_read_as_a_magnitude() -> None:
    assert_allclose(
        smart(import_demand_elasticity=-1.5).trade_effect_usd,
        smart(import_demand_elasticity=1.5).trade_effect_usd,
    )


def test_welfare_from_a_zero_tariff_is_half_the_tariff_change_times_the_import_change() -> None:
    result = smart(base_tariff_rate=0.0, new_tariff_rate=[0.2, 0.0, 0.1])
    triangle = 0.5 * np.sum(np.array([0.2, 0.0, 0.1]) * result.trade_effect_usd)
    assert_allclose(result.welfare_change_usd, triangle)
    assert result.welfare_change_usd < 0


def test_revenue_change_is_new_rate_times_new_value_minus_old_revenue() -> None:
    result = smart(export_supply_elasticity=4.0)
    new_value = IMPORTS + result.import_value_change_usd
    expected = np.sum(np.array([0.25, 0.05, 0.10]) * new_value - 0.05 * IMPORTS)
    assert_allclose(result.tariff_revenue_change_usd, expected)


@pytest.mark.parametrize("bad", [{"export_supply_elasticity": 0.0}, {"new_tariff_rate": -1.0}])
def test_bad_input_is_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        smart(**bad)


# ------------------------------------------------------------------ against the exact model


def exact(new_tariff_rate: Any, sigma: float, supply: float) -> Any:
    return solve_market(
        base_value_usd=IMPORTS,
        base_tariff_rate=0.05,
        new_tariff_rate=new_tariff_rate,
        sigma=sigma,
        eta=1.5,
        supply_elasticity=supply,
    )


@pytest.mark.parametrize("supply", [np.inf, 3.0])
def test_exact_and_smart_agree_to_first_order_for_a_small_tariff_change(supply: float) -> None:
    new = np.full(3, 0.051)  # +0.1 percentage point for every partner
    model = exact(new, sigma=4.0, supply=supply)
    linear = smart(new_tariff_rate=new, export_supply_elasticity=supply)
    # The gap is second order: relative to a 0.1 pp effect it is of order 1e-3.
    assert_allclose(model.quantity_change, linear.quantity_change, rtol=3e-3)
    assert_allclose(model.exporter_price_change, linear.exporter_price_change, rtol=3e-3)
    assert_allclose(model.trade_creation_usd, linear.trade_creation_usd, rtol=3e-3)
    assert_allclose(us_welfare(model).net_welfare_usd, linear.welfare_change_usd, rtol=3e-3)


@pytest.mark.parametrize("supply", [np.inf, 3.0])
def test_for_large_changes_the_linear_formula_misses_the_curvature_of_demand(supply: float) -> None:
    # Constant-elasticity demand is convex, so a straight line overstates the fall in imports
    # after a tariff rise and understates their rise after a tariff cut.
    rise = np.full(3, 0.35)
    model = exact(rise, sigma=4.0, supply=supply)
    linear = smart(new_tariff_rate=rise, export_supply_elasticity=supply)
    assert np.all(linear.quantity_change < model.quantity_change - 0.05)
    assert np.all(model.quantity_change > -1)
    cut = solve_market(
        base_value_usd=IMPORTS,
        base_tariff_rate=0.35,
        new_tariff_rate=0.05,
        sigma=4.0,
        eta=1.5,
        supply_elasticity=supply,
    )
    linear_cut = smart(base_tariff_rate=0.35, new_tariff_rate=0.05, export_supply_elasticity=supply)
    assert np.all(linear_cut.quantity_change < cut.quantity_change - 0.02)


def test_the_linear_formula_can_predict_negative_imports_the_exact_model_cannot() -> None:
    rise = np.full(3, 0.40)
    linear = smart(new_tariff_rate=rise, import_demand_elasticity=4.0)
    model = solve_market(
        base_value_usd=IMPORTS,
        base_tariff_rate=0.05,
        new_tariff_rate=rise,
        sigma=4.0,
        eta=4.0,
        supply_elasticity=np.inf,
    )
    assert np.all(IMPORTS + linear.trade_effect_usd < 0)
    assert np.all(model.new_value_usd > 0)


def test_smart_partner_responses_match_the_exact_model_with_sigma_equal_to_es_plus_em() -> None:
    # SMART adds own-price creation to Es-diversion, so partners react to relative prices with
    # Es + Em; market totals still match the exact model with sigma = Es.
    new = np.array([0.051, 0.05, 0.05])  # only the first partner's tariff moves, by 0.1 pp
    linear = smart(new_tariff_rate=new)
    as_smart = exact(new, sigma=4.0 + 1.5, supply=np.inf)
    as_named = exact(new, sigma=4.0, supply=np.inf)
    assert_allclose(as_smart.quantity_change, linear.quantity_change, rtol=3e-3)
    assert not np.allclose(as_named.quantity_change, linear.quantity_change, rtol=0.1)
    assert_allclose(as_named.trade_creation_usd, linear.trade_creation_usd, rtol=3e-3)
