"""Line-engine steps computed once per distinct input inside ``shared_steps``, else every time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.policy.line_steps import (
    CELL_STEPS,
    DAY_FREE_STEPS,
    MAX_CONTENTS,
    by_content,
    remembered,
    shared_steps,
)
from analysis.policy.regimes import schedule_for_date
from analysis.policy.stacking import TariffSchedule
from analysis.questions.timeline import change_days


def test_outside_the_block_every_call_computes() -> None:
    calls: list[int] = []
    for _ in range(3):
        remembered(("reach", "k"), (), lambda: calls.append(1))
    assert len(calls) == 3


def test_inside_the_block_a_key_is_computed_once_and_forgotten_after() -> None:
    calls: list[int] = []

    def compute() -> np.ndarray:
        calls.append(1)
        return np.arange(3.0)

    with shared_steps():
        first = remembered(("reach", "k"), (), compute)
        again = remembered(("reach", "k"), (), compute)
        other = remembered(("reach", "other"), (), compute)
    assert again is first and other is not first
    assert len(calls) == 2
    with shared_steps():
        remembered(("reach", "k"), (), compute)
    assert len(calls) == 3  # a new block remembers nothing of the last


def test_shared_arrays_are_read_only() -> None:
    # A caller writing into a shared array would change every later regime's: it must fail.
    with shared_steps():
        rows, scope = remembered(("reach", "k"), (), lambda: (np.arange(3), np.ones(3)))
        with pytest.raises(ValueError, match="read-only"):
            scope[0] = 2.0
        with pytest.raises(ValueError, match="read-only"):
            rows[0] = 1


def test_a_table_shares_only_its_steps() -> None:
    calls: list[str] = []
    with shared_steps(frozenset({"reach"})):
        for _ in range(2):
            remembered(("reach", 1), (), lambda: calls.append("reach"))
            remembered(("exempt", 1), (), lambda: calls.append("exempt"))
        with shared_steps():  # an inner table of every step (the attribution's)
            remembered(("exempt", 1), (), lambda: calls.append("exempt"))
            remembered(("exempt", 1), (), lambda: calls.append("exempt"))
    assert calls == ["reach", "exempt", "exempt", "exempt"]


def test_a_sum_by_content_is_computed_once_per_bits() -> None:
    """Equal bits share the sum; one bit off (-0.0 against 0.0, one ulp) does not; outside a
    block of the cell step (a kernel's table of the day-free steps) nothing is kept."""
    calls: list[float] = []

    def summed(values: np.ndarray) -> Any:
        return lambda: calls.append(float(values.sum())) or np.array([values.sum()])

    a = np.array([0.0, 0.25, 0.5])
    key = ("measure cells", "m", 1)
    with shared_steps(DAY_FREE_STEPS):
        by_content(key, (), a, summed(a))
        by_content(key, (), a, summed(a))
    assert len(calls) == 2
    calls.clear()
    with shared_steps(CELL_STEPS):
        first = by_content(key, (), a, summed(a))
        again = by_content(key, (), a.copy(), summed(a))
        negative = np.array([-0.0, 0.25, 0.5])
        by_content(key, (), negative, summed(negative))
        ulp = np.array([0.0, np.nextafter(0.25, 1.0), 0.5])
        by_content(key, (), ulp, summed(ulp))
        by_content(("measure cells", "other", 1), (), a, summed(a))
        assert again is first and not first.flags.writeable
        assert len(calls) == 4
        for i in range(MAX_CONTENTS + 2):  # at most MAX_CONTENTS kept for one key
            by_content(key, (), np.full(3, float(i + 1)), summed(np.ones(3)))
        calls.clear()
        by_content(key, (), np.full(3, float(MAX_CONTENTS + 2)), summed(np.ones(3)))
        assert len(calls) == 1


def test_the_law_of_many_days_is_the_same_with_the_rows_shared(inputs: Inputs) -> None:
    # A kernel shares each measure's rows across days (keyed by its lists as they stand on the
    # day, not by the day): every day's schedule must be the one computed alone, bit for bit.
    days = change_days(inputs.measures.values(), dt.date(2025, 3, 1), dt.date(2026, 6, 1))
    split = ("KOR",)

    def law() -> list[TariffSchedule]:
        return [
            schedule_for_date(day, inputs.data, inputs.measures, inputs.lines, split)
            for day in days
        ]

    alone = law()
    with shared_steps(DAY_FREE_STEPS):
        shared = law()
    assert len(days) > 5
    for a, b in zip(alone, shared, strict=True):
        assert a.tariff_rate.tobytes() == b.tariff_rate.tobytes()
        assert a.contributions.keys() == b.contributions.keys()
        for mid, cells in a.contributions.items():
            assert cells.tobytes() == b.contributions[mid].tobytes(), (a, mid)


def test_exempt_shares_are_shared_by_days_with_the_same_lists_and_usmca_month(
    inputs: Inputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fentanyl tariff on Canada exempts USMCA goods with the month's shares: two days of
    # one month share its exempt shares, a day of the next month does not. Most measures
    # exempt no USMCA goods: their shares are computed once for the three days, or again only
    # where their lists or the regime's Section 232 measures changed.
    from analysis.policy import lines as engine

    calls: list[tuple[str, dt.date]] = []
    real = engine._exempt

    def counted(m: Any, value: Any, spec: Any, ctx: Any, rows: Any) -> np.ndarray:
        calls.append((m.id, ctx.day))
        return real(m, value, spec, ctx, rows)

    monkeypatch.setattr(engine, "_exempt", counted)
    days = [dt.date(2025, 8, 2), dt.date(2025, 8, 20), dt.date(2025, 9, 2)]
    with shared_steps(DAY_FREE_STEPS):
        for day in days:
            schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    canada = [d for m, d in calls if m == "ieepa_fentanyl_canada"]
    assert canada == [days[0], days[2]]
    by_measure = {m for m, _ in calls}
    assert len(calls) < 2 * len(by_measure)  # most measures: once for the three days


def test_the_rate_a_measure_adds_is_shared_until_a_rate_changes_by_one_ulp(
    inputs: Inputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same regime stacked twice computes each measure's added rate once; the regime with
    # one measure's headline rate one ulp higher computes it again for that measure only.
    from dataclasses import replace

    from analysis.policy import lines as engine
    from analysis.policy.line_regimes import line_stacking
    from analysis.policy.stacking import active_on

    calls: list[str] = []
    real = engine._added

    def counted(lm: Any, spec: Any, ctx: Any, rows: Any) -> np.ndarray:
        calls.append(lm.measure.id)
        return real(lm, spec, ctx, rows)

    monkeypatch.setattr(engine, "_added", counted)
    day = dt.date(2025, 8, 7)
    law = active_on(inputs.measures.values(), day)
    i = next(k for k, am in enumerate(law) if am.measure.id == "ieepa_reciprocal_baseline")
    up = replace(law[i], rate=float(np.nextafter(law[i].rate, 1.0)))
    with shared_steps(DAY_FREE_STEPS):
        first = line_stacking(day, inputs.lines, law)
        again = line_stacking(day, inputs.lines, law)
        moved = line_stacking(day, inputs.lines, [*law[:i], up, *law[i + 1 :]])
    assert sorted(calls) == sorted([am.measure.id for am in law] + [law[i].measure.id])
    mid = law[i].measure.id
    assert first.contributions[mid].tobytes() == again.contributions[mid].tobytes()
    assert (moved.contributions[mid] >= first.contributions[mid]).all()
    assert (moved.contributions[mid] > first.contributions[mid]).any()
