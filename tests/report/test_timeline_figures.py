"""Timeline charts: areas stack on common dates, one colour per authority, readable labels."""

from __future__ import annotations

import datetime as dt

from analysis.inputs.bundle import Inputs
from analysis.questions.timeline import daily_authority_rates, legal_events
from analysis.report.timeline_figures import (
    AUTHORITY_COLORS,
    authorities_in_words,
    authority_timeline,
    partners_timeline,
)


def _spec(chart: object) -> dict[str, object]:
    return chart.to_dict()  # type: ignore[attr-defined, no-any-return]


def test_the_authority_areas_share_their_dates(inputs: Inputs) -> None:
    first, last = dt.date(2025, 1, 1), dt.date(2026, 11, 28)
    daily = daily_authority_rates(inputs, first, last)
    japan = daily[daily["partner"] == "japan"]
    spec = _spec(authority_timeline(japan, legal_events(inputs, first, last), "t"))
    datasets = spec["datasets"].values()  # type: ignore[union-attr]
    areas = [d for d in datasets if d and "authority" in d[0] and "percent" in d[0]]
    assert areas
    by_authority: dict[str, set[str]] = {}
    for row in areas[0]:
        by_authority.setdefault(row["authority"], set()).add(row["date"])
    dates = list(by_authority.values())
    assert all(d == dates[0] for d in dates)  # stacked areas need the same x values
    assert len(dates[0]) < 60  # only the change days, not 697 days
    colours = spec["layer"][0]["encoding"]["color"]["scale"]  # type: ignore[index]
    assert colours["range"] == [AUTHORITY_COLORS[a] for a in colours["domain"]]


