"""Our line-level rates by country beside the published ones (issue 16, validation by country).

Ours: the additional tariff rate of a country on a day, import-weighted over its HS10 lines
with 2024 weights, above each line's 2024 applied rate (:mod:`analysis.policy.lines`).
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

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import read_checked_csv
from analysis.inputs.paths import data_folder
from analysis.policy.lines import LineSchedule, line_schedule

PUBLISHED_FILE = "published_country_rates_tradewartracker.csv"
#: The published figures as readers cite them: name, publisher, version date and address.
PUBLISHED_SOURCE = (
    "Trade War Redux 2025, effective tariff by country and date (country-by-time), published by "
    "the tradewartracker (MIT licence, copyright 2025 tradewartracker), version of 22 July 2026, "
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


def line_schedule_on(inputs: Inputs, day: dt.date) -> LineSchedule:
    lazy = inputs.lines
    return line_schedule(day, lazy.get(), lazy.product_lists(), inputs.measures, lazy.usmca())


def compare_countries(
    inputs: Inputs, days: Iterable[dt.date], countries: Iterable[str]
) -> pd.DataFrame:
    """One row per day and country (ISO3): our additional rate, the published one, the gap."""
    published = read_checked_csv(PUBLISHED_FILE, data_folder())
    wanted = [inputs.countries.resolve(c) for c in countries]
    rows = []
    for day in days:
        ours = line_schedule_on(inputs, day).aggregate("country")
        for country in wanted:
            if isinstance(country, str):
                continue  # a region: no published country figure
            code = EU_AGGREGATE if country.region == "eu" else country.cty_code
            rate, since = published_on(published, code, day)
            our = float(ours.loc[country.key, "additional_tariff_rate"])
            rows.append(
                {
                    "date": day.isoformat(),
                    "country": country.key,
                    "our_additional_rate": our,
                    "published_additional_rate": rate,
                    "published_from": since,
                    "published_for": "EU" if code == EU_AGGREGATE else country.key,
                    "gap_rate": our - rate,
                }
            )
    return pd.DataFrame(rows)


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


def country_products(
    inputs: Inputs, day: dt.date, country: str, n: int = 15
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A country's products hit hardest on ``day``: its HS chapters by added duty (2024
    imports x additional rate, with each authority's rate) and its ``n`` lines with the most
    added duty."""
    schedule = line_schedule_on(inputs, day)
    found = inputs.countries.resolve(country)
    if isinstance(found, str):
        rows = schedule.lines.region_at == schedule.lines.partners.index(found)
    else:
        codes = [c.cty_code for c in schedule.lines.countries.countries]
        rows = schedule.lines.country_at == codes.index(found.cty_code)
    chapters = schedule.aggregate("chapter", np.asarray(rows))
    chapters["added_duty_usd"] = chapters["additional_tariff_rate"] * chapters["imports_usd"]
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
_AUG_7_2025 = dt.date(2025, 8, 7)  # the Japan and EU deals' floors, EO 14323 on Brazil (6 Aug)
_LAST_IEEPA_DAY = dt.date(2026, 2, 23)  # the last day of the IEEPA tariffs and deal floors
_S301_2026 = dt.date(2026, 7, 24)  # the 2026 Section 301 action, caps net of MFN
_FLOORS = "floors net of MFN: we top each line up to 15% from its 2024 applied rate, the "
_FLOORS_TRACKER = "tracker takes MFN as 0"
#: Why each country's rate differs from the tradewartracker's: (first day, last day, reason)
#: for the days each reason holds (traced with ``tariff-reports rates --date D --partner P
#: --json``; docs/validation_by_country.md). A day outside every span is "not traced".
GAP_REASONS: dict[str, tuple[tuple[dt.date, dt.date, str], ...]] = {
    "JPN": (
        (_AUG_7_2025, _LAST_IEEPA_DAY, f"the Japan deal's {_FLOORS}{_FLOORS_TRACKER}."),
        (
            _LAST_IEEPA_DAY + dt.timedelta(days=1),
            _S301_2026 - dt.timedelta(days=1),
            "in part the Section 232 car floor (15% all-in from 16 Sep 2025), which we top up "
            f"from each line's 2024 applied rate while the {_FLOORS_TRACKER}; the rest is not "
            "traced.",
        ),
        (_S301_2026, dt.date.max, f"the 2026 Section 301 caps' {_FLOORS}{_FLOORS_TRACKER}."),
    ),
    "KOR": (
        (
            _AUG_7_2025,
            dt.date(2025, 10, 31),
            "Korea's cars and parts pay 25% in ours until the deal's 15% all-in takes effect "
            "(1 Nov 2025).",
        ),
        (dt.date(2025, 11, 1), _LAST_IEEPA_DAY, f"the Korea deal's {_FLOORS}{_FLOORS_TRACKER}."),
        (_S301_2026, dt.date.max, f"the 2026 Section 301 caps' {_FLOORS}{_FLOORS_TRACKER}."),
    ),
    "IND": (
        (
            dt.date(2025, 4, 5),
            dt.date(2025, 8, 6),
            "we exempt Annex II goods (pharmaceuticals of ch. 30, $12.5 bn of India's $86.3 bn "
            "of 2024 imports, among them) from the 10% baseline; the tracker's figure is close "
            "to the 10% headline.",
        ),
        (
            dt.date(2025, 8, 27),
            dt.date(2025, 11, 13),
            "we exempt Annex II goods (pharmaceuticals of ch. 30, $12.5 bn of India's $86.3 bn "
            "of 2024 imports, among them) from the 25% + 25%; the tracker's figure is nearer "
            "the 50% headline.",
        ),
    ),
    "CHE": (
        (
            dt.date(2025, 4, 5),
            dt.date(2025, 8, 6),
            "pharmaceuticals (ch. 30) and gold bullion (ch. 71) are in Annex II: we exempt them "
            "from the 10% baseline; the tracker's figure is close to the 10% headline.",
        ),
        (
            dt.date(2025, 8, 7),
            dt.date(2025, 11, 13),
            "pharmaceuticals (ch. 30) and gold bullion (ch. 71) are in Annex II: we exempt them; "
            "the tracker's figure is close to the 39% headline.",
        ),
        (
            dt.date(2025, 11, 14),
            _LAST_IEEPA_DAY,
            f"the Switzerland deal's {_FLOORS}{_FLOORS_TRACKER}.",
        ),
    ),
    "BRA": (
        (
            dt.date(2025, 8, 6),
            _LAST_IEEPA_DAY,
            "EO 14323's 40% with its Annex I exemptions line by line (not traced further).",
        ),
    ),
    "DEU": (
        (
            _AUG_7_2025,
            dt.date.max,
            f"compared with the tracker's EU aggregate; the EU deal's {_FLOORS}{_FLOORS_TRACKER}.",
        ),
    ),
    "MEX": (
        (
            dt.date(2025, 3, 7),
            dt.date(2025, 6, 30),
            "USMCA goods are exempt by each line's monthly utilisation share: about 48% of "
            "Mexico's imports claimed USMCA in May 2025.",
        ),
        (
            dt.date(2025, 7, 1),
            _LAST_IEEPA_DAY,
            "USMCA goods are exempt by each line's monthly utilisation share: about 89% of "
            "Mexico's imports claimed USMCA from July 2025.",
        ),
    ),
    "CHN": (
        (
            dt.date(2025, 1, 1),
            dt.date(2025, 12, 31),
            "Section 301 line by line on 2024 weights (10.1%; exclusions lift 0.1 point) "
            "against about 4.8% implied by the tracker; the 2024 calculated duty on China "
            "(about 8.4% above MFN) lies between.",
        ),
        (
            dt.date(2026, 1, 1),
            dt.date.max,
            "Section 301 line by line on 2024 weights (11.5% from 2026; exclusions lift 0.1 "
            "point) against about 4.8% implied by the tracker; the 2024 calculated duty on China "
            "(about 8.4% above MFN) lies between.",
        ),
    ),
    "CAN": (
        (
            dt.date(2025, 3, 7),
            _LAST_IEEPA_DAY,
            "USMCA goods are exempt by each line's monthly utilisation share; energy and potash "
            "pay 10% under the fentanyl order.",
        ),
    ),
    "VNM": (),
    "TWN": (),
}


