r"""Exact (non-linear) partial-equilibrium Armington model of US import markets.

One *market* is a good sold in the US (a GTAP sector, an HS line). Its *sources* are the foreign
partners plus, optionally, US domestic producers. Buyers see sources as imperfect substitutes
(Armington): a CES aggregate with elasticity of substitution :math:`\sigma` inside a composite
good with constant demand elasticity :math:`\eta`. Each source sells along a constant-elasticity
supply curve with elasticity :math:`\varepsilon_i`. All markets, and any number of leading
"draw" axes (Monte Carlo), are solved at once: arrays have shape ``(..., n_markets, n_sources)``.

Units
    Base exporter prices are normalised to :math:`w_0 = 1`, so base quantities equal base values
    at exporter (pre-tariff, customs) prices, :math:`V_i`. A hat is new over base,
    :math:`\hat x = x_1 / x_0`. Changes called ``*_change`` are fractions
    (:math:`\hat x - 1`; ``-0.1`` is a 10% fall). Amounts called ``*_usd`` are in the currency
    of ``base_value_usd``.

Equations (per market, hats = new/base)
    .. math::

        \hat\tau_i &= (1 + t_{1i}) / (1 + t_{0i}), \qquad \hat p_i = \hat\tau_i \hat w_i \\
        s_i &= (1 + t_{0i}) V_i \big/ \textstyle\sum_j (1 + t_{0j}) V_j \\
        \hat P^{1-\sigma} &= \textstyle\sum_i s_i \hat p_i^{1-\sigma}
            \quad(\ln \hat P = \sum_i s_i \ln \hat p_i \text{ when } \sigma = 1) \\
        \hat q_i &= \hat p_i^{-\sigma} \hat P^{\sigma - \eta} \quad\text{(demand)}, \qquad
        \hat q_i = \hat w_i^{\varepsilon_i} \quad\text{(supply)}

    Given :math:`x = \ln \hat P`, each uncapped source clears in closed form,

    .. math::

        \ln \hat w_i = \frac{-\sigma \ln\hat\tau_i + (\sigma - \eta) x}{\varepsilon_i + \sigma}

    (:math:`\hat w_i = 1` when :math:`\varepsilon_i = \infty`), so the equilibrium is one scalar
    equation per market, :math:`G(x) = \tfrac{1}{1-\sigma}\ln\sum_i s_i \hat p_i(x)^{1-\sigma} - x
    = 0`, solved by safeguarded Newton with :math:`G'(x) = \sum_i \omega_i a_i - 1`, where
    :math:`\omega_i` are the new expenditure shares and :math:`a_i = d\ln\hat p_i/dx \le 1`, so
    :math:`G` is non-increasing and a bracket always exists.

Voluntary export restraints (VER)
    ``quantity_cap`` is a cap on :math:`\hat q_i`. Where it binds, the quantity is the cap, the
    buyer price comes from inverse demand
    :math:`\ln\hat p_i = ((\sigma - \eta)x - \ln\hat q^{cap}_i)/\sigma`, exporters are paid the
    supply price :math:`\hat w_i = (\hat q^{cap}_i)^{1/\varepsilon_i}`, and the wedge
    :math:`(1+t_{0i})\hat p_i - (1+t_{1i})\hat w_i` per unit is split: exporters charge the
    customs price :math:`c_i = (1+t_{0i})\hat p_i/(1+t_{1i})`, keep the *quota rent*
    :math:`c_i - \hat w_i` per unit, and the duty :math:`t_{1i} c_i` is US revenue. Values
    (``new_value_usd``) stay at the supply price; the rent is reported as ``quota_rent_usd``
    and is part of what the US pays foreigners (it lowers the terms-of-trade gain). Which caps
    bind is found by
    an active-set loop: a cap binds iff the source would sell more than the cap at the
    equilibrium price index.

Trade creation and diversion
    Creation is the change in total imports at customs value,
    :math:`\sum_{i\,\mathrm{foreign}} \Delta V_i`; diversion of source :math:`i` is
    :math:`\Delta V_i` minus its base import share of creation, so diversion sums to zero over
    foreign sources. :mod:`analysis.model.smart` reports the same two quantities by the same
    rule (see :func:`trade_creation_and_diversion`).

Sign conventions
    * ``*_change`` fractions are new/base − 1.
    * Welfare amounts are gains to the party named (positive = better off):
      ``buyer_surplus_change_usd`` is negative when the price index rises;
      ``terms_of_trade_gain_usd`` is positive when foreign exporter prices fall.
    * ``us_welfare(...).deadweight_loss_usd`` is positive for a loss of efficiency.

References
    Armington (1969), IMF Staff Papers 16(1); Francois and Hall (1997), "Partial equilibrium
    modeling", in Francois and Reinert (eds.), *Applied Methods for Trade Policy Analysis*;
    Jammes and Olarreaga (2005), "Explaining SMART and GSIM", World Bank.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from analysis.model.arrays import (
    BoolArray,
    FloatArray,
    expm1_ratio,
    materialise,
    readonly,
    row_dot,
)
from analysis.model.diversion import trade_creation_and_diversion
from analysis.model.equilibrium import solve_log_index
from analysis.model.market_inputs import MarketInputs, validated_inputs
from analysis.model.quota import at_caps, equilibrium_with_caps
from analysis.model.supply import LogChanges, SupplyCurves, log_changes, supply_curves

#: Newton stops when its step in :math:`\ln\hat P` is below this.
DEFAULT_TOLERANCE = 1e-12
DEFAULT_MAX_ITERATIONS = 100


@dataclass(frozen=True)
class MarketSolution:
    """Equilibrium of :func:`solve_market`. Arrays are read-only.

    Shapes: ``S = (..., n_markets, n_sources)`` for per-source fields and ``S[:-1]`` for
    per-market fields.

    Attributes
    ----------
    base_value_usd
        :math:`V_i`, base sales at exporter prices (broadcast to ``S``).
    is_domestic
        ``(n_sources,)`` boolean mask of the US domestic source (all False if none).
    exporter_price_change
        :math:`\\hat w_i - 1`, price received by the source (net of tariff and quota rent).
    buyer_price_change
        :math:`\\hat p_i - 1`, tariff-inclusive price paid by US buyers.
    quantity_change
        :math:`\\hat q_i - 1`.
    value_change
        :math:`\\hat w_i \\hat q_i - 1`, sales value at exporter prices (customs value).
    pass_through
        :math:`(\\hat p_i - 1)/(\\hat\\tau_i - 1)`: 1 = buyers pay all of the tariff, 0 = the
        exporter absorbs it. NaN where the tariff did not change.
    cap_binds
        True where a quantity cap binds.
    price_index_change
        :math:`\\hat P - 1` per market.
    composite_quantity_change
        :math:`\\hat Q - 1 = \\hat P^{-\\eta} - 1` per market.
    new_value_usd
        :math:`V_i \\hat w_i \\hat q_i`.
    base_tariff_revenue_usd
        :math:`t_{0i} V_i`.
    new_tariff_revenue_usd
        :math:`t_{1i} V_i \\hat q_i c_i` (rate × new customs value; :math:`c_i = \\hat w_i`
        unless a cap binds, then the supply price plus the rent per unit).
    quota_rent_usd
        :math:`V_i \\hat q_i [(1+t_{0i})\\hat p_i - (1+t_{1i})\\hat w_i]/(1+t_{1i})`, kept by
        the exporters of capped sources; 0 where no cap binds.
    tariff_equivalent_rate
        :math:`t^{eq}_i` with :math:`(1+t^{eq}_i)\\hat w_i = (1+t_{0i})\\hat p_i`: the tariff on
        the supply price that gives the same buyer price. Equals ``new_tariff_rate`` where no cap
        binds; ``inf`` for a binding cap with zero supply elasticity.
    base_buyer_expenditure_usd
        :math:`E_0 = \\sum_i (1+t_{0i}) V_i` per market.
    buyer_surplus_change_usd
        :math:`-E_0 \\int_1^{\\hat P} z^{-\\eta} dz`, per market (negative when prices rise).
    producer_surplus_change_usd
        :math:`V_i (\\hat w_i^{\\varepsilon_i + 1} - 1)/(\\varepsilon_i + 1)` per source, 0 for
        :math:`\\varepsilon_i = \\infty`. Quota rent is not included.
    us_buyer_cost_same_basket_usd
        :math:`\\sum_i (1+t_{0i}) V_i (\\hat p_i - 1)` per market: extra cost of the base basket.
    terms_of_trade_gain_usd
        :math:`\\sum_{i\\,\\mathrm{foreign}} (1 - c_i) V_i \\hat q_i` per market: the part of
        the tariff borne by foreign exporters through lower prices, net of the quota rent they
        are paid.
    trade_creation_usd
        :math:`\\sum_{i\\,\\mathrm{foreign}} \\Delta V_i` per market: change in total imports
        at customs value (see :func:`trade_creation_and_diversion`).
    trade_diversion_usd
        :math:`\\Delta V_i - m_i \\cdot \\mathrm{creation}`, :math:`m_i` the base import share;
        sums to zero over foreign sources; 0 for the domestic source.
    newton_iterations
        Largest number of Newton iterations any market needed (summed over cap rounds).
    """

    base_value_usd: FloatArray
    is_domestic: BoolArray
    exporter_price_change: FloatArray
    buyer_price_change: FloatArray
    quantity_change: FloatArray
    value_change: FloatArray
    cap_binds: BoolArray
    price_index_change: FloatArray
    composite_quantity_change: FloatArray
    new_value_usd: FloatArray
    base_tariff_revenue_usd: FloatArray
    new_tariff_revenue_usd: FloatArray
    quota_rent_usd: FloatArray
    tariff_equivalent_rate: FloatArray
    base_buyer_expenditure_usd: FloatArray
    buyer_surplus_change_usd: FloatArray
    producer_surplus_change_usd: FloatArray
    us_buyer_cost_same_basket_usd: FloatArray
    terms_of_trade_gain_usd: FloatArray
    newton_iterations: int
    # Kept for the fields computed on first use (a Monte Carlo's headline does not read them).
    _value_change_usd: FloatArray = field(repr=False)
    _tariffs: tuple[FloatArray, FloatArray] = field(repr=False)  # base and new rates

    @functools.cached_property
    def pass_through(self) -> FloatArray:
        shape = self.buyer_price_change.shape
        t0, t1 = self._tariffs
        return readonly(_pass_through(self.buyer_price_change, t0, t1, shape))

    @functools.cached_property
    def _trade_effects(self) -> tuple[FloatArray, FloatArray]:
        creation, diversion = trade_creation_and_diversion(
            value_change_usd=self._value_change_usd,
            base_value_usd=self.base_value_usd,
            is_foreign=~self.is_domestic,
        )
        shape = self.buyer_price_change.shape
        return readonly(np.broadcast_to(creation, shape[:-1])), readonly(
            np.broadcast_to(diversion, shape)
        )

    @property
    def trade_creation_usd(self) -> FloatArray:
        return self._trade_effects[0]

    @property
    def trade_diversion_usd(self) -> FloatArray:
        return self._trade_effects[1]


def solve_market(
    *,
    base_value_usd: npt.ArrayLike,
    base_tariff_rate: npt.ArrayLike,
    new_tariff_rate: npt.ArrayLike,
    sigma: npt.ArrayLike,
    eta: npt.ArrayLike,
    supply_elasticity: npt.ArrayLike,
    quantity_cap: npt.ArrayLike | None = None,
    domestic_index: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> MarketSolution:
    """Solve the exact Armington equilibrium of every market at once.

    The equilibrium price index :math:`x = \\ln\\hat P` of each market solves

    .. math::

        G(x) = \\frac{1}{1-\\sigma} \\ln \\sum_i s_i \\hat p_i(x)^{1-\\sigma} - x = 0,
        \\qquad
        \\ln \\hat p_i(x) = \\ln\\hat\\tau_i
            + \\frac{-\\sigma\\ln\\hat\\tau_i + (\\sigma-\\eta)x}{\\varepsilon_i + \\sigma}
        \\quad\\text{(see the module docstring for the capped case).}

    Parameters
    ----------
    base_value_usd
        ``(..., m, i)``, :math:`V_i \\ge 0`: base sales at exporter prices. Zero is allowed
        (the source then has notional prices but no value); a market with no sales at all gets
        notional equal shares.
    base_tariff_rate, new_tariff_rate
        ``(..., m, i)`` ad valorem rates, finite and > −1 (0 for the domestic source).
    sigma
        ``(..., m)``, :math:`\\sigma > 0`, elasticity of substitution between sources;
        :math:`\\sigma = 1` is the Cobb-Douglas limit.
    eta
        ``(..., m)``, :math:`\\eta \\ge 0`, demand elasticity of the composite good.
    supply_elasticity
        ``(..., m, i)``, :math:`\\varepsilon_i \\in [0, \\infty]`; ``np.inf`` is perfectly elastic
        supply (fixed exporter price, full pass-through); 0 is fixed quantity.
    quantity_cap
        Optional ``(..., m, i)`` cap on :math:`\\hat q_i` (a fraction of base quantity, > 0);
        NaN or ``inf`` means no cap. Not allowed on the domestic source.
    domestic_index
        Index of the US domestic source along the last axis (negative allowed), or None.
    tolerance
        Newton stops when its step in :math:`\\ln\\hat P` is smaller than this.
    max_iterations
        Per solve; a ``RuntimeError`` is raised if some market has not converged by then.

    Returns :class:`MarketSolution`, all fields broadcast to the common shape of the inputs.

    Raises
    ------
    ValueError
        Bad input (shape, range, NaN) or a market with no equilibrium (for example a binding cap
        with :math:`\\eta = 0` and every other source perfectly inelastic).
    RuntimeError
        Newton did not converge within ``max_iterations``.
    """
    inputs = (base_value_usd, base_tariff_rate, new_tariff_rate, sigma, eta, supply_elasticity)
    market, x, logs, iterations = _solve_logs(
        inputs, quantity_cap, domestic_index, tolerance, max_iterations
    )
    return _solution(market, x, logs, iterations)


def solve_prices_and_quantities(
    *,
    base_value_usd: npt.ArrayLike,
    base_tariff_rate: npt.ArrayLike,
    new_tariff_rate: npt.ArrayLike,
    sigma: npt.ArrayLike,
    eta: npt.ArrayLike,
    supply_elasticity: npt.ArrayLike,
    quantity_cap: npt.ArrayLike | None = None,
    domestic_index: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> tuple[FloatArray, FloatArray]:
    """``exporter_price_change`` and ``quantity_change`` of :func:`solve_market` (the same
    equilibrium, the same numbers), without the levels, surplus and trade effects that a fit
    over many candidate elasticities does not use (they are most of the work there)."""
    inputs = (base_value_usd, base_tariff_rate, new_tariff_rate, sigma, eta, supply_elasticity)
    market, _, logs, _ = _solve_logs(
        inputs, quantity_cap, domestic_index, tolerance, max_iterations
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        price_change = np.expm1(logs.log_w, out=logs.log_w)
        quantity_change = np.expm1(logs.log_q, out=logs.log_q)
    shape = market.shape
    return readonly(np.broadcast_to(price_change, shape)), readonly(
        np.broadcast_to(quantity_change, shape)
    )


# base_value_usd, base_tariff_rate, new_tariff_rate, sigma, eta, supply_elasticity
_Inputs = tuple[
    npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike, npt.ArrayLike
]


def _solve_logs(
    inputs: _Inputs,
    quantity_cap: npt.ArrayLike | None,
    domestic_index: int | None,
    tolerance: float,
    max_iterations: int,
) -> tuple[MarketInputs, FloatArray, LogChanges, int]:
    """Checked inputs, :math:`x = \\ln\\hat P`, every source's log changes, Newton iterations."""
    market = validated_inputs(*inputs, quantity_cap, domestic_index)
    supply = supply_curves(market)
    x, binding, iterations = _equilibrium(market, supply, tolerance, max_iterations)
    logs = log_changes(market, supply, x)
    if binding is not None and market.cap is not None:
        logs = at_caps(market, market.cap, supply, x, binding, logs)
    return market, x, logs, iterations


