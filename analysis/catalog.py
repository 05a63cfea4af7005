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


# Headline outcomes of a simulation (analysis.simulate.headline_arrays; a test keeps the two
# in step), for parameters that name one.
HEADLINE_OUTCOMES: tuple[str, ...] = (
    "tariff_revenue_usd",
    "tariff_revenue_change_usd",
    "us_buyer_cost_usd",
    "cost_per_household_usd",
    "buyer_surplus_change_usd",
    "domestic_producer_surplus_change_usd",
    "terms_of_trade_gain_usd",
    "quota_rent_usd",
    "deadweight_loss_usd",
    "net_us_welfare_usd",
    "imports_value_change_usd",
    "japan_exports_value_change_usd",
    "japan_exports_value_change",
    "japan_exports_volume_change",
    "japan_exporter_revenue_change_usd",
    "japan_gdp_change",
    "car_units_change",
    "japan_mvh_exporter_price_change",
    "us_price_change_japan_mvh",
)


def market_files() -> frozenset[str]:
    """Custom markets a report may read: ``params/markets/*.yaml``, as project-relative paths."""
    return frozenset(f"params/markets/{p.name}" for p in (params_dir() / "markets").glob("*.yaml"))


def known_values() -> dict[str, frozenset[str]]:
    """Allowed values for parameters by name (report parameters use these names)."""
    scenarios = scenario_names()
    return {
        "scenario": scenarios,
        "baseline": scenarios,
        "ver_scenario": scenarios,
        "tariff_scenario": scenarios,
        "partner": frozenset(PARTNERS),
        "sector": frozenset(sector_names()),
        "tornado_outcome": frozenset(HEADLINE_OUTCOMES),
        "market_file": market_files(),
    }
