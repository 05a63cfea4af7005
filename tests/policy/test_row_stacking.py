"""A line stacking kept compactly gives the same cells bit for bit, and its key is canonical."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from policy.test_lines import _lines

from analysis.inputs.bundle import Inputs
from analysis.inputs.paths import PROJECT_DIR
from analysis.policy.line_regimes import cell_schedule, line_stacking, stacked_cells
from analysis.policy.lines import LineSchedule
from analysis.policy.regimes import resolve
from analysis.policy.row_stacking import RowStacking, stacked_parts, stacking_key
from analysis.policy.stacking import ActiveMeasure, TariffSchedule, active_on


def _bits(a: TariffSchedule, b: TariffSchedule) -> None:
    assert a.partners == b.partners and list(a.contributions) == list(b.contributions)
    for name in ("imports_usd", "mfn_tariff_rate", "section232_share"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name
    for mid, cells in a.contributions.items():
        assert cells.tobytes() == b.contributions[mid].tobytes(), mid


def test_a_stacking_keeps_the_rows_where_a_measure_adds_a_rate() -> None:
    # 4 lines x 3 countries (Japan; Switzerland, Brazil in row), $100 each row. A measure
    # adds 10% on the laptop from Switzerland (row 4) and 25% on the car from Japan (row 6);
    # a -0 and a 0 elsewhere add nothing. Another adds nothing; half the steel from Japan
    # (row 0) pays Section 232.
    lines = _lines()
    added = np.zeros(12)
    added[[4, 6, 9]] = [0.10, 0.25, -0.0]
    schedule = LineSchedule(
        dt.date(2025, 6, 1),
        lines,
        {"a": added, "b": np.zeros(12)},
        {"a": "A", "b": "B"},
        (),
        section232_share=np.where(np.arange(12) == 0, 0.5, 0.0),
    )
    stacking = RowStacking.of(schedule)
    parts = stacking.parts()
    assert stacking.measures == ("a", "b")
    assert [rows.tolist() for rows, _ in parts] == [[4, 6], [], [0]]
    assert [values.tolist() for _, values in parts] == [[0.10, 0.25], [], [0.5]]
    cells = stacked_cells(lines, stacking, [], ("CHE",))
    _bits(cells, cell_schedule(schedule, [], ("CHE",)))
    # Sources japan, row (Brazil), CHE: the laptop from Switzerland alone in its cell, the car
    # from Japan alone in Japan's; half of Japan's steel pays Section 232.
    ele, mvh, i_s = (lines.sectors.index(s) for s in ("ele", "mvh", "i_s"))
    assert cells.contributions["a"][ele, 2] == 0.10
    assert cells.contributions["a"][mvh, 0] == 0.25
    assert cells.contributions["a"].sum() == pytest.approx(0.35)
    assert cells.section232_share[i_s, 0] == 0.5
    assert not cells.contributions["b"].any()
    assert stacking.counts == (2, 0, 1)
    with pytest.raises(ValueError):
        stacked_cells(replace(lines, imports_usd=np.ones(13)), replace(stacking, rows=13), [])
    with pytest.raises(ValueError):  # rows beyond the lines
        stacked_cells(lines, replace(stacking, rows=6), [])
    with pytest.raises(ValueError):  # counts that do not add up
        replace(stacking, counts=(2, 0, 2)).parts()


@pytest.mark.parametrize("day", [dt.date(2025, 4, 9), dt.date(2025, 8, 7), dt.date(2026, 11, 28)])
def test_the_cells_of_a_kept_stacking_are_the_cells_bit_for_bit(
    inputs: Inputs, day: dt.date
) -> None:
    active = active_on(inputs.measures.values(), day)
    schedule = line_stacking(day, inputs.lines, active)
    stacking = RowStacking.of(schedule)
    for split in ((), ("KOR",), ("CAN", "MEX")):
        _bits(
            stacked_cells(schedule.lines, stacking, active, split),
            cell_schedule(schedule, active, split),
        )
    # Compact: the rows and the values where a measure adds a rate, not ~70 MB of zeros.
    assert len(stacking.steps) + len(stacking.values) < 4_000_000
    # The parts a caller keeps when it packs the stacking are those it unpacks to, to the bit;
    # each measure's are the rows of its full contribution that are not 0, and its values there.
    kept, unpacked = stacked_parts(schedule), stacking.parts()
    assert len(kept) == len(unpacked) == len(schedule.contributions) + 1
    for (rows, values), (rows_again, values_again) in zip(kept, unpacked, strict=True):
        assert np.array_equal(rows, rows_again) and values.tobytes() == values_again.tobytes()
    for (rows, values), mid in zip(kept, schedule.contributions, strict=False):
        full = np.asarray(schedule.contributions[mid])
        assert np.array_equal(rows, np.flatnonzero(full)), mid
        assert values.tobytes() == full[rows].tobytes(), mid


def test_the_key_names_what_the_stacking_depends_on(inputs: Inputs) -> None:
    measures = inputs.measures
    day = dt.date(2026, 11, 28)
    law = active_on(measures.values(), day)
    key = stacking_key(day, law, measures)
    assert key is not None
    # The scenario of today's law without changes stacks the same measures: the same key.
    assert stacking_key(day, resolve(inputs.scenario("current"), measures), measures) == key
    assert stacking_key(day, law, measures, usmca_claimed=False) != key
    assert stacking_key(day + dt.timedelta(days=1), law, measures) != key
    # A rate one ulp away, a measure switched off in one more cell, an earlier dated value.
    i, dated = next((i, a) for i, a in enumerate(law) if a.value is not a.measure.values[0])
    assert dated.value is not None

    def key_with(am: ActiveMeasure) -> str | None:
        return stacking_key(day, [*law[:i], am, *law[i + 1 :]], measures)

    assert key_with(dated) == key
    assert key_with(replace(dated, rate=float(np.nextafter(dated.rate, 1.0)))) != key
    assert key_with(replace(dated, excluded=dated.excluded | {("japan", "mvh")})) != key
    assert key_with(replace(dated, value=dated.measure.values[0])) != key
    assert stacking_key(day, [*law[1:], law[0]], measures) != key  # the order stacks
    # A measure or a value not the scope's own object (a notebook's copy): no key.
    assert key_with(replace(dated, measure=replace(dated.measure))) is None
    assert key_with(replace(dated, value=replace(dated.value))) is None


KEY_SCRIPT = """
import datetime as dt, json
from dataclasses import replace
from analysis.inputs.bundle import load_inputs
from analysis.policy.row_stacking import stacking_key
from analysis.policy.stacking import active_on
inputs = load_inputs()
day = dt.date(2025, 8, 7)
law = active_on(inputs.measures.values(), day)
cells = frozenset((p, s) for p in ("japan", "row", "eu", "china") for s in ("mvh", "ome", None))
first = replace(
    law[0],
    excluded=cells,
    members_dropped=frozenset({"japan", "row", "eu", "china", "ftrow"}),
    rate_by_cell={(p, s): 0.1 for p, s in sorted(cells, key=str) if s},
    rate_by_partner={"row": 0.2, "eu": 0.15, "japan": 0.125},
)
print(json.dumps([stacking_key(day, [first, *law[1:]], inputs.measures), repr(cells)]))
"""


def test_the_key_does_not_depend_on_the_hash_seed() -> None:
    out = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("TARIFF_REPORTS_SHARED", None)
        proc = subprocess.run(
            [sys.executable, "-c", KEY_SCRIPT],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    (key_1, cells_1), (key_2, cells_2) = out
    assert cells_1 != cells_2  # the seeds order the sets differently
    assert key_1 is not None and key_1 == key_2
