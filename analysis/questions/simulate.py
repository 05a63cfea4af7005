"""Scenario simulation: the shipped data and a tariff schedule through the Armington model.

The US market for each of the 45 GTAP goods sectors is supplied by the eight partner regions
and by US producers (source ``us``). Base values are 2024 imports (customs value) and US
producers' home sales (:func:`analysis.inputs.datasets._domestic_sales`); base and new tariffs come
from the stacking engine for the baseline and the scenario. Everything is solved at once by
:func:`analysis.model.armington.solve_market`; this module only assembles inputs and tidies outputs.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs import shared
from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import TradeData
from analysis.inputs.errors import InputError
from analysis.inputs.focus import DEFAULT_FOCUS, Focus, checked_focus
from analysis.inputs.lines import LazyLines
from analysis.inputs.measures import Measure
from analysis.inputs.parameters import Calibration, ModelParameters
from analysis.inputs.scenarios import LONG_RUN, SHORT_RUN, Scenario
from analysis.model.armington import MarketSolution
from analysis.policy.regimes import resolve, schedule_for_scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.consumer_prices import ConsumerPriceChange, consumer_prices
from analysis.questions.evidence import (
    HORIZON_LABELS,
    calibration_market,
    default_elasticities,
)
from analysis.questions.headline import OutcomeContext, border_price_change
from analysis.questions.outcomes import HEADLINE_OUTCOMES, MARKET_OUTCOMES, OUTCOMES
from analysis.questions.partition import split_data, split_elasticities, split_for
from analysis.questions.revenue import LawRevenue, scenario_revenue
from analysis.questions.us_market import (
    DOMESTIC,
    Elasticities,
    Market,
    build_market,
    solve,
    sources,
)

#: The headline outcomes about the focus sector (its units, prices and quota rent): their
#: labels say which supply response they use.
SECTOR_OUTCOMES = frozenset(
    {
        "focus_sector_units_change",
        "focus_exporter_price_change",
        "focus_us_price_change",
        "quota_rent_usd",
    }
)

#: A calibration entry with its one-sector market (the calibrated source is its partner).
Calibrated = tuple[Calibration, Market]


def headline_arrays(
    solution: MarketSolution,
    market: Market,
    data: TradeData,
    params: ModelParameters,
    focus: Focus = DEFAULT_FOCUS,
    consumer: ConsumerPriceChange | None = None,
) -> dict[str, np.ndarray]:
    """Headline outcomes by the registry's formulas; works with leading (draw) axes.

    The consumer price outcomes are computed only when ``consumer`` (one solved scenario's
    consumer prices) is given; the others come from the solved market alone."""
    context = OutcomeContext(solution, market, data, params, focus, consumer)
    names = HEADLINE_OUTCOMES if consumer is not None else MARKET_OUTCOMES
    out = {}
    for name in names:
        formula = OUTCOMES[name].formula
        assert formula is not None  # every headline outcome has one (a test keeps it so)
        out[name] = np.asarray(formula(context))
    return out


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
    focus: Focus = DEFAULT_FOCUS
    # The consumer price level through the input-output tables (None: not computed).
    consumer: ConsumerPriceChange | None = field(repr=False, default=None)
    # The supply response solved with: "long_run" (the literature's) or "short_run" (2025 fit).
    horizon: str = LONG_RUN
    # The line data the schedules were stacked from (None: the sector x region cells).
    lines: LazyLines | None = field(repr=False, default=None)
    # A year of duties at the scenario's law, collected and statutory (None: not computed).
    revenue: LawRevenue | None = field(repr=False, default=None)

    def headline(self) -> dict[str, float]:
        out = headline_arrays(
            self.solution, self.market, self.data, self.params, self.focus, self.consumer
        )
        return {k: float(v) for k, v in out.items()}

    def focus_names(self) -> tuple[str, str]:
        """The focus partner's and sector's names for readers: ("Japan", "Motor vehicles ...")."""
        return (
            self.data.partner_name(self.focus.partner),
            self.data.sector_descriptions.get(self.focus.sector, self.focus.sector).lower(),
        )

    @property
    def supply_response(self) -> str:
        """Which supply response the car figures use, for readers: "long run (literature)"."""
        return HORIZON_LABELS[self.horizon]

    def labels(self) -> dict[str, dict[str, str]]:
        """The unit and reader's label (focus named) of every headline outcome; the focus
        sector's figures say which supply response they use."""
        partner, sector = self.focus_names()
        out = {}
        for name in self.headline():
            label = OUTCOMES[name].text_with_unit(partner, sector)
            if name in SECTOR_OUTCOMES:
                label = f"{label}, {self.supply_response}"
            out[name] = {"unit": OUTCOMES[name].unit, "label": label}
        return out

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
        """The JSON of ``tariff-reports simulate --json``: every headline outcome of the
        registry (NaN, where a figure is not available for the focus, as null)."""
        partners = self.partners()
        head = self.headline()
        return (
            {
                "scenario": self.scenario.name,
                "title": self.scenario.title,
                "baseline": self.baseline.name,
                "focus": {"partner": self.focus.partner, "sector": self.focus.sector},
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
                "totals": {k: (None if math.isnan(v) else v) for k, v in head.items()},
                # The unit and reader's label of every total, from the outcomes registry.
                "units": self.labels(),
                "horizon": self.horizon,
                "notes": list(self.elasticities.notes),
                # Rates the user set with a reason and no citation (a user's file or ``--set``).
                "user_assumptions": [
                    *self.baseline.user_assumptions,
                    *self.scenario.user_assumptions,
                ],
            }
            | ({} if self.revenue is None else {"revenue": self.revenue.payload()})
            | self._quotas()
        )

    def _quotas(self) -> dict[str, Any]:
        """A quota scenario's caps with their ``ver_tariff_equivalent``: the tariff on the
        supply price that gives the buyers' price the quota gives, (1 + t) w = (1 + t0) p."""
        if not self.scenario.quotas:
            return {}
        out = []
        for q in self.scenario.quotas:
            i, j = self.market.sector_index(q.sector), self.market.source_index(q.partner)
            out.append(
                {
                    "partner": q.partner,
                    "sector": q.sector,
                    "cap_share_of_2024": q.cap_share_of_2024,
                    "cap_units": q.cap_units,
                    "binds": bool(self.solution.cap_binds[i, j]),
                    "ver_tariff_equivalent": float(self.solution.tariff_equivalent_rate[i, j]),
                    "quota_rent_usd": float(self.solution.quota_rent_usd[i, j]),
                    "supply_response": self.supply_response,
                }
            )
        return {"quotas": out}


