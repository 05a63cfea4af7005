"""``index.html``: one row per report found in an output folder (title, status, date, headline).

Built from the folder's contents rather than from one build's runs, so a partial build (or two
builds into the same folder) still yields an index of everything that is there.

The page leads with today: reports of the law in force today (the ``current`` scenario) come
first, Japan's flagship report at the top; the regimes of 2025-2026 follow as history, each
labelled with its scenario's title (which carries the dates it was in force). The date of the
law is ``known_through`` of ``params/law_status.yaml``, the only place "today" is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import analysis
from analysis.atomic import atomic_write_text
from analysis.inputs.errors import InputError
from analysis.inputs.paths import params_file
from analysis.inputs.validate import read_yaml
from analysis.pipeline.data_dictionary import DICTIONARY_NAME
from analysis.pipeline.data_files import DATA_DIR_NAME, data_folder, write_report_data
from analysis.pipeline.data_pages import PAGE_NAME
from analysis.pipeline.layout import (
    INDEX_NAME,
    META_KEY,
    failed_path,
    html_path,
    ipynb_path,
    report_names,
)
from analysis.questions.outcomes import OUTCOMES, number_text, say
from analysis.report.publication import build_date, long_date
from analysis.report.text import signs_joined

#: Room for a report's one-line headline (a scenario's cause clause included; see rate_shares).
SUMMARY_MAX_CHARS = 320

#: The scenario of the law in force today (params/scenarios/current.yaml).
TODAY_SCENARIO = "current"
TODAY = "Today's law"  # the page's dateline gives its date
HISTORY = "History: the regimes of 2025-2026 and the threats never put in force"
#: Reports that run no single scenario, by notebook (anything else: "Other").
KINDS = {
    "timeline": "Across time, and checks",
    "scenario_comparison": "Across time, and checks",
    "validation": "Across time, and checks",
    "autos": "Cars",
}
_KIND_ORDER = [TODAY, "Across time, and checks", HISTORY, "Cars", "Other"]
#: Within a group: the flagship scenario report first, then partners (Japan first), the rest.
_NOTEBOOK_ORDER = {"scenario_report": 0, "partner_report": 1, "sensitivity": 2}
FLAGSHIP_PARTNER = "japan"


@dataclass(frozen=True)
class IndexRow:
    name: str
    title: str
    status: str  # "ok" | "failed"
    built_at: str  # of the latest attempt
    html: str | None  # file name of the last good report, if any
    summary: str
    error: str | None
    kind: str = "Other"
    key_label: str = ""  # the report's key number: what, and its value as text
    key_value: str = ""
    key_sort: float | None = None
    law: str = ""  # the title of the scenario the report runs (with its dates in force)
    order: tuple[int, int, str] = (9, 9, "")
    data_files: int = 0  # CSV files listed by data/<name>/index.html (its tables and charts)


def key_number(numbers: dict[str, Any], key: object = None) -> tuple[str, str, float | None]:
    """(label, text, value) of a report's key summary number (``key``, else the first),
    written in its unit."""
    first = [key] if key in numbers else []
    for name in [*first, *numbers]:
        value = numbers[name]
        if isinstance(value, int | float) and not isinstance(value, bool):
            record = OUTCOMES.get(name)
            label = record.text() if record else name.replace("_", " ").capitalize()
            label = label.removesuffix(" rate").removesuffix(" usd")
            if record is not None:
                return label, say(name, float(value)), float(value)
            if name.endswith(("_rate", "_change", "_share")):
                signed = name.endswith("_change")
                text = number_text("percent", float(value), signed=signed) + "%"
                return label, text, float(value)
            if name.endswith("_usd"):
                return label, say("us_buyer_cost_usd", float(value)), float(value)
            if isinstance(value, int):  # a count: "3", never "3.00"
                return label, f"{value:,}", float(value)
            return label, number_text("number", float(value), signed=False), float(value)
    return "", "", None


def _key_figure(summary: dict[str, Any]) -> tuple[str, str, float | None] | None:
    """(label, text, value) of the report's key number when it is one of its shared figures
    (its label in words, e.g. "Additional US tariff on Japan, 28 November 2026, above the MFN or
    trade-agreement duty",
    and its text as the report shows it), else None."""
    figures = summary.get("figures")
    key = summary.get("key")
    figure = figures.get(key) if isinstance(figures, dict) and isinstance(key, str) else None
    if not isinstance(figure, dict):
        return None
    value = figure.get("value")
    sort = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    return str(key), str(figure.get("text", "")), sort


def _spec_parameters(meta: dict[str, Any]) -> dict[str, Any]:
    """The run spec's parameters (from the path the build recorded), or {} if unreadable."""
    try:  # the one reader: a regular file only (a foreign stamp may name anything)
        doc = read_yaml(Path(str(meta.get("spec", ""))))
    except InputError:
        return {}
    params = doc.get("parameters") if isinstance(doc, dict) else None
    return params if isinstance(params, dict) else {}


