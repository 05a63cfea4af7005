"""The index page follows the latest attempt of each run."""

from __future__ import annotations

from html import unescape as html_unescape
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.index import index_rows, key_number, write_index
from analysis.pipeline.layout import META_KEY


def write_record(path: Path, status: str, built_at: str, **extra: object) -> None:
    run = path.name.split(".")[0]  # the stamp names the run, as a build writes it
    meta = {"run": run, "title": f"T {run}", "status": status, "built_at": built_at, **extra}
    nbformat.write(nbformat.v4.new_notebook(metadata={META_KEY: meta}), path)


def test_index_status_follows_the_latest_attempt(tmp_path: Path) -> None:
    write_record(tmp_path / "a.ipynb", "ok", "2026-01-02T00:00:00Z", summary={"text": "A up"})
    (tmp_path / "a.html").write_text("x")
    write_record(tmp_path / "a.failed.ipynb", "failed", "2026-01-03T00:00:00Z", error="E1")
    write_record(tmp_path / "b.ipynb", "ok", "2026-01-05T00:00:00Z")
    (tmp_path / "b.html").write_text("x")
    write_record(tmp_path / "b.failed.ipynb", "failed", "2026-01-04T00:00:00Z", error="old")
    write_record(tmp_path / "c.failed.ipynb", "failed", "2026-01-04T00:00:00Z", error="E3")
    (tmp_path / ".c.abc.tmp.ipynb").write_text("{")  # a build in progress: ignored
    rows = {r.name: r for r in index_rows(tmp_path)}
    assert sorted(rows) == ["a", "b", "c"]
    assert (rows["a"].status, rows["a"].html, rows["a"].error) == ("failed", "a.html", "E1")
    assert rows["a"].summary == "A up"
    assert (rows["b"].status, rows["b"].error) == ("ok", None)
    assert (rows["c"].status, rows["c"].html) == ("failed", None)
    html = write_index(tmp_path).read_text()
    assert "2026-01-03 00:00 UTC" in html and "last good build" in html


def write_spec(folder: Path, name: str, notebook: str, **parameters: str) -> str:
    lines = [f"title: T {name}", f"notebook: {notebook}", "parameters:"]
    lines += [f"  {k}: {v}" for k, v in parameters.items()]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_the_index_leads_with_today_and_files_the_rest_as_history(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    runs = {
        "a_deal": ("scenario_report", {"scenario": "deal_15", "partner": "japan"}),
        "b_canada": ("partner_report", {"scenario": "current", "partner": "canada"}),
        "c_japan": ("partner_report", {"scenario": "current", "partner": "japan"}),
        "d_today": ("scenario_report", {"scenario": "current", "partner": "japan"}),
        "e_cars": ("autos", {}),
    }
    for name, (notebook, params) in runs.items():
        spec = write_spec(specs, name, notebook, **params)
        summary = {"text": "S", "numbers": {"us_buyer_cost_per_household_usd": 3928.4}}
        write_record(
            out / f"{name}.ipynb",
            "ok",
            "2026-01-02T00:00:00Z",
            notebook=notebook,
            spec=spec,
            summary=summary,
        )
        (out / f"{name}.html").write_text("x")
    rows = index_rows(out)
    today = [r.name for r in rows if r.kind == "Today's law"]
    assert today == ["d_today", "c_japan", "b_canada"]  # the flagship report, then Japan first
    deal = next(r for r in rows if r.name == "a_deal")
    assert deal.kind.startswith("History") and "23 February 2026" in deal.law
    assert rows[0].key_value == "+$3,930"  # a model estimate: 3 significant figures
    html = write_index(out).read_text()
    assert (
        html.index("<h2>Today&#x27;s law</h2>")
        < html.index("<h2>History")
        < html.index("Cars</h2>")
    )
    assert "28 November 2026" in html  # the law's date, from params/law_status.yaml
    assert "th.cellIndex" in html  # each table sorts its own columns
    assert 'data-sort="3928.4"' in html and "table.sortable" in html
    assert '<meta name="viewport"' in html and "@media (max-width: 600px)" in html


def test_a_key_number_without_a_unit_is_never_a_raw_float() -> None:
    label, text, value = key_number({"p10": -0.19058305450675353})
    assert (
        text == "−0.19"
        and value == -0.19058305450675353
        and label == "10th percentile (outcome's unit)"
    )
    assert key_number({"figures_within_one_point": 3})[1] == "3"  # a count, not "3.00"


def test_each_report_links_its_data_folder(tmp_path: Path) -> None:
    import base64

    csv = base64.b64encode(b"a,b\n1,2\n").decode()
    cell = nbformat.v4.new_code_cell(source="")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": f'<a class="tr-csv" href="data:text/csv;base64,{csv}">D</a>'},
        )
    ]
    meta = {"run": "r", "title": "T r", "status": "ok", "built_at": "2026-01-02T00:00:00Z"}
    nbformat.write(
        nbformat.v4.new_notebook(cells=[cell], metadata={META_KEY: meta}), tmp_path / "r.ipynb"
    )
    (tmp_path / "r.html").write_text("x")
    html = write_index(tmp_path).read_text()
    assert (tmp_path / "data" / "r" / "table-01.csv").read_text() == "a,b\n1,2\n"
    assert '<a class="data" href="data/r/index.html">Data: 1 CSV file</a>' in html
    page = (tmp_path / "data" / "r" / "index.html").read_text()
    assert '<a href="table-01.csv">' in page and '<a href="../../r.html">' in page
    # The sort keys are compared as numbers only when the whole key is one (not "2026-...").
    assert "number.test(x) && number.test(y)" in html


