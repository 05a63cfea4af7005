"""Build speed against the floors the tools set, measured in one run (ratios, not timed tests).

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_reports.py [--one-only]

Prints, on a warm environment (one warm-up build first):

1. the full build of every report run (``--no-cache``: every kernel runs) against
   ceil(reports / cores) x papermill executing an empty notebook in-process;
2. one report rebuilt (``tariff-reports build japan_deal_15 --jobs 1 --no-cache``) against
   ``papermill`` CLI on an empty notebook followed by ``jupyter nbconvert --to html``;
3. both again with a warm results cache (nothing changed since the last build);
4. the peak resident memory of the builder process (the full build, no cache) and of each
   report's kernel (recorded by its worker when it reaps the kernel).

Timings are medians of ``--repeats`` runs (the full builds: of ``--full-repeats``), each with
its spread, so a noisy machine shows itself, and the load average is printed before and after.
``--one-only`` measures item 2 alone, with the CPU seconds of each command's whole process tree
beside its wall time (a busy machine inflates CPU seconds far less than wall seconds).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ONE = "japan_deal_15"
# The command line, recording the builder's own peak memory (KiB) in $BENCH_PEAK_FILE.
PEAK_WRAPPER = """
import os, resource, runpy, sys
sys.argv = ["tariff-reports", *sys.argv[1:]]
try:
    runpy.run_module("analysis", run_name="__main__")
finally:
    with open(os.environ["BENCH_PEAK_FILE"], "w") as f:
        f.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""
CLI = [sys.executable, "-c", PEAK_WRAPPER, "build"]
SPREADS: dict[str, float] = {}


def seconds(action: Callable[[], object], repeats: int = 3, label: str = "") -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    SPREADS[label] = max(times) - min(times)
    return statistics.median(times)


