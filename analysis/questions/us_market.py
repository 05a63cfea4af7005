"""The US market of every GTAP goods sector as model input: who sells, at what tariff.

The US market for each of the 45 GTAP goods sectors is supplied by the eight partner regions
and by US producers (source ``us``). Base values are 2024 imports (customs value) and US
producers' home sales (:func:`analysis.inputs.datasets._domestic_sales`); base and new
tariffs come from the stacking engine. :func:`solve` hands everything to
:func:`analysis.model.armington.solve_market` at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from analysis.inputs.datasets import TradeData
from analysis.inputs.parameters import ModelParameters
from analysis.model.armington import MarketSolution, solve_market
from analysis.model.market import Market as Market  # re-exported: the one market object
from analysis.policy.stacking import TariffSchedule

DOMESTIC = "us"


@dataclass(frozen=True)
class Elasticities:
    """Per-sector sigma and eta, per-sector x source supply elasticities (sources incl. ``us``).

    Leading axes (Monte Carlo draws) are allowed: sigma (..., S), supply (..., S, 9).
    """

    substitution_elasticity: np.ndarray
    demand_elasticity: np.ndarray
    supply_elasticity: np.ndarray
    notes: tuple[str, ...] = ()


def sources(data: TradeData) -> tuple[str, ...]:
    return (*data.partners, DOMESTIC)


def is_domestic(data: TradeData) -> np.ndarray:
    """``(n_sources,)``: True for US producers among :func:`sources`."""
    return np.array([s == DOMESTIC for s in sources(data)])


def build_market(
    data: TradeData,
    baseline: TariffSchedule,
    scenario: TariffSchedule,
    quotas: Mapping[tuple[str, str], float] | None = None,
) -> Market:
    """Stack imports and domestic sales into (sector, source) arrays; domestic tariff is 0."""
    zeros = np.zeros((len(data.sectors), 1))
    cap = np.full((len(data.sectors), len(data.partners) + 1), np.nan)
    for (partner, sector), share in (quotas or {}).items():
        cap[data.sector_index(sector), data.partner_index(partner)] = share
    return Market(
        sectors=data.sectors,
        sources=sources(data),
        base_value_usd=np.hstack([data.imports_usd, data.domestic_sales_usd[:, None]]),
        base_tariff_rate=np.hstack([baseline.tariff_rate, zeros]),
        new_tariff_rate=np.hstack([scenario.tariff_rate, zeros]),
        quantity_cap=cap,
        is_domestic=is_domestic(data),
    )


def prior_elasticities(data: TradeData, params: ModelParameters) -> Elasticities:
    """The defaults of ``params/elasticities.yaml`` for every sector and source (no fit)."""
    domestic = is_domestic(data)
    supply = np.where(
        domestic,
        params["domestic_supply_elasticity"].default,
        params["foreign_supply_elasticity"].default,
    )
    supply = np.broadcast_to(supply, (len(data.sectors), len(domestic))).copy()
    n_sectors = len(data.sectors)
    return Elasticities(
        substitution_elasticity=np.full(n_sectors, params["substitution_elasticity"].default),
        demand_elasticity=np.full(n_sectors, params["demand_elasticity"].default),
        supply_elasticity=supply,
    )


def foreign_at_default(
    supply_elasticity: np.ndarray, default: float, domestic: np.ndarray
) -> np.ndarray:
    """Mask of the foreign cells (every source but US producers, flagged by ``domestic``)
    still at the economy-wide ``default``: the cells no product evidence has set."""
    return np.asarray((supply_elasticity == default) & ~domestic)


def with_supply_elasticity(
    elasticities: Elasticities,
    parameter: str,
    value: float,
    foreign_default: float,
    domestic: np.ndarray,
) -> Elasticities:
    """``elasticities`` with one supply elasticity moved to ``value``: the US producers' column
    (``domestic_supply_elasticity``, flagged by ``domestic``) or every foreign cell at
    ``foreign_default`` (``foreign_supply_elasticity``; calibrated cells keep their fit)."""
    supply = elasticities.supply_elasticity.copy()
    if parameter == "domestic_supply_elasticity":
        supply[..., domestic] = value
    else:
        at_default = foreign_at_default(elasticities.supply_elasticity, foreign_default, domestic)
        supply[at_default] = value
    return replace(elasticities, supply_elasticity=supply)


def solve(market: Market, elasticities: Elasticities) -> MarketSolution:
    return solve_market(
        **market.solver_arguments(),
        sigma=elasticities.substitution_elasticity,
        eta=elasticities.demand_elasticity,
        supply_elasticity=elasticities.supply_elasticity,
    )
