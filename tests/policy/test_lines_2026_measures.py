"""The 2026 country measures on real rows of the 2024 data (params/measures and the lists of
analysis/data/product_lists_2026.csv): Section 338 on Canada and Section 301 on Brazil.

Each expected rate is read off the legal text for the line: the list the line is on (note 51(b)
or the exempt annex of note 50), the dates of the proclamations, and whether the line is a
Section 232 good (whose lists are in analysis/data/product_lists.csv)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from analysis.policy.lines import line_schedule

CAN, BRA, ARG = "1220", "3510", "3570"


def _added(inputs: Any, day: str, cells: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Each measure's added rate on each (HS10, Census code) row on ``day``."""
    lazy = inputs.lines
    lines = lazy.get()
    got = line_schedule(
        dt.date.fromisoformat(day), lines, lazy.product_lists(), inputs.measures, lazy.usmca()
    )
    codes = np.array([c.cty_code for c in lines.countries.countries])
    at = []
    for hs10, code in cells:
        rows = np.flatnonzero(
            (lines.hs10[lines.product_at] == hs10) & (codes[lines.country_at] == code)
        )
        assert rows.size == 1, (hs10, code)
        at.append(rows[0])
    return {mid: [float(added[i]) for i in at] for mid, added in got.contributions.items()}


def _of(got: dict[str, list[float]], mid: str, size: int) -> list[float]:
    return got.get(mid, [0.0] * size)


# 0404.10.05.00 whey (note 51(b)(2), dairy); 2501.00.00.00 salt (51(b)(3) until Rev 19 removed
# it); 8903.32.00.25 motorboats (added to 51(b)(1) from 15 Sep 2026); 8537.10.91.70 control
# panels (51(b)(3), and an automobile part under Section 232, HTSUS note 33(g)).
CANADA = [("0404100500", CAN), ("2501000000", CAN), ("8903320025", CAN), ("8537109170", CAN)]


def test_section_338_on_canada_before_15_september(inputs: Any) -> None:
    got = _added(inputs, "2026-09-01", CANADA)
    # 50% on the listed dairy and salt, whatever their USMCA claims (note 51(a)); the boat is
    # not yet listed; the control panel is a Section 232 good, excluded by note 51(c).
    np.testing.assert_allclose(_of(got, "section338_canada", 4), [0.5, 0.5, 0.0, 0.0])
    assert "section338_canada_rev19" not in got
    # The day before 22 Aug 2026 nothing is in force.
    before = _added(inputs, "2026-08-21", CANADA)
    assert "section338_canada" not in before


def test_section_338_from_15_september_and_the_dairy_ban(inputs: Any) -> None:
    got = _added(inputs, "2026-09-20", CANADA)
    # Rev 19: salt off the list, boats on it, and the control panel pays the 50% on top of
    # its Section 232 duty (51(c) now exempts 9903.03.13 only).
    np.testing.assert_allclose(_of(got, "section338_canada_rev19", 4), [0.5, 0.0, 0.5, 0.5])
    assert "section338_canada" not in got
    # From 29 Sep 2026 Canadian dairy is banned: a prohibitive 1000%.
    banned = _added(inputs, "2026-10-01", CANADA)
    np.testing.assert_allclose(_of(banned, "section338_canada_rev19", 4), [10.0, 0.0, 0.5, 0.5])


def test_section_338_is_canada_only(inputs: Any) -> None:
    got = _added(inputs, "2026-10-01", [("0901110025", BRA)])
    assert _of(got, "section338_canada_rev19", 1) == [0.0]


def test_no_dairy_line_of_note_51b2_is_a_section_232_good(inputs: Any) -> None:
    """One measure carries the three Rev 19 lists with ``applies_to: all``; in law the dairy
    list keeps the Section 232 exemption, which is moot only while no dairy line is in a
    Section 232 scope (checked here on every list of every Section 232 measure)."""
    lazy = inputs.lines
    lists = lazy.product_lists()
    dairy = lists.mask("s338_dairy_rev19")
    for mid, spec in lists.measures.items():
        if inputs.measures[mid].is_section232:
            for name in spec.scope + spec.shared:
                assert not (dairy & lists.mask(name)).any(), (mid, name)


