"""Monte Carlo of the 45 x 9 market on a 2-worker Dask LocalCluster: time, CPU and memory.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_dask.py [--draws 1000000] [--chunk 25000]
        [--scenario deal_15] [--baseline mfn_only]

Prints, with the load average beside every figure (the machine may be shared):

1. the CPU cost per draw of one chunk in this process, split into its steps (the parameter
   draws, the elasticities with any calibrated ones refitted, the solve, the headline);
2. the floor: one numpy pass over every draw's 45 x 9 cells on the same cluster, in the same
   chunks and blocks (what touching the draws once costs, Dask's overhead included);
3. ``monte_carlo_chunked`` on the cluster: wall time, draws per second, the workers' CPU
   seconds per draw, the peak resident memory of each worker, and the ratios of the wall time
   to the 60 s target and to the floor;
4. for up to 200,000 draws, the same draws in this process (they must be identical).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import numpy as np

from analysis.inputs.bundle import load_inputs
from analysis.pipeline.dask_runner import cluster_map
from analysis.questions.simulate import SimulationResult, headline_arrays, simulate
from analysis.questions.uncertainty import (
    SOLVE_BLOCK,
    DrawnParameters,
    chunks,
    draw_parameters,
    elasticities_of,
    monte_carlo_chunked,
)
from analysis.questions.us_market import solve

TARGET_SECONDS = 60.0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"[load {one:.1f}/{five:.1f} on {os.cpu_count()} cores]"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def per_draw_profile(result: SimulationResult, chunk_draws: int) -> None:
    """Microseconds of CPU per draw of each step of one chunk (median of three chunks)."""
    steps: dict[str, list[float]] = {
        "draws": [],
        "elasticities + refit": [],
        "solve": [],
        "headline": [],
    }
    drawn_all = draw_parameters(result, 3 * chunk_draws, 1)
    for part in chunks(3 * chunk_draws, chunk_draws):
        seconds = dict.fromkeys(steps, 0.0)
        t = time.process_time()
        draw_parameters(result, chunk_draws, 1)
        seconds["draws"] = time.process_time() - t
        drawn = drawn_all[part]
        for start in range(0, len(drawn), SOLVE_BLOCK):
            block = drawn[start : start + SOLVE_BLOCK]
            t0 = time.process_time()
            elasticities = elasticities_of(result, block)
            t1 = time.process_time()
            solution = solve(result.market, elasticities)
            t2 = time.process_time()
            headline_arrays(solution, result.market, result.data, result.params, result.focus)
            t3 = time.process_time()
            seconds["elasticities + refit"] += t1 - t0
            seconds["solve"] += t2 - t1
            seconds["headline"] += t3 - t2
        for key in steps:
            steps[key].append(seconds[key] / len(drawn) * 1e6)
    total = sum(statistics.median(v) for v in steps.values())
    print(
        f"CPU per draw in this process, chunks of {chunk_draws:,}, blocks of {SOLVE_BLOCK:,} "
        f"(median of 3): {total:.1f} us {load()}"
    )
    for key, values in steps.items():
        median = statistics.median(values)
        print(f"  {key:<22}{median:8.1f} us  {median / total:5.0%}")


def one_pass(cells: int, drawn: DrawnParameters) -> np.ndarray:
    """The floor's task: one numpy pass (exp) over the chunk's draws x cells, in blocks."""
    out = np.empty(len(drawn))
    for start in range(0, len(drawn), SOLVE_BLOCK):
        sigma = drawn.substitution_elasticity[start : start + SOLVE_BLOCK]
        block = np.broadcast_to(sigma[:, None], (len(sigma), cells))
        out[start : start + len(sigma)] = np.exp(block).sum(axis=1)
    return out


def on_cluster(
    address: str, result: SimulationResult, draws: int, chunk: int
) -> tuple[float, float, float, object]:
    """Floor wall time, Monte Carlo wall time, workers' CPU seconds, the Monte Carlo result."""
    import functools

    from distributed import Client

    cells = int(np.prod(result.market.base_value_usd.shape))
    drawn = draw_parameters(result, draws, 1)
    pieces = [drawn[part] for part in chunks(draws, chunk)]
    mapper = cluster_map(address)
    mapper(functools.partial(one_pass, cells), pieces[:2])  # workers warm: imports done
    start = time.perf_counter()
    mapper(functools.partial(one_pass, cells), pieces)
    floor = time.perf_counter() - start
    with Client(address) as client:  # type: ignore[no-untyped-call]
        cpu_before = sum(client.run(cpu_seconds).values())
    start = time.perf_counter()
    mc = monte_carlo_chunked(result, draws, seed=1, chunk_draws=chunk, map_chunks=mapper)
    wall = time.perf_counter() - start
    with Client(address) as client:  # type: ignore[no-untyped-call]
        cpu = sum(client.run(cpu_seconds).values()) - cpu_before
    return floor, wall, cpu, mc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=25_000)
    parser.add_argument("--scenario", default="deal_15")
    parser.add_argument("--baseline", default="mfn_only")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process profile")
    parser.add_argument(
        "--dask-profiler",
        action="store_true",
        help="keep Dask's sampling profiler on in the workers (it costs ~15%% of their CPU)",
    )
    args = parser.parse_args()
    import dask
    from distributed import Client, LocalCluster

    # Workers inherit this config: Dask samples every worker thread's stack every 10 ms.
    dask.config.set({"distributed.worker.profile.enabled": args.dask_profiler})

    result = simulate(load_inputs(), args.scenario, args.baseline)
    print(f"{args.scenario} against {args.baseline}, {result.horizon}, {load()}")
    print(f"Dask's sampling profiler in the workers: {'on' if args.dask_profiler else 'off'}")
    if not args.no_profile:
        per_draw_profile(result, min(args.chunk, 25_000))
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        floor, wall, cpu, mc = on_cluster(cluster.scheduler_address, result, args.draws, args.chunk)
        with Client(cluster.scheduler_address) as client:  # type: ignore[no-untyped-call]
            peaks = client.run(peak_rss_mb)
    draws = args.draws
    print(
        f"floor, one numpy pass over {draws:,} draws x 45 x 9 on the cluster: {floor:.2f} s "
        f"{load()}"
    )
    print(
        f"Monte Carlo, {draws:,} draws, chunks of {args.chunk:,}, 2-worker LocalCluster: "
        f"{wall:.1f} s, {draws / wall:,.0f} draws/s, workers' CPU {cpu:.1f} s = "
        f"{cpu / draws * 1e6:.1f} us per draw {load()}"
    )
    print(
        f"  ratio to the {TARGET_SECONDS:.0f} s target: {wall / TARGET_SECONDS:.2f}x; "
        f"to the floor: {wall / floor:.1f}x; CPU-bound on 2 idle cores: ~{cpu / 2:.1f} s"
    )
    for worker, mb in sorted(peaks.items()):
        print(f"  peak memory of worker {worker}: {mb:,.0f} MB (limit 2,048 MB)")
    print(f"  peak memory of this process (client): {peak_rss_mb():,.0f} MB")
    if draws <= 200_000:
        from analysis.questions.uncertainty import monte_carlo

        start = time.perf_counter()
        here = monte_carlo(result, draws, seed=1)
        seconds = time.perf_counter() - start
        same = here.draws.equals(mc.draws)  # type: ignore[attr-defined]
        print(f"same draws in this process, one core: {seconds:.1f} s; identical: {same} {load()}")
    print(mc.percentiles().head(3).to_string())  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
