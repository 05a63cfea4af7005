"""Where a build's time goes, per report: kernel start, imports, model work, rendering, publishing.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/profile_build.py [--jobs N] [--out FILE]

Builds every report run once to warm the environment, then again into a fresh folder, in this
process (so rendering and publishing can be timed), with the results cache off (every kernel
runs). Per report it prints, in seconds:

* ``kernel``: kernel start and shutdown plus papermill's own work (execution time minus the
  time spent in cells);
* ``imports``: the cells before the ``parameters`` cell (the notebook's imports);
* ``model``: every cell after it (inputs, model, tables and charts);
* ``render``: nbconvert to the offline HTML page;
* ``publish``: stamping, writing and renaming the files (the rest of the builder's work).

The table is also written to ``FILE`` (default ``benchmarks/output/profile.txt``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("kernel", "imports", "model", "render", "publish", "total")


def cell_split(nb: Any) -> tuple[float, float]:
    """Seconds in the cells before the parameters cell, and after it."""
    before = after = 0.0
    seen_parameters = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            seen_parameters = True
            continue
        duration = float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
        if seen_parameters:
            after += duration
        else:
            before += duration
    return before, after


def _timed(store: dict[str, float], key_of: Callable[..., str], fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            key = key_of(*args, **kwargs)
            store[key] = store.get(key, 0.0) + time.perf_counter() - started

    return wrapper


def profile(jobs: int) -> tuple[list[dict[str, Any]], float]:
    from analysis.pipeline import render
    from analysis.pipeline.build import build_reports
    from analysis.pipeline.layout import META_KEY
    from analysis.pipeline.runs import list_runs

    runs = list_runs()
    renders: dict[str, float] = {}
    render.render_string = _timed(renders, lambda nb, title: title, render.render_string)
    with tempfile.TemporaryDirectory() as tmp:
        build_reports(runs, Path(tmp) / "warmup", jobs=jobs)
        renders.clear()
        started = time.perf_counter()
        results = build_reports(runs, Path(tmp) / "out", jobs=jobs)
        wall = time.perf_counter() - started
        rows = []
        for result in results:
            nb = nbformat.read(Path(tmp) / "out" / f"{result.run.name}.ipynb", as_version=4)
            executed = float(nb.metadata[META_KEY]["seconds"])
            imports, model = cell_split(nb)
            rendered = renders.get(result.run.title, 0.0)
            rows.append(
                {
                    "report": result.run.name,
                    "kernel": executed - imports - model,
                    "imports": imports,
                    "model": model,
                    "render": rendered,
                    "publish": result.seconds - executed - rendered,
                    "total": result.seconds,
                }
            )
    return rows, wall


def table(rows: list[dict[str, Any]], wall: float, jobs: int) -> str:
    lines = [f"{'report':<22}" + "".join(f"{c:>9}" for c in COLUMNS)]
    for row in rows:
        lines.append(f"{row['report']:<22}" + "".join(f"{row[c]:9.2f}" for c in COLUMNS))
    sums = {c: sum(r[c] for r in rows) for c in COLUMNS}
    lines.append(f"{'sum':<22}" + "".join(f"{sums[c]:9.2f}" for c in COLUMNS))
    lines.append(f"wall time of the build ({len(rows)} reports, {jobs} workers): {wall:.2f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "output" / "profile.txt")
    args = parser.parse_args(argv)
    os.environ["TARIFF_REPORTS_CACHE"] = "off"  # every kernel runs: this profiles the work
    rows, wall = profile(args.jobs)
    text = table(rows, wall, args.jobs)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":  # the build's worker processes import this module again
    main()
