"""The note and marks of open questions of the law on a partner report."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.inputs.law_status import Unsettled
from analysis.inputs.references import Reference
from analysis.questions.unsettled import UnsettledShare
from analysis.report.law_questions import MARK, hs_code, mark_unsettled, shown, unsettled_note

GOLD = Unsettled(
    title="Gold under the action",
    start=dt.date(2026, 7, 24),
    products=("71081210", "71159005"),
    countries=("all",),
    question="Whether bullion is exempt is not settled.",
    reference=Reference("USTR notice", "https://www.federalregister.gov/x", dt.date(2026, 7, 28)),
)


def _share(points: float) -> UnsettledShare:
    return UnsettledShare(GOLD, ("7115900530",), 13.4e9, 1.675e9, points, 0.0764)


def test_the_note_says_how_many_points_rest_on_the_question() -> None:
    note = unsettled_note([_share(0.0303)], "Switzerland", dt.date(2026, 11, 28))
    assert "On 28 November 2026, 3.0 of the 7.6 points Switzerland's lines pay" in note
    assert "HS 7108.12.10, 7115.90.05 ($13.4 bn of 2024 imports; marked in the products" in note
    assert "Whether bullion is exempt is not settled\\." in note and "federalregister.gov" in note
    assert "marked" not in unsettled_note([_share(0.03)], "X", dt.date(2026, 11, 28), False)


def test_a_question_under_a_tenth_of_a_point_is_not_shown() -> None:
    assert (
        shown([_share(0.0004)]) == []
        and unsettled_note([_share(0.0004)], "J", dt.date.today()) == ""
    )
    top = pd.DataFrame({"hs10": ["7115900530", "8703230190"], "added_duty_usd": [1.0, 2.0]})
    assert "open_question" not in mark_unsettled(top, [_share(0.0004)]).columns
    marked = mark_unsettled(top, [_share(0.03)])
    assert list(marked["open_question"]) == [MARK, ""]


def test_hs_codes_are_written_with_dots() -> None:
    assert hs_code("71159005") == "7115.90.05" and hs_code("7108") == "7108"
    assert hs_code("7108121013") == "7108.12.10.13"
