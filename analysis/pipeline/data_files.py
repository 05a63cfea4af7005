"""``<out>/data/<report>/``: the data behind every table and chart of a report, as CSV files.

Each report already carries its data inside the page (a "Data (CSV)" link under every table,
a "Chart data (CSV)" link under every chart); this writes the same data as files next to the
reports, one folder per report, from the executed notebook the build keeps:

* ``table-NN.csv``: a table's data, the bytes of its embedded link (values unscaled, in the
  units its column names state);
* ``chart-NN[-K].csv``: a chart's dataset(s), one row per data point, the columns as in the
  chart's data.

Files are numbered in page order; the folder is replaced whole (atomically per file, stale
files removed), so it always matches the report it sits beside.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_write_text

DATA_DIR_NAME = "data"
#: The Vega-Lite output type our charts carry (analysis.report.charts.VL_MIME).
_VL_MIME = "application/vnd.vegalite.v6+json"
_TABLE_CSV = re.compile(r'class="tr-csv"[^>]*href="data:text/csv;base64,([A-Za-z0-9+/=]+)"')


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _rows_csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def report_csvs(notebook: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text of every table and chart of an executed notebook, in page order."""
    files: dict[str, str] = {}
    tables = charts = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if isinstance(data.get(_VL_MIME), dict):
                charts += 1
                sets = [
                    rows
                    for rows in (data[_VL_MIME].get("datasets") or {}).values()
                    if isinstance(rows, list) and rows and isinstance(rows[0], dict)
                ]
                for k, rows in enumerate(sets, start=1):
                    suffix = f"-{k}" if len(sets) > 1 else ""
                    files[f"chart-{charts:02d}{suffix}.csv"] = _rows_csv(rows)
            elif "text/html" in data:
                for body in _TABLE_CSV.findall(_joined(data["text/html"])):
                    tables += 1
                    text = base64.b64decode(body).decode("utf-8")
                    files[f"table-{tables:02d}.csv"] = text
    return files


def data_folder(out_dir: Path, name: str) -> Path:
    return out_dir / DATA_DIR_NAME / name


def write_report_data(out_dir: Path, name: str, executed: Path) -> list[Path]:
    """Write ``<out_dir>/data/<name>/*.csv`` from the executed notebook ``executed``; remove
    files of an earlier build that this one no longer has. Returns the files written (none
    when the folder is already newer than the notebook)."""
    folder = data_folder(out_dir, name)
    try:
        if folder.is_dir() and folder.stat().st_mtime >= executed.stat().st_mtime:
            return []
    except OSError:
        return []
    try:
        notebook = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = report_csvs(notebook) if isinstance(notebook, dict) else {}
    folder.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(folder / file, text) for file, text in files.items()]
    for old in folder.glob("*.csv"):
        if old.name not in files:
            old.unlink()
    folder.touch()  # newer than the notebook: not rewritten until the report is
    return written