def gap_reason(country: str, day: dt.date, gap_rate: float) -> str:
    """Why ``country``'s rate differs from the tracker's on ``day``: nothing beyond "within a
    point" for a gap under one point (as shown, to 0.1 point), else the size and side of the
    gap and the reason of :data:`GAP_REASONS` that holds on the day ("not traced" if none)."""
    points = round(abs(gap_rate) * 100, 1)
    if points < WITHIN_A_POINT_RATE * 100:
        return "Within a point."
    side = "higher" if gap_rate > 0 else "lower"
    held = [text for first, last, text in GAP_REASONS.get(country, ()) if first <= day <= last]
    return f"Ours is {points:.1f} points {side}: " + (held[0] if held else "not traced.")


def country_gaps(
    inputs: Inputs,
    days: Iterable[dt.date] = CLOSING_DAYS,
    countries: Iterable[str] = LARGEST_SUPPLIERS,
) -> pd.DataFrame:
    """:func:`compare_countries` with the reason for each row's gap (:func:`gap_reason`)."""
    table = compare_countries(inputs, days, countries)
    reasons = [
        gap_reason(c, dt.date.fromisoformat(d), g)
        for c, d, g in zip(table["country"], table["date"], table["gap_rate"], strict=True)
    ]
    return table.assign(why=reasons)


def country_gaps_named(inputs: Inputs) -> pd.DataFrame:
    """:func:`country_gaps` with countries by name for readers ("Japan", "the EU")."""

    def name(code: str) -> str:
        if code == "EU":
            return "the EU"
        found = inputs.countries.resolve(code)
        return code if isinstance(found, str) else found.short_name

    gaps = country_gaps(inputs)
    return gaps.assign(
        country=gaps["country"].map(name), published_for=gaps["published_for"].map(name)
    )
