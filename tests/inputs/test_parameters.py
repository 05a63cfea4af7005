"""params/elasticities.yaml: cited elasticities with priors, checked against the scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.parameters import Prior, parse_parameters
from analysis.inputs.paths import PROJECT_DIR

SHIPPED = PROJECT_DIR / "params" / "elasticities.yaml"


def test_the_shipped_elasticities_are_the_cited_ones(inputs: Inputs) -> None:
    params = inputs.parameters
    sigma = params["substitution_elasticity"]
    assert (sigma.default, sigma.prior.low, sigma.prior.high) == (3.8, 2.5, 5.1)  # Bajzik et al.
    assert params.us_households == 131_434_000  # CPS ASEC 2023 (FRED TTLHH)
    assert params.calibrations[0].observed_exporter_price_change == pytest.approx(-0.194)


def test_priors_draw_inside_their_support() -> None:
    rng = np.random.default_rng(0)
    draws = Prior("triangular", 2.5, 3.8, 5.1).draw(rng, 10_000, 3.8)
    assert draws.min() >= 2.5 and draws.max() <= 5.1
    # The mean of a triangular distribution is (low + mode + high) / 3 = 3.8.
    assert abs(draws.mean() - 3.8) < 0.02
    assert (Prior("fixed", 0, 0, 0).draw(rng, 3, 2.0) == 2.0).all()


def _bad_prior(d: dict[str, Any]) -> None:
    d["substitution_elasticity"]["prior"] = {
        "distribution": "triangular",
        "low": 5,
        "mode": 3,
        "high": 4,
    }


def _unknown_scenario(d: dict[str, Any]) -> None:
    d["calibration"]["japan_cars"]["scenario"] = "no_such_scenario"


def _share_above_one(d: dict[str, Any]) -> None:
    d["partner_gdp"]["japan"]["domestic_value_added_share"] = 1.2


def _unknown_key(d: dict[str, Any]) -> None:
    d["colour"] = "red"


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (_bad_prior, "substitution_elasticity.prior"),
        (_unknown_scenario, "calibration.japan_cars.scenario"),
        (_share_above_one, "partner_gdp.japan.domestic_value_added_share"),
        (_unknown_key, "colour"),
    ],
)
def test_bad_parameters_name_file_and_key(
    inputs: Inputs, edit: Callable[[dict[str, Any]], None], key: str
) -> None:
    data: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    edit(data)
    with pytest.raises(InputError) as err:
        parse_parameters(Path("e.yaml"), data, inputs.catalog)
    assert str(err.value).startswith(f"e.yaml: {key}: expected")


def test_evidence_is_looked_up_by_its_statistic(inputs: Inputs) -> None:
    found = inputs.parameters.evidence_on("foreign_incidence")
    assert found.statistic == "foreign_incidence"
    assert [e for e in inputs.parameters.evidence if e.statistic == "foreign_incidence"] == [found]
    with pytest.raises(KeyError):
        inputs.parameters.evidence_on("no_such_statistic")
