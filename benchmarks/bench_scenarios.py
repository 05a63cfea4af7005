"""End-to-end figures on the real data: a scenario, its Monte Carlo, its attribution.

Run from the repository root::

    .venv/bin/python benchmarks/bench_scenarios.py

Unlike ``bench_model.py`` (the solver alone on synthetic arrays) these include stacking the
tariff schedules, assembling the market and aggregating the headline outcomes.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable

from analysis.inputs.bundle import load_inputs
from analysis.questions.attribution import attribute_layers
from analysis.questions.simulate import simulate
from analysis.questions.uncertainty import monte_carlo


def measure(run: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    start = time.perf_counter()
    run()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first, statistics.median(times), peak


def main() -> None:
    inputs = load_inputs()  # data, measures, scenarios and elasticities, loaded once
    result = simulate(inputs, "deal_15")
    cases: list[tuple[str, Callable[[], object], int]] = [
        ("simulate one scenario (deal_15)", lambda: simulate(inputs, "deal_15"), 20),
        ("Monte Carlo, 10,000 draws", lambda: monte_carlo(result, 10_000, seed=1), 5),
        ("Shapley attribution over layers", lambda: attribute_layers(result), 5),
    ]
    print(f"{'case':<34} {'first':>10} {'median':>10} {'peak MiB':>9}")
    for name, run, repeats in cases:
        first, median, peak = measure(run, repeats)
        print(f"{name:<34} {first * 1e3:>7.1f} ms {median * 1e3:>7.1f} ms {peak:>9.1f}")


if __name__ == "__main__":
    main()
