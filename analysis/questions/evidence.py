"""Calibration to evidence: supply elasticities fitted to observed exporter prices and volumes.

For each entry under ``calibration`` in ``params/elasticities.yaml`` (Japan's cars: the Bank of
Japan's export price index for passenger cars to North America, -19.4% y/y in June 2025 in
contract currency, and the Ministry of Finance's export volume to the US, -2.4% in April to
September 2025, under the 27.5% car tariff), find the supply elasticity of that partner in that
sector for which the exact model, moving from the entry's base scenario to its scenario, best
reproduces the evidence (least squares in logs; :func:`analysis.model.calibration.
fit_to_price_and_volume`).

An elasticity of 0 (a vertical supply curve) is the most a source can absorb, infinity the
least. A best fit at either end means the evidence does not identify the elasticity: it is
reported as "not identified" and the prior (the default) is used instead, never the bound.
The fitted elasticities describe the short run (2025's evidence, one year: exporters absorbed
the tariff) and are used for the scenarios that declare ``horizon: short_run`` (the law the
evidence was observed under). Forward scenarios (``horizon: long_run``, the default: quotas,
escalations, rate cuts, the law in force today) use the long-run supply elasticity of
``long_run_supply`` in ``params/elasticities.yaml`` for every foreign source of that sector
(Japan included, and any country split out of its region), read off the published tariff
equivalents of the 1980s restraint on Japanese cars through the closed form of
:func:`analysis.model.quota.supply_elasticity_for_tariff_equivalent` (no direct estimate could
be verified). Every report says which response it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import TradeData
from analysis.inputs.focus import PASSENGER_CARS_SECTOR, Focus
from analysis.inputs.parameters import Calibration, LongRunSupply, ModelParameters
from analysis.inputs.scenarios import LONG_RUN, SHORT_RUN
from analysis.model.armington import solve_market
from analysis.model.calibration import fit_to_price_and_volume
from analysis.model.market import Market
from analysis.model.quota import supply_elasticity_for_tariff_equivalent
from analysis.policy.regimes import schedule_for_scenario
from analysis.questions.outcomes import significant_places
from analysis.questions.us_market import Elasticities, build_market, prior_elasticities


@dataclass(frozen=True)
class SupplyFit:
    calibration: Calibration
    partner: str
    sector: str
    supply_elasticity: float  # the best fit (0 or inf when not identified)
    identified: bool  # False: the best fit is at a bound; the prior is used instead
    reachable_exporter_price_change: float  # the model's value at the best fit
    reachable_volume_change: float
    rmse_log: float  # root mean squared log error of the fit
    note: str

    @property
    def at_bound(self) -> bool:
        return not self.identified


def calibrated_supply_elasticities(inputs: Inputs) -> tuple[SupplyFit, ...]:
    """Fit every calibration entry (the other elasticities at their defaults)."""
    return tuple(fit_supply_elasticity(inputs, cal) for cal in inputs.parameters.calibrations)


def calibrated_supply_fit(inputs: Inputs, focus: Focus) -> SupplyFit:
    """The 2025 fit of the ``focus`` partner's exporters' supply elasticity in its sector (the
    short-run fit the quota comparison rests on); KeyError where no calibration covers them."""
    for fit in calibrated_supply_elasticities(inputs):
        if (fit.partner, fit.sector) == (focus.partner, focus.sector):
            return fit
    raise KeyError(f"no calibration of {focus.partner} {focus.sector}")


#: How readers are told which supply response a figure uses.
HORIZON_LABELS = {SHORT_RUN: "short run (2025 fit)", LONG_RUN: "long run (literature)"}
#: The same in a sentence ("85,695 fewer cars, long-run supply response (from the literature)").
HORIZON_PHRASES = {
    SHORT_RUN: "one-year supply response (fitted to 2025)",
    LONG_RUN: "long-run supply response (from the literature)",
}


def elasticity_text(value: float) -> str:
    """An elasticity as readers see it: two significant figures, as every elasticity of the
    reports (0.729 -> ``0.73``, 0.0571 -> ``0.057``, 0.497 -> ``0.50``, 3.8 -> ``3.8``, 12.0 ->
    ``12``); the estimates behind them are not known more closely."""
    places = max(significant_places(value, 2), 0)
    return f"{round(value, places):.{places}f}"


@dataclass(frozen=True)
class LongRunElasticity:
    """The long-run supply elasticity of every foreign source in one sector, and its range,
    read off the published tariff equivalents of a quota (the mode gives the central value;
    the highest tariff equivalent the lowest elasticity)."""

    evidence: LongRunSupply
    sector: str
    central: float
    low: float
    high: float
    sigma: float  # the demand elasticity the capped source faces in the closed form

    @property
    def note(self) -> str:
        te = self.evidence
        return (
            f"{self.sector}: long-run supply elasticity {elasticity_text(self.central)} for "
            f"every partner (range {elasticity_text(self.low)} to "
            f"{elasticity_text(self.high)}), the value at which a cap at "
            f"{te.cap_share:.1%} of free-trade volume has the 1980s restraint's published tariff "
            f"equivalent of {te.tariff_equivalent_mode:.0%} ({te.tariff_equivalent_low:.0%} to "
            f"{te.tariff_equivalent_high:.0%}) in the closed form with an elasticity of "
            f"substitution of {elasticity_text(self.sigma)} (one small source, no tariff before, "
            "nothing else changing; in the full model the same cap is worth more, as the car "
            "report shows); no direct estimate could be verified"
        )


def long_run_supply_elasticities(params: ModelParameters) -> tuple[LongRunElasticity, ...]:
    """Every sector's long-run supply elasticity, from its cited tariff equivalents."""
    sigma = params["substitution_elasticity"].default
    out = []
    for sector, ev in params.long_run_supply.items():

        def implied(te: float, ev: LongRunSupply = ev) -> float:
            return float(supply_elasticity_for_tariff_equivalent(te, ev.cap_share, sigma))

        out.append(
            LongRunElasticity(
                evidence=ev,
                sector=sector,
                central=implied(ev.tariff_equivalent_mode),
                low=implied(ev.tariff_equivalent_high),
                high=implied(ev.tariff_equivalent_low),
                sigma=sigma,
            )
        )
    return tuple(out)


