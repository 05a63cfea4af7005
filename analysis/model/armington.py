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
    :math:`(1+t_{0i})\hat p_i - (1+t_{1i})\hat w_i` per unit is a *quota rent* kept by the
    exporters. The tariff is levied on the supply price (the customs value here), so the rent is
    not US revenue. (In the trade statistics the rent would show up in the recorded import
    price; here it is reported separately as ``quota_rent_usd``.) Which caps bind is found by
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

from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
_ArrayT = TypeVar("_ArrayT", bound=np.ndarray[Any, Any])

#: Newton stops when its step in :math:`\ln\hat P` is below this.
DEFAULT_TOLERANCE = 1e-12
DEFAULT_MAX_ITERATIONS = 100

# A residual this large once the bracket has shrunk to a point means there is no equilibrium.
_RESIDUAL_LIMIT = 1e-9
# Markets whose bracket cannot be derived analytically are searched in ln P̂ ∈ [-50, 50].
_WIDE_BRACKET = 50.0
# When fewer than this share of the rows still iterate, copy them into a smaller working set.
_COMPRESS_FRACTION = 0.5


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
        :math:`t_{1i} V_i \\hat w_i \\hat q_i` (rate × new customs value).
    quota_rent_usd
        :math:`V_i \\hat q_i [(1+t_{0i})\\hat p_i - (1+t_{1i})\\hat w_i]`, kept by the exporters
        of capped sources; 0 where no cap binds.
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
        :math:`\\sum_{i\\,\\mathrm{foreign}} (1 - \\hat w_i) V_i \\hat q_i` per market: the part of
        the tariff borne by foreign exporters through lower exporter prices.
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
    pass_through: FloatArray
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
    trade_creation_usd: FloatArray
    trade_diversion_usd: FloatArray
    newton_iterations: int


