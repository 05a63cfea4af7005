"""``data_dictionary.csv``: what every column of a report's CSV files means, in words.

The CSV files keep the values as data (fractions, whole dollars, code names as headers, so that
pandas or a spreadsheet reads them exactly); the dictionary beside them says, for each file and
column, its label in words, its unit and its definition. Nothing here is typed twice: a column
is described by

* the outcomes registry (:data:`analysis.questions.outcomes.OUTCOMES`): label, unit and
  description of every quantity;
* the report tables' labels (:data:`analysis.report.tables.TEXT_LABELS` for text columns and
  the numeric labels the tables use), with the unit their name states (``*_usd`` dollars,
  ``*_rate`` / ``*_change`` / ``*_share`` a share);
* the legal authorities (:data:`analysis.inputs.measures.AUTHORITIES`): ``rate_<authority>``
  and a chart's column per authority;
* a ``<column>_url`` beside a registered ``<column>``: its link.

A chart may hold a registered quantity in the unit it draws (billions of dollars, percent): the
unit is then read from the chart's own encodings (a d3 ``%`` format: a share; a title with
``$ bn``: billions of dollars; ``(%``: percent). A column none of these knows gets no label and
no unit (:func:`unregistered` lists it; the tests fail on it): never its code name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.inputs.measures import AUTHORITIES
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY
from analysis.questions.outcomes import OUTCOMES, Unit
from analysis.report.tables import _NUMERIC_LABELS, STEP_FROM, TEXT_LABELS
from analysis.report.text import partner_label

DICTIONARY_NAME = "data_dictionary.csv"
DICTIONARY_COLUMNS = ("file", "column", "label", "unit", "definition")

#: The unit of a value as the CSV files hold it, in words.
UNIT_TEXT: dict[str, str] = {
    "usd": "US dollars",
    "usd_bn": "billions of US dollars",
    "fraction": "share (0.132 = 13.2%)",
    "percent": "percent (13.2 = 13.2%)",
    "basis_points": "basis points (100 = 1%)",
    "cars": "cars",
    "number": "number",
    "text": "text",
    "date": "date (YYYY-MM-DD; chart files add the time, 00:00:00)",
    "url": "web address",
    "month": "month (YYYY-MM)",
    "written": "text: a number as the report writes it",
}
_DATES = {
    "date",
    "reference_date",
    "source_date",
    "in_force_from",
    "as_of",
    "from",
    "published_from",
    STEP_FROM,
}
#: What a column means where its name says more than "a date" or "text" (one meaning a column).
_MEANINGS = {
    "reference_date": "The date of the source cited (its publication, signature or release "
    "date, as the source gives it); not the day the measure took effect.",
    "source_date": "The date of the source cited (its publication, signature or release date, "
    "as the source gives it); blank for a shipped dataset, whose checksum the source names.",
    "in_force_from": "The first day the rate shown applies in law (its legal effective "
    'date); "the scenario\'s rate" where a scenario sets the rate (a threat, a what-if).',
    "from": "The first day the measure is (or is scheduled to be) in force.",
    "published_from": "The date of the published figure compared.",
    "as_of": "The day the row's figure describes.",
    # A step chart's rows (analysis.report.timeline_figures).
    STEP_FROM: "The first day the row's values are in force: they hold until the day before "
    "the next date listed for the same legal authority or partner. Only the days a value "
    "changed are listed, and the chart's last day, on which the last values still hold.",
    # Partner ids beside the names the report shows (analysis.report.tables.with_partner_names).
    "partner_id": "The partner's id in the package (what the command line and the parameter "
    "files take: japan, eu, ftrow for the other free-trade-agreement partners, row for the "
    "rest of the world, all for all imports).",
    "source_id": "The source's id in the package (us for US producers, else a partner's id: "
    "ftrow for the other free-trade-agreement partners, row for the rest of the world).",
}
#: Text columns holding numbers already written for readers ("−21.0%", "−$22.9 bn").
_WRITTEN = {
    "10th percentile", "median", "central estimate", "90th percentile",
    "outcome_at_low", "outcome_at_high", "central", "swing",
}  # fmt: skip
#: A table column's unit from its name (the tables' convention, analysis.report.tables).
_SUFFIX_UNITS: tuple[tuple[str, Unit], ...] = (
    ("_usd", "usd"),
    ("_rate", "fraction"),
    ("_change", "fraction"),
    ("_share", "fraction"),
    ("_units", "cars"),
)
_AUTHORITIES = frozenset(AUTHORITIES.values())


@dataclass(frozen=True)
class Entry:
    """One column described: label in words, unit (a key of :data:`UNIT_TEXT`), definition."""

    label: str
    unit: str
    definition: str


_UNIT_TAIL = re.compile(
    r" \((?:number|%|\$|\$ bn|cars|basis points|percentage points|outcome's unit|chart's unit)\)$"
)


def _without_unit(label: str) -> str:
    """ "Published rate (%)" -> "Published rate": the unit has its own column (and a table's
    unit is the one it shows, not always the one its data hold)."""
    return _UNIT_TAIL.sub("", label)


def _text_entry(name: str) -> Entry | None:
    if name in TEXT_LABELS:
        kinds = {"url": "url", "month": "month"}
        unit = "date" if name in _DATES else "written" if name in _WRITTEN else "text"
        unit = kinds.get(name, unit)
        what = {
            "date": "A date.",
            "month": "A month.",
            "url": "The web address of the row's source.",
            "written": "A number as the report writes it (rounded, with its unit).",
        }
        meaning = _MEANINGS.get(name) or what.get(unit, "Text, as the report shows it.")
        return Entry(TEXT_LABELS[name], unit, meaning)
    base = name.removesuffix("_url")
    if base != name and (base in TEXT_LABELS or base in OUTCOMES):
        label = TEXT_LABELS.get(base) or OUTCOMES[base].text()
        return Entry(f"{label}: link", "url", f"The web address of the row's {label.lower()}.")
    return None


def registered_entry(name: str, partner: str = "the focus partner") -> Entry | None:
    """The description of column ``name`` (``partner`` names the focus partner in labels), or
    None when nothing registers it."""
    record = OUTCOMES.get(name)
    if record is not None:
        return Entry(_without_unit(record.text(partner)), record.unit, record.description)
    if name in _NUMERIC_LABELS:
        label = _without_unit(_NUMERIC_LABELS[name])
        unit = next((u for s, u in _SUFFIX_UNITS if name.endswith(s)), "number")
        return Entry(label, unit, f"{label}, as the report's table shows it.")
    authority = name.removeprefix("rate_").removesuffix(" (%)")  # a chart's: in percent
    if authority in _AUTHORITIES:
        rate = name.startswith("rate_")
        return Entry(
            f"{authority}: additional tariff{' rate' if rate else ''}",
            "fraction",
            f"The import-weighted tariff {ABOVE_BASE_DUTY} under {authority} (the part "
            "of the row's tariff this legal authority adds).",
        )
    return _text_entry(name)


_NUMBER_PERCENT = re.compile(r"^[^%]*%$")  # d3's ".1%": a share times 100 (not "%b %Y")
_BILLIONS = ("$ bn", "$ billion")


@dataclass(frozen=True)
class FieldUse:
    """How a chart shows one field: its encodings' titles and d3 formats, and the titles of
    the views that draw it."""

    titles: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    views: tuple[str, ...] = ()


def chart_unit(use: FieldUse, loose: bool = False) -> Unit | None:
    """The unit a chart holds a field in, from how it shows it (None when it does not say): a
    d3 percent format holds a share; a title with "$ bn" billions of dollars, with "(%"
    percent; a "$" format (``loose``: any) in a view titled in "$ bn": billions, else
    dollars."""
    if any(_NUMBER_PERCENT.match(f) for f in use.formats):
        return "fraction"
    if any(b in t for t in use.titles for b in _BILLIONS):
        return "usd_bn"
    if any("(%" in t for t in use.titles):
        return "percent"
    dollars = any("$" in f for f in use.formats)
    if (dollars or loose) and any(b in t for t in use.views for b in _BILLIONS):
        return "usd_bn"
    return "usd" if dollars else None


def chart_title(spec: Mapping[str, object]) -> str:
    """A Vega-Lite view's title as one line ("" if none)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return " ".join(str(title).split()) if title else ""


