"""Calibration to evidence: supply elasticities fitted to observed exporter-price changes.

For each entry under ``calibration`` in ``params/elasticities.yaml`` (e.g. the Bank of Japan's
export price index for cars to North America, -19.4% y/y in June 2025 under the 27.5% car
tariff), find the supply elasticity of that partner in that sector for which the exact model,
moving from the entry's base scenario to its scenario, reproduces the observed change.

An elasticity of 0 (a vertical supply curve) is the most a source can absorb, infinity the
least. Evidence beyond either end is matched by that end, and the fit says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from analysis.inputs.bundle import Inputs
from analysis.inputs.parameters import Calibration
from analysis.model.armington import solve_market
from analysis.model.calibration import calibrate_supply_elasticity
from analysis.policy.regimes import schedule_for_scenario
from analysis.questions.us_market import Elasticities, build_market, prior_elasticities


@dataclass(frozen=True)
class SupplyFit:
    calibration: Calibration
    partner: str
    sector: str
    supply_elasticity: float
    at_bound: bool  # the evidence lies beyond what any elasticity in [0, inf] can produce
    reachable_exporter_price_change: float  # the model's value (= observed if fitted)
    note: str


def calibrated_supply_elasticities(inputs: Inputs) -> tuple[SupplyFit, ...]:
    """Fit every calibration entry (the other elasticities at their defaults)."""
    return tuple(fit_supply_elasticity(inputs, cal) for cal in inputs.parameters.calibrations)


def default_elasticities(
    inputs: Inputs,
    *,
    calibrated: bool = True,
    under_quota: frozenset[tuple[str, str]] = frozenset(),
) -> Elasticities:
    """The defaults of params/elasticities.yaml; calibrated supply elasticities if asked.

    Calibrations are not applied to (partner, sector) cells ``under_quota``: the 2025 car
    evidence puts Japan's supply elasticity at its bound 0 (a vertical supply curve), under
    which a quota has no finite tariff equivalent, so a quota is analysed with the default.
    """
    data = inputs.data
    prior = prior_elasticities(data, inputs.parameters)
    if not calibrated:
        return prior
    supply = prior.supply_elasticity.copy()
    notes = []
    for fit in calibrated_supply_elasticities(inputs):
        if (fit.partner, fit.sector) in under_quota:
            notes.append(
                f"{fit.partner} {fit.sector} is under a quota: its calibrated supply "
                "elasticity is not used; the default applies"
            )
            continue
        supply[data.sector_index(fit.sector), data.partner_index(fit.partner)] = (
            fit.supply_elasticity
        )
        notes.append(fit.note)
    return replace(prior, supply_elasticity=supply, notes=tuple(notes))


def fit_supply_elasticity(inputs: Inputs, cal: Calibration) -> SupplyFit:
    """The supply elasticity of ``cal.partner`` in ``cal.sector`` that matches the evidence."""
    data, measures = inputs.data, inputs.measures
    defaults = prior_elasticities(data, inputs.parameters)
    base = schedule_for_scenario(inputs.scenario(cal.base_scenario), data, measures)
    new = schedule_for_scenario(inputs.scenario(cal.scenario), data, measures)
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
