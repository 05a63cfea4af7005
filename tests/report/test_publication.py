"""The top of a report: the law's date from one place, the build date, version, summary; the
methods box names what the model leaves out."""

from __future__ import annotations

import datetime as dt
import re

import analysis
from analysis.inputs.bundle import Inputs
from analysis.report.publication import (
    LATER_RELEASES,
    NEAREST_ESTIMATES,
    left_out_on,
    long_date,
    masthead,
    methods_box,
)


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
    assert "claimed under USMCA are exempt" in rates_only  # the rates are net of USMCA claims
    assert all(url in rates_only for _, url in NEAREST_ESTIMATES)


def test_the_box_lists_the_measures_in_force_that_are_not_modelled(inputs: Inputs) -> None:
    # Japan on 28 Nov 2026: the patented-pharmaceutical (from 31 Jul 2026) and semiconductor
    # (from 15 Jan 2026) Section 232 tariffs are in force and not modelled; in 2025 neither is.
    late = methods_box(left_out=left_out_on(inputs.law_status, dt.date(2026, 11, 28)))
    html = late._repr_html_()
    assert "Section 232 on patented pharmaceuticals" in html
    assert "Section 232 on semiconductors" in html
    early = left_out_on(inputs.law_status, dt.date(2025, 6, 1))
    assert not any("pharmaceuticals" in t or "semiconductors" in t for t in early)
    assert "<li>" not in methods_box()._repr_html_()
    assert 'href="#' not in html  # links to nothing internal
    # a closing parenthesis goes (nested ones too); a title that goes on after one is kept whole
    assert (
        "<li>Section 301 product exclusions that describe a product within a statistical line</li>"
        in html
    )
    # FINDINGS6 N4: the IEEPA Annex II entry (bullion) ended with the IEEPA duties: it is not
    # listed on today's law, where a reader could take it for "gold is exempt today".
    assert not [t for t in left_out_on(inputs.law_status, dt.date(2026, 11, 28)) if "bullion" in t]
    (annex,) = [t for t in left_out_on(inputs.law_status, dt.date(2025, 10, 1)) if "bullion" in t]
    assert annex.startswith("Annex II of the IEEPA reciprocal tariffs")


def test_the_box_says_what_the_package_does_not_estimate_and_which_law_outside_ones_score() -> None:
    """The pointer to outside estimates no longer reads as if they were today's: the box says
    plainly that the package does not estimate them, names the law the estimates score (that
    of 26 September 2025) and where later releases are listed."""
    for box in (methods_box(), methods_box(model=False)):
        html = box._repr_html_()
        assert "This package does not estimate" in html
        assert "for the law in force on 26 September 2025" in html
        assert LATER_RELEASES[1] in html
        assert "For estimates that include these, see" not in html


def test_the_methods_box_is_a_disclosure_whose_summary_counts_what_is_left_out() -> None:
    """The box opens as built (a laptop reads it whole; a phone's page closes it), and its
    one-line summary says how many measures in force are not modelled, so closed it still
    says so."""
    html = methods_box(left_out=("Section 232 on semiconductors", "Section 232 on drones"))
    text = html._repr_html_()
    assert '<aside class="tr-methods"' in text and "<details open>" in text
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", text)
    assert summary is not None
    assert "Methods and limits" in summary[1]
    assert "2 measures in force on the law's date not modelled" in summary[1]
    assert "Section 232 on drones" in text.split("</summary>", 1)[1]
    one = methods_box(left_out=("Section 232 on drones",))._repr_html_()
    assert "1 measure in force" in one
    assert "not modelled</summary>" not in methods_box()._repr_html_()
