"""Terminal tables and CSV: units from the registry, names not code names, no long decimals."""

from __future__ import annotations

import io

import pandas as pd

from analysis.cli.text import Column, frame_text, outcomes_text, registered, render, write_csv


def test_registered_columns_carry_the_unit_and_the_focus_name() -> None:
    column = registered("focus_exports_value_change_usd", "Japan")
    assert column.header == "Japan's exports to the US, change ($ bn)"
    assert column.cell(-24_450_395_748.8) == "−24.5"
    assert column.cell(None) == "n/a" and column.cell(float("nan")) == "n/a"


def test_tables_align_numbers_right_and_names_left() -> None:
    text = render(["Partner", "Tariff (%)"], [["Japan", "13.4"], ["European Union", "9.0"]])
    lines = text.splitlines()
    assert lines[0].startswith("Partner") and lines[2].startswith("Japan ")
    assert lines[2].endswith("13.4") and lines[3].endswith(" 9.0")
    frame = pd.DataFrame({"rate": [0.12345]}, index=["Japan"])
    assert "12.3" in frame_text(frame, "Partner", [Column("rate", "Rate (%)", "percent", False)])
    assert outcomes_text({"x": 2.5e9}, [Column("x", "X ($ bn)", "usd_bn", True)]).endswith("+2.5")


def test_csv_keeps_code_names_and_full_precision() -> None:
    out = io.StringIO()
    frame = pd.DataFrame({"tariff_rate": [0.1234567890123, float("nan")]}, index=["japan", "eu"])
    frame.index.name = "partner"
    write_csv(frame, out)
    assert out.getvalue() == "partner,tariff_rate\njapan,0.1234567890123\neu,\n"
