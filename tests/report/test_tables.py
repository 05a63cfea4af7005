"""Reader's tables: labels with units, scaled numbers, links, spanners, a box that never cuts."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

from analysis.report.tables import WIDE_COLUMNS, humanize, table

HOSTILE = "<script>alert('x')</script>"


def test_unknown_names_become_words_with_their_unit() -> None:
    assert humanize("imports_2024_usd") == "Imports 2024 ($ bn)"
    assert humanize("gap_rate") == "Gap (%)"
    assert humanize("as_of") == "As of"


def test_headers_are_labels_and_partners_are_named() -> None:
    frame = pd.DataFrame(
        {"partner": ["japan", "eu"], "focus_exports_value_change_usd": [-2.46e10, 1e9]}
    )
    out = table(frame, focus="Japan").to_html()
    headers = [html.unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>", out)]
    assert headers == ["Partner", "Japan's exports to the US, change ($ bn)"]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", out)
    assert cells == ["Japan", "−24.6", "European Union", "+1.0"]


def test_spanners_group_columns_and_notes_are_escaped() -> None:
    frame = pd.DataFrame({"base_tariff_rate": [0.02], "new_tariff_rate": [0.15], "x": ["a"]})
    out = table(
        frame, spanners={"Tariff": ["base_tariff_rate", "new_tariff_rate"]}, note=HOSTILE
    ).to_html()
    assert out.count(">Tariff<") == 1 and "Tariff, baseline (%)" in out
    assert "<script" not in out and "&lt;script&gt;" in out


def test_the_table_sits_in_a_box_that_scrolls_instead_of_cutting() -> None:
    out = table(pd.DataFrame({"a": [1.0]})).to_html()
    assert out.startswith('<div class="tr-table" style="max-width:100%;overflow-x:auto')
    assert "white-space: normal" in out  # headers and text wrap


def test_an_index_becomes_a_labelled_column() -> None:
    frame = pd.DataFrame({"tariff_rate": [0.1]}, index=pd.Index(["japan"], name="partner"))
    out = table(frame, hide_index=False).to_html()
    assert re.findall(r"<td[^>]*>([^<]*)</td>", out) == ["Japan", "10.0"]


def _csv_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV a table's "Data (CSV)" link hands over, read back."""
    import base64
    import io

    link = table(frame).csv_link()
    body = re.search(r"base64,([A-Za-z0-9+/=]+)", link)
    assert body is not None
    return pd.read_csv(io.StringIO(base64.b64decode(body[1]).decode("utf-8")))


def test_the_csv_names_partners_as_the_table_does_and_keeps_their_ids() -> None:
    """A partner column holds the names a reader sees ("Other FTA partners", "All imports"),
    with the package's ids in the next column; a "source" column of citations stays as is."""
    frame = pd.DataFrame(
        {"partner": ["ftrow", "row", "all", "japan"], "base_imports_usd": [1.0, 2.0, 3.0, 4.0]}
    )
    out = _csv_of(frame)
    assert list(out.columns) == ["partner", "partner_id", "base_imports_usd"]
    assert list(out["partner"]) == [
        "Other FTA partners", "Rest of world", "All imports", "Japan",
    ]  # fmt: skip
    assert list(out["partner_id"]) == ["ftrow", "row", "all", "japan"]
    cited = pd.DataFrame({"source": ["Proclamation 10908 (90 FR 14705)"], "item": ["autos"]})
    assert list(_csv_of(cited).columns) == ["source", "item"]


def test_a_table_with_long_text_is_cards_on_a_phone_with_labelled_cells() -> None:
    """Every body cell carries its header (escaped, its group's name before it) as
    ``data-label``; a table of three columns or more one of which holds text longer than
    55 characters is marked ``tr-cards`` and its long cells ``data-long``; a table of short
    cells is not."""
    from analysis.report.tables import table

    reason = "Ours is lower: " + "the exemption of USMCA goods " * 3
    wide = table(
        pd.DataFrame({"partner": ["jpn"], "why": [reason], "gap_rate": [0.1]}),
        spanners={"Gap & why": ["why", "gap_rate"]},
    ).to_html()
    assert 'class="tr-table tr-cards"' in wide
    assert 'data-label="Partner"' in wide
    assert 'data-label="Gap &amp; why: Why the numbers differ" data-long="1"' in wide
    assert 'data-label="Gap &amp; why: Gap, ours minus published (percentage points)" >' in wide
    short = table(pd.DataFrame({"partner": ["jpn"], "why": ["short"], "gap_rate": [0.1]}))
    assert "tr-cards" not in short.to_html() and 'data-label="Partner"' in short.to_html()


