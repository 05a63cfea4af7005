"""The backcast: months from laws (hand-computed toy laws), the shipped receipts against the
Treasury's published totals, and the foreign share as a ratio of sums."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.questions.backcast import (
    LawYear,
    Observed,
    foreign_share_table,
    import_seasonality,
    load_observed,
    month_laws,
    monthly_values,
    receipts_table,
)

D = dt.date
EVEN = dict.fromkeys(range(1, 13), 1 / 12)


def test_a_law_changing_mid_february_is_weighted_by_its_days() -> None:
    # Law A (120 a year) from 1 Jan, law B (240 a year) from 15 Feb 2025; February has 28
    # days, 14 under each: Jan = 120/12 = 10; Feb = (14/28 x 120 + 14/28 x 240)/12 = 15.
    annual = {D(2025, 1, 1): 120.0, D(2025, 2, 15): 240.0}
    assert monthly_values(annual, [D(2025, 1, 1), D(2025, 2, 1)], EVEN) == pytest.approx(
        [10.0, 15.0]
    )
    assert month_laws(D(2025, 2, 1), sorted(annual)) == [
        (D(2025, 1, 1), pytest.approx(0.5)),
        (D(2025, 2, 15), pytest.approx(0.5)),
    ]


def test_the_month_takes_its_share_of_the_year() -> None:
    # One law of 1,200 a year; March holds 25% of the year's imports: March = 300.
    seasonal = {m: (0.25 if m == 3 else 0.75 / 11) for m in range(1, 13)}
    assert monthly_values({D(2024, 12, 1): 1200.0}, [D(2025, 3, 1)], seasonal) == [
        pytest.approx(300.0)
    ]


def test_a_month_before_every_law_is_refused() -> None:
    with pytest.raises(ValueError, match="no law starts"):
        month_laws(D(2025, 1, 1), [D(2025, 1, 2)])


def test_seasonality_is_each_months_share_of_2024_imports() -> None:
    receipts = pd.DataFrame(
        {
            "month": [f"2024-{m:02d}" for m in range(1, 13)],
            "customs_duties_usd": [0] * 12,
            "general_imports_usd": [2] + [1] * 11,  # January twice the other months
        }
    )
    shares = import_seasonality(receipts)
    assert shares[1] == pytest.approx(2 / 13)
    assert shares[7] == pytest.approx(1 / 13)
    with pytest.raises(ValueError, match="12 months"):
        import_seasonality(receipts.iloc[:11])


def _law(start: dt.date, collected: float, push: float = 0.0, absorbed: float = 0.0) -> LawYear:
    return LawYear(
        start=start,
        collected_revenue_usd=collected,
        static_revenue_usd=2 * collected,
        imports_by_partner_usd={"japan": 1.0},
        imports_2024_by_partner_usd={"japan": 1.0},
        tariff_push_usd=push,
        exporter_absorption_usd=absorbed,
        cars_value_usd=1.0,
        cars_quantity_usd=1.0,
        cars_2024_usd=1.0,
    )


def _observed(receipts: pd.DataFrame, incidence: pd.DataFrame | None = None) -> Observed:
    empty = pd.DataFrame()
    return Observed(receipts, empty, empty, incidence if incidence is not None else empty)


def test_receipts_table_shows_the_law_of_the_month_and_of_the_month_before() -> None:
    # 2024 imports even; the law of 1 Jan 2025 raises 120 a year, the 2024 law 60: January
    # is 10 (its own law) and 5 (December's law, paid in January); February 10 and 10.
    months = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-02"]
    receipts = pd.DataFrame(
        {"month": months, "customs_duties_usd": [1] * 12 + [7, 9], "general_imports_usd": [1] * 14}
    )
    laws = {D(2024, 12, 1): _law(D(2024, 12, 1), 60.0), D(2025, 1, 1): _law(D(2025, 1, 1), 120.0)}
    table = receipts_table(laws, _observed(receipts))
    assert table["month"].tolist() == ["2025-01", "2025-02"]
    assert table["ours_usd"].tolist() == pytest.approx([10.0, 10.0])
    assert table["ours_at_2024_imports_usd"].tolist() == pytest.approx([20.0, 20.0])
    assert table["ours_law_of_month_before_usd"].tolist() == pytest.approx([5.0, 10.0])
    assert table["gap_usd"].tolist() == pytest.approx([5.0 - 7, 10.0 - 9])


def test_foreign_share_is_a_ratio_of_sums_over_the_studys_days() -> None:
    # January (31 days) under a law pushing 10 and absorbed 1; February (28 days) pushing 30,
    # absorbed 6: (31 x 1 + 28 x 6) / (31 x 10 + 28 x 30) = 199 / 1150.
    laws = {
        D(2025, 1, 1): _law(D(2025, 1, 1), 0.0, push=10.0, absorbed=1.0),
        D(2025, 2, 1): _law(D(2025, 2, 1), 0.0, push=30.0, absorbed=6.0),
    }
    incidence = pd.DataFrame(
        [
            ("a", "2025-01/2025-02", 0.1, "m", "s", "u", "2026-01-01"),
            ("b", "2018-01/2018-12", 0.0, "m", "s", "u", "2019-01-01"),
        ],
        columns=["study", "period", "foreign_share", "measure", "source", "url", "date"],
    )
    table = foreign_share_table(laws, _observed(pd.DataFrame(), incidence))
    assert table["model_foreign_share"].iloc[0] == pytest.approx(199 / 1150)
    assert pd.isna(table["model_foreign_share"].iloc[1])  # no 2018 law in the package


def test_shipped_receipts_match_the_treasurys_published_totals() -> None:
    receipts = load_observed().receipts.set_index("month")["customs_duties_usd"] / 1e9
    # FY2025 (Oct 2024 - Sep 2025): $195 bn, the final Monthly Treasury Statement for FY2025
    # as the Committee for a Responsible Federal Budget reported it (Oct 2025).
    assert receipts.loc["2024-10":"2025-09"].sum() == pytest.approx(195.0, abs=0.5)
    # Oct 2024 - Mar 2025: $43.6 bn net (Reuters, 10 Apr 2025, from the March MTS).
    assert receipts.loc["2024-10":"2025-03"].sum() == pytest.approx(43.6, abs=0.05)
    # Oct 2024 - Jun 2025: $108 bn net, June $26.6 bn net (Reuters, 11 Jul 2025).
    assert receipts.loc["2024-10":"2025-06"].sum() == pytest.approx(108.0, abs=0.5)
    assert receipts.loc["2025-06"] == pytest.approx(26.6, abs=0.05)
    # January and February 2026: $27.7 bn and $26.6 bn net (Reuters, 11 Mar 2026).
    assert receipts.loc["2026-01"] == pytest.approx(27.7, abs=0.05)
    assert receipts.loc["2026-02"] == pytest.approx(26.6, abs=0.05)
    # FY2024 (Oct 2023 - Sep 2024) is not shipped; the file starts in January 2024.
    assert receipts.index[0] == "2024-01"


def test_a_build_shares_the_backcast_only_for_the_same_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a build the reports that quote the backcast read one computation; a load whose
    scenarios differ (the 2024 law and the car calibration's law are scenarios, outside the
    law's scope) computes its own, and what is read back equals what is computed."""
    import dataclasses
    import types

    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.questions.backcast import _backcast, backcast

    monkeypatch.setenv("TARIFF_REPORTS_SHARED", str(tmp_path))
    inputs = load_inputs()
    shared.register("test-build", inputs.data, inputs.measures, inputs.lines)
    first = backcast(inputs)

    def stored_backcasts() -> int:  # the folder also holds the law's stackings it read
        import pickle

        bodies = (f.read_bytes().partition(b"\n")[2] for f in tmp_path.glob("*.pickle"))
        return sum(type(pickle.loads(body)) is type(first) for body in bodies)

    assert stored_backcasts() == 1
    shared._MEMORY.clear()  # read from the folder, as another kernel would
    again = backcast(inputs)
    computed = _backcast(inputs, None)
    for table in ("receipts", "partner_imports", "foreign_share", "japan"):
        pd.testing.assert_frame_equal(getattr(again, table), getattr(computed, table))
        pd.testing.assert_frame_equal(getattr(first, table), getattr(computed, table))
    name = "july_2025"
    changed = dataclasses.replace(inputs.scenarios[name], title="A user's July 2025")
    other = dataclasses.replace(
        inputs, scenarios=types.MappingProxyType({**inputs.scenarios, name: changed})
    )
    backcast(other)
    assert stored_backcasts() == 2


