"""Helpers shared by test modules (``pythonpath = ["tests"]`` in pyproject.toml)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from analysis.inputs.paths import PROJECT_DIR

T = TypeVar("T")

PARTNERS = {"china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row"}
BROKEN_RUN = "title: Broken report\nnotebook: failing\n"
FIXED_RUN = BROKEN_RUN + "parameters:\n  should_fail: false\n"
#: A user's scenario outside the project: a rate with a reason, no citation.
USER_SCENARIO = """\
title: My letter scenario
description: Japan's reciprocal rate at 25% all-in, my assumption.
regime_date: 2025-07-07
changes:
  - {measure: ieepa_reciprocal_japan, rate: 0.15, reason: what if the letter held}
references:
  - {title: my notes, url: "https://example.org", date: 2025-07-08}
"""
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


def alias_bomb(levels: int = 6, width: int = 10) -> str:
    """A one-line YAML value ("billion laughs"): a flow list whose anchors ``&l<k>`` each
    alias the previous level ``width`` times, so that its last item expands to
    ``width ** levels`` copies of ``lol`` (10**6 by default: a 7 MB repr, a 0.2 s build)."""
    items = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    for k in range(1, levels):
        items.append(f"&l{k} [" + ", ".join([f"*l{k - 1}"] * width) + "]")
    return "[" + ", ".join(items) + "]"


def shared_bomb(levels: int, width: int = 10) -> list[Any]:
    """The same in Python: a list nested ``levels`` deep, each level ``width`` references to
    the one below (``width ** levels`` leaves, ``levels`` objects)."""
    value: list[Any] = ["lol"] * width
    for _ in range(levels - 1):
        value = [value] * width
    return value


def without_hanging(func: Callable[[], T], fifos: Sequence[Path], timeout: float = 120.0) -> T:
    """``func()`` run in a thread, its result returned or its exception re-raised; if it is
    still running after ``timeout`` seconds (blocked opening one of ``fifos``: the fault under
    test), each FIFO is opened for writing and closed to release it, and the test fails.
    A pass never depends on timing: a correct ``func`` never opens the FIFOs."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = func()
        except BaseException as exc:  # handed to the test's thread below
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        for fifo in fifos:
            with contextlib.suppress(OSError):  # no reader waiting: nothing to release
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout)
        raise AssertionError(f"still waiting on a FIFO ({', '.join(map(str, fifos))})")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]


def report_pages(
    config: pytest.Config, demo_pages: Sequence[str] = (), with_index: bool = False
) -> list[str]:
    """The pages a browser test reads: every ``*.html`` of ``--reports-dir DIR`` (or
    ``$TARIFF_REPORTS_HTML_DIR``) as absolute paths; else ``demo_pages`` (names in the demo
    build's folder) and every real notebook built with its default parameters as
    ``real:<notebook>.html`` (and ``real:index.html`` if ``with_index``)."""
    folder = config.getoption("--reports-dir") or os.environ.get("TARIFF_REPORTS_HTML_DIR")
    if folder:
        pages = sorted(Path(folder).resolve().glob("*.html"))
        return [str(p) for p in pages if not p.name.startswith(".")]
    real = sorted(p.stem for p in (PROJECT_DIR / "notebooks").glob("*.py"))
    names = [*real, "index"] if with_index else real
    return [*demo_pages, *(f"real:{name}.html" for name in names)]


def parametrize_pages(
    metafunc: pytest.Metafunc, demo_pages: Sequence[str] = (), with_index: bool = False
) -> None:
    """``pytest_generate_tests`` of a browser test module: ``page_name`` over
    :func:`report_pages`, each test named by the page's file name."""
    if "page_name" in metafunc.fixturenames:
        pages = report_pages(metafunc.config, demo_pages, with_index)
        metafunc.parametrize("page_name", pages, ids=[Path(p).name for p in pages])


def report_page_path(page_name: str, request: pytest.FixtureRequest) -> Path:
    """The file of a page named by :func:`report_pages`: an absolute path as it is, a
    ``real:`` page in the build of every notebook (fixture ``real_reports_dir``), any other
    name in the demo build's folder (fixture ``demo_report_dir``); each build is made only
    when a page asks for it."""
    if Path(page_name).is_absolute():
        return Path(page_name)
    if page_name.startswith("real:"):
        real: Path = request.getfixturevalue("real_reports_dir")
        return real / page_name.removeprefix("real:")
    demo: Path = request.getfixturevalue("demo_report_dir")
    return demo / page_name
