"""``<out>/data/<report>/``: the data behind every table and chart of a report, as CSV files.

Each report already carries its data inside the page (a "Data (CSV)" link under every table,
a "Chart data (CSV)" link under every chart); this writes the same data as files next to the
reports, one folder per report, from the executed notebook the build keeps:

* ``table-NN.csv``: a table's data, the bytes of its embedded link (values unscaled, in the
  units its column names state);
* ``chart-NN[-K].csv``: a chart's dataset(s), one row per data point, the columns as in the
  chart's data (a step chart's: one row per day a rate changed, :data:`STEP_ROWS`).

Beside them, ``data_dictionary.csv`` says what each column holds, in words, with its unit
(:mod:`analysis.pipeline.data_dictionary`), and ``index.html`` lists the files with what each
holds (:mod:`analysis.pipeline.data_pages`): many web hosts list no folders, and the page works
from ``file://``. Files are numbered in page order; the folder is replaced whole (atomically per
file, stale files removed), so it always matches the report it sits beside.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import html
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_write_text
from analysis.pipeline.data_dictionary import (
    DICTIONARY_NAME,
    chart_fields,
    chart_title,
    dictionary_csv,
    dictionary_rows,
)
from analysis.pipeline.data_pages import PAGE_NAME, DataFile, folder_page
from analysis.report.tables import STEP_FROM, csv_number

DATA_DIR_NAME = "data"
#: The Vega-Lite output type our charts carry (analysis.report.charts.VL_MIME).
_VL_MIME = "application/vnd.vegalite.v6+json"
_TABLE_CSV = re.compile(r'class="tr-csv"[^>]*href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')
_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*$", re.MULTILINE)
#: What a step chart's data file holds (its rows: :data:`STEP_FROM`), in words.
STEP_ROWS = (
    ": one row for each day a rate changed, and the last day shown; each rate holds until "
    "the next date listed for its partner or legal authority"
)


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _rows_csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {k: csv_number(v) if isinstance(v, float) else v for k, v in row.items()} for row in rows
    )
    return out.getvalue()


def _data_names(spec: Any) -> list[str]:
    """The named datasets of a chart in the order its layers and panels use them (depth
    first), each once."""
    names: list[str] = []
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            names.append(data["name"])
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for part in spec.get(key) or ():
                names += [n for n in _data_names(part) if n not in names]
        names += [n for n in _data_names(spec.get("spec")) if n not in names]
    return names


def _dataset_order(
    item: tuple[str, list[dict[str, Any]]], used: Sequence[str] = ()
) -> tuple[int, int, int, str]:
    """A chart's datasets in a stable order: as its layers use them (the same on every page
    of one chart, whatever the datasets' sizes), then fewest columns first (a long table
    before the wide one of the same data), then most rows, then the columns' names."""
    key, rows = item
    columns = sorted({c for row in rows for c in row})
    place = used.index(key) if key in used else len(used)
    return place, len(columns), -len(rows), ",".join(columns)


