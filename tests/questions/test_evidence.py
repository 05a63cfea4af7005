"""Supply elasticities fitted to the observed exporter prices."""

from __future__ import annotations

import math

import pytest

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
    from analysis.questions.evidence import calibrated_supply_fit, default_elasticities

    cars = Focus("japan", "mvh")
    fit = calibrated_supply_fit(inputs, cars)
    used = default_elasticities(inputs).supply_elasticity
    i, j = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    assert (fit.partner, fit.sector) == ("japan", "mvh")
    assert fit.supply_elasticity == used[i, j] and 0 < fit.supply_elasticity < math.inf
    # No calibration entry for China's machinery: no fit to report.
    with pytest.raises(KeyError):
        calibrated_supply_fit(inputs, Focus("china", "ome"))


def test_the_long_run_elasticity_is_found_by_sector(inputs: Inputs) -> None:
    from analysis.questions.evidence import (
        long_run_supply_elasticities,
        long_run_supply_elasticity,
    )

    assert long_run_supply_elasticity(inputs.parameters, "mvh") in long_run_supply_elasticities(
        inputs.parameters
    )
    with pytest.raises(KeyError):
        long_run_supply_elasticity(inputs.parameters, "ome")


def test_the_long_run_car_elasticity_is_read_off_the_cited_tariff_equivalents(
    inputs: Inputs,
) -> None:
    import math

    import numpy as np

    from analysis.questions.evidence import default_elasticities, long_run_supply_elasticities

    (lr,) = long_run_supply_elasticities(inputs.parameters)
    ev = lr.evidence
    assert lr.sector == "mvh" and ev.cap_share == 0.923
    # By hand: 1/eps = ln(1 + t) / -ln(0.923) - 1/3.8; t = 14% gives 1.6352 - 0.2632 = 1.3721.
    assert lr.central == pytest.approx(1 / 1.3721, rel=1e-3)
    assert lr.central == pytest.approx(
        1 / (math.log1p(ev.tariff_equivalent_mode) / -math.log(0.923) - 1 / 3.8), rel=1e-12
    )
    assert lr.low < lr.central < lr.high  # the highest tariff equivalent, the lowest elasticity
    long_run = default_elasticities(inputs, horizon="long_run").supply_elasticity
    short_run = default_elasticities(inputs, horizon="short_run").supply_elasticity
    mvh = inputs.data.sector_index("mvh")
    # Every partner's cars take the long-run value; US producers and other sectors are as before.
    assert (long_run[mvh, :-1] == lr.central).all()
    assert long_run[mvh, -1] == short_run[mvh, -1]
    others = np.arange(len(inputs.data.sectors)) != mvh
    assert (long_run[others] == short_run[others]).all()
    # The one-year fit to 2025 is far less elastic than the long run.
    assert short_run[mvh, inputs.data.partner_index("japan")] < lr.low / 5


def test_a_ver_is_worth_the_1980s_tariff_equivalent_in_the_long_run_only(inputs: Inputs) -> None:
    from dataclasses import replace

    from analysis.questions.simulate import simulate

    ver = simulate(inputs, "ver_cars")
    short = simulate(inputs, replace(ver.scenario, horizon="short_run"))
    (quota,), (quota_short,) = ver.payload()["quotas"], short.payload()["quotas"]
    assert quota["binds"] and quota["supply_response"] == "long run (literature)"
    # The published 12-20% plus the MFN rate the cars paid before, in a model whose demand for
    # Japan is a little less elastic than sigma (Japan moves the price index).
    assert 0.12 < quota["ver_tariff_equivalent"] < 0.30
    assert quota_short["ver_tariff_equivalent"] > 2  # hundreds of percent in one year
    assert 0 < quota["quota_rent_usd"] < quota_short["quota_rent_usd"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.729, "0.73"),
        (0.0571, "0.057"),
        (0.497, "0.50"),
        (0.869, "0.87"),
        (3.8, "3.8"),
        (12.0, "12"),
    ],
)
def test_an_elasticity_is_shown_to_two_significant_figures(value: float, shown: str) -> None:
    from analysis.questions.evidence import elasticity_text

    assert elasticity_text(value) == shown


def test_the_calibration_notes_show_no_false_precision_and_no_symbol(inputs: Inputs) -> None:
    # FINDINGS5 #13/#11: "0.729 (range 0.497 to 0.869) ... sigma = 3.8" and "0.0571" read as
    # 0.73 (0.50 to 0.87), "elasticity of substitution of 3.8" and 0.057.
    import re

    from analysis.questions.evidence import fit_supply_elasticity, long_run_supply_elasticities

    notes = [le.note for le in long_run_supply_elasticities(inputs.parameters)]
    notes += [fit_supply_elasticity(inputs, cal).note for cal in inputs.parameters.calibrations]
    assert notes
    for note in notes:
        assert "sigma" not in note, note
        for number in re.findall(r"elasticity (?:of substitution (?:of )?)?(\d+\.?\d*)", note):
            digits = number.replace(".", "").lstrip("0")
            assert len(digits) <= 2, (number, note)
    assert any("elasticity of substitution of 3.8" in note for note in notes)
