"""The scalar price-index equation of each market, checked against closed forms and brentq."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import brentq

from analysis.model.equilibrium import _bracket, excess_log_index, solve_log_index

TOL = 1e-13


def solve(
    share: list[list[float]],
    k: list[list[float]],
    gap: list[list[float]],
    rho: list[float],
    max_iterations: int = 100,
) -> np.ndarray:
    x, _ = solve_log_index(
        np.array(share),
        np.array(k),
        np.array(gap),
        np.array(rho),
        tolerance=TOL,
        max_iterations=max_iterations,
    )
    return x


def g_by_hand(x: float, share: np.ndarray, k: np.ndarray, gap: np.ndarray, rho: float) -> float:
    """G(x) = ln(Σ s_i exp(ρ (k_i - g_i x))) / ρ, or Σ s_i (k_i - g_i x) when ρ = 0."""
    if rho == 0.0:
        return float(np.sum(share * (k - gap * x)))
    return float(np.log(np.sum(share * np.exp(rho * (k - gap * x)))) / rho)


def test_a_single_source_has_log_index_k_over_gap() -> None:
    assert_allclose(solve([[1.0]], [[0.3]], [[0.6]], [-2.0]), [0.5], rtol=1e-14)


def test_cobb_douglas_has_the_share_weighted_closed_form() -> None:
    # ρ = 0: G = Σ s (k - g x) = 0, so x = Σ s k / Σ s g.
    share, k, gap = [0.2, 0.3, 0.5], [0.1, -0.05, 0.2], [0.5, 1.0, 0.25]
    expected = np.dot(share, k) / np.dot(share, gap)
    assert_allclose(solve([share], [k], [gap], [0.0]), [expected], rtol=1e-14)


def test_fixed_exporter_prices_give_the_ces_price_index_of_the_tariff_factors() -> None:
    # ε = ∞: k = ln τ̂ and g = 1, so P̂^(1-σ) = Σ s τ̂^(1-σ).
    share, tau, sigma = np.array([0.25, 0.75]), np.array([1.3, 1.05]), 4.0
    expected = np.log(np.sum(share * tau ** (1 - sigma))) / (1 - sigma)
    x = solve([list(share)], [list(np.log(tau))], [[1.0, 1.0]], [1 - sigma])
    assert_allclose(x, [expected], rtol=1e-13)


@pytest.mark.parametrize("rho", [-5.0, -0.5, 0.7])
def test_two_sources_match_brentq_on_the_equation_written_out(rho: float) -> None:
    share, k, gap = np.array([0.4, 0.6]), np.array([0.2, -0.1]), np.array([0.3, 0.9])
    root = brentq(lambda x: g_by_hand(x, share, k, gap, rho), -5, 5, xtol=1e-15)
    x = solve([list(share)], [list(k)], [list(gap)], [rho])
    assert_allclose(x, [root], atol=1e-12)
    assert min(k / gap) <= x[0] <= max(k / gap)


def test_many_rows_solve_independently_of_each_other() -> None:
    rng = np.random.default_rng(11)
    n_rows, n_sources = 300, 4
    share = rng.dirichlet(np.ones(n_sources), n_rows)
    share[0, 1] = 0.0
    share[0] /= share[0].sum()
    k = rng.normal(0.0, 0.3, (n_rows, n_sources))
    k[0, 1] = 40.0  # a zero-share source: its price must not matter
    gap = rng.uniform(0.05, 1.5, (n_rows, n_sources))
    rho = rng.uniform(-8.0, 0.7, n_rows)
    rho[:5] = 0.0
    x, iterations = solve_log_index(share, k, gap, rho, tolerance=TOL, max_iterations=100)
    for row in range(n_rows):
        args = (share[row], k[row], gap[row], rho[row])
        root = brentq(lambda z, a=args: g_by_hand(z, *a), -10, 10, xtol=1e-15)
        assert x[row] == pytest.approx(root, abs=1e-11), row
    assert iterations < 20


def test_excess_log_index_and_its_slope_match_the_equation_written_out() -> None:
    share, k, gap, rho = np.array([0.3, 0.7]), np.array([0.25, -0.1]), np.array([0.4, 1.2]), -2.5
    x, h = 0.05, 1e-6
    g, dg = excess_log_index(
        np.array([x]),
        share[None],
        (rho * k)[None],
        (rho * gap)[None],
        (share * gap)[None],
        np.array([rho]),
        np.array([share @ k]),
        np.array([share @ gap]),
        np.empty((1, 2)),
    )
    assert_allclose(g, [g_by_hand(x, share, k, gap, rho)], rtol=1e-13)
    slope = (g_by_hand(x + h, share, k, gap, rho) - g_by_hand(x - h, share, k, gap, rho)) / (2 * h)
    assert_allclose(dg, [slope], rtol=1e-7)
    assert dg[0] < 0


def test_the_bracket_spans_the_ratios_k_over_gap_of_trading_sources() -> None:
    lower, upper = _bracket(
        np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]),
        np.array([[0.2, -0.3, 9.0], [0.0, 0.0, 0.0]]),
        np.array([[0.5, 1.0, 1.0], [0.0, 1.0, 1.0]]),
    )
    # Row 0: ratios 0.4 and -0.3 (the zero-share source is ignored); row 1: no ratio, k = 0.
    assert_allclose(lower, [-0.3, 0.0])
    assert_allclose(upper, [0.4, 0.0])


def test_a_source_with_no_gap_and_a_price_change_widens_the_bracket() -> None:
    lower, upper = _bracket(np.array([[0.5, 0.5]]), np.array([[0.1, 0.2]]), np.array([[0.0, 1]]))
    assert lower[0] == -50.0
    assert upper[0] == 50.0


def test_an_equation_without_a_root_is_reported() -> None:
    # G(x) = k > 0 for every x: no price index clears the market.
    with pytest.raises(ValueError, match="no equilibrium"):
        solve([[1.0]], [[0.5]], [[0.0]], [-1.0])


def test_too_few_iterations_raise_a_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="did not converge in 1 Newton"):
        solve([[0.4, 0.6]], [[0.2, -0.1]], [[0.3, 0.9]], [-5.0], max_iterations=1)
