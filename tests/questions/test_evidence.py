"""Supply elasticities fitted to the observed exporter prices."""

from __future__ import annotations

import math

from analysis.inputs.bundle import Inputs


def test_evidence_beyond_reach_is_reported_as_not_identified(inputs: Inputs) -> None:
    import dataclasses
    import math

    from analysis.questions.evidence import fit_supply_elasticity

    cal = inputs.parameters.calibrations[0]
    # An export price rise under a tariff rise: no elasticity can do that.
    rising = dataclasses.replace(
        cal, observed_exporter_price_change=0.05, observed_volume_change=None
    )
    fit = fit_supply_elasticity(inputs, rising)
    assert not fit.identified and math.isinf(fit.supply_elasticity)
    assert "not identified" in fit.note and "the prior is used instead" in fit.note


def test_japans_cars_are_fitted_to_price_and_volume_together(inputs: Inputs) -> None:
    from analysis.questions.evidence import fit_supply_elasticity

    fit = fit_supply_elasticity(inputs, inputs.parameters.calibrations[0])
    # The BoJ price (-19.4%) asks for a vertical supply curve, the MOF volume (-2.4%) for a
    # slightly sloped one: the least-squares fit sits between, inside the bounds.
    assert fit.identified and 0 < fit.supply_elasticity < 1
    assert -0.194 < fit.reachable_exporter_price_change < 0
    assert -0.024 < fit.reachable_volume_change < 0
    assert 0 < fit.rmse_log < 0.1 and "short-run" in fit.note


def test_the_calibration_table_reports_fits_and_the_suppliers_without_evidence(
    inputs: Inputs,
) -> None:
    from analysis.questions.evidence import calibration_table

    table = calibration_table(inputs).set_index("partner")
    assert table.loc["japan", "fit"] == "identified"
    assert 0 < table.loc["japan", "rmse_log"] < 0.1
    for partner in ("eu", "mexico", "canada", "ftrow"):
        assert table.loc[partner, "fit"].startswith("not identified")


def test_the_focus_fit_is_the_one_the_default_elasticities_use(inputs: Inputs) -> None:
    from analysis.inputs.focus import Focus
    from analysis.questions.evidence import calibrated_supply_elasticity, default_elasticities

    cars = Focus("japan", "mvh")
    fitted = calibrated_supply_elasticity(inputs, cars)
    used = default_elasticities(inputs).supply_elasticity
    i, j = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    assert fitted == used[i, j] and 0 < fitted < float("inf")
    # No calibration entry for China's machinery: no fit to report.
    assert math.isnan(calibrated_supply_elasticity(inputs, Focus("china", "ome")))
