"""Exact model against SMART by partner."""

from __future__ import annotations

import numpy as np

from analysis.inputs.bundle import Inputs
from analysis.questions.methods import smart_comparison
from analysis.questions.simulate import simulate


def test_exact_and_smart_agree_on_the_direction_of_every_partner(inputs: Inputs) -> None:
    table = smart_comparison(simulate(inputs, "deal_15"))
    assert (
        np.sign(table["exact_imports_change_usd"]) == np.sign(table["smart_imports_change_usd"])
    ).all()
