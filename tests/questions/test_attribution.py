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


def test_a_layer_whose_law_is_0_on_both_days_gets_nothing(inputs: Inputs) -> None:
    # The 15% deal against before 2025: China's country-specific add-on is suspended (0) on the
    # deal's day and not in force on the baseline's, so no coalition's tariffs move with it. In
    # the two-player case {Section 301, add-on} with v({}) = 0, v({301}) = v({301, add-on}) = X
    # and v({add-on}) = 0, the Shapley values are X and 0. Reading every measure on the
    # coalition's one day made v({add-on}) = X too (the baseline's Section 301 read with the
    # lists of 2025): X/2 each, the two rows the same in every column.
    from analysis.policy.regimes import resolve
    from analysis.questions.attribution import _coalition_market

    result = simulate(inputs, "deal_15", "mfn_only", focus=Focus("japan"))
    table = attribute_layers(result).set_index("layer")
    addon = table.loc["Country-specific add-on (IEEPA)"]
    np.testing.assert_allclose(addon.to_numpy(dtype=float), 0.0, atol=1e-6)
    assert table.loc["Section 301 (China lists)", "tariff_revenue_change_usd"] > 1e8
    base = resolve(result.baseline, result.measures)
    new = resolve(result.scenario, result.measures)
    coalitions = [frozenset(), frozenset({"country"}), frozenset({"section301"})]
    tariff = _coalition_market(result, base, new, coalitions).new_tariff_rate
    np.testing.assert_array_equal(tariff[1], tariff[0])
    # Section 301 alone: the tranche of 1 Jan 2025 on China only, as the measure's file gives
    # it (data_build's import weights, 4 decimals: 2025 value less 2024 value).
    change = tariff[2] - tariff[0]
    expected = {"chm": 0.1350 - 0.1298, "nfm": 0.1887 - 0.1831, "ele": 0.0515 - 0.0470}
    sectors, sources = list(result.market.sectors), list(result.market.sources)
    want = np.zeros_like(change)
    for sector, rise in expected.items():
        want[sectors.index(sector), sources.index("china")] = rise
    np.testing.assert_allclose(change, want, atol=1.5e-4)
