"""Our rates by country beside the published ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.questions.country_rates import compare_countries, country_products, published_on

PUBLISHED = pd.DataFrame(
    {
        "from_date": ["2025-04-05", "2025-08-07", "2025-04-05"],
        "cty_code": ["5880", "5880", "5800"],
        "additional_tariff_rate": [0.10, 0.15, 0.10],
    }
)


def test_the_published_figure_is_the_latest_on_or_before_the_day() -> None:
    assert published_on(PUBLISHED, "5880", dt.date(2025, 8, 6)) == (0.10, "2025-04-05")
    assert published_on(PUBLISHED, "5880", dt.date(2025, 8, 7)) == (0.15, "2025-08-07")
    rate, since = published_on(PUBLISHED, "5880", dt.date(2025, 1, 1))
    assert np.isnan(rate) and since == ""


def test_countries_beside_the_tradewartracker() -> None:
    table = compare_countries(load_inputs(), [dt.date(2025, 5, 20)], ["JPN", "Germany", "ftrow"])
    assert list(table["country"]) == ["JPN", "DEU"]  # a region has no country figure
    germany = table.set_index("country").loc["DEU"]
    assert germany["published_for"] == "EU" and germany["published_from"] == "2025-05-12"
    japan = table.set_index("country").loc["JPN"]
    # 12 May 2025 (the tracker's row): Japan 15.3212% (country-by-time.csv, SOURCES.md section
    # 15), shown to 0.1 point; ours likewise, and the gap is the difference of the two as shown.
    assert japan["published_additional_rate"] == 0.153
    assert japan["our_additional_rate"] * 1000 == pytest.approx(
        round(japan["our_additional_rate"] * 1000), abs=1e-9
    )
    assert round(japan["gap_rate"] * 1000) == round(japan["our_additional_rate"] * 1000 - 153)


def test_a_gap_is_the_difference_of_the_figures_shown() -> None:
    # The review's case: Japan on 28 Nov 2026 was shown as "12.4 | 13.7 | -1.4", the gap taken
    # before rounding. Every gap must be the difference of the two figures as shown.
    inputs = load_inputs()
    table = compare_countries(inputs, [dt.date(2026, 11, 28), dt.date(2026, 1, 15)], ["JPN", "BRA"])
    for row in table.itertuples():
        shown = [
            round(x * 100, 1) for x in (row.our_additional_rate, row.published_additional_rate)
        ]
        assert round(row.gap_rate * 100, 1) == round(shown[0] - shown[1], 1)
        like = round(row.our_2025_measures_rate * 100, 1)
        assert round(row.gap_2025_measures_rate * 100, 1) == round(like - shown[1], 1)


def test_each_gap_has_the_reason_of_its_day_and_size() -> None:
    import analysis.questions.country_rates as rates

    assert set(rates.LARGEST_SUPPLIERS) == set(rates.GAP_REASONS)
    # Under one point as shown (to 0.1 point), no reason.
    assert rates.gap_reason("IND", dt.date(2026, 1, 15), 0.0004) == "Within a point."
    assert rates.gap_reason("JPN", dt.date(2025, 5, 20), -0.009) == "Within a point."
    # Japan's deal floors hold from 7 Aug 2025, not before.
    assert "Japan deal" in rates.gap_reason("JPN", dt.date(2025, 10, 1), -0.034)
    assert rates.gap_reason("JPN", dt.date(2025, 5, 20), -0.034) == (
        "Ours is 3.4 points lower; this gap has not been traced line by line."
    )
    # Switzerland: the 39% headline only while it was in force (7 Aug to 13 Nov 2025).
    assert "39% headline" in rates.gap_reason("CHE", dt.date(2025, 10, 1), -0.235)
    assert "39%" not in rates.gap_reason("CHE", dt.date(2026, 1, 15), -0.015)
    assert rates.gap_reason("MEX", dt.date(2025, 5, 20), 0.058).startswith(
        "Ours is 5.8 points higher: "
    )
    table = rates.country_gaps(load_inputs(), [dt.date(2025, 5, 20)], ["CHE", "MEX"])
    assert list(table["country"]) == ["CHE", "MEX"]
    che = table.set_index("country").loc["CHE"]
    assert che["why"] == rates.gap_reason("CHE", dt.date(2025, 5, 20), che["gap_rate"])


def test_a_gap_is_worded_by_its_size_as_shown() -> None:
    """By hand: 0.0 as shown is no gap, whatever the law did, and never "higher" or "lower";
    under half a point with no reason traced line by line is no gap to explain; a gap with no
    reason says it was not traced, its size with the unit agreeing ("1.0 point")."""
    import analysis.questions.country_rates as rates

    day = dt.date(2025, 10, 1)  # Vietnam has no reason; India's holds on the day, traced
    for gap in (0.0, 0.0004, -0.0004):
        for country in ("VNM", "IND"):
            text = rates.gap_reason(country, day, gap, law_changed=True)
            assert "no gap to explain" in text, text
            assert "higher" not in text and "lower" not in text, text
    assert rates.gap_reason("VNM", day, -0.0038, law_changed=True) == (
        "Ours is 0.4 point lower, under half a point: no gap to explain."
    )
    assert rates.gap_reason("VNM", day, 0.0104, law_changed=True) == (
        "Ours is 1.0 point higher; this gap has not been traced line by line."
    )
    assert rates.gap_reason("VNM", day, 0.0106) == (
        "Ours is 1.1 points higher; this gap has not been traced line by line."
    )
    # A reason traced line by line is given under half a point: it says what offsets what.
    traced = rates.gap_reason("IND", day, -0.004, law_changed=True)
    assert traced.startswith("Ours is 0.4 point lower: traced line by line (2025-10-01)")
    # The 2026 China reason was not traced line by line: under half a point, no gap.
    assert rates.gap_reason("CHN", dt.date(2026, 11, 28), 0.003, law_changed=True) == (
        "Ours is 0.3 point higher, under half a point: no gap to explain."
    )
    assert [rates.points_in_words(p) for p in (0.4, 0.96, 1.04, 1.06, 2.0)] == [
        "0.4 point",
        "1.0 point",
        "1.0 point",
        "1.1 points",
        "2.0 points",
    ]


def test_a_later_law_names_each_authoritys_move_with_its_unit() -> None:
    import analysis.questions.country_rates as rates

    index = ["JPN"]
    then = pd.DataFrame({"rate_IEEPA": [0.150], "rate_Section 232": [0.050]}, index=index)
    now = pd.DataFrame({"rate_IEEPA": [0.144], "rate_Section 232": [0.010]}, index=index)
    assert rates.law_change_note(then, now, "JPN", "2025-08-07") == (
        "Later law than the tracker's figure: our rate moves by -0.6 point under IEEPA and "
        "-4.0 points under Section 232 between its day (7 Aug 2025) and this one. "
    )


def test_ours_on_the_trackers_definition_leaves_out_the_measures_before_2025() -> None:
    import analysis.questions.country_rates as rates

    inputs = load_inputs()
    # The measures in force before 2025: Section 301 on China since 2018 and the 2018 Section 232.
    assert set(rates.measures_before(inputs)) == {
        "section301_china_lists",
        "section232_steel_2018",
        "section232_aluminum_2018",
    }
    day = dt.date(2025, 5, 20)
    table = rates.compare_countries(inputs, [day], ["CHN", "JPN"]).set_index("country")
    by_authority = rates.line_schedule_on(inputs, day).aggregate("country")
    # China: on 20 May 2025 its only Section 301 measure is the 2018-2024 lists, so ours on the
    # tracker's definition is ours less the Section 301 column (another route to the figure).
    china = table.loc["CHN"]
    # (to 0.1 point, as shown)
    assert china["our_2025_measures_rate"] == round(
        by_authority.loc["CHN", "additional_tariff_rate"]
        - by_authority.loc["CHN", "rate_Section 301"],
        3,
    )
    assert china["gap_2025_measures_rate"] == pytest.approx(
        china["our_2025_measures_rate"] - china["published_additional_rate"]
    )
    # Japan has no measure of before 2025 in force: both definitions agree.
    japan = table.loc["JPN"]
    assert japan["our_2025_measures_rate"] == pytest.approx(japan["our_additional_rate"])


def test_the_why_names_the_definition_where_it_moves_our_figure() -> None:
    import analysis.questions.country_rates as rates

    assert rates.definition_note(0.20, 0.20) == ""
    note = rates.definition_note(0.392, 0.291)
    assert "10.1 points of ours" in note and "ours is 29.1%" in note


def test_the_gaps_then_are_the_filing_time_rates_against_the_same_figure() -> None:
    import analysis.questions.country_rates as rates

    table = rates.gaps_then_and_now(load_inputs())
    row = table.set_index(["date", "country"]).loc[("2025-05-20", "MEX")]
    # Mexico was a region of its own then: 10.0772% (our_rates_at_filing.csv), against the
    # tracker's 7.5550% of 12 May 2025 (country-by-time.csv): 10.1 - 7.6 as shown.
    assert row["rate_then"] == "its own"
    assert row["then_gap_rate"] == pytest.approx(0.025, abs=1e-12)
    korea = table.set_index(["date", "country"]).loc[("2025-05-20", "KOR")]
    assert korea["rate_then"].startswith("its region's (Other US free-trade-agreement partners")
    # China then, on the tracker's definition: 39.1435% (39.1 as shown) less its Section 301
    # layer 10.2434%: 28.9, against the tracker's 27.1 (27.0531%, the tracker's file).
    china = table.set_index(["date", "country"]).loc[("2025-05-20", "CHN")]
    assert china["published_additional_rate"] == 0.271
    assert china["then_gap_2025_measures_rate"] == pytest.approx(0.289 - 0.271, abs=1e-12)
    # The figure the gap is taken from is shown beside it (review 8: a reader could not
    # rebuild the gap then): 39.1435% - 10.2434% = 28.9001%, 28.9 as shown.
    assert china["then_2025_measures_rate"] == pytest.approx(0.289, abs=1e-12)


def test_the_2026_reasons_give_each_countrys_own_section_301_cap() -> None:
    import analysis.questions.country_rates as rates

    inputs = load_inputs()
    day = dt.date(2026, 11, 28)
    # params/measures: Japan max(MFN, 12.5%), the EU 10% (net_of_mfn); Korea, Switzerland 12.5%
    # and Taiwan 10% (floor_by_country of the economies' tiers); Mexico has a flat tier, no cap.
    caps = {c: rates.cap_2026_rate(inputs, c, day) for c in ("JPN", "DEU", "KOR", "CHE", "TWN")}
    assert caps == {"JPN": 0.125, "DEU": 0.10, "KOR": 0.125, "CHE": 0.125, "TWN": 0.10}
    assert rates.cap_2026_rate(inputs, "MEX", day) is None
    assert rates.cap_2026_rate(inputs, "JPN", dt.date(2026, 7, 23)) is None
    japan = rates.gap_reason("JPN", day, -0.012, caps["JPN"])
    assert "max(MFN, 12.5%)" in japan and "15%" not in japan
    germany = rates.gap_reason("DEU", day, 0.018, caps["DEU"])
    assert "max(MFN, 10%)" in germany and "15%" not in germany
    assert rates.gap_reason("JPN", day, -0.012) == (
        "Ours is 1.2 points lower; this gap has not been traced line by line."
    )


def test_moves_under_half_a_point_in_all_keep_the_row_one_of_the_same_law() -> None:
    import analysis.questions.country_rates as rates

    # The review's case: Switzerland 2025-10-01, -0.1 point under IEEPA and +0.1 point under
    # Section 232 (0.2 point in all, signs aside) was marked a later law.
    index = ["CHE"]
    then = pd.DataFrame({"rate_IEEPA": [0.300], "rate_Section 232": [0.020]}, index=index)
    now = pd.DataFrame({"rate_IEEPA": [0.299], "rate_Section 232": [0.021]}, index=index)
    note = rates.law_change_note(then, now, "CHE", "2025-08-07")
    assert not note.startswith(rates.LATER_LAW)
    assert "-0.1 point under IEEPA and +0.1 point under Section 232" in note
    assert "same law" in note
    # 0.3 + 0.3 = 0.6 point in all (though the net move is 0): a later law.
    moved = pd.DataFrame({"rate_IEEPA": [0.297], "rate_Section 232": [0.023]}, index=index)
    assert rates.law_change_note(then, moved, "CHE", "2025-08-07").startswith(rates.LATER_LAW)
    # Such a row's gap is read as one of the same law: under a point, no reason is needed.
    inputs = load_inputs()
    day = dt.date(2025, 10, 1)
    vietnam = rates.country_gaps(inputs, [day], ["VNM"]).iloc[0]
    # Vietnam on 1 Oct 2025: ours moves by +0.1 point (Section 232) after the tracker's 7 Aug
    # figure; ours 14.8 against its 14.7.
    assert "counts as the same law" in vietnam["why"]
    assert vietnam["why"].endswith("Within a point.")
    # Exactly half a point as shown: a later law.
    half = pd.DataFrame({"rate_IEEPA": [0.305], "rate_Section 232": [0.020]}, index=index)
    assert rates.law_change_note(then, half, "CHE", "2025-08-07").startswith(rates.LATER_LAW)


def test_a_change_of_law_after_the_published_figure_is_named_with_its_size() -> None:
    import analysis.questions.country_rates as rates
    from analysis.questions.timeline import daily_authority_rates

    index = ["CAN"]
    then = pd.DataFrame({"rate_Section 338": [0.0], "rate_Section 232": [0.05]}, index=index)
    now = pd.DataFrame({"rate_Section 338": [0.0284], "rate_Section 232": [0.0504]}, index=index)
    note = rates.law_change_note(then, now, "CAN", "2026-08-19")
    assert note.startswith(rates.LATER_LAW) and "(19 Aug 2026)" in note
    assert "+2.8 points under Section 338" in note
    assert "Section 232" not in note  # 0.04 point: below what is shown
    assert rates.law_change_note(then, then, "CAN", "2026-08-19") == ""
    # Canada on 28 Nov 2026 against the tracker's 19 Aug figure: the Section 338 change is the
    # daily series' Section 338 rate for Canada (a region of its own) on 28 Nov less 19 Aug.
    inputs = load_inputs()
    day = dt.date(2026, 11, 28)
    row = rates.country_gaps(inputs, [day], ["CAN"]).iloc[0]
    daily = daily_authority_rates(inputs, dt.date(2026, 8, 19), day)
    s338 = daily[(daily["partner"] == "canada") & (daily["authority"] == "Section 338")]
    by_day = s338.set_index("date")["additional_tariff_rate"]
    change = by_day[pd.Timestamp(day)] - by_day[pd.Timestamp("2026-08-19")]
    assert f"{change * 100:+.1f} points under Section 338" in row["why"]
    assert row["why"].startswith(rates.LATER_LAW) and "Within a point" not in row["why"]
    assert "dairy ban" in row["why"]


def _line_rates(schedule: object, hs10: str, iso3: str) -> dict[str, float]:
    """Each measure's added rate on one HS10 line of one country (ISO3)."""
    lines = schedule.lines  # type: ignore[attr-defined]
    keys = [c.key for c in lines.countries.countries]
    product = int(np.flatnonzero(lines.hs10 == hs10)[0])
    row = np.flatnonzero((lines.product_at == product) & (lines.country_at == keys.index(iso3)))
    assert row.size == 1
    contributions = schedule.contributions  # type: ignore[attr-defined]
    return {m: float(c[row[0]]) for m, c in contributions.items() if c[row[0]] != 0.0}


