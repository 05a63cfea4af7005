"""Two builds' output folders, file by file: the same bytes but for what differs by construction.

Run from the repository root on two full builds (e.g. before and after a change)::

    .venv/bin/python benchmarks/compare_builds.py BEFORE_DIR AFTER_DIR

Every file under the folders is compared (``*.html``, ``*.ipynb``, ``index.html``, ``data/``'s
CSVs, dictionaries and pages), after masking only what two builds of the same inputs write
differently: the git commit of the stamp (40 hexadecimal digits), ``index.html``'s build times,
and in an executed notebook the execution timestamps, papermill's times, the build's seconds,
the temporary output path, the kernel's CPU and memory, object addresses in ``text/plain``
reprs, and the cell ids papermill records with the source notebook (``metadata.papermill``:
jupytext draws them at random). Prints each file that differs (a notebook with the first lines
of its difference) and the count; exits 1 if any differs.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

_COMMIT = re.compile(rb"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_BUILT = re.compile(rb"20\d\d-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?Z?( UTC)?")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
_TIMES = {
    "iopub.execute_input",
    "iopub.status.busy",
    "iopub.status.idle",
    "shell.execute_reply",
    "start_time",
    "end_time",
    "duration",
    "seconds",
    "output_path",
}
_BUILD_FACTS = ("cpu", "rss", "time", "built")


def _masked(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: "*" if k in keys else _masked(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, keys) for v in value]
    return value


def _notebook(data: bytes) -> Any:
    nb = json.loads(_ADDRESS.sub(" at 0x>", data.decode("utf-8")))
    meta = nb.get("metadata", {})
    meta["papermill"] = _masked(meta.get("papermill", {}), _TIMES | {"id"})
    facts = meta.get("tariff_reports", {})
    for key in list(facts):
        if any(word in key for word in _BUILD_FACTS):
            facts[key] = "*"
    return _masked(nb, _TIMES)


def differs(before: Path, after: Path) -> list[str]:
    """What differs between the two files (empty when they are the same), as lines."""
    x = _COMMIT.sub(b"COMMIT", before.read_bytes())
    y = _COMMIT.sub(b"COMMIT", after.read_bytes())
    if x == y:
        return []
    if before.suffix == ".ipynb":
        a, b = _notebook(x), _notebook(y)
        if a == b:
            return []
        lines = difflib.unified_diff(
            json.dumps(a, indent=1).splitlines(), json.dumps(b, indent=1).splitlines(), lineterm=""
        )
        return list(lines)[:20] or ["(differs)"]
    if before.name == "index.html" and _BUILT.sub(b"D", x) == _BUILT.sub(b"D", y):
        return []
    return ["(differs)"]


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    others = {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    bad = len(names ^ others)
    for name in sorted(names ^ others):
        print(f"only in one folder: {name}")
    for name in sorted(names & others):
        lines = differs(before / name, after / name)
        if lines:
            bad += 1
            print(f"DIFF {name}", *lines, sep="\n")
    print(f"{len(names & others)} files compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
