"""The 2026 Section 232 metals regime on real rows of the 2024 data, each rule hand-computed.

Proclamation 11021 (91 FR 18201) from 6 Apr 2026, HTSUS note 16(c): Annex I-A 50% and Annex
I-B 25% on the full value (UK 25% and 15%), Annex III a 15% all-in rate, copper 50% (chapter
74) or 25% (8544.42, 8544.49.10); Proclamation 11032 Annex I-C from 8 Jun 2026: 25%, 15% all-in
for framework partners. The engine is :mod:`analysis.policy.lines`; the lists are
``product_lists.csv`` (data_build/metals_2026.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from analysis.policy.lines import LineSchedule, line_schedule

JPN, GBR, DEU, CAN, CHN, KOR, TWN = "5880", "4120", "4280", "1220", "5700", "5800", "5830"
IA = "section232_steel_aluminum_2026_annex_ia"
IB = "section232_steel_aluminum_2026_annex_ib"
III = "section232_steel_aluminum_2026_annex_iii"
IC = "section232_steel_aluminum_2026_annex_i_c"
IC_FRAMEWORK = "section232_steel_aluminum_2026_annex_i_c_framework"
COPPER = "section232_copper_2026"


@pytest.fixture(scope="module")
def days(inputs: Any) -> dict[str, LineSchedule]:
    lazy = inputs.lines
    lines, lists, usmca = lazy.get(), lazy.product_lists(), lazy.usmca()
    return {
        d: line_schedule(dt.date.fromisoformat(d), lines, lists, inputs.measures, usmca)
        for d in ("2026-03-01", "2026-05-01", "2026-11-28")
    }


def _row(schedule: LineSchedule, hs10: str, code: str) -> int:
    lines = schedule.lines
    codes = np.array([c.cty_code for c in lines.countries.countries])
    at = np.flatnonzero((lines.hs10[lines.product_at] == hs10) & (codes[lines.country_at] == code))
    assert at.size == 1, (hs10, code)
    return int(at[0])


def _added(schedule: LineSchedule, hs10: str, code: str) -> dict[str, float]:
    """Every measure's contribution on the row (non-zero only)."""
    i = _row(schedule, hs10, code)
    return {m: float(a[i]) for m, a in schedule.contributions.items() if a[i] != 0}


def test_annex_ia_steel_pays_50_percent_on_the_full_value_and_nothing_else(days: Any) -> None:
    # 7210.12.00.00 (tin-plated steel), Annex I-A (note 16(c)(iii): heading 7210). Japan on
    # 1 May 2026: 50% on the full value, no Section 122 surcharge (a Section 232 good), no
    # Japan cap; the UK's 25% (9903.82.04).
    assert _added(days["2026-05-01"], "7210120000", JPN) == {IA: pytest.approx(0.50)}
    assert _added(days["2026-05-01"], "7210120000", GBR) == {IA: pytest.approx(0.25)}
    # On 28 Nov 2026 the 2026 Section 301 floor for Japan (non-Section 232 goods) adds nothing.
    assert _added(days["2026-11-28"], "7210120000", JPN) == {IA: pytest.approx(0.50)}


def test_annex_ib_derivatives_pay_25_percent_where_2025_charged_50(days: Any) -> None:
    # 7323.93.00.80 (stainless-steel table and kitchenware), Annex I-B (note 16(c)(vii)).
    assert _added(days["2026-03-01"], "7323930080", JPN) == {
        "section232_steel_aluminum": pytest.approx(0.50)
    }
    assert _added(days["2026-05-01"], "7323930080", JPN) == {IB: pytest.approx(0.25)}


