"""The law line by line: one day's rates for every HS10 x country row (334,728 rows).

Run from the repository root::

    .venv/bin/python benchmarks/bench_lines.py

Prints the first (cold) and median (warm) time of each case, the ratio to its budget
(issue 16: one day for every line and country under 0.5 s warm; ``load_inputs()`` under 0.5 s;
the daily series from 2025-01-01 to the last day checked, by country, under 10 s, computed on
the days the law changes only)
and the peak memory traced by tracemalloc.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable

from analysis.cli.lines import change_days
from analysis.inputs.bundle import load_inputs
from analysis.policy.lines import line_schedule

DAYS = ("2025-05-20", "2025-10-01", "2026-01-15", "2026-03-05", "2026-11-28")


def measure(run: Callable[[], object], repeats: int) -> tuple[float, float, float, float]:
    """First wall time, median wall and CPU time of ``repeats`` warm runs, peak MiB."""
    start = time.perf_counter()
    run()
    first = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first, statistics.median(times), statistics.median(cpu), peak


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
    days = change_days(inputs, dt.date(2025, 1, 1), inputs.law_status.known_through)

    def series() -> object:
        return [
            line_schedule(d, lines, lists, inputs.measures, usmca).aggregate("country")
            for d in days
        ]

    cases.append((f"series, {len(days)} change days, by country", series, 2, 10.0))
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times share them)"
    )
    print(
        f"{'case':<38} {'first':>10} {'median':>10} {'cpu':>10} {'budget':>8} {'ratio':>6} "
        f"{'peak MiB':>9}"
    )
    for name, run, repeats, budget in cases:
        first, median, cpu, peak = measure(run, repeats)
        print(
            f"{name:<38} {first * 1e3:>7.1f} ms {median * 1e3:>7.1f} ms {cpu * 1e3:>7.1f} ms "
            f"{budget:>6.1f} s {median / budget:>6.2f} {peak:>9.1f}"
        )


def _fresh_lines() -> object:
    inputs = load_inputs()
    return inputs.lines.get(), inputs.lines.product_lists(), inputs.lines.usmca()


if __name__ == "__main__":
    main()
