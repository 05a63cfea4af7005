"""Monte Carlo of the 45 x 9 market on a 2-worker Dask LocalCluster: time and worker memory.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_dask.py [--draws 1000000] [--chunk 10000]

Prints, first, the cost per draw of one chunk in this process, split into its steps (the
draws with the calibrated elasticities refitted, the solve, the headline outcomes); then the
wall time of ``monte_carlo_chunked`` on the cluster (chunks as tasks), the same number of draws
in chunks in this process for comparison (skipped above 200,000 draws), and the peak resident
memory of each worker process.
"""

from __future__ import annotations

import argparse
import time

from analysis.inputs.bundle import load_inputs
from analysis.pipeline.dask_runner import cluster_map
from analysis.questions.simulate import SimulationResult, simulate
from analysis.questions.uncertainty import monte_carlo_chunked


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_draw_profile(result: SimulationResult, chunk_draws: int) -> None:
    """Microseconds per draw of each step of one chunk (median of three chunks)."""
    import statistics

    from analysis.questions.simulate import headline_arrays
    from analysis.questions.uncertainty import chunks, draw_elasticities
    from analysis.questions.us_market import solve

    steps: dict[str, list[float]] = {"draw + refit": [], "solve": [], "headline": []}
    for n, stream in chunks(3 * chunk_draws, 1, chunk_draws):
        t0 = time.process_time()
        drawn = draw_elasticities(result, n, stream)
        t1 = time.process_time()
        solution = solve(result.market, drawn)
        t2 = time.process_time()
        headline_arrays(solution, result.market, result.data, result.params)
        t3 = time.process_time()
        for key, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            steps[key].append(seconds / n * 1e6)
    total = sum(statistics.median(v) for v in steps.values())
    print(f"CPU per draw, chunks of {chunk_draws:,} (median of 3): {total:.0f} us")
    for key, values in steps.items():
        median = statistics.median(values)
        print(f"  {key:<14}{median:8.0f} us  {median / total:5.0%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    result = simulate(load_inputs(), "deal_15", "mfn_only")
    per_draw_profile(result, args.chunk)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        start = time.perf_counter()
        mc = monte_carlo_chunked(
            result,
            args.draws,
            seed=1,
            chunk_draws=args.chunk,
            map_chunks=cluster_map(cluster.scheduler_address),
        )
        wall = time.perf_counter() - start
        with Client(cluster.scheduler_address) as client:
            peaks = client.run(peak_rss_mb)
    print(
        f"{len(mc.draws):,} draws, 45 x 9, chunks of {args.chunk:,}, 2-worker LocalCluster: "
        f"{wall:.1f} s"
    )
    for worker, mb in sorted(peaks.items()):
        print(f"  peak memory of worker {worker}: {mb:,.0f} MB")
    if args.draws <= 200_000:
        start = time.perf_counter()
        monte_carlo_chunked(result, args.draws, seed=1, chunk_draws=args.chunk)
        print(f"same draws in this process, one core: {time.perf_counter() - start:.1f} s")
    print(mc.percentiles().head(3).to_string())


if __name__ == "__main__":
    main()
