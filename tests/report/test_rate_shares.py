"""Why a partner's average tariff is not the scenario's rate: shares of its imports."""

from __future__ import annotations

import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.simulate import simulate
from analysis.report.brief import percent
from analysis.report.rate_shares import (
    points,
    points_by_kind,
    rate_shares,
    why_in_brief,
    why_the_average,
)
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


def test_the_average_in_points_adds_up_and_the_35_percent_is_35_percent_of_its_share(
    inputs: Inputs,
) -> None:
    """Japan at 35%: the three parts add up to the all-duties average shown on the page; the
    part outside Section 232 is 35% (the 10% baseline + the 25-point add-on, the law as
    threatened) on the share of exports the scenario's rate reaches; the Section 232 part is
    what the Section 232 measures add, and MFN is the total less the additional tariff."""
    result = simulate(inputs, "escalation_35", "mfn_only")
    schedule = result.schedule
    mfn, s232, other = points_by_kind(schedule, "japan")
    tariff = partner_tariff(schedule, "japan", "Japan", "x")
    assert mfn + s232 + other == pytest.approx(tariff.total.value, abs=1e-12)
    assert mfn == pytest.approx(tariff.mfn.value, abs=1e-12)
    shares = rate_shares(schedule, "japan", "ieepa_reciprocal_japan")
    assert other == pytest.approx(0.35 * shares.measure_share, rel=1e-6)
    assert s232 > 0.05  # cars and parts at 25%, steel and aluminium at 50%
    text = why_the_average(schedule, "japan", "Japan", ["ieepa_reciprocal_japan"])
    assert f"So the average, {tariff.total.text}, is {points(other)}" in text
    assert points(0.16107) == "16.1 points"


def test_the_clause_in_brief_gives_the_same_shares_as_the_sentence(inputs: Inputs) -> None:
    result = simulate(inputs, "escalation_35", "mfn_only")
    changed = ["ieepa_reciprocal_japan"]
    brief = why_in_brief(result.schedule, "japan", "Japan", changed)
    shares = rate_shares(result.schedule, "japan", "ieepa_reciprocal_japan")
    sentence = why_the_average(result.schedule, "japan", "Japan", changed)
    assert brief == (
        f"the scenario's rate on {percent(shares.measure_share)} of its exports, Section 232 "
        f"instead on {percent(shares.section232_share)}, neither on "
        f"{percent(shares.other_share)}"
    )
    assert percent(shares.measure_share) in sentence
    # No changed measure reaching the partner (the law as written): no clause.
    assert why_in_brief(result.schedule, "japan", "Japan", []) == ""
    assert why_in_brief(result.schedule, "japan", "Japan", ["section232_autos_vehicles"]) == ""
