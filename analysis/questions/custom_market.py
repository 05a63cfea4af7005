"""Solve a user's own market (:mod:`analysis.inputs.markets`) with the exact model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.markets import CustomMarket
from analysis.model.armington import MarketSolution, solve_market


@dataclass(frozen=True)
class CustomMarketResult:
    market: CustomMarket
    solution: MarketSolution

    def table(self) -> pd.DataFrame:
        s = self.solution
        return pd.DataFrame(
            {
                "source": [src.name for src in self.market.sources],
                "base_value_usd": [src.base_value_usd for src in self.market.sources],
                "base_tariff_rate": [src.base_tariff_rate for src in self.market.sources],
                "new_tariff_rate": [src.new_tariff_rate for src in self.market.sources],
                "buyer_price_change": s.buyer_price_change,
                "exporter_price_change": s.exporter_price_change,
                "quantity_change": s.quantity_change,
                "value_change": s.value_change,
                "pass_through": s.pass_through,
                "new_tariff_revenue_usd": s.new_tariff_revenue_usd,
                "quota_rent_usd": s.quota_rent_usd,
            }
        ).set_index("source")

    def payload(self) -> dict[str, Any]:
        table = self.table()
        keys = ("buyer_price_change", "exporter_price_change", "quantity_change", "value_change")
        return {
            "title": self.market.title,
            "sources": {
                name: {k: _json_float(row[k]) for k in keys} for name, row in table.iterrows()
            },
            "price_index_change": float(self.solution.price_index_change),
            "tariff_revenue": float(self.solution.new_tariff_revenue_usd.sum()),
            "quota_rent": float(self.solution.quota_rent_usd.sum()),
        }


def _json_float(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def solve_custom_market(market: CustomMarket) -> CustomMarketResult:
    """Solve a custom market with :func:`analysis.model.armington.solve_market`."""
    src = market.sources
    caps = np.array([np.nan if s.quantity_cap is None else s.quantity_cap for s in src])
    domestic = [i for i, s in enumerate(src) if s.domestic]
    solution = solve_market(
        base_value_usd=np.array([s.base_value_usd for s in src]),
        base_tariff_rate=np.array([s.base_tariff_rate for s in src]),
        new_tariff_rate=np.array([s.new_tariff_rate for s in src]),
        sigma=market.substitution_elasticity,
        eta=market.demand_elasticity,
        supply_elasticity=np.array([s.supply_elasticity for s in src]),
        quantity_cap=None if np.isnan(caps).all() else caps,
        domestic_index=domestic[0] if domestic else None,
    )
    return CustomMarketResult(market, solution)