def _plain(markup: str) -> str:
    """Text of an HTML fragment (tags dropped, entities decoded), one line."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def report_data(notebook: dict[str, Any]) -> list[DataFile]:
    """Every table's and chart's data of an executed notebook, in page order, each with what
    it shows in words (the table's caption, the chart's title, else the section heading)."""
    files: list[DataFile] = []
    tables = charts = 0
    heading = ""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            heading = next(iter(_HEADING.findall(_joined(cell.get("source", "")))), heading)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text_heading = _HEADING.findall(_joined(data.get("text/markdown", "")))
            heading = text_heading[-1] if text_heading else heading
            if isinstance(data.get(_VL_MIME), dict):
                spec = data[_VL_MIME]
                charts += 1
                used = _data_names(spec)
                sets = sorted(  # in the layers' order, whatever the datasets' hashed names
                    (
                        (key, rows)
                        for key, rows in (spec.get("datasets") or {}).items()
                        if isinstance(rows, list) and rows and isinstance(rows[0], dict)
                    ),
                    key=lambda item: _dataset_order(item, used),
                )
                title = chart_title(spec) or _plain(heading)
                uses = chart_fields(spec)
                for k, (key, rows) in enumerate(sets, start=1):
                    suffix = f"-{k}" if len(sets) > 1 else ""
                    part = f" (data {k} of {len(sets)})" if suffix else ""
                    steps = STEP_ROWS if STEP_FROM in rows[0] else ""
                    files.append(
                        DataFile(
                            f"chart-{charts:02d}{suffix}.csv",
                            _rows_csv(rows),
                            f"Chart: {title or f'chart {charts}'}{part}{steps}",
                            {**uses.get("", {}), **uses.get(key, {})},
                        )
                    )
            elif "text/html" in data:
                markup, start = _joined(data["text/html"]), 0
                for match in _TABLE_CSV.finditer(markup):
                    tables += 1  # its caption: the last one between the previous link and it
                    captions = _CAPTION.findall(markup[start : match.start()])
                    start = match.end()
                    title = _plain(captions[-1] if captions else heading)
                    text = base64.b64decode(match[1]).decode("utf-8")
                    files.append(
                        DataFile(f"table-{tables:02d}.csv", text, f"Table: {title or tables}")
                    )
    return distinct_titles(files)


def distinct_titles(files: list[DataFile]) -> list[DataFile]:
    """Files whose words repeat another's (two tables under one heading) are told apart by
    their place: "..., table 2 of 2"."""
    counts: dict[str, int] = {}
    for f in files:
        counts[f.what] = counts.get(f.what, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for f in files:
        if counts[f.what] == 1:
            out.append(f)
            continue
        seen[f.what] = seen.get(f.what, 0) + 1
        kind = "table" if f.name.startswith("table") else "chart"
        what = f"{f.what}, {kind} {seen[f.what]} of {counts[f.what]}"
        out.append(dataclasses.replace(f, what=what))
    return out


def report_csvs(notebook: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text of every table and chart of an executed notebook, in page order."""
    return {f.name: f.text for f in report_data(notebook)}


def data_folder(out_dir: Path, name: str) -> Path:
    return out_dir / DATA_DIR_NAME / name


def folder_files(
    files: list[DataFile], partner: str, report: str, report_html: str
) -> dict[str, str]:
    """The folder's files: the CSVs, the data dictionary and the page listing them."""
    headers = {f.name: f.columns for f in files}
    fields = {f.name: f.fields for f in files}
    rows = dictionary_rows(headers, partner, fields, {f.name: f.holds for f in files})
    out = {f.name: f.text for f in files}
    out[DICTIONARY_NAME] = dictionary_csv(rows)
    out[PAGE_NAME] = folder_page(files, rows, report, report_html)
    return out


def write_report_data(
    out_dir: Path,
    name: str,
    executed: Path,
    partner: str = "the focus partner",
    title: str = "",
    notebook: dict[str, Any] | None = None,
) -> list[Path]:
    """Write ``<out_dir>/data/<name>/``: a CSV per table and chart of the executed notebook
    ``executed``, the data dictionary and the folder's page (``partner``: the report's focus
    partner, ``title``: its title); remove files of an earlier build that this one no longer
    has. Returns the files written (none when the folder is already newer than the notebook).
    ``notebook``: ``executed`` as the caller parsed it, if it did."""
    folder = data_folder(out_dir, name)
    try:
        complete = all((folder / f).is_file() for f in (PAGE_NAME, DICTIONARY_NAME))
        if complete and folder.stat().st_mtime >= executed.stat().st_mtime:
            return []  # (a folder of an earlier version, without its page, is rewritten)
    except OSError:
        return []
    if notebook is None:
        try:
            notebook = json.loads(executed.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
    data = report_data(notebook) if isinstance(notebook, dict) else []
    files = folder_files(data, partner, title or name, f"{name}.html") if data else {}
    folder.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(folder / file, text) for file, text in files.items()]
    for old in [*folder.glob("*.csv"), folder / PAGE_NAME]:
        if old.name not in files and old.exists():
            old.unlink()
    folder.touch()  # newer than the notebook: not rewritten until the report is
    return written