def scenario_title(name: str) -> str:
    """A scenario's title from ``params/scenarios/<name>.yaml`` ("" if not readable)."""
    try:
        doc = read_yaml(params_file(f"scenarios/{name}.yaml"))
    except InputError:
        return ""
    return str(doc.get("title", "")) if isinstance(doc, dict) else ""


def _placement(meta: dict[str, Any]) -> tuple[str, str, tuple[int, int, str]]:
    """(group, law, sort key) of a report: by the scenario it runs, else by its notebook."""
    notebook = str(meta.get("notebook", ""))
    params = _spec_parameters(meta)
    scenario = params.get("scenario")
    partner = str(params.get("partner", FLAGSHIP_PARTNER))
    order = (
        _NOTEBOOK_ORDER.get(notebook, 5),
        0 if partner == FLAGSHIP_PARTNER else 1,
        str(meta.get("run", "")),
    )
    if notebook in KINDS or not isinstance(scenario, str):
        return KINDS.get(notebook, "Other"), "", order
    if scenario == TODAY_SCENARIO:  # the group's heading says which law
        return TODAY, "", order
    return HISTORY, scenario_title(scenario), order


def _read_notebook(path: Path) -> dict[str, Any] | None:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return nb if isinstance(nb, dict) else None


def _meta_of(nb: dict[str, Any] | None) -> dict[str, Any] | None:
    meta = nb.get("metadata", {}).get(META_KEY) if nb is not None else None
    return meta if isinstance(meta, dict) else None


def read_meta(path: Path) -> dict[str, Any] | None:
    """Our build facts from an executed notebook, or None if unreadable / not ours."""
    return _meta_of(_read_notebook(path))


