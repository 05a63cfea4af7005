"""Report tables: numbers in the unit their name says, text always shown as text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_date
from analysis.questions.simulate import simulate
from analysis.questions.timeline import legal_events
from analysis.report import views
from analysis.report.timeline_figures import merged_events

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def html_of(frame: pd.DataFrame, **kwargs: object) -> str:
    return str(views.style_table(frame, **kwargs).to_html())


def test_numbers_follow_the_unit_in_the_column_name() -> None:
    frame = pd.DataFrame(
        {
            "imports_usd": [1_234_567.8],
            "value_change_usd": [-2_000.4],
            "tariff_rate": [0.1234],
            "exports_value_change": [0.0123],
            "focus_sector_units_change": [1234.0],
            "pass_through": [0.456],
            "p50": [1234567.0],
        }
    )
    out = html_of(frame)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", out)
    # Small dollar amounts stay in dollars; fractions are percent; no e-notation.
    # Cars, a model estimate, to three significant figures (the outcomes registry).
    assert cells == ["1,234,568", "−2,000", "12.3", "+1.2", "+1,230", "45.6", "1,234,567"]
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", out)
    assert headers == [
        "US imports, 2024 ($)",
        "Sales to the US, change ($)",
        "Tariff (%)",
        "Exports to the US, change (%)",
        "Cars from the focus partner sold in the US, change (cars)",
        "Pass-through to US prices (%)",
        "Median (outcome&#x27;s unit)",
    ]


def test_billions_are_scaled_and_zero_has_no_sign() -> None:
    frame = pd.DataFrame({"value_change_usd": [417_986_720_127.0, -1e7, -0.0001]})
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html_of(frame))
    assert cells == ["+418.0", "0.0", "0.0"]
    assert "Sales to the US, change ($ bn)" in html_of(frame)


def test_text_from_files_is_escaped_in_cells_headers_and_index() -> None:
    frame = pd.DataFrame({HOSTILE: [HOSTILE], "url": ["javascript:alert(1)"]}, index=[HOSTILE])
    out = html_of(frame, hide_index=False)
    assert "<script" not in out and "<img" not in out and 'href="javascript' not in out
    # cell, header, index, and the header again as the cells' data-label (a phone's card)
    assert out.count("&lt;script&gt;") == 4


def test_safe_addresses_become_links() -> None:
    fr = "https://www.federalregister.gov/d/2025-06063"
    out = html_of(pd.DataFrame({"reference_url": [fr, "repo:x/SOURCES.md"]}))
    assert f'<a href="{fr}">{fr}</a>' in out
    assert "repo:" not in out  # a project file is not a source (dropped, also from the CSV)
    assert out.count("<a href=") == 1  # the CSV link aside


def test_a_table_hands_over_its_values_as_csv() -> None:
    import base64
    import re

    frame = pd.DataFrame({"exports_value_change_usd": [-1.5e9, 2e8], "name": ["x", "y, z"]})
    out = html_of(frame)
    href = re.search(
        r'class="tr-csv" download="table-\w+\.csv" href="data:text/csv;base64,([^"]+)"', out
    )
    assert href is not None
    text = base64.b64decode(href.group(1)).decode()
    assert text.splitlines() == [
        "exports_value_change_usd,name",
        "-1500000000,x",  # dollars to the whole dollar
        '200000000,"y, z"',
    ]


def test_a_title_and_its_url_become_one_link() -> None:
    fr = "https://www.federalregister.gov/d/2025-06063"
    frame = pd.DataFrame(
        {"reference": ["EO 14257", HOSTILE], "reference_url": [fr, "javascript:x"]}
    )
    out = html_of(frame)
    assert f'<a href="{fr}">EO 14257</a>' in out
    assert "<script" not in out and 'href="javascript' not in out
    assert ">Legal source<" in out and "reference_url" not in out


def test_the_same_table_gives_the_same_bytes() -> None:
    frame = pd.DataFrame({"a_rate": [0.1, 0.2], "name": ["x", "y"]})
    assert html_of(frame) == html_of(frame.copy())
    assert html_of(frame) != html_of(frame.assign(a_rate=[0.1, 0.3]))


def test_headline_numbers_read_in_their_units() -> None:
    assert views.format_outcome("focus_sector_units_change", -1234.4) == "1,230 fewer cars"
    assert views.format_outcome("focus_sector_units_change", 0.0) == "no change"
    assert views.format_outcome("tariff_revenue_usd", 3.27e11) == "$327 bn"
    assert views.format_outcome("us_buyer_cost_per_household_usd", 4200.8) == "+$4,200"
    assert views.format_outcome("focus_exports_value_change", -0.18) == "−18.0%"
    assert views.format_outcome("focus_exports_value_change", -0.00001) == "no change"


def test_effective_rates_table_on_the_real_data(inputs: Inputs) -> None:
    result = simulate(inputs, "deal_15")
    table = views.effective_rates(result.base_schedule, result.schedule)
    # The baseline is the 2024 applied rate: Census calculated duty over customs value of
    # Japan's lines in us_imports_2024_hs10_country.parquet is 1.5754% (computed from the file
    # alone); the loader takes the 2018 Section 232 metals duty out of chapters 72, 73 and 76
    # (the 2025 measures restate it), which lowers it slightly. 2024 imports $144.86 bn.
    assert table.loc["japan", "base_tariff_rate"] == pytest.approx(0.01575, abs=2e-4)
    assert table.loc["japan", "base_tariff_rate"] <= 0.015755
    assert table.loc["japan", "base_imports_usd"] == 144_863_352_475
    assert table.loc["all", "base_imports_usd"] == 3_123_773_412_637


def test_regime_dates_are_the_changes_inside_the_window(inputs: Inputs) -> None:
    first, last = dt.date(2025, 4, 1), dt.date(2025, 4, 30)
    dates = views.regime_dates(inputs.measures.values(), first, last)
    assert dates[0] == first and dates == sorted(set(dates))
    assert dt.date(2025, 4, 5) in dates and dt.date(2025, 4, 9) in dates  # baseline; 24% day
    assert all(first <= d <= last for d in dates)


def test_the_refund_note_gives_the_collection_period_with_links(inputs: Inputs) -> None:
    note = views.ieepa_refund_note(inputs.law_status)
    assert "collected from 4 Feb 2025 to 23 Feb 2026" in note.replace(" 0", " ")
    assert "](https://www.supremecourt.gov/opinions/25pdf/24-1287_4gcj.pdf)" in note


def test_measures_not_modelled_say_why(inputs: Inputs) -> None:
    table = views.not_modelled_table(inputs.law_status)
    assert list(table.columns) == ["measure", "from", "why not modelled", "source", "url"]
    assert table["why not modelled"].str.len().min() > 10


def test_a_measure_left_out_that_starts_after_the_law_date_is_scheduled(inputs: Inputs) -> None:
    status = inputs.law_status
    first = replace(status.not_modelled[0], end=None)
    later = replace(first, start=status.known_through + dt.timedelta(days=6))
    on_day = replace(first, start=status.known_through)
    table = views.not_modelled_table(replace(status, not_modelled=(later, on_day)))
    day = status.known_through + dt.timedelta(days=6)
    assert table["from"].iloc[0] == f"Scheduled from {day.day} {day:%b %Y}"
    assert table["from"].iloc[1] == status.known_through.isoformat()
    # One that has ended shows its span (the IEEPA Annex II entry).
    ended = views.not_modelled_table(replace(status, not_modelled=status.not_modelled[:1]))
    assert ended["from"].iloc[0] == "2025-04-05 to 2026-02-23"
    # Polysilicon (4 Dec 2026) and drones (3 Sep 2026) are two rows with their own dates.
    rows = views.not_modelled_table(status).set_index("measure")["from"]
    poly = [m for m in rows.index if "polysilicon" in m]
    drones = [m for m in rows.index if "drones" in m]
    assert len(poly) == len(drones) == 1
    assert rows[poly[0]] == "Scheduled from 4 Dec 2026"
    assert rows[drones[0]] == "2026-09-03"


def test_every_parameter_a_report_shows_has_words_not_a_code_name(inputs: Inputs) -> None:
    from analysis.questions.simulate import simulate
    from analysis.questions.uncertainty import DRAWN, tornado

    table = views.tornado_table(tornado(simulate(inputs, "deal_15"), "tariff_revenue_usd"))
    assert set(DRAWN) <= set(views.PARAMETER_LABELS)
    assert not table["parameter"].str.contains("_").any(), list(table["parameter"])


def test_sector_codes_are_written_as_the_sectors_names() -> None:
    text = "overstated for lum and i_s; spread over mil, b_t; oil and gas; file s232_annex.csv"
    out = views.in_words(text)
    assert "lum" not in out.split() and "i_s" not in out and "b_t" not in out
    assert "oil and gas" in out and "s232_annex.csv" in out  # English words and files stay


def test_internal_notes_never_reach_readers_as_sources() -> None:
    title = "TiVA note, Japan (could not be read offline, docs/research/evidence.md section 3)"
    assert "docs/research" not in views.reader_source(title)
    assert views.reader_source("NO VERIFIED SOURCE") == "source not verified"


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (0.185, "an 18.5% tariff"),  # eighteen
        (0.08, "an 8.0% tariff"),
        (0.8, "an 80.0% tariff"),
        (0.11, "an 11.0% tariff"),  # eleven
        (0.266, "a 26.6% tariff"),
        (1.1, "a 110% tariff"),  # one hundred ten: 3 significant figures
        (3.4652, "a 347% tariff"),  # a model estimate: 3 figures, not 346.5
        (180.0, "an 18,000% tariff"),  # eighteen thousand
        (0.01, "a 1.0% tariff"),
    ],
)
def test_a_tariff_takes_the_article_of_the_number_read_aloud(rate: float, expected: str) -> None:
    assert views.a_tariff(rate) == expected


#: What a reader must never see in a citation: a file path or a code name.
_PATH_LIKE = re.compile(
    r"/\S*\.(?:py|csv|txt|yaml)\b|\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b"
    r"|@\s*[0-9a-f]{7,40}\b|\bcommit [0-9a-f]{7,40}\b"  # a commit of a repository
    r"|\bin the store\b|\bcould not be brought here\b"  # the project's working notes
)


def _shown_law_texts(inputs: Inputs) -> list[str]:
    """Every text of the law files a page shows: the measures left out (title, why, source)
    and each measure's title and the reference of each of its values."""
    texts = []
    for item in inputs.law_status.not_modelled:
        texts += [item.title, item.reason, item.reference.title]
    for measure in inputs.measures.values():
        texts += [measure.title, *(value.reference.title for value in measure.values)]
    return texts


