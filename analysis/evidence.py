"""Calibration to evidence: supply elasticities fitted to observed exporter-price changes.

For each entry under ``calibration`` in ``params/elasticities.yaml`` (e.g. the Bank of Japan's
export price index for cars to North America, -19.4% y/y in June 2025 under the 27.5% car
tariff), find the supply elasticity of that partner in that sector for which the exact model,
moving from the entry's base scenario to its scenario, reproduces the observed change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from analysis.armington import solve_market
from analysis.calibration import calibrate_supply_elasticity
from analysis.datasets import load_trade_data
from analysis.measures import load_measures
from analysis.parameters import Calibration, load_parameters
from analysis.scenarios import load_scenario, schedule_for_scenario


@dataclass(frozen=True)
class SupplyFit:
    calibration: Calibration
    partner: str
    sector: str
    supply_elasticity: float
    at_bound: bool  # the evidence lies beyond what any elasticity >= 0 can produce
    reachable_exporter_price_change: float  # the model's closest value (= observed if fitted)
    note: str


@cache
def calibrated_supply_elasticities() -> tuple[SupplyFit, ...]:
    """Fit every calibration entry once per process (default elasticities otherwise)."""
    data = load_trade_data()
    measures = load_measures()
    params = load_parameters()
    fits = []
    for cal in params.calibrations:
        base = schedule_for_scenario(load_scenario(cal.base_scenario, measures), data, measures)
        new = schedule_for_scenario(load_scenario(cal.scenario, measures), data, measures)
        i, j = data.sector_index(cal.sector), data.partner_index(cal.partner)
        values = np.append(data.imports_usd[i], data.domestic_sales_usd[i])
        supply = np.full(values.shape, params["foreign_supply_elasticity"].default)
        supply[-1] = params["domestic_supply_elasticity"].default
        sigma = params["substitution_elasticity"].default
        eta = params["demand_elasticity"].default
        t0 = np.append(base.tariff_rate[i], 0.0)
        t1 = np.append(new.tariff_rate[i], 0.0)
        domestic = len(values) - 1
        observed = cal.observed_exporter_price_change
        try:
            elasticity = calibrate_supply_elasticity(
                observed,
                base_value_usd=values,
                base_tariff_rate=t0,
                new_tariff_rate=t1,
                sigma=sigma,
                eta=eta,
                supply_elasticity=supply,
                source_index=j,
                domestic_index=domestic,
            )
            at_bound = False
        except ValueError:
            # Beyond reach: larger falls than the model allows even with a vertical supply
            # curve (elasticity 0, the exporter absorbs as much as it can) stop at that bound.
            elasticity, at_bound = 0.0, True
        supply[j] = elasticity
        solution = solve_market(
            base_value_usd=values,
            base_tariff_rate=t0,
            new_tariff_rate=t1,
            sigma=sigma,
            eta=eta,
            supply_elasticity=supply,
            domestic_index=domestic,
        )
        reached = float(solution.exporter_price_change[j])
        if at_bound:
            note = (
                f"{cal.partner} {cal.sector}: the observed exporter price change of "
                f"{observed:+.1%} "
                f"is beyond what the model can produce with sigma = {sigma}; the supply "
                f"elasticity is set at its bound 0 (exporter price {reached:+.1%}): exporters "
                "absorbed (nearly) all of the tariff"
            )
        else:
            note = (
                f"{cal.partner} {cal.sector}: supply elasticity {elasticity:.3g}, fitted to the "
                f"observed exporter price change of {observed:+.1%}"
            )
        fits.append(
            SupplyFit(
                calibration=cal,
                partner=cal.partner,
                sector=cal.sector,
                supply_elasticity=elasticity,
                at_bound=at_bound,
                reachable_exporter_price_change=reached,
                note=note,
            )
        )
    return tuple(fits)
