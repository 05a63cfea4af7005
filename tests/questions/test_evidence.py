"""Supply elasticities fitted to the observed exporter prices."""

from __future__ import annotations

import pytest

from analysis.inputs.bundle import Inputs


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
