"""Our line-level rates by country beside the published ones (issue 16, validation by country).

Ours: the additional tariff rate of a country on a day, import-weighted over its HS10 lines
with 2024 weights, above each line's 2024 applied rate (:mod:`analysis.policy.lines`).
The tracker's figure is another quantity: the rate of the tariff actions taken from 2025 on,
with every measure already in force before 2025 left out (its notebook: Section 301 on China
"captured in 2024 baseline, not in this model"; its HS2 files call the figure the "2025 tariff
increase"). Ours on its definition, ``our_2025_measures_rate``, is our additional rate less the
contribution of the measures in force before 1 Jan 2025 (:func:`measures_before`: the 2018-2024
Section 301 lists on China with the four-year review's later steps, the 2018 Section 232).
Published: the tradewartracker's rate for the same country on the latest date it changed on or
before the day (``published_country_rates_tradewartracker.csv``, SOURCES.md section 16); its
figures end on 2026-08-19, so a later day is compared with its last figure (``published_from``
says which). Germany and the other EU members are compared with the EU figure (code 0003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs import shared
from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import read_checked_csv
from analysis.inputs.paths import data_folder
from analysis.policy.lines import LineSchedule
from analysis.policy.regimes import line_law_on
from analysis.questions.country_gap_reasons import GAP_REASONS, TRACED
from analysis.questions.validation import SHOWN_DECIMALS

PUBLISHED_FILE = "published_country_rates_tradewartracker.csv"
#: The published figures as readers cite them: name, publisher, version date and address.
PUBLISHED_SOURCE = (
    "Trade War Redux 2025, effective tariff by country and date (country-by-time), published by "
    "the tradewartracker (MIT licence, copyright 2025 tradewartracker), version of 23 July 2026 "
    "(its last figure is for the law it dates 19 August 2026, scheduled then), "
    "https://github.com/tradewartracker/trade-war-redux-2025"
)
EU_AGGREGATE = "0003"


def published_on(published: pd.DataFrame, cty_code: str, day: dt.date) -> tuple[float, str]:
    """(rate, date it holds from) of the latest published figure on or before ``day``;
    (NaN, "") where there is none."""
    rows = published[
        (published["cty_code"] == cty_code) & (published["from_date"] <= day.isoformat())
    ]
    if rows.empty:
        return float("nan"), ""
    last = rows.sort_values("from_date").iloc[-1]
    return float(last["additional_tariff_rate"]), str(last["from_date"])


#: The last law :func:`line_schedule_on` stacked in this process: (the inputs' lines, their
#: measures as (id, measure) pairs, the day, the schedule).
_LAST: list[tuple[object, tuple[tuple[str, object], ...], dt.date, LineSchedule]] = []


def line_schedule_on(inputs: Inputs, day: dt.date) -> LineSchedule:
    """The law of ``day`` line by line on the inputs' lines
    (:func:`analysis.policy.regimes.line_law_on`: in a build, from the day's shared stacking).

    The last one is kept and given again to a caller that asks for the same day of the same
    inputs (a partner report's products and its open questions are on one day): the same
    lines object, the same measure objects under the same ids (compared by identity) and the
    same day; anything else stacks the law afresh. No caller changes a schedule in place."""
    lazy = inputs.lines
    measures = tuple(inputs.measures.items())
    if _LAST:
        held_lines, held_measures, held_day, held = _LAST[0]
        if held_lines is lazy and held_day == day and _same(held_measures, measures):
            return held
    schedule = line_law_on(day, inputs.data, inputs.measures, lazy)  # a build's: shared
    _LAST[:] = [(lazy, measures, day, schedule)]
    return schedule


def _same(held: tuple[tuple[str, object], ...], now: tuple[tuple[str, object], ...]) -> bool:
    """The same ids in the same order, each for the very same measure object."""
    return len(held) == len(now) and all(
        a == c and b is d for (a, b), (c, d) in zip(held, now, strict=True)
    )


#: The tracker's figures measure the tariffs added from this day on (module docstring).
TRACKER_BASE_DAY = dt.date(2025, 1, 1)


def measures_before(inputs: Inputs, day: dt.date = TRACKER_BASE_DAY) -> tuple[str, ...]:
    """The measures already in force before ``day`` (a value starting earlier), MFN aside:
    with :data:`TRACKER_BASE_DAY`, the 2018-2024 Section 301 lists on China (their 2025 and
    2026 steps, decided in the 2024 four-year review, included) and the 2018 Section 232."""
    return tuple(
        mid
        for mid, m in inputs.measures.items()
        if not m.is_mfn and any(v.start < day for v in m.values)
    )


def rate_without(schedule: LineSchedule, measures: Iterable[str]) -> pd.Series:
    """(countries,) our additional rate by country (ISO3) less the contribution of
    ``measures`` (import-weighted with 2024 weights, as :meth:`LineSchedule.aggregate`)."""
    ours = schedule.aggregate("country")
    left_out = np.zeros(schedule.lines.rows)
    for mid in measures:
        if mid in schedule.contributions:
            left_out += schedule.contributions[mid]
    at, labels = schedule.group_index("country")
    w = schedule.lines.imports_usd
    part = np.bincount(at, weights=w * left_out, minlength=labels.size)
    imports = np.bincount(at, weights=w, minlength=labels.size)
    share = pd.Series(part / np.where(imports > 0, imports, 1.0), index=labels)
    return ours["additional_tariff_rate"] - share.reindex(ours.index)


def compare_countries(
    inputs: Inputs, days: Iterable[dt.date], countries: Iterable[str]
) -> pd.DataFrame:
    """One row per day and country (ISO3): our additional rate, the published one, the gap;
    and ours on the tracker's definition (:func:`measures_before`) with its gap. Rates are
    rounded to 0.1 point, as shown, and each gap is the difference of the rounded figures."""
    published = read_checked_csv(PUBLISHED_FILE, data_folder())
    wanted = [inputs.countries.resolve(c) for c in countries]
    before = measures_before(inputs)
    rows = []
    # Our aggregate on each published figure's date, computed once (not once per country).
    then_by_date: dict[str, pd.DataFrame] = {}
    for day in days:
        schedule = line_schedule_on(inputs, day)
        ours = schedule.aggregate("country")
        since_2025 = rate_without(schedule, before)
        for country in wanted:
            if isinstance(country, str):
                continue  # a region: no published country figure
            code = EU_AGGREGATE if country.region == "eu" else country.cty_code
            rate, since = published_on(published, code, day)
            # As shown (to 0.1 point): the gaps are the differences of the figures shown.
            our = round(float(ours.loc[country.key, "additional_tariff_rate"]), SHOWN_DECIMALS)
            like = round(float(since_2025.loc[country.key]), SHOWN_DECIMALS)
            rate = round(rate, SHOWN_DECIMALS)
            later = ""
            if since and since < day.isoformat():
                if since not in then_by_date:
                    then_on = line_schedule_on(inputs, dt.date.fromisoformat(since))
                    then_by_date[since] = then_on.aggregate("country")
                later = law_change_note(then_by_date[since], ours, country.key, since)
            rows.append(
                {
                    "date": day.isoformat(),
                    "country": country.key,
                    "our_additional_rate": our,
                    "published_additional_rate": rate,
                    "published_from": since,
                    "published_for": "EU" if code == EU_AGGREGATE else country.key,
                    "gap_rate": round(our - rate, SHOWN_DECIMALS),
                    "our_2025_measures_rate": like,
                    "gap_2025_measures_rate": round(like - rate, SHOWN_DECIMALS),
                    "law_change": later,
                }
            )
    return pd.DataFrame(rows)


def shared_comparison(
    inputs: Inputs, days: Iterable[dt.date], countries: Iterable[str]
) -> pd.DataFrame:
    """:func:`compare_countries`, for the build's own inputs (:mod:`analysis.inputs.shared`)
    computed once per build and read back by the other tables of the same days and countries
    (the validation report's country gaps and its gaps then and now): the key is the load's
    scope (the law's inputs, the published figures among the data, the code) with the days
    and the countries in their order."""
    days, countries = tuple(days), tuple(countries)
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    if scope is None:
        return compare_countries(inputs, days, countries)
    when = ",".join(day.isoformat() for day in days)
    key = f"{scope}|compare_countries|{when}|{','.join(countries)}"
    return shared.remember(key, lambda: compare_countries(inputs, days, countries))


#: How a row whose published figure predates a change of our law on the day is marked: its
#: figure and ours are of different laws (:func:`law_change_note`).
LATER_LAW = "Later law than the tracker's figure"


def law_change_note(then: pd.DataFrame, now: pd.DataFrame, country: str, since: str) -> str:
    """How our rate for ``country`` moves, by authority (from 0.05 point, as shown), between
    the published figure's date ``since`` (our aggregate ``then``) and our day (``now``): the
    law a figure of that date may not include, led by :data:`LATER_LAW`; "" if nothing
    moves. Moves that add up to under half a point (each as shown, signs aside) are named but
    the row stays one of the same law: the gap is then the method's, not the law's."""
    before, after = then.loc[country], now.loc[country]
    columns = sorted({c for c in (*then.columns, *now.columns) if c.startswith("rate_")})
    moved = {c: float(after.get(c, 0.0)) - float(before.get(c, 0.0)) for c in columns}
    shown = {c: change for c, change in moved.items() if abs(change) >= 0.0005}
    parts = [
        f"{'+' if change > 0 else '-'}{points_in_words(abs(change) * 100)} under "
        + c.removeprefix("rate_")
        for c, change in shown.items()
    ]
    if not parts:
        return ""
    on = dt.date.fromisoformat(since)
    moves = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    if sum(round(abs(c) * 100, 1) for c in shown.values()) < HALF_A_POINT_RATE * 100:
        return (
            f"Our rate moves by {moves} between the tracker's day ({on.day} {on:%b %Y}) and "
            "this one: under half a point in all, so the row counts as the same law. "
        )
    return (
        f"{LATER_LAW}: our rate moves by {moves} between its day ({on.day} {on:%b %Y}) and "
        "this one. "
    )


def median_points(gaps_rate: pd.Series, with_unit: bool = True) -> str:
    """The median of gaps as shown (fractions rounded to 0.1 point), in points, to 0.05 point:
    the median of an even number of rows falls between two shown figures ("0.65 point"), so a
    reader who takes it from the rows finds the same number."""
    points = round(float(gaps_rate.median()) * 100, 2)
    text = f"{points:.2f}"
    if text.endswith("0"):
        text = text[:-1]
    return text if not with_unit else f"{text} point" + ("s" if points > 1 else "")


def points_in_words(points: float) -> str:
    """Percentage points as shown, to 0.1, with the unit agreeing: "0.4 point", "1.0 point",
    "2.3 points"."""
    shown = round(points, 1)
    return f"{shown:.1f} point" + ("s" if shown > 1 else "")


def top_lines(schedule: LineSchedule, rows: np.ndarray, n: int = 20) -> list[dict[str, Any]]:
    """The ``n`` HS10 lines of ``rows`` with the most added duty (2024 imports x additional
    rate, summed over the partner's countries)."""
    lines = schedule.lines
    weights = lines.imports_usd * rows
    added = np.bincount(
        lines.product_at,
        weights=weights * schedule.additional_tariff_rate,
        minlength=lines.hs10.size,
    )
    imports = np.bincount(lines.product_at, weights=weights, minlength=lines.hs10.size)
    order = np.argsort(-added)[:n]
    text = lines.description if lines.description.size else np.full(lines.hs10.size, "")
    return [
        {
            "hs10": str(lines.hs10[k]),
            "description": str(text[k]),
            "imports_usd": float(imports[k]),
            "additional_tariff_rate": float(added[k] / imports[k]) if imports[k] else 0.0,
            "added_duty_usd": float(added[k]),
        }
        for k in order
        if added[k] > 0
    ]


def country_rows(inputs: Inputs, schedule: LineSchedule, country: str) -> np.ndarray:
    """The rows of ``schedule``'s lines that are ``country``'s (an ISO3 code, a Census code,
    a name, or a region: all its members)."""
    found = inputs.countries.resolve(country)
    if isinstance(found, str):
        return np.asarray(schedule.lines.region_at == schedule.lines.partners.index(found))
    codes = [c.cty_code for c in schedule.lines.countries.countries]
    return np.asarray(schedule.lines.country_at == codes.index(found.cty_code))


def country_products(
    inputs: Inputs, day: dt.date, country: str, n: int = 15
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A country's products hit hardest on ``day``: its HS chapters by added duty (2024
    imports x additional rate, with the rate of each authority that taxes any of its lines),
    each with its title (the HS's, ``hs_chapters.csv``), and its ``n`` lines with the most
    added duty."""
    schedule = line_schedule_on(inputs, day)
    rows = country_rows(inputs, schedule, country)
    chapters = schedule.aggregate("chapter", np.asarray(rows))
    titles = read_checked_csv(CHAPTERS_FILE, data_folder()).set_index("chapter")["chapter_title"]
    chapters.insert(0, "chapter_title", chapters.index.map(titles).fillna("(no HS title)"))
    chapters["added_duty_usd"] = chapters["additional_tariff_rate"] * chapters["imports_usd"]
    idle = [c for c in chapters if c.startswith("rate_") and not chapters[c].any()]
    chapters = chapters.drop(columns=idle)  # an authority that taxes none of its lines
    chapters = chapters.sort_values("added_duty_usd", ascending=False)
    return chapters, pd.DataFrame(top_lines(schedule, np.asarray(rows), n))


#: The largest suppliers that the timeline and validation reports show country by country
#: (issue 16): Japan, Korea, Vietnam, Taiwan, India, Switzerland, Brazil, Germany, Mexico,
#: China, Canada.
LARGEST_SUPPLIERS = ("JPN", "KOR", "VNM", "TWN", "IND", "CHE", "BRA", "DEU", "MEX", "CHN", "CAN")
#: The days of the closing note of issue 16.
CLOSING_DAYS = tuple(
    dt.date.fromisoformat(d)
    for d in ("2025-05-20", "2025-10-01", "2026-01-15", "2026-03-05", "2026-11-28")
)
#: A gap smaller than this (one percentage point, as shown to 0.1 point) needs no reason.
WITHIN_A_POINT_RATE = 0.01


#: Half a percentage point: a gap under it, as shown, is no gap to explain.
HALF_A_POINT_RATE = 0.005


def gap_reason(
    country: str,
    day: dt.date,
    gap_rate: float,
    cap_rate: float | None = None,
    law_changed: bool = False,
) -> str:
    """Why ``country``'s rate differs from the tracker's on ``day``: nothing beyond "within a
    point" for a gap under one point (as shown, to 0.1 point), else the size and side of the
    gap and the reason of :data:`GAP_REASONS` that holds on the day, or, if none holds (or it
    names the 2026 Section 301 cap and the country has none, ``cap_rate`` None), that the gap
    has not been traced. With ``law_changed`` (the figures are of different laws) the reason
    is given even under one point; a gap that shows as 0.0 is no gap, nor is one under half a
    point that was not traced line by line."""
    points = round(abs(gap_rate) * 100, 1)
    if points < WITHIN_A_POINT_RATE * 100 and not law_changed:
        return "Within a point."
    if points == 0:
        return "Ours and the tracker's figure are the same to 0.1 point: no gap to explain."
    held = [text for first, last, text in GAP_REASONS.get(country, ()) if first <= day <= last]
    reason = held[0] if held else ""
    if "{cap}" in reason:
        reason = "" if cap_rate is None else reason.format(cap=f"{cap_rate * 100:g}%")
    gap = f"Ours is {points_in_words(points)} {'higher' if gap_rate > 0 else 'lower'}"
    if points < HALF_A_POINT_RATE * 100 and TRACED not in reason:
        return f"{gap}, under half a point: no gap to explain."
    if not reason:
        return f"{gap}; this gap has not been traced line by line."
    return f"{gap}: {reason}"


def cap_2026_rate(inputs: Inputs, country: str, day: dt.date) -> float | None:
    """The 2026 Section 301 net-of-MFN cap of ``country`` (ISO3) on ``day`` as params/measures
    encode it (Japan and the EU in ``section301_2026_net_of_mfn``, Korea, Switzerland and
    Taiwan in ``floor_by_country`` of ``section301_2026_economies``); None if it has none."""
    found = inputs.countries.resolve(country)
    if isinstance(found, str):
        return None
    capped = inputs.measures.get("section301_2026_net_of_mfn")
    if capped is not None and found.region in capped.partners:
        value = next((v for v in capped.values if v.covers(day)), None)
        if value is not None:
            return float(value.rate_by_partner.get(found.region, value.rate))
    tiers = inputs.measures.get("section301_2026_economies")
    value = None if tiers is None else next((v for v in tiers.values if v.covers(day)), None)
    if value is None or found.cty_code not in value.floor_by_country:
        return None
    return float(value.floor_by_country[found.cty_code])


def country_gaps(
    inputs: Inputs,
    days: Iterable[dt.date] = CLOSING_DAYS,
    countries: Iterable[str] = LARGEST_SUPPLIERS,
) -> pd.DataFrame:
    """:func:`compare_countries` with the reason for each row's gap (:func:`gap_reason`), led
    by the measures the published figure predates (:func:`later_measures_note`) and the gap
    on the law of its date."""
    table = shared_comparison(inputs, days, countries)
    reasons = []
    for row in table.itertuples():
        day = dt.date.fromisoformat(str(row.date))
        gap = float(row.gap_2025_measures_rate)
        cap = cap_2026_rate(inputs, str(row.country), day)
        why = definition_note(float(row.our_additional_rate), float(row.our_2025_measures_rate))
        later = str(row.law_change).startswith(LATER_LAW)
        reason = gap_reason(str(row.country), day, gap, cap, later)
        reasons.append(why + str(row.law_change) + reason)
    return table.drop(columns=["law_change"]).assign(why=reasons)


def definition_note(ours: float, like: float) -> str:
    """What the tracker leaves out, where that moves our figure (by 0.05 point or more)."""
    if round(abs(ours - like) * 100, 1) < 0.1:
        return ""
    return (
        f"The tracker leaves out the measures in force before 2025 (Section 301 on China "
        f"since 2018: {(ours - like) * 100:.1f} points of ours); on its definition ours is "
        f"{like * 100:.1f}%. "
    )


def country_name(inputs: Inputs, code: str) -> str:
    """A country (ISO3, or "EU") by name for readers ("Japan", "the EU")."""
    if code == "EU":
        return "the EU"
    found = inputs.countries.resolve(code)
    return code if isinstance(found, str) else found.short_name


def country_gaps_named(inputs: Inputs) -> pd.DataFrame:
    """:func:`country_gaps` with countries by name for readers ("Japan", "the EU")."""
    gaps = country_gaps(inputs)
    return gaps.assign(
        country=gaps["country"].map(lambda c: country_name(inputs, c)),
        published_for=gaps["published_for"].map(lambda c: country_name(inputs, c)),
    )


AT_FILING_FILE = "our_rates_at_filing.csv"
#: The title of each HS chapter (SOURCES.md section 23).
CHAPTERS_FILE = "hs_chapters.csv"
#: The regions of one country when issue 16 was filed (their rate was the country's).
ONE_COUNTRY_REGIONS = ("japan", "china", "mexico", "canada", "uk")


def gaps_then_and_now(inputs: Inputs) -> pd.DataFrame:
    """The gaps to the tracker when issue 16 was filed (``our_rates_at_filing.csv``) and now,
    for the rows of :func:`country_gaps` (the same published figure each time).

    ``rate_then`` says what the package could give for the country then: its own rate (a
    one-country region) or only its region's rate (Korea in ``ftrow``, ...). The gaps on the
    tracker's definition leave out the measures in force before 2025 (then: the Section 301
    layer, the only such layer on these days; now: :func:`measures_before`)."""
    then = read_checked_csv(AT_FILING_FILE, data_folder()).set_index(["date", "region"])
    now = shared_comparison(inputs, CLOSING_DAYS, LARGEST_SUPPLIERS)
    rows = []
    for row in now.itertuples():
        country = inputs.countries.resolve(str(row.country))
        region = country if isinstance(country, str) else country.region
        old = then.loc[(row.date, region)]
        # As shown, to 0.1 point (as :func:`compare_countries` gives the figures of now).
        old_rate = round(float(old["additional_tariff_rate"]), SHOWN_DECIMALS)
        old_like = round(  # the 2025 measures' rate as its own row shows it: rounded once
            float(old["additional_tariff_rate"]) - float(old["section301_rate"]), SHOWN_DECIMALS
        )
        published = row.published_additional_rate
        rows.append(
            {
                "date": row.date,
                "country": row.country,
                "rate_then": "its own"
                if region in ONE_COUNTRY_REGIONS
                else f"its region's ({inputs.data.partner_name(region)})",
                "published_additional_rate": row.published_additional_rate,
                "then_additional_rate": old_rate,
                "then_2025_measures_rate": old_like,
                "now_additional_rate": row.our_additional_rate,
                "then_gap_rate": round(old_rate - published, SHOWN_DECIMALS),
                "now_gap_rate": row.gap_rate,
                "then_gap_2025_measures_rate": round(old_like - published, SHOWN_DECIMALS),
                "now_gap_2025_measures_rate": row.gap_2025_measures_rate,
            }
        )
    return pd.DataFrame(rows)


def gaps_then_and_now_named(inputs: Inputs) -> pd.DataFrame:
    """:func:`gaps_then_and_now` with countries by name for readers."""
    table = gaps_then_and_now(inputs)
    return table.assign(country=table["country"].map(lambda c: country_name(inputs, c)))
