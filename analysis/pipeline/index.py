"""``index.html``: one row per report found in an output folder (title, status, date, headline).

Built from the folder's contents rather than from one build's runs, so a partial build (or two
builds into the same folder) still yields an index of everything that is there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_write_text
from analysis.pipeline.layout import (
    INDEX_NAME,
    META_KEY,
    failed_path,
    html_path,
    ipynb_path,
    report_names,
)

SUMMARY_MAX_CHARS = 240


@dataclass(frozen=True)
class IndexRow:
    name: str
    title: str
    status: str  # "ok" | "failed"
    built_at: str  # of the latest attempt
    html: str | None  # file name of the last good report, if any
    summary: str
    error: str | None


def read_meta(path: Path) -> dict[str, Any] | None:
    """Our build facts from an executed notebook, or None if unreadable / not ours."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    meta = nb.get("metadata", {}).get(META_KEY) if isinstance(nb, dict) else None
    return meta if isinstance(meta, dict) else None


def _row(out_dir: Path, name: str) -> IndexRow | None:
    good = read_meta(ipynb_path(out_dir, name))
    failed = read_meta(failed_path(out_dir, name))
    # ISO-8601 UTC strings compare in time order.
    latest_failed = failed is not None and (
        good is None or str(failed.get("built_at", "")) > str(good.get("built_at", ""))
    )
    current = failed if latest_failed else good
    if current is None:
        return None
    html = html_path(out_dir, name)
    summary = (good or {}).get("summary") or {}
    return IndexRow(
        name=name,
        title=str(current.get("title") or name),
        status="failed" if latest_failed else "ok",
        built_at=str(current.get("built_at", "")),
        html=html.name if html.exists() and good is not None else None,
        summary=str(summary.get("text", ""))[:SUMMARY_MAX_CHARS],
        error=str(current.get("error")) if latest_failed else None,
    )


def index_rows(out_dir: Path) -> list[IndexRow]:
    return [r for name in report_names(out_dir) if (r := _row(out_dir, name)) is not None]


def _display_time(iso: str) -> str:
    # "2026-11-27T10:04:05Z" → "2026-11-27 10:04 UTC"; keep anything unexpected as it is.
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 and iso.endswith("Z") else iso


def _html_row(row: IndexRow) -> str:
    title = escape(row.title)
    link = f'<a href="{escape(row.html)}">{title}</a>' if row.html else title
    if row.status == "ok":
        status = '<span class="ok">ok</span>'
        detail = escape(row.summary)
    else:
        status = '<span class="failed">failed</span>'
        kept = " (the link shows the last good build)" if row.html else ""
        detail = f"<code>{escape(row.error or '')}</code>{kept}"
    return (
        f"<tr><td>{link}</td><td>{status}</td>"
        f"<td>{escape(_display_time(row.built_at))}</td><td>{detail}</td></tr>"
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Tariff reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd;
         vertical-align: top; }}
.ok {{ color: #1a7f37; }} .failed {{ color: #cf222e; font-weight: bold; }}
</style>
</head>
<body>
<h1>Tariff reports</h1>
<table>
<thead><tr><th>Report</th><th>Status</th><th>Built</th><th>Headline</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def write_index(out_dir: Path) -> Path:
    """(Re)write ``<out_dir>/index.html`` atomically from the folder's reports."""
    rows = "\n".join(_html_row(r) for r in index_rows(out_dir))
    return atomic_write_text(out_dir / INDEX_NAME, _PAGE.format(rows=rows))
