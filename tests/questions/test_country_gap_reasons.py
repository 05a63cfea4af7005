"""The reasons for each country's gap to the tradewartracker, by the days they hold."""

from __future__ import annotations

import datetime as dt
import itertools

from analysis.questions.country_gap_reasons import GAP_REASONS


def test_each_countrys_reasons_hold_on_days_that_do_not_overlap() -> None:
    for country, spans in GAP_REASONS.items():
        for (first, last, _), (nxt, _, _) in itertools.pairwise(spans):
            assert first <= last < nxt, country


def test_indias_russian_oil_duty_is_dated_by_the_heading_that_imposes_it() -> None:
    """HTSUS 9903.01.84 (EO 14329): goods entered from 12:01 a.m. EDT on 27 Aug 2025; the
    tracker's figure of 7 Aug already has it, so the reason changes on 27 Aug."""
    spans = GAP_REASONS["IND"]
    on = [t for a, b, t in spans if a <= dt.date(2025, 8, 20) <= b]
    after = [t for a, b, t in spans if a <= dt.date(2025, 8, 27) <= b]
    assert len(on) == 1 and "27 Aug 2025" in on[0]
    assert len(after) == 1 and "9903.01.86" in after[0]