def simulate(
    inputs: Inputs,
    scenario: str | Scenario,
    baseline: str | Scenario = "mfn_only",
    *,
    elasticities: Elasticities | None = None,
    focus: Focus | None = None,
    horizon: str | None = None,
) -> SimulationResult:
    """Solve ``scenario`` against ``baseline`` (scenario names or loaded scenarios), with the
    headline outcomes about ``focus`` (default: the scenario's focus, else Japan's cars).

    ``horizon`` is the supply response to solve with (``long_run`` or ``short_run``); None
    keeps the scenario's own (its ``horizon:``). A comparison of several scenarios passes one,
    so that every row rests on the same elasticities and differs only in its tariffs."""
    scen = scenario if isinstance(scenario, Scenario) else inputs.scenario(scenario)
    if horizon is not None:
        if horizon not in HORIZON_LABELS:
            raise ValueError(f"horizon {horizon!r}: expected one of {sorted(HORIZON_LABELS)}")
        scen = replace(scen, horizon=horizon)
    base = baseline if isinstance(baseline, Scenario) else inputs.scenario(baseline)
    if base.quotas:
        raise InputError(
            base.path,
            "quotas",
            "no quota in a baseline (quotas are solved as the change)",
            "a quota",
        )
    chosen = focus or scen.focus or DEFAULT_FOCUS
    split = split_for(chosen.partner, inputs.data, inputs.countries)
    if split:
        chosen = Focus(split[0], chosen.sector)
    if elasticities is None:
        solved = _shared_solved(inputs, scen, base, split)
    else:
        solved = _solved(inputs, scen, base, split, elasticities)
    data = split_data(inputs.data, solved.schedule, inputs.countries)
    checked_focus(data.partners, data.sectors, chosen.partner, chosen.sector)
    return SimulationResult(
        scenario=scen,
        baseline=base,
        data=data,
        params=inputs.parameters,
        market=solved.market,
        elasticities=solved.elasticities,
        solution=solved.solution,
        base_schedule=solved.base_schedule,
        schedule=solved.schedule,
        measures=inputs.measures,
        calibrations=solved.calibrations,
        focus=chosen,
        horizon=scen.horizon,
        lines=inputs.lines,
        revenue=solved.revenue,
        consumer=solved.consumer,
    )