def long_run_supply_elasticity(params: ModelParameters, sector: str) -> LongRunElasticity:
    """The long-run supply elasticity of ``sector`` (KeyError if no tariff equivalents are cited
    for it)."""
    for found in long_run_supply_elasticities(params):
        if found.sector == sector:
            return found
    raise KeyError(f"no long-run supply evidence for {sector}")


def long_run_elasticities(
    prior: Elasticities, data: TradeData, params: ModelParameters
) -> Elasticities:
    """``prior`` with every foreign source of a ``long_run_supply`` sector at its long-run
    value (no short-run fit: those describe one year of 2025)."""
    supply = prior.supply_elasticity.copy()
    foreign = slice(0, len(data.partners))  # every source but US producers (last)
    notes = []
    for lr in long_run_supply_elasticities(params):
        supply[data.sector_index(lr.sector), foreign] = lr.central
        notes.append(lr.note)
    return replace(prior, supply_elasticity=supply, notes=tuple(notes))


def default_elasticities(
    inputs: Inputs, *, calibrated: bool = True, horizon: str = SHORT_RUN
) -> Elasticities:
    """The defaults of params/elasticities.yaml: with the identified fits to 2025 for the
    short run, with the long-run supply elasticities for the long run; neither if not
    ``calibrated`` (the economy-wide defaults everywhere).

    A quota and the tariff it is compared with use the same elasticities (a quota analysed
    with a different elasticity than the tariff it is compared with is not a comparison).
    """
    data = inputs.data
    prior = prior_elasticities(data, inputs.parameters)
    if not calibrated:
        return prior
    if horizon == LONG_RUN:
        return long_run_elasticities(prior, data, inputs.parameters)
    supply = prior.supply_elasticity.copy()
    notes = []
    for fit in calibrated_supply_elasticities(inputs):
        notes.append(fit.note)
        if fit.identified:
            i, j = data.sector_index(fit.sector), data.partner_index(fit.partner)
            supply[i, j] = fit.supply_elasticity
    return replace(prior, supply_elasticity=supply, notes=tuple(notes))


#: The main car suppliers besides Japan, whose 2025 export or US import prices of cars could
#: not be found in a citable source (docs/research/evidence_2025.md): not identified.
CAR_SUPPLIERS_WITHOUT_EVIDENCE = ("eu", "mexico", "canada", "ftrow")