@dataclass(frozen=True)
class UsWelfare:
    """US welfare decomposition of a :class:`MarketSolution`, per market (shape ``S[:-1]``).

    .. math::

        W &= \\Delta CS + \\Delta PS_{US} + \\Delta R \\\\
        DWL &= ToT - \\mathrm{rent} - W

    With no binding quota the rent is zero and :math:`DWL = ToT - W`. A binding VER hands the
    quota rent to foreign exporters; it is a transfer, not an efficiency loss, so it is taken
    out of the deadweight loss and reported on its own.

    Attributes
    ----------
    buyer_surplus_change_usd
        Change in US buyers' surplus on the composite good.
    domestic_producer_surplus_change_usd
        Change in US producers' surplus (0 if the market has no domestic source).
    tariff_revenue_change_usd
        New minus base tariff revenue.
    net_welfare_usd
        :math:`W`, the sum of the three above (positive = the US gains).
    terms_of_trade_gain_usd
        Foreign exporters' price cuts on the new import volume.
    quota_rent_to_foreigners_usd
        Quota rent of binding VERs (a US loss).
    deadweight_loss_usd
        :math:`ToT - \\mathrm{rent} - W` (positive = efficiency lost).
    """

    buyer_surplus_change_usd: FloatArray
    domestic_producer_surplus_change_usd: FloatArray
    tariff_revenue_change_usd: FloatArray
    net_welfare_usd: FloatArray
    terms_of_trade_gain_usd: FloatArray
    quota_rent_to_foreigners_usd: FloatArray
    deadweight_loss_usd: FloatArray


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


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

    (see the module docstring for the capped case).

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

    Returns
    -------
    MarketSolution
        All fields broadcast to the common shape of the inputs.

    Raises
    ------
    ValueError
        Bad input (shape, range, NaN) or a market with no equilibrium (for example a binding cap
        with :math:`\\eta = 0` and every other source perfectly inelastic).
    RuntimeError
        Newton did not converge within ``max_iterations``.
    """
    value = _float_array("base_value_usd", base_value_usd)
    t0 = _float_array("base_tariff_rate", base_tariff_rate)
    t1 = _float_array("new_tariff_rate", new_tariff_rate)
    sig = _float_array("sigma", sigma)
    et = _float_array("eta", eta)
    eps = _float_array("supply_elasticity", supply_elasticity)
    cap = None if quantity_cap is None else _float_array("quantity_cap", quantity_cap)

    _check(value, "base_value_usd", finite=True, lower=0.0, lower_open=False)
    _check(t0, "base_tariff_rate", finite=True, lower=-1.0, lower_open=True)
    _check(t1, "new_tariff_rate", finite=True, lower=-1.0, lower_open=True)
    _check(sig, "sigma", finite=True, lower=0.0, lower_open=True)
    _check(et, "eta", finite=True, lower=0.0, lower_open=False)
    _check(eps, "supply_elasticity", finite=False, lower=0.0, lower_open=False)
    if cap is not None:
        if np.any(cap[~np.isnan(cap)] <= 0.0):
            raise ValueError("quantity_cap: expected > 0 or NaN (no cap); found a value <= 0")
        cap = np.where(np.isinf(cap), np.nan, cap)
        if np.all(np.isnan(cap)):
            cap = None

    per_source = [value, t0, t1, eps] + ([] if cap is None else [cap])
    try:
        shape = np.broadcast_shapes(*(a.shape for a in per_source), (*sig.shape, 1), (*et.shape, 1))
    except ValueError as err:
        raise ValueError(
            "inputs do not broadcast: per-source arrays are (..., n_markets, n_sources), sigma "
            f"and eta are (..., n_markets); found {[a.shape for a in per_source]}, sigma "
            f"{sig.shape}, eta {et.shape}"
        ) from err
    if len(shape) == 0:
        raise ValueError("base_value_usd: expected at least one source (a last axis)")
    n_sources = shape[-1]
    market_shape = shape[:-1]
    n_rows = int(np.prod(market_shape, dtype=np.int64))

    is_domestic = np.zeros(n_sources, dtype=bool)
    if domestic_index is not None:
        if not -n_sources <= domestic_index < n_sources:
            raise ValueError(
                f"domestic_index: expected an index into {n_sources} sources, "
                f"found {domestic_index}"
            )
        is_domestic[domestic_index] = True
        for rate in (t0, t1):
            if np.any(np.broadcast_to(rate, shape)[..., is_domestic] != 0.0):
                raise ValueError(
                    "base/new_tariff_rate: the domestic source must have a zero tariff"
                )
        if cap is not None and np.any(~np.isnan(np.broadcast_to(cap, shape)[..., is_domestic])):
            raise ValueError("quantity_cap: a cap applies to imports, not the domestic source")
    foreign = (~is_domestic).astype(np.float64)

    # Elementwise work stays in the broadcast shape (small inputs are not copied); only the
    # solver's inputs are materialised as (rows, sources).
    sig_s = sig[..., None]
    core = sig_s - et[..., None]  # σ − η
    log_tau = np.log1p(t1) - np.log1p(t0)
    # In-place arithmetic below: each fresh array of the size of a Monte Carlo run costs time.
    inv = _materialise(eps + sig_s, shape)
    np.reciprocal(inv, out=inv)  # 1/(ε+σ); exactly 0 for ε = ∞
    b = np.multiply(sig_s, inv)
    np.subtract(1.0, b, out=b)  # ε/(ε+σ); 1 for ε = ∞ (no inf/inf appears)
    gap_free = np.multiply(et[..., None], inv)
    gap_free += b  # 1 − a_i = (ε+η)/(ε+σ), with a_i = d ln p̂_i / dx
    k_free = b * log_tau  # ln p̂_i = k_i + a_i x
    share = _expenditure_shares(value, t0)
    rho = np.broadcast_to(1.0 - sig, market_shape).reshape(n_rows)

    def rows_of(a: FloatArray) -> FloatArray:
        return np.broadcast_to(a, shape).reshape(n_rows, n_sources)

    share_rows = rows_of(share)
    binding: BoolArray | None = None
    if cap is None:
        x_rows, iterations = _solve_log_index(
            share_rows,
            rows_of(k_free),
            rows_of(gap_free),
            rho,
            tolerance=tolerance,
            max_iterations=max_iterations,
        )
        x = x_rows.reshape(market_shape)
    else:
        has_cap = np.broadcast_to(~np.isnan(cap), shape)
        log_cap = np.broadcast_to(np.log(np.where(np.isnan(cap), 1.0, cap)), shape)
        k_capped = -log_cap / sig_s
        gap_capped = np.broadcast_to(1.0 - core / sig_s, shape)
        binding = np.zeros(shape, dtype=bool)
        iterations = 0
        # Active set: solve, bind the caps that are exceeded, drop those no longer exceeded.
        for _round in range(n_sources + 2):
            x_rows, used = _solve_log_index(
                share_rows,
                rows_of(np.where(binding, k_capped, k_free)),
                rows_of(np.where(binding, gap_capped, gap_free)),
                rho,
                tolerance=tolerance,
                max_iterations=max_iterations,
            )
            iterations += used
            x = x_rows.reshape(market_shape)
            free_log_q = b * (core * x[..., None] - sig_s * log_tau)
            new_binding = has_cap & (free_log_q > log_cap + 1e-12)
            if np.array_equal(new_binding, binding):
                break
            binding = new_binding
        else:
            raise RuntimeError("quantity caps: the set of binding caps did not settle")

    xs = x[..., None]
    # z = −σ ln τ̂ + (σ−η) x, so ln ŵ = z/(ε+σ) and ln q̂ = ε z/(ε+σ) on the supply curve.
    z = _materialise(sig_s * log_tau, shape)
    np.subtract(core * xs, z, out=z)
    log_w = inv * z
    log_q = np.multiply(b, z, out=z)
    del inv, b, gap_free, k_free
    log_p = log_tau + log_w
    rent: FloatArray
    t_eq: FloatArray
    if binding is not None and cap is not None:
        log_cap = np.broadcast_to(np.log(np.where(np.isnan(cap), 1.0, cap)), shape)
        eps_full = np.broadcast_to(eps, shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_w_capped = np.where(np.isinf(eps_full), 0.0, log_cap / eps_full)
            log_w = np.where(binding, log_w_capped, log_w)
            log_q = np.where(binding, log_cap, log_q)
            log_p = np.where(binding, (core * xs - log_cap) / sig_s, log_p)
            unit_rent = (1.0 + t0) * np.exp(log_p) - (1.0 + t1) * np.exp(log_w)
            rent = np.where(binding, value * np.exp(log_q) * unit_rent, 0.0)
            t_eq = np.where(binding, (1.0 + t0) * np.exp(log_p - log_w) - 1.0, t1)
        cap_binds = binding
    else:
        rent = np.broadcast_to(np.float64(0.0), shape)
        t_eq = np.broadcast_to(t1, shape)
        cap_binds = np.broadcast_to(np.False_, shape)

    # From here on the log arrays are overwritten in place: fewer fresh 10^6-element arrays.
    with np.errstate(divide="ignore", invalid="ignore"):
        value_change = np.expm1(np.add(log_w, log_q))
        exporter_price_change = np.expm1(log_w, out=log_w)
        quantity_change = np.expm1(log_q, out=log_q)
        buyer_price_change = np.expm1(log_p, out=log_p)
        value_change_usd = _materialise(value * value_change, shape)
        new_value = value_change_usd + value
        tariff_factor_change = (t1 - t0) / (1.0 + t0)
        pass_through = _materialise(buyer_price_change / tariff_factor_change, shape)
        unchanged = np.broadcast_to(tariff_factor_change == 0.0, shape)
        if np.any(unchanged):
            np.copyto(pass_through, np.nan, where=unchanged)
        # PS = V (ŵ^{ε+1} − 1)/(ε+1), and ŵ^{ε+1} = ŵ q̂ on the supply curve (capped or not).
        producer_surplus = _materialise(eps + 1.0, shape)
        np.divide(value_change_usd, producer_surplus, out=producer_surplus)

    spend = (1.0 + t0) * value
    expenditure = np.broadcast_to(np.sum(spend, axis=-1), market_shape)
    buyer_surplus = -expenditure * x * _expm1_ratio((1.0 - et) * x)
    # ToT = −Σ_foreign V q̂ (ŵ − 1); the matrix product with the 0/1 mask does the masked sum.
    scratch = quantity_change + 1.0
    scratch *= exporter_price_change
    scratch *= value
    terms_of_trade = -(scratch @ foreign)
    del scratch
    creation, diversion = trade_creation_and_diversion(
        value_change_usd=value_change_usd, base_value_usd=value, is_foreign=~is_domestic
    )

    def full(a: FloatArray) -> FloatArray:
        return _readonly(np.broadcast_to(a, shape))

    def per_market(a: FloatArray) -> FloatArray:
        return _readonly(np.broadcast_to(a, market_shape))

    return MarketSolution(
        base_value_usd=full(value),
        is_domestic=_readonly(is_domestic),
        exporter_price_change=full(exporter_price_change),
        buyer_price_change=full(buyer_price_change),
        quantity_change=full(quantity_change),
        value_change=full(value_change),
        pass_through=full(pass_through),
        cap_binds=_readonly(np.broadcast_to(cap_binds, shape)),
        price_index_change=per_market(np.expm1(x)),
        composite_quantity_change=per_market(np.expm1(-et * x)),
        new_value_usd=full(new_value),
        base_tariff_revenue_usd=full(t0 * value),
        new_tariff_revenue_usd=full(t1 * new_value),
        quota_rent_usd=full(rent),
        tariff_equivalent_rate=full(t_eq),
        base_buyer_expenditure_usd=per_market(expenditure),
        buyer_surplus_change_usd=per_market(buyer_surplus),
        producer_surplus_change_usd=full(producer_surplus),
        us_buyer_cost_same_basket_usd=per_market(_row_dot(spend, buyer_price_change)),
        terms_of_trade_gain_usd=per_market(terms_of_trade),
        trade_creation_usd=per_market(creation),
        trade_diversion_usd=full(diversion),
        newton_iterations=iterations,
    )


def us_welfare(solution: MarketSolution, domestic_mask: npt.ArrayLike | None = None) -> UsWelfare:
    """US welfare change per market: buyers + domestic producers + tariff revenue.

    .. math::

        W = \\Delta CS + \\sum_{i\\,\\mathrm{domestic}} \\Delta PS_i
            + \\sum_i (t_{1i} V_i \\hat w_i \\hat q_i - t_{0i} V_i),
        \\qquad DWL = ToT - \\mathrm{rent} - W

    Parameters
    ----------
    solution
        Output of :func:`solve_market`.
    domestic_mask
        Optional ``(n_sources,)`` boolean mask of the domestic source. The solution already
        records it (from ``domestic_index``); if given, it must agree, because the
        terms-of-trade gain and trade diversion were computed with it.

    Returns
    -------
    UsWelfare
    """
    mask = solution.is_domestic
    if domestic_mask is not None:
        given = np.asarray(domestic_mask, dtype=bool)
        if given.shape != mask.shape or not np.array_equal(given, mask):
            raise ValueError(
                "domestic_mask: expected the mask used by solve_market "
                f"({mask.tolist()}), found {given.tolist()}"
            )
    # np.asarray: over a single market the sums are numpy scalars, which cannot be made read-only.
    producer = np.asarray(
        np.sum(np.where(mask, solution.producer_surplus_change_usd, 0.0), axis=-1)
    )
    revenue = np.asarray(
        np.sum(solution.new_tariff_revenue_usd - solution.base_tariff_revenue_usd, axis=-1)
    )
    net = np.asarray(solution.buyer_surplus_change_usd + producer + revenue)
    rent = np.asarray(np.sum(solution.quota_rent_usd, axis=-1))
    tot = solution.terms_of_trade_gain_usd
    return UsWelfare(
        buyer_surplus_change_usd=solution.buyer_surplus_change_usd,
        domestic_producer_surplus_change_usd=_readonly(producer),
        tariff_revenue_change_usd=_readonly(revenue),
        net_welfare_usd=_readonly(net),
        terms_of_trade_gain_usd=tot,
        quota_rent_to_foreigners_usd=_readonly(rent),
        deadweight_loss_usd=_readonly(np.asarray(tot - rent - net)),
    )


def trade_creation_and_diversion(
    *,
    value_change_usd: npt.ArrayLike,
    base_value_usd: npt.ArrayLike,
    is_foreign: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Split import changes into creation (market total) and diversion (between sources).

    .. math::

        \\mathrm{creation} = \\sum_{i\\,\\mathrm{foreign}} \\Delta V_i, \\qquad
        \\mathrm{diversion}_i = \\Delta V_i - m_i \\, \\mathrm{creation}, \\quad
        m_i = V_i \\Big/ \\sum_{j\\,\\mathrm{foreign}} V_j

    Diversion is what a source gains or loses beyond its base share of the change in total
    imports, so it sums to zero over foreign sources; it is 0 for the domestic source. The same
    rule is used for the exact model and for SMART (:mod:`analysis.model.smart`), so the two are
    comparable. A market with no base imports has zero shares, so its diversion equals
    :math:`\\Delta V_i` (which is 0 there).

    Parameters
    ----------
    value_change_usd, base_value_usd
        ``(..., m, i)``.
    is_foreign
        Boolean mask broadcastable to ``(..., m, i)`` (usually ``(n_sources,)``).

    Returns
    -------
    creation_usd, diversion_usd
        Shapes ``(..., m)`` and ``(..., m, i)``.
    """
    dv = np.asarray(value_change_usd, dtype=np.float64)
    v = np.asarray(base_value_usd, dtype=np.float64)
    foreign = np.asarray(is_foreign, dtype=bool)
    v_foreign = np.where(foreign, v, 0.0)
    if foreign.ndim == 1:
        # A matrix product with the 0/1 mask is a fast masked sum over the short last axis.
        mask = foreign.astype(np.float64)
        creation = dv @ mask
        dv_foreign = dv * mask
    else:
        dv_foreign = np.where(foreign, dv, 0.0)
        creation = np.sum(dv_foreign, axis=-1)
    total = np.sum(v_foreign, axis=-1, keepdims=True)
    import_share = np.divide(v_foreign, total, out=np.zeros_like(v_foreign), where=total > 0.0)
    shift = import_share * creation[..., None]
    if shift.shape == dv_foreign.shape:
        dv_foreign -= shift  # in place: saves one array of the full size
        diversion = dv_foreign
    else:
        diversion = dv_foreign - shift
    return np.asarray(creation, dtype=np.float64), np.asarray(diversion, dtype=np.float64)