@dataclass(frozen=True)
class _Solved:
    """What :func:`simulate` computes for a scenario, a baseline and a country split."""

    base_schedule: TariffSchedule
    schedule: TariffSchedule
    market: Market
    elasticities: Elasticities
    calibrations: tuple[Calibrated, ...]
    solution: MarketSolution
    revenue: LawRevenue
    consumer: ConsumerPriceChange


def _solved(
    inputs: Inputs,
    scen: Scenario,
    base: Scenario,
    split: tuple[str, ...],
    elasticities: Elasticities | None,
) -> _Solved:
    """The schedules of ``base`` and ``scen`` (``split`` countries out of their regions), the
    market they make, its solution, the law's revenue and the consumer prices."""
    whole, measures = inputs.data, inputs.measures
    base_schedule = schedule_for_scenario(base, whole, measures, inputs.lines, split)
    schedule = schedule_for_scenario(scen, whole, measures, inputs.lines, split)
    data = split_data(whole, schedule, inputs.countries)
    quotas = {(q.partner, q.sector): q.cap_share_of_2024 for q in scen.quotas}
    market = build_market(data, base_schedule, schedule, quotas)
    calibrations: tuple[Calibrated, ...] = ()
    if elasticities is None:
        elasticities = default_elasticities(inputs, horizon=scen.horizon)
        if scen.horizon == SHORT_RUN:  # the fits to 2025, refitted in every Monte Carlo draw
            calibrations = tuple(
                (cal, calibration_market(inputs, cal)) for cal in inputs.parameters.calibrations
            )
    elasticities = split_elasticities(elasticities, whole, data, inputs.countries)
    solution = solve(market, elasticities)
    revenue = scenario_revenue(inputs, scen, schedule, data, elasticities, (base, solution))
    consumer = consumer_prices(
        market, solution, inputs.parameters.us_households, inputs.io_tables, inputs.io_assumptions
    )
    return _Solved(
        base_schedule, schedule, market, elasticities, calibrations, solution, revenue, consumer
    )


def _shared_solved(
    inputs: Inputs, scen: Scenario, base: Scenario, split: tuple[str, ...]
) -> _Solved:
    """:func:`_solved` with the default elasticities; for the build's own inputs
    (:mod:`analysis.inputs.shared`) computed once per build and read back by the other
    reports that solve the same scenario against the same baseline with the same split (the
    partner reports of the regions, the validation's and the Japan report's law of today).

    The key is the load's scope (the code, the params folder but its scenarios, the data:
    the elasticities, calibrations, input-output tables and country table are read from
    those) with the SHA-256 of both scenarios as solved (every field, its horizon included)
    and of every scenario as loaded (the 2024 law's revenue and the calibrations' markets are
    solved from theirs), ``repr`` of frozen dataclasses of strings, numbers, dates, paths and
    tuples (no sets, no ids), and the split in its order. The schedules are stored without
    their active measures and the calibrations without their entries, which are this
    process's own objects and are put back."""
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    if scope is None:
        return _solved(inputs, scen, base, split, None)
    every = sorted(inputs.scenarios.items())  # the 2024 law's, the calibrations' scenarios
    laws = hashlib.sha256(repr((scen, base, every)).encode("utf-8")).hexdigest()

    def stored() -> tuple[_Solved, tuple[Market, ...]]:
        solved = _solved(inputs, scen, base, split, None)
        return replace(
            solved,
            base_schedule=replace(solved.base_schedule, active=()),
            schedule=replace(solved.schedule, active=()),
            calibrations=(),
        ), tuple(market for _, market in solved.calibrations)

    solved, markets = shared.remember(f"{scope}|simulate|{laws}|{','.join(split)}", stored)
    cals = inputs.parameters.calibrations if markets else ()
    return replace(
        solved,
        base_schedule=replace(solved.base_schedule, active=tuple(resolve(base, inputs.measures))),
        schedule=replace(solved.schedule, active=tuple(resolve(scen, inputs.measures))),
        calibrations=tuple(zip(cals, markets, strict=True)),
    )


__all__ = [
    "DOMESTIC",
    "Elasticities",
    "Market",
    "SimulationResult",
    "border_price_change",
    "simulate",
    "sources",
]
