"""The notebook's own work, cell by cell, in this process: where a report's kernel time goes.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/profile_cells.py japan_deal_15 [--cprofile N] [--repeat]

Runs the report's notebook (its parameters as the build injects them) cell by cell in an
IPython shell in this process, with the kernels' environment, and prints each cell's wall and
CPU seconds and its first line. ``--cprofile N`` also prints the N functions with the largest
cumulative time over the whole notebook. ``--repeat`` runs the notebook a second time in the
same process (what a cached or shared computation saves shows as the difference).
As in a build kernel, the line engine's day-free steps are shared (``pipeline.kernel_steps``);
``--unshared`` runs without.
The load average is printed before and after: on a shared machine read the CPU seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cells(name: str) -> list[str]:
    import jupytext

    from analysis.cli.reports import resolve_runs

    [run] = resolve_runs([name])
    nb = jupytext.read(run.notebook_path, fmt="py:percent")
    codes = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        codes.append(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            codes.append("\n".join(f"{k} = {v!r}" for k, v in run.parameters.items()))
    return codes


def run_notebook(name: str, profiler: cProfile.Profile | None) -> list[tuple[float, float, str]]:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    rows = []
    os.chdir(ROOT / "notebooks")
    for source in _cells(name):
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        result = shell.run_cell(source, silent=False, store_history=False)
        if profiler is not None:
            profiler.disable()
        result.raise_error()
        first = next((ln for ln in source.splitlines() if ln and not ln.startswith("#")), "")
        rows.append((time.perf_counter() - wall, time.process_time() - cpu, first[:70]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--repeat", action="store_true")
    parser.add_argument("--unshared", action="store_true", help="no kernel_steps table")
    args = parser.parse_args()
    from analysis.pipeline.environment import kernel_env

    os.environ.update(kernel_env())
    if not args.unshared:  # as a build kernel runs: the line engine's day-free steps shared
        from analysis.pipeline import kernel_steps

        kernel_steps.load_ipython_extension(None)
    tmp = tempfile.mkdtemp()
    os.environ["TARIFF_REPORTS_SUMMARY_PATH"] = str(Path(tmp) / "summary.json")
    print("load before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), file=sys.stderr)
    profiler = cProfile.Profile() if args.cprofile else None
    out = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = out  # the cells' displays
    try:
        passes = [run_notebook(args.report, profiler)]
        if args.repeat:
            passes.append(run_notebook(args.report, None))
    finally:
        sys.stdout = real_stdout
    for i, rows in enumerate(passes):
        print(f"pass {i + 1}: {'wall s':>7} {'cpu s':>7}  cell")
        for wall, cpu, first in rows:
            print(f"        {wall:7.2f} {cpu:7.2f}  {first}")
        print(f"  total {sum(r[0] for r in rows):7.2f} {sum(r[1] for r in rows):7.2f}")
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
    print("load after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), file=sys.stderr)


if __name__ == "__main__":
    main()
