"""Wall time of building every report with 1 and with 2 workers, against papermill's floor.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/bench_reports.py

Prints: the time papermill needs to execute an empty notebook in this environment (the
kernel start-up floor), the wall time of ``tariff-reports build`` for all report runs with
``--jobs 1`` and ``--jobs 2`` (warm environment: each build runs in a fresh output folder
after one warm-up build), and the size of every HTML report.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "analysis", "build"]


def empty_notebook_seconds(folder: Path) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("pass"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = folder / "empty.ipynb"
    nbformat.write(nb, source)
    start = time.perf_counter()
    papermill.execute_notebook(str(source), str(folder / "empty.out.ipynb"), progress_bar=False)
    return time.perf_counter() - start


def build_seconds(jobs: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*CLI, "--jobs", str(jobs), "--out", str(out)], cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty_notebook_seconds(folder)  # warm the kernel spec and imports
        floor = empty_notebook_seconds(folder)
        build_seconds(2, folder / "warmup")
        one = build_seconds(1, folder / "jobs1")
        two = build_seconds(2, folder / "jobs2")
        reports = sorted((folder / "jobs2").glob("*.html"))
        print(f"papermill, empty notebook:          {floor:6.2f} s")
        print(f"build all {len(reports) - 1} reports, 1 worker:  {one:6.2f} s")
        n = len(reports) - 1  # the index page is not a report
        print(f"build all {n} reports, 2 workers: {two:6.2f} s  (speed-up {one / two:.2f}x)")
        print("\nHTML sizes:")
        for path in reports:
            print(f"  {path.name:<32} {path.stat().st_size / 1e3:9,.0f} kB")


if __name__ == "__main__":
    main()
