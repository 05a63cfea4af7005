"""Trade creation and diversion: the one rule shared by the exact model and SMART."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import random_markets
from numpy.testing import assert_allclose, assert_array_equal

from analysis.model.armington import solve_market
from analysis.model.diversion import trade_creation_and_diversion


def test_creation_is_the_change_in_total_imports_and_diversion_nets_to_zero() -> None:
    inputs = random_markets(np.random.default_rng(7))
    solution = solve_market(**inputs)
    change = solution.new_value_usd - solution.base_value_usd
    assert_allclose(solution.trade_creation_usd, np.sum(change[..., :-1], axis=-1))
    assert_allclose(np.sum(solution.trade_diversion_usd, axis=-1), 0.0, atol=1e-9)
    assert_array_equal(solution.trade_diversion_usd[..., -1], 0.0)
    imports = solution.base_value_usd[..., :-1]
    share = imports / np.sum(imports, axis=-1, keepdims=True)
    expected = change[..., :-1] - share * solution.trade_creation_usd[..., None]
    assert_allclose(solution.trade_diversion_usd[..., :-1], expected, atol=1e-9)
    assert np.abs(expected).max() > 1.0


def test_diversion_is_change_beyond_the_base_share_of_creation() -> None:
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=[-30.0, 10.0, 5.0, 99.0],
        base_value_usd=[50.0, 30.0, 20.0, 500.0],
        is_foreign=[True, True, True, False],
    )
    assert creation == pytest.approx(-15.0)
    assert_allclose(diversion, [-30 + 7.5, 10 + 4.5, 5 + 3.0, 0.0])


def test_a_per_cell_foreign_mask_gives_the_same_split_as_a_per_source_mask() -> None:
    dv = np.array([[-30.0, 10.0, 5.0, 99.0], [4.0, -1.0, 0.0, -7.0]])
    v = np.array([[50.0, 30.0, 20.0, 500.0], [10.0, 10.0, 0.0, 80.0]])
    mask = np.array([True, True, True, False])
    by_source = trade_creation_and_diversion(value_change_usd=dv, base_value_usd=v, is_foreign=mask)
    by_cell = trade_creation_and_diversion(
        value_change_usd=dv, base_value_usd=v, is_foreign=np.broadcast_to(mask, dv.shape)
    )
    assert_allclose(by_source[0], [-15.0, 3.0])
    assert_allclose(by_cell[0], by_source[0])
    assert_allclose(by_cell[1], by_source[1])
    # Second market: shares 1/2, 1/2, 0 of creation 3.
    assert_allclose(by_source[1][1], [4.0 - 1.5, -1.0 - 1.5, 0.0, 0.0])


def test_a_market_without_base_imports_has_diversion_equal_to_its_import_change() -> None:
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=[[0.0, 0.0, 3.0]],
        base_value_usd=[[0.0, 0.0, 40.0]],
        is_foreign=[True, True, False],
    )
    assert_array_equal(creation, [0.0])
    assert_array_equal(diversion, [[0.0, 0.0, 0.0]])


def test_a_source_that_keeps_its_import_share_diverts_nothing() -> None:
    # Every foreign source grows by 10%: imports grow, shares do not move.
    base = np.array([20.0, 30.0, 50.0, 400.0])
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=0.1 * base, base_value_usd=base, is_foreign=[True, True, True, False]
    )
    assert creation == pytest.approx(10.0)
    assert_allclose(diversion, 0.0, atol=1e-12)


def test_draws_of_value_changes_split_against_one_base() -> None:
    dv = np.array([[[6.0, -2.0, 1.0]], [[0.0, 4.0, -1.0]]])  # (draws, markets, sources)
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=dv, base_value_usd=[[30.0, 10.0, 5.0]], is_foreign=[True, True, False]
    )
    assert creation.shape == (2, 1)
    assert_allclose(creation[:, 0], [4.0, 4.0])
    # Import shares 3/4 and 1/4.
    assert_allclose(diversion[0, 0], [6.0 - 3.0, -2.0 - 1.0, 0.0])
    assert_allclose(diversion[1, 0], [0.0 - 3.0, 4.0 - 1.0, 0.0])