def _own(nb: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """The build facts of a notebook a build wrote for run ``name`` (its stamp names it)."""
    meta = _meta_of(nb)
    return meta if meta is not None and meta.get("run") == name else None


def write_data(out_dir: Path, name: str, notebook: dict[str, Any] | None) -> None:
    """Write report ``name``'s data folder (``data_files.write_report_data``) from its
    published notebook ``notebook`` (as parsed from ``<out_dir>/<name>.ipynb``), if the
    build stamped it for ``name``: nothing when the folder is already newer than the notebook.
    Publishing calls it as each report is published; the index, for any report it has not."""
    good = _own(notebook, name)
    if good is not None:
        partner = str(_spec_parameters(good).get("partner", "the focus partner"))
        title = str(good.get("title") or name)
        write_report_data(out_dir, name, ipynb_path(out_dir, name), partner, title, notebook)


def _row(out_dir: Path, name: str) -> IndexRow | None:
    notebook = _read_notebook(ipynb_path(out_dir, name))  # read once: also the data files'
    good = _own(notebook, name)
    failed = _own(_read_notebook(failed_path(out_dir, name)), name)
    # ISO-8601 UTC strings compare in time order.
    latest_failed = failed is not None and (
        good is None or str(failed.get("built_at", "")) > str(good.get("built_at", ""))
    )
    current = failed if latest_failed else good
    if current is None:
        return None
    html = html_path(out_dir, name)
    write_data(out_dir, name, notebook)
    folder = data_folder(out_dir, name)
    csvs = [p for p in folder.glob("*.csv") if p.name != DICTIONARY_NAME] if folder.is_dir() else []
    data_files = len(csvs) if (folder / PAGE_NAME).is_file() else 0
    summary = (good or {}).get("summary") or {}
    numbers = summary.get("numbers") if isinstance(summary.get("numbers"), dict) else {}
    label, value, sort = _key_figure(summary) or key_number(numbers or {}, summary.get("key"))
    kind, law, order = _placement(current)
    return IndexRow(
        name=name,
        title=str(current.get("title") or name),
        status="failed" if latest_failed else "ok",
        built_at=str(current.get("built_at", "")),
        html=html.name if html.exists() and good is not None else None,
        summary=str(summary.get("text", ""))[:SUMMARY_MAX_CHARS],
        error=str(current.get("error")) if latest_failed else None,
        kind=kind,
        law=law,
        order=order,
        key_label=label,
        key_value=value,
        key_sort=sort,
        data_files=data_files,
    )


def index_rows(out_dir: Path) -> list[IndexRow]:
    rows = [r for name in report_names(out_dir) if (r := _row(out_dir, name)) is not None]
    return sorted(rows, key=lambda r: r.order)


def _display_time(iso: str) -> str:
    # "2026-11-27T10:04:05Z" → "2026-11-27 10:04 UTC"; keep anything unexpected as it is.
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 and iso.endswith("Z") else iso


def _html_row(row: IndexRow) -> str:
    title = escape(row.title)
    # Names are checked (layout.is_run_name) and encoded: a link is only ever to a report.
    link = f'<a href="{escape(quote(row.html))}">{title}</a>' if row.html else title
    if row.law:
        link += f'<br><small class="law">Law: {escape(row.law)}</small>'
    if row.html and row.data_files:
        folder = f"{DATA_DIR_NAME}/{quote(row.name)}/{PAGE_NAME}"
        link += (
            f'<br><small><a class="data" href="{escape(folder)}">Data: {row.data_files} CSV '
            f"file{'s' if row.data_files != 1 else ''}</a></small>"
        )
    if row.status == "ok":
        status = '<span class="ok">ok</span>'
        detail = signs_joined(escape(row.summary))
    else:
        status = '<span class="failed">failed</span>'
        kept = " (the link shows the last good build)" if row.html else ""
        detail = f"<code>{escape(row.error or '')}</code>{kept}"
    sort = "" if row.key_sort is None else f"{row.key_sort:.12g}"
    key = (
        f'<span class="key">{signs_joined(escape(row.key_value))}</span>'
        f"<br><small>{escape(row.key_label)}</small>"
        if row.key_value
        else ""
    )
    headline = row.summary if row.status == "ok" else (row.error or "")
    return (
        f'<tr><td data-sort="{escape(_title_sort_key(row.title))}">{link}</td>'
        f'<td class="num" data-sort="{escape(sort)}">{key}</td>'
        f'<td class="headline" data-sort="{escape(headline)}">{detail}</td>'
        f'<td class="status" data-sort="{escape(row.status)}">{status}</td>'
        f'<td class="built" data-sort="{escape(row.built_at)}">'
        f"{escape(_display_time(row.built_at))}</td></tr>"
    )


def _title_sort_key(title: str) -> str:
    """A title as a reader looks it up: without a leading article ("The European Union ..."
    files under E), case-folded."""
    return re.sub(r"^(the|a|an)\s+", "", title.strip(), flags=re.IGNORECASE).casefold()


def _group(kind: str, rows: list[IndexRow]) -> str:
    body = "\n".join(_html_row(r) for r in rows)
    return (
        f'<h2>{escape(kind)}</h2>\n<div class="box"><table class="sortable">\n'
        '<thead><tr><th>Report</th><th>Key number</th><th class="headline">Headline</th>'
        '<th class="status">Status</th>'
        f'<th class="built">Built</th></tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>'
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Tariff reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; }}
.box {{ max-width: 100%; overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4em .6em; border-bottom: 1px solid #ddd;
         vertical-align: top; }}
