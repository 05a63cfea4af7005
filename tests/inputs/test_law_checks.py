"""Checks across measures: ids that exist, and no two measures of a layer without an order."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.law_checks import cross_check


def test_the_shipped_measures_pass(inputs: Inputs) -> None:
    cross_check(inputs.measures)


def test_a_second_baseline_in_force_at_the_same_time_must_supersede(inputs: Inputs) -> None:
    # A copy of the IEEPA baseline under another name: same layer, partners, dates.
    base = inputs.measures["ieepa_reciprocal_baseline"]
    copy = dataclasses.replace(base, id="ieepa_baseline_copy", path=base.path.with_stem("copy"))
    measures = {**inputs.measures, copy.id: copy}
    with pytest.raises(InputError) as err:
        cross_check(measures)
    message = str(err.value)
    assert ": supersedes: expected a supersedes entry for" in message
    assert copy.id in message and ("reciprocal_baseline" in message)
    fixed = dataclasses.replace(copy, supersedes=(base.id,))
    cross_check({**inputs.measures, fixed.id: fixed})


def test_an_unknown_superseded_id_is_refused(inputs: Inputs) -> None:
    base = inputs.measures["section122_surcharge"]
    broken = dataclasses.replace(base, supersedes=("ieepa_no_such",))
    with pytest.raises(InputError, match=r"supersedes: expected one of"):
        cross_check({**inputs.measures, base.id: broken})


def test_a_measure_that_supersedes_itself_is_refused(inputs: Inputs) -> None:
    # Issue 20, case 4: it switched itself off (Japan on 9 Apr 2025: 23.3% -> 15.3%).
    japan = inputs.measures["ieepa_reciprocal_japan"]
    broken = dataclasses.replace(japan, supersedes=(*japan.supersedes, japan.id))
    with pytest.raises(InputError) as err:
        cross_check({**inputs.measures, japan.id: broken})
    assert str(err.value) == (
        f"{japan.path}: supersedes: expected the id of another measure, "
        "found 'ieepa_reciprocal_japan'"
    )


def test_two_measures_that_supersede_each_other_are_refused(inputs: Inputs) -> None:
    # Issue 20, case 4: each switched the other off (all imports on 2025-09-01: 19.2% -> 15.7%).
    a = inputs.measures["ieepa_reciprocal_baseline"]
    b = inputs.measures["section122_surcharge"]
    measures = {
        **inputs.measures,
        a.id: dataclasses.replace(a, supersedes=(*a.supersedes, b.id)),
        b.id: dataclasses.replace(b, supersedes=(*b.supersedes, a.id)),
    }
    with pytest.raises(InputError) as err:
        cross_check(measures)
    assert str(err.value) == (
        f"{a.path}: supersedes: expected no measure superseding itself through others, "
        "found 'ieepa_reciprocal_baseline -> section122_surcharge -> ieepa_reciprocal_baseline'"
    )


def test_a_longer_cycle_of_supersession_is_refused(inputs: Inputs) -> None:
    ids = ["section232_copper", "section232_buses", "section232_auto_parts"]
    measures = dict(inputs.measures)
    for current, following in zip(ids, ids[1:] + ids[:1], strict=True):
        m = measures[current]
        measures[current] = dataclasses.replace(m, supersedes=(*m.supersedes, following))
    with pytest.raises(InputError) as err:
        cross_check(measures)
    assert ": supersedes: expected no measure superseding itself through others" in str(err.value)
    assert len(str(err.value).splitlines()) == 1


def test_a_chain_without_a_cycle_is_fine(inputs: Inputs) -> None:
    # a -> b -> c and a -> c: shared descendants are not cycles.
    ids = sorted(inputs.measures)[:3]
    measures = dict(inputs.measures)
    for current, named in ((ids[0], ids[1:]), (ids[1], ids[2:])):
        m = measures[current]
        measures[current] = dataclasses.replace(m, supersedes=(*m.supersedes, *named))
    cross_check(measures)
