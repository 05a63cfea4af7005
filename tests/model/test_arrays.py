"""Array helpers of the model: shares, row reductions, input checks and read-only views."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.arrays import (
    check,
    expenditure_shares,
    expm1_ratio,
    float_array,
    materialise,
    readonly,
    row_dot,
    row_nan_min_max,
)


def test_expenditure_shares_weigh_values_by_the_base_tariff_factor() -> None:
    shares = expenditure_shares(np.array([[30.0, 70.0], [0.0, 5.0]]), np.array([0.1, 0.0]))
    assert_allclose(shares, [[33.0 / 103.0, 70.0 / 103.0], [0.0, 1.0]], rtol=1e-15)


def test_a_market_without_spending_gets_equal_notional_shares() -> None:
    assert_array_equal(expenditure_shares(np.zeros((1, 4)), np.zeros(4)), [[0.25] * 4])


def test_materialise_copies_only_what_it_must() -> None:
    full = np.ones((2, 3))
    assert materialise(full, (2, 3)) is full
    row = np.array([1.0, 2.0, 3.0])
    grown = materialise(row, (2, 3))
    assert_array_equal(grown, [[1.0, 2.0, 3.0]] * 2)
    grown[0, 0] = 9.0  # writeable, and not a view of the input
    assert row[0] == 1.0


def test_row_nan_min_max_ignores_nan_and_gives_nan_for_an_empty_row() -> None:
    lo, hi = row_nan_min_max(np.array([[3.0, np.nan, -1.0], [np.nan, np.nan, np.nan]]))
    assert_array_equal(lo[:1], [-1.0])
    assert_array_equal(hi[:1], [3.0])
    assert np.isnan(lo[1]) and np.isnan(hi[1])


def test_row_dot_sums_products_over_the_last_axis_with_broadcasting() -> None:
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(row_dot(a, np.array([10.0, 1.0])), [12.0, 34.0])


def test_expm1_ratio_is_one_at_zero_and_exact_elsewhere() -> None:
    z = np.array([0.0, 1e-12, 1.0, -2.0])
    expected = [1.0, 1.0 + 5e-13, np.e - 1.0, (1.0 - np.exp(-2.0)) / 2.0]
    assert_allclose(expm1_ratio(z), expected, rtol=1e-14)


def test_float_array_names_the_input_that_is_not_numeric() -> None:
    assert_array_equal(float_array("v", [1, 2]), [1.0, 2.0])
    with pytest.raises(ValueError, match="v: expected numbers"):
        float_array("v", ["a", 1])


@pytest.mark.parametrize(
    ("value", "finite", "lower", "lower_open", "message"),
    [
        ([1.0, np.nan], False, 0.0, False, "x: expected numbers, found NaN"),
        ([1.0, np.inf], True, 0.0, False, "x: expected finite numbers"),
        ([0.5, -0.5], False, 0.0, False, "x: expected values >= 0, found -0.5"),
        ([0.5, 0.0], False, 0.0, True, "x: expected values > 0, found 0"),
    ],
)
def test_check_rejects_nan_inf_and_values_below_the_bound(
    value: list[float], finite: bool, lower: float, lower_open: bool, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check(np.array(value), "x", finite=finite, lower=lower, lower_open=lower_open)


def test_check_accepts_the_closed_bound_and_inf_when_allowed() -> None:
    check(np.array([0.0, np.inf]), "x", finite=False, lower=0.0, lower_open=False)


def test_readonly_gives_a_locked_view_and_leaves_the_original_writeable() -> None:
    a = np.zeros(3)
    view = readonly(a)
    with pytest.raises(ValueError):
        view[0] = 1.0
    a[0] = 2.0
    assert view[0] == 2.0


def test_source_sum_adds_the_last_axis_and_sums_a_repeated_base_once() -> None:
    from analysis.model.arrays import source_sum

    rng = np.random.default_rng(2)
    a = rng.normal(size=(7, 5, 4))
    assert_allclose(source_sum(a), a.sum(axis=-1), rtol=1e-14, atol=1e-14)
    base = rng.normal(size=(5, 4))
    repeated = np.broadcast_to(base, (1_000, 5, 4))  # a base amount for every draw
    total = source_sum(repeated)
    assert total.shape == (1_000, 5)
    assert_allclose(total, np.broadcast_to(base.sum(axis=-1), (1_000, 5)), atol=1e-14)
    # Each row's sum is the same whatever the number of rows summed with it.
    assert np.array_equal(source_sum(a)[:3], source_sum(a[:3]))
    assert source_sum(np.arange(4.0)) == 6.0
