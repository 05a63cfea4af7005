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


@dataclass(frozen=True)
class Market:
    """Model inputs for every sector x source, and the labels to read them.

    Sources are addressed by name (:meth:`source_index`); US producers by the ``is_domestic``
    flag (one per source), never by their position.
    """

    sectors: tuple[str, ...]
    sources: tuple[str, ...]
    base_value_usd: np.ndarray  # (S, 9)
    base_tariff_rate: np.ndarray
    new_tariff_rate: np.ndarray
    quantity_cap: np.ndarray  # (S, 9), nan = no cap
    is_domestic: np.ndarray  # (9,) bool: True for US producers

    @property
    def is_foreign(self) -> np.ndarray:
        """(9,) bool: True for the partners (imports)."""
        return np.asarray(~self.is_domestic)

    @property
    def domestic_index(self) -> int:
        """The position of US producers among the sources (for the model's solver)."""
        return int(np.flatnonzero(self.is_domestic)[0])

    def source_index(self, source: str) -> int:
        return self.sources.index(source)

    def sector_index(self, sector: str) -> int:
        return self.sectors.index(sector)


def sources(data: TradeData) -> tuple[str, ...]:
    return (*data.partners, DOMESTIC)


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
        is_domestic=np.array([s == DOMESTIC for s in sources(data)]),
    )


def prior_elasticities(data: TradeData, params: ModelParameters) -> Elasticities:
    """The defaults of ``params/elasticities.yaml`` for every sector and source (no fit)."""
    n_sectors, n_sources = len(data.sectors), len(data.partners) + 1
    supply = np.full((n_sectors, n_sources), params["foreign_supply_elasticity"].default)
    supply[:, -1] = params["domestic_supply_elasticity"].default
    return Elasticities(
        substitution_elasticity=np.full(n_sectors, params["substitution_elasticity"].default),
        demand_elasticity=np.full(n_sectors, params["demand_elasticity"].default),
        supply_elasticity=supply,
    )


def foreign_at_default(supply_elasticity: np.ndarray, default: float) -> np.ndarray:
    """Mask of the foreign cells (every source but US producers, the last) still at the
    economy-wide ``default``: the cells no product evidence (a calibration) has set."""
    mask = np.zeros(supply_elasticity.shape, dtype=bool)
    mask[..., :-1] = supply_elasticity[..., :-1] == default
    return mask


def with_supply_elasticity(
    elasticities: Elasticities, parameter: str, value: float, foreign_default: float
) -> Elasticities:
    """``elasticities`` with one supply elasticity moved to ``value``: the US producers' column
    (``domestic_supply_elasticity``) or every foreign cell at ``foreign_default``
    (``foreign_supply_elasticity``; calibrated cells keep their fit)."""
    supply = elasticities.supply_elasticity.copy()
    if parameter == "domestic_supply_elasticity":
        supply[..., -1] = value
    else:
        supply[foreign_at_default(elasticities.supply_elasticity, foreign_default)] = value
    return replace(elasticities, supply_elasticity=supply)


def solve(market: Market, elasticities: Elasticities) -> MarketSolution:
    caps = None if np.isnan(market.quantity_cap).all() else market.quantity_cap
    return solve_market(
        base_value_usd=market.base_value_usd,
        base_tariff_rate=market.base_tariff_rate,
        new_tariff_rate=market.new_tariff_rate,
        sigma=elasticities.substitution_elasticity,
        eta=elasticities.demand_elasticity,
        supply_elasticity=elasticities.supply_elasticity,
        quantity_cap=caps,
        domestic_index=market.domestic_index,
    )
