"""The law day by day: a step function of the change days, grouped by authority."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_date
from analysis.questions.timeline import (
    change_days,
    daily_authority_rates,
    events_reaching,
    legal_events,
)


def test_change_days_include_one_day_regimes_and_the_day_after_an_end(inputs: Inputs) -> None:
    days = change_days(inputs.measures.values(), dt.date(2025, 4, 1), dt.date(2026, 12, 31))
    assert dt.date(2025, 4, 9) in days and dt.date(2025, 4, 10) in days  # the 24% day
    assert dt.date(2026, 2, 24) in days  # IEEPA ended 23 Feb; section 122 began
    assert dt.date(2026, 7, 24) in days  # section 122 lapsed; Section 301 2026 began
    with pytest.raises(ValueError, match="before start date"):
        change_days(inputs.measures.values(), dt.date(2026, 1, 2), dt.date(2026, 1, 1))


def test_each_day_adds_up_to_the_schedule_of_that_day(inputs: Inputs) -> None:
    first, last = dt.date(2025, 4, 1), dt.date(2026, 8, 1)
    daily = daily_authority_rates(inputs, first, last)
    assert daily["date"].nunique() == (last - first).days + 1
    for day in ("2025-04-09", "2025-06-15", "2026-03-10", "2026-08-01"):
        on = dt.date.fromisoformat(day)
        schedule = schedule_for_date(on, inputs.data, inputs.measures, inputs.lines)
        for partner in ("japan", "mexico"):  # Mexico: its USMCA shares change every month
            expected = schedule.effective_rates().loc[partner, "additional_tariff_rate"]
            got = daily[(daily["date"] == day) & (daily["partner"] == partner)]
            assert got["additional_tariff_rate"].sum() == pytest.approx(expected, abs=1e-12)
    ieepa = daily[(daily["authority"] == "IEEPA") & (daily["date"] >= "2026-02-24")]
    assert (ieepa["additional_tariff_rate"] == 0).all()


def test_legal_events_carry_their_citations(inputs: Inputs) -> None:
    events = legal_events(inputs, dt.date(2025, 1, 1), dt.date(2026, 11, 28))
    assert events["date"].is_monotonic_increasing
    ends = events[events["event"].str.contains("ends")]
    assert (ends["date"] == "2026-02-24").sum() >= 5  # every IEEPA measure ends that day
    assert events["url"].str.startswith("https://").all()


def test_a_supplier_stands_alone_and_its_region_stays_whole(inputs: Inputs) -> None:
    first = last = dt.date(2025, 10, 1)
    whole = daily_authority_rates(inputs, first, last)
    split = daily_authority_rates(inputs, first, last, ("KOR", "JPN", "Germany"))
    # Japan is a region of its own: not split; Korea and Germany stand alone.
    assert {"KOR", "DEU"} <= set(split["partner"]) and "JPN" not in set(split["partner"])
    for region in ("ftrow", "eu", "japan", "all"):
        a = whole[whole["partner"] == region].set_index("authority")["additional_tariff_rate"]
        b = split[split["partner"] == region].set_index("authority")["additional_tariff_rate"]
        pd.testing.assert_series_equal(a.sort_index(), b.sort_index(), atol=1e-12)
    # Korea's line is its own rate from the lines (the rates command's figure).
    schedule = schedule_for_date(first, inputs.data, inputs.measures, inputs.lines, ("KOR",))
    expected = schedule.effective_rates().loc["KOR", "additional_tariff_rate"]
    korea = split[split["partner"] == "KOR"]["additional_tariff_rate"].sum()
    assert korea == pytest.approx(expected, abs=1e-12)


def test_canada_steps_on_the_day_of_its_dairy_ban(inputs: Inputs) -> None:
    """The dairy list's rows start on 29 Sep 2026 (the measure's value began on 15 Sep): the
    series must take them that day, as the single-day computation does."""
    ban = dt.date(2026, 9, 29)
    days = change_days(
        inputs.measures.values(), dt.date(2026, 9, 1), ban, inputs.lines.product_lists()
    )
    assert ban in days
    daily = daily_authority_rates(inputs, dt.date(2026, 9, 27), dt.date(2026, 9, 30))
    canada = daily[daily["partner"] == "canada"].groupby("date")["additional_tariff_rate"].sum()
    expected = schedule_for_date(ban, inputs.data, inputs.measures, inputs.lines)
    on_ban = expected.effective_rates().loc["canada", "additional_tariff_rate"]
    assert canada[pd.Timestamp(ban)] == pytest.approx(on_ban, abs=1e-12)
    assert canada[pd.Timestamp(ban)] > canada[pd.Timestamp("2026-09-28")] + 1e-4


def _list_row_starts(inputs: Inputs) -> list[dt.date]:
    """Every start date in the product-list files, read from the files themselves, inside the
    validity of a measure that uses the list."""
    from analysis.inputs.paths import DATA_DIR

    lists = inputs.lines.product_lists()
    rows = pd.concat(
        pd.read_csv(DATA_DIR / name, dtype=str)
        for name in ("product_lists.csv", "product_lists_2026.csv")
    ).dropna(subset=["start"])
    out = set()
    for name, start in set(zip(rows["list"], rows["start"], strict=True)):
        day = dt.date.fromisoformat(start)
        for mid, spec in lists.measures.items():
            named = {*spec.scope, *spec.exempt, *spec.shared}
            named |= {n for g in spec.country_exempt.values() for n in g}
            if name in named and any(v.covers(day) for v in inputs.measures[mid].values):
                out.add(day)
    return sorted(out)


def test_every_list_row_start_is_a_day_of_the_series(inputs: Inputs) -> None:
    days = _list_row_starts(inputs)
    assert dt.date(2026, 9, 29) in days and dt.date(2024, 9, 27) in days
    for day in days:
        daily = daily_authority_rates(inputs, day - dt.timedelta(days=1), day)
        on = daily[daily["date"] == pd.Timestamp(day)]
        got = on.groupby("partner")["additional_tariff_rate"].sum()
        schedule = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
        expected = schedule.effective_rates()["additional_tariff_rate"]
        for partner in schedule.partners:
            assert got[partner] == pytest.approx(expected[partner], abs=1e-12), (day, partner)


def test_a_build_draws_each_timeline_once_and_reads_back_what_it_computes(
    inputs: Inputs, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a build the reports that draw the same days with the same split (the regions'
    partner reports) read one table, equal bit for bit to an unshared one; other days or
    another split miss."""
    from analysis.inputs import shared
    from analysis.questions import timeline as module

    first, last = dt.date(2025, 3, 1), dt.date(2025, 4, 30)
    plain = daily_authority_rates(inputs, first, last)
    plain_kor = daily_authority_rates(inputs, first, last, ["KOR"])
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("kernel21-test", inputs.data, inputs.measures, inputs.lines)
    computed: list[tuple[dt.date, dt.date, tuple[str, ...]]] = []
    compute = module._daily_authority_rates

    def counted(
        inputs: Inputs, first: dt.date, last: dt.date, split: Any, known: Any = None
    ) -> pd.DataFrame:
        computed.append((first, last, tuple(split)))
        return compute(inputs, first, last, split, known)

    monkeypatch.setattr(module, "_daily_authority_rates", counted)
    shared_first = daily_authority_rates(inputs, first, last)
    shared._MEMORY.clear()  # read from the folder, as another kernel would
    again = daily_authority_rates(inputs, first, last, ["japan"])  # a region: no split
    assert computed == [(first, last, ())]
    for table in (shared_first, again):
        pd.testing.assert_frame_equal(table, plain, check_exact=True)
    kor = daily_authority_rates(inputs, first, last, ["KOR"])
    pd.testing.assert_frame_equal(kor, plain_kor, check_exact=True)
    daily_authority_rates(inputs, first, dt.date(2025, 4, 29))
    assert computed == [
        (first, last, ()),
        (first, last, ("KOR",)),
        (first, dt.date(2025, 4, 29), ()),
    ]


