"""The validation chart: every figure of a day in a slot of its own, filled and hollow in the
legend as drawn."""

from __future__ import annotations

import pandas as pd

from analysis.report.validation_chart import (
    OTHER_LAW,
    SAME_LAW,
    SLOTS,
    published_and_ours_chart,
    published_and_ours_long,
)

# 24 Feb 2026 as review 10 read it: ours 7.2% (the same law as the tracker's 9.1%) and ours
# 10.1% (a tracker's 15.4% scores another law), 2.9 points apart on a 0-130% axis.
TABLE = pd.DataFrame(
    {
        "as_of": ["2026-02-24", "2026-02-24", "2025-04-09"],
        "partner": ["all", "all", "china"],
        "publisher": ["Budget Lab", "PIIE", "Budget Lab"],
        "law compared": ["Same law", "Not the same law: the law of 2026-02-20", "Same law"],
        "published_rate": [0.091, 0.154, 1.24],
        "our_rate": [0.072, 0.101, 1.14],
    }
)


def test_the_same_days_figures_each_have_a_slot_of_their_own() -> None:
    long = published_and_ours_long(TABLE)
    day = long[long["as_of"] == "2026-02-24"]
    assert len(day) == 4 and day["slot"].is_unique  # published and ours, each law
    ours = day[day["figure"] == "Ours"].set_index("law compared")["slot"]
    assert ours[SAME_LAW] != ours[OTHER_LAW]
    spec = published_and_ours_chart(TABLE).to_dict()
    offset = spec["encoding"]["xOffset"]
    assert offset["field"] == "slot" and offset["scale"]["domain"] == list(SLOTS)
    assert set(long["slot"]) <= set(SLOTS)
    # left to right: published before ours, the same law before another
    assert [SLOTS.index(ours[SAME_LAW]), SLOTS.index(ours[OTHER_LAW])] == [2, 3]


def test_the_legend_shows_a_filled_and_a_hollow_symbol() -> None:
    encoding = published_and_ours_chart(TABLE).to_dict()["encoding"]
    fill = encoding["fill"]  # one legend entry per slot, filled for our law, hollow if not
    assert fill["field"] == "slot" and fill["scale"]["domain"] == list(SLOTS)
    fills = dict(zip(SLOTS, fill["scale"]["range"], strict=True))
    assert fills["Ours, another law"] == fills["Published, another law"] == "transparent"
    assert "transparent" not in (
        fills["Ours, same law as ours"],
        fills["Published, same law as ours"],
    )
    assert fill["legend"] is not None and fill["legend"]["symbolOpacity"] == 1
    assert encoding["color"]["legend"] is None  # the fill's legend names the figures
    assert OTHER_LAW.lower() in SLOTS[1] and SAME_LAW.lower() in SLOTS[0]
