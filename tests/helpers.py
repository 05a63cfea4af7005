"""Helpers shared by test modules (``pythonpath = ["tests"]`` in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

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
