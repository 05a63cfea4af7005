"""The simulation glue on the real data: analytic limits, keys, households."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.evidence import default_elasticities
from analysis.questions.simulate import simulate


def test_a_scenario_against_itself_changes_nothing(inputs: Inputs) -> None:
    result = simulate(inputs, "july_2025", "july_2025")
    head = result.headline()
    for key in (
        "us_buyer_cost_usd",
        "deadweight_loss_usd",
        "japan_exports_value_change_usd",
        "tariff_revenue_change_usd",
        "car_units_change",
    ):
        assert head[key] == pytest.approx(0.0, abs=1e-3), key
    np.testing.assert_allclose(result.solution.quantity_change, 0.0, atol=1e-12)


def test_with_complete_pass_through_buyers_pay_the_whole_tariff(inputs: Inputs) -> None:
    full = default_elasticities(inputs, calibrated=False)
    result = simulate(inputs, "deal_15", elasticities=full)
    market = result.market
    tau = (1 + market.new_tariff_rate[:, :-1]) / (1 + market.base_tariff_rate[:, :-1])
    np.testing.assert_allclose(result.solution.buyer_price_change[:, :-1], tau - 1, atol=1e-12)
    np.testing.assert_allclose(result.solution.exporter_price_change[:, :-1], 0.0, atol=1e-12)


def test_the_car_evidence_puts_japanese_car_makers_on_a_vertical_supply_curve(
    inputs: Inputs,
) -> None:
    result = simulate(inputs, "july_2025")
    note = " ".join(result.elasticities.notes)
    assert "-19.4%" in note
    i, j = result.data.sector_index("mvh"), result.data.partner_index("japan")
    assert result.elasticities.supply_elasticity[i, j] == 0.0
    assert result.solution.quantity_change[i, j] == pytest.approx(0.0, abs=1e-12)
    assert result.solution.exporter_price_change[i, j] < -0.10


def test_higher_japan_rates_cost_japan_more_exports(inputs: Inputs) -> None:
    values = [
        simulate(inputs, n).headline()["japan_exports_value_change_usd"]
        for n in ("pause_expires", "letter_25", "escalation_30", "escalation_35")
    ]
    assert values == sorted(values, reverse=True)


def test_the_json_payload_has_every_documented_key(inputs: Inputs) -> None:
    payload = simulate(inputs, "deal_15").payload()
    assert set(payload["partners"]) == {
        "china",
        "canada",
        "mexico",
        "uk",
        "japan",
        "eu",
        "ftrow",
        "row",
    }
    for row in payload["partners"].values():
        assert set(row) >= {
            "exports_value_change_usd",
            "exports_value_change",
            "exports_volume_change",
            "tariff_revenue_usd",
        }
    assert set(payload["totals"]) >= {
        "tariff_revenue_usd",
        "us_buyer_cost_usd",
        "cost_per_household_usd",
        "deadweight_loss_usd",
        "net_us_welfare_usd",
        "japan_gdp_change",
        "car_units_change",
    }


def test_cost_per_household_is_the_buyer_cost_over_the_cited_household_count(
    inputs: Inputs,
) -> None:
    head = simulate(inputs, "deal_15").headline()
    assert head["cost_per_household_usd"] == pytest.approx(head["us_buyer_cost_usd"] / 131_434_000)


def test_a_baseline_with_a_quota_is_refused(inputs: Inputs) -> None:
    from analysis.inputs.errors import InputError

    with pytest.raises(InputError, match=r"ver_cars.yaml: quotas"):
        simulate(inputs, "deal_15", "ver_cars")


def test_the_catalogue_of_headline_outcomes_matches_the_model(inputs: Inputs) -> None:
    from analysis.questions.outcomes import HEADLINE_OUTCOMES

    assert tuple(simulate(inputs, "deal_15").headline()) == HEADLINE_OUTCOMES