def test_annex_iii_tops_the_total_up_to_15_percent(days: Any) -> None:
    # 8504.23.00.45 (liquid dielectric transformers over 10,000 kVA), Annex III
    # (note 16(c)(x)): before 6 Apr 2026 a 2025 steel derivative of the 18 Aug 2025
    # inclusions (8504.23.00): 50% on its steel content (BEA share 0.095984: 0.047992) and the
    # Section 122 10% on the rest (0.904016 x 0.10 = 0.0904016); after, total = max(b, 15%).
    schedule = days["2026-05-01"]
    i = _row(schedule, "8504230045", DEU)
    assert _added(days["2026-03-01"], "8504230045", DEU) == {
        "section232_steel_aluminum": pytest.approx(0.047992),
        "section122_surcharge": pytest.approx(0.0904016),
    }
    assert set(_added(schedule, "8504230045", DEU)) == {III}
    assert schedule.lines.baseline_rate[i] < 0.15
    assert schedule.tariff_rate[i] == pytest.approx(0.15)


def test_copper_pays_50_or_25_percent_by_annex(days: Any) -> None:
    # Refined copper wire 7408.11.60 (note 16(c)(v)) from Canada: 50% before and after (no
    # USMCA exemption); insulated conductors 8544.42.90 (note 16(c)(viii)) from Japan: 50%
    # under Proclamation 10962, 25% from 6 Apr 2026.
    assert _added(days["2026-03-01"], "7408116000", CAN) == {"section232_copper": 0.5}
    assert _added(days["2026-05-01"], "7408116000", CAN) == {COPPER: pytest.approx(0.5)}
    assert _added(days["2026-05-01"], "8544429090", JPN) == {COPPER: pytest.approx(0.25)}


def test_annex_ic_machinery_15_percent_all_in_for_framework_partners(days: Any) -> None:
    # Excavators 8429.52.10.10 (Annex I-B until 7 Jun 2026, then Annex I-C): 25% for everyone
    # on 1 May; on 28 Nov Japan (framework, baseline 0) and Korea pay 15%, China 25% plus its
    # Section 301 List 1 25%.
    for code in (JPN, KOR, CHN):
        assert _added(days["2026-05-01"], "8429521010", code).get(IB) == pytest.approx(0.25)
    assert _added(days["2026-11-28"], "8429521010", JPN) == {IC_FRAMEWORK: pytest.approx(0.15)}
    assert _added(days["2026-11-28"], "8429521010", KOR) == {IC: pytest.approx(0.15)}
    assert _added(days["2026-11-28"], "8429521010", CHN) == {
        IC: pytest.approx(0.25),
        "section301_china_lists": pytest.approx(0.25),
    }


def test_ferro_alloys_are_on_no_steel_list_in_2025_or_2026(days: Any) -> None:
    # Ferro-alloys 7202.99.80.40 are not steel articles (Proclamation 9705 clause 1, kept by
    # Proclamation 10896: 7206.10 through 7216.50, ...) and on no 2026 annex: both days they
    # pay the Section 122 surcharge (10%), not Section 232.
    for day in ("2026-03-01", "2026-05-01"):
        assert _added(days[day], "7202998040", TWN) == {"section122_surcharge": pytest.approx(0.10)}


def test_a_line_on_an_auto_list_and_an_annex_is_counted_once(days: Any) -> None:
    # The bumper stampings 8708.29.21 are on Annex I-B (note 16(c)(vii)) and on the
    # auto-parts list; note 33 keeps them under the auto-parts duty (Japan: 15% all-in).
    got = _added(days["2026-05-01"], "8708292120", JPN)
    assert not any(m.startswith("section232_steel_aluminum_2026") for m in got)
    assert any(m.startswith("section232_auto") for m in got)


def test_annex_ii_copper_exemption_stays_off_once_copper_moves_to_note_16(days: Any) -> None:
    # Unwrought zinc 7901.11 from Korea (nfm, not copper): the 2026 Section 301 floor for
    # Korea (12.5% all-in) applies whole. The Annex II copper share of nfm (same_goods_as
    # section232_copper) is skipped while that measure or its successor is in force.
    schedule = days["2026-11-28"]
    i = _row(schedule, "7901110000", KOR)
    assert schedule.tariff_rate[i] == pytest.approx(0.125)
