"""Two full builds' outputs compared: what a change must leave the same.

Run from the repository root on two builds' output folders (cache off, same inputs)::

    .venv/bin/python benchmarks/compare_builds.py BEFORE_DIR AFTER_DIR

Each executed notebook's cells (sources and outputs, the charts' SVG copies included, with only
object addresses in reprs such as ``<... at 0x7f...>`` masked) must be the same; the notebooks'
run metadata (execution times, kernel CPU, cell ids papermill gives its input) differ from run
to run and are not compared. The report pages and the data folder (``data/``) must be the same
byte for byte; the index page but for its build times. Prints the counts and what differs;
exits 1 if anything does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ADDRESS = re.compile(r" at 0x[0-9a-f]+")
BUILD_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{4}-\d\d-\d\d \d\d:\d\d UTC")
SVG_MIME = "image/svg+xml"


def _cells(path: Path) -> list[tuple[str, str, list[dict[str, object]]]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], c["source"], c.get("outputs") or []) for c in nb["cells"]]


def _svgs(cells: list[tuple[str, str, list[dict[str, object]]]]) -> list[object]:
    found = []
    for _, _, outputs in cells:
        for output in outputs:
            data = output.get("data")
            if isinstance(data, dict) and SVG_MIME in data:
                found.append(data[SVG_MIME])
    return found


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    differing, svgs, same_svgs = [], 0, 0
    notebooks = sorted(before.glob("*.ipynb"))
    for path in notebooks:
        old, new = _cells(path), _cells(after / path.name)
        if ADDRESS.sub(" at 0x", json.dumps(old)) != ADDRESS.sub(" at 0x", json.dumps(new)):
            differing.append(path.name)
        pairs = list(zip(_svgs(old), _svgs(new), strict=False))
        svgs += len(pairs)
        same_svgs += sum(a == b for a, b in pairs)
    print(f"notebooks whose cells differ: {len(differing)} of {len(notebooks)} {differing}")
    print(f"SVG copies byte for byte the same: {same_svgs} of {svgs}")
    index = before / "index.html"
    files = [p for p in [*before.glob("*.html"), *before.rglob("data/**/*")] if p.is_file()]
    files = [p for p in files if p != index]
    changed = [
        str(p) for p in files if p.read_bytes() != (after / p.relative_to(before)).read_bytes()
    ]
    print(f"pages and data files (index aside): {len(files)}, differing: {changed}")
    same_index = BUILD_TIME.sub("T", index.read_text(encoding="utf-8")) == BUILD_TIME.sub(
        "T", (after / "index.html").read_text(encoding="utf-8")
    )
    print(f"index.html the same but for its build times: {same_index}")
    return 0 if not differing and same_svgs == svgs and not changed and same_index else 1


if __name__ == "__main__":
    sys.exit(main())
