"""The reproducibility stamp: versions and a stable parameter hash."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis.report import stamp_table
from analysis.report.stamp import parameters_sha256, reproducibility_stamp


def test_stamp_has_versions_and_a_stable_parameter_hash() -> None:
    stamp = reproducibility_stamp({"b": 1, "a": [1, 2]}, data_checksums={"x.csv": "abc"})
    assert set(stamp) == {
        "package_version",
        "git_commit",
        "parameters_sha256",
        "python_version",
        "data_checksums",
    }
    assert stamp["parameters_sha256"] == parameters_sha256({"a": [1, 2], "b": 1})
    assert stamp["parameters_sha256"] != parameters_sha256({"a": [1, 2], "b": 2})
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", stamp["git_commit"])


def test_stamp_git_commit_unknown_outside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.report import stamp

    monkeypatch.setattr(stamp, "PROJECT_DIR", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert stamp.git_commit() == "unknown"


def test_stamp_table_markdown_and_html() -> None:
    md = stamp_table({"scenario": "x"}, data_checksums={"a|b.csv": "123"})
    assert md.splitlines()[0] == "| item | value |"
    assert "| data: a/b.csv | `123` |" in md
    html = stamp_table({"s": "<b>"}, fmt="html")
    assert html.startswith('<table class="reproducibility-stamp">') and "<b>" not in html
    json.dumps(reproducibility_stamp({"when": __import__("datetime").date(2024, 1, 1)}))


def test_the_stamp_table_names_its_rows_in_words() -> None:
    # The reader sees words, not the record's snake_case keys (FINDINGS5 #11).
    for fmt in ("markdown", "html"):
        shown = stamp_table({"s": 1}, fmt=fmt)  # type: ignore[arg-type]
        for key in ("package_version", "git_commit", "parameters_sha256", "python_version"):
            assert key not in shown, (fmt, key)
        assert "Checksum of the parameters (SHA-256)" in shown and "Python version" in shown
