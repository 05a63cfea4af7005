"""The names a parameter may take: scenarios, partner regions, sectors.

Used to validate report parameters and command-line arguments before any work starts.
"""

from __future__ import annotations

import csv
from functools import cache

from analysis.paths import DATA_DIR, params_dir

# The eight partner regions of the shipped import data (see analysis/data/SOURCES.md, file 3).
PARTNERS: tuple[str, ...] = ("china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row")


def scenario_names() -> frozenset[str]:
    """Stems of ``params/scenarios/*.yaml``."""
    return frozenset(p.stem for p in (params_dir() / "scenarios").glob("*.yaml"))


@cache
def sector_names() -> tuple[str, ...]:
    """GTAP goods sectors present in the shipped import data, in file order."""
    with (DATA_DIR / "sectors.csv").open(newline="", encoding="utf-8") as fh:
        return tuple(r["sector"] for r in csv.DictReader(fh) if r["in_import_data"] == "1")


def known_values() -> dict[str, frozenset[str]]:
    """Allowed values for parameters by name (report parameters use these names)."""
    scenarios = scenario_names()
    return {
        "scenario": scenarios,
        "baseline": scenarios,
        "partner": frozenset(PARTNERS),
        "sector": frozenset(sector_names()),
    }
