"""CPU seconds of a full build (cache off), whole process tree, kernels one by one.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/cpu_build.py [REPORT ...] [--jobs N] [--shared-cache DIR]

On a machine shared with other work, CPU seconds are the figure to read (wall seconds are
inflated by the load, printed before and after). Prints the CPU of the build's whole process
tree (builder, fork server, workers, kernels: ``RUSAGE_CHILDREN`` of this process), the
builder's own CPU and peak memory, each kernel's CPU and peak memory (from its stamp), and the
floor: papermill executing an empty notebook in this process, its CPU and wall seconds.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reports import empty_notebook  # noqa: E402

# The command line, writing the builder's own peak memory (KiB) and CPU seconds.
WRAPPER = """
import os, resource, runpy, sys
sys.argv = ["tariff-reports", *sys.argv[1:]]
try:
    runpy.run_module("analysis", run_name="__main__")
finally:
    u = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["BENCH_PEAK_FILE"], "w") as f:
        f.write(f"{u.ru_maxrss} {u.ru_utime + u.ru_stime}")
"""
CLI = [sys.executable, "-c", WRAPPER, "build"]


def _tree_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _floor(folder: Path) -> tuple[float, float]:
    import papermill

    source = empty_notebook(folder)
    out = str(folder / "empty.out.ipynb")
    papermill.execute_notebook(str(source), out, progress_bar=False)  # warm
    cpu0, wall0 = time.process_time() + _tree_cpu(), time.perf_counter()
    papermill.execute_notebook(str(source), out, progress_bar=False)
    return time.process_time() + _tree_cpu() - cpu0, time.perf_counter() - wall0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the checkout to build with (A/B runs)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="build with this results cache, its executed notebooks removed first (every "
        "kernel runs) but its drawn SVGs and shared law results kept: a rebuild after a "
        "change that the law does not read (a scenario, a notebook)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="keep the executed reports in this folder"
    )
    args = parser.parse_args()
    from analysis.pipeline.layout import META_KEY

    print(f"code: {args.root}")
    print("load before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor_cpu, floor_wall = _floor(folder)
        peak_file = folder / "peak"
        env = dict(os.environ, TARIFF_REPORTS_CACHE="off", BENCH_PEAK_FILE=str(peak_file))
        if args.cache is not None:
            env["TARIFF_REPORTS_CACHE"] = str(args.cache)
            for entry in args.cache.glob("??/*"):
                entry.unlink()
        out = folder / "out" if args.out is None else args.out.resolve()
        cmd = [*CLI, *args.reports, "--jobs", str(args.jobs), "--out", str(out)]
        cpu0, wall0 = _tree_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=args.root, env=env, capture_output=True, text=True)
        wall, cpu = time.perf_counter() - wall0, _tree_cpu() - cpu0
        if proc.returncode:
            print(proc.stdout, proc.stderr)
        kernels = {}
        for path in sorted(out.glob("*.ipynb")):
            meta = nbformat.read(path, as_version=4).metadata.get(META_KEY, {})
            kernels[path.stem] = (meta.get("kernel_cpu_seconds"), meta.get("kernel_peak_rss_mb"))
        peak_kb, builder_cpu = peak_file.read_text().split()
        n = len(kernels)
    print("load after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    kernel_cpu = sum(c for c, _ in kernels.values() if c)
    floor = math.ceil(n / args.jobs) * floor_wall
    print(f"floor (papermill in-process, empty notebook): CPU {floor_cpu:.2f} s, ", end="")
    print(f"wall {floor_wall:.2f} s")
    cache = "cache off" if args.cache is None else "results cache emptied, shared results kept"
    print(f"build of {n} report(s), --jobs {args.jobs}, {cache}: ", end="")
    print(f"CPU {cpu:.2f} s, wall {wall:.2f} s")
    print(f"  kernels' CPU {kernel_cpu:.2f} s; ", end="")
    print(f"the rest (builder, fork server, workers) {cpu - kernel_cpu:.2f} s")
    print(f"  builder CPU {float(builder_cpu):.2f} s, peak memory {int(peak_kb) / 1024:.0f} MB")
    print(f"  CPU / {args.jobs} cores against ceil({n}/{args.jobs}) x floor wall: ", end="")
    print(f"{cpu / args.jobs / floor:.2f}; wall ratio {wall / floor:.2f}")
    for name, (c, mb) in kernels.items():
        print(f"  {name:<24} kernel CPU {c or 0:6.2f} s  peak {mb or 0:5.0f} MB")


if __name__ == "__main__":
    main()