# 0901.11.00.25 coffee (exempt outright, note 50(a)(ii)); 6403.99.90.65 footwear (not exempt);
# 7207.12.00.50 semi-finished steel (Section 232, note 50(a)(vi)); 8802.40.01.40 aircraft
# (general note 6, 50(a)(iv)); 2933.99.79.00 (exempt only for pharmaceutical use, 50(a)(v));
# 3923.50.00.00 plastic stoppers and lids from Brazil and from Argentina (not a party).
BRAZIL = [
    ("0901110025", BRA),
    ("6403999065", BRA),
    ("7207120050", BRA),
    ("8802400140", BRA),
    ("2933997900", BRA),
    ("3923500000", BRA),
    ("3923500000", ARG),
]


def test_section_301_on_brazil(inputs: Any) -> None:
    got = _of(_added(inputs, "2026-08-01", BRAZIL), "section301_brazil_2026", 7)
    # The pharmaceutical-use line pays: the use is not in the data (an upper bound there).
    np.testing.assert_allclose(got, [0.0, 0.25, 0.0, 0.0, 0.25, 0.25, 0.0])
    before = _added(inputs, "2026-07-21", BRAZIL)
    assert "section301_brazil_2026" not in before


def test_section_301_on_brazil_stacks_on_the_forced_labour_tier(inputs: Any) -> None:
    got = _added(inputs, "2026-08-01", BRAZIL[1:2])
    assert _of(got, "section301_brazil_2026", 1) == [pytest.approx(0.25)]
    assert _of(got, "section301_2026_economies", 1) == [pytest.approx(0.125)]


CHN, JPN, KOR, VNM, DEU = "5700", "5880", "5800", "5520", "4280"


def test_section_232_drones(inputs: Any) -> None:
    # 8806.24.00.00 (note 43(c)(1), over 25 kg): 100%; 8806.22.00.00 (43(c)(3)-(4)): 25%, for
    # China and, the caps needing a certification not yet fileable, for Japan too.
    cells = [("8806240000", CHN), ("8806220000", CHN), ("8806220000", JPN)]
    got = _added(inputs, "2026-10-01", cells)
    np.testing.assert_allclose(_of(got, "section232_drones", 3), [1.0, 0.25, 0.25])
    # A Section 232 good: the 2026 Section 301 tier of China (12.5%) does not apply.
    np.testing.assert_allclose(_of(got, "section301_2026_economies", 3), [0.0, 0.0, 0.0])
    assert "section232_drones" not in _added(inputs, "2026-09-02", cells)


def test_section_232_polysilicon_from_4_december(inputs: Any) -> None:
    # 8541.43.00.10 (solar modules, Annex I): 15% on top for Vietnam; 15% in all for Japan,
    # Korea and Germany: max(0, 15% - b) on each row's 2024 applied rate b (Japan 0, Korea
    # 0.0013%, Germany 11.2356%, which still holds the Section 201 solar safeguard of 2024).
    cells = [("8541430010", VNM), ("8541430010", JPN), ("8541430010", KOR), ("8541430010", DEU)]
    lines = inputs.lines.get()
    codes = np.array([c.cty_code for c in lines.countries.countries])
    base = []
    for hs10, code in cells[1:]:
        at = (lines.hs10[lines.product_at] == hs10) & (codes[lines.country_at] == code)
        base.append(float(lines.baseline_rate[at][0]))
    got = _added(inputs, "2026-12-05", cells)
    total = [
        a + b
        for a, b in zip(
            _of(got, "section232_polysilicon", 4),
            _of(got, "section232_polysilicon_deals", 4),
            strict=True,
        )
    ]
    expected = [0.15] + [max(0.0, 0.15 - b) for b in base]
    np.testing.assert_allclose(total, expected)
    assert base[0] == 0.0 and base[2] == pytest.approx(0.112356, abs=1e-6)
    before = _added(inputs, "2026-12-03", cells)
    assert "section232_polysilicon" not in before
    assert "section232_polysilicon_deals" not in before
