"""``data/<report>/index.html``: the page listing a report's CSV files and their dictionary.

Many web hosts list no folder, and a folder opened from ``file://`` shows a bare listing; this
page names each file, says what it holds in words (the table's caption or the chart's title,
and its columns' labels from the data dictionary), its rows, columns and size, and links it
with a relative link, so it works offline and from any copy of the build. Every text from a
file (captions, titles, labels) is escaped: it is shown as text, never read as HTML.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from urllib.parse import quote

from analysis.pipeline.data_dictionary import DICTIONARY_NAME, FieldUse

PAGE_NAME = "index.html"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@dataclass
class DataFile:
    """One CSV file of a report's data: name, text, what it holds in words, and (charts) how
    the chart shows each field."""

    name: str
    text: str
    what: str
    fields: Mapping[str, FieldUse] = field(default_factory=dict)

    @cached_property
    def _records(self) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.text)))

    @property
    def columns(self) -> list[str]:
        return self._records[0] if self._records else []

    @property
    def rows(self) -> int:
        """Data rows (records, not lines: a quoted cell may hold a line break)."""
        return max(len(self._records) - 1, 0)

    @property
    def holds(self) -> dict[str, str]:
        """Column -> "number" when every non-empty cell is a number, else "text" (columns
        with no cell left out)."""
        out = {}
        for i, name in enumerate(self.columns):
            cells = [r[i] for r in self._records[1:] if i < len(r) and r[i] != ""]
            if cells:
                out[name] = "number" if all(_is_number(c) for c in cells) else "text"
        return out

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


def size_text(size: int) -> str:
    """``512`` -> ``512 bytes``, ``2048`` -> ``2.0 kB``, ``3_500_000`` -> ``3.3 MB``."""
    if size < 1024:
        return f"{size:,} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} kB"
    return f"{size / 1024 / 1024:,.1f} MB"


def column_text(entry: Mapping[str, str]) -> str:
    """A column as the page lists it: its label, and its unit unless it is text ("Sales to the
    US, change (billions of US dollars)")."""
    label, unit = entry.get("label", ""), entry.get("unit", "").split(" (")[0]
    if not label:
        return "(not described)"
    return label if not unit or unit.startswith("text") else f"{label} ({unit})"


def _row(file: DataFile, columns: Sequence[str]) -> str:
    href = escape(quote(file.name))
    listed = "; ".join(columns)
    return (
        f'<tr><td class="file"><a href="{href}">{escape(file.name)}</a></td>'
        f'<td class="what">{escape(file.what)}<br><small>Columns: {escape(listed)}</small></td>'
        f'<td class="num rows">{file.rows:,}<span class="phone">'
        f" row{'s' if file.rows != 1 else ''}</span></td>"
        f'<td class="num cols">{len(file.columns):,}</td>'
        f'<td class="num size">{escape(size_text(file.size))}</td></tr>'
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Data: {title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; }}
.box {{ max-width: 100%; overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd;
         vertical-align: top; }}
th {{ border-bottom: 1px solid #888; }}
td small {{ color: #555; }} td.file {{ white-space: nowrap; }} .phone {{ display: none; }}
.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
@media (max-width: 600px) {{
  body {{ margin: 1em auto; }} thead, td.cols {{ display: none; }}
  tr {{ display: grid; grid-template-columns: 1fr auto auto; border-bottom: 1px solid #ddd; }}
  td {{ border: none; padding: .3em .3em; }} td.what {{ grid-column: 1 / -1; grid-row: 2; }}
  .phone {{ display: inline; }}
}}
</style>
</head>
<body>
<p><a href="../../index.html">All reports</a> &middot;
<a href="../../{report_html}">The report</a></p>
<h1>The data behind: {title}</h1>
<p>One CSV file per table and chart of the report, in the order they appear on the page.
Values are kept as data: shares as fractions (0.132 is 13.2%), dollars in whole dollars unless
a chart's file says billions, dates as YYYY-MM-DD. The column headers are short code names;
<a href="{dictionary}">{dictionary_name}</a> gives, for every file and column, its label in
words, its unit and its definition.</p>
<div class="box"><table>
<thead><tr><th>File</th><th>What it holds</th><th class="num">Rows</th>
<th class="num">Columns</th><th class="num">Size</th></tr></thead>
<tbody>
{rows}
</tbody>
</table></div>
</body>
</html>
"""


def folder_page(
    files: Sequence[DataFile],
    dictionary: Sequence[Mapping[str, str]],
    report: str,
    report_html: str,
) -> str:
    """The page of a report's data folder (``report``: its title; ``report_html``: the report's
    file name, one folder up twice)."""
    labels: dict[str, list[str]] = {}
    for entry in dictionary:
        labels.setdefault(entry["file"], []).append(column_text(entry))
    body = "\n".join(_row(f, labels.get(f.name, [])) for f in files)
    return _PAGE.format(
        title=escape(report),
        report_html=escape(quote(report_html)),
        dictionary=escape(quote(DICTIONARY_NAME)),
        dictionary_name=escape(DICTIONARY_NAME),
        rows=body,
    )
