"""The law line by line: one day's rates for every HS10 x country row (334,728 rows).

Run from the repository root::

    .venv/bin/python benchmarks/bench_lines.py

Prints the first (cold) and median (warm) time of each case, the ratio to its budget
(issue 16: one day for every line and country under 0.5 s warm; ``load_inputs()`` under 0.5 s)
and the peak memory traced by tracemalloc.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc
from collections.abc import Callable

from analysis.inputs.bundle import load_inputs
from analysis.policy.lines import line_schedule

DAYS = ("2025-05-20", "2025-10-01", "2026-01-15", "2026-03-05", "2026-11-28")


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
    inputs = load_inputs()
    lines, lists, usmca = inputs.lines.get(), inputs.lines.product_lists(), inputs.lines.usmca()
    cases: list[tuple[str, Callable[[], object], int, float]] = [
        ("load_inputs()", load_inputs, 5, 0.5),
        ("read lines + lists (first use)", lambda: _fresh_lines(), 3, 2.0),
    ]
    for day in DAYS:
        when = dt.date.fromisoformat(day)
        cases.append(
            (
                f"one day, all rows: {day}",
                lambda w=when: line_schedule(w, lines, lists, inputs.measures, usmca),
                5,
                0.5,
            )
        )
    schedule = line_schedule(dt.date.fromisoformat(DAYS[1]), lines, lists, inputs.measures, usmca)
    cases.append(("aggregate by country", lambda: schedule.aggregate("country"), 5, 0.5))
    print(f"{'case':<36} {'first':>10} {'median':>10} {'budget':>8} {'ratio':>6} {'peak MiB':>9}")
    for name, run, repeats, budget in cases:
        first, median, peak = measure(run, repeats)
        print(
            f"{name:<36} {first * 1e3:>7.1f} ms {median * 1e3:>7.1f} ms {budget:>6.1f} s "
            f"{median / budget:>6.2f} {peak:>9.1f}"
        )


def _fresh_lines() -> object:
    inputs = load_inputs()
    return inputs.lines.get(), inputs.lines.product_lists(), inputs.lines.usmca()


if __name__ == "__main__":
    main()
