"""The summary a report opens with: 3-5 cards, numbers written from the registry."""

from __future__ import annotations

import pytest

from analysis.report.brief import KeyNumber, band, key_numbers, markdown, outcome_card, percent


def test_three_to_five_cards_with_escaped_text() -> None:
    cards = [KeyNumber("<b>x</b>", "1"), KeyNumber("y", "2", "note"), KeyNumber("z", "3")]
    html = key_numbers(*cards)._repr_html_()
    assert html.count('class="tr-key"') == 3 and "&lt;b&gt;" in html and "<b>" not in html
    with pytest.raises(ValueError, match="3 to 5"):
        key_numbers(*cards[:2])
    with pytest.raises(ValueError, match="3 to 5"):
        key_numbers(*(cards * 2))


def test_cards_and_sentences_say_no_change_and_ranges() -> None:
    assert outcome_card("Cars", "focus_sector_units_change", -0.2).value == "no change"
    # a model estimate: three significant figures, both ends to the same place
    assert band("us_buyer_cost_per_household_usd", 3619.0, 4362.0) == "80% range +$3,620 to +$4,360"
    assert percent(0.142) == "14.2%"
    assert percent(-0.0001, signed=True) == "no change"
    assert percent(-0.17, signed=True) == "−17.0%"


def test_markdown_shows_dollars_not_formulas() -> None:
    assert markdown("**$40.8 bn** and $3")._repr_markdown_() == "**\\$40.8 bn** and \\$3"
    assert markdown("by −$24.9 bn")._repr_markdown_() == "by −\u2060\\$24.9 bn"
