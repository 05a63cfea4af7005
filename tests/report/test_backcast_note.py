"""The caveat beside the export-change headline: the backcast's own figures, and its link."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.questions.backcast import Backcast
from analysis.report.backcast_note import VALIDATION_BACKCAST, backcast_caveat, backcast_figures

BEFORE_2025 = "Before 2025 (MFN, Section 301 on China, the 2018 Section 232)"


def toy_backcast() -> Backcast:
    """A backcast with hand-made tables (the figures the validation report would show)."""
    imports = pd.DataFrame(
        {
            "partner": ["all", "canada"],
            "observed_change": [0.046, -0.070],
            "model_change": [-0.142, -0.059],
        }
    )
    japan = pd.DataFrame(
        {
            "item": ["exports_to_us", "car_exports_to_us_value", "exports_to_us"],
            "period": ["2025", "2025", "2025-04/2025-09"],
            "observed_change": [-0.041, -0.114, -0.102],
            "model_change": [-0.131, -0.094, -0.174],
        }
    )
    empty = pd.DataFrame()
    return Backcast(
        receipts=empty, partner_imports=imports, foreign_share=empty, japan=japan, laws={}
    )


def test_a_partner_without_its_own_census_series_gets_all_imports() -> None:
    text = backcast_caveat(toy_backcast(), "VNM", "Vietnam", BEFORE_2025)
    assert "all US imports at \u221214.2% against +4.6% by Census's count" in text
    assert "Vietnam" not in text and "Japan" not in text
    assert "Not a forecast of 2025 trade" in text and "long-run response" in text
    assert "against the tariffs of the law before 2025, at 2024 demand" in text
    assert f"]({VALIDATION_BACKCAST})" in text


def test_a_partner_with_a_census_series_and_japan_get_their_own_rows() -> None:
    past = toy_backcast()
    canada = backcast_caveat(past, "canada", "Canada", BEFORE_2025)
    assert "imports from Canada at \u22125.9% against \u22127.0%" in canada
    japan = backcast_caveat(past, "japan", "Japan", BEFORE_2025)
    # Japan's whole year (not April-September, not cars): -13.1% against Japan's -4.1%.
    assert "Japan's exports to the US at \u221213.1% against \u22124.1% as Japan counts" in japan
    assert backcast_figures(past, "japan")["japan_count"] == (-0.131, -0.041)


def test_the_link_names_the_validation_reports_backcast_heading() -> None:
    # nbconvert gives a heading the id of its text with spaces as hyphens.
    notebook = (Path(__file__).parents[2] / "notebooks" / "validation.py").read_text()
    heading = re.search(r"^# ### (2025 imports by partner against 2024)$", notebook, re.M)
    assert heading is not None
    assert "validation.html#" + heading.group(1).replace(" ", "-") == VALIDATION_BACKCAST


def test_a_baseline_title_is_shown_as_text_not_markup() -> None:
    """A user's scenario title reaches the caveat as text: its markup is escaped for Markdown
    (the hostile-text build found the raw tag on the page)."""
    text = backcast_caveat(toy_backcast(), "VNM", "Vietnam", "<img src=x onerror=alert(1)>")
    assert "<img" not in text and "&lt;img" in text
