"""The market the model solves, as one typed object: who sells, at what tariff, under what cap.

A :class:`Market` holds, for every market (a GTAP sector, an HS line) and source, the base
sales at exporter prices, the base and new tariff rates and an optional quantity cap; sources
are named, and US producers carry a flag (``is_domestic``) rather than a position. The model,
the calibration and the evidence all take this one object; :meth:`Market.solver_arguments`
hands its arrays to :func:`analysis.model.armington.solve_market`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Market:
    """Markets x sources: ``base_value_usd``, the tariffs and caps are ``(..., n_markets,
    n_sources)`` (or ``(n_sources,)`` for one market); ``is_domestic`` is ``(n_sources,)``."""

    sectors: tuple[str, ...]
    sources: tuple[str, ...]
    base_value_usd: np.ndarray
    base_tariff_rate: np.ndarray
    new_tariff_rate: np.ndarray
    quantity_cap: np.ndarray  # NaN = no cap
    is_domestic: np.ndarray  # True for US producers (no tariff, no cap)

    def __post_init__(self) -> None:
        n = len(self.sources)
        if np.shape(self.is_domestic) != (n,) or np.shape(self.base_value_usd)[-1] != n:
            raise ValueError(
                f"Market: expected {n} sources on the last axis and one is_domestic flag each, "
                f"found values {np.shape(self.base_value_usd)}, flags "
                f"{np.shape(self.is_domestic)}"
            )
        if int(np.count_nonzero(self.is_domestic)) > 1:
            raise ValueError("Market.is_domestic: expected at most one domestic source")

    @property
    def is_foreign(self) -> np.ndarray:
        """``(n_sources,)``: True for the foreign sources (imports)."""
        return np.asarray(~np.asarray(self.is_domestic, dtype=bool))

    @property
    def domestic_index(self) -> int | None:
        """Where US producers sit among the sources, for the solver (None if absent)."""
        found = np.flatnonzero(self.is_domestic)
        return int(found[0]) if found.size else None

    def source_index(self, source: str) -> int:
        """The position of the source called ``source`` (ValueError if there is none)."""
        if source not in self.sources:
            raise ValueError(f"source: expected one of {list(self.sources)}, found {source!r}")
        return self.sources.index(source)

    def sector_index(self, sector: str) -> int:
        if sector not in self.sectors:
            raise ValueError(f"sector: expected one of {list(self.sectors)}, found {sector!r}")
        return self.sectors.index(sector)

    def one_sector(self, sector: str) -> Market:
        """The market of one sector: ``(n_sources,)`` arrays."""
        i = self.sector_index(sector)
        return Market(
            sectors=(sector,),
            sources=self.sources,
            base_value_usd=self.base_value_usd[..., i, :],
            base_tariff_rate=self.base_tariff_rate[..., i, :],
            new_tariff_rate=self.new_tariff_rate[..., i, :],
            quantity_cap=self.quantity_cap[..., i, :],
            is_domestic=self.is_domestic,
        )

    def solver_arguments(self) -> dict[str, Any]:
        """The market's keyword arguments of :func:`analysis.model.armington.solve_market`."""
        caps = self.quantity_cap
        return {
            "base_value_usd": self.base_value_usd,
            "base_tariff_rate": self.base_tariff_rate,
            "new_tariff_rate": self.new_tariff_rate,
            "quantity_cap": None if np.isnan(caps).all() else caps,
            "domestic_index": self.domestic_index,
        }