def _equilibrium(
    m: MarketInputs, s: SupplyCurves, tolerance: float, max_iterations: int
) -> tuple[FloatArray, BoolArray | None, int]:
    r""":math:`x = \ln\hat P` per market, the binding caps (None without caps), iterations."""
    if m.cap is None:
        x_rows, iterations = solve_log_index(
            m.rows_of(s.share),
            m.rows_of(s.k),
            m.rows_of(s.gap),
            s.rho,
            tolerance=tolerance,
            max_iterations=max_iterations,
        )
        return x_rows.reshape(m.market_shape), None, iterations
    return equilibrium_with_caps(m, m.cap, s, tolerance, max_iterations)


# --------------------------------------------------------------------------------------------
# The steps of solve_market
# --------------------------------------------------------------------------------------------


def _solution(m: MarketInputs, x: FloatArray, logs: LogChanges, iterations: int) -> MarketSolution:
    """Levels, revenue, surplus and trade effects from the log changes."""
    value, t0, t1, shape = m.value, m.t0, m.t1, m.shape
    # From here on the log arrays are overwritten in place: fewer fresh 10^6-element arrays.
    with np.errstate(divide="ignore", invalid="ignore"):
        value_change = np.expm1(np.add(logs.log_w, logs.log_q))
        exporter_price_change = np.expm1(logs.log_w, out=logs.log_w)
        quantity_change = np.expm1(logs.log_q, out=logs.log_q)
        buyer_price_change = np.expm1(logs.log_p, out=logs.log_p)
        value_change_usd = materialise(value * value_change, shape)
        new_value = value_change_usd + value
        # PS = V (ŵ^{ε+1} − 1)/(ε+1), and ŵ^{ε+1} = ŵ q̂ on the supply curve (capped or not).
        producer_surplus = materialise(m.eps + 1.0, shape)
        np.divide(value_change_usd, producer_surplus, out=producer_surplus)
    spend = (1.0 + t0) * value
    expenditure = np.broadcast_to(np.sum(spend, axis=-1), m.market_shape)
    buyer_surplus = -expenditure * x * expm1_ratio((1.0 - m.et) * x)
    # ToT = −Σ_foreign V q̂ (ŵ − 1); the dot product with the 0/1 mask does the masked sum (einsum:
    # a BLAS product would round each row by how many rows are solved at once).
    scratch = quantity_change + 1.0
    scratch *= exporter_price_change
    scratch *= value
    terms_of_trade = -row_dot(scratch, (~m.is_domestic).astype(np.float64))
    del scratch
    customs_value = new_value
    if m.cap is not None:  # without caps the rent is 0: no passes over arrays of zeros
        # Foreigners are paid the customs price: the quota rent is part of it.
        terms_of_trade = terms_of_trade - np.sum(logs.rent, axis=-1)
        customs_value = new_value + logs.rent

    def full(a: FloatArray) -> FloatArray:
        return readonly(np.broadcast_to(a, shape))

    def per_market(a: FloatArray) -> FloatArray:
        return readonly(np.broadcast_to(a, m.market_shape))

    return MarketSolution(
        base_value_usd=full(value),
        is_domestic=readonly(m.is_domestic),
        exporter_price_change=full(exporter_price_change),
        buyer_price_change=full(buyer_price_change),
        quantity_change=full(quantity_change),
        value_change=full(value_change),
        cap_binds=readonly(np.broadcast_to(logs.cap_binds, shape)),
        price_index_change=per_market(np.expm1(x)),
        composite_quantity_change=per_market(np.expm1(-m.et * x)),
        new_value_usd=full(new_value),
        base_tariff_revenue_usd=full(t0 * value),
        new_tariff_revenue_usd=full(t1 * customs_value),
        quota_rent_usd=full(logs.rent),
        tariff_equivalent_rate=full(logs.t_eq),
        base_buyer_expenditure_usd=per_market(expenditure),
        buyer_surplus_change_usd=per_market(buyer_surplus),
        producer_surplus_change_usd=full(producer_surplus),
        us_buyer_cost_same_basket_usd=per_market(row_dot(spend, buyer_price_change)),
        terms_of_trade_gain_usd=per_market(terms_of_trade),
        newton_iterations=iterations,
        _value_change_usd=value_change_usd,
        _tariffs=(t0, t1),
    )


def _pass_through(
    buyer_price_change: FloatArray, t0: FloatArray, t1: FloatArray, shape: tuple[int, ...]
) -> FloatArray:
    r""":math:`(\hat p_i - 1)/(\hat\tau_i - 1)`; NaN where the tariff did not change."""
    tariff_factor_change = (t1 - t0) / (1.0 + t0)
    # Computed on first use, outside the solver's error state: an unchanged tariff divides by
    # zero here on purpose (set to NaN just below), which must not warn into a report.
    with np.errstate(divide="ignore", invalid="ignore"):
        pass_through = materialise(buyer_price_change / tariff_factor_change, shape)
    unchanged = np.broadcast_to(tariff_factor_change == 0.0, shape)
    if np.any(unchanged):
        np.copyto(pass_through, np.nan, where=unchanged)
    return pass_through
