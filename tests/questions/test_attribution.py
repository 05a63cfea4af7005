"""Shapley attribution of a scenario's outcomes to its tariff layers."""

from __future__ import annotations

import numpy as np

from analysis.inputs.bundle import Inputs
from analysis.questions.attribution import attribute_layers
from analysis.questions.simulate import simulate


def test_layer_contributions_add_up_to_the_total(inputs: Inputs) -> None:
    table = attribute_layers(simulate(inputs, "july_2025"))
    layers = table[table["layer"] != "total"].drop(columns="layer").sum()
    total = table[table["layer"] == "total"].drop(columns="layer").iloc[0]
    np.testing.assert_allclose(layers.to_numpy(), total.to_numpy(), rtol=1e-9, atol=1e-3)
    assert {"Section 232", "Baseline 10% (IEEPA, then Section 122)"} <= set(table["layer"])
