"""Import bans counted as duties: the days a product list's rows start at the ban rate."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.paths import DATA_DIR
from analysis.questions.bans import BAN_EVENT, BAN_RATE, ban_events
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
    assert "Proclamations 11061-11063" in ban["reference"]  # the prohibitions of 8 Sep 2026
    assert ban_events(inputs, FIRST, dt.date(2026, 9, 28)).empty  # before the day: none


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
    imports = pd.read_parquet(DATA_DIR / "us_imports_2024_hs10_country.parquet")
    canada = imports[imports["cty_code"] == "1220"]
    lists = pd.read_csv(DATA_DIR / "product_lists_2026.csv", dtype=str)
    dairy = set(lists[lists["list"] == "s338_dairy_rev19"]["hts_prefix"])
    assert {len(p) for p in dairy} == {8}
    share = canada[canada["hs10"].str[:8].isin(dairy)]["imports_usd"].sum()
    share /= canada["imports_usd"].sum()
    daily = daily_authority_rates(inputs, dt.date(2026, 9, 28), dt.date(2026, 9, 29))
    s338 = daily[(daily["partner"] == "canada") & (daily["authority"] == "Section 338")]
    step = s338["additional_tariff_rate"].diff().iloc[-1]
    assert step == pytest.approx(share * (10.0 - 0.5), rel=1e-6)
