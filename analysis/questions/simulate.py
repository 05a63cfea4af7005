"""Scenario simulation: the shipped data and a tariff schedule through the Armington model.

The US market for each of the 45 GTAP goods sectors is supplied by the eight partner regions
and by US producers (source ``us``). Base values are 2024 imports (customs value) and US
producers' home sales (:func:`analysis.inputs.datasets._domestic_sales`); base and new tariffs come
from the stacking engine for the baseline and the scenario. Everything is solved at once by
:func:`analysis.model.armington.solve_market`; this module only assembles inputs and tidies outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import TradeData
from analysis.inputs.errors import InputError
from analysis.inputs.measures import Measure
from analysis.inputs.parameters import Calibration, ModelParameters
from analysis.inputs.scenarios import Scenario
from analysis.model.armington import MarketSolution
from analysis.model.welfare import us_welfare
from analysis.policy.regimes import schedule_for_scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.evidence import calibration_market, default_elasticities
from analysis.questions.outcomes import OUTCOMES
from analysis.questions.us_market import (
    DOMESTIC,
    Elasticities,
    Market,
    build_market,
    solve,
    sources,
)

#: A calibration entry with its one-sector market and the calibrated source's index.
Calibrated = tuple[Calibration, dict[str, Any], int]


def headline_arrays(
    solution: MarketSolution, market: Market, data: TradeData, params: ModelParameters
) -> dict[str, np.ndarray]:
    """Headline outcomes, summed over sectors; works with leading (draw) axes."""
    welfare = us_welfare(solution)
    lead = np.ndim(solution.price_index_change) - 1  # Monte Carlo draw axes, if any
    japan = data.partner_index("japan")
    mvh = data.sector_index("mvh")
    base = market.base_value_usd
    new_value = solution.new_value_usd
    # Exports at customs value: the supply price plus any quota rent (what trade data record
    # and what the exporters receive).
    rent = solution.quota_rent_usd
    japan_value_change = (new_value[..., japan] + rent[..., japan] - base[..., japan]).sum(axis=-1)
    japan_revenue_change = japan_value_change
    japan_volume = (base[..., japan] * (1 + solution.quantity_change[..., japan])).sum(axis=-1)
    buyer_cost = _sum_markets(solution.us_buyer_cost_same_basket_usd, lead)
    return {
        "tariff_revenue_usd": _sum_markets(solution.new_tariff_revenue_usd, lead),
        "tariff_revenue_change_usd": _sum_markets(
            solution.new_tariff_revenue_usd - solution.base_tariff_revenue_usd, lead
        ),
        "us_buyer_cost_usd": buyer_cost,
        "cost_per_household_usd": buyer_cost / params.us_households,
        "buyer_surplus_change_usd": _sum_markets(welfare.buyer_surplus_change_usd, lead),
        "domestic_producer_surplus_change_usd": _sum_markets(
            welfare.domestic_producer_surplus_change_usd, lead
        ),
        "terms_of_trade_gain_usd": _sum_markets(welfare.terms_of_trade_gain_usd, lead),
        "quota_rent_usd": _sum_markets(solution.quota_rent_usd, lead),
        "deadweight_loss_usd": _sum_markets(welfare.deadweight_loss_usd, lead),
        "net_us_welfare_usd": _sum_markets(welfare.net_welfare_usd, lead),
        "imports_value_change_usd": _sum_markets(
            new_value[..., :-1] + rent[..., :-1] - base[..., :-1], lead
        ),
        "japan_exports_value_change_usd": japan_value_change,
        "japan_exports_value_change": japan_value_change / base[..., japan].sum(),
        "japan_exports_volume_change": japan_volume / base[..., japan].sum() - 1,
        "japan_exporter_revenue_change_usd": japan_revenue_change,
        "japan_gdp_change": japan_revenue_change
        * params.japan_domestic_value_added_share
        / params.japan_gdp_usd,
        # Whole cars; + 0.0 turns -0.0 (no change: a vertical supply curve) into 0.0.
        "car_units_change": np.round(
            data.japan_car_units_2024() * solution.quantity_change[..., mvh, japan]
        )
        + 0.0,
        "japan_mvh_exporter_price_change": border_price_change(solution, market)[..., mvh, japan],
        "us_price_change_japan_mvh": solution.buyer_price_change[..., mvh, japan],
        **buyer_cost_parts(solution, market, params.us_households, lead),
    }


def border_price_change(solution: MarketSolution, market: Market) -> np.ndarray:
    """The price exporters get at the US border (customs value per unit), quota rent included:
    ``p' (1 + t0) / (1 + t1) - 1``. Without a binding quota it is the supply price change;
    under a quota (a VER) the exporters keep the rent, so it is above their supply price."""
    tau = (1 + market.new_tariff_rate) / (1 + market.base_tariff_rate)
    return np.asarray((1 + solution.buyer_price_change) / tau - 1)


def buyer_cost_parts(
    solution: MarketSolution, market: Market, households: float, lead: int
) -> dict[str, np.ndarray]:
    r"""US buyers' extra cost of the base basket, split three ways, and per household.

    With :math:`c_i = (1+t_{0i})\hat p_i/(1+t_{1i})` the new customs price of source i (its
    supply price plus any quota rent), the extra cost of the base basket,
    :math:`\sum_i (1+t_{0i}) V_i (\hat p_i - 1)`, is the sum of

    * duties: :math:`\sum_{i\,\mathrm{foreign}} V_i (t_{1i} - t_{0i})\, c_i`,
    * higher prices of imports net of duty: :math:`\sum_{i\,\mathrm{foreign}} (1+t_{0i})
      V_i (c_i - 1)` (negative where exporters cut their prices), and
    * higher prices of US-made goods: :math:`V_d (\hat p_d - 1)`.

    Per household, "before substitution" prices the base basket (as the published static
    estimates do); "after substitution" is the fall in buyers' surplus, which lets them
    substitute along the demand curves.
    """
    t0, t1 = market.base_tariff_rate, market.new_tariff_rate
    value = market.base_value_usd
    customs = (1 + t0) * (1 + solution.buyer_price_change) / (1 + t1)
    foreign = np.ones(value.shape[-1], dtype=bool)
    foreign[-1] = False  # the last source is US producers
    duties = np.where(foreign, value * (t1 - t0) * customs, 0.0)
    import_prices = np.where(foreign, (1 + t0) * value * (customs - 1), 0.0)
    domestic = np.where(foreign, 0.0, value * solution.buyer_price_change)
    before = _sum_markets(solution.us_buyer_cost_same_basket_usd, lead)
    after = -_sum_markets(us_welfare(solution).buyer_surplus_change_usd, lead)
    return {
        "us_buyer_duty_paid_usd": _sum_markets(duties, lead),
        "us_buyer_import_price_net_of_duty_usd": _sum_markets(import_prices, lead),
        "us_buyer_domestic_price_usd": _sum_markets(domestic, lead),
        "cost_per_household_before_substitution_usd": before / households,
        "cost_per_household_after_substitution_usd": after / households,
    }


def _sum_markets(values: np.ndarray, lead: int) -> np.ndarray:
    """Sum over everything after the ``lead`` leading (draw) axes."""
    values = np.asarray(values)
    return np.asarray(values.sum(axis=tuple(range(lead, values.ndim))))


@dataclass(frozen=True)
class SimulationResult:
    """A scenario solved against a baseline, with tidy views of its outcomes."""

    scenario: Scenario
    baseline: Scenario
    data: TradeData = field(repr=False)
    params: ModelParameters = field(repr=False)
    market: Market = field(repr=False)
    elasticities: Elasticities = field(repr=False)
    solution: MarketSolution = field(repr=False)
    base_schedule: TariffSchedule = field(repr=False)
    schedule: TariffSchedule = field(repr=False)
    measures: Mapping[str, Measure] = field(repr=False, default_factory=dict)
    # The calibration evidence (one-sector market, source index) when the elasticities were
    # fitted to it: the Monte Carlo refits them in every draw.
    calibrations: tuple[Calibrated, ...] = field(repr=False, default=())

    def headline(self) -> dict[str, float]:
        out = headline_arrays(self.solution, self.market, self.data, self.params)
        return {k: float(v) for k, v in out.items()}

    def by_sector_source(self) -> pd.DataFrame:
        """Sector x source table (units in the column names; changes are fractions)."""
        s = self.solution
        m = self.market
        n_sectors, n_sources = m.base_value_usd.shape
        frame = pd.DataFrame(
            {
                "sector": np.repeat(m.sectors, n_sources),
                "source": np.tile(m.sources, n_sectors),
                "base_value_usd": m.base_value_usd.ravel(),
                "new_value_usd": s.new_value_usd.ravel(),
                "base_tariff_rate": m.base_tariff_rate.ravel(),
                "new_tariff_rate": m.new_tariff_rate.ravel(),
                "exporter_price_change": s.exporter_price_change.ravel(),
                "buyer_price_change": s.buyer_price_change.ravel(),
                "pass_through": s.pass_through.ravel(),
                "quantity_change": s.quantity_change.ravel(),
                "value_change": s.value_change.ravel(),
                "base_tariff_revenue_usd": s.base_tariff_revenue_usd.ravel(),
                "new_tariff_revenue_usd": s.new_tariff_revenue_usd.ravel(),
                "quota_rent_usd": s.quota_rent_usd.ravel(),
                "trade_diversion_usd": np.broadcast_to(
                    s.trade_diversion_usd, m.base_value_usd.shape
                ).ravel(),
            }
        )
        frame["value_change_usd"] = frame["new_value_usd"] - frame["base_value_usd"]
        frame["description"] = frame["sector"].map(self.data.sector_descriptions)
        return frame

    def partners(self) -> pd.DataFrame:
        """Per source: export value and volume changes, tariff revenue (the CLI's `partners`)."""
        table = self.by_sector_source()
        table["base_volume"] = table["base_value_usd"]
        table["new_volume"] = table["base_value_usd"] * (1 + table["quantity_change"])
        grouped = table.groupby("source", sort=False)[
            [
                "base_value_usd",
                "new_value_usd",
                "value_change_usd",
                "base_volume",
                "new_volume",
                "base_tariff_revenue_usd",
                "new_tariff_revenue_usd",
                "quota_rent_usd",
            ]
        ].sum()
        out = pd.DataFrame(
            {
                # customs value: the supply price plus any quota rent
                "exports_value_change_usd": grouped["value_change_usd"] + grouped["quota_rent_usd"],
                "exports_value_change": (grouped["value_change_usd"] + grouped["quota_rent_usd"])
                / grouped["base_value_usd"],
                "exports_volume_change": grouped["new_volume"] / grouped["base_volume"] - 1,
                "tariff_revenue_usd": grouped["new_tariff_revenue_usd"],
                "tariff_revenue_change_usd": grouped["new_tariff_revenue_usd"]
                - grouped["base_tariff_revenue_usd"],
                "quota_rent_usd": grouped["quota_rent_usd"],
                "base_value_usd": grouped["base_value_usd"],
            }
        )
        out.index.name = "source"
        return out

    def payload(self) -> dict[str, Any]:
        """The JSON of ``tariff-reports simulate --json``."""
        partners = self.partners()
        head = self.headline()
        totals_keys = (
            "tariff_revenue_usd",
            "tariff_revenue_change_usd",
            "us_buyer_cost_usd",
            "cost_per_household_usd",
            "deadweight_loss_usd",
            "net_us_welfare_usd",
            "terms_of_trade_gain_usd",
            "buyer_surplus_change_usd",
            "domestic_producer_surplus_change_usd",
            "quota_rent_usd",
            "japan_exports_value_change_usd",
            "japan_exports_value_change",
            "japan_exports_volume_change",
            "japan_gdp_change",
            "car_units_change",
            "japan_mvh_exporter_price_change",
            "us_price_change_japan_mvh",
            "us_buyer_duty_paid_usd",
            "us_buyer_import_price_net_of_duty_usd",
            "us_buyer_domestic_price_usd",
            "cost_per_household_before_substitution_usd",
            "cost_per_household_after_substitution_usd",
        )
        return {
            "scenario": self.scenario.name,
            "title": self.scenario.title,
            "baseline": self.baseline.name,
            "partners": {
                p: {
                    k: float(partners.loc[p, k])
                    for k in (
                        "exports_value_change_usd",
                        "exports_value_change",
                        "exports_volume_change",
                        "tariff_revenue_usd",
                    )
                }
                for p in self.data.partners
            },
            "totals": {k: head[k] for k in totals_keys},
            # The unit and reader's label of every total, from the outcomes registry.
            "units": {k: _unit(k) for k in totals_keys},
            "notes": list(self.elasticities.notes),
        }


def _unit(name: str) -> dict[str, str]:
    record = OUTCOMES.get(name)
    if record is None:
        return {"unit": "", "label": name}
    return {"unit": record.unit, "label": record.label_with_unit}


def simulate(
    inputs: Inputs,
    scenario: str | Scenario,
    baseline: str | Scenario = "mfn_only",
    *,
    elasticities: Elasticities | None = None,
) -> SimulationResult:
    """Solve ``scenario`` against ``baseline`` (scenario names or loaded scenarios)."""
    scen = scenario if isinstance(scenario, Scenario) else inputs.scenario(scenario)
    base = baseline if isinstance(baseline, Scenario) else inputs.scenario(baseline)
    if base.quotas:
        raise InputError(
            base.path,
            "quotas",
            "no quota in a baseline (quotas are solved as the change)",
            "a quota",
        )
    data, measures = inputs.data, inputs.measures
    base_schedule = schedule_for_scenario(base, data, measures)
    schedule = schedule_for_scenario(scen, data, measures)
    quotas = {(q.partner, q.sector): q.cap_share_of_2024 for q in scen.quotas}
    market = build_market(data, base_schedule, schedule, quotas)
    calibrations: tuple[Calibrated, ...] = ()
    if elasticities is None:
        elasticities = default_elasticities(inputs)
        calibrations = tuple(
            (cal, *calibration_market(inputs, cal)) for cal in inputs.parameters.calibrations
        )
    return SimulationResult(
        scenario=scen,
        baseline=base,
        data=data,
        params=inputs.parameters,
        market=market,
        elasticities=elasticities,
        solution=solve(market, elasticities),
        base_schedule=base_schedule,
        schedule=schedule,
        measures=measures,
        calibrations=calibrations,
    )


__all__ = ["DOMESTIC", "Elasticities", "Market", "SimulationResult", "simulate", "sources"]
