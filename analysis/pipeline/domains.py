"""The values a report parameter may take, by parameter name, from the loaded inputs."""

from __future__ import annotations

from analysis.inputs.bundle import Inputs
from analysis.questions.outcomes import HEADLINE_OUTCOMES


def market_files(inputs: Inputs) -> frozenset[str]:
    """Custom markets a report may read: ``params/markets/*.yaml``, as project-relative paths."""
    folder = inputs.params_dir / "markets"
    return frozenset(f"params/markets/{p.name}" for p in folder.glob("*.yaml"))


def known_values(inputs: Inputs) -> dict[str, frozenset[str]]:
    """Allowed values for parameters by name (report parameters use these names)."""
    scenarios = frozenset(inputs.scenarios)
    return {
        "scenario": scenarios,
        "baseline": scenarios,
        "ver_scenario": scenarios,
        "tariff_scenario": scenarios,
        "partner": frozenset(inputs.data.partners),
        "sector": frozenset(inputs.data.sectors),
        "tornado_outcome": frozenset(HEADLINE_OUTCOMES),
        "market_file": market_files(inputs),
    }
