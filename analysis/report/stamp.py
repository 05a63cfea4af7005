"""Reproducibility stamp: what produced a report (code version, commit, parameters, Python)."""

from __future__ import annotations

import hashlib
import html
import json
import platform
import subprocess
from collections.abc import Mapping
from typing import Any, Literal

import analysis
from analysis.inputs.paths import PROJECT_DIR


def git_commit() -> str:
    """``git rev-parse HEAD`` of the project, or ``'unknown'`` (no git, no commit, not a repo)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip()
    return commit or "unknown"


def canonical_json(value: Any) -> str:
    """One spelling per value (sorted keys, no spaces), so equal parameters hash equal."""
    # default=str: YAML dates and the like still get a stable spelling instead of an error.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def parameters_sha256(parameters: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(parameters)).encode("utf-8")).hexdigest()


def reproducibility_stamp(
    parameters: Mapping[str, Any],
    data_checksums: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Facts needed to reproduce a report; ``data_checksums`` maps data file → sha256."""
    stamp: dict[str, Any] = {
        "package_version": analysis.__version__,
        "git_commit": git_commit(),
        "parameters_sha256": parameters_sha256(parameters),
        "python_version": platform.python_version(),
    }
    if data_checksums:
        stamp["data_checksums"] = dict(sorted(data_checksums.items()))
    return stamp


#: The stamp's keys as readers see them (the record keeps the code names).
STAMP_WORDS = {
    "package_version": "Package version",
    "git_commit": "Git commit",
    "parameters_sha256": "Checksum of the parameters (SHA-256)",
    "python_version": "Python version",
}


def _rows(stamp: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = [(STAMP_WORDS.get(k, k), str(v)) for k, v in stamp.items() if k != "data_checksums"]
    rows += [(f"data: {k}", v) for k, v in stamp.get("data_checksums", {}).items()]
    return rows


def stamp_table(
    parameters: Mapping[str, Any],
    data_checksums: Mapping[str, str] | None = None,
    fmt: Literal["markdown", "html"] = "markdown",
) -> str:
    """The stamp as a two-column table, e.g. ``display(Markdown(stamp_table(params)))``."""
    return format_stamp(reproducibility_stamp(parameters, data_checksums), fmt)


def format_stamp(stamp: Mapping[str, Any], fmt: Literal["markdown", "html"] = "markdown") -> str:
    """A stamp made by :func:`reproducibility_stamp` as a two-column table."""
    rows = _rows(stamp)
    if fmt == "html":
        body = "".join(
            f"<tr><th>{html.escape(k)}</th><td><code>{html.escape(v)}</code></td></tr>"
            for k, v in rows
        )
        return f'<table class="reproducibility-stamp">{body}</table>'
    # Pipes would split a markdown cell; parameter-derived text never contains them, paths might.
    lines = ["| item | value |", "|---|---|"]
    lines += [f"| {k.replace('|', '/')} | `{v.replace('|', '/')}` |" for k, v in rows]
    return "\n".join(lines)
