"""Calibration to evidence: supply elasticities fitted to observed exporter-price changes.

For each entry under ``calibration`` in ``params/elasticities.yaml`` (e.g. the Bank of Japan's
export price index for cars to North America, -19.4% y/y in June 2025 under the 27.5% car
tariff), find the supply elasticity of that partner in that sector for which the exact model,
moving from the entry's base scenario to its scenario, reproduces the observed change.

An elasticity of 0 (a vertical supply curve) is the most a source can absorb, infinity the
least. Evidence beyond either end is matched by that end, and the fit says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

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
    at_bound: bool  # the evidence lies beyond what any elasticity in [0, inf] can produce
    reachable_exporter_price_change: float  # the model's value (= observed if fitted)
    note: str


@cache
def calibrated_supply_elasticities() -> tuple[SupplyFit, ...]:
    """Fit every calibration entry once per process (the other elasticities at defaults)."""
    return tuple(fit_supply_elasticity(cal) for cal in load_parameters().calibrations)


def fit_supply_elasticity(cal: Calibration) -> SupplyFit:
    """The supply elasticity of ``cal.partner`` in ``cal.sector`` that matches the evidence."""
    from analysis.simulate import build_market, default_elasticities

    data = load_trade_data()
    measures = load_measures()
    defaults = default_elasticities(data, load_parameters(), calibrated=False)
    base = schedule_for_scenario(load_scenario(cal.base_scenario, measures), data, measures)
    new = schedule_for_scenario(load_scenario(cal.scenario, measures), data, measures)
    market = build_market(data, base, new)
    i, j = data.sector_index(cal.sector), data.partner_index(cal.partner)
    one_sector = {
        "base_value_usd": market.base_value_usd[i],
        "base_tariff_rate": market.base_tariff_rate[i],
        "new_tariff_rate": market.new_tariff_rate[i],
        "domestic_index": len(market.sources) - 1,
    }
    sigma = float(defaults.substitution_elasticity[i])
    eta = float(defaults.demand_elasticity[i])
    supply = defaults.supply_elasticity[i].copy()

    def exporter_price_change(elasticity: float) -> float:
        supply[j] = elasticity
        solution = solve_market(**one_sector, sigma=sigma, eta=eta, supply_elasticity=supply)
        return float(solution.exporter_price_change[j])

    observed = cal.observed_exporter_price_change
    elasticity = calibrate_supply_elasticity(
        observed,
        sigma=sigma,
        eta=eta,
        supply_elasticity=supply,
        source_index=j,
        clamp=True,
        **one_sector,
    )
    reached = exporter_price_change(elasticity)
    at_bound = abs(reached - observed) > 1e-6
    where = f"{cal.partner} {cal.sector}"
    if at_bound:
        note = (
            f"{where}: the observed exporter price change of {observed:+.1%} is beyond what the "
            f"model can produce with sigma = {sigma:g}; the supply elasticity is set at its bound "
            f"{elasticity:g} (exporter price {reached:+.1%})"
        )
        if elasticity == 0:
            note += ": exporters absorb as much of the tariff as the model allows, and their "
            note += "volume does not change"
    else:
        note = (
            f"{where}: supply elasticity {elasticity:.3g}, fitted to the observed exporter price "
            f"change of {observed:+.1%}"
        )
    return SupplyFit(
        calibration=cal,
        partner=cal.partner,
        sector=cal.sector,
        supply_elasticity=elasticity,
        at_bound=at_bound,
        reachable_exporter_price_change=reached,
        note=note,
    )
