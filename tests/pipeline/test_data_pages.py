"""data/<report>/index.html: each CSV named, described in words, counted, linked; text escaped."""

from __future__ import annotations

from analysis.pipeline.data_pages import DataFile, column_text, folder_page, size_text


def test_rows_are_records_not_lines_and_sizes_read_in_words() -> None:
    file = DataFile("table-01.csv", 'a,b\n1,"two\nlines"\n3,x\n', "Table: T")
    assert (file.rows, file.columns, file.size) == (2, ["a", "b"], 22)
    assert [size_text(n) for n in (1, 512, 2048, 3_500_000)] == [
        "1 byte",
        "512 bytes",
        "2.0 kB",
        "3.3 MB",
    ]


def test_the_page_links_every_file_and_the_dictionary_and_escapes_their_text() -> None:
    files = [
        DataFile("table-01.csv", "partner\njapan\n", "Table: <script>alert(1)</script> & co"),
        DataFile("chart-01 x.csv", "x\n1\n2\n", "Chart: Rates"),
    ]
    dictionary = [
        {"file": "table-01.csv", "label": "Partner <b>", "unit": "text"},
        {"file": "chart-01 x.csv", "label": "Rate", "unit": "share (0.132 = 13.2%)"},
    ]
    page = folder_page(files, dictionary, 'Japan "today" <i>', "japan today.html")
    assert (
        "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    )
    assert "Columns: Partner &lt;b&gt;" in page and "<b>" not in page.split("<body>")[1]
    assert '<a href="table-01.csv">table-01.csv</a>' in page
    assert '<a href="chart-01%20x.csv">chart-01 x.csv</a>' in page  # relative, encoded
    assert '<a href="data_dictionary.csv">data_dictionary.csv</a>' in page
    assert '<a href="../../japan%20today.html">' in page and 'href="../../index.html"' in page
    assert "Japan &quot;today&quot; &lt;i&gt;" in page
    # rows, columns, size of the chart file: 2 data rows, 1 column, 6 bytes
    cells = (
        'class="num rows">2<span class="phone"> rows</span></td>'
        '<td class="num cols">1</td><td class="num size">6 bytes'
    )
    assert cells in page
    assert "Columns: Rate (share)" in page  # the label and the unit the file holds it in


def test_a_column_is_listed_with_its_unit_unless_it_is_text() -> None:
    assert (
        column_text({"label": "Trade diverted", "unit": "US dollars"})
        == "Trade diverted (US dollars)"
    )
    assert column_text({"label": "Partner", "unit": "text"}) == "Partner"
    assert column_text({"label": "", "unit": ""}) == "(not described)"