def test_a_tables_csv_writes_plain_rounded_numbers() -> None:
    """Fractions to 6 significant digits without an exponent, dollars to the whole dollar
    (by hand: 0.12374564468743202 -> 0.123746, 8.8155e-05 -> 0.000088155, $5,559,101,989.56
    -> 5559101990); integers and text as they are."""
    from analysis.report.tables import csv_number

    frame = pd.DataFrame(
        {
            "partner": ["jpn", "kor"],
            "gap_rate": [0.12374564468743202, 8.8155e-05],
            "tariff_revenue_usd": [5559101989.561914, float("nan")],
            "units": [3, 4],
        }
    )
    link = table(frame).csv_link()
    text = base64.b64decode(re.search(r"base64,([^\"]+)", link)[1]).decode()
    assert text.splitlines()[1:] == ["jpn,0.123746,5559101990,3", "kor,0.000088155,,4"]
    assert csv_number(-0.102) == "-0.102" and csv_number(1.0) == "1" and csv_number(0.25) == "0.25"
    assert csv_number(417986720127.0) == "417986720127" and csv_number(12.5, dollars=True) == "12"


def test_small_plain_numbers_and_tariff_equivalents_show_as_the_text_gives_them() -> None:
    # Review 6, item 13: the autos table printed 0.06 and 346.5 beside the text's 0.057 and 347%.
    frame = pd.DataFrame(
        {"supply elasticity": [0.0571, 0.729], "ver_tariff_equivalent": [3.4652, 0.18462]}
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table(frame).to_html())
    assert cells == ["0.057", "347", "0.73", "18.5"]


def test_each_column_is_aligned_and_written_by_its_kind_under_spanners_too() -> None:
    frame = pd.DataFrame(
        {"partner": ["japan", "eu"], "base_tariff_rate": [0.02, 0.1], "x": ["a", "b"]}
    )
    for spanners in (None, {"Tariff": ["base_tariff_rate"]}):
        out = table(frame, spanners=spanners).to_html()
        uuid = re.search(r'<table id="(T_[0-9a-f]+)"', out)[1]  # type: ignore[index]
        styles = dict(re.findall(rf"#{uuid} td\.col(\d) {{\s*([^}}]*?)\s*}}", out))
        assert sorted(styles) == ["0", "1", "2"]  # text left and wrapping, numbers right
        assert "text-align: left" in styles["0"] and "white-space: normal" in styles["0"]
        assert "text-align: right" in styles["1"] and "tabular-nums" in styles["1"]
        assert "text-align: left" in styles["2"]
        cells = re.findall(r'<td [^>]*class="data row(\d) col(\d)"[^>]*>([^<]*)</td>', out)
        assert cells == [
            ("0", "0", "Japan"), ("0", "1", "2.0"), ("0", "2", "a"),
            ("1", "0", "European Union"), ("1", "1", "10.0"), ("1", "2", "b"),
        ]  # fmt: skip


def test_a_column_of_dates_never_wraps_and_text_beside_it_does() -> None:
    # The timeline's events table wrapped "2025-03-04" at its hyphens on a 1280 px screen, and
    # the Japan measures table its "In force from" dates: every column of single ISO dates
    # stays whole, whatever its name.
    frame = pd.DataFrame(
        {
            "date": ["2025-03-04", "2026-09-29"],
            "event": ["Tariff takes effect", "Ban takes effect"],
            "note": ["2025-03-04 and later", None],  # a date inside text is text
            "in_force_from": ["2025-05-03", None],  # a date column by its values
            "from": ["2025-04-05 to 2026-02-23", "2025-04-05"],  # a range is text
        }
    )
    out = table(frame).to_html()
    uuid = re.search(r'<table id="(T_[0-9a-f]+)"', out)[1]  # type: ignore[index]
    styles = dict(re.findall(rf"#{uuid} td\.col(\d) {{\s*([^}}]*?)\s*}}", out))
    for dated in "03":
        assert "white-space: nowrap" in styles[dated] and "text-align: left" in styles[dated]
    assert all("white-space: normal" in styles[c] for c in "124")
    stamped = table(frame.assign(date=pd.to_datetime(frame["date"]))).to_html()
    assert re.search(r"td\.col0 {\s*white-space: nowrap", stamped)  # dates, not text


def test_a_wide_table_has_narrower_cell_padding() -> None:
    # With its dates whole, the validation cost table (eleven columns) fits its page only so.
    narrow = table(pd.DataFrame({f"c{i}": ["x"] for i in range(3)})).to_html()
    wide = table(pd.DataFrame({f"c{i}": ["x"] for i in range(WIDE_COLUMNS)})).to_html()
    assert "padding-left: 4px" in wide and "padding-left: 4px" not in narrow
