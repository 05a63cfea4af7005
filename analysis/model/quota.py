r"""Quotas (voluntary export restraints): which caps bind, and the rent they create.

A binding source sells its cap :math:`\hat q^{cap}_i`; buyers pay the inverse-demand price
:math:`\ln\hat p_i = ((\sigma-\eta)x - \ln\hat q^{cap}_i)/\sigma`, exporters receive the
supply price :math:`\hat w_i = (\hat q^{cap}_i)^{1/\varepsilon_i}`, and the wedge is their
quota rent (:mod:`analysis.model.armington`).
"""

from __future__ import annotations

import numpy as np

from analysis.model.arrays import BoolArray, FloatArray
from analysis.model.equilibrium import solve_log_index
from analysis.model.market_inputs import MarketInputs
from analysis.model.supply import LogChanges, SupplyCurves


def equilibrium_with_caps(
    m: MarketInputs, cap: FloatArray, s: SupplyCurves, tolerance: float, max_iterations: int
) -> tuple[FloatArray, BoolArray, int]:
    r"""Active set: solve, bind the caps that are exceeded, drop those no longer exceeded.

    A binding source sells its cap: :math:`\ln\hat p_i = ((\sigma-\eta)x - \ln\hat
    q^{cap}_i)/\sigma`, i.e. :math:`k_i = -\ln\hat q^{cap}_i/\sigma`,
    :math:`1 - a_i = 1 - (\sigma-\eta)/\sigma`.
    """
    has_cap = np.broadcast_to(~np.isnan(cap), m.shape)
    log_cap = np.broadcast_to(np.log(np.where(np.isnan(cap), 1.0, cap)), m.shape)
    k_capped = -log_cap / s.sig_s
    gap_capped = np.broadcast_to(1.0 - s.core / s.sig_s, m.shape)
    binding = np.zeros(m.shape, dtype=bool)
    iterations = 0
    for _round in range(m.shape[-1] + 2):
        x_rows, used = solve_log_index(
            m.rows_of(s.share),
            m.rows_of(np.where(binding, k_capped, s.k)),
            m.rows_of(np.where(binding, gap_capped, s.gap)),
            s.rho,
            tolerance=tolerance,
            max_iterations=max_iterations,
        )
        iterations += used
        x = x_rows.reshape(m.market_shape)
        free_log_q = s.b * (s.core * x[..., None] - s.sig_s * s.log_tau)
        new_binding = has_cap & (free_log_q > log_cap + 1e-12)
        if np.array_equal(new_binding, binding):
            return x, binding, iterations
        binding = new_binding
    raise RuntimeError("quantity caps: the set of binding caps did not settle")


def at_caps(
    m: MarketInputs,
    cap: FloatArray,
    s: SupplyCurves,
    x: FloatArray,
    binding: BoolArray,
    free: LogChanges,
) -> LogChanges:
    r"""Binding sources sell their cap; buyers pay the inverse-demand price.

    The wedge between what buyers pay and the tariff-inclusive supply price is
    :math:`(1+t_0)\hat p - (1+t_1)\hat w` per unit. The exporter charges the customs price
    :math:`c = (1+t_0)\hat p/(1+t_1)`, so the duty is levied on :math:`c` and the quota rent
    the exporter keeps is :math:`c - \hat w`, the wedge over :math:`1+t_1`: the rest of the
    wedge, :math:`t_1 (c - \hat w)`, is US tariff revenue.
    """
    log_cap = np.broadcast_to(np.log(np.where(np.isnan(cap), 1.0, cap)), m.shape)
    eps_full = np.broadcast_to(m.eps, m.shape)
    t0, t1 = m.t0, m.t1
    with np.errstate(divide="ignore", invalid="ignore"):
        log_w_capped = np.where(np.isinf(eps_full), 0.0, log_cap / eps_full)
        log_w = np.where(binding, log_w_capped, free.log_w)
        log_q = np.where(binding, log_cap, free.log_q)
        log_p = np.where(binding, (s.core * x[..., None] - log_cap) / s.sig_s, free.log_p)
        wedge = (1.0 + t0) * np.exp(log_p) - (1.0 + t1) * np.exp(log_w)
        rent = np.where(binding, m.value * np.exp(log_q) * wedge / (1.0 + t1), 0.0)
        t_eq = np.where(binding, (1.0 + t0) * np.exp(log_p - log_w) - 1.0, t1)
    return LogChanges(log_w, log_q, log_p, rent, t_eq, binding)


