"""The data behind the reports, as a reader reaches it: from the index, each report's data page
(``data/<report>/index.html``), every CSV it links and the data dictionary beside them.

Runs on ``--reports-dir DIR`` (or ``$TARIFF_REPORTS_HTML_DIR``) when given, else on the demo
build (the browser walk) and on every notebook built with its default parameters (the
dictionary: every column of every CSV described in words, with a unit).
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from conftest import OfflinePage

from analysis.pipeline.data_dictionary import DICTIONARY_NAME

SNAKE = re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]")


def _given(config: pytest.Config) -> Path | None:
    folder = config.getoption("--reports-dir") or os.environ.get("TARIFF_REPORTS_HTML_DIR")
    return Path(folder) if folder else None


@pytest.fixture
def built(request: pytest.FixtureRequest) -> Path:
    """A build's output folder: the one given, else the demo build."""
    given = _given(request.config)
    return (given if given else Path(request.getfixturevalue("demo_report_dir"))).resolve()


@pytest.fixture
def built_for_readers(request: pytest.FixtureRequest) -> Path:
    """A build of real reports: the one given, else every notebook at its defaults."""
    given = _given(request.config)
    return (given if given else Path(request.getfixturevalue("real_reports_dir"))).resolve()


def _local(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _links(page: Any, selector: str) -> list[str]:
    return list(page.eval_on_selector_all(selector, "els => els.map(e => e.href)"))


def _check_data_page(page: Any, url: str) -> None:
    """The page lists every CSV of its folder, each once, existing, described in words."""
    folder = _local(url).parent
    response = page.goto(url)
    assert response is not None and response.ok, url
    assert page.title().startswith("Data: ")
    linked = [_local(h) for h in _links(page, "tbody a")]
    assert all(p.is_file() for p in linked), [str(p) for p in linked if not p.is_file()]
    on_disk = {p for p in folder.glob("*.csv") if p.name != DICTIONARY_NAME}
    assert sorted(linked) == sorted(on_disk), url  # each CSV linked, once; nothing else
    assert (folder / DICTIONARY_NAME) in {_local(h) for h in _links(page, "p a")}
    rows = page.eval_on_selector_all(
        "tbody tr", "rs => rs.map(r => Array.from(r.cells).map(c => c.innerText))"
    )
    for name, what, n_rows, n_columns, size in rows:
        held, _, columns = what.partition("Columns: ")
        # What it holds, and its columns (their labels: the dictionary test below).
        assert held.strip() and columns.strip(), name
        with (folder / name).open(encoding="utf-8", newline="") as f:
            records = list(csv.reader(f))
        assert int(n_rows.replace(",", "")) == len(records) - 1, name
        assert int(n_columns.replace(",", "")) == len(records[0]), name
        assert re.fullmatch(r"[\d,.]+ (bytes?|kB|MB)", size), size


@pytest.mark.browser
@pytest.mark.slow
def test_every_data_link_of_the_index_leads_to_a_page_listing_its_files(
    offline_page: OfflinePage, built: Path
) -> None:
    page = offline_page.page
    page.goto((built / "index.html").as_uri())
    data_links = _links(page, "a.data")
    assert data_links, "the index links no data page"
    for url in data_links:
        assert url.endswith("/index.html"), url  # a page, not a folder a host may not list
        _check_data_page(page, url)
        back = _links(page, "body > p:first-child a")
        assert all(_local(h).is_file() for h in back), back  # the index and the report
    assert offline_page.external == [] and offline_page.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_data_page_fits_a_phone(offline_page: OfflinePage, built: Path) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((built / "index.html").as_uri())
    for url in _links(page, "a.data"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url


@pytest.mark.slow
def test_every_column_of_every_csv_has_a_label_in_words_and_a_unit(
    built_for_readers: Path,
) -> None:
    problems = []
    folders = sorted(p for p in (built_for_readers / "data").iterdir() if p.is_dir())
    assert folders
    for folder in folders:
        with (folder / DICTIONARY_NAME).open(encoding="utf-8", newline="") as f:
            described = {(r["file"], r["column"]): r for r in csv.DictReader(f)}
        for path in sorted(folder.glob("*.csv")):
            if path.name == DICTIONARY_NAME:
                continue
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f))
            for column in header:
                row = described.get((path.name, column))
                where = f"{folder.name}/{path.name}: {column}"
                if row is None or not row["unit"] or not row["label"]:
                    problems.append(f"{where}: not in the registry")
                elif SNAKE.search(row["label"]) or (row["label"] == column and "_" in column):
                    problems.append(f"{where}: label {row['label']!r} is a code name")
    assert problems == []