def test_law_years_are_shared_each_and_computed_in_the_order_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a build each law year is stored on its own: a kernel working newest first reads the
    years the prefetcher stored (oldest first) and computes only the others, newest first,
    and the years are the same as computed without sharing."""
    import datetime as dt

    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.questions import backcast as module

    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setattr(shared, "_REGISTERED", [])
    inputs = load_inputs()
    first, last = dt.date(2024, 12, 1), dt.date(2025, 6, 30)
    alone = module.law_years(inputs, first, last)  # not shared: no build folder
    days = list(alone)
    assert days == sorted(days) and len(days) >= 6  # 2025's first half changed the law often

    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("test-build", inputs.data, inputs.measures, inputs.lines)
    computed: list[dt.date] = []
    own = module.law_year

    def counted(inputs: object, day: dt.date, *rest: object) -> object:
        computed.append(day)
        return own(inputs, day, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "law_year", counted)
    module.law_years(inputs, first, days[2])  # the prefetcher's first three, oldest first
    assert computed == days[:3]
    computed.clear()
    shared._MEMORY.clear()
    years = module.law_years(inputs, first, last, newest_first=True)
    assert computed == days[:2:-1]  # the rest, newest first
    assert list(years) == days  # oldest first, whoever computed them
    assert years == alone


def test_a_kernel_that_finds_the_law_years_being_computed_computes_them_until_they_meet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``until_claimed``: the years oldest first, up to the first one another process is
    computing (its lock held) or has stored, and none after it."""
    import datetime as dt
    import fcntl
    import os

    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.questions import backcast as module

    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setattr(shared, "_REGISTERED", [])
    inputs = load_inputs()
    first, last = dt.date(2024, 12, 1), dt.date(2025, 6, 30)
    alone = module.law_years(inputs, first, last)
    days = list(alone)
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("test-build", inputs.data, inputs.measures, inputs.lines)
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    assert scope is not None
    key = module._law_year_key(scope, module._scenarios_digest(inputs), days[3])
    # Another process computing days[3]: an exclusive lock on its lock file (a descriptor of
    # its own: flock locks belong to the open file, so this process counts as another).
    fd = os.open(tmp_path / f"{shared._name(key)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert shared.state(key) == "computing"
        years = module.law_years(inputs, first, last, until_claimed=True)
    finally:
        os.close(fd)
    assert list(years) == days[:3]
    assert years == {day: alone[day] for day in days[:3]}
    assert shared.state(key) == "free"  # its holder gone, nothing stored
    # It stops at the first year stored too: here the oldest, which it stored itself.
    shared.remember(key, lambda: alone[days[3]])
    assert shared.state(key) == "stored"
    assert module.law_years(inputs, first, last, until_claimed=True) == {}
    # Not the build's own inputs: nothing is shared, and nothing is claimed.
    monkeypatch.delenv(shared.SHARED_ENV)
    assert shared.state(key) == "free"
