"""CPU seconds of the law's line stacking as a build computes it, and of reading it back.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_stacking.py [--root CHECKOUT]

The cases are those of a build: the law on every change day from December 2024 (the
backcast's first law) to the last day checked, and every shipped scenario (USMCA claimed). In
one process with the kernels' table of shared steps open (``pipeline.kernel_steps``), it
times: the line stacking (``line_regimes.line_stacking``), its compact form
(``RowStacking.of``, what a kernel stores for the others), the cells of a region report (no
split) from the stacking just computed, and what a country's partner report does on each day
(the stored stacking read back and summed into cells with the country split out). Each figure
is the CPU seconds of all cases one after the other (``time.process_time``; the table fills
as it goes, as in a kernel), the median of ``--repeat`` fresh processes. ``--root`` runs the
code of another checkout (an A/B run: ``git archive <commit> | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import datetime as dt, pickle, time
from analysis.inputs.bundle import load_inputs
from analysis.inputs.shared import dumps
from analysis.policy import line_steps
from analysis.policy.line_regimes import cell_schedule, line_stacking, stacked_cells
from analysis.policy.regimes import resolve
from analysis.policy.row_stacking import RowStacking
from analysis.policy.stacking import active_on
from analysis.questions.timeline import change_days

inputs = load_inputs()
lines, lists = inputs.lines.get(), inputs.lines.product_lists()
inputs.lines.usmca()
last = inputs.law_status.known_through
days = change_days(inputs.measures.values(), dt.date(2024, 12, 1), last, lists)
cases = [(d, active_on(inputs.measures.values(), d)) for d in days]
cases += [(s.regime_date, resolve(s, inputs.measures)) for _, s in sorted(inputs.scenarios.items())]
line_steps.open_table(line_steps.DAY_FREE_STEPS)
t = {"stack": 0.0, "pack": 0.0, "cells": 0.0, "read": 0.0}
for day, active in cases:
    c = time.process_time()
    schedule = line_stacking(day, inputs.lines, active)
    t["stack"] += time.process_time() - c
    c = time.process_time()
    blob = dumps(RowStacking.of(schedule))
    t["pack"] += time.process_time() - c
    c = time.process_time()
    cell_schedule(schedule, active, ())
    t["cells"] += time.process_time() - c
    c = time.process_time()
    stacked_cells(lines, pickle.loads(blob), active, ("KOR",))
    t["read"] += time.process_time() - c
print(len(cases), *t.values())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=args.root, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(done.stderr)
        runs.append(done.stdout.split())
    n = runs[0][0]
    stack, pack, cells, read = (statistics.median(float(r[k]) for r in runs) for k in range(1, 5))
    print(f"code: {args.root}; {n} stackings (change days since 2024-12-01, shipped scenarios)")
    print(f"  line stacking        {float(stack):6.2f} s CPU")
    print(f"  RowStacking.of       {float(pack):6.2f} s CPU (kept for the other kernels)")
    print(f"  cells, no split      {float(cells):6.2f} s CPU (from the stacking computed)")
    print(f"  read back, KOR split {float(read):6.2f} s CPU (a country report's day)")
    total = float(stack) + float(pack) + float(cells) + float(read)
    print(f"  total                {total:6.2f} s CPU (median of {args.repeat})")


if __name__ == "__main__":
    main()
