"""Publication tables: labelled columns with units, scaled and signed numbers, links, notes.

Built on pandas' Styler (already a dependency, deterministic ids, and every cell goes through
our own escaping): :func:`table` relabels code names with the outcomes registry
(:mod:`analysis.questions.outcomes`), scales dollars to billions and fractions to percent,
turns ``<title>`` + ``<title>_url`` column pairs into one column of links (https and DOI only,
:func:`analysis.report.text.html_link`), groups columns under spanners, and adds a caption and
a source note. The table sits in a box as wide as the page column: text and headers wrap, and
what still does not fit scrolls inside the box (never cut off, also on a 390 px phone).
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.questions.evidence import elasticity_text
from analysis.questions.outcomes import OUTCOMES, Format, number_text
from analysis.report.text import (
    PARTNER_LABELS,
    for_readers,
    html_link,
    html_text,
    partner_label,
)

#: Reader's names of the text columns the views produce.
#: The date column of a step chart's data (:mod:`analysis.report.timeline_figures`): each
#: row's values hold from its day until the day before the next day listed for its series.
STEP_FROM = "valid_from"
TEXT_LABELS: dict[str, str] = {
    "rate_then": "Our rate then: the country's own or its region's",
    "partner": "Partner",
    "partner_id": "Partner id",
    "source": "Source",
    "source_id": "Source id",
    "sector": "Sector code",
    "description": "Sector",
    "product_description": "Product (Census description)",
    "layer": "Tariff layer",
    "title": "Measure",
    "measure": "Measure",
    "authority": "Legal authority",
    "reference": "Legal source",
    "reference_date": "Source dated",
    "source_date": "Source dated",
    "in_force_from": "In force from",
    "date": "Date",
    STEP_FROM: "In force from (until the next date listed)",
    "kind": "Kind",
    "item": "Item",
    "scenario": "Scenario",
    "outcome": "Outcome",
    "parameter": "Parameter",
    "url": "Link",
    "from": "In force (or scheduled) from",
    "why not modelled": "Why it is not modelled",
    "applies_to_partner": "Applies to the partner",
    "evidence": "Evidence",
    "observed": "Observed",
    "model": "The model",
    "elasticity": "Elasticity set or tested",
    "fit": "Fit",
    "as_of": "As of",
    "our law": "Our rate is for",
    "law_of": "The law of",
    "publisher": "Publisher",
    "policy": "Policy",
    "hs10": "HS10 line",
    "open_question": "Open legal question",
    "chapter": "HS chapter",
    "chapter_title": "Products (the chapter's HS title)",
    # Chart data (the CSV files beside the reports; analysis.pipeline.data_dictionary).
    "assumption": "Assumption",
    "event": "Legal event",
    "method": "Method",
    "what": "What the line marks",
    "supply response": "Supply response",
    "who keeps the wedge": "Who keeps the price wedge",
    "month": "Month",
    "series": "Series",
    "figure": "Figure",
    "label": "Outcome",
    "prior": "Prior distribution",
    "peak_day": "Peak day",
    "country": "Country",
    "published_from": "Published figure dated",
    "published_for": "Published figure for",
    "why": "Why the numbers differ",
    "why the numbers differ": "Why the numbers differ",
    "law compared": "Law compared",
    "slot": "Place in the day's column (the chart's)",
    "period": "Period",
    "published": "Published figure",
    "study": "Study",
    # Columns that hold numbers already written for readers ("−21.0%", "−$22.9 bn").
    "10th percentile": "10th percentile",
    "median": "Median",
    "central estimate": "Central estimate",
    "90th percentile": "90th percentile",
    "outcome_at_low": "Outcome, parameter at the low end",
    "outcome_at_high": "Outcome, parameter at the high end",
    "central": "Central estimate",
    "swing": "Swing (high minus low)",
}
_NUMERIC_LABELS = {
    "published_rate": "Published rate (%)",
    "our_rate": "Our rate, all duties (%)",
    "gap_rate": "Gap, ours minus published (percentage points)",
    "tariff_revenue_on_sector_usd": "US tariff revenue on the sector ($ bn)",
    # The published cost per household beside ours (the validation report).
    "published_before_substitution_usd": "Published cost per household, before substitution ($)",
    "our_before_substitution_usd": "Our cost per household, before substitution ($)",
    "published_after_substitution_usd": "Published cost per household, after substitution ($)",
    "our_after_substitution_usd": "Our cost per household, after substitution ($)",
    "our_all_buyers_per_household_usd": (
        "All US buyers' extra cost divided by households ($; firms and government included, "
        "not a household's cost)"
    ),
    "our_duties_per_household_usd": "of which duties, divided by households ($)",
    "our_us_made_goods_per_household_usd": (
        "of which US-made goods' price rises, divided by households ($)"
    ),
    # Our rates by country beside the tradewartracker's (the validation report, issue 16).
    "our_2025_measures_rate": "Ours on the tracker's definition: the tariffs added from 2025 (%)",
    "gap_2025_measures_rate": (
        "Gap on the tracker's definition, ours minus published (percentage points)"
    ),
    "then_additional_rate": "Ours before the law was applied line by line (%)",
    "then_2025_measures_rate": "The same, on the tracker's definition (%)",
    "now_additional_rate": "Ours now (%)",
    "then_gap_rate": "Gap then, ours minus published (percentage points)",
    "now_gap_rate": "Gap now, ours minus published (percentage points)",
    "then_gap_2025_measures_rate": "Gap then, on the tracker's definition (percentage points)",
    "now_gap_2025_measures_rate": "Gap now, on the tracker's definition (percentage points)",
}
_PARTNER_COLUMNS = {"partner", "source", "index"}
_SUFFIX_UNITS: tuple[tuple[str, Format, bool], ...] = (
    ("_usd", "usd_bn", True),
    ("_rate", "percent", False),
    ("_change", "percent", True),
    ("_share", "percent", False),
    ("_units", "cars", True),
)
# Styles of the table box and cells (the ids are per table, so nothing leaks to the page).
_BOX = "max-width:100%;overflow-x:auto;margin:0.5em 0 1.2em 0"
_TABLE_STYLES = [
    {"selector": "", "props": "border-collapse:collapse;font-size:0.92em;table-layout:auto"},
    {
        "selector": "th",
        "props": "white-space:normal;max-width:11em;vertical-align:bottom;"
        "text-align:left;padding:4px 8px;border-bottom:1px solid #888",
    },
    {"selector": "th.col_heading.level0", "props": "text-align:center"},
    {"selector": "th.col_heading.level1", "props": "text-align:left"},
    {"selector": "td", "props": "padding:3px 8px;vertical-align:top;border-bottom:1px solid #eee"},
    {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:600"},
]
#: Words stay whole ("threatened", never "threatene / d"): ``overflow-wrap: anywhere`` let a
#: narrow column break any word; ``break-word`` breaks only a word longer than the whole cell
#: can hold, and does not shrink the column below its longest word.
_TEXT_CELL = (
    "white-space:normal;max-width:24em;text-align:left;overflow-wrap:break-word;word-break:normal"
)
_NUMBER_CELL = "white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums"
#: A column of single ISO dates ("2025-03-04", by its values) is kept whole ("2025-05-" / "03").
_DATE_CELL = "white-space:nowrap;text-align:left"
WIDE_COLUMNS = 10  # columns or more: side padding halved (validation's cost table fits)
_WIDE = [{"selector": s, "props": "padding-left:4px;padding-right:4px"} for s in ("th", "td")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T][\d:]+)?")


def _holds_dates(values: pd.Series) -> bool:
    """Every cell of ``values`` an ISO date (as text, or a date), and some cell given."""
    given = values.dropna()
    return bool(len(given)) and all(_ISO_DATE.fullmatch(str(v)) for v in given)


#: A table of this many columns or more with a cell of text longer than ``CARD_TEXT_CHARS``
#: is, on a phone, a list of cards (one per row, each cell as "label: value" from its
#: ``data-label``; the page's CSS, ``tr-cards``): side by side, the long-text column of such
#: a table made rows hundreds of pixels tall and mostly blank, and the columns after it sat
#: off-screen. Another table is made cards on a phone only if it is wider than the screen
#: (the page's script).
CARD_COLUMNS = 3
CARD_TEXT_CHARS = 55
_TAG = re.compile(r"<[^>]+>")  # a link's markup, not counted as its text
#: A body cell as pandas' Styler writes it (its column number in group 1).
_BODY_CELL = re.compile(r'(<td id="T_\w+_row\d+_col(\d+)" class="data row\d+ col\d+[^"]*")')


@dataclass(frozen=True)
class Column:
    """How one column is shown: header text and a cell formatter (returns HTML)."""

    label: str
    render: Callable[[Any], str]
    numeric: bool


def humanize(name: str) -> str:
    """A readable header for a name the registry does not know (``foo_bar_usd`` -> ``Foo
    bar ($ bn)``); no code identifier reaches a reader."""
    for suffix, fmt, _ in _SUFFIX_UNITS:
        if name.endswith(suffix):
            words = name.removesuffix(suffix).replace("_", " ").strip()
            unit = {"usd_bn": "$ bn", "percent": "%", "cars": "cars"}[fmt]
            if suffix == "_change":
                words += " change"
            return f"{words[:1].upper()}{words[1:]} ({unit})"
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def column_label(name: str) -> str:
    """A column name as a reader's label (no registry lookup): ours, else in words."""
    return _NUMERIC_LABELS.get(name) or TEXT_LABELS.get(name) or humanize(name)


