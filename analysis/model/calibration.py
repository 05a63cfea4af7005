r"""Calibrate a source's export supply elasticity to an observed exporter-price change.

If exporters cut their prices by a known amount after a tariff rise (for example the Bank of
Japan's export price index for passenger cars to North America fell 19.4% year on year in June
2025 while the US tariff on Japanese cars went from 2.5% to 27.5%), the supply elasticity
:math:`\varepsilon` of that source in the exact Armington model (:mod:`analysis.model.armington`) is
the one that reproduces the cut:

.. math::

    \hat w_j(\varepsilon) - 1 = \text{observed change}, \qquad
    \ln\hat w_j = \frac{-\sigma\ln\hat\tau_j + (\sigma - \eta)\ln\hat P(\varepsilon)}
                       {\varepsilon + \sigma}

For a tariff rise the exporter price falls most with :math:`\varepsilon = 0` (the exporter
absorbs everything the market will not bear) and not at all with :math:`\varepsilon = \infty`,
so the reachable targets lie between those two equilibria; outside them no
:math:`\varepsilon \in [0, \infty]` fits and a ``ValueError`` says so. The root is found with
:func:`scipy.optimize.brentq` on :math:`\ln\varepsilon`.

Caveat for users: an export price index measured in the exporter's currency also moves with the
exchange rate; remove that before calibrating.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.model.armington import solve_market, solve_prices_and_quantities
from analysis.model.market import Market

#: Search range of ln ε for the root finder; beyond it ε is reported as 0 or ∞.
LOG_ELASTICITY_RANGE = (-25.0, 25.0)


def calibrate_supply_elasticity(
    observed_exporter_price_change: float,
    *,
    market: Market,
    sigma: float,
    eta: float,
    supply_elasticity: npt.ArrayLike,
    source: str,
    xtol: float = 1e-12,
    clamp: bool = False,
) -> float:
    """The supply elasticity of one source that reproduces its observed exporter-price change.

    Solves :math:`\\hat w_j(\\varepsilon_j) - 1 = c` for :math:`\\varepsilon_j` in one market,
    holding every other input (including the other sources' supply elasticities) fixed.

    Parameters
    ----------
    observed_exporter_price_change
        :math:`c`, the fractional change in the source's exporter price (``-0.194`` for −19.4%).
    market
        One market (:meth:`Market.one_sector`): ``(n_sources,)`` arrays, US producers flagged.
    supply_elasticity
        ``(n_sources,)``; the entry of the calibrated source is ignored.
    sigma, eta
        Scalars: substitution elasticity and composite demand elasticity of the market.
    source
        The name of the source whose elasticity is calibrated (foreign, with a tariff change).
    xtol
        Absolute tolerance on :math:`\\ln\\varepsilon`.
    clamp
        If True, a target beyond what :math:`\\varepsilon \\in [0, \\infty]` can produce
        returns the nearer end (0 or ``inf``) instead of raising.

    Returns
    -------
    float
        :math:`\\varepsilon_j \\in [0, \\infty]` (``0.0`` or ``math.inf`` at the ends).

    Raises
    ------
    ValueError
        If the arrays are not one market, or the target lies outside the exporter-price changes
        that :math:`\\varepsilon \\in [0, \\infty]` can produce.
    """
    target = float(observed_exporter_price_change)
    if not math.isfinite(target) or target <= -1.0:
        raise ValueError(
            f"observed_exporter_price_change: expected a finite fraction > -1, found {target}"
        )
    exporter_price_change = _ExporterPrice(
        market=market,
        sigma=sigma,
        eta=eta,
        supply_elasticity=supply_elasticity,
        source_index=market.source_index(source),
    )
    return _root(exporter_price_change, target, xtol=xtol, clamp=clamp)


class _ExporterPrice:
    """The source's exporter-price change as a function of its supply elasticity."""

    def __init__(
        self,
        *,
        market: Market,
        sigma: float,
        eta: float,
        supply_elasticity: npt.ArrayLike,
        source_index: int,
    ) -> None:
        value = np.asarray(market.base_value_usd, dtype=np.float64)
        if value.ndim != 1:
            raise ValueError(
                "base_value_usd: expected the (n_sources,) array of one market, "
                f"found {value.shape}"
            )
        n_sources = value.shape[0]
        if not -n_sources <= source_index < n_sources:
            raise ValueError(
                f"source_index: expected an index into {n_sources} sources, found {source_index}"
            )
        if bool(market.is_domestic[source_index]):
            raise ValueError("source: the calibrated source must be foreign, not domestic")
        self.eps = np.broadcast_to(
            np.array(supply_elasticity, dtype=np.float64), value.shape
        ).copy()
        self.source_index = source_index
        self.market: dict[str, Any] = {**market.solver_arguments(), "sigma": sigma, "eta": eta}

    def __call__(self, elasticity: float) -> float:
        self.eps[self.source_index] = elasticity
        solution = solve_market(**self.market, supply_elasticity=self.eps)
        return float(solution.exporter_price_change[self.source_index])


def _root(
    exporter_price_change: _ExporterPrice, target: float, *, xtol: float, clamp: bool
) -> float:
    """Brent's method on :math:`\\ln\\varepsilon` between the two ends of what ε can do."""
    # The two ends of what ε can do: fixed quantity (ε = 0) and fixed price (ε = ∞).
    at_zero = exporter_price_change(0.0)
    at_infinity = exporter_price_change(math.inf)
    if at_zero == at_infinity:
        raise ValueError(
            "the exporter price of this source does not depend on its supply elasticity "
            f"(it is {at_zero:+.4f} for every elasticity); nothing to calibrate"
        )
    low_end, high_end = min(at_zero, at_infinity), max(at_zero, at_infinity)
    slack = 1e-12 * max(1.0, abs(target))
    if not low_end - slack <= target <= high_end + slack:
        if clamp:
            return 0.0 if abs(at_zero - target) <= abs(at_infinity - target) else math.inf
        raise ValueError(
            f"observed_exporter_price_change {target:+.4f} is outside what a supply elasticity "
            f"in [0, inf] can produce in this market: from {at_zero:+.4f} (elasticity 0) to "
            f"{at_infinity:+.4f} (elasticity inf). Check the tariff change, sigma and eta."
        )

    def gap(log_elasticity: float) -> float:
        return exporter_price_change(math.exp(log_elasticity)) - target

    lo, hi = LOG_ELASTICITY_RANGE
    if gap(lo) * gap(hi) > 0.0:
        # The target sits in the sliver between ε = e^-25 and 0, or between e^25 and ∞.
        return 0.0 if abs(at_zero - target) <= abs(at_infinity - target) else math.inf
    # Imported here: a build's command line imports this module (through the tables its
    # index's data pages describe) but never fits; scipy.optimize would cost it ~0.5 s of CPU.
    from scipy.optimize import brentq

    root = brentq(gap, lo, hi, xtol=xtol, maxiter=200)
    return math.exp(float(root))


#: ln(elasticity) grid of the joint fit (plus the two ends, 0 and infinity).
_LOG_GRID = np.linspace(-8.0, 8.0, 97)


def fit_to_price_and_volume(
    *,
    observed_price_change: float,
    observed_volume_change: float | None,
    market: Market,
    sigma: npt.ArrayLike,
    eta: npt.ArrayLike,
    supply_elasticity: npt.ArrayLike,
    source: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least-squares supply elasticity of one source to its price and volume evidence.

    Minimises, over :math:`\\varepsilon \\in [0, \\infty]`, the sum of squared log errors
    :math:`(\\ln \\hat w(\\varepsilon) - \\ln(1 + c_p))^2 + (\\ln \\hat q(\\varepsilon) -
    \\ln(1 + c_q))^2` (the second term only with volume evidence). One market; ``sigma``,
    ``eta`` and ``supply_elasticity`` may carry leading draw axes ``(...)`` and every draw is
    fitted at once: the errors are evaluated on a grid of :math:`\\ln\\varepsilon` in
    [-8, 8] and at 0 and infinity, and the minimum is refined by a parabola through its
    neighbours.

    Returns ``(elasticity, root mean squared log error, at_bound)``, each of shape ``(...)``;
    ``at_bound`` is True where the best fit is 0, infinity or the edge of the grid (the
    evidence does not pin the elasticity down).
    """
    sig = np.asarray(sigma, dtype=np.float64)
    et = np.asarray(eta, dtype=np.float64)
    eps = np.asarray(supply_elasticity, dtype=np.float64)
    lead = np.broadcast_shapes(sig.shape, et.shape, eps.shape[:-1])
    source_index = market.source_index(source)
    arguments: dict[str, Any] = {
        **market.solver_arguments(),
        "sigma": np.broadcast_to(sig, lead),
        "eta": np.broadcast_to(et, lead),
    }
    targets = (
        math.log1p(observed_price_change),
        None if observed_volume_change is None else math.log1p(observed_volume_change),
    )

    def errors(log_eps: np.ndarray) -> np.ndarray:
        """Squared log errors for candidate ln(elasticity) of shape (k, *lead)."""
        trial = np.broadcast_to(eps, (log_eps.shape[0], *lead, eps.shape[-1])).copy()
        trial[..., source_index] = np.exp(log_eps)
        # Only the fitted source's price and quantity: the rest of the solution is not needed.
        price_change, quantity_change = solve_prices_and_quantities(
            **arguments, supply_elasticity=trial
        )
        total = (np.log1p(price_change[..., source_index]) - targets[0]) ** 2
        if targets[1] is not None:
            total = total + (np.log1p(quantity_change[..., source_index]) - targets[1]) ** 2
        return np.asarray(total)

    candidates = np.concatenate([[-np.inf], _LOG_GRID, [np.inf]])
    grid = np.broadcast_to(candidates.reshape((-1,) + (1,) * len(lead)), (len(candidates), *lead))
    log_fit, at_bound = _grid_minimum(candidates, errors(np.array(grid)))
    n_obs = 1 if targets[1] is None else 2
    rmse = np.sqrt(errors(log_fit[None])[0] / n_obs)
    return np.exp(log_fit), rmse, at_bound


def _grid_minimum(candidates: np.ndarray, errors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ln(elasticity) at the minimum over the first axis, refined by a parabola through its
    neighbours, and whether it lies at a bound (0, infinity or the grid's edge)."""
    best = np.argmin(errors, axis=0)
    at_bound = (best <= 1) | (best >= len(candidates) - 2)
    inner = np.clip(best, 2, len(candidates) - 3)

    def take(k: np.ndarray) -> np.ndarray:
        return np.asarray(np.take_along_axis(errors, k[None], axis=0)[0])

    left, mid, right = take(inner - 1), take(inner), take(inner + 1)
    step = candidates[3] - candidates[2]
    curvature = left - 2 * mid + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(curvature > 0, 0.5 * (left - right) / curvature, 0.0)
    refined = candidates[inner] + np.clip(shift, -1, 1) * step
    return np.where(at_bound, candidates[best], refined), at_bound
