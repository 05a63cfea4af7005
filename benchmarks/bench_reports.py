"""Build speed against the floors the tools set, measured in one run (ratios, not timed tests).

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_reports.py

Prints, on a warm environment (one warm-up build first):

1. the full build of every report run (``--no-cache``: every kernel runs) against
   ceil(reports / cores) x papermill executing an empty notebook in-process;
2. one report rebuilt (``tariff-reports build japan_deal_15 --jobs 1 --no-cache``) against
   ``papermill`` CLI on an empty notebook followed by ``jupyter nbconvert --to html``;
3. both again with a warm results cache (nothing changed since the last build).
"""

from __future__ import annotations

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
CLI = [sys.executable, "-m", "analysis", "build"]
ONE = "japan_deal_15"


def seconds(action: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = empty_notebook(folder)
        out_nb = str(folder / "empty.out.ipynb")

        def in_process() -> None:
            papermill.execute_notebook(str(source), out_nb, progress_bar=False)

        def two_commands() -> None:
            run([str(BIN / "papermill"), str(source), out_nb])
            run([str(BIN / "jupyter"), "nbconvert", "--to", "html", out_nb])

        in_process()  # warm the kernel spec and imports
        floor = seconds(in_process)
        naive = seconds(two_commands)
        env = dict(os.environ, TARIFF_REPORTS_CACHE=str(folder / "cache"))
        run([*CLI, "--out", str(folder / "warmup")], env)  # warm-up; fills the cache
        n = len(list((folder / "warmup").glob("*.html"))) - 1  # the index is not a report
        full = seconds(lambda: run([*CLI, "--no-cache", "--out", str(folder / "full")]), 1)
        one = seconds(
            lambda: run([*CLI, ONE, "--jobs", "1", "--no-cache", "--out", str(folder / "full")])
        )
        full_cached = seconds(lambda: run([*CLI, "--out", str(folder / "cached")], env), 1)
        one_cached = seconds(
            lambda: run([*CLI, ONE, "--jobs", "1", "--out", str(folder / "cached")], env)
        )
    full_floor = math.ceil(n / cores) * floor
    print(f"papermill in-process, empty notebook:      {floor:6.2f} s")
    print(f"papermill CLI + nbconvert CLI, empty:      {naive:6.2f} s")
    print(
        f"full build, {n} reports, {cores} cores, no cache: {full:6.2f} s  "
        f"ratio {full / full_floor:.2f} to ceil({n}/{cores}) x floor = {full_floor:.2f} s"
    )
    print(f"one report rebuilt ({ONE}), no cache: {one:6.2f} s  ratio {one / naive:.2f} to naive")
    print(
        f"full build, warm cache:                   {full_cached:6.2f} s  "
        f"ratio {full_cached / full_floor:.2f}"
    )
    print(
        f"one report rebuilt, warm cache:           {one_cached:6.2f} s  "
        f"ratio {one_cached / naive:.2f}"
    )


if __name__ == "__main__":
    main()
