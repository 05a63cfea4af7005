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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.inputs.measures import AUTHORITIES
from analysis.questions.outcomes import OUTCOMES, Unit
from analysis.report.tables import _NUMERIC_LABELS, TEXT_LABELS
from analysis.report.text import partner_label

DICTIONARY_NAME = "data_dictionary.csv"
DICTIONARY_COLUMNS = ("file", "column", "label", "unit", "definition")

#: The unit of a value as the CSV files hold it, in words.
UNIT_TEXT: dict[str, str] = {
    "usd": "US dollars",
    "usd_bn": "billions of US dollars",
    "fraction": "share (0.132 = 13.2%)",
    "percent": "percent (13.2 = 13.2%)",
    "cars": "cars",
    "number": "number",
    "text": "text",
    "date": "date (YYYY-MM-DD; chart files add the time, 00:00:00)",
    "url": "web address",
}
_DATES = {"date", "reference_date", "as_of", "from"}
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


def _without_unit(label: str) -> str:
    """ "Published rate (%)" -> "Published rate" (the unit has its own column)."""
    head, sep, tail = label.rpartition(" (")
    return head if sep and tail.endswith(")") and len(tail) <= 16 else label


def _text_entry(name: str) -> Entry | None:
    if name in TEXT_LABELS:
        unit = "date" if name in _DATES else "url" if name == "url" else "text"
        what = {"date": "A date.", "url": "The web address of the row's source."}
        return Entry(TEXT_LABELS[name], unit, what.get(unit, "Text, as the report shows it."))
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
        return Entry(record.text(partner), record.unit, record.description)
    if name in _NUMERIC_LABELS:
        label = _without_unit(_NUMERIC_LABELS[name])
        unit = next((u for s, u in _SUFFIX_UNITS if name.endswith(s)), "number")
        return Entry(label, unit, f"{label}, as the report's table shows it.")
    authority = name.removeprefix("rate_")
    if authority in _AUTHORITIES:
        rate = name != authority
        return Entry(
            f"{authority}: additional tariff{' rate' if rate else ''}",
            "fraction",
            f"The import-weighted tariff above the 2024 rate under {authority} (the part "
            "of the row's tariff this legal authority adds).",
        )
    return _text_entry(name)


def chart_unit(titles: Iterable[str], formats: Iterable[str]) -> Unit | None:
    """The unit a chart draws a field in, from its encodings' d3 formats and titles (None when
    they do not say)."""
    if any("%" in f for f in formats):
        return "fraction"  # d3's "%" multiplies a share by 100
    titles = list(titles)
    if any("$ bn" in t for t in titles):
        return "usd_bn"
    if any("(%" in t for t in titles):
        return "percent"
    return None


@dataclass(frozen=True)
class FieldUse:
    """How a chart encodes one field: the titles and d3 formats it is shown with."""

    titles: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


def column_entry(
    name: str, partner: str = "the focus partner", field: FieldUse | None = None
) -> Entry | None:
    """``registered_entry`` with a chart's unit where the chart holds the value in another."""
    entry = registered_entry(name, partner)
    if entry is None or field is None or entry.unit in ("text", "date", "url"):
        return entry
    drawn = chart_unit(field.titles, field.formats)
    if drawn is None or drawn == entry.unit or (entry.unit == "number" and name == "value"):
        return entry
    return Entry(
        entry.label, drawn, f"{entry.definition} In this chart's data: {UNIT_TEXT[drawn]}."
    )


def dictionary_rows(
    headers: Mapping[str, Sequence[str]],
    partner: str = "the focus partner",
    fields: Mapping[str, Mapping[str, FieldUse]] | None = None,
) -> list[dict[str, str]]:
    """One row per file x column (``headers``: file name -> its columns, in order; ``fields``:
    chart file name -> field -> how the chart shows it). An unregistered column's row has an
    empty label and unit."""
    rows = []
    for file, columns in headers.items():
        uses = (fields or {}).get(file, {})
        for column in columns:
            entry = column_entry(column, partner_label(partner), uses.get(column))
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
