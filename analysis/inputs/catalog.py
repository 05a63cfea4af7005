"""The names inputs may use: partner regions, sectors, scenarios, measures.

A :class:`Catalog` is built once from the loaded data (the sectors come from the
checksum-checked ``sectors.csv``) and handed to every parser that checks a name.
"""

from __future__ import annotations

from dataclasses import dataclass

# The eight partner regions of the shipped import data (see analysis/data/SOURCES.md, file 3).
PARTNERS: tuple[str, ...] = ("china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row")


@dataclass(frozen=True)
class Catalog:
    """Names a parameter file may use; grows as the inputs are loaded (measures, scenarios)."""

    partners: tuple[str, ...]
    sectors: tuple[str, ...]
    measures: frozenset[str] = frozenset()
    scenarios: frozenset[str] = frozenset()