def test_every_partners_authority_rates_are_each_partners_bit_for_bit(inputs: Inputs) -> None:
    """The rates of all partners at once are the one-partner rates, to the last bit and in
    the same order of authorities, on days of each kind of law (split countries included)."""
    from analysis.questions.timeline import authority_rates, every_partners_authority_rates

    for day in (
        dt.date(2025, 1, 1),
        dt.date(2025, 4, 9),
        dt.date(2025, 10, 1),
        dt.date(2026, 3, 1),
    ):
        schedule = schedule_for_date(
            day, inputs.data, inputs.measures, inputs.lines, ("KOR", "DEU")
        )
        every = every_partners_authority_rates(schedule)
        assert list(every) == list(schedule.partners)
        for partner in schedule.partners:
            one = authority_rates(schedule, partner)
            assert every[partner] == one and list(every[partner]) == list(one), (day, partner)


def test_a_partners_events_are_those_of_the_measures_that_tax_it(inputs: Inputs) -> None:
    # China's fentanyl tariff (IEEPA, 4 Feb 2025) and Canada's Section 338 tariff are not
    # Switzerland's events; the 2025 steel and aluminium tariffs (every partner) are, and
    # China's own timeline keeps its fentanyl tariff.
    first, last = dt.date(2025, 1, 1), dt.date(2026, 11, 28)
    events = legal_events(inputs, first, last)
    days = change_days(inputs.measures.values(), first, last, inputs.lines.product_lists())
    laws = {
        p: [schedule_for_date(d, inputs.data, inputs.measures, inputs.lines, s) for d in days]
        for p, s in (("CHE", ("CHE",)), ("china", ()))
    }
    swiss = events_reaching(events, laws["CHE"], "CHE")
    china = events_reaching(events, laws["china"], "china")
    fentanyl = events["event"].str.contains("fentanyl", case=False)
    assert fentanyl.any() and not swiss["event"].str.contains("fentanyl", case=False).any()
    assert china["event"].str.contains("fentanyl", case=False).any()
    assert not (swiss["authority"] == "Section 338").any()
    assert swiss["event"].str.contains("steel", case=False).any()
    assert len(swiss) < len(events)


