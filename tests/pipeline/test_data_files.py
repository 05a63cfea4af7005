"""data/<report>/: the CSV behind every table and chart, written from the executed notebook."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from analysis.pipeline.data_files import report_csvs, report_data, write_report_data

_VL = "application/vnd.vegalite.v6+json"


def _notebook() -> dict[str, object]:
    table = base64.b64encode(b"partner,rate\njapan,0.132\n").decode()
    link = (
        '<div class="tr-table"><table><caption>Rates &amp; <i>duties</i></caption></table>'
        f'<a class="tr-csv" download="t.csv" href="data:text/csv;base64,{table}">'
    )
    chart = {
        "title": {"text": "Tariff by partner"},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "axis": {"format": "%"}},
            "tooltip": [{"field": "y", "title": "Partner"}],
        },
        "datasets": {"d1": [{"x": 1, "y": "a"}, {"x": 2, "y": "b,c"}]},
    }
    return {
        "cells": [
            {"cell_type": "code", "outputs": [{"data": {"text/html": [link, "</a></div>"]}}]},
            {"cell_type": "markdown", "source": "text"},
            {"cell_type": "code", "outputs": [{"data": {_VL: chart, "text/plain": "chart"}}]},
        ]
    }


def test_every_table_and_chart_becomes_a_file_in_page_order() -> None:
    files = report_csvs(_notebook())
    assert files == {
        "table-01.csv": "partner,rate\njapan,0.132\n",
        "chart-01.csv": 'x,y\n1,a\n2,"b,c"\n',
    }


def test_the_folder_matches_the_report_it_sits_beside(tmp_path: Path) -> None:
    executed = tmp_path / "r.ipynb"
    executed.write_text(json.dumps(_notebook()))
    folder = tmp_path / "data" / "r"
    folder.mkdir(parents=True)
    (folder / "table-09.csv").write_text("stale\n")
    os.utime(folder, (0, 0))  # older than the notebook
    written = write_report_data(tmp_path, "r", executed)
    names = ["chart-01.csv", "data_dictionary.csv", "index.html", "table-01.csv"]
    assert sorted(p.name for p in written) == names
    assert sorted(p.name for p in folder.iterdir()) == names
    dictionary = (folder / "data_dictionary.csv").read_text()
    assert "table-01.csv,rate,Rate,share (0.132 = 13.2%)," in dictionary
    assert write_report_data(tmp_path, "r", executed) == []  # up to date: nothing rewritten
    (folder / "index.html").unlink()  # a folder an earlier version wrote: no page
    assert len(write_report_data(tmp_path, "r", executed)) == 4


def test_each_file_says_what_it_holds_from_the_caption_or_the_chart_title() -> None:
    files = report_data(_notebook())
    assert [(f.name, f.what) for f in files] == [
        ("table-01.csv", "Table: Rates & duties"),
        ("chart-01.csv", "Chart: Tariff by partner"),
    ]
    assert files[1].rows == 2 and files[1].columns == ["x", "y"]


def test_a_charts_long_data_comes_before_its_wide_data_and_numbers_are_plain() -> None:
    """Whatever the datasets' (hashed) names, the file with fewer columns (the long table) is
    ``-1``; floats are written to 6 significant digits, never in scientific notation."""
    wide = [{"day": "2025-04-09", "IEEPA": 0.123745644687432, "Section 232": 8.8155e-05}]
    long = [{"day": "2025-04-09", "layer": "IEEPA", "percent": 12.374564468743202}] * 2
    for sets in ({"a": wide, "b": long}, {"b": wide, "a": long}):
        spec = {"title": "Layers", "mark": "area", "datasets": sets}
        nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {_VL: spec}}]}]}
        files = report_csvs(nb)
        assert files["chart-01-1.csv"].startswith("day,layer,percent\n2025-04-09,IEEPA,12.3746\n")
        assert files["chart-01-2.csv"] == "day,IEEPA,Section 232\n2025-04-09,0.123746,0.000088155\n"


def test_two_tables_under_one_heading_are_told_apart() -> None:
    """Two tables with no caption under one heading get "table 1 of 2", "table 2 of 2" (the
    data page listed "Products hit hardest" twice); a lone title is left as it is."""

    def link(text: bytes) -> str:
        body = base64.b64encode(text).decode()
        return f'<a class="tr-csv" href="data:text/csv;base64,{body}">'

    html_out = {"text/html": [link(b"a\n1\n"), link(b"b\n2\n")]}
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "## Products hit hardest"},
            {"cell_type": "code", "outputs": [{"data": html_out}]},
        ]
    }
    whats = [f.what for f in report_data(nb)]
    assert whats == [
        "Table: Products hit hardest, table 1 of 2",
        "Table: Products hit hardest, table 2 of 2",
    ]


def test_a_step_charts_files_say_their_rows_are_the_days_a_rate_changed() -> None:
    steps = [{"valid_from": "2025-04-05T00:00:00", "IEEPA": 10.0}]
    events = [{"date": "2025-04-05T00:00:00", "event": "IEEPA tariff takes effect"}]
    spec = {"title": "Tariff by authority", "datasets": {"a": steps, "b": events}}
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {_VL: spec}}]}]}
    assert [f.what for f in report_data(nb)] == [
        "Chart: Tariff by authority (data 1 of 2): one row for each day a rate changed, and the "
        "last day shown; each rate holds until the next date listed for its partner or legal "
        "authority",
        "Chart: Tariff by authority (data 2 of 2)",  # events: a day each, not a step
    ]


def test_a_charts_files_follow_its_layers_whatever_their_sizes() -> None:
    """The same chart on two pages numbers its files alike (review 8: Canada's authority chart
    has one more authority, so its wide table had more columns than its events and came
    after them, where every other partner's came before)."""
    area = [{"valid_from": "2025-03-04", "authority": "IEEPA", "percent": 20.0}]
    events = [{"date": "2025-03-04", "event": "e", "authority": "IEEPA", "reference": "r"}]
    for authorities in (2, 6):
        wide = [{"valid_from": "2025-03-04", **{f"A{i}": 1.0 for i in range(authorities)}}]
        spec = {
            "layer": [{"data": {"name": "s"}}, {"data": {"name": "e"}}, {"data": {"name": "w"}}],
            "datasets": {"w": wide, "e": events, "s": area},
        }
        nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {_VL: spec}}]}]}
        files = report_csvs(nb)
        assert files["chart-01-1.csv"].startswith("valid_from,authority,percent\n")
        assert files["chart-01-2.csv"].startswith("date,event,authority,reference\n")
        assert files["chart-01-3.csv"].startswith("valid_from,A0,A1")
