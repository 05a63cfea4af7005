"""Import bans counted as duties: the days a product list's rows start at the ban rate."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.paths import DATA_DIR, SHIPPED_PARAMS_DIR
from analysis.questions.bans import BAN_EVENT, BAN_RATE, ban_events, ban_points
from analysis.questions.timeline import daily_authority_rates, legal_events

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 11, 28)


def _ban_rows() -> pd.DataFrame:
    """The product-list rows at the ban rate with a start date, read from the files."""
    rows = pd.concat(
        pd.read_csv(DATA_DIR / name, dtype=str)
        for name in ("product_lists.csv", "product_lists_2026.csv")
    ).dropna(subset=["start", "rate"])
    return rows[rows["rate"].astype(float) >= BAN_RATE]


def test_the_dairy_ban_is_the_one_ban_and_cites_the_act_that_bans(inputs: Inputs) -> None:
    rows = _ban_rows()
    assert set(zip(rows["list"], rows["start"], strict=True)) == {
        ("s338_dairy_rev19", "2026-09-29")
    }
    bans = ban_events(inputs, FIRST, LAST)
    assert len(bans) == 1
    ban = bans.iloc[0]
    assert ban["date"] == pd.Timestamp("2026-09-29") and ban["ban_rate"] == 10.0
    assert ban["measure"] == "section338_canada_rev19" and ban["authority"] == "Section 338"
    assert ban["event"].endswith(f": {BAN_EVENT}")
    # the citation of the measure's value in force, the one its other events cite, which names
    # the act that bans and says it is known from secondary sources only
    value = next(
        v for v in inputs.measures[ban["measure"]].values if v.covers(dt.date(2026, 9, 29))
    )
    assert ban["reference"] == value.reference.title
    assert "Proclamation 11062" in ban["reference"] and "secondary only" in ban["reference"]
    assert ban_events(inputs, FIRST, dt.date(2026, 9, 28)).empty  # before the day: none


def test_the_ban_is_named_for_the_goods_of_its_list_as_the_list_file_titles_them(
    inputs: Inputs,
) -> None:
    """The event names the banned list's goods by the title params/line_lists.yaml gives the
    list (read from the file here), not by its measure's title."""
    doc = yaml.safe_load((SHIPPED_PARAMS_DIR / "line_lists.yaml").read_text(encoding="utf-8"))
    title = doc["section338_canada_rev19"]["titles"]["s338_dairy_rev19"]
    assert "dairy" in title
    ban = ban_events(inputs, FIRST, LAST).iloc[0]
    assert ban["event"] == f"Section 338 ban on {title}: {BAN_EVENT}"
    assert inputs.measures[ban["measure"]].title not in ban["event"]


def _dairy_step_from_the_files() -> float:
    """The dairy lines' share of Canada's 2024 imports times (1000% - 50%), from the HS10
    import file and the list file."""
    imports = pd.read_parquet(DATA_DIR / "us_imports_2024_hs10_country.parquet")
    canada = imports[imports["cty_code"] == "1220"]
    lists = pd.read_csv(DATA_DIR / "product_lists_2026.csv", dtype=str)
    dairy = set(lists[lists["list"] == "s338_dairy_rev19"]["hts_prefix"])
    assert {len(p) for p in dairy} == {8}
    share = canada[canada["hs10"].str[:8].isin(dairy)]["imports_usd"].sum()
    return float(share / canada["imports_usd"].sum() * (10.0 - 0.5))


def test_the_bans_points_in_a_rate_are_its_step_and_only_while_it_is_in_force(
    inputs: Inputs,
) -> None:
    (words, points), *more = ban_points(inputs, "canada", dt.date(2026, 11, 28))
    assert not more
    assert words == ban_events(inputs, FIRST, LAST).iloc[0]["event"].rsplit(": ", 1)[0]
    assert points == pytest.approx(_dairy_step_from_the_files(), rel=1e-6)
    assert ban_points(inputs, "canada", dt.date(2026, 9, 28)) == []  # the day before
    assert ban_points(inputs, "japan", dt.date(2026, 11, 28)) == []  # not a partner of it


def test_the_ban_is_a_legal_event_after_the_days_other_events(inputs: Inputs) -> None:
    events = legal_events(inputs, FIRST, LAST)
    banned = events[events["ban_rate"].notna()]
    assert banned["date"].tolist() == [pd.Timestamp("2026-09-29")]
    assert events["date"].is_monotonic_increasing
    ordinary = events[events["ban_rate"].isna()]
    assert not ordinary["event"].str.endswith(BAN_EVENT).any()


def test_the_step_on_the_ban_day_is_the_banned_imports_share_times_the_rate_added(
    inputs: Inputs,
) -> None:
    """Canada's Section 338 rate steps up on 29 Sep 2026 by the dairy lines' share of
    Canada's 2024 imports times (1000% - 50%): the lines paid the list's 50% the day before.
    The share is read from the HS10 import file, not from the engine."""
    daily = daily_authority_rates(inputs, dt.date(2026, 9, 28), dt.date(2026, 9, 29))
    s338 = daily[(daily["partner"] == "canada") & (daily["authority"] == "Section 338")]
    step = s338["additional_tariff_rate"].diff().iloc[-1]
    assert step == pytest.approx(_dairy_step_from_the_files(), rel=1e-6)
