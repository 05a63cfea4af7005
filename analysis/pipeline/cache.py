"""Content-addressed cache of executed report notebooks, shared by builds.

A report run is a pure function of its notebook, its parameters, the files they name, the params
folder (measures, scenarios, elasticities, markets), the shipped data, the ``analysis`` source
code and the versions of the libraries that shape its outputs. The cache key is the SHA-256 of
all of them, so an entry can never be stale: change any byte and the key changes. Only
successful executions are stored; rendering, stamping and publishing always run again.

Where: ``$TARIFF_REPORTS_CACHE`` (a folder, or ``off``), else ``$XDG_CACHE_HOME/tariff-reports``
(``~/.cache/tariff-reports``). Entries are written atomically, so concurrent builds can share
the folder; deleting the folder is always safe.

Finer-grained caching (one solution shared by the kernels of a build) is not worth it here: a
scenario solves in about 5 ms and loading the inputs takes about 0.1 s per kernel, against
about 1 s to start a kernel and import the notebook's libraries.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from analysis.atomic import atomic_write_bytes
from analysis.inputs.paths import DATA_DIR, PACKAGE_DIR, PROJECT_DIR, params_dir
from analysis.pipeline.runs import ReportRun

CACHE_ENV = "TARIFF_REPORTS_CACHE"
OFF_VALUES = {"off", "0", "no", "false", "none"}
# Bump when the stored layout or what a key covers changes.
FORMAT = "tariff-reports-cache-1"
# Libraries whose version can change an executed notebook's outputs.
LIBRARIES = (
    "tariff-reports",
    "numpy",
    "scipy",
    "pandas",
    "altair",
    "vl-convert-python",
    "papermill",
    "nbformat",
    "nbclient",
    "ipykernel",
    "ipython",
    "jupytext",
)


def cache_dir() -> Path | None:
    """The cache folder, or None when ``$TARIFF_REPORTS_CACHE`` turns the cache off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in OFF_VALUES or not value.strip() else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tariff-reports"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _hash_tree(digest: hashlib._Hash, root: Path, pattern: str, skip: tuple[str, ...]) -> None:
    for path in sorted(root.rglob(pattern)):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or relative.startswith(skip) or "__pycache__" in relative:
            continue
        digest.update(f"\0{relative}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())


def environment_digest(params: Path | None = None, data_dir: Path = DATA_DIR) -> str:
    """The hash of everything shared by the runs of one build (computed once per build)."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(f"\0python {sys.version}\0".encode())
    for name in LIBRARIES:
        digest.update(f"\0{name}=={_version(name)}".encode())
    digest.update(b"\0analysis")
    _hash_tree(digest, PACKAGE_DIR, "*.py", ())
    _hash_tree(digest, PACKAGE_DIR / "pipeline" / "templates", "*", ())
    digest.update(b"\0data")
    _hash_tree(digest, data_dir, "*", ())
    digest.update(b"\0params")
    # Run specs only name notebooks and parameters, which every key covers directly.
    _hash_tree(digest, (params or params_dir()).resolve(), "*", ("reports/",))
    return digest.hexdigest()


def _named_files(run: ReportRun) -> list[Path]:
    """Files a parameter value names (a market file, say): their contents count too."""
    found = []
    for value in run.effective_parameters.values():
        if not isinstance(value, str) or not value or len(value) > 4096:
            continue
        for base in (Path.cwd(), PROJECT_DIR, run.notebook_path.parent):
            candidate = base / value
            if candidate.is_file():
                found.append(candidate.resolve())
    return sorted(set(found))


def run_key(run: ReportRun, environment: str) -> str:
    """The cache key of one run: ``environment`` (see above) plus what is the run's own."""
    digest = hashlib.sha256(environment.encode())
    digest.update(b"\0notebook\0" + run.notebook_path.read_bytes())
    params = json.dumps(dict(run.effective_parameters), sort_keys=True, default=repr)
    digest.update(b"\0parameters\0" + params.encode())
    for path in _named_files(run):
        digest.update(f"\0file {path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    executed: Path  # the executed notebook, as papermill wrote it
    summary: Path  # the run's summary JSON (may be empty: no summary recorded)


class ResultsCache:
    """Executed notebooks by key, in ``root/<key[:2]>/<key>.{ipynb,summary.json}``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _entry(self, key: str) -> Entry:
        folder = self.root / key[:2]
        return Entry(folder / f"{key}.ipynb", folder / f"{key}.summary.json")

    def get(self, key: str) -> Entry | None:
        entry = self._entry(key)
        # The summary is written last, so its presence means the entry is complete.
        if entry.summary.is_file() and entry.executed.is_file():
            return entry
        return None

    def put(self, key: str, executed: Path, summary: Path) -> Entry:
        """Store copies of a successful run's files (atomically; the last writer wins)."""
        entry = self._entry(key)
        entry.executed.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(entry.executed, executed.read_bytes())
        summary_bytes = summary.read_bytes() if summary.is_file() else b""
        atomic_write_bytes(entry.summary, summary_bytes)
        return entry