_VIEW_KEYS = ("mark", "layer", "hconcat", "vconcat", "concat", "facet", "$schema")


def chart_fields(spec: object) -> dict[str, dict[str, FieldUse]]:
    """Dataset name -> field -> how a Vega-Lite spec shows it (every encoding of every view
    that draws that dataset; "" for views with no named data)."""
    found: dict[str, dict[str, tuple[list[str], list[str], list[str]]]] = {}

    def walk(node: object, data: str, views: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, data, views)
            return
        if not isinstance(node, dict):
            return
        named = node.get("data")
        if isinstance(named, dict) and isinstance(named.get("name"), str):
            data = named["name"]
        if any(k in node for k in _VIEW_KEYS) and chart_title(node):
            views = (*views, chart_title(node))
        if isinstance(node.get("field"), str):
            titles, formats, shown_in = found.setdefault(data, {}).setdefault(
                node["field"], ([], [], [])
            )
            axis = node.get("axis") if isinstance(node.get("axis"), dict) else {}
            for key, into in (("title", titles), ("format", formats)):
                into += [v for v in (node.get(key), (axis or {}).get(key)) if isinstance(v, str)]
            shown_in += [v for v in views if v not in shown_in]
        for key, value in node.items():
            if key not in ("datasets", "data"):
                walk(value, data, views)

    walk(spec, "", ())
    return {
        data: {f: FieldUse(tuple(t), tuple(fm), tuple(v)) for f, (t, fm, v) in fields.items()}
        for data, fields in found.items()
    }