def test_no_source_cell_shows_a_file_path_or_a_code_name(inputs: Inputs) -> None:
    for name in ("current", "deal_15", "ver_cars"):
        table = views.sources_used(simulate(inputs, name))
        for cell in (*table["source"], *table["item"]):
            assert not _PATH_LIKE.search(cell), cell
            assert "`" not in cell, cell  # no Markdown code marks shown as they are
    assert views.reader_source("NO VERIFIED SOURCE: a modelling assumption (Cobb-Douglas)") == (
        "Modelling assumption (Cobb-Douglas)"
    )
    for text in _shown_law_texts(inputs):
        assert not _PATH_LIKE.search(views.reader_source(text)), text
    today = schedule_for_date(dt.date(2026, 11, 28), inputs.data, inputs.measures, inputs.lines)
    for frame in (
        views.layers_in_force(today, "japan")[["title", "reference"]],
        views.not_modelled_table(inputs.law_status),
        merged_events(legal_events(inputs, dt.date(2025, 1, 1), dt.date(2026, 11, 28))),
    ):
        for column in ("title", "measure", "why not modelled", "source", "event", "reference"):
            for cell in frame.get(column, []):
                assert not _PATH_LIKE.search(cell), cell
    for working_note in ("text @ 8315fff", "commit 9919812", "not found in the store"):
        assert _PATH_LIKE.search(working_note), working_note
    assert _PATH_LIKE.search("the fork could not be brought here as a repository")
    built = "lines from Owner/repo data/x_y.csv @ 8315fff (data_build/china_section301.py)"
    assert views.reader_source(built) == (
        "lines from Owner/repo (rebuilt from the public source by the project's data scripts)"
    )


