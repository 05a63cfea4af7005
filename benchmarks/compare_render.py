"""The builder's render and notebook writer against nbconvert's and nbformat's, on built reports.

Run from the repository root on a build's output folder (its executed ``*.ipynb``)::

    .venv/bin/python benchmarks/compare_render.py OUT_DIR

For every executed notebook: the page ``analysis.pipeline.render`` renders, printed by
BeautifulSoup, must be the page nbconvert's stock ``HTMLExporter`` renders (which prints its
page through BeautifulSoup), byte for byte; ``nbio.notebook_bytes`` must be what
``nbformat.writes`` gives. Prints each report's result, the raw size difference and the CPU
seconds of each way.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from analysis.pipeline import render
from analysis.pipeline.layout import META_KEY
from analysis.pipeline.nbio import notebook_bytes, read_nb


def main() -> int:
    folder = Path(sys.argv[1])
    stock = HTMLExporter(config=render.exporter_config())  # type: ignore[no-untyped-call]
    cpu = {"stock render": 0.0, "our render": 0.0, "nbformat.writes": 0.0, "notebook_bytes": 0.0}
    failures = 0
    for path in sorted(folder.glob("*.ipynb")):
        nb = read_nb(path)
        title = str(nb.metadata.get(META_KEY, {}).get("title", path.stem))
        started = time.process_time()
        written = (nbformat.writes(nb) + "\n").encode("utf-8")  # type: ignore[no-untyped-call]
        cpu["nbformat.writes"] += time.process_time() - started
        started = time.process_time()
        ours_bytes = notebook_bytes(nb)
        cpu["notebook_bytes"] += time.process_time() - started
        node = copy.deepcopy(nb)
        node.metadata["title"] = title
        started = time.process_time()
        theirs, _ = stock.from_notebook_node(node, resources={"metadata": {"name": title}})
        cpu["stock render"] += time.process_time() - started
        started = time.process_time()
        ours = render.render_string(nb, title, consume=True)
        cpu["our render"] += time.process_time() - started
        same_page = str(BeautifulSoup(ours, features="html.parser")) == theirs
        failures += not same_page or ours_bytes != written
        print(
            f"{path.stem:<24} page: {'same' if same_page else 'DIFFERENT'} as printed "
            f"(raw {len(ours.encode()) - len(theirs.encode()):+d} bytes); notebook bytes: "
            f"{'same' if ours_bytes == written else 'DIFFERENT'}"
        )
    print("CPU seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