# --------------------------------------------------------------------------------------------
# The scalar equation per market
# --------------------------------------------------------------------------------------------


def _solve_log_index(
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
    n_rows = share.shape[0]
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
    sum_sg = np.einsum("ij->i", sg)

    eligible = active & (gap > 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = k / gap
    np.putmask(ratio, ~eligible, np.nan)
    lower, upper = _row_nan_min_max(ratio)
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
    del eligible, odd_sources

    # First-order solution of x = Σ s (k + a x) as the starting point.
    x0 = np.divide(sum_sk, sum_sg, out=np.zeros(n_rows), where=sum_sg > 1e-12)
    x = np.clip(x0, lower, upper)

    rows = np.arange(n_rows)
    w_share, w_rk, w_rg, w_sg, w_rho = share, rk, rg, sg, rho
    w_sum_sk, w_sum_sg = sum_sk, sum_sg
    w_x, w_lo, w_hi = x.copy(), lower, upper
    buffer = np.empty_like(rk)
    iterations = 0
    while rows.size:
        if iterations >= max_iterations:
            raise RuntimeError(
                f"solve_market: {rows.size} market(s) did not converge in {max_iterations} "
                "Newton iterations"
            )
        iterations += 1
        g, dg = _excess_log_index(
            w_x, w_share, w_rk, w_rg, w_sg, w_rho, w_sum_sk, w_sum_sg, buffer[: rows.size]
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
            w_share, w_rk, w_rg, w_sg = w_share[keep], w_rk[keep], w_rg[keep], w_sg[keep]
            w_rho, w_sum_sk, w_sum_sg = w_rho[keep], w_sum_sk[keep], w_sum_sg[keep]
            w_x, w_lo, w_hi = w_x[keep], w_lo[keep], w_hi[keep]
        elif n_keep < rows.size:
            # Converged rows stay in the (cheaper) working set with a zero-width bracket.
            w_lo = np.where(done, w_x, w_lo)
            w_hi = np.where(done, w_x, w_hi)
    return x, iterations


def _excess_log_index(
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
    """:math:`G(x)` and :math:`G'(x)` for every row (see :func:`_solve_log_index`).

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


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _expenditure_shares(value: FloatArray, base_tariff: FloatArray) -> FloatArray:
    """:math:`s_i = (1+t_{0i})V_i / \\sum_j (1+t_{0j})V_j`; equal notional shares if empty."""
    spend = (1.0 + base_tariff) * value
    total = np.sum(spend, axis=-1, keepdims=True)
    n_sources = spend.shape[-1]
    return np.where(total > 0.0, spend / np.where(total > 0.0, total, 1.0), 1.0 / n_sources)


def _materialise(a: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """``a`` as a writeable array of exactly ``shape`` (copied only if it is smaller)."""
    if a.shape == shape:
        return a
    return np.broadcast_to(a, shape).copy()


def _row_nan_min_max(a: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Row-wise minimum and maximum of a 2-D array ignoring NaN (NaN if the whole row is NaN).

    Reducing the transposed copy over its first axis runs elementwise over long contiguous rows,
    which is several times faster than ``np.fmin.reduce(axis=1)`` when the last axis is short.
    """
    columns = np.ascontiguousarray(a.T)
    with np.errstate(invalid="ignore"):
        return np.fmin.reduce(columns, axis=0), np.fmax.reduce(columns, axis=0)


def _row_dot(a: FloatArray, b: FloatArray) -> FloatArray:
    """:math:`\\sum_i a_i b_i` over the last axis, with broadcasting (einsum is much faster than
    ``(a * b).sum(-1)`` for a short last axis)."""
    return np.asarray(np.einsum("...i,...i->...", a, b), dtype=np.float64)


def _expm1_ratio(z: FloatArray) -> FloatArray:
    """:math:`(e^z - 1)/z`, equal to 1 at :math:`z = 0` (so integrals of powers stay exact)."""
    zero = z == 0.0
    return np.where(zero, 1.0, np.expm1(z) / np.where(zero, 1.0, z))


def _float_array(name: str, value: npt.ArrayLike) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name}: expected numbers, found {value!r}") from err


def _check(value: FloatArray, name: str, *, finite: bool, lower: float, lower_open: bool) -> None:
    if np.any(np.isnan(value)):
        raise ValueError(f"{name}: expected numbers, found NaN")
    if finite and not np.all(np.isfinite(value)):
        raise ValueError(f"{name}: expected finite numbers, found inf")
    too_low = value <= lower if lower_open else value < lower
    if np.any(too_low):
        bound = f"> {lower:g}" if lower_open else f">= {lower:g}"
        raise ValueError(f"{name}: expected values {bound}, found {float(np.min(value)):g}")


def _readonly(a: _ArrayT) -> _ArrayT:
    view = a.view()
    view.flags.writeable = False
    return view
