"""The line engine gives the reference engine's numbers bit for bit, on every change day of the
law (from December 2024 to the last day checked) and every shipped scenario, USMCA claimed and
not: each measure's contribution on every row, the rows it reaches, the Section 232 share, the
cells of a split and of none, and the compact row stacking the build shares.

The reference is the engine as it was before it kept contributions on their rows only
(``reference_lines.py``, the full-array code of dc2e0a3, each step taken anew). The engine under
test runs with every step shared in one table across all the days and scenarios (as a kernel
shares them, and more), so a key that named too little would show here as a difference.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np
import pytest
from policy import reference_lines

from analysis.inputs.bundle import Inputs
from analysis.inputs.shared import dumps
from analysis.policy.line_regimes import _cells, cell_schedule, line_measure, stacked_cells
from analysis.policy.line_steps import ALL_STEPS, shared_steps
from analysis.policy.lines import LineSchedule, line_schedule
from analysis.policy.regimes import resolve
from analysis.policy.row_stacking import RowStacking
from analysis.policy.stacking import ActiveMeasure, TariffSchedule, active_on
from analysis.questions.timeline import change_days

Case = tuple[str, dt.date, list[ActiveMeasure], bool]


def _cases(inputs: Inputs) -> list[Case]:
    lists = inputs.lines.product_lists()
    last = inputs.law_status.known_through
    days = change_days(inputs.measures.values(), dt.date(2024, 12, 1), last, lists)
    out = [(f"law of {d}", d, active_on(inputs.measures.values(), d), True) for d in days]
    for name, scenario in sorted(inputs.scenarios.items()):
        active = resolve(scenario, inputs.measures)
        for claimed in (True, False):
            out.append((f"{name} claimed={claimed}", scenario.regime_date, active, claimed))
    return out


def _both(inputs: Inputs, cases: Sequence[Case]) -> Iterator[tuple[LineSchedule, LineSchedule]]:
    """(reference, engine) schedules of each case, as ``line_regimes.line_stacking`` calls the
    engine; the engine's steps shared across all of them."""
    lines, lists = inputs.lines.get(), inputs.lines.product_lists()
    region_of = {c.cty_code: c.region for c in lines.countries.countries}
    usmca = inputs.lines.usmca()
    unclaimed = replace(usmca, shares=np.zeros_like(usmca.shares))
    with shared_steps(ALL_STEPS):
        for _, day, active, claimed in cases:
            chosen = [line_measure(am, region_of) for am in active]
            measures = {am.measure.id: am.measure for am in active}
            shares = usmca if claimed else unclaimed
            args = (day, lines, lists, measures, shares)
            yield (
                reference_lines.line_schedule(*args, active=chosen),
                line_schedule(*args, active=chosen),
            )


def _same(a: np.ndarray, b: np.ndarray, what: str) -> None:
    assert a.dtype == b.dtype and a.shape == b.shape, what
    assert a.tobytes() == b.tobytes(), what


def _same_cells(a: TariffSchedule, b: TariffSchedule, what: str) -> None:
    assert a.partners == b.partners and list(a.contributions) == list(b.contributions), what
    for name in ("imports_usd", "mfn_tariff_rate", "section232_share"):
        _same(getattr(a, name), getattr(b, name), f"{what}: {name}")
    for mid, cells in a.contributions.items():
        _same(cells, b.contributions[mid], f"{what}: {mid}")


def _reference_cells(
    schedule: LineSchedule, active: Sequence[ActiveMeasure], split: tuple[str, ...]
) -> TariffSchedule:
    """The cells as ``cell_schedule`` summed the reference's full arrays (dc2e0a3)."""
    items = schedule.contributions.items()
    parts = [(m, a, schedule.reached.get(m), False) for m, a in items]
    share = schedule.section232_share
    return _cells(schedule.lines, parts, (share, None, False), active, split)


def _reference_parts(schedule: LineSchedule) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows where each measure adds a rate not 0, and the values there, from the full
    arrays (as ``RowStacking.of`` found them at dc2e0a3)."""
    out = []
    for mid, array in schedule.contributions.items():
        reached = schedule.reached[mid]
        at = reached[array[reached] != 0]
        out.append((at, array[at]))
    share = schedule.section232_share
    at = np.flatnonzero(share)
    return [*out, (at, share[at])]


def test_every_day_and_scenario_is_stacked_as_the_reference_does(inputs: Inputs) -> None:
    cases = _cases(inputs)
    assert len(cases) > 60  # ~60 change days and every shipped scenario twice
    for (name, _, active, _), (ref, new) in zip(cases, _both(inputs, cases), strict=True):
        assert list(new.contributions) == list(ref.contributions), name
        for mid, array in ref.contributions.items():
            _same(array, new.contributions[mid], f"{name}: {mid}")
            _same(ref.reached[mid], new.reached[mid], f"{name}: rows of {mid}")
        _same(ref.section232_share, new.section232_share, f"{name}: Section 232 share")
        assert (new.fallback, new.authorities) == (ref.fallback, ref.authorities), name
        stacking = pickle.loads(dumps(RowStacking.of(new)))  # as a kernel reads it back
        for (a_rows, a_values), (b_rows, b_values) in zip(
            _reference_parts(ref), stacking.parts(), strict=True
        ):
            _same(a_rows.astype(np.intp), b_rows, f"{name}: stacked rows")
            _same(a_values, b_values, f"{name}: stacked values")
        for split in ((), ("KOR",)):
            expected = _reference_cells(ref, active, split)
            _same_cells(expected, cell_schedule(new, active, split), f"{name} {split}")
            _same_cells(expected, stacked_cells(new.lines, stacking, active, split), name)
        _same(ref.tariff_rate, new.tariff_rate, f"{name}: tariff rate")


@pytest.mark.parametrize("by", ["country", "sector"])
def test_aggregates_of_a_day_are_the_reference_s(inputs: Inputs, by: str) -> None:
    day = dt.date(2026, 3, 5)
    cases = [("day", day, active_on(inputs.measures.values(), day), True)]
    [(ref, new)] = list(_both(inputs, cases))
    a, b = ref.aggregate(by), new.aggregate(by)
    assert list(a.columns) == list(b.columns) and list(a.index) == list(b.index)
    for column in a.columns:
        _same(a[column].to_numpy(), b[column].to_numpy(), column)
    _same_cells_frames = ref.partition_cells(("KOR",)), new.partition_cells(("KOR",))
    for column in ("imports_usd", "baseline_rate", "tariff_rate"):
        _same(*(f[column].to_numpy() for f in _same_cells_frames), column)
