"""Shapley attribution of a scenario's outcomes to its tariff layers."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.focus import Focus
from analysis.questions.attribution import attribute_layers
from analysis.questions.simulate import simulate


def test_layer_contributions_add_up_to_the_total(inputs: Inputs) -> None:
    table = attribute_layers(simulate(inputs, "july_2025"))
    layers = table[table["layer"] != "total"].drop(columns="layer").sum()
    total = table[table["layer"] == "total"].drop(columns="layer").iloc[0]
    np.testing.assert_allclose(layers.to_numpy(), total.to_numpy(), rtol=1e-9, atol=1e-3)
    # The layers are named by the July 2025 law's measures: its baseline is IEEPA's, and
    # Section 122 (Feb 2026) is not in it (FINDINGS10 #2).
    assert {"Section 232", "Baseline 10% (IEEPA)", "Other (IEEPA fentanyl)"} <= set(table["layer"])


@pytest.mark.parametrize(
    ("scenario", "baseline", "partner"),
    [
        ("ver_cars", "mfn_only", None),
        ("deal_15", "july_2025", None),
        ("deal_15", "mfn_only", "KOR"),
    ],
)
def test_the_contributions_add_up_to_the_headline_change(
    inputs: Inputs, scenario: str, baseline: str, partner: str | None
) -> None:
    # With a quota, against a baseline that is not MFN only, or for a country split out of its
    # region (its own source), the total must still be the headline of the scenario against
    # its own baseline.
    focus = None if partner is None else Focus(partner)
    result = simulate(inputs, scenario, baseline, focus=focus)
    table = attribute_layers(result)
    head = result.headline()
    total = table[table["layer"] == "total"].iloc[0]
    players = table[table["layer"] != "total"]
    for outcome in ("focus_exports_value_change_usd", "tariff_revenue_change_usd"):
        assert total[outcome] == pytest.approx(head[outcome], rel=1e-9, abs=1e-3)
        assert players[outcome].sum() == pytest.approx(head[outcome], rel=1e-9, abs=1e-3)
    if scenario == "ver_cars":
        quota = players[players["layer"] == "Quota (export restraint)"].iloc[0]
        assert quota["focus_sector_units_change"] < 0  # the restraint, not a tariff, cuts the cars


@pytest.mark.parametrize(
    ("scenario", "baseline"), [("deal_15", "mfn_only"), ("ver_cars", "mfn_only")]
)
def test_sharing_the_line_steps_changes_no_bit(
    inputs: Inputs, scenario: str, baseline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The coalitions share each measure's rows and exemptions (policy.line_steps); without the
    # sharing every coalition computes them again: the table must be the same, bit for bit.
    import contextlib
    import pickle

    from analysis.questions import attribution

    result = simulate(inputs, scenario, baseline)
    shared = attribute_layers(result)
    monkeypatch.setattr(attribution, "shared_steps", contextlib.nullcontext)
    alone = attribute_layers(result)
    assert pickle.dumps(shared) == pickle.dumps(alone)
