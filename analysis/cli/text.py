"""Tables a reader can read in a terminal, and the same rows as CSV.

Text output goes through the outcomes registry: a column's header is its label with the unit
("US tariff revenue ($ bn)"), its cells are in that unit (billions, percent, whole cars) with a
sign where it is a change, and rows are named by the partner or sector name of the data, never
by a code name. CSV output keeps the code names (units in the names, as the JSON does) and the
full-precision values, so a spreadsheet can recompute from it.
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import pandas as pd

from analysis.questions.outcomes import OUTCOMES, Format, number_text

NOT_AVAILABLE = "n/a"


@dataclass(frozen=True)
class Column:
    """One numeric column: code name, reader's header (with unit), format, signed."""

    name: str
    header: str
    fmt: Format
    signed: bool
    decimals: int | None = None  # None: the format's default
    significant: int | None = None  # a model estimate: its registered significant figures

    def cell(self, value: Any) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return NOT_AVAILABLE
        return number_text(
            self.fmt, float(value), self.signed, self.decimals, significant=self.significant
        )


def registered(name: str, partner: str = "the focus partner", sector: str = "") -> Column:
    """The column of a registered outcome, the focus partner and sector named."""
    record = OUTCOMES[name]
    header = record.text_with_unit(partner, sector)
    return Column(name, header, record.fmt, record.signed, record.decimals, record.significant)


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], first_left: bool = True) -> str:
    """Aligned plain-text table: the first column left-aligned, numbers right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.ljust(w) if (i == 0 and first_left) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def frame_text(frame: pd.DataFrame, row_header: str, columns: Sequence[Column]) -> str:
    """``frame`` (index: readers' row names) as a text table of ``columns``."""
    rows = [
        [str(label), *(c.cell(frame.loc[label, c.name]) for c in columns)] for label in frame.index
    ]
    return render([row_header, *(c.header for c in columns)], rows)


def outcomes_text(values: Mapping[str, float | None], columns: Sequence[Column]) -> str:
    """One outcome a line: its label with unit, and the value in that unit."""
    rows = [[c.header, c.cell(values.get(c.name))] for c in columns]
    return render(["Outcome", "Value"], rows)


def write_csv(frame: pd.DataFrame, out: TextIO | None = None) -> None:
    """``frame`` as CSV with code-name headers and full-precision values (index included)."""
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    index = [str(n) for n in frame.index.names]
    writer.writerow([*index, *(str(c) for c in frame.columns)])
    for key, row in frame.iterrows():
        keys = list(key) if isinstance(key, tuple) else [key]
        writer.writerow([*keys, *(_csv_value(v) for v in row.tolist())])


def _csv_value(value: Any) -> str:
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    return str(value)
