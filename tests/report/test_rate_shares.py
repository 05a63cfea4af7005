"""Why a partner's average tariff is not the scenario's rate: shares of its imports."""

from __future__ import annotations

import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.simulate import simulate
from analysis.report.rate_shares import rate_shares, why_the_average
from analysis.report.shared_figures import partner_tariff


def test_the_shares_rebuild_the_average_of_japan_at_35_percent(inputs: Inputs) -> None:
    """Japan at 35% (10% baseline + 25 points, outside Section 232): the average all-duties
    tariff is MFN + 35% on the share paying the reciprocal rate + the Section 232 duties; the
    reciprocal part alone must be 35% times its share, and the three shares sum to one."""
    result = simulate(inputs, "escalation_35", "mfn_only")
    shares = rate_shares(result.schedule, "japan", "ieepa_reciprocal_japan")
    assert 0 < shares.measure_share < 1 and 0 < shares.section232_share < 1
    total = shares.measure_share + shares.section232_share + shares.other_share
    assert total == pytest.approx(1.0)
    schedule = result.schedule
    j = schedule.partners.index("japan")
    weights = schedule.imports_usd[:, j] / schedule.imports_usd[:, j].sum()
    reciprocal = sum(
        float((schedule.contributions[m][:, j] * weights).sum())
        for m in ("ieepa_reciprocal_japan", "ieepa_reciprocal_baseline")
    )
    assert reciprocal == pytest.approx(0.35 * shares.measure_share, rel=1e-6)
    # the baseline 10% reaches exactly the same goods
    base = rate_shares(schedule, "japan", "ieepa_reciprocal_baseline")
    assert base.measure_share == pytest.approx(shares.measure_share)
    tariff = partner_tariff(schedule, "japan", "Japan", "x")
    assert tariff.total.value < 0.35


def test_the_sentence_names_the_shares_and_is_empty_without_a_change(inputs: Inputs) -> None:
    result = simulate(inputs, "escalation_35", "mfn_only")
    text = why_the_average(result.schedule, "japan", "Japan", ["ieepa_reciprocal_japan"])
    assert "Section 232 duty instead" in text and "Japan's 2024 exports" in text
    assert why_the_average(result.schedule, "japan", "Japan", []) == ""