def number_format(
    name: str, values: pd.Series, focus: str = "the focus partner"
) -> tuple[Format, bool, str]:
    """(format, signed, header) of a numeric column: from the registry (``focus`` names the
    focus partner in ``focus_*`` labels), else from the unit in its name; dollars below
    $100 million a cell are shown in whole dollars."""
    record = OUTCOMES.get(name)
    if record is not None:
        fmt, signed, label = record.fmt, record.signed, record.text_with_unit(focus)
    else:
        fmt, signed, label = "number", False, _NUMERIC_LABELS.get(name, humanize(name))
        for suffix, suffix_fmt, suffix_signed in _SUFFIX_UNITS:
            if name.endswith(suffix):
                fmt, signed = suffix_fmt, suffix_signed
                break
        if name.endswith("_usd"):  # a level unless the name says it is a change
            signed = any(w in name for w in ("change", "difference", "diversion", "gain"))
        if name.startswith("rate_"):  # one authority's (or measure's) rate: a fraction
            words = name.removeprefix("rate_").replace("_", " ").strip()
            fmt, signed, label = "percent", False, f"{words[:1].upper()}{words[1:]} rate (%)"
    if fmt == "usd_bn" and values.abs().max() < 1e8:
        fmt = "usd"
        label = label.replace("($ bn)", "($)")
    return fmt, signed, label


