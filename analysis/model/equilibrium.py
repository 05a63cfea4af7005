r"""The scalar equation of each market: :math:`G(x) = 0` for :math:`x = \ln\hat P`.

See :func:`solve_log_index`; :mod:`analysis.model.armington` states the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.model.arrays import BoolArray, FloatArray, row_nan_min_max

# A residual this large once the bracket has shrunk to a point means there is no equilibrium.
_RESIDUAL_LIMIT = 1e-9
# Markets whose bracket cannot be derived analytically are searched in ln P̂ ∈ [-50, 50].
_WIDE_BRACKET = 50.0
# When fewer than this share of the rows still iterate, copy them into a smaller working set.
_COMPRESS_FRACTION = 0.5


def solve_log_index(
    share: FloatArray,
    k: FloatArray,
    gap: FloatArray,
    rho: FloatArray,
    *,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, int]:
    """Solve :math:`G(x) = 0` for every row, where :math:`\\ln\\hat p_i = k_i + (1 - g_i) x`.

    With :math:`\\rho = 1 - \\sigma` and :math:`g_i = 1 - a_i \\ge 0` ("gap"),

    .. math::

        G(x) = \\frac{1}{\\rho}\\ln\\sum_i s_i e^{\\rho(\\ln\\hat p_i - x)}
             = \\frac{1}{\\rho}\\,\\mathrm{log1p}\\Big(\\sum_i s_i\\,
               \\mathrm{expm1}\\big(\\rho(k_i - g_i x)\\big)\\Big),
        \\qquad
        G'(x) = -\\sum_i \\omega_i g_i,

    written relative to :math:`x` so that nothing cancels near the root and the precision
    holds as :math:`\\sigma \\to 1`; at :math:`\\sigma = 1`, :math:`G = \\sum_i s_i (k_i - g_i x)`.
    :math:`G` is a generalised mean of :math:`\\ln\\hat p_i - x`, so
    :math:`G(\\max_i k_i/g_i) \\le 0 \\le G(\\min_i k_i/g_i)`: that bracket always holds a root,
    and Newton steps that leave it are replaced by bisection.

    Parameters are ``(rows, sources)`` except ``rho`` ``(rows,)``. Returns :math:`x = \\ln\\hat P`
    ``(rows,)`` and the number of iterations.
    """
    terms = _Terms.of(share, k, gap, rho)
    lower, upper = _bracket(share, k, gap)
    # First-order solution of x = Σ s (k + a x) as the starting point.
    x0 = np.divide(
        terms.sum_sk, terms.sum_sg, out=np.zeros(share.shape[0]), where=terms.sum_sg > 1e-12
    )
    x = np.clip(x0, lower, upper)
    return _newton(x, lower, upper, terms, tolerance=tolerance, max_iterations=max_iterations)


@dataclass(frozen=True)
class _Terms:
    """Row terms of :math:`G`: shares, :math:`\\rho k`, :math:`\\rho g`, :math:`s g` and sums."""

    share: FloatArray
    rk: FloatArray
    rg: FloatArray
    sg: FloatArray
    rho: FloatArray
    sum_sk: FloatArray
    sum_sg: FloatArray

    @staticmethod
    def of(share: FloatArray, k: FloatArray, gap: FloatArray, rho: FloatArray) -> _Terms:
        active = share > 0.0
        rho_col = rho[:, None]
        # Zero-share sources carry no weight; zeroing their exponents keeps them finite.
        rk = rho_col * k
        rg = rho_col * gap
        if not np.all(active):
            rk *= active
            rg *= active
        sg = share * gap
        sum_sk = np.einsum("ij,ij->i", share, k)
        return _Terms(share, rk, rg, sg, rho, sum_sk, np.einsum("ij->i", sg))

    def take(self, keep: BoolArray) -> _Terms:
        """The rows still iterating."""
        return _Terms(*(getattr(self, f)[keep] for f in self.__dataclass_fields__))


def _bracket(share: FloatArray, k: FloatArray, gap: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:math:`[\\min_i k_i/g_i, \\max_i k_i/g_i]` per row: it always holds the root."""
    active = share > 0.0
    eligible = active & (gap > 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = k / gap
    np.putmask(ratio, ~eligible, np.nan)
    lower, upper = row_nan_min_max(ratio)
    del ratio
    no_bound = np.isnan(lower)
    if np.any(no_bound):
        lower[no_bound] = 0.0
        upper[no_bound] = 0.0
    odd_sources = active & ~eligible
    if np.any(odd_sources):
        # A source with a_i = 1 and k_i ≠ 0 (a binding cap with η = 0) breaks the bracket.
        odd = np.any(odd_sources & (np.abs(k) > 1e-15), axis=1)
        lower[odd] = -_WIDE_BRACKET
        upper[odd] = _WIDE_BRACKET
    return lower, upper


def _newton(
    x: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    terms: _Terms,
    *,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, int]:
    """Safeguarded Newton on every row; converged rows leave the working set."""
    n_rows = x.shape[0]
    rows = np.arange(n_rows)
    w = terms
    w_x, w_lo, w_hi = x.copy(), lower, upper
    buffer = np.empty_like(terms.rk)
    iterations = 0
    while rows.size:
        if iterations >= max_iterations:
            raise RuntimeError(
                f"solve_market: {rows.size} market(s) did not converge in {max_iterations} "
                "Newton iterations"
            )
        iterations += 1
        g, dg = excess_log_index(
            w_x, w.share, w.rk, w.rg, w.sg, w.rho, w.sum_sk, w.sum_sg, buffer[: rows.size]
        )
        # G is non-increasing, so G > 0 means the root lies to the right of x.
        w_lo = np.where(g > 0.0, w_x, w_lo)
        w_hi = np.where(g < 0.0, w_x, w_hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = w_x - g / dg
        use_newton = (dg < 0.0) & (newton >= w_lo) & (newton <= w_hi)
        target = np.where(use_newton, newton, 0.5 * (w_lo + w_hi))
        collapsed = (w_hi - w_lo) <= 4.0 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(w_x))
        done = (g == 0.0) | (use_newton & (np.abs(target - w_x) <= tolerance)) | collapsed
        stuck = collapsed & (np.abs(g) > _RESIDUAL_LIMIT)
        if np.any(stuck):
            raise ValueError(
                f"solve_market: {int(np.count_nonzero(stuck))} market(s) have no equilibrium "
                "(typically a binding quantity cap with eta = 0 and no source able to expand)"
            )
        w_x = np.where(done & ~use_newton, w_x, target)
        x[rows] = w_x
        keep = ~done
        n_keep = int(np.count_nonzero(keep))
        if n_keep == 0:
            break
        if n_keep < _COMPRESS_FRACTION * rows.size:
            rows = rows[keep]
            w = w.take(keep)
            w_x, w_lo, w_hi = w_x[keep], w_lo[keep], w_hi[keep]
        elif n_keep < rows.size:
            # Converged rows stay in the (cheaper) working set with a zero-width bracket.
            w_lo = np.where(done, w_x, w_lo)
            w_hi = np.where(done, w_x, w_hi)
    return x, iterations


def excess_log_index(
    x: FloatArray,
    share: FloatArray,
    rk: FloatArray,
    rg: FloatArray,
    sg: FloatArray,
    rho: FloatArray,
    sum_sk: FloatArray,
    sum_sg: FloatArray,
    buffer: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """:math:`G(x)` and :math:`G'(x)` for every row (see :func:`solve_log_index`).

    ``rk`` and ``rg`` are :math:`\\rho k_i` and :math:`\\rho g_i`, ``sg`` is :math:`s_i g_i`;
    ``buffer`` is scratch space of the same shape, reused to avoid fresh allocations.
    """
    e = np.multiply(rg, x[:, None], out=buffer)
    np.subtract(rk, e, out=e)
    np.expm1(e, out=e)  # e_i = expm1(ρ(ln p̂_i − x)), so ω_i = s_i (1 + e_i)/(1 + Σ s_j e_j)
    mean_e = np.einsum("ij,ij->i", share, e)
    cobb_douglas = rho == 0.0
    g = np.divide(np.log1p(mean_e), rho, out=np.zeros_like(x), where=~cobb_douglas)
    if np.any(cobb_douglas):
        g = np.where(cobb_douglas, sum_sk - sum_sg * x, g)
    dg = -(sum_sg + np.einsum("ij,ij->i", sg, e)) / (1.0 + mean_e)
    return g, dg