def test_coffee_from_brazil_pays_what_the_law_of_each_day_says() -> None:
    """Green coffee, 0901.11.00.25 from Brazil, by hand: 10% (EO 14326, 9903.01.25) + 40%
    (EO 14323) until 12 Nov 2025; from 13 Nov 2025 both are lifted (EO 14360 puts 0901.11 in
    Annex II; the Brazil EO's farm-goods amendment, retroactive to 13 Nov); under section 122
    (from 24 Feb 2026) it is on Annex II of the proclamation (HTSUS note 2(aa)), so 0."""
    from analysis.questions.country_rates import line_schedule_on

    inputs = load_inputs()
    before = _line_rates(line_schedule_on(inputs, dt.date(2025, 11, 12)), "0901110025", "BRA")
    assert before == pytest.approx(
        {"ieepa_reciprocal_country_rates": 0.10, "ieepa_brazil_eo14323": 0.40}
    )
    for day in (dt.date(2025, 11, 13), dt.date(2026, 1, 15), dt.date(2026, 3, 5)):
        assert _line_rates(line_schedule_on(inputs, day), "0901110025", "BRA") == {}
    # A good of chapter 04 off the section 122 annex still pays the 10%: natural honey,
    # 0409.00.00 (the annex lists no subheading of heading 0409).
    honey = _line_rates(line_schedule_on(inputs, dt.date(2026, 3, 5)), "0409000005", "BRA")
    assert honey == pytest.approx({"section122_surcharge": 0.10})