def _number_cell(
    fmt: Format, signed: bool, values: pd.Series, significant: int | None = None
) -> Callable[[Any], str]:
    decimals = 2 if fmt == "usd_bn" and values.abs().max() < 10e9 else None
    if fmt == "number":
        big = values.abs().max() >= 1e4

        def plain(v: Any) -> str:
            if pd.isna(v):
                return ""
            if abs(v) >= 1e9:
                return f"{v / 1e9:,.1f} bn"
            if not big and 0 < abs(v) < 1:  # two significant figures, as the text gives an
                return elasticity_text(float(v))  # elasticity or a fit (0.0571 -> 0.057)
            return f"{v:,.0f}" if big else f"{v:,.2f}".rstrip("0").rstrip(".")

        return plain
    return lambda v: "" if pd.isna(v) else number_text(fmt, float(v), signed, decimals, significant)


def _text_cell(partners: bool) -> Callable[[Any], str]:
    if partners:
        return lambda v: "" if pd.isna(v) else html_text(partner_label(str(v)))
    return lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else html_text(v)


def _with_links(frame: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """``X`` + ``X_url`` (or ``source`` + ``url``) -> one column ``X`` of HTML links; also
    the names of the columns that now hold HTML."""
    out = frame.copy()
    links: set[str] = set()
    for col in [c for c in frame.columns if str(c).endswith("url")]:
        name = str(col)
        title = name.removesuffix("_url") if name != "url" else "source"
        if title in out.columns and title != name:
            pairs = zip(out[title], out[col], strict=True)
            out[title] = [html_link(t, str(u)) for t, u in pairs]
            out = out.drop(columns=[col])
            links.add(title)
        else:
            out[col] = [html_link(str(u), str(u)) for u in out[col]]
            links.add(name)
    return out, links


def columns_of(
    frame: pd.DataFrame, links: set[str] | None = None, focus: str = "the focus partner"
) -> dict[str, Column]:
    """How each column of ``frame`` is shown (labels unique); ``links`` hold HTML already."""
    shown: dict[str, Column] = {}
    for col in frame.columns:
        name = str(col)
        values = frame[col]
        if pd.api.types.is_bool_dtype(values):
            render: Callable[[Any], str] = lambda v: "yes" if v else "no"  # noqa: E731
            label, numeric = TEXT_LABELS.get(name, humanize(name)), False
        elif pd.api.types.is_numeric_dtype(values):
            fmt, signed, label = number_format(name, values, focus)
            record = OUTCOMES.get(name)  # a model estimate keeps its registered figures
            figures = record.significant if record is not None and record.fmt == fmt else None
            render, numeric = _number_cell(fmt, signed, values, figures), True
        else:
            link = name in (links or set())
            render = str if link else _text_cell(name in _PARTNER_COLUMNS)
            label, numeric = TEXT_LABELS.get(name, humanize(name)), False
        while label in (c.label for c in shown.values()):
            label += " "
        shown[name] = Column(label, render, numeric)
    return shown


class Table:
    """A styled table with an optional caption and source note; displays as HTML."""

    def __init__(
        self,
        styler: Any,
        note: str | None,
        data: pd.DataFrame | None = None,
        labels: Sequence[str] = (),
        long: frozenset[int] = frozenset(),
    ) -> None:
        self.styler = styler
        self.note = note
        self.data = data
        self.labels = tuple(labels)  # each column's header, for its cells' ``data-label``
        self.long = long  # the columns of long text: the table is a list of cards on a phone

    def csv_link(self) -> str:
        """A download link carrying the table's data (unscaled, in the units its column names
        state; numbers as :func:`csv_frame` writes them) as an embedded CSV: it works offline
        and from a copied file."""
        if self.data is None:
            return ""
        text = csv_frame(self.data).to_csv(index=False)
        body = base64.b64encode(text.encode("utf-8")).decode("ascii")
        name = f"table-{self.styler.uuid}.csv"
        return (
            f'<a class="tr-csv" download="{name}" href="data:text/csv;base64,{body}" '
            'style="font-size:0.85em">Data (CSV)</a>'
        )

    def to_html(self) -> str:
        note = f'<p style="font-size:0.85em;color:#555;margin:0.3em 0">{self.note}</p>'
        body = labelled_cells(str(self.styler.to_html()), self.labels, self.long)
        link = self.csv_link()
        cards = " tr-cards" if self.long and len(self.labels) >= CARD_COLUMNS else ""
        return (
            f'<div class="tr-table{cards}" style="{_BOX}">'
            f"{body}{note if self.note else ''}{link}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def csv_number(value: float, dollars: bool = False) -> str:
    """A number as a data file writes it: dollars (``dollars``) and anything of 100,000 or
    more to the whole unit, anything else to 6 significant digits; never in scientific
    notation (0.0000881556, not 8.8e-05)."""
    if math.isnan(value):
        return ""
    if dollars or abs(value) >= 1e5:
        return str(round(value))
    text = np.format_float_positional(value, precision=6, unique=False, fractional=False, trim="-")
    return text.rstrip(".")


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float columns written by :func:`csv_number` (a column whose name ends
    in ``_usd`` holds dollars); other columns as they are."""
    out = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            dollars = str(column).endswith("_usd")
            out[column] = [csv_number(float(v), dollars) for v in frame[column]]
    return out


def long_text_columns(frame: pd.DataFrame) -> frozenset[int]:
    """The positions of ``frame``'s columns that hold long text (a reason, a citation): in a
    card each takes its own lines, the short cells flow beside each other."""
    return frozenset(
        i
        for i, c in enumerate(frame.columns)
        if not pd.api.types.is_numeric_dtype(frame[c])
        and any(isinstance(v, str) and len(_TAG.sub("", v)) > CARD_TEXT_CHARS for v in frame[c])
    )


def labelled_cells(body: str, labels: Sequence[str], long: frozenset[int] = frozenset()) -> str:
    """The table's HTML with each body cell carrying its column's header as ``data-label``
    (escaped), which a phone shows before the value when the rows are cards; the cells of
    the ``long`` columns are marked ``data-long``."""
    if not labels:
        return body

    def label(match: re.Match[str]) -> str:
        column = int(match.group(2))
        text = html.escape(labels[column].strip(), quote=True)
        return f'{match.group(1)} data-label="{text}"' + (
            ' data-long="1"' if column in long else ""
        )

    return _BODY_CELL.sub(label, body)


def _cell_style(column: Column, values: pd.Series) -> str:
    """The style of a column's cells: numbers right, single dates whole, text wrapped."""
    if column.numeric:
        return _NUMBER_CELL
    return _DATE_CELL if _holds_dates(values) else _TEXT_CELL


def _for_readers(value: object) -> object:
    return for_readers(value) if isinstance(value, str) else value


def table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    note: str | None = None,
    spanners: Mapping[str, Sequence[str]] | None = None,
    hide_index: bool = True,
    focus: str = "the focus partner",
) -> Table:
    """``frame`` as a reader's table. ``spanners`` groups columns under a shared header
    (``{"Japan": ["exports_value_change_usd", ...]}``); ``caption`` and ``note`` are plain
    text (escaped here); ``focus`` is the focus partner's name for ``focus_*`` columns. The
    same frame gives the same bytes."""
    data = frame if hide_index else frame.reset_index()
    raw = data.reset_index(drop=True)  # what the CSV hands over: values, not cells
    handed = with_partner_names(raw)  # partner names as shown, the ids beside them
    for column in [c for c in raw.columns if pd.api.types.is_string_dtype(raw[c])]:
        raw[column] = raw[column].map(_for_readers)
        if f"{column}_id" not in handed.columns:  # not a column of partner ids
            handed[column] = raw[column]
    data, links = _with_links(raw)
    shown = columns_of(data, links, focus)
    uuid = hashlib.sha256(data.to_csv().encode("utf-8")).hexdigest()[:10]
    labelled = data.rename(columns={c: shown[str(c)].label for c in data.columns})
    groups = {str(c): g for g, cols in (spanners or {}).items() for c in cols}
    if groups:
        labelled.columns = pd.MultiIndex.from_tuples(
            [(groups.get(str(c), ""), shown[str(c)].label) for c in data.columns]
        )
    styler = labelled.style.hide(axis="index").set_uuid(uuid)
    styler = styler.set_table_styles(_TABLE_STYLES)
    # Every column's cells in one call, and its style by its position (``td.col<i>``, the
    # selector pandas makes of ``{label: [{"selector": "td", ...}]}``): a call per column cost
    # pandas' indexing per column, about half of a small table's time. Same HTML.
    columns = list(zip(labelled.columns, shown.values(), strict=True))
    styler = styler.format({key: col.render for key, col in columns})
    styler = styler.set_table_styles(
        [
            {"selector": f"td.col{i}", "props": _cell_style(col, data[name])}
            for i, (name, (_, col)) in enumerate(zip(data.columns, columns, strict=True))
        ],
        overwrite=False,
    )
    if len(data.columns) >= WIDE_COLUMNS:
        styler = styler.set_table_styles(_WIDE, overwrite=False)
    styler = styler.format_index(html_text, axis=1)
    if caption:
        styler = styler.set_caption(html_text(caption))
    labels = [  # a card's labels name the group a column sits under
        f"{groups[str(c)]}: {shown[str(c)].label}" if groups.get(str(c)) else shown[str(c)].label
        for c in data.columns
    ]
    return Table(styler, html_text(note) if note else None, handed, labels, long_text_columns(data))


def with_partner_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV a table hands over: partner columns (``partner``, ``source``) as the table
    shows them ("Other FTA partners", not ``ftrow``), each followed by ``<column>_id`` with
    the package's id (what the command line and the files take); a column that holds no
    partner id (a source's citation) is left as it is."""
    out = frame.copy()
    for column in [c for c in frame.columns if str(c) in _PARTNER_COLUMNS]:
        ids = frame[column]
        if not ids.map(lambda v: isinstance(v, str) and v in PARTNER_LABELS).any():
            continue
        out[column] = ids.map(lambda v: partner_label(v) if isinstance(v, str) else v)
        out.insert(out.columns.get_loc(column) + 1, f"{column}_id", ids)
    return out
