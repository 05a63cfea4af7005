r"""Supply: each source on its constant-elasticity supply curve, given the price index.

With :math:`z_i = -\sigma\ln\hat\tau_i + (\sigma-\eta)x`, an uncapped source has
:math:`\ln\hat w_i = z_i/(\varepsilon_i+\sigma)` and :math:`\ln\hat q_i =
\varepsilon_i z_i/(\varepsilon_i+\sigma)` (:mod:`analysis.model.armington`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.model.arrays import BoolArray, FloatArray, expenditure_shares, materialise
from analysis.model.market_inputs import MarketInputs


@dataclass(frozen=True)
class SupplyCurves:
    r"""Each uncapped source on its supply curve: :math:`\ln\hat p_i = k_i + a_i x`.

    ``inv`` is :math:`1/(\varepsilon+\sigma)`, ``b`` is :math:`\varepsilon/(\varepsilon+\sigma)`,
    ``gap`` is :math:`1 - a_i = (\varepsilon+\eta)/(\varepsilon+\sigma)`, ``k`` is
    :math:`b \ln\hat\tau_i`; ``core`` is :math:`\sigma - \eta`.
    """

    sig_s: FloatArray
    core: FloatArray
    log_tau: FloatArray
    inv: FloatArray
    b: FloatArray
    gap: FloatArray
    k: FloatArray
    share: FloatArray
    rho: FloatArray


def supply_curves(m: MarketInputs) -> SupplyCurves:
    """Closed-form supply response of every uncapped source to the price index."""
    # Elementwise work stays in the broadcast shape (small inputs are not copied); only the
    # solver's inputs are materialised as (rows, sources).
    sig_s = m.sig[..., None]
    log_tau = np.log1p(m.t1) - np.log1p(m.t0)
    # In-place arithmetic below: each fresh array of the size of a Monte Carlo run costs time.
    inv = materialise(m.eps + sig_s, m.shape)
    np.reciprocal(inv, out=inv)  # 1/(ε+σ); exactly 0 for ε = ∞
    b = np.multiply(sig_s, inv)
    np.subtract(1.0, b, out=b)  # ε/(ε+σ); 1 for ε = ∞ (no inf/inf appears)
    gap = np.multiply(m.et[..., None], inv)
    gap += b  # 1 − a_i = (ε+η)/(ε+σ), with a_i = d ln p̂_i / dx
    return SupplyCurves(
        sig_s=sig_s,
        core=sig_s - m.et[..., None],
        log_tau=log_tau,
        inv=inv,
        b=b,
        gap=gap,
        k=b * log_tau,
        share=expenditure_shares(m.value, m.t0),
        rho=np.broadcast_to(1.0 - m.sig, m.market_shape).reshape(m.n_rows),
    )


@dataclass(frozen=True)
class LogChanges:
    """Log changes of exporter price, quantity and buyer price; quota rent, tariff equivalent."""

    log_w: FloatArray
    log_q: FloatArray
    log_p: FloatArray
    rent: FloatArray
    t_eq: FloatArray
    cap_binds: BoolArray


def log_changes(m: MarketInputs, s: SupplyCurves, x: FloatArray) -> LogChanges:
    """Every source's price and quantity on its supply curve at the price index ``x``."""
    xs = x[..., None]
    # z = −σ ln τ̂ + (σ−η) x, so ln ŵ = z/(ε+σ) and ln q̂ = ε z/(ε+σ) on the supply curve.
    z = materialise(s.sig_s * s.log_tau, m.shape)
    np.subtract(s.core * xs, z, out=z)
    log_w = s.inv * z
    log_q = np.multiply(s.b, z, out=z)
    log_p = s.log_tau + log_w
    no_rent = np.broadcast_to(np.float64(0.0), m.shape)
    unbound = np.broadcast_to(np.False_, m.shape)
    return LogChanges(log_w, log_q, log_p, no_rent, np.broadcast_to(m.t1, m.shape), unbound)
