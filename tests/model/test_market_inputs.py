"""The checked, broadcast inputs of solve_market: shapes, caps, the domestic source."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from analysis.model.market_inputs import MarketInputs, validated_inputs


def inputs(**change: Any) -> MarketInputs:
    args: dict[str, Any] = {
        "base_value_usd": [1.0, 2.0, 3.0],
        "base_tariff_rate": 0.0,
        "new_tariff_rate": [0.1, 0.0, 0.0],
        "sigma": 2.0,
        "eta": 1.0,
        "supply_elasticity": 1.0,
        "quantity_cap": None,
        "domestic_index": 2,
        **change,
    }
    return validated_inputs(*args.values())


def test_draws_of_sigma_and_eta_broadcast_against_per_source_arrays() -> None:
    m = inputs(
        base_value_usd=np.ones((2, 3)),
        sigma=np.full((4, 2), 2.0),
        eta=np.ones((4, 1)),
        domestic_index=None,
    )
    assert m.shape == (4, 2, 3)
    assert m.market_shape == (4, 2)
    assert m.n_rows == 8
    assert m.rows_of(np.arange(3.0)).shape == (8, 3)
    assert_array_equal(m.rows_of(np.arange(3.0))[5], [0.0, 1.0, 2.0])


def test_the_domestic_source_is_a_mask_and_may_be_counted_from_the_end() -> None:
    assert_array_equal(inputs().is_domestic, [False, False, True])
    assert_array_equal(inputs(domestic_index=-1).is_domestic, [False, False, True])
    assert not inputs(domestic_index=None).is_domestic.any()


def test_an_infinite_cap_means_no_cap_and_no_finite_cap_means_none() -> None:
    m = inputs(quantity_cap=[0.9, np.inf, np.nan])
    assert m.cap is not None
    assert m.cap[0] == 0.9
    assert np.isnan(m.cap[1:]).all()
    assert inputs(quantity_cap=[np.inf, np.nan, np.nan]).cap is None


def test_bounds_that_are_allowed() -> None:
    # Zero trade, zero demand elasticity and infinite supply elasticity are all legitimate.
    m = inputs(base_value_usd=[0.0, 0.0, 1.0], eta=0.0, supply_elasticity=np.inf)
    assert m.shape == (3,)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_value_usd": [1.0, np.inf, 1.0]}, "base_value_usd: expected finite"),
        ({"base_tariff_rate": -1.0}, "base_tariff_rate: expected values > -1"),
        ({"sigma": "two"}, "sigma: expected numbers"),
        ({"eta": np.nan}, "eta: expected numbers, found NaN"),
        ({"supply_elasticity": -0.1}, "supply_elasticity: expected values >= 0"),
        ({"quantity_cap": [-0.5, np.nan, np.nan]}, "quantity_cap: expected > 0"),
        ({"quantity_cap": [np.nan, np.nan, 0.5]}, "cap applies to imports"),
        ({"base_tariff_rate": [0.0, 0.0, 0.1]}, "domestic source must have a zero tariff"),
        ({"domestic_index": -4}, "domestic_index: expected an index into 3 sources"),
        ({"base_value_usd": np.ones((2, 3)), "sigma": [2.0, 3.0, 4.0]}, "do not broadcast"),
    ],
)
def test_bad_inputs_are_rejected_with_a_message_naming_them(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        inputs(**change)


def test_scalar_inputs_without_a_source_axis_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least one source"):
        inputs(base_value_usd=1.0, new_tariff_rate=0.0, domestic_index=None)
