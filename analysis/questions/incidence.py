"""Who pays: economy-wide facts of 2025 that set the elasticities no product evidence fixes.

Two statistics of a solved scenario (against its base scenario) are compared with cited
evidence (``economy_wide_evidence`` in ``params/elasticities.yaml``):

* **foreign incidence**, the exporters' share of the tariff, over the foreign cells whose
  tariff rose (cells calibrated to their own evidence, Japan's cars, are left out):

      f = - sum_i V_i ln(w_i') / sum_i V_i ln(tau_i')

  with ``w'`` the exporter price relative and ``tau' = (1 + t1) / (1 + t0)``. f = 0 when
  foreign supply is infinitely elastic (buyers pay all), and rises as it becomes less elastic.
  It sets the foreign supply elasticity: the default is the value at which f equals the
  observed figure, the prior spans the cited range.
* **domestic-to-import price ratio**, the price rise of US-made goods over the duty-inclusive
  price rise of imports, each weighted by base sales:

      r = (sum_d V_d (p_d' - 1) / sum_d V_d) / (sum_i V_i (p_i' - 1) / sum_i V_i)

  r rises as US supply becomes less elastic; it tests the US supply elasticity.

:func:`solve_for` finds the elasticity reproducing a value, or reports that no value in the
search bracket does (then the evidence does not identify the elasticity, and the prior holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from analysis.inputs.bundle import Inputs
from analysis.inputs.parameters import EconomyWideEvidence
from analysis.questions.evidence import calibrated_supply_elasticities, default_elasticities
from analysis.questions.simulate import SimulationResult, simulate
from analysis.questions.us_market import Elasticities

#: Elasticities are searched between these bounds (0.01: nearly vertical supply).
BRACKET = (0.01, 1000.0)


def _fitted_cells(inputs: Inputs) -> list[tuple[int, int]]:
    data = inputs.data
    return [
        (data.sector_index(f.sector), data.partner_index(f.partner))
        for f in calibrated_supply_elasticities(inputs)
        if f.identified
    ]


def foreign_incidence(result: SimulationResult, skip: list[tuple[int, int]]) -> float:
    """The foreign exporters' share of the tariff rise (module docstring), ``skip`` left out."""
    market, solution = result.market, result.solution
    base = market.base_value_usd[..., :-1]
    dlt = np.log((1 + market.new_tariff_rate) / (1 + market.base_tariff_rate))[..., :-1]
    dlw = np.log1p(solution.exporter_price_change)[..., :-1]
    rose = dlt > 1e-12
    for i, j in skip:
        rose[i, j] = False
    return float(-(base * dlw)[rose].sum() / (base * dlt)[rose].sum())


def domestic_import_price_ratio(result: SimulationResult, skip: list[tuple[int, int]]) -> float:
    """US-made goods' price rise over imports' duty-inclusive price rise (module docstring)."""
    del skip  # every cell counts: the ratio compares what buyers pay
    value, change = result.market.base_value_usd, result.solution.buyer_price_change
    domestic = (value[:, -1] * change[:, -1]).sum() / value[:, -1].sum()
    imports = (value[:, :-1] * change[:, :-1]).sum() / value[:, :-1].sum()
    return float(domestic / imports)


STATISTICS: dict[str, Callable[[SimulationResult, list[tuple[int, int]]], float]] = {
    "foreign_incidence": foreign_incidence,
    "domestic_import_price_ratio": domestic_import_price_ratio,
}


def with_elasticity(inputs: Inputs, parameter: str, value: float) -> Elasticities:
    """The default elasticities with ``parameter`` set to ``value`` everywhere it applies
    (foreign: every foreign cell but the calibrated ones; domestic: the US column)."""
    base = default_elasticities(inputs)
    supply = base.supply_elasticity.copy()
    if parameter == "domestic_supply_elasticity":
        supply[:, -1] = value
    else:
        keep = {cell: supply[cell] for cell in _fitted_cells(inputs)}
        supply[:, :-1] = value
        for cell, fitted in keep.items():
            supply[cell] = fitted
    return replace(base, supply_elasticity=supply)


def statistic_at(inputs: Inputs, evidence: EconomyWideEvidence, value: float) -> float:
    """The model's statistic for ``evidence`` with its parameter at ``value``."""
    result = simulate(
        inputs,
        evidence.scenario,
        evidence.base_scenario,
        elasticities=with_elasticity(inputs, evidence.parameter, value),
    )
    return STATISTICS[evidence.statistic](result, _fitted_cells(inputs))


def solve_for(inputs: Inputs, evidence: EconomyWideEvidence, target: float) -> float | None:
    """The parameter value at which the statistic equals ``target``; None if none in BRACKET."""
    low, high = (statistic_at(inputs, evidence, x) - target for x in BRACKET)
    if low * high > 0:
        return None
    return float(brentq(lambda x: statistic_at(inputs, evidence, x) - target, *BRACKET, xtol=1e-3))


def evidence_table(inputs: Inputs) -> pd.DataFrame:
    """Each economy-wide fact: observed value and range, the model's value at the default, the
    parameter values that would reproduce the figure and its range, and whether it is identified."""
    rows = []
    for ev in inputs.parameters.evidence:
        default = inputs.parameters[ev.parameter].default
        at = {
            name: solve_for(inputs, ev, x)
            for name, x in (("observed", ev.observed), ("low", ev.low), ("high", ev.high))
        }
        reach = [statistic_at(inputs, ev, x) for x in BRACKET]
        rows.append(
            {
                "evidence": ev.name,
                "parameter": ev.parameter,
                "observed": ev.observed,
                "observed_low": ev.low,
                "observed_high": ev.high,
                "model_at_default": statistic_at(inputs, ev, default),
                "default": default,
                "value_for_observed": at["observed"],
                "value_for_low": at["low"],
                "value_for_high": at["high"],
                "model_range_low": min(reach),
                "model_range_high": max(reach),
                "fit": "identified"
                if at["observed"] is not None
                else "not identified: the model cannot reach the observed value; prior used",
            }
        )
    return pd.DataFrame(rows)