def calibration_table(inputs: Inputs) -> pd.DataFrame:
    """Every calibrated source: its evidence, the fit, its error and whether it is identified;
    and the main car suppliers without citable evidence, at their prior."""
    rows = []
    for fit in calibrated_supply_elasticities(inputs):
        cal = fit.calibration
        rows.append(
            {
                "partner": cal.partner,
                "sector": cal.sector,
                "observed_exporter_price_change": cal.observed_exporter_price_change,
                "observed_volume_change": cal.observed_volume_change,
                "supply_elasticity": fit.supply_elasticity,
                "model_exporter_price_change": fit.reachable_exporter_price_change,
                "model_volume_change": fit.reachable_volume_change,
                "fit": "identified" if fit.identified else "not identified: prior used",
                "rmse_log": fit.rmse_log,
            }
        )
    prior = inputs.parameters["foreign_supply_elasticity"].default
    for partner in CAR_SUPPLIERS_WITHOUT_EVIDENCE:
        rows.append(
            {
                "partner": partner,
                "sector": PASSENGER_CARS_SECTOR,
                "supply_elasticity": prior,
                "fit": "not identified: no citable 2025 car price evidence; the economy-wide "
                "default (set to the 6% foreign share of the 2025 tariffs) is used",
            }
        )
    return pd.DataFrame(rows)


def calibration_market(inputs: Inputs, cal: Calibration) -> Market:
    """The one-sector market a calibration entry describes (its source is ``cal.partner``)."""
    data, measures = inputs.data, inputs.measures
    base = schedule_for_scenario(inputs.scenario(cal.base_scenario), data, measures, inputs.lines)
    new = schedule_for_scenario(inputs.scenario(cal.scenario), data, measures, inputs.lines)
    return build_market(data, base, new).one_sector(cal.sector)


def fit_supply_elasticity(inputs: Inputs, cal: Calibration) -> SupplyFit:
    """The supply elasticity of ``cal.partner`` in ``cal.sector`` that best fits the evidence."""
    defaults = prior_elasticities(inputs.data, inputs.parameters)
    one_sector = calibration_market(inputs, cal)
    i, j = inputs.data.sector_index(cal.sector), one_sector.source_index(cal.partner)
    sigma = float(defaults.substitution_elasticity[i])
    eta = float(defaults.demand_elasticity[i])
    supply = defaults.supply_elasticity[i].copy()
    elasticity, rmse, at_bound = fit_to_price_and_volume(
        observed_price_change=cal.observed_exporter_price_change,
        observed_volume_change=cal.observed_volume_change,
        sigma=sigma,
        eta=eta,
        supply_elasticity=supply,
        source=cal.partner,
        market=one_sector,
    )
    supply[j] = float(elasticity)
    solution = solve_market(
        **one_sector.solver_arguments(), sigma=sigma, eta=eta, supply_elasticity=supply
    )
    fit = SupplyFit(
        calibration=cal,
        partner=cal.partner,
        sector=cal.sector,
        supply_elasticity=float(elasticity),
        identified=not bool(at_bound),
        reachable_exporter_price_change=float(solution.exporter_price_change[j]),
        reachable_volume_change=float(solution.quantity_change[j]),
        rmse_log=float(rmse),
        note="",
    )
    partner = inputs.data.partner_name(cal.partner)
    sector = inputs.data.sector_descriptions.get(cal.sector, cal.sector).lower()
    return replace(fit, note=_note(fit, sigma, f"{partner}, {sector}"))


def _note(fit: SupplyFit, sigma: float, where: str) -> str:
    cal = fit.calibration
    evidence = f"exporter price {cal.observed_exporter_price_change:+.1%}"
    if cal.observed_volume_change is not None:
        evidence += f", volume {cal.observed_volume_change:+.1%}"
    model = (
        f"exporter price {fit.reachable_exporter_price_change:+.1%}, "
        f"volume {fit.reachable_volume_change:+.1%}"
    )
    if not fit.identified:
        return (
            f"{where}: not identified. The evidence ({evidence}) is best matched at the bound "
            f"{elasticity_text(fit.supply_elasticity)} ({model}, elasticity of substitution "
            f"{elasticity_text(sigma)}); the prior is used instead."
        )
    return (
        f"{where}: short-run supply elasticity {elasticity_text(fit.supply_elasticity)}, fitted "
        "to the "
        f"2025 evidence ({evidence}); the model gives {model} "
        f"(root mean squared log error {fit.rmse_log:.3f})"
    )
