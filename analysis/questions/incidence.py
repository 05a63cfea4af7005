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

For each piece of evidence the scenario's market and the default elasticities are built once;
every value tried re-solves that market only. A root search finds the elasticity reproducing
a value, or reports that no value in the bracket does (then the evidence does not identify
the elasticity, and the prior holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.parameters import EconomyWideEvidence
from analysis.model.armington import MarketSolution
from analysis.questions.simulate import simulate
from analysis.questions.us_market import (
    Elasticities,
    Market,
    foreign_at_default,
    solve,
    with_supply_elasticity,
)

#: Elasticities are searched between these bounds (0.01: nearly vertical supply).
BRACKET = (0.01, 1000.0)

Statistic = Callable[[Market, MarketSolution, np.ndarray], float]


def foreign_incidence(market: Market, solution: MarketSolution, skip: np.ndarray) -> float:
    """The foreign exporters' share of the tariff rise (module docstring); ``skip`` is a mask
    of cells left out (those calibrated to their own evidence)."""
    foreign = market.is_foreign
    base = market.base_value_usd[..., foreign]
    dlt = np.log((1 + market.new_tariff_rate) / (1 + market.base_tariff_rate))[..., foreign]
    dlw = np.log1p(solution.exporter_price_change)[..., foreign]
    rose = (dlt > 1e-12) & ~skip[..., foreign]
    return float(-(base * dlw)[rose].sum() / (base * dlt)[rose].sum())


def domestic_import_price_ratio(
    market: Market, solution: MarketSolution, skip: np.ndarray
) -> float:
    """US-made goods' price rise over imports' duty-inclusive price rise (module docstring)."""
    del skip  # every cell counts: the ratio compares what buyers pay
    value, change = market.base_value_usd, solution.buyer_price_change
    us, foreign = market.is_domestic, market.is_foreign
    domestic = (value[:, us] * change[:, us]).sum() / value[:, us].sum()
    imports = (value[:, foreign] * change[:, foreign]).sum() / value[:, foreign].sum()
    return float(domestic / imports)


STATISTICS: dict[str, Statistic] = {
    "foreign_incidence": foreign_incidence,
    "domestic_import_price_ratio": domestic_import_price_ratio,
}


@dataclass(frozen=True)
class _Setting:
    """What every evaluation of one piece of evidence shares: its scenario's market, the
    default (calibrated) elasticities and the calibrated foreign cells, computed once."""

    evidence: EconomyWideEvidence
    market: Market
    base: Elasticities
    calibrated: np.ndarray  # mask of the foreign cells product evidence set
    foreign_default: float


def _setting(inputs: Inputs, evidence: EconomyWideEvidence) -> _Setting:
    result = simulate(inputs, evidence.scenario, evidence.base_scenario)
    default = inputs.parameters["foreign_supply_elasticity"].default
    supply = result.elasticities.supply_elasticity
    calibrated = ~foreign_at_default(supply, default, result.market.is_domestic)
    calibrated[..., result.market.is_domestic] = False
    return _Setting(evidence, result.market, result.elasticities, calibrated, default)


def _statistic(setting: _Setting, value: float) -> float:
    ev = setting.evidence
    elasticities = with_supply_elasticity(
        setting.base, ev.parameter, value, setting.foreign_default, setting.market.is_domestic
    )
    solution = solve(setting.market, elasticities)
    return STATISTICS[ev.statistic](setting.market, solution, setting.calibrated)


def statistic_at(inputs: Inputs, evidence: EconomyWideEvidence, value: float) -> float:
    """The model's statistic for ``evidence`` with its parameter at ``value``."""
    return _statistic(_setting(inputs, evidence), value)


def _solve_for(setting: _Setting, target: float) -> float | None:
    """The parameter value at which the statistic equals ``target``; None if none in BRACKET."""
    low, high = (_statistic(setting, x) - target for x in BRACKET)
    if low * high > 0:
        return None
    # Imported here: every report kernel imports this module (the build's fork server preloads
    # it), two of 22 reports solve for evidence; scipy.optimize costs ~0.23 s of CPU to import.
    from scipy.optimize import brentq

    return float(brentq(lambda x: _statistic(setting, x) - target, *BRACKET, xtol=1e-3))


def evidence_table(inputs: Inputs) -> pd.DataFrame:
    """Each economy-wide fact: observed value and range, the model's value at the default, the
    parameter values that would reproduce the figure and its range, and whether it is identified."""
    rows = []
    for ev in inputs.parameters.evidence:
        setting = _setting(inputs, ev)
        default = inputs.parameters[ev.parameter].default
        at = {
            name: _solve_for(setting, x)
            for name, x in (("observed", ev.observed), ("low", ev.low), ("high", ev.high))
        }
        reach = [_statistic(setting, x) for x in BRACKET]
        rows.append(
            {
                "evidence": ev.name,
                "parameter": ev.parameter,
                "observed": ev.observed,
                "observed_low": ev.low,
                "observed_high": ev.high,
                "model_at_default": _statistic(setting, default),
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
