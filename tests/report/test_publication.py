"""The top of a report: the law's date from one place, the build date, version, summary; the
methods box names what the model leaves out."""

from __future__ import annotations

import datetime as dt
import re

import analysis
from analysis.inputs.bundle import Inputs
from analysis.report.publication import NEAREST_ESTIMATES, long_date, masthead, methods_box


def test_long_dates_read_as_words() -> None:
    assert long_date(dt.date(2026, 11, 28)) == "28 November 2026"
    assert long_date(dt.date(2025, 2, 4)) == "4 February 2025"


def test_the_masthead_dates_the_law_from_law_status(inputs: Inputs) -> None:
    status = inputs.law_status
    html = masthead("Japan & today", "One <paragraph>.", status)._repr_html_()
    assert f"Law as known on {long_date(status.known_through)}" in html
    assert "Japan &amp; today" in html and "One &lt;paragraph&gt;." in html
    assert f"version {analysis.__version__}" in html
    assert re.search(r"built \d{1,2} [A-Z][a-z]+ \d{4}", html)
    older = masthead("T", "S", status, law_date=dt.date(2025, 8, 7))._repr_html_()
    assert "The law of 7 August 2025" in older


def test_the_methods_box_names_what_is_left_out_and_where_to_look() -> None:
    html = methods_box()._repr_html_()
    for left_out in ("retaliation", "third markets", "GDP beyond the first order"):
        assert left_out in html
    assert all(url.startswith("https://") and url in html for _, url in NEAREST_ESTIMATES)


def test_a_page_without_gdp_or_model_results_is_not_told_about_them() -> None:
    with_gdp = methods_box()._repr_html_()
    without_gdp = methods_box(shows_gdp=False)._repr_html_()
    rates_only = methods_box(model=False)._repr_html_()
    assert "GDP change shown" in with_gdp
    assert "GDP change shown" not in without_gdp and "retaliation" in without_gdp
    # a page of statutory rates says they are not what customs collects, and shows no effects
    assert "Armington" not in rates_only and "not what customs collects" in rates_only
    assert all(url in rates_only for _, url in NEAREST_ESTIMATES)
