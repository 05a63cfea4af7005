"""The output folder layout: where each run's files go and which runs a folder holds."""

from __future__ import annotations

from pathlib import Path

from analysis.pipeline.layout import failed_path, html_path, ipynb_path, report_names


def test_a_run_has_its_report_notebook_and_failed_notebook_side_by_side(tmp_path: Path) -> None:
    assert html_path(tmp_path, "japan") == tmp_path / "japan.html"
    assert ipynb_path(tmp_path, "japan") == tmp_path / "japan.ipynb"
    assert failed_path(tmp_path, "japan") == tmp_path / "japan.failed.ipynb"


def test_report_names_come_from_good_and_failed_notebooks_without_temporaries(
    tmp_path: Path,
) -> None:
    for name in (
        "alpha.ipynb",
        "alpha.failed.ipynb",  # the same run, last attempt failed
        "beta.failed.ipynb",  # never built successfully
        "v1.2.ipynb",  # a dot inside a run name
        ".gamma.x1y2.tmp.ipynb",  # a build in progress
        "delta.html",  # a report without its notebook is not listed
        "index.html",
    ):
        (tmp_path / name).write_text("")
    assert report_names(tmp_path) == ["alpha", "beta"]


def test_an_empty_or_missing_folder_holds_no_reports(tmp_path: Path) -> None:
    assert report_names(tmp_path) == []
    assert report_names(tmp_path / "missing") == []
