"""The builder's publishing steps, old way against new, on a build's executed notebooks (CPU).

Run from the repository root (after ``make setup``) on a full build's output folder::

    .venv/bin/python benchmarks/builder_publish.py OUT_DIR [--repeats 5]

Each pair is measured in this one process, alternately, ``--repeats`` times (the median is
printed), so that a machine shared with other work inflates both sides alike:

* ``first render``: the first page a fresh exporter renders, its templates compiled by Jinja
  against read back from the assets folder's bytecode cache (``render.template_bytecode_cache``);
* ``end of build``: CPU and wall seconds of ``write_index`` on a copy of the folder whose data
  folders are not yet written (before: the index wrote them all, at the end of the build) and
  on one whose data folders were written as each report was published (after).
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from analysis.pipeline import render
from analysis.pipeline.index import write_data, write_index
from analysis.pipeline.nbio import read_nb


def _cpu(step: Callable[[], object]) -> float:
    started = time.process_time()
    step()
    return time.process_time() - started


def _median_pair(old: Callable[[], object], new: Callable[[], object], repeats: int) -> str:
    olds, news = [], []
    for _ in range(repeats):
        olds.append(_cpu(old))
        news.append(_cpu(new))
    a, b = statistics.median(olds), statistics.median(news)
    return f"before {a:.3f} s, after {b:.3f} s (CPU, median of {repeats})"


def _render_pair(folder: Path, repeats: int) -> str:
    nb = read_nb(sorted(folder.glob("*.ipynb"))[0])
    render.exporter()  # imports and the Vega bundle, out of the measure

    def first_page(cached: bool) -> Callable[[], object]:
        def step() -> object:
            exporter = render._exporter_class()(config=render.exporter_config())
            if not cached:
                exporter.environment.bytecode_cache = None
            return exporter.from_notebook_node(copy.deepcopy(nb), {"metadata": {"name": "x"}})

        return step

    first_page(True)()  # the cache filled
    return "first render, fresh exporter: " + _median_pair(
        first_page(False), first_page(True), repeats
    )


def _index_pair(folder: Path) -> str:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, at_publish in (("before", False), ("after", True)):
            out = Path(tmp) / label
            out.mkdir()
            for path in sorted(folder.glob("*.ipynb")):
                shutil.copy(path, out / path.name)
                shutil.copy(path.with_suffix(".html"), out / f"{path.stem}.html")
                if at_publish:  # as publishing now does, report by report
                    write_data(out, path.stem, json.loads(path.read_bytes()))
            cpu, wall = time.process_time(), time.perf_counter()
            write_index(out)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            lines.append(f"{label} {cpu:.3f} s CPU, {wall:.3f} s wall")
    return "end of build (write_index): " + "; ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(_render_pair(args.folder, args.repeats))
    print(_index_pair(args.folder))


if __name__ == "__main__":
    main()
