"""The index page follows the latest attempt of each run."""

from __future__ import annotations

from pathlib import Path

import nbformat

from analysis.pipeline.index import index_rows, write_index
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


def test_the_index_groups_reports_by_kind_with_their_key_number(tmp_path: Path) -> None:
    summary = {"text": "T", "numbers": {"n": 3, "partner_exports_value_change": -0.17}}
    summary["key"] = "partner_exports_value_change"
    write_record(
        tmp_path / "b.ipynb", "ok", "2026-01-02T00:00:00Z", notebook="autos", summary=summary
    )
    write_record(
        tmp_path / "a.ipynb",
        "ok",
        "2026-01-02T00:00:00Z",
        notebook="scenario_report",
        summary={"text": "S", "numbers": {"us_buyer_cost_per_household_usd": 3928.4}},
    )
    for name in "ab":
        (tmp_path / f"{name}.html").write_text("x")
    rows = {r.name: r for r in index_rows(tmp_path)}
    assert (rows["a"].kind, rows["a"].key_value) == ("Japan scenarios", "+$3,928")
    assert (rows["b"].kind, rows["b"].key_value) == ("Cars", "−17.0%")
    html = write_index(tmp_path).read_text()
    assert html.index("<h2>Japan scenarios</h2>") < html.index("<h2>Cars</h2>")
    assert 'data-sort="3928.4"' in html and "table.sortable" in html
    assert '<meta name="viewport"' in html and "@media (max-width: 600px)" in html
