"""data_dictionary.csv: every column of a report's CSV files described from the registries."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.pipeline.data_dictionary import (
    DICTIONARY_NAME,
    FieldUse,
    chart_fields,
    chart_unit,
    dictionary_csv,
    dictionary_rows,
    registered_entry,
    unregistered,
)


def _by_column(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    return {r["column"]: (r["label"], r["unit"]) for r in rows}


def test_a_tables_columns_get_their_registry_label_and_the_unit_the_file_holds() -> None:
    headers = {
        "table-01.csv": [
            "partner",
            "value_change_usd",
            "base_tariff_rate",
            "rate_Section 232",
            "reference",
            "reference_url",
            "date",
        ]
    }
    got = _by_column(dictionary_rows(headers))
    assert got == {
        "partner": ("Partner", "text"),
        "value_change_usd": ("Sales to the US, change", "US dollars"),
        "base_tariff_rate": ("Tariff, baseline", "share (0.132 = 13.2%)"),
        "rate_Section 232": ("Section 232: additional tariff rate", "share (0.132 = 13.2%)"),
        "reference": ("Legal source", "text"),
        "reference_url": ("Legal source: link", "web address"),
        "date": ("Date", "date (YYYY-MM-DD; chart files add the time, 00:00:00)"),
    }


def test_the_focus_partner_is_named_in_words() -> None:
    rows = dictionary_rows({"t.csv": ["focus_exports_value_change_usd"]}, partner="japan")
    assert rows[0]["label"] == "Japan's exports to the US, change"
    assert rows[0]["unit"] == "US dollars"


def test_a_chart_that_holds_a_quantity_in_billions_says_so() -> None:
    # The what-if panels hold tariff revenue in billions (axis title "$ bn"); a tooltip
    # formatted with d3's "%" holds a share; "(%)" in a title with a plain format: percent.
    fields = {
        "chart-01.csv": {
            "tariff_revenue_usd": FieldUse(("$ bn",), ("$,.1~f",)),
            "value_change": FieldUse(("Change (%)",), ("+.1%",)),
            "IEEPA": FieldUse(("IEEPA (%)",), (".2f",)),
        }
    }
    headers = {"chart-01.csv": ["tariff_revenue_usd", "value_change", "IEEPA"]}
    got = _by_column(dictionary_rows(headers, fields=fields))
    assert got["tariff_revenue_usd"] == ("US tariff revenue", "billions of US dollars")
    assert got["value_change"] == ("Sales to the US, change", "share (0.132 = 13.2%)")
    assert got["IEEPA"] == ("IEEPA: additional tariff", "percent (13.2 = 13.2%)")
    # The timeline chart's hover data name their unit in the header: the same entry.
    named = {"chart-01.csv": {"IEEPA (%)": FieldUse(("IEEPA (%)",), (".2f",))}}
    in_header = _by_column(dictionary_rows({"chart-01.csv": ["IEEPA (%)"]}, fields=named))
    assert in_header["IEEPA (%)"] == ("IEEPA: additional tariff", "percent (13.2 = 13.2%)")
    assert chart_unit(FieldUse(("Month",), ("%b %Y",))) is None  # a date format, not a share
    assert chart_unit(FieldUse(("From",), ("$,.0f",))) == "usd"  # dollars, no "bn" anywhere
    assert chart_unit(FieldUse((), ("$,.1f",), ("Contribution ($ billion a year)",))) == "usd_bn"


def test_a_text_column_that_holds_numbers_in_a_chart_is_the_value_of_its_row() -> None:
    # The tornado's data: "outcome" holds the outcome's value, "end" which end of the range.
    fields = {
        "chart-03.csv": {
            "outcome": FieldUse(("Outcome",), ("$,.1f",), ("Exports, change ($ bn)",)),
            "end": FieldUse(("Parameter at", "At"), ()),
        }
    }
    holds = {"chart-03.csv": {"outcome": "number", "end": "text"}}
    headers = {"chart-03.csv": ["outcome", "end"]}
    got = _by_column(dictionary_rows(headers, fields=fields, holds=holds))
    assert got["outcome"] == ("Outcome: value", "billions of US dollars")
    assert got["end"] == ("Parameter at", "text")  # "end" is a histogram edge elsewhere


def test_a_column_nothing_registers_gets_no_label_and_is_listed() -> None:
    rows = dictionary_rows({"chart-02.csv": ["partner", "mystery_thing"]})
    assert rows[1]["label"] == "" and rows[1]["unit"] == ""  # never its code name
    assert unregistered(rows) == ["chart-02.csv: mystery_thing"]
    assert registered_entry("mystery_thing") is None


def test_the_dictionary_is_one_header_row_and_one_row_per_file_and_column() -> None:
    rows = dictionary_rows({"a.csv": ["partner", "tariff_rate"], "b.csv": ["partner"]})
    text = dictionary_csv(rows)
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == ["file", "column", "label", "unit", "definition"]
    assert [(r[0], r[1]) for r in records[1:]] == [
        ("a.csv", "partner"),
        ("a.csv", "tariff_rate"),
        ("b.csv", "partner"),
    ]
    assert records[2][4] == "Ad valorem tariff rate."  # the registry's description


def test_each_dataset_of_a_chart_keeps_how_its_own_views_show_its_fields() -> None:
    # Two histograms stacked: one of a share, one of dollars, each drawing its own dataset.
    def panel(data: str, fmt: str) -> dict[str, object]:
        return {
            "data": {"name": data},
            "mark": "bar",
            "title": "Panel " + data,
            "encoding": {"x": {"field": "start", "axis": {"format": fmt}, "title": "From"}},
        }

    spec = {"vconcat": [panel("a", "%"), panel("b", "$,.0f")], "datasets": {"a": [], "b": []}}
    uses = chart_fields(spec)
    assert uses["a"]["start"] == FieldUse(("From",), ("%",), ("Panel a",))
    assert uses["b"]["start"] == FieldUse(("From",), ("$,.0f",), ("Panel b",))


def test_the_two_dates_of_a_measure_are_described_apart() -> None:
    """The layers table's two date columns: the day a rate applies in law and the cited
    source's date, each with a definition of its own (once both were "Date": "A date.")."""
    in_force = registered_entry("in_force_from")
    dated = registered_entry("reference_date")
    assert in_force is not None and dated is not None
    assert (in_force.label, dated.label) == ("In force from", "Source dated")
    assert in_force.unit == dated.unit == "date"
    assert "effective" in in_force.definition and "not the day" in dated.definition
    assert registered_entry("source_date") is not None


