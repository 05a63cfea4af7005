"""Open questions of the law where a report shows the lines they cover: a note that says how
many points of a country's rate rest on them, and a mark on those lines in the products table
(the questions: ``params/law_status.yaml`` ``unsettled``; the points:
:mod:`analysis.questions.unsettled`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from analysis.questions.outcomes import say
from analysis.questions.unsettled import UnsettledShare
from analysis.report.text import md_link, md_text, possessive

#: The mark on a line of the products table that rests on an open question.
MARK = "Yes (note above)"


def hs_code(digits: str) -> str:
    """``71159005`` -> ``7115.90.05``; ``7108`` -> ``7108``."""
    parts = [digits[:4], *(digits[i : i + 2] for i in range(4, len(digits), 2))]
    return ".".join(p for p in parts if p)


def shown(shares: Sequence[UnsettledShare]) -> list[UnsettledShare]:
    """The questions worth a note: those that move the rate by at least 0.1 point as shown."""
    return [s for s in shares if round(s.share_of_rate * 100, 1) >= 0.1]


def unsettled_note(
    shares: Sequence[UnsettledShare], who: str, day: dt.date, marked: bool = True
) -> str:
    """Markdown: for each question shown, how many points of ``who``'s rate on ``day`` rest on
    it, its lines (``marked`` in the products table), the question and its source; "" if
    none."""
    notes = []
    for s in shown(shares):
        q = s.question
        codes = ", ".join(hs_code(p) for p in q.products)
        notes.append(
            f"**Open question of the law: {md_text(q.title)}.** On {day:%-d %B %Y}, "
            f"{s.share_of_rate * 100:.1f} of the {s.additional_tariff_rate * 100:.1f} points "
            f"{md_text(possessive(who))} lines pay above their 2024 rates rest on it: HS "
            f"{codes} ({say('tariff_revenue_usd', s.imports_usd)} of 2024 imports"
            + ("; marked in the products table below" if marked else "")
            + f"). {md_text(q.question)} Source: "
            f"{md_link(q.reference.title, q.reference.url)}, {q.reference.date:%-d %B %Y}."
        )
    return "\n\n".join(notes)


def mark_unsettled(top: pd.DataFrame, shares: Sequence[UnsettledShare]) -> pd.DataFrame:
    """``top`` (lines with an ``hs10`` column) with an ``open_question`` column: :data:`MARK`
    on the lines a question shown covers, else empty; unchanged when none is shown."""
    lines = {h for s in shown(shares) for h in s.hs10}
    if not lines or "hs10" not in top.columns:
        return top
    marks = top["hs10"].astype(str).map(lambda h: MARK if h in lines else "")
    return top.assign(open_question=marks)