def tariff_equivalent_closed_form(
    cap_quantity_ratio: FloatArray | float,
    supply_elasticity: FloatArray | float,
    demand_elasticity: FloatArray | float,
    base_tariff_rate: FloatArray | float = 0.0,
) -> FloatArray:
    r"""The ad valorem tariff that cuts a source's sales to its cap, in closed form.

    With linear-in-logs (constant-elasticity) supply :math:`\ln\hat q = \varepsilon\ln\hat w`
    and demand for the source :math:`\ln\hat q = -\eta_o \ln\hat p`, a cap :math:`\hat q` sets
    the supply price :math:`\hat w = \hat q^{1/\varepsilon}` and the buyers' price
    :math:`\hat p = \hat q^{-1/\eta_o}`; a tariff :math:`t^*` with the same outcome must fill
    the wedge, :math:`(1+t^*)\hat w = (1+t_0)\hat p`:

    .. math::

        1 + t^* = (1 + t_0)\,\hat q^{-(1/\varepsilon + 1/\eta_o)}.

    :math:`\eta_o` is the demand elasticity the source faces: the market's :math:`\eta` when
    the source is the whole market, the Armington :math:`\sigma` when it is too small to move
    the price index. The model (:func:`at_caps`) solves the general case; this is its limit
    and a check on it. The smaller the supply elasticity, the larger the equivalent tariff:
    exporters who would not cut volume for a tariff need a very large one to sell less.
    """
    q = np.asarray(cap_quantity_ratio, dtype=float)
    if (q <= 0).any():
        raise ValueError("the cap must be a positive share of base sales")
    exponent = 1.0 / np.asarray(supply_elasticity, float) + 1.0 / np.asarray(
        demand_elasticity, float
    )
    return np.asarray((1.0 + np.asarray(base_tariff_rate, float)) * q ** (-exponent) - 1.0)


def supply_elasticity_for_tariff_equivalent(
    tariff_equivalent: FloatArray | float,
    cap_quantity_ratio: FloatArray | float,
    demand_elasticity: FloatArray | float,
    base_tariff_rate: FloatArray | float = 0.0,
) -> FloatArray:
    r"""The constant supply elasticity at which a cap has a given tariff equivalent.

    The inverse of :func:`tariff_equivalent_closed_form` in :math:`\varepsilon`:

    .. math::

        \frac{1}{\varepsilon} = \frac{\ln\frac{1+t^*}{1+t_0}}{-\ln\hat q} - \frac{1}{\eta_o}.

    A tariff equivalent the demand side alone explains (right-hand side :math:`\le 0`) gives
    :math:`\varepsilon = \infty`. Used to read the long-run supply elasticity off published
    tariff equivalents of a quota when no direct estimate is found.
    """
    q = np.asarray(cap_quantity_ratio, dtype=float)
    if ((q <= 0) | (q >= 1)).any():
        raise ValueError("the cap must be a share of base sales in (0, 1)")
    t = np.asarray(tariff_equivalent, dtype=float)
    log_wedge = np.log1p(t) - np.log1p(np.asarray(base_tariff_rate, dtype=float))
    inverse = log_wedge / -np.log(q) - 1.0 / np.asarray(demand_elasticity, dtype=float)
    with np.errstate(divide="ignore"):
        return np.asarray(np.where(inverse > 0, 1.0 / np.maximum(inverse, 1e-300), np.inf))