def test_a_partner_id_column_is_described_as_the_package_id() -> None:
    entry = registered_entry("partner_id")
    assert entry is not None and entry.label == "Partner id"
    assert "ftrow" in entry.definition and "row" in entry.definition
    assert registered_entry("source_id") is not None


def undescribed_headers(reports_dir: Path) -> list[str]:
    """Every column of every CSV file shipped under ``reports_dir/data`` that its folder's
    data dictionary does not describe (a row with a label and a definition)."""
    missing = []
    for folder in sorted(p for p in (reports_dir / "data").iterdir() if p.is_dir()):
        rows = list(csv.DictReader(io.StringIO((folder / DICTIONARY_NAME).read_text())))
        described = {(r["file"], r["column"]) for r in rows if r["label"] and r["definition"]}
        for path in sorted(folder.glob("*.csv")):
            if path.name == DICTIONARY_NAME:
                continue
            header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            missing += [
                f"{folder.name}/{path.name}: {c}" for c in header if (path.name, c) not in described
            ]
    return missing


@pytest.mark.slow
def test_every_header_of_every_shipped_csv_is_in_the_dictionary(real_reports_dir: Path) -> None:
    """The code-name headers (``gap_rate``, ``rate_Section 232``) are explained: each column
    of each file of each report's data folder has its row, with a label and a definition."""
    assert undescribed_headers(real_reports_dir) == []


def test_the_header_check_finds_an_undescribed_column(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "r"
    folder.mkdir(parents=True)
    (folder / "table-01.csv").write_text("gap_rate,extra\n0.1,2\n")
    (folder / DICTIONARY_NAME).write_text(
        "file,column,label,unit,definition\ntable-01.csv,gap_rate,Gap,fraction,The gap.\n"
    )
    assert undescribed_headers(tmp_path) == ["r/table-01.csv: extra"]


def test_a_step_charts_date_says_until_when_its_values_hold() -> None:
    entry = registered_entry("valid_from")
    assert entry is not None and entry.unit == "date"
    assert entry.label == "In force from (until the next date listed)"
    assert "until the day before the next date listed" in entry.definition
    assert "only the days a value changed" in entry.definition.lower()
