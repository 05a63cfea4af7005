"""The simulation glue on the real data: analytic checks, reproducibility, the VER, attribution."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.markets import load_market
from analysis.inputs.paths import PROJECT_DIR
from analysis.questions.attribution import attribute_layers
from analysis.questions.autos import ver_versus_tariff
from analysis.questions.custom_market import solve_custom_market
from analysis.questions.evidence import default_elasticities
from analysis.questions.methods import smart_comparison
from analysis.questions.simulate import simulate
from analysis.questions.uncertainty import monte_carlo, tornado


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


def test_the_ver_binds_and_its_tariff_equivalent_gives_the_same_volume(inputs: Inputs) -> None:
    ver = simulate(inputs, "ver_cars")
    i, j = ver.data.sector_index("mvh"), ver.data.partner_index("japan")
    assert ver.solution.cap_binds[i, j]
    assert ver.solution.quantity_change[i, j] == pytest.approx(0.923 - 1)
    table = ver_versus_tariff(ver)
    assert table["quantity_change"].iloc[0] == pytest.approx(table["quantity_change"].iloc[1])
    assert table["buyer_price_change"].iloc[0] == pytest.approx(table["buyer_price_change"].iloc[1])
    # The wedge is either quota rent (VER) or extra tariff revenue (tariff): the same dollars.
    extra_revenue = (
        table["tariff_revenue_on_sector_usd"].iloc[1]
        - table["tariff_revenue_on_sector_usd"].iloc[0]
    )
    assert table["quota_rent_usd"].iloc[0] == pytest.approx(extra_revenue, rel=1e-9)
    assert table["quota_rent_usd"].iloc[1] == 0.0


def test_layer_contributions_add_up_to_the_total(inputs: Inputs) -> None:
    table = attribute_layers(simulate(inputs, "july_2025"))
    layers = table[table["layer"] != "total"].drop(columns="layer").sum()
    total = table[table["layer"] == "total"].drop(columns="layer").iloc[0]
    np.testing.assert_allclose(layers.to_numpy(), total.to_numpy(), rtol=1e-9, atol=1e-3)
    assert {"Section 232", "Reciprocal baseline 10%"} <= set(table["layer"])


def test_the_monte_carlo_is_reproducible_with_a_seed_and_its_bands_are_ordered(
    inputs: Inputs,
) -> None:
    result = simulate(inputs, "deal_15")
    a = monte_carlo(result, n_draws=500, seed=7)
    b = monte_carlo(result, n_draws=500, seed=7)
    c = monte_carlo(result, n_draws=500, seed=8)
    assert a.draws.equals(b.draws)
    assert not a.draws.equals(c.draws)
    bands = a.percentiles()
    assert (bands["p10"] <= bands["p50"]).all() and (bands["p50"] <= bands["p90"]).all()
    sigma = a.draws["substitution_elasticity"]
    assert sigma.between(2.5, 5.1).all()


def test_the_tornado_ranks_parameters_by_swing(inputs: Inputs) -> None:
    table = tornado(simulate(inputs, "deal_15"), "japan_exports_value_change_usd")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert "substitution_elasticity" in set(table["parameter"])


def test_the_example_custom_market_solves() -> None:
    market = load_market(PROJECT_DIR / "params" / "markets" / "example_batteries.yaml")
    result = solve_custom_market(market)
    payload = result.payload()
    assert payload["sources"]["japan"]["buyer_price_change"] == pytest.approx(0.15)
    assert payload["price_index_change"] > 0
    assert payload["tariff_revenue"] > 0


def test_a_bad_custom_market_names_file_and_key(tmp_path: Path) -> None:
    from analysis.inputs.errors import InputError

    path = tmp_path / "m.yaml"
    path.write_text(
        "substitution_elasticity: 3\ndemand_elasticity: 1\n"
        "sources: [{name: a, base_value_usd: -5}]\n"
    )
    with pytest.raises(InputError, match=r"m.yaml: sources\[0\].base_value_usd"):
        load_market(path)


def test_exact_and_smart_agree_on_the_direction_of_every_partner(inputs: Inputs) -> None:
    table = smart_comparison(simulate(inputs, "deal_15"))
    assert (
        np.sign(table["exact_imports_change_usd"]) == np.sign(table["smart_imports_change_usd"])
    ).all()


def test_a_baseline_with_a_quota_is_refused(inputs: Inputs) -> None:
    from analysis.inputs.errors import InputError

    with pytest.raises(InputError, match=r"ver_cars.yaml: quotas"):
        simulate(inputs, "deal_15", "ver_cars")


def test_the_catalogue_of_headline_outcomes_matches_the_model(inputs: Inputs) -> None:
    from analysis.questions.outcomes import HEADLINE_OUTCOMES

    assert tuple(simulate(inputs, "deal_15").headline()) == HEADLINE_OUTCOMES


def test_evidence_beyond_the_infinite_elasticity_end_is_clamped_there(inputs: Inputs) -> None:
    import dataclasses
    import math

    from analysis.questions.evidence import fit_supply_elasticity

    cal = inputs.parameters.calibrations[0]
    fit = fit_supply_elasticity(
        inputs, dataclasses.replace(cal, observed_exporter_price_change=0.05)
    )
    assert fit.at_bound and math.isinf(fit.supply_elasticity)
    fit = fit_supply_elasticity(
        inputs, dataclasses.replace(cal, observed_exporter_price_change=-0.05)
    )
    assert not fit.at_bound and 0 < fit.supply_elasticity < math.inf
    assert fit.reachable_exporter_price_change == pytest.approx(-0.05, abs=1e-9)
