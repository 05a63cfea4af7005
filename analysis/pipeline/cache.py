"""Content-addressed cache of executed report notebooks, shared by builds.

A report run is a pure function of its notebook, its parameters, the params folder (measures,
scenarios, elasticities, markets: every file a parameter can name lives there), the shipped
data, the ``analysis`` code and the versions of the libraries that shape its outputs. The key
is the SHA-256 of exactly the bytes the run reads: the build reads the params folder, the data
and the notebook once (``analysis.pipeline.snapshot``), its kernels read those copies, and a
result is stored only if the code did not change while it ran. Only successful executions are
stored; rendering, stamping and publishing always run again.

An entry is ``<key>.ipynb``, ``<key>.summary.json`` and ``<key>.sha256`` (the checksums of the
other two, written last): an entry is served only if both files match their checksums and parse;
otherwise it is deleted, a warning names it, and the report runs again.

Where: ``$TARIFF_REPORTS_CACHE`` (a folder, or ``off``), else ``$XDG_CACHE_HOME/tariff-reports``,
else ``~/.cache/tariff-reports``; with no usable home folder, a folder in the system's temporary
folder (with a warning). Size: at most ``$TARIFF_REPORTS_CACHE_MAX_MB`` megabytes (default 500);
after each store the least recently used entries go first. Entries are written atomically, so
concurrent builds can share the folder; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_write_bytes, discard
from analysis.pipeline.runs import ReportRun

CACHE_ENV = "TARIFF_REPORTS_CACHE"
MAX_MB_ENV = "TARIFF_REPORTS_CACHE_MAX_MB"
DEFAULT_MAX_MB = 500
OFF_VALUES = {"off", "0", "no", "false", "none"}


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def cache_dir() -> Path | None:
    """The cache folder, or None when ``$TARIFF_REPORTS_CACHE`` turns the cache off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in OFF_VALUES or not value.strip() else Path(value)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "tariff-reports"
    home = os.environ["HOME"] if "HOME" in os.environ else str(Path.home())
    if os.path.isabs(home):
        return Path(home) / ".cache" / "tariff-reports"
    fallback = Path(tempfile.gettempdir()) / f"tariff-reports-cache-{os.getuid()}"
    _warn(f"HOME is {home!r}, not a folder: caching results in {fallback}")
    return fallback


def max_bytes() -> int:
    """The cache's size cap in bytes (``$TARIFF_REPORTS_CACHE_MAX_MB``, default 500)."""
    text = os.environ.get(MAX_MB_ENV, "").strip()
    try:
        megabytes = float(text) if text else DEFAULT_MAX_MB
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return int(max(megabytes, 0.0) * 1024 * 1024)


def run_key(run: ReportRun, environment: str, notebook_source: bytes) -> str:
    """The cache key of one run: ``environment`` (the build's snapshot digest) plus the exact
    notebook source its kernel runs and its effective parameters."""
    digest = hashlib.sha256(environment.encode())
    digest.update(b"\0notebook\0" + notebook_source)
    params = json.dumps(dict(run.effective_parameters), sort_keys=True, default=repr)
    digest.update(b"\0parameters\0" + params.encode())
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    executed: bytes  # the executed notebook, as papermill wrote it
    summary: bytes  # the run's summary JSON (may be empty: no summary recorded)


class CorruptEntry(ValueError):
    """A cache entry whose files do not match their checksums or do not parse."""


def _check_entry(files: Mapping[str, bytes]) -> Entry:
    try:
        sums = json.loads(files["sha256"])
    except ValueError as exc:
        raise CorruptEntry("its checksum file does not parse") from exc
    if not isinstance(sums, dict):
        raise CorruptEntry("its checksum file is not a mapping")
    for part in ("executed", "summary"):
        if sums.get(part) != _sha256(files[part]):
            raise CorruptEntry(f"the {part} file does not match its checksum")
    try:
        notebook: Any = json.loads(files["executed"])
        summary: Any = json.loads(files["summary"]) if files["summary"] else {}
    except ValueError as exc:
        raise CorruptEntry(f"a file does not parse: {exc}") from exc
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise CorruptEntry("the executed notebook has no cells")
    if not isinstance(summary, dict):
        raise CorruptEntry("the summary is not a mapping")
    return Entry(files["executed"], files["summary"])


class ResultsCache:
    """Executed notebooks by key, in ``root/<key[:2]>/<key>.{ipynb,summary.json,sha256}``."""

    def __init__(self, root: Path, max_size: int | None = None) -> None:
        self.root = Path(root)
        self.max_size = max_bytes() if max_size is None else max_size

    def _paths(self, key: str) -> dict[str, Path]:
        folder = self.root / key[:2]
        return {
            "executed": folder / f"{key}.ipynb",
            "summary": folder / f"{key}.summary.json",
            "sha256": folder / f"{key}.sha256",
        }

    def drop(self, key: str) -> None:
        for path in self._paths(key).values():
            discard(path)

    def get(self, key: str) -> Entry | None:
        """The verified entry, or None (a corrupt entry is deleted, with a warning)."""
        paths = self._paths(key)
        try:
            files = {part: path.read_bytes() for part, path in paths.items()}
        except OSError:
            return None  # absent or incomplete (the checksum file is written last)
        try:
            entry = _check_entry(files)
        except CorruptEntry as exc:
            self.drop(key)
            _warn(f"dropped a corrupt cache entry {paths['executed']} ({exc}); running again")
            return None
        os.utime(paths["sha256"])  # recently used: pruned last
        return entry

    def put(self, key: str, executed: bytes, summary: bytes) -> None:
        """Store a successful run (atomically; the last writer wins), then prune."""
        paths = self._paths(key)
        paths["executed"].parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(paths["executed"], executed)
        atomic_write_bytes(paths["summary"], summary)
        sums = {"executed": _sha256(executed), "summary": _sha256(summary)}
        atomic_write_bytes(paths["sha256"], json.dumps(sums, sort_keys=True).encode())
        self.prune()

    def prune(self) -> None:
        """Delete the least recently used entries (and drawn SVGs, ``pipeline.svg``, and the
        kernels' shared results, ``inputs.shared``, which share the cap) until the cache fits
        its size cap."""
        entries: list[tuple[float, list[Path], int]] = []
        for checksum in self.root.glob("??/*.sha256"):
            paths = list(self._paths(checksum.name.removesuffix(".sha256")).values())
            try:
                size = sum(p.stat().st_size for p in paths if p.exists())
                entries.append((checksum.stat().st_mtime, paths, size))
            except OSError:
                continue  # pruned by a concurrent build
        for drawn in [*self.root.glob("svg/*.svg"), *self.root.glob("shared/*.pickle")]:
            with contextlib.suppress(OSError):
                info = drawn.stat()
                entries.append((info.st_mtime, [drawn], info.st_size))
        total = sum(size for _, _, size in entries)
        for _, paths, size in sorted(entries, key=lambda entry: entry[0]):
            if total <= self.max_size:
                break
            for path in paths:
                discard(path)
            total -= size