th {{ cursor: pointer; white-space: nowrap; border-bottom: 1px solid #888; }}
th::after {{ content: " \\2195"; color: #aaa; font-size: .8em; }}
td.num, td.built {{ white-space: nowrap; }}
td.num small {{ white-space: normal; display: inline-block; max-width: 14em; }}
.dateline {{ color: #444; }} .law {{ color: #555; }}
.key {{ font-weight: 600; font-size: 1.1em; }}
.ok {{ color: #1a7f37; }} .failed {{ color: #cf222e; font-weight: bold; }}
@media (max-width: 600px) {{
  body {{ margin: 1em auto; }} .built, th.headline, th.status {{ display: none; }}
  tr {{ display: grid; grid-template-columns: 1fr auto; border-bottom: 1px solid #ddd; }}
  td, th {{ border: none; padding: .3em .3em; }}
  td.headline {{ grid-column: 1 / -1; padding-top: 0; }} td.status {{ grid-column: 1 / -1; }}
}}
</style>
</head>
<body>
<h1>Tariff reports</h1>
<p class="dateline">The law as known on <b>{law_date}</b> (today's law in these reports)
&middot; built {built} &middot;
tariff-reports version {version}</p>
<p>What the US tariffs in force today, and those of 2025-2026 before them, do to US imports,
prices, tariff revenue and the exporters of each partner, with Japan as the flagship case. Every
figure is an exact solution of a partial-equilibrium model of the US market (45 goods sectors,
2024 trade) under the tariffs written in law, against the tariffs before 2025. The first report is
Japan under today's law; the regimes of 2025 and early 2026 follow as history, each with the dates
it was in force. Each report opens with its summary, its dates and a box on what the model leaves
out; the data behind every table and chart can be downloaded as CSV (under each one, and as files
in the <code>data/</code> folder beside this page, one page per report listing its files and a
data dictionary that says what each column holds, in words, with its unit). Click a column header
to sort.
</p>
{groups}
<script type="text/javascript">
document.querySelectorAll("table.sortable th").forEach(function (th) {{
  th.addEventListener("click", function () {{
    var col = th.cellIndex;  // the column within this table (not across the page's tables)
    var body = th.closest("table").tBodies[0];
    var up = th.dataset.dir !== "up"; th.dataset.dir = up ? "up" : "down";
    var rows = Array.prototype.slice.call(body.rows);
    // A number only if the whole key is one ("2026-12-05T10:04Z" is a date, compared as text:
    // ISO dates sort in time order); empty keys go last either way; ties keep their order.
    var number = /^-?\\d+(\\.\\d+)?(e[-+]?\\d+)?$/i;
    var keyed = rows.map(function (r, i) {{ return [r.cells[col].dataset.sort || "", i, r]; }});
    keyed.sort(function (a, b) {{
      var x = a[0], y = b[0];
      if (x === "" || y === "") {{ return x === y ? a[1] - b[1] : (x === "" ? 1 : -1); }}
      var c = number.test(x) && number.test(y) ? parseFloat(x) - parseFloat(y)
                                                : (x < y ? -1 : x > y ? 1 : 0);
      return (up ? c : -c) || a[1] - b[1];
    }});
    rows = keyed.map(function (k) {{ return k[2]; }});
    rows.forEach(function (r) {{ body.appendChild(r); }});
  }});
}});
</script>
</body>
</html>
"""


def write_index(out_dir: Path) -> Path:
    """(Re)write ``<out_dir>/index.html`` atomically from the folder's reports."""
    rows = index_rows(out_dir)
    groups = "\n".join(
        _group(kind, [r for r in rows if r.kind == kind])
        for kind in _KIND_ORDER
        if any(r.kind == kind for r in rows)
    )
    page = _PAGE.format(
        groups=groups,
        law_date=escape(long_date(law_date())),
        built=escape(long_date(build_date())),
        version=escape(analysis.__version__),
    )
    return atomic_write_text(out_dir / INDEX_NAME, page)


def law_date() -> dt.date:
    """The last day the law was checked (``known_through`` of ``params/law_status.yaml``)."""
    from analysis.inputs.law_status import load_law_status

    return load_law_status(params_file("law_status.yaml")).known_through
