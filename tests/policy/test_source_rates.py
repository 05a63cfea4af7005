"""A day's rates by source: a hand-solved case, and the schedules' numbers bit for bit."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from policy.test_lines import _lines, measure

from analysis.inputs.bundle import Inputs
from analysis.policy.line_steps import SOURCE_STEPS, shared_steps
from analysis.policy.lines import LineSchedule
from analysis.policy.regimes import rates_for_date, schedule_for_date
from analysis.policy.row_stacking import RowStacking, stacked_parts
from analysis.policy.source_rates import SourceRates, source_rates
from analysis.policy.stacking import MFN, ActiveMeasure
from analysis.questions.timeline import authority_rates, every_partners_authority_rates

DAY = dt.date(2025, 6, 1)


def test_a_hand_solved_day() -> None:
    # 4 lines (steel, laptop, car, furniture: one sector each) x 3 countries (Japan; CHE and
    # BRA in row), $100 a row but the laptop: $300 from CHE, $200 from BRA. Measure a adds
    # 10% on the laptop from CHE, 20% on the laptop from BRA, 25% on the car from Japan
    # (IEEPA); measure b (Section 232) adds 50% on the steel from BRA.
    lines = _lines()
    imports = np.full(12, 100.0)
    imports[[4, 5]] = [300.0, 200.0]
    lines = replace(lines, imports_usd=imports)
    a, b = np.zeros(12), np.zeros(12)
    a[[4, 5, 6]] = [0.10, 0.20, 0.25]
    b[2] = 0.50
    contributions = {"ieepa_a": a, "section232_b": b}
    schedule = LineSchedule(DAY, lines, contributions, {"ieepa_a": "A", "section232_b": "B"}, ())
    ma = measure("ieepa_a", layer="baseline")
    mb = measure("section232_b", layer="section232")
    active = [ActiveMeasure.of(m, m.values[0]) for m in (ma, mb)]
    law = source_rates(DAY, lines, RowStacking.of(schedule), active)
    assert law.sources == ("japan", "row", "JPN", "CHE", "BRA")
    # Japan: $400, duty 0.25 x 100 = 25; CHE: $600, duty 30; BRA: $500, duty 40 + 50 (steel);
    # row = CHE + BRA: $1,100, duty 70 from a, 50 from b.
    expected_a = {"japan": 25 / 400, "JPN": 25 / 400, "CHE": 30 / 600, "BRA": 40 / 500}
    expected_b = {"japan": 0.0, "JPN": 0.0, "CHE": 0.0, "BRA": 50 / 500, "row": 50 / 1100}
    for source, rate in (expected_a | {"row": 70 / 1100}).items():
        layers = law.layer_rates(source)
        assert layers["baseline"] == pytest.approx(rate, abs=1e-15), source
        assert layers["section232"] == pytest.approx(expected_b[source], abs=1e-15), source
    # MFN (the 2024 applied rates): Japan 2%, 0, 2.5%, 2% at $100 each; CHE 2% x 100, 0 x 300,
    # 2% x 100, 20% x 100 over $600.
    assert law.layer_rates("japan")[MFN] == pytest.approx(0.065 / 4)
    assert law.layer_rates("CHE")[MFN] == pytest.approx(24 / 600)
    assert law.authority_rates("BRA") == pytest.approx({"IEEPA": 0.08, "Section 232": 0.10})
    assert law.reaching("CHE") == {"ieepa_a"} and law.reaching("JPN") == {"ieepa_a"}
    assert law.reaching("row") == {"ieepa_a", "section232_b"}
    with pytest.raises(KeyError):
        law.layer_rates("KOR")
    with pytest.raises(ValueError):
        source_rates(DAY, replace(lines, imports_usd=np.ones(13)), RowStacking.of(schedule), [])
    # No split: the remainders are the regions; all imports $1,500 (Japan 400, row 1,100),
    # duty 25 + 30 + 40 from a, 50 from b.
    every, imports = law.split_authority_rates()
    assert imports == {"japan": 400.0, "row": 1100.0}
    assert every["row"] == pytest.approx({"IEEPA": 70 / 1100, "Section 232": 50 / 1100})
    assert law.all_authority_rates() == pytest.approx(
        {"IEEPA": 95 / 1500, "Section 232": 50 / 1500}
    )
    # CHE split out: row's remainder is BRA alone ($500: 40 from a, 50 from b).
    apart = source_rates(DAY, lines, RowStacking.of(schedule), active, ("CHE",))
    every, imports = apart.split_authority_rates()
    assert list(every) == ["japan", "row", "CHE"]
    assert imports == {"japan": 400.0, "row": 500.0, "CHE": 600.0}
    assert every["row"] == pytest.approx({"IEEPA": 40 / 500, "Section 232": 50 / 500})
    assert every["CHE"] == pytest.approx({"IEEPA": 30 / 600, "Section 232": 0.0})
    assert apart.all_authority_rates() == law.all_authority_rates()
    assert apart.rates.tobytes() == law.rates.tobytes()  # the sources alone do not move


def test_days_sharing_a_measures_numbers_get_each_days_own() -> None:
    """Inside ``SOURCE_STEPS`` (:func:`analysis.questions.timeline.laws_by_day`) a measure's
    numbers are reused only for the same rows and values: the hand-solved day above, then b
    (Section 232, steel from BRA) at 100% (same row, other value), then at 50% on the steel
    from CHE (other row, same value); a (IEEPA) the same throughout."""
    lines = replace(_lines(), imports_usd=np.array([100.0] * 4 + [300.0, 200.0] + [100.0] * 6))
    a = np.zeros(12)
    a[[4, 5, 6]] = [0.10, 0.20, 0.25]
    ma, mb = measure("ieepa_a", layer="baseline"), measure("section232_b", layer="section232")
    active = [ActiveMeasure.of(m, m.values[0]) for m in (ma, mb)]
    names = {"ieepa_a": "A", "section232_b": "B"}

    def law(row: int, rate: float, parts: bool) -> SourceRates:
        b = np.zeros(12)
        b[row] = rate
        schedule = LineSchedule(DAY, lines, {"ieepa_a": a, "section232_b": b}, names, ())
        kept = stacked_parts(schedule) if parts else None
        return source_rates(DAY, lines, RowStacking.of(schedule), active, ("CHE",), parts=kept)

    # CHE $600 (row 1 is its steel), BRA $500 (row 2), row = CHE + BRA $1,100.
    expected = [(2, 0.5, 0.0, 50 / 500), (2, 1.0, 0.0, 100 / 500), (1, 0.5, 50 / 600, 0.0)]
    with shared_steps(SOURCE_STEPS):
        laws = [law(row, rate, parts) for parts in (True, False) for row, rate, _, _ in expected]
    for i, found in enumerate(laws):
        _, rate, che, bra = expected[i % 3]
        row = found.sources.index("row")
        assert found.rates[1, found.sources.index("CHE")] == pytest.approx(che, abs=1e-15)
        assert found.rates[1, found.sources.index("BRA")] == pytest.approx(bra, abs=1e-15)
        assert found.rates[1, row] == pytest.approx(rate * 100 / 1100, abs=1e-15)
        assert found.rates[0].tobytes() == laws[0].rates[0].tobytes()
        # the remainder (BRA alone) and every cell of the split schedule ($1,500)
        assert found.remainder_rates[1, row] == pytest.approx(bra, abs=1e-15)
        assert found.all_rates[1] == pytest.approx(rate * 100 / 1500, abs=1e-15)
        alone = law(*expected[i % 3][:2], parts=False)  # no table: computed afresh
        for name in ("rates", "reaches", "remainder_rates", "all_rates"):
            assert getattr(found, name).tobytes() == getattr(alone, name).tobytes(), (i, name)
    schedule = LineSchedule(DAY, lines, {"ieepa_a": a}, names, ())
    with pytest.raises(ValueError):  # parts that are not the stacking's
        source_rates(DAY, lines, RowStacking.of(schedule), active, parts=[])


@pytest.mark.parametrize(
    "day", [dt.date(2025, 1, 1), dt.date(2025, 4, 9), dt.date(2025, 10, 1), dt.date(2026, 11, 28)]
)
def test_every_source_has_its_schedules_numbers_bit_for_bit(inputs: Inputs, day: dt.date) -> None:
    """Each region's rates are those of the day's schedule without a split, each country's
    those of a schedule with it split out (alone, or with others): layers, authorities and
    the measures that reach it, to the last bit and in the same order."""
    law = rates_for_date(day, inputs.data, inputs.measures, inputs.lines)
    with shared_steps():  # as in a kernel: the frame of the rates computed once, the same
        for _ in range(2):
            kept = rates_for_date(day, inputs.data, inputs.measures, inputs.lines)
            assert kept.rates.tobytes() == law.rates.tobytes()
            assert kept.mfn_rate.tobytes() == law.mfn_rate.tobytes()
    for split in ((), ("KOR",), ("CHE", "DEU", "BRA")):
        schedule = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines, split)
        every = every_partners_authority_rates(schedule)
        for partner in split or schedule.partners:
            old, new = schedule.layer_rates(partner), law.layer_rates(partner)
            assert list(old.index) == list(new.index), (day, partner)
            assert old.to_numpy().tobytes() == new.to_numpy().tobytes(), (day, partner)
            mine = law.authority_rates(partner)
            assert list(mine.items()) == list(every[partner].items()), (day, partner)
            column = schedule.partners.index(partner)
            reach = {m for m, c in schedule.contributions.items() if c[:, column].any()}
            assert law.reaching(partner) == reach, (day, partner)


@pytest.mark.parametrize("day", [dt.date(2025, 4, 9), dt.date(2026, 11, 28)])
@pytest.mark.parametrize("split", [(), ("KOR",), ("KOR", "VNM", "CHE", "DEU", "BRA")])
def test_a_split_schedules_sources_and_totals_bit_for_bit(
    inputs: Inputs, day: dt.date, split: tuple[str, ...]
) -> None:
    """The remainders, split countries, imports over sectors and all-partner rates a day's
    table carries for a split are those of the day's schedule with that split, to the bit."""
    law = rates_for_date(day, inputs.data, inputs.measures, inputs.lines, split)
    schedule = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines, split)
    every, imports = law.split_authority_rates()
    old = every_partners_authority_rates(schedule)
    assert list(every) == list(schedule.partners)
    for partner in schedule.partners:
        assert list(every[partner].items()) == list(old[partner].items()), (day, partner)
    sums = schedule.imports_usd.sum(axis=0)
    assert [imports[p] for p in schedule.partners] == [float(v) for v in sums]
    assert list(law.all_authority_rates().items()) == list(authority_rates(schedule, None).items())
