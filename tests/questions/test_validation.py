"""Our rates beside the published ones: same partner, same day, same law."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_date
from analysis.policy.stacking import TariffSchedule
from analysis.questions.validation import compare_published, our_rate


def test_ours_is_the_schedule_of_the_day_without_the_excluded_measures(inputs: Inputs) -> None:
    item = next(p for p in inputs.published_rates if p.excluding)
    day = schedule_for_date(item.as_of, inputs.data, inputs.measures, inputs.lines)
    total = day.effective_rates().loc[item.partner, "effective_tariff_rate"]
    assert our_rate(inputs, item) < total
    kept = dataclasses.replace(item, excluding=())
    assert our_rate(inputs, kept) == pytest.approx(total)


def test_chinas_section_301_rates_add_up_to_the_stated_trade_weighted_averages(
    inputs: Inputs,
) -> None:
    """The sector rates of each dated value, weighted by the shipped 2024 imports from China,
    give the all-goods averages its note states (10.5%, 10.6%, 11.5%): the sector rates were
    computed line by line from the same Census weights, so an edited rate breaks this."""
    data = inputs.data
    china = data.imports_usd[:, data.partner_index("china")]
    measure = inputs.measures["section301_china_lists"]
    stated = {"2024-09-27": 0.105, "2025-01-01": 0.106, "2026-01-01": 0.115, "2026-11-11": 0.115}
    for value in measure.values:
        rates = [value.rate_by_sector.get(s, value.rate) for s in data.sectors]
        average = float((china * rates).sum() / china.sum())
        assert average == pytest.approx(stated[value.start.isoformat()], abs=0.0006)
        assert f"{stated[value.start.isoformat()]:.1%}" in value.note


def test_every_figure_has_a_source_and_a_reason(inputs: Inputs) -> None:
    table = compare_published(inputs)
    assert len(table) >= 10
    assert table["why the numbers differ"].str.len().min() > 20
    # The gap is the difference of the figures as shown (to 0.1 point), never off by a digit.
    shown = (table["our_rate"] * 1000).round() - (table["published_rate"] * 1000).round()
    assert ((table["gap_rate"] * 1000).round() == shown).all()
    assert dt.date.fromisoformat(table["as_of"].max()) <= dt.date(2026, 11, 28)


def test_household_costs_are_ours_for_the_law_of_the_published_day(inputs: Inputs) -> None:
    from analysis.questions.validation import compare_household_costs

    table = compare_household_costs(inputs)
    assert len(table) == len(inputs.published_costs) >= 2
    row = table.iloc[0]
    assert row["our_after_substitution_usd"] < row["our_before_substitution_usd"]
    # The split adds up to at most the before-substitution figure (import prices fall).
    parts = row["our_duties_per_household_usd"] + row["our_us_made_goods_per_household_usd"]
    assert parts >= row["our_before_substitution_usd"] > 0


def test_every_gap_an_explanation_states_is_the_gap_we_compute(inputs: Inputs) -> None:
    """An explanation that says 'ours is 2.8 points higher' must stay true when the law or
    the data change: the stated gap is the one the table shows (to 0.1 point, exactly), and
    the first 'ours N%' is our rate as the table shows it."""
    import re

    table = compare_published(inputs)
    pattern = re.compile(r"ours(?: is)? (\d+(?:\.\d+)?) points? (higher|lower)", re.IGNORECASE)
    checked = 0
    for as_of, gap, text in zip(
        table["as_of"], table["gap_rate"], table["why the numbers differ"], strict=True
    ):
        for size, side in pattern.findall(str(text).replace("\n", " ")):
            stated = float(size) * (1 if side.lower() == "higher" else -1)
            assert f"{gap * 100:.1f}" == f"{stated:.1f}", (as_of, text)
            checked += 1
    assert checked >= 5
    for ours, text in zip(table["our_rate"], table["why the numbers differ"], strict=True):
        first = re.search(r"ours (\d+\.\d)%", str(text).replace("\n", " "))
        if first:
            assert first.group(1) == f"{ours * 100:.1f}", text


def test_each_different_law_names_one_published_figure(inputs: Inputs) -> None:
    from analysis.questions.validation import DIFFERENT_LAW

    table = compare_published(inputs)
    marked = table[table["law compared"].str.startswith("Not the same law")]
    assert len(marked) == len(DIFFERENT_LAW) == 3
    assert set(zip(marked["as_of"], marked["partner"], marked["published_rate"], strict=True)) == (
        set(DIFFERENT_LAW)
    )


def test_each_reason_states_ours_and_the_gap_as_the_table_shows_them(inputs: Inputs) -> None:
    """A reason that quotes our figure ("ours 13.8%") or the gap ("ours is 6.8 points lower")
    quotes the row's own numbers: a law change that moves ours must also move the words,
    or a reader gets two different figures from one row."""
    import re

    table = compare_published(inputs)
    stale = []
    for _, row in table.iterrows():
        reason = str(row["why the numbers differ"])
        ours = re.search(r"\bours (\d+(?:\.\d)?)%", reason)
        if ours and float(ours.group(1)) != round(row["our_rate"] * 100, 1):
            stale.append(f"{row['as_of']}: {ours.group(0)} vs {row['our_rate']:.1%}")
        gap = re.search(r"ours is (\d+\.\d) points? (lower|higher)", reason)
        if gap:
            stated = float(gap.group(1)) * (1 if gap.group(2) == "higher" else -1)
            if stated != round(row["gap_rate"] * 100, 1):
                stale.append(f"{row['as_of']}: {gap.group(0)} vs {row['gap_rate'] * 100:+.1f}")
    assert not stale, stale


#: Dates as the reasons write them: 2025-10-01, 5 Dec 2026, 7 August 2025, Dec 2026.
_DATE = (
    r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b"
    r"|\b(?P<day>\d{1,2} )?(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
    r"\.? (?P<year>20\d{2})\b"
)


def _dates_in(text: str) -> list[dt.date]:
    import re

    found = []
    for m in re.finditer(_DATE, text):
        if m["iso"]:
            found.append(dt.date.fromisoformat(m["iso"]))
        else:
            month = dt.datetime.strptime(m["month"], "%b").month
            found.append(dt.date(int(m["year"]), month, int(m["day"] or 1)))
    return found


def test_no_reason_the_validation_report_prints_dates_our_own_work(inputs: Inputs) -> None:
    """The reasons readers see (both tables' reason columns, every shipped entry) say what the
    law and the figures are, never when this package changed: no date after the last day
    compared (a build date), no "Re-traced", no branch or commit. A gap that shows as 0.0 is
    never "higher" or "lower"."""
    import re

    from analysis.questions.country_gap_reasons import GAP_REASONS
    from analysis.questions.country_rates import CLOSING_DAYS, country_gaps

    published = compare_published(inputs)
    by_country = country_gaps(inputs)
    texts = [
        *published["why the numbers differ"],
        *by_country["why"],
        *(text for spans in GAP_REASONS.values() for _, _, text in spans),
    ]
    last_day = max(max(CLOSING_DAYS), *(p.as_of for p in inputs.published_rates))
    assert _dates_in("on 5 Dec 2026, 2025-10-01 and Dec 2026") == [
        dt.date(2026, 12, 5),
        dt.date(2025, 10, 1),
        dt.date(2026, 12, 1),
    ]
    history = re.compile(r"re-traced|\bbranch|\bcommit|\bmerged?\b", re.I)
    branch_name = re.compile(r"\b[a-z]{3,}\d+[a-z]?\b")  # docs16b, trace16b, deriv25
    for text in map(str, texts):
        later = [d for d in _dates_in(text) if d > last_day]
        assert not later, (later, text)
        assert not history.search(text), (history.search(text), text)
        assert not branch_name.search(text), (branch_name.search(text), text)
    for gap, text in zip(by_country["gap_2025_measures_rate"], by_country["why"], strict=True):
        if round(abs(gap) * 100, 1) == 0:
            assert not re.search(r"\b(higher|lower)\b", text), text


def test_figures_of_one_day_read_its_law_stacked_once(inputs: Inputs) -> None:
    """With the laws of the days already stacked passed along (as the comparison table does),
    each figure's rate is the one stacked afresh for it alone, bit for bit, and each day's law
    is stacked once."""
    laws: dict[dt.date, TariffSchedule] = {}
    for item in inputs.published_rates:
        shared_law = our_rate(inputs, item, laws)
        assert shared_law == our_rate(inputs, item)
    assert set(laws) == {item.as_of for item in inputs.published_rates}
    assert len(laws) < len(inputs.published_rates)  # two figures of 24 Feb 2026