def test_the_2026_section_301_lists_exempt_their_lines_wholly() -> None:
    """Taiwan on 28 Nov 2026, by hand: the action's cap for Taiwan is a total of
    max(MFN, 10%) (U.S. note 52). Computers (8471.50.01.50) are on the electronics list the
    measure names, so they pay nothing of it, not the duty less the list's share of their
    sector; printed circuits (8534.00.00.20, 2024 rate 0, on no list) pay the 10%."""
    from analysis.questions.country_rates import line_schedule_on

    schedule = line_schedule_on(load_inputs(), dt.date(2026, 11, 28))
    computers = _line_rates(schedule, "8471500150", "TWN")
    assert "section301_2026_economies" not in computers
    circuits = _line_rates(schedule, "8534000020", "TWN")
    assert circuits == pytest.approx({"section301_2026_economies": 0.10})


def test_a_build_compares_the_countries_once_for_both_gap_tables(
    inputs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a build the country comparison of the same days and countries (the validation
    report's country gaps, then its gaps then and now) is computed once and read back equal
    bit for bit to an unshared one; other days or other countries miss."""
    from analysis.inputs import shared
    from analysis.questions import country_rates as module

    days, countries = (dt.date(2025, 10, 1),), ("KOR", "DEU")
    plain = compare_countries(inputs, days, countries)
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("kernel21-test", inputs.data, inputs.measures, inputs.lines)
    computed: list[tuple[Any, Any]] = []

    def counted(inputs: Any, days: Any, countries: Any) -> pd.DataFrame:
        computed.append((tuple(days), tuple(countries)))
        return compare_countries(inputs, days, countries)

    monkeypatch.setattr(module, "compare_countries", counted)
    first = module.shared_comparison(inputs, days, countries)
    shared._MEMORY.clear()  # read from the folder, as another kernel would
    again = module.shared_comparison(inputs, list(days), list(countries))
    assert computed == [(days, countries)]
    for table in (first, again):
        pd.testing.assert_frame_equal(table, plain, check_exact=True)
    module.shared_comparison(inputs, days, ("KOR",))
    module.shared_comparison(inputs, (dt.date(2025, 10, 2),), countries)
    assert len(computed) == 3


def test_a_median_of_gaps_as_shown_reads_as_a_reader_would_take_it_from_the_rows() -> None:
    import analysis.questions.country_rates as rates

    # Review 7: four rows as shown, 0.6, 0.6, 0.7 and 0.9 point: the median is 0.65, which the
    # page gave as "0.6 point".
    assert rates.median_points(pd.Series([0.006, 0.006, 0.007, 0.009])) == "0.65 point"
    assert rates.median_points(pd.Series([0.011, 0.012, 0.013])) == "1.2 points"
    assert rates.median_points(pd.Series([0.010])) == "1.0 point"
    assert rates.median_points(pd.Series([0.021, 0.022]), with_unit=False) == "2.15"


def test_each_chapter_of_a_countrys_products_carries_its_hs_title() -> None:
    # The HS's own chapters (WCO nomenclature): 87 is road vehicles and their parts, 84
    # machinery; every chapter of 2024 imports (01-97; 77 is reserved) has a title.
    inputs = load_inputs()
    chapters, _ = country_products(inputs, dt.date(2026, 11, 28), "KOR")
    titles = chapters["chapter_title"]
    assert titles.loc["87"].startswith("Vehicles; other than railway or tramway")
    assert titles.loc["84"].startswith("Machinery and mechanical appliances")
    assert "(no HS title)" not in set(titles)
    # The column sits first, beside the chapter: the table reads "87, Vehicles; ...".
    assert chapters.columns[0] == "chapter_title"
    # Section 338 taxes Canada's goods only: no column of zeros for Korea; Canada has one.
    assert "rate_Section 338" not in chapters and "rate_Section 232" in chapters
    canada, _ = country_products(inputs, dt.date(2026, 11, 28), "CAN")
    assert canada["rate_Section 338"].max() > 0


def test_the_law_of_a_day_asked_again_is_the_law_stacked_afresh(inputs: Inputs) -> None:
    """The schedule kept for a second caller of the same day is the one a fresh stacking
    gives, bit for bit; another day, or the inputs with one measure fewer, are stacked afresh
    (their own numbers, not the kept ones)."""
    import dataclasses

    from analysis.policy.lines import line_schedule
    from analysis.questions.country_rates import line_schedule_on

    lazy = inputs.lines
    day, other = dt.date(2026, 11, 28), dt.date(2025, 10, 1)

    def fresh(measures: Any, on: dt.date) -> Any:
        return line_schedule(on, lazy.get(), lazy.product_lists(), measures, lazy.usmca())

    first = line_schedule_on(inputs, day)
    again = line_schedule_on(inputs, day)
    assert again is first
    expected = fresh(inputs.measures, day)
    assert np.array_equal(again.tariff_rate, expected.tariff_rate)
    assert set(again.contributions) == set(expected.contributions)
    for mid, added in expected.contributions.items():
        assert np.array_equal(np.asarray(again.contributions[mid]), np.asarray(added))
    assert line_schedule_on(inputs, other).day == other
    assert np.array_equal(
        line_schedule_on(inputs, other).tariff_rate, fresh(inputs.measures, other).tariff_rate
    )
    dropped = next(m for m in expected.contributions if expected.contributions[m].any())
    fewer = {k: v for k, v in inputs.measures.items() if k != dropped}
    less = dataclasses.replace(inputs, measures=fewer)
    line_schedule_on(inputs, day)
    without = line_schedule_on(less, day)
    assert dropped not in without.contributions
    assert np.array_equal(without.tariff_rate, fresh(fewer, day).tariff_rate)
    assert not np.array_equal(without.tariff_rate, expected.tariff_rate)
