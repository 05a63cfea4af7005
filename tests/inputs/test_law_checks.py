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