def test_partners_are_named_for_readers(inputs: Inputs) -> None:
    daily = daily_authority_rates(inputs, dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    spec = _spec(partners_timeline(daily, "t"))
    rows = next(iter(spec["datasets"].values()))  # type: ignore[union-attr]
    assert {r["partner"] for r in rows} >= {"Japan", "European Union", "All imports"}


def test_single_countries_are_named_coloured_apart_and_dashed(inputs: Inputs) -> None:
    daily = daily_authority_rates(inputs, dt.date(2026, 1, 1), dt.date(2026, 1, 5), ("KOR", "BRA"))
    names = {"KOR": "South Korea", "BRA": "Brazil"}
    spec = _spec(partners_timeline(daily, "t", names=names))
    rows = next(iter(spec["datasets"].values()))  # type: ignore[union-attr]
    assert {r["partner"] for r in rows} >= {"South Korea", "Brazil", "Japan"}
    assert not {"KOR", "BRA"} & {r["partner"] for r in rows}
    kinds = {r["partner"]: r["kind"] for r in rows}
    assert (kinds["Brazil"], kinds["South Korea"], kinds["Japan"]) == ("country",) * 2 + ("region",)
    scale = spec["encoding"]["color"]["scale"]  # type: ignore[index]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert len(set(colour.values())) == len(colour)  # every line its own colour


def test_a_measure_ending_and_its_successor_starting_are_one_event() -> None:
    import pandas as pd

    from analysis.report.timeline_figures import merged_events

    day, next_day = pd.Timestamp("2026-02-24"), pd.Timestamp("2026-07-24")
    rows = [
        (day, "Section 122 surcharge: takes effect", "Section 122"),
        *[(day, f"IEEPA tariff {k}: ends", "IEEPA") for k in "ABC"],
        (next_day, "Section 301 action: takes effect", "Section 301"),
        (next_day, "Section 122 surcharge: ends", "Section 122"),
        (next_day, "China add-on: ends", "IEEPA"),
        (next_day, "China add-on: takes effect", "IEEPA"),
    ]
    events = pd.DataFrame(
        [{"date": d, "event": e, "authority": a, "reference": e, "url": ""} for d, e, a in rows]
    )
    merged = merged_events(events)
    assert list(merged.columns) == list(events.columns) and len(merged) == 2
    assert merged["event"].tolist() == [
        "Section 122 surcharge takes effect; the 3 IEEPA tariffs end",
        "China add-on changes; Section 301 action takes effect; Section 122 surcharge ends",
    ]
    assert merged["authority"].tolist() == [
        "Section 122 / IEEPA",
        "Section 301 / Section 122 / IEEPA",
    ]
    assert merged["reference"].iloc[0] == "Section 122 surcharge: takes effect"


def test_each_event_verb_agrees_with_its_measure() -> None:
    import pandas as pd

    from analysis.report.timeline_figures import merged_events

    day, later = pd.Timestamp("2025-03-12"), pd.Timestamp("2026-02-24")
    rows = [
        (day, "Section 232 tariffs on steel and aluminium: takes effect", "Section 232"),
        (day, "Section 232 tariff on copper: takes effect", "Section 232"),
        (later, "Section 301 tariffs on China (Lists 1, 2): ends", "Section 301"),
        (later, "Section 301 tariffs on China (Lists 1, 2): takes effect", "Section 301"),
        (later, "Section 232 autos and parts, Japan at 15%: ends", "Section 232"),
        (later, "Section 301 action of 24 Jul 2026, caps (Japan, EU): ends", "Section 301"),
    ]
    events = pd.DataFrame(
        [{"date": d, "event": e, "authority": a, "reference": e, "url": ""} for d, e, a in rows]
    )
    assert merged_events(events)["event"].tolist() == [
        "Section 232 tariffs on steel and aluminium take effect; "
        "Section 232 tariff on copper takes effect",
        "Section 301 tariffs on China (Lists 1, 2) change; "
        "Section 232 autos and parts, Japan at 15% end; "
        "Section 301 action of 24 Jul 2026, caps (Japan, EU) ends",
    ]


def test_the_authorities_named_are_those_that_raise_a_rate() -> None:
    import pandas as pd

    day1, day2 = pd.Timestamp("2025-04-05"), pd.Timestamp("2026-03-01")
    daily = pd.DataFrame(
        [
            (day1, "japan", "IEEPA", 0.10),
            (day2, "japan", "IEEPA", 0.0),
            (day1, "canada", "Section 338", 0.0),
            (day2, "canada", "Section 338", 0.05),
            (day2, "all", "Section 232", 0.02),
            (day1, "all", "Section 201", 0.0),  # never raises a rate: not named
        ],
        columns=["date", "partner", "authority", "additional_tariff_rate"],
    )
    assert authorities_in_words(daily) == (
        "IEEPA until the Supreme Court ended it, Section 232 and Section 338"
    )
    still = daily.assign(
        additional_tariff_rate=daily["additional_tariff_rate"].where(
            daily["authority"] != "IEEPA", 0.1
        )
    )
    assert authorities_in_words(still).startswith("IEEPA, Section 232")


def test_the_shipped_timeline_names_section_338(inputs: Inputs) -> None:
    # FINDINGS5 #15: Canada's Section 338 duties are in the charts, so in the sentence too.
    daily = daily_authority_rates(inputs, dt.date(2025, 1, 1), dt.date(2026, 11, 28), ["CAN"])
    words = authorities_in_words(daily)
    for name in ("IEEPA", "Section 122", "Section 232", "Section 301", "Section 338"):
        assert name in words, words


def test_an_authority_that_never_taxes_the_partner_is_not_in_its_legend(inputs: Inputs) -> None:
    # Section 338 is Canada's alone (2026): Switzerland's chart has no area and no legend entry
    # for it; Canada's has both.
    first, last = dt.date(2025, 1, 1), dt.date(2026, 11, 28)
    daily = daily_authority_rates(inputs, first, last, ("CHE",))
    for partner, shown in (("CHE", False), ("canada", True)):  # Canada: a region of its own
        spec = _spec(
            authority_timeline(
                daily[daily["partner"] == partner], legal_events(inputs, first, last), "t"
            )
        )
        domain = spec["layer"][0]["encoding"]["color"]["scale"]["domain"]  # type: ignore[index]
        assert ("Section 338" in domain) is shown
        assert "Section 232" in domain