def test_the_tornado_table_reads_in_the_outcomes_unit() -> None:
    swing = pd.DataFrame(
        {
            "parameter": ["substitution_elasticity"],
            "low_value": [2.5],
            "high_value": [5.1],
            "outcome_at_low": [-22.9e9],
            "outcome_at_high": [-32.1e9],
            "central": [-28.1e9],
            "swing": [9.2e9],
        }
    )
    row = views.tornado_table(swing, "focus_exports_value_change_usd").iloc[0]
    assert row["outcome_at_low"] == "−$22.9 bn" and row["swing"] == "$9.2 bn"
    assert row["parameter"] == "Substitution elasticity between sources (Armington)"


def test_in_force_from_and_source_dated_each_mean_one_thing(inputs: Inputs) -> None:
    """The layers table's dates: "in force from" is the day the rate applies in law, "source
    dated" the cited document's date, never the one for the other. The 2026 Section 301
    action takes effect on 24 Jul 2026 and is cited from a notice dated 28 Jul 2026 (both read
    off params/measures/section301_2026_economies.yaml); a rate a scenario sets (Japan at 35%,
    never in force) has no day in law."""
    today = schedule_for_date(dt.date(2026, 11, 28), inputs.data, inputs.measures, inputs.lines)
    layers = views.layers_in_force(today, "japan").set_index("measure")
    row = layers.loc["section301_2026_economies"]
    assert (row["in_force_from"], row["reference_date"]) == ("2026-07-24", "2026-07-28")
    threat = views.layers_in_force(simulate(inputs, "escalation_35").schedule, "japan")
    threat = threat.set_index("measure")
    assert threat.loc["ieepa_reciprocal_japan", "in_force_from"] == views.SET_BY_SCENARIO
    assert threat.loc["ieepa_reciprocal_baseline", "in_force_from"] == "2025-04-05"
    html = html_of(layers.reset_index()[["title", "in_force_from", "reference_date"]])
    assert "In force from" in html and "Source dated" in html and ">Date<" not in html


