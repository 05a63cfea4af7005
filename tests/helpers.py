"""Helpers shared by test modules (``pythonpath = ["tests"]`` in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np

from analysis.inputs.paths import PROJECT_DIR

PARTNERS = {"china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row"}
BROKEN_RUN = "title: Broken report\nnotebook: failing\n"
FIXED_RUN = BROKEN_RUN + "parameters:\n  should_fail: false\n"
BAR_SPEC: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
    "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "a", "type": "nominal"},
        "y": {"field": "b", "type": "quantitative"},
    },
}


def run_cli(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m analysis ARGS`` as a user runs it: a real subprocess in the project."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env=env,
        input=input,
        timeout=300,
    )


def random_markets(
    rng: np.random.Generator, n_markets: int = 40, n_sources: int = 6
) -> dict[str, Any]:
    """Random markets with the last source domestic and a mix of awkward cases."""
    value = rng.lognormal(0.0, 1.5, (n_markets, n_sources))
    value[0, 1] = 0.0  # a source with no base trade
    base = rng.uniform(0.0, 0.25, (n_markets, n_sources))
    new = np.maximum(base + rng.uniform(-0.1, 0.6, (n_markets, n_sources)), 0.0)
    base[:, -1] = new[:, -1] = 0.0
    sigma = rng.uniform(0.3, 9.0, n_markets)
    sigma[3] = 1.0  # Cobb-Douglas
    eta = rng.uniform(0.0, 3.0, n_markets)
    eps = rng.uniform(0.0, 12.0, (n_markets, n_sources))
    eps[2] = np.inf
    eps[5, 2] = 0.0
    return {
        "base_value_usd": value,
        "base_tariff_rate": base,
        "new_tariff_rate": new,
        "sigma": sigma,
        "eta": eta,
        "supply_elasticity": eps,
        "domestic_index": n_sources - 1,
    }
