"""Section 232 on metal content (:mod:`analysis.policy.metal_content`) on hand-computed lines.

Toy data of ``tests/policy/test_lines.py``: line 0 steel (full value), line 3 furniture (a
derivative, 20% metal from 12 Mar 2025, 30% from 18 Aug 2025); countries Japan, Switzerland
(base rate of furniture 20%), Brazil (2%). Section 232: 25%, then 50% from 4 Jun 2025; the
reciprocal duty 10% (Switzerland 39% to 31 Jul, then an all-in 15%); Japan an all-in 15%.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_lines import _lines, measure, value

from analysis.inputs.product_lists import LineLists, ProductLists
from analysis.policy.lines import line_schedule

NAN = np.nan
CONTENT = (
    (dt.date(2025, 3, 12), np.array([NAN, NAN, NAN, 0.2])),
    (dt.date(2025, 8, 18), np.array([NAN, NAN, NAN, 0.3])),
)
LISTS = {
    "metals": np.array([True, False, False, True]),
    "annex": np.array([False, True, False, False]),
}
SCOPES = {
    "section232_metals": LineLists(
        scope=("metals",), metal_content=True, whole_article_until=dt.date(2025, 6, 3)
    ),
    "ieepa_recip": LineLists(exempt=("annex",)),
    "ieepa_floor_japan": LineLists(exempt=("annex",)),
}


def _law() -> dict:
    s232 = {"stacking": "section232", "layer": "section232"}
    return {
        m.id: m
        for m in (
            measure(
                "section232_metals",
                **s232,
                values=[value("2025-03-12", 0.25, end="2025-06-03"), value("2025-06-04", 0.5)],
            ),
            measure(
                "ieepa_recip",
                values=[
                    value("2025-04-05", 0.10, end="2025-07-31", rate_by_country={"4419": 0.39}),
                    value("2025-08-01", 0.10, floor_by_country={"4419": 0.15}),
                ],
            ),
            measure(
                "ieepa_floor_japan",
                stacking="floor",
                partners=["japan"],
                supersedes=["ieepa_recip"],
                values=[value("2025-04-05", 0.15)],
            ),
        )
    }


def added(day: str) -> np.ndarray:
    """(products, countries) additional rate."""
    lists = ProductLists(Path("lists.csv"), LISTS, {}, SCOPES, {}, CONTENT)
    got = line_schedule(dt.date.fromisoformat(day), _lines(), lists, _law())
    return np.asarray(got.additional_tariff_rate.reshape(4, 3))


def test_before_4_june_the_metal_pays_and_the_whole_good_leaves_the_reciprocal_layers() -> None:
    got = added("2025-05-01")
    # furniture: 25% x 20% metal = 5%; no reciprocal duty on any of its value.
    np.testing.assert_allclose(got[3], [0.05, 0.05, 0.05])
    # steel pays on its full value: 25%.
    np.testing.assert_allclose(got[0], [0.25, 0.25, 0.25])


def test_from_4_june_the_non_metal_part_pays_the_reciprocal_duty_and_the_floor() -> None:
    got = added("2025-07-01")
    # metal: 50% x 0.2 = 0.10. Rest 0.8: Japan's floor (15% - 2%) x 0.8 = 0.104;
    # Switzerland 39% x 0.8 = 0.312; Brazil 10% x 0.8 = 0.08.
    np.testing.assert_allclose(got[3], [0.204, 0.412, 0.18])
    np.testing.assert_allclose(got[0], [0.50, 0.50, 0.50])


def test_the_inclusions_raise_the_metal_share_and_the_floor_counts_the_line_base() -> None:
    got = added("2025-09-01")
    # metal: 50% x 0.3 = 0.15. Rest 0.7: Japan 13% x 0.7 = 0.091; Switzerland's all-in 15%
    # is below its 20% base: 0; Brazil 10% x 0.7 = 0.07.
    np.testing.assert_allclose(got[3], [0.241, 0.15, 0.22])


def test_a_line_without_a_metal_share_pays_on_its_full_value() -> None:
    lists = ProductLists(Path("lists.csv"), LISTS, {}, SCOPES, {}, CONTENT)
    share = lists.content_on(dt.date(2025, 9, 1))
    np.testing.assert_allclose(share, [1.0, 1.0, 1.0, 0.3])
    np.testing.assert_allclose(lists.content_on(dt.date(2025, 3, 1)), [1.0] * 4)


def test_a_shipped_derivative_line_of_japan(inputs: Any) -> None:
    """8415.90.80.85 (parts of air conditioners): on the aluminium list from 12 Mar 2025
    (note 19(k); BEA aluminium share 0.058268), on the steel list too from 18 Aug 2025 (FR Doc
    2025-15819; steel share 0.113362, together 0.17163). Japan (5880), 2024 base rate b."""
    lazy = inputs.lines
    lines, lists, usmca = lazy.get(), lazy.product_lists(), lazy.usmca()
    codes = np.array([c.cty_code for c in lines.countries.countries])
    row = np.flatnonzero(
        (lines.hs10[lines.product_at] == "8415908085") & (codes[lines.country_at] == "5880")
    )
    (i,) = row
    b = lines.baseline_rate[i]

    def parts(day: str) -> dict[str, float]:
        got = line_schedule(dt.date.fromisoformat(day), lines, lists, inputs.measures, usmca)
        return {m: float(a[i]) for m, a in got.contributions.items() if a[i] != 0}

    # 20 May 2025: 25% on the aluminium content, 0.25 x 0.058268; no reciprocal duty at all.
    assert parts("2025-05-20") == {"section232_steel_aluminum": pytest.approx(0.014567)}
    # 1 Oct 2025: 50% x 0.17163 = 0.085815 on the metal; Japan's all-in 15% on the rest:
    # (0.15 - b) x (1 - 0.17163).
    oct1 = parts("2025-10-01")
    assert oct1.pop("section232_steel_aluminum") == pytest.approx(0.085815)
    assert sum(oct1.values()) == pytest.approx((0.15 - b) * (1 - 0.17163))