def test_the_sources_table_dates_only_sources(inputs: Inputs) -> None:
    """Every row's date is its source's date; a shipped dataset has none (its checksum is
    named with its source, not put in a date column)."""
    table = views.sources_used(simulate(inputs, "current"))
    assert "date" not in table.columns
    data = table[table["kind"] == "dataset"]
    assert len(data) and (data["source_date"] == "").all()
    assert data["source"].str.contains(r"\(checksum [0-9a-f]{12}\)$").all()
    others = table[table["kind"] != "dataset"]["source_date"]
    assert others.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_every_layer_is_named_by_its_legal_authority(inputs: Inputs) -> None:
    # The 2026 Section 301 caps sit in the "All-in floor" layer: the table of layers in force
    # and the chart by partner name it "All-in floor (Section 301)", as the attribution does,
    # never a bare "All-in floor" (FINDINGS5 #11).
    today = schedule_for_date(dt.date(2026, 11, 28), inputs.data, inputs.measures, inputs.lines)
    layers = views.layers_in_force(today, "japan")
    floor = layers[layers["measure"].map(lambda m: inputs.measures[m].layer == "floor")]
    assert len(floor) and (floor["layer"] == "All-in floor (Section 301)").all()
    for layer in layers["layer"]:
        assert layer != "All-in floor"
    chart = views.layer_rates_by_partner(today)
    assert "All-in floor (Section 301)" in set(chart["layer"])
    assert "All-in floor" not in set(chart["layer"])


def test_sector_words_read_once_write_what_in_words_reads_itself() -> None:
    """A caller that writes many citations reads the sectors' names once and passes them: the
    words are those ``in_words`` reads on its own."""
    words = views.sector_words()
    assert words["i_s"] == "ferrous metals"  # analysis/data/sectors.csv
    text = "Section 232 on i_s and mvh (oil and gas left alone); docs/research/i_s.md"
    assert views.in_words(text, words) == views.in_words(text)
    assert views.reader_source(text, words) == views.reader_source(text)


def test_a_partners_rate_timeline_from_the_days_rates_is_the_schedules(inputs: Inputs) -> None:
    """The partner report's timeline by layer, from each day's rates by source, is the one
    from the days' schedules (the country split out) bit for bit, for a region and a
    country."""
    from analysis.questions.timeline import laws_by_day

    first, last = dt.date(2025, 3, 1), dt.date(2025, 4, 15)
    days = views.regime_dates(inputs.measures.values(), first, last, inputs.lines.product_lists())
    laws = laws_by_day(inputs, days)
    for partner, split in (("japan", ()), ("VNM", ("VNM",))):
        schedules = {
            d.isoformat(): schedule_for_date(d, inputs.data, inputs.measures, inputs.lines, split)
            for d in days
        }
        old = views.rate_timeline(schedules, partner)
        new = views.rate_timeline(laws, partner)
        assert len(new) > len(days)
        pd.testing.assert_frame_equal(new, old, check_exact=True)


@pytest.mark.parametrize(
    ("day", "present", "absent"),
    [
        # The 15% deal's law (regime of 7 Jul 2025): the "other" layer is the IEEPA fentanyl
        # tariffs, the baseline IEEPA's; Brazil's IEEPA (6 Aug 2025) and Section 301 (2026),
        # Section 122 (2026) and Section 338 (2026) are not in it (FINDINGS10 #2).
        (dt.date(2025, 7, 7), {"Other (IEEPA fentanyl)", "Baseline 10% (IEEPA)"}, ()),
        # Today's law: IEEPA ended on 23 Feb 2026; "other" is only Section 338 on Canada.
        (dt.date(2026, 11, 28), {"Other (Section 338 Canada)"}, ("IEEPA",)),
    ],
)
def test_a_layer_names_only_the_measures_of_the_law_shown(
    inputs: Inputs, day: dt.date, present: set[str], absent: tuple[str, ...]
) -> None:
    law = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    chart = set(views.layer_rates_by_partner(law)["layer"])
    assert present <= chart
    table = views.layers_in_force(law, "canada")
    assert set(table["layer"]) <= chart | {"MFN or trade-agreement duty"}
    for label in chart:
        assert not any(word in label for word in absent), label
        assert "Section3" not in label and "  " not in label, label
        if day.year == 2025:
            for later in ("Section 122", "Section 338", "Brazil"):
                assert later not in label, label