def test_the_schedules_a_caller_has_are_the_days_it_would_stack(
    inputs: Inputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given the partner notebook's schedules (every change day, the split's partners), the
    table is the one computed without them bit for bit and nothing is stacked again; given
    schedules of another split, it stacks its own and is again the same table."""
    from analysis.questions import timeline as module

    first, last = dt.date(2025, 3, 1), dt.date(2025, 5, 15)
    days = change_days(inputs.measures.values(), first, last, inputs.lines.product_lists())
    stacked: list[dt.date] = []

    def counted(day: dt.date, *args: Any, **kwargs: Any) -> Any:
        stacked.append(day)
        return schedule_for_date(day, *args, **kwargs)

    for countries, split in ((["KOR"], ("KOR",)), ((), ())):
        plain = daily_authority_rates(inputs, first, last, countries)
        known = {
            d.isoformat(): schedule_for_date(d, inputs.data, inputs.measures, inputs.lines, split)
            for d in [*days, last]
        }
        other = {
            d.isoformat(): schedule_for_date(
                d, inputs.data, inputs.measures, inputs.lines, ("BRA",)
            )
            for d in days
        }
        stacked.clear()
        monkeypatch.setattr(module, "schedule_for_date", counted)
        given = daily_authority_rates(inputs, first, last, countries, known)
        assert stacked == []
        pd.testing.assert_frame_equal(given, plain, check_exact=True)
        ignored = daily_authority_rates(inputs, first, last, countries, other)
        assert stacked == days
        pd.testing.assert_frame_equal(ignored, plain, check_exact=True)
        monkeypatch.undo()


def test_a_partners_table_from_the_days_rates_is_its_rows_of_the_whole_table(
    inputs: Inputs,
) -> None:
    """A region's rows (no split) and a split country's rows of :func:`daily_authority_rates`
    are those :func:`partner_authority_rates` gives from each change day's rates by source,
    bit for bit; so are the events of the measures that reach the partner."""
    from analysis.questions.timeline import laws_by_day, partner_authority_rates
    from analysis.report.views import regime_dates

    first, last = dt.date(2025, 3, 1), dt.date(2025, 5, 15)
    days = regime_dates(inputs.measures.values(), first, last, inputs.lines.product_lists())
    laws = laws_by_day(inputs, days)
    events = legal_events(inputs, first, last)
    for partner, countries in (("japan", ()), ("KOR", ["KOR"]), ("CHE", ["CHE"])):
        whole = daily_authority_rates(inputs, first, last, countries)
        expected = whole[whole["partner"] == partner].reset_index(drop=True)
        for known in (laws, None):
            mine = partner_authority_rates(inputs, first, last, partner, known)
            pd.testing.assert_frame_equal(mine, expected, check_exact=True)
        split = tuple(countries)
        schedules = [
            schedule_for_date(d, inputs.data, inputs.measures, inputs.lines, split) for d in days
        ]
        pd.testing.assert_frame_equal(
            events_reaching(events, laws.values(), partner),
            events_reaching(events, schedules, partner),
        )


def test_the_largest_suppliers_timeline_from_the_days_tables_is_the_split_schedules(
    inputs: Inputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timeline's table with the largest suppliers split out, read from each change day's
    shared rates by source (no schedule stacked), is the one summed from each day's schedule
    with that split, bit for bit: remainders, split countries, regions whole again, and all."""
    from analysis.questions import timeline as module
    from analysis.questions.country_rates import LARGEST_SUPPLIERS

    first, last = dt.date(2025, 3, 1), dt.date(2025, 8, 15)
    split = module.split_countries(inputs, LARGEST_SUPPLIERS)
    assert tuple(split) == module.supplier_split(inputs) and "KOR" in split
    old = module._daily_authority_rates(inputs, first, last, split, from_tables=False)
    stacked: list[dt.date] = []
    monkeypatch.setattr(module, "schedule_for_date", lambda day, *a, **k: stacked.append(day))
    new = daily_authority_rates(inputs, first, last, LARGEST_SUPPLIERS)
    assert stacked == []
    assert {"all", "KOR", "row", "eu", "DEU"} <= set(new["partner"])
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    values = new["additional_tariff_rate"].to_numpy()
    assert values.tobytes() == old["additional_tariff_rate"].to_numpy().tobytes()