_TEXTUAL = ("text", "written", "date", "month", "url")


def column_entry(
    name: str,
    partner: str = "the focus partner",
    field: FieldUse | None = None,
    holds: str = "",
) -> Entry | None:
    """``registered_entry`` in the unit a chart holds the value in (``field``: how the chart
    shows it; ``holds``: "number" or "text" when every cell of the column is one); in a
    chart, a registered text column that holds numbers is the value of that text's row, and
    a registered quantity that holds text is text, labelled as the chart labels it."""
    entry = registered_entry(name, partner)
    if entry is None or field is None:
        return entry
    if holds == "text" and entry.unit not in _TEXTUAL:
        label = next((t.strip() for t in field.titles if t.strip()), "")
        return (
            Entry(label, "text", f"Text: {label.lower()}, as the chart shows it.")
            if label
            else None
        )
    if entry.unit in _TEXTUAL:
        if holds != "number":
            return entry
        unit = chart_unit(field, loose=True) or "number"
        return Entry(
            f"{entry.label}: value",
            unit,
            f"The value of the row's {entry.label.lower()}, in the unit the chart shows.",
        )
    drawn = chart_unit(field)
    if drawn is None or drawn == entry.unit:
        return entry
    return Entry(
        entry.label, drawn, f"{entry.definition} In this chart's data: {UNIT_TEXT[drawn]}."
    )


def dictionary_rows(
    headers: Mapping[str, Sequence[str]],
    partner: str = "the focus partner",
    fields: Mapping[str, Mapping[str, FieldUse]] | None = None,
    holds: Mapping[str, Mapping[str, str]] | None = None,
) -> list[dict[str, str]]:
    """One row per file x column (``headers``: file name -> its columns, in order; ``fields``:
    chart file name -> field -> how the chart shows it; ``holds``: file name -> column ->
    "number" or "text" when its cells are all one). An unregistered column's row has an empty
    label and unit."""
    rows = []
    for file, columns in headers.items():
        uses = (fields or {}).get(file, {})
        kinds = (holds or {}).get(file, {})
        for column in columns:
            entry = column_entry(
                column, partner_label(partner), uses.get(column), kinds.get(column, "")
            )
            rows.append(
                {
                    "file": file,
                    "column": column,
                    "label": entry.label if entry else "",
                    "unit": UNIT_TEXT[entry.unit] if entry else "",
                    "definition": entry.definition if entry else "",
                }
            )
    return rows


def unregistered(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """``file: column`` of every row the registry does not describe."""
    return [f"{r['file']}: {r['column']}" for r in rows if not r["label"] or not r["unit"]]


def dictionary_csv(rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DICTIONARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
