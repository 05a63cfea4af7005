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
    fill = encoding["fillOpacity"]
    assert fill["scale"] == {"domain": [SAME_LAW, OTHER_LAW], "range": [1, 0]}
    legend = fill["legend"]  # a legend of its own, its symbols filled at the law's opacity
    assert legend is not None and legend["symbolFillColor"] == legend["symbolStrokeColor"]
    assert encoding["color"]["legend"]["symbolOpacity"] == 1  # colour swatches not faded