def kernel_peaks_mb(folder: Path) -> dict[str, float]:
    from analysis.pipeline.layout import META_KEY

    peaks = {}
    for path in sorted(folder.glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get(META_KEY, {})
        if meta.get("kernel_peak_rss_mb") is not None:
            peaks[path.stem] = float(meta["kernel_peak_rss_mb"])
    return peaks


def empty_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("pass"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = folder / "empty.ipynb"
    nbformat.write(nb, source)
    return source


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=env)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def line(
    label: str, values: list[float], floor: str = "", ratios: list[float] | None = None
) -> str:
    text = f"{label:<46}{statistics.median(values):7.2f} s (spread {max(values) - min(values):.2f})"
    if ratios:
        text += f"  ratio {statistics.median(ratios):.2f} to {floor} (paired, median)"
        text += f" [{', '.join(f'{r:.2f}' for r in ratios)}]"
    return text


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and their own."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_report_only(repeats: int) -> None:
    """``--one-only``: the naive two commands and one report, paired, wall and CPU seconds
    (the whole process tree's, which a busy machine inflates far less than wall time)."""
    wall: dict[str, list[float]] = {"naive": [], "one": []}
    cpu: dict[str, list[float]] = {"naive": [], "one": []}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = empty_notebook(folder)
        out_nb = str(folder / "empty.out.ipynb")
        env = dict(os.environ, TARIFF_REPORTS_CACHE="off", BENCH_PEAK_FILE=str(folder / "peak"))
        commands = {
            "naive": [
                [str(BIN / "papermill"), str(source), out_nb],
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", out_nb],
            ],
            "one": [[*CLI, ONE, "--jobs", "1", "--out", str(folder / "one")]],
        }
        for cmd in commands["naive"]:
            run(cmd, env)  # warm the file caches
        for _ in range(repeats):
            for key, cmds in commands.items():
                started, cpu0 = time.perf_counter(), children_cpu()
                for cmd in cmds:
                    run(cmd, env)
                wall[key].append(time.perf_counter() - started)
                cpu[key].append(children_cpu() - cpu0)
    print(
        "load average before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *os.getloadavg()
        )
    )
    for key, label in (
        ("naive", "papermill CLI + nbconvert CLI, empty (naive)"),
        ("one", f"one report ({ONE}), --jobs 1, no cache"),
    ):
        print(line(label + ", wall", wall[key]) + f"   CPU {statistics.median(cpu[key]):.2f} s")
    pairs = zip(wall["one"], wall["naive"], strict=True)
    cpu_pairs = zip(cpu["one"], cpu["naive"], strict=True)
    print("ratio one/naive, wall (paired): " + ", ".join(f"{a / b:.2f}" for a, b in pairs))
    print("ratio one/naive, CPU (paired):  " + ", ".join(f"{a / b:.2f}" for a, b in cpu_pairs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--full-repeats", type=int, default=1)
    parser.add_argument("--one-only", action="store_true", help="only one report against naive")
    args = parser.parse_args()
    if args.one_only:
        one_report_only(args.repeats)
        return
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}

    def add(key: str, value: float) -> float:
        times.setdefault(key, []).append(value)
        return value

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = empty_notebook(folder)
        out_nb = str(folder / "empty.out.ipynb")
        peak_file = folder / "builder_peak"
        no_cache = dict(os.environ, TARIFF_REPORTS_CACHE="off", BENCH_PEAK_FILE=str(peak_file))
        cached = dict(no_cache, TARIFF_REPORTS_CACHE=str(folder / "cache"))

        def in_process() -> None:
            papermill.execute_notebook(str(source), out_nb, progress_bar=False)

        def two_commands() -> None:
            run([str(BIN / "papermill"), str(source), out_nb])
            run([str(BIN / "jupyter"), "nbconvert", "--to", "html", out_nb])

        in_process()  # warm the kernel spec and imports
        run([*CLI, "--out", str(folder / "warmup")], cached)  # warm-up; fills the cache
        n = len(list((folder / "warmup").glob("*.html"))) - 1  # the index is not a report
        builder_peak = 0
        for r in range(args.repeats):
            floor = add("floor", timed(in_process))
            naive = add("naive", timed(two_commands))
            one_cmd = [*CLI, ONE, "--jobs", "1", "--out", str(folder / "one")]
            one = add("one", timed(lambda: run(one_cmd, no_cache)))  # noqa: B023
            ratios.setdefault("one", []).append(one / naive)
            if r < args.full_repeats:
                full = add(
                    "full", timed(lambda: run([*CLI, "--out", str(folder / "full")], no_cache))
                )
                builder_peak = max(builder_peak, int(peak_file.read_text()))
                ratios.setdefault("full", []).append(full / (math.ceil(n / cores) * floor))
            add(
                "one_cached",
                timed(lambda: run([*CLI, ONE, "--jobs", "1", "--out", str(folder / "c")], cached)),
            )
        full_cached = add(
            "full_cached", timed(lambda: run([*CLI, "--out", str(folder / "c")], cached))
        )
        kernels = kernel_peaks_mb(folder / "full")
    floor = statistics.median(times["floor"])
    print(
        "load average before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *os.getloadavg()
        )
    )
    full_floor = math.ceil(n / cores) * floor
    print(line("papermill in-process, empty notebook (floor)", times["floor"]))
    print(line("papermill CLI + nbconvert CLI, empty (naive)", times["naive"]))
    print(line(f"one report ({ONE}), --jobs 1, no cache", times["one"], "naive", ratios["one"]))
    print(
        line(
            f"full build, {n} reports, {cores} cores, no cache",
            times["full"],
            f"ceil({n}/{cores}) x floor",
            ratios["full"],
        )
    )
    print(line("one report, warm cache", times["one_cached"]))
    print(
        line("full build, warm cache", times["full_cached"])
        + f"  ratio {full_cached / full_floor:.2f}"
    )
    print(f"peak memory of the builder (full build, no cache): {builder_peak / 1024:.0f} MB")
    if kernels:
        print(
            f"peak memory of each kernel: max {max(kernels.values()):.0f} MB, median "
            f"{statistics.median(kernels.values()):.0f} MB over {len(kernels)} kernels"
        )
        for name, mb in kernels.items():
            print(f"  {name:<24}{mb:6.0f} MB")


if __name__ == "__main__":
    main()
