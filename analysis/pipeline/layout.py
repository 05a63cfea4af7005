"""The output folder layout of a build, shared by the builder and the index page.

For a run named ``r`` (the stem of ``params/reports/r.yaml``)::

    r.html           the report (last good build)
    r.ipynb          the executed notebook it was rendered from
    r.failed.ipynb   the executed notebook of the latest attempt, if that attempt failed
    index.html       links to every report found in the folder

Files starting with a dot are temporaries of a build in progress (or of a killed one).
Build facts go into the notebook metadata under :data:`META_KEY`.
"""

from __future__ import annotations

import re
from pathlib import Path

# Run names become file names and links; keep them plain and off our own suffixes.
RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
RESERVED_NAMES = frozenset({"index"})
META_KEY = "tariff_reports"
INDEX_NAME = "index.html"
FAILED_SUFFIX = ".failed.ipynb"


def html_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.html"


def ipynb_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.ipynb"


def failed_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}{FAILED_SUFFIX}"


def is_run_name(name: str) -> bool:
    """True for a name a run may have (letters, digits, ``_``, ``-``; not ``index``)."""
    return RUN_NAME.fullmatch(name) is not None and name not in RESERVED_NAMES


def report_names(out_dir: Path) -> list[str]:
    """Names of runs with an executed notebook (good or failed) in ``out_dir``, sorted.

    Files whose name no run can have (a foreign ``javascript:x.ipynb``, say) are ignored.
    """
    names: set[str] = set()
    for path in out_dir.glob("*.ipynb"):
        name = path.name
        name = name[: -len(FAILED_SUFFIX)] if name.endswith(FAILED_SUFFIX) else path.stem
        if is_run_name(name):
            names.add(name)
    return sorted(names)