def test_a_key_that_is_a_shared_figure_shows_its_label_in_words(tmp_path: Path) -> None:
    label = "Additional US tariff on Japan, 28 November 2026, above the MFN or trade-agreement duty"
    summary = {
        "text": "S",
        "numbers": {"partner_additional_tariff_rate": 0.117},
        "key": label,
        "figures": {label: {"value": 0.117, "text": "11.7%"}},
    }
    write_record(tmp_path / "t.ipynb", "ok", "2026-01-02T00:00:00Z", summary=summary)
    (tmp_path / "t.html").write_text("x")
    (row,) = index_rows(tmp_path)
    assert (row.key_label, row.key_value, row.key_sort) == (label, "11.7%", 0.117)
    assert f"<small>{label}</small>" in write_index(tmp_path).read_text()


def test_titles_sort_without_their_article_and_every_column_has_a_key() -> None:
    from analysis.pipeline.index import _title_sort_key

    # A reader looks "The European Union ..." up under E, between China and Japan.
    titles = ["The European Union report", "China report", "Japan report", "An other report"]
    assert sorted(titles, key=_title_sort_key) == [
        "China report",
        "The European Union report",
        "Japan report",
        "An other report",
    ]
    assert _title_sort_key("Theory of tariffs") == "theory of tariffs"  # a word, not an article


def test_a_users_params_folder_reads_the_law_date_and_titles_through_the_layers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user's folder holding only a report spec: the law's date and a shipped scenario's
    # title come from the shipped layer below it (an unreadable file would give "" or fail).
    from analysis.inputs.paths import SHIPPED_PARAMS_DIR
    from analysis.inputs.validate import read_yaml
    from analysis.pipeline.index import law_date, scenario_title

    shipped = read_yaml(SHIPPED_PARAMS_DIR / "law_status.yaml")
    title = read_yaml(SHIPPED_PARAMS_DIR / "scenarios" / "deal_15.yaml")["title"]
    (tmp_path / "reports").mkdir()
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(tmp_path))
    assert law_date() == shipped["known_through"]
    assert title and scenario_title("deal_15") == title


def test_every_reports_row_shows_its_built_time_on_one_line(tmp_path: Path) -> None:
    # Review 10 read the "Built" cell as wrapped over two lines in every row at 1280 px.
    import re

    for name, built in (("a", "2026-12-06T07:04:39Z"), ("sensitivity", "2026-12-06T07:05:04Z")):
        write_record(tmp_path / f"{name}.ipynb", "ok", built, summary={"text": name})
        (tmp_path / f"{name}.html").write_text("x")
    html = write_index(tmp_path).read_text()
    cells = re.findall(r'<td class="built" data-sort="([^"]*)">([^<]*)</td>', html)
    assert sorted(cells) == [
        ("2026-12-06T07:04:39Z", "2026-12-06 07:04 UTC"),
        ("2026-12-06T07:05:04Z", "2026-12-06 07:05 UTC"),
    ]
    assert "td.num, td.built { white-space: nowrap; }" in html


@pytest.mark.slow
def test_the_key_numbers_of_the_comparison_and_sensitivity_name_the_partner(
    tmp_path: Path,
) -> None:
    """Review 30 read "Worst focus exports value change" (scenario_comparison) and "The focus
    partner's exports to the US, change" (sensitivity) on the index: each label now says what
    the number is, names the partner, and is the label of the report's own card."""
    import re

    from analysis.inputs.paths import PROJECT_DIR
    from analysis.pipeline.build import build_reports
    from analysis.pipeline.runs import load_run

    runs = [
        load_run(PROJECT_DIR / "params" / "reports" / f"{name}.yaml", PROJECT_DIR / "notebooks")
        for name in ("scenario_comparison", "sensitivity")
    ]
    results = build_reports(runs, tmp_path, jobs=2)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    rows = {r.name: r for r in index_rows(tmp_path)}
    expected = {
        "scenario_comparison": (
            "Japan's exports to the US, change: the costliest scenario, Japan at 35%"
        ),
        "sensitivity": "Japan's exports to the US, change: median of the draws",
    }
    for name, label in expected.items():
        row = rows[name]
        assert row.key_label == label, (name, row.key_label)
        assert not re.search(r"focus|_|\bworst\b", row.key_label, re.IGNORECASE), row.key_label
        page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        card = re.search(r'class="tr-key"[^>]*><div[^>]*>([^<]*)</div><div[^>]*>([^<]*)<', page)
        assert card is not None and html_unescape(card[1]) == label, name
        assert html_unescape(card[2]) == row.key_value, (name, card[2], row.key_value)
