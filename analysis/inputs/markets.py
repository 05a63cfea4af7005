"""A user's own market, posed in a small YAML file or in Python, solved by the same model.

.. code-block:: yaml

    title: EV batteries            # optional
    substitution_elasticity: 4.0   # sigma
    demand_elasticity: 1.0         # eta
    sources:
      - {name: japan, base_value_usd: 5.0e+9, base_tariff_rate: 0.0, new_tariff_rate: 0.15,
         supply_elasticity: .inf}
      - {name: us, base_value_usd: 20.0e+9, domestic: true, supply_elasticity: 2.0}
      - {name: korea, base_value_usd: 3.0e+9, base_tariff_rate: 0.0, new_tariff_rate: 0.10,
         quantity_cap: 0.9}        # optional VER: at most 90% of the base volume

A source's tariffs default to 0; ``supply_elasticity`` defaults to ``.inf`` (complete
pass-through); at most one source is ``domestic``. A market must have trade to move: at least
one foreign source with a positive ``base_value_usd``, and a positive one for the domestic
source if there is one (the model would otherwise give notional equal shares to a market
with no sales, and percentage changes of nothing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.errors import InputError
from analysis.inputs.measures import MAX_RATE
from analysis.inputs.validate import TOP_LEVEL, number, read_yaml, record

_TOP = {"title", "substitution_elasticity", "demand_elasticity", "sources"}
_SOURCE = {
    "name",
    "base_value_usd",
    "base_tariff_rate",
    "new_tariff_rate",
    "supply_elasticity",
    "domestic",
    "quantity_cap",
}


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
    doc = record(path, TOP_LEVEL, doc, _TOP)
    raw_sources = doc.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise InputError(path, "sources", "a non-empty list of sources", raw_sources)
    sources = []
    for i, raw in enumerate(raw_sources):
        key = f"sources[{i}]"
        raw = record(path, key, raw, _SOURCE)
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise InputError(path, f"{key}.name", "a name", name)
        cap = raw.get("quantity_cap")
        domestic = raw.get("domestic", False)
        if not isinstance(domestic, bool):
            raise InputError(path, f"{key}.domestic", "true or false", domestic)
        sources.append(
            MarketSource(
                name=name,
                base_value_usd=number(path, f"{key}.base_value_usd", raw.get("base_value_usd"), 0),
                base_tariff_rate=number(
                    path, f"{key}.base_tariff_rate", raw.get("base_tariff_rate", 0.0), 0, MAX_RATE
                ),
                new_tariff_rate=number(
                    path, f"{key}.new_tariff_rate", raw.get("new_tariff_rate", 0.0), 0, MAX_RATE
                ),
                supply_elasticity=number(
                    path, f"{key}.supply_elasticity", raw.get("supply_elasticity", math.inf), 0
                ),
                domestic=domestic,
                quantity_cap=None
                if cap is None
                else number(path, f"{key}.quantity_cap", cap, 1e-9),
            )
        )
    domestic = [s.name for s in sources if s.domestic]
    if len(domestic) > 1:
        raise InputError(path, "sources", "at most one domestic source", domestic)
    if any(s.domestic and (s.base_tariff_rate or s.new_tariff_rate) for s in sources):
        raise InputError(path, "sources", "no tariff on the domestic source", domestic[0])
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise InputError(path, "sources", "unique names", names)
    _check_trade(path, sources)
    title = doc.get("title", path.stem)
    if not isinstance(title, str):
        raise InputError(path, "title", "text", title)
    return CustomMarket(
        title=title,
        substitution_elasticity=number(
            path, "substitution_elasticity", doc.get("substitution_elasticity"), 1e-6, 100
        ),
        demand_elasticity=number(path, "demand_elasticity", doc.get("demand_elasticity"), 0, 100),
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
