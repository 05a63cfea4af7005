"""Timeline charts: areas stack on common dates, one colour per authority, readable labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from analysis.inputs.bundle import Inputs
from analysis.questions.timeline import daily_authority_rates, legal_events
from analysis.report.timeline_figures import (
    AUTHORITY_COLORS,
    STEP_FROM,
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
        by_authority.setdefault(row["authority"], set()).add(row[STEP_FROM])
    dates = list(by_authority.values())
    assert all(d == dates[0] for d in dates)  # stacked areas need the same x values
    assert len(dates[0]) < 60  # only the change days, not 697 days
    hover = [d for d in datasets if d and "IEEPA (%)" in d[0]]  # the hover rule reads the same days
    assert len(hover) == 1 and {r[STEP_FROM] for r in hover[0]} == dates[0]
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


# Step charts: drawn from the days a rate changed (and the last day), the picture is the one
# drawn from every day. A hand-made year of two authorities' rates, changing on three days.
_DAYS = ("2025-01-01", "2025-01-15", "2025-02-03", "2025-02-20", "2025-03-10")
_CHANGES = {  # authority -> (first day of each value, value)
    "IEEPA": [("2025-01-01", 0.0), ("2025-02-03", 0.10), ("2025-02-20", 0.0)],
    "Section 232": [("2025-01-01", 0.02), ("2025-01-15", 0.05)],
}


def _every_day(partner: str = "japan") -> object:
    import pandas as pd

    days = pd.date_range(_DAYS[0], _DAYS[-1], freq="D")
    rows = []
    for authority, steps in _CHANGES.items():
        for day in days:
            rate = [v for start, v in steps if pd.Timestamp(start) <= day][-1]
            rows.append((day, partner, authority, rate))
    return pd.DataFrame(rows, columns=["date", "partner", "authority", "additional_tariff_rate"])


def _no_events() -> object:
    import pandas as pd

    return pd.DataFrame(
        [(pd.Timestamp("2025-02-03"), "IEEPA tariff takes effect", "IEEPA", "EO", "")],
        columns=["date", "event", "authority", "reference", "url"],
    )


def _polyline(d: str) -> str:
    """A path of straight segments (``M``/``L``/``Z``, absolute) without repeated points or
    points on a straight run between their neighbours: the shape it draws, whatever points
    it passes through."""
    import re

    out = []
    for part in re.split(r"(?=M)", d):
        points = [(float(x), float(y)) for x, y in re.findall(r"[ML]([-\d.e]+),([-\d.e]+)", part)]
        kept: list[tuple[float, float]] = []
        for p in points:
            if kept and p == kept[-1]:
                continue
            if len(kept) >= 2:
                (ax, ay), (bx, by) = kept[-2], kept[-1]
                if abs((bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)) < 1e-9:
                    kept[-1] = p  # b lies on the run from a to p
                    continue
            kept.append(p)
        out.append(" ".join(f"{x:g},{y:g}" for x, y in kept) + (" Z" if "Z" in part else ""))
    return " | ".join(out)


def _picture(svg: str) -> list[str]:
    """What an SVG shows: its visible elements in order, paths as the shapes they draw; the
    hover layer (invisible rules, the pointer's Voronoi cells) and screen-reader labels left
    out."""
    import re

    svg = re.sub(r'<g class="mark-path role-mark [^"]*_voronoi"[^>]*>.*?</g>', "", svg, flags=re.S)
    svg = re.sub(r"view_[0-9a-f]+_", "view_", svg)
    out = []
    for m in re.finditer(r"<(path|text|line|rect|g)\b[^>]*>(?:[^<]*</text>)?", svg):
        element = m.group(0)
        if 'opacity="0"' in element:
            continue
        element = re.sub(r' aria-label="[^"]*"', "", element)
        element = re.sub(r' d="([^"]*)"', lambda d: f' d="{_polyline(d.group(1))}"', element)
        out.append(element)
    return out


def _with_every_day(spec: dict[str, Any], daily: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """``spec`` with each dataset that has a ``valid_from`` column replaced by the one of
    ``daily`` with the same columns (every day)."""
    sets = {}
    for name, rows in spec["datasets"].items():
        if rows and STEP_FROM in rows[0]:
            rows = daily[",".join(sorted(rows[0]))]
        sets[name] = rows
    return {**spec, "datasets": sets}


def _iso(day: object) -> str:
    return f"{day:%Y-%m-%dT%H:%M:%S}"


def test_the_authority_chart_lists_the_change_days_and_draws_every_days_picture() -> None:
    from analysis.report.charts import svg_of

    daily = _every_day()
    spec = _spec(authority_timeline(daily, _no_events(), "t"))
    wide = next(r for r in spec["datasets"].values() if "IEEPA (%)" in r[0])  # type: ignore[union-attr]
    # The days some rate changed, and the last day (closing the steps); nothing else.
    assert [r[STEP_FROM][:10] for r in wide] == list(_DAYS)
    assert [(r["IEEPA (%)"], r["Section 232 (%)"]) for r in wide] == [
        (0.0, 2.0), (0.0, 5.0), (10.0, 5.0), (0.0, 5.0), (0.0, 5.0)
    ]  # fmt: skip
    percent = daily.assign(percent=daily["additional_tariff_rate"] * 100)  # type: ignore[attr-defined]
    every_wide = percent.pivot_table(index="date", columns="authority", values="percent")
    every = {
        ",".join(sorted(["IEEPA (%)", "Section 232 (%)", STEP_FROM])): [
            {STEP_FROM: _iso(d), **{f"{a} (%)": v for a, v in row.items()}}
            for d, row in every_wide.to_dict("index").items()
        ],
        ",".join(sorted(["authority", "percent", STEP_FROM])): [
            {STEP_FROM: _iso(r["date"]), "authority": r["authority"], "percent": r["percent"]}
            for r in percent.sort_values(["authority", "date"]).to_dict("records")
        ],
    }
    drawn, reference = svg_of(spec), svg_of(_with_every_day(spec, every))
    assert len(reference) > len(drawn)  # the every-day chart has a hover rule per day
    assert _picture(drawn) == _picture(reference)


def test_the_partner_lines_list_the_change_days_and_draw_every_days_picture() -> None:
    import pandas as pd

    from analysis.report.charts import svg_of

    daily = pd.concat([_every_day("japan"), _every_day("eu").assign(additional_tariff_rate=0.03)])
    spec = _spec(partners_timeline(daily, "t"))
    rows = next(iter(spec["datasets"].values()))  # type: ignore[union-attr]
    days = {
        p: [r[STEP_FROM][:10] for r in rows if r["partner"] == p]
        for p in ("Japan", "European Union")
    }
    assert days == {  # Japan's total: 2, 5, 15, 5 (%), the last day; the EU's: flat
        "Japan": ["2025-01-01", "2025-01-15", "2025-02-03", "2025-02-20", "2025-03-10"],
        "European Union": ["2025-01-01", "2025-03-10"],
    }
    totals = daily.groupby(["date", "partner"], as_index=False)["additional_tariff_rate"].sum()
    names = {"japan": "Japan", "eu": "European Union"}
    every = [
        {
            "partner": names[r["partner"]],
            "kind": "region",
            "percent": r["additional_tariff_rate"] * 100,
            "additional_tariff_rate": r["additional_tariff_rate"],
            STEP_FROM: _iso(r["date"]),
        }
        for r in totals.sort_values(["partner", "date"]).to_dict("records")
    ]
    every_day = {",".join(sorted(every[0])): every}
    drawn, reference = svg_of(spec), svg_of(_with_every_day(spec, every_day))
    assert _picture(drawn) == _picture(reference)


def test_a_last_digit_change_is_not_a_change_day() -> None:
    # The UK's Section 232 rate on 8 Jun 2026 is the same law summed in another order:
    # 0.039059379510873877 then 0.03905937951087387 (review 8). Only real changes are steps.
    import pandas as pd

    daily = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-04-06", "2026-06-08", "2026-07-24", "2026-11-28"]),
            "authority": "Section 232",
            "additional_tariff_rate": [
                0.039059379510873877,
                0.03905937951087387,
                0.05,
                0.05,
            ],
        }
    )
    events = pd.DataFrame(columns=["date", "event", "authority", "reference", "url"])
    spec = _spec(authority_timeline(daily, events, "t"))
    rows = [d for d in spec["datasets"].values() if d and "authority" in d[0]]  # type: ignore[union-attr]
    days = sorted({r["valid_from"][:10] for r in rows[0]})
    assert days == ["2026-04-06", "2026-07-24", "2026-11-28"]


def _ban_frames() -> tuple[Any, Any]:
    """A hand-made partner: its Section 338 rate 2.6% until 28 Sep, 2.8% from 29 Sep (a ban
    counted as a 1000% duty that day), and a Section 232 rate that does not move."""
    import pandas as pd

    days = pd.date_range("2026-09-27", "2026-09-30")
    s338 = [0.026, 0.026, 0.028, 0.028]
    daily = pd.DataFrame(
        [(d, "Section 338", r) for d, r in zip(days, s338, strict=True)]
        + [(d, "Section 232", 0.05) for d in days],
        columns=["date", "authority", "additional_tariff_rate"],
    )
    events = pd.DataFrame(
        [
            {
                "date": pd.Timestamp("2026-09-29"),
                "event": "Section 338 ban on dairy goods of a partner (note 1): ban takes effect",
                "measure": "m",
                "authority": "Section 338",
                "reference": "Proclamation 1 of 8 Sep 2026 (a ban; secondary only)",
                "url": "https://hts.usitc.gov/",
                "ban_rate": 10.0,
            },
            {
                "date": pd.Timestamp("2026-09-29"),
                "event": "Steel measure: takes effect",
                "measure": "s",
                "authority": "Section 232",
                "reference": "Proclamation 2",
                "url": "https://hts.usitc.gov/",
                "ban_rate": float("nan"),
            },
        ]
    )
    return daily, events


def test_a_ban_is_said_where_its_authority_steps_with_its_citation() -> None:
    from analysis.report.timeline_figures import ban_note

    daily, events = _ban_frames()
    note = ban_note(events, daily, "Canada")
    assert note.startswith(
        "On 29 September 2026 the Section 338 tariff on Canada steps up by 0.2 points, to 2.8%"
    )
    from analysis.report.text import md_text

    said = "that day the Section 338 ban on dairy goods of a partner (note 1) takes effect"
    assert md_text(said) in note and "counts a ban as a 1000% duty" in note
    assert md_text("Proclamation 1 of 8 Sep 2026 (a ban; secondary only)") in note
    assert "Steel" not in note  # an ordinary event says nothing
    assert ban_note(events[events["ban_rate"].isna()], daily, "Canada") == ""
    assert ban_note(events.drop(columns="ban_rate"), daily, "Canada") == ""


def test_a_ban_event_reads_as_a_ban_not_as_its_measure_taking_effect() -> None:
    from analysis.report.timeline_figures import merged_events

    _, events = _ban_frames()
    merged = merged_events(events)
    assert merged["event"].tolist() == [
        "Steel measure takes effect; "
        "Section 338 ban on dairy goods of a partner (note 1) takes effect "
        "(counted as a 1000% duty)"
    ]


def test_a_bans_note_and_its_event_cite_the_same_words() -> None:
    """The note under the chart and the events table cite a ban alike (its value's reference,
    caveats included), on a day when the ban is the only event."""
    from analysis.report.text import md_text
    from analysis.report.timeline_figures import ban_note, merged_events

    daily, events = _ban_frames()
    ban = events[events["ban_rate"].notna()]
    cited = merged_events(ban)["reference"].iloc[0]
    assert cited == "Proclamation 1 of 8 Sep 2026 (a ban; secondary only)"
    assert f"; {md_text(cited)})." in ban_note(ban, daily, "Canada")


def test_a_rate_with_a_ban_says_its_points() -> None:
    from analysis.report.timeline_figures import ban_clause

    assert ban_clause([], "8.6%") == ""
    assert ban_clause([("Section 338 ban on dairy goods", 0.0024)], "8.6%") == (
        "0.24 points of the 8.6% are the Section 338 ban on dairy goods counted as a 1000% duty"
    )


def _merged_with_pandas(events: Any) -> Any:
    """The pandas grouping :func:`merged_events` replaced (a day's rows filtered by frame
    operations), kept as its independent check."""
    import pandas as pd

    from analysis.questions.bans import BAN_EVENT
    from analysis.report.timeline_figures import _ban_words, _verb
    from analysis.report.views import reader_source, sector_words

    split = events["event"].str.rsplit(": ", n=1)
    rows = events.assign(title=split.str[0], what=split.str[1])
    words = sector_words()
    out = []
    for date, day in rows.groupby("date", sort=True):
        ending = day[day["what"] == "ends"]
        banning = day[day["what"] == BAN_EVENT]
        starting = day[~day["what"].isin(["ends", BAN_EVENT])]
        changed = set(ending["title"]) & set(starting["title"])
        titles = list(dict.fromkeys(starting["title"]))
        parts = [_verb(t, "changes", "change") for t in titles if t in changed]
        parts += [_verb(t, "takes effect", "take effect") for t in titles if t not in changed]
        parts += [_ban_words(ban) for ban in banning.itertuples(index=False)]
        starting = pd.concat([starting, banning]) if len(banning) else starting
        for authority, group in ending[~ending["title"].isin(changed)].groupby(
            "authority", sort=False
        ):
            titles = list(dict.fromkeys(group["title"]))
            if len(titles) >= 3:
                parts.append(f"the {len(titles)} {authority} tariffs end")
            else:
                parts += [_verb(t, "ends", "end") for t in titles]
        first = (starting if len(starting) else day).iloc[0]
        out.append(
            {
                "date": date,
                "event": "; ".join(parts),
                "authority": " / ".join(dict.fromkeys(day["authority"])),
                "reference": reader_source(str(first["reference"]), words),
                "url": first["url"],
            }
        )
    return pd.DataFrame(out, columns=["date", "event", "authority", "reference", "url"])


def test_the_merged_events_of_the_shipped_law_are_the_pandas_groupings(inputs: Inputs) -> None:
    """Every partner's events (and all of them, a ban's day among them) merge day by day to
    the frame the pandas grouping gave: the same words, dates, citations and types."""
    import pandas as pd

    from analysis.questions.timeline import events_reaching, laws_by_day
    from analysis.report.timeline_figures import merged_events
    from analysis.report.views import regime_dates

    first, last = dt.date(2025, 1, 1), dt.date(2026, 11, 28)
    events = legal_events(inputs, first, last)
    assert events["event"].str.endswith("ban takes effect").any()
    days = regime_dates(inputs.measures.values(), first, last, inputs.lines.product_lists())
    laws = laws_by_day(inputs, days).values()
    frames = [events, *(events_reaching(events, laws, p) for p in ("japan", "canada", "KOR"))]
    for frame in frames:
        assert len(frame)
        expected = _merged_with_pandas(frame)
        pd.testing.assert_frame_equal(merged_events(frame), expected, check_exact=True)
