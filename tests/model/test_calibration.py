"""Tests of the supply-elasticity calibration to an observed exporter-price change."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from analysis.model.armington import solve_market
from analysis.model.calibration import calibrate_supply_elasticity
from analysis.model.market import Market

# A stylised US car market: Japan, EU, Mexico, other FTA partners, US producers (last).
CARS: dict[str, Any] = {
    "base_value_usd": np.array([55.0, 45.0, 50.0, 35.0, 300.0]),
    "base_tariff_rate": np.array([0.025, 0.025, 0.025, 0.025, 0.0]),
    "new_tariff_rate": np.array([0.275, 0.025, 0.025, 0.025, 0.0]),
    "sigma": 4.0,
    "eta": 1.0,
    "supply_elasticity": np.array([1.0, 2.0, 2.0, 2.0, 1.0]),
    "domestic_index": 4,
}


SOURCES = ("japan", "eu", "mexico", "ftrow", "us")


def as_market(arrays: dict[str, Any], sources: tuple[str, ...] = SOURCES) -> Market:
    """The market of a dict of solver arrays, US producers flagged at ``domestic_index``."""
    values = np.asarray(arrays["base_value_usd"], dtype=float)
    flags = np.zeros(len(sources), dtype=bool)
    flags[arrays["domestic_index"]] = True
    return Market(
        sectors=("cars",),
        sources=sources,
        base_value_usd=values,
        base_tariff_rate=np.asarray(arrays["base_tariff_rate"], dtype=float),
        new_tariff_rate=np.asarray(arrays["new_tariff_rate"], dtype=float),
        quantity_cap=np.full(values.shape, np.nan),
        is_domestic=flags,
    )


def calibrate(
    target: float, arrays: dict[str, Any], source: str = "japan", **options: Any
) -> float:
    return calibrate_supply_elasticity(
        target,
        market=as_market(arrays),
        sigma=arrays["sigma"],
        eta=arrays["eta"],
        supply_elasticity=arrays["supply_elasticity"],
        source=source,
        **options,
    )


def exporter_price_change(eps_japan: float, market: dict[str, Any]) -> float:
    eps = market["supply_elasticity"].copy()
    eps[0] = eps_japan
    solution = solve_market(**{**market, "supply_elasticity": eps})
    return float(solution.exporter_price_change[0])


@pytest.mark.parametrize("eps", [0.05, 0.7, 3.0, 40.0])
def test_calibrating_the_price_change_of_a_known_elasticity_gives_that_elasticity_back(
    eps: float,
) -> None:
    observed = exporter_price_change(eps, CARS)
    calibrated = calibrate(observed, CARS)
    assert calibrated == pytest.approx(eps, rel=1e-8)


def test_the_ends_of_the_range_map_to_zero_and_infinity() -> None:
    at_zero = exporter_price_change(0.0, CARS)
    assert calibrate(at_zero, CARS) < 1e-9
    assert calibrate(0.0, CARS) == math.inf


def test_boj_car_export_prices_imply_japanese_exporters_absorbed_almost_all_the_tariff() -> None:
    # BoJ export price index, cars to North America, June 2025: -19.4% y/y; tariff 2.5% -> 27.5%.
    # Full absorption would be 1.025/1.275 - 1 = -19.6%, so the elasticity must be close to 0.
    calibrated = calibrate(-0.194, CARS)
    assert 0.0 < calibrated < 0.1
    assert exporter_price_change(calibrated, CARS) == pytest.approx(-0.194, abs=1e-10)


def test_a_target_beyond_full_absorption_is_rejected_with_the_reachable_range() -> None:
    # If every foreign partner's tariff rises, the price index rises too and even a perfectly
    # inelastic Japanese supply cannot cut its price by 19.4%.
    everyone = {**CARS, "new_tariff_rate": np.array([0.275, 0.275, 0.275, 0.275, 0.0])}
    with pytest.raises(ValueError, match=r"outside what a supply elasticity"):
        calibrate(-0.194, everyone)


def test_a_price_rise_after_a_tariff_rise_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"elasticity 0\) to"):
        calibrate(0.05, CARS)


def test_nothing_to_calibrate_without_any_tariff_change() -> None:
    calm = {**CARS, "new_tariff_rate": CARS["base_tariff_rate"]}
    with pytest.raises(ValueError, match="nothing to calibrate"):
        calibrate(-0.01, calm)


@pytest.mark.parametrize(
    ("source", "change", "message"),
    [
        ("us", {}, "foreign"),
        ("atlantis", {}, "source"),
        ("japan", {"base_value_usd": np.ones((2, 5))}, "one market"),
    ],
)
def test_bad_calls_are_rejected(source: str, change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calibrate(-0.05, {**CARS, **change}, source=source)


def test_with_clamp_a_target_out_of_reach_returns_the_nearer_end() -> None:
    everyone = {**CARS, "new_tariff_rate": np.array([0.275, 0.275, 0.275, 0.275, 0.0])}
    assert calibrate(-0.194, everyone, clamp=True) == 0.0
    assert calibrate(0.05, CARS, clamp=True) == math.inf


def _market() -> dict[str, object]:
    return {
        "base_value_usd": [40.0, 60.0, 200.0],
        "base_tariff_rate": [0.025, 0.025, 0.0],
        "new_tariff_rate": [0.275, 0.025, 0.0],
        "domestic_index": 2,
    }


def test_price_and_volume_evidence_made_by_the_model_gives_its_elasticity_back() -> None:
    from analysis.model.calibration import fit_to_price_and_volume

    truth = np.array([np.inf, 1.5, 2.0])
    truth[0] = 0.7
    made = solve_market(**_market(), sigma=3.8, eta=1.0, supply_elasticity=truth)
    elasticity, rmse, at_bound = fit_to_price_and_volume(
        observed_price_change=float(made.exporter_price_change[0]),
        observed_volume_change=float(made.quantity_change[0]),
        sigma=3.8,
        eta=1.0,
        supply_elasticity=[1.0, 1.5, 2.0],
        source="japan",
        market=as_market(_market(), ("japan", "eu", "us")),
    )
    assert not at_bound and float(rmse) < 1e-3
    assert float(elasticity) == pytest.approx(0.7, rel=0.02)


def test_evidence_beyond_reach_is_not_identified_and_draws_fit_at_once() -> None:
    from analysis.model.calibration import fit_to_price_and_volume

    common = {
        "source": "japan",
        "supply_elasticity": [1.0, 1.5, 2.0],
        "market": as_market(_market(), ("japan", "eu", "us")),
    }
    # A price rise under a tariff rise is beyond any elasticity: the fit sits at infinity.
    _, _, at_bound = fit_to_price_and_volume(
        observed_price_change=0.05, observed_volume_change=None, sigma=3.8, eta=1.0, **common
    )
    assert bool(at_bound)
    # Two draws of sigma fitted at once equal two separate fits.
    sigmas = np.array([3.0, 5.0])
    both, _, _ = fit_to_price_and_volume(
        observed_price_change=-0.1,
        observed_volume_change=-0.05,
        sigma=sigmas,
        eta=np.array([1.0, 1.0]),
        **{**common, "supply_elasticity": np.array([[1.0, 1.5, 2.0]] * 2)},
    )
    for k, sigma in enumerate(sigmas):
        one, _, _ = fit_to_price_and_volume(
            observed_price_change=-0.1, observed_volume_change=-0.05, sigma=sigma, eta=1.0, **common
        )
        assert both[k] == pytest.approx(float(one), rel=1e-9)
