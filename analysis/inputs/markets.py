"""A user's own market, posed in a small YAML file or in Python, solved by the same model.

The format (:class:`analysis.inputs.schemas.MarketSpec`, documented in ``docs/formats.md``):
a title, the elasticities of substitution and of demand, and the sources, each with its base
sales, its tariffs before and after (default 0), its supply elasticity (default ``.inf``,
complete pass-through) and optionally a quantity cap (a VER); at most one source is
``domestic``. A market must have trade to move: at least one foreign source with a positive
``base_value_usd``, and a positive one for the domestic source if there is one (the model
would otherwise give notional equal shares to a market with no sales, and percentage changes
of nothing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.errors import InputError
from analysis.inputs.schemas import MarketSpec, validated
from analysis.inputs.validate import read_yaml


@dataclass(frozen=True)
class MarketSource:
    name: str
    base_value_usd: float
    base_tariff_rate: float = 0.0
    new_tariff_rate: float = 0.0
    supply_elasticity: float = math.inf
    domestic: bool = False
    quantity_cap: float | None = None


@dataclass(frozen=True)
class CustomMarket:
    title: str
    substitution_elasticity: float
    demand_elasticity: float
    sources: tuple[MarketSource, ...]


def parse_market(path: Path, doc: object) -> CustomMarket:
    spec = validated(MarketSpec, path, doc)
    sources = [
        MarketSource(
            name=raw.name,
            base_value_usd=float(raw.base_value_usd),
            base_tariff_rate=float(raw.base_tariff_rate),
            new_tariff_rate=float(raw.new_tariff_rate),
            supply_elasticity=float(raw.supply_elasticity),
            domestic=raw.domestic,
            quantity_cap=None if raw.quantity_cap is None else float(raw.quantity_cap),
        )
        for raw in spec.sources
    ]
    domestic = [s.name for s in sources if s.domestic]
    if len(domestic) > 1:
        raise InputError(path, "sources", "at most one domestic source", domestic)
    if any(s.domestic and (s.base_tariff_rate or s.new_tariff_rate) for s in sources):
        raise InputError(path, "sources", "no tariff on the domestic source", domestic[0])
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise InputError(path, "sources", "unique names", names)
    _check_trade(path, sources)
    return CustomMarket(
        title=spec.title if spec.title is not None else path.stem,
        substitution_elasticity=float(spec.substitution_elasticity),
        demand_elasticity=float(spec.demand_elasticity),
        sources=tuple(sources),
    )


def _check_trade(path: Path, sources: list[MarketSource]) -> None:
    """Some base trade from abroad, and base sales of the domestic source if there is one."""
    for i, source in enumerate(sources):
        if source.domestic and source.base_value_usd <= 0:
            raise InputError(
                path,
                f"sources[{i}].base_value_usd",
                "a positive base value for the domestic source (or no domestic source)",
                source.base_value_usd,
            )
    if not any(s.base_value_usd > 0 for s in sources if not s.domestic):
        raise InputError(
            path,
            "sources",
            "a foreign source with a positive base_value_usd",
            "no base imports (" + ", ".join(s.name for s in sources if not s.domestic) + ")"
            if any(not s.domestic for s in sources)
            else "only the domestic source",
        )


def load_market(path: Path) -> CustomMarket:
    return parse_market(path, read_yaml(path))
