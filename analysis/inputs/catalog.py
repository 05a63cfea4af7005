"""The names inputs may use: partner regions, sectors, scenarios.

A :class:`Catalog` is built once from the loaded data (the sectors come from the
checksum-checked ``sectors.csv``) and handed to every parser that checks a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The eight partner regions of the shipped import data (see analysis/data/SOURCES.md, file 3).
PARTNERS: tuple[str, ...] = ("china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row")


@dataclass(frozen=True)
class Catalog:
    """Names a parameter file may use; the scenarios are added once they are loaded."""

    partners: tuple[str, ...]
    sectors: tuple[str, ...]
    scenarios: frozenset[str] = frozenset()
    # (partner, sector) -> 2024 US imports in units, where the data count them (passenger
    # cars): a quota may be set in units a year (``cap_units``).
    units_2024: Mapping[tuple[str, str], float] = field(default_factory=dict)
