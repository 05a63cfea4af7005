"""Time and peak memory of the exact Armington solver at three scales.

Run from the repository root::

    .venv/bin/python benchmarks/bench_model.py

Cases (synthetic data with realistic gaps: many zero trade cells, some perfectly elastic
sources, one domestic source):

1. one solve of 45 GTAP sectors x 9 sources (8 partner regions + US producers);
2. 10,000 Monte Carlo draws of sigma, eta and the supply elasticities over 45 x 9, solved in ONE
   vectorised call (arrays of shape (10000, 45, 9));
3. a tariff-line-scale market: 17,000 products x 240 partners + 1 domestic source.

"first call" is the first solve in this process at that size (it pays for fresh memory pages);
"median" is over the repeats that follow. Peak memory is measured in a separate run with
``tracemalloc`` (numpy reports its array allocations to it), so it does not slow the timings.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.model.armington import MarketSolution, solve_market


@dataclass(frozen=True)
class Case:
    name: str
    inputs: dict[str, Any]
    repeats: int


def synthetic_market(
    rng: np.random.Generator,
    n_markets: int,
    n_partners: int,
    *,
    n_draws: int | None = None,
    zero_share: float = 0.2,
) -> dict[str, Any]:
    """Inputs for ``solve_market`` with the domestic source last."""
    n_sources = n_partners + 1
    value = rng.lognormal(0.0, 2.0, (n_markets, n_sources))
    value[:, :-1] *= rng.random((n_markets, n_partners)) >= zero_share
    value[:, -1] *= 20.0  # US producers are the largest source of most goods
    base = np.zeros((n_markets, n_sources))
    base[:, :-1] = rng.uniform(0.0, 0.1, (n_markets, 1))  # MFN, same for every partner
    layers = rng.choice([0.0, 0.1, 0.25, 0.5], size=(n_markets, n_partners))
    new = base.copy()
    new[:, :-1] += layers
    lead = () if n_draws is None else (n_draws,)
    eps = rng.uniform(0.5, 10.0, (*lead, n_markets, n_sources))
    eps[..., rng.random(n_sources) < 0.2] = np.inf
    return {
        "base_value_usd": value,
        "base_tariff_rate": base,
        "new_tariff_rate": new,
        "sigma": rng.uniform(1.5, 8.0, (*lead, n_markets)),
        "eta": rng.uniform(0.3, 2.0, (*lead, n_markets)),
        "supply_elasticity": eps,
        "domestic_index": n_sources - 1,
    }


def timings(solve: Callable[[], MarketSolution], repeats: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    solution = solve()
    first = time.perf_counter() - start
    iterations = solution.newton_iterations
    del solution
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        solution = solve()
        times.append(time.perf_counter() - start)
        del solution
    return first, statistics.median(times), iterations


def peak_memory_mib(solve: Callable[[], MarketSolution]) -> float:
    tracemalloc.start()
    try:
        solution = solve()
        _, peak = tracemalloc.get_traced_memory()
        del solution
    finally:
        tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    rng = np.random.default_rng(20250601)
    cases = [
        Case("45 sectors x 9 sources", synthetic_market(rng, 45, 8), repeats=200),
        Case(
            "10,000 draws x 45 x 9 (one call)",
            synthetic_market(rng, 45, 8, n_draws=10_000),
            repeats=5,
        ),
        Case(
            "17,000 products x 241 sources",
            synthetic_market(rng, 17_000, 240, zero_share=0.9),
            repeats=3,
        ),
    ]
    print(
        f"numpy {np.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (numpy elementwise work is single-threaded)\n"
    )
    header = (
        f"{'case':<34} {'shape':>16} {'elements':>10} {'first call':>11} {'median':>10} "
        f"{'peak MiB':>9} {'Newton':>7}"
    )
    print(header)
    print("-" * len(header))
    for case in cases:

        def solve(inputs: dict[str, Any] = case.inputs) -> MarketSolution:
            return solve_market(**inputs)

        first, median, iterations = timings(solve, case.repeats)
        peak = peak_memory_mib(solve)
        shape = np.broadcast_shapes(
            np.shape(case.inputs["base_value_usd"]), np.shape(case.inputs["supply_elasticity"])
        )
        elements = int(np.prod(shape))
        print(
            f"{case.name:<34} {shape!s:>16} {elements:>10,} {first * 1e3:>8.1f} ms "
            f"{median * 1e3:>7.1f} ms {peak:>9.1f} {iterations:>7}"
        )


if __name__ == "__main__":
    main()
