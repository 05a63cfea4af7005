r"""Linearised WITS/SMART partial-equilibrium formulas (imports only, no domestic source).

SMART (the World Bank's Single Market Partial Equilibrium Simulation Tool inside WITS) takes, per
market, base imports :math:`M_i` by exporting partner (valued at world prices normalised to 1, so
value = quantity), base and new tariffs, an import demand elasticity :math:`E_m`, a substitution
elasticity :math:`E_s` between partners and an export supply elasticity :math:`E_x` (common to
all partners of a market). Arrays are ``(..., n_markets, n_sources)`` for per-partner inputs and
``(..., n_markets)`` for the elasticities, as in :mod:`analysis.model.armington`.

With :math:`d_i = \Delta t_i / (1 + t_{0i})`, the proportional change in the buyer price at a
constant world price, and :math:`m_i = M_i / \sum_k M_k`:

.. math::

    TC_i &= -\frac{E_m}{1 + E_m/E_x}\, M_i\, d_i
        \quad\text{(trade creation)} \\
    TD_i &= -\frac{E_s}{1 + E_s/E_x}\, M_i \Big(d_i - \sum_k m_k d_k\Big)
        \quad\text{(trade diversion; } \textstyle\sum_i TD_i = 0\text{)} \\
    \frac{\Delta w_i}{w_i} &= -\frac{E_m}{E_x + E_m} d_i
        - \frac{E_s}{E_x + E_s}\Big(d_i - \sum_k m_k d_k\Big)
        \quad\text{(world price; } = (TC_i + TD_i)/(M_i E_x)\text{)}

Here :math:`E_m \ge 0` is the *magnitude* of the import demand elasticity (WITS prints it as a
negative number; a negative input is accepted and its absolute value used). The creation term
is the one of Jammes and Olarreaga (2005), who write it with :math:`E_m < 0` as
:math:`TC_i = M_i E_m d_i/(1 - E_m/E_x)`. The diversion term is the first-order CES
substitution response between partners; for two partners it is the linear part of the Laird
and Yeats (1986) diversion formula, whose extra second-order term in the denominator caps
diversion at existing trade (the "ceiling" mentioned in the WITS help). The factor
:math:`1/(1 + E_s/E_x)` is derived here in the same way as for creation (relative world prices
absorb :math:`E_s/(E_x+E_s)` of a relative tariff change); it is not taken from WITS. Diversion
sums to zero across partners by construction.

Known property (documented, tested): because creation uses each partner's *own* tariff change,
the partner-level response is :math:`-(E_s + E_m)(d_i - \bar d) - E_m \bar d`, which is the
first-order solution of an Armington model with :math:`\eta = E_m` and
:math:`\sigma = E_s + E_m` (for :math:`E_x = \infty`), not :math:`\sigma = E_s`. Market totals
(creation, total import value) agree with the exact model with :math:`\eta = E_m`,
:math:`\varepsilon = E_x` to first order whatever :math:`E_s`, and partner-level changes agree
when all partners face the same tariff change. Both statements assume equal base tariffs across
partners, so that SMART's world-price import shares equal the model's buyer-price shares.

Welfare (signed, positive = importing country gains), the Harberger form of SMART's triangle:

.. math::

    W = \underbrace{\sum_i \big(t_{0i} + \tfrac12 \Delta t_i\big)(TC_i + TD_i)}_{\text{efficiency}}
      \; \underbrace{- \sum_i \frac{\Delta w_i}{w_i}\,(M_i + TC_i + TD_i)}_{\text{terms of trade}}

From a zero base tariff with :math:`E_x = \infty` this is :math:`\tfrac12 \sum_i \Delta t_i
\Delta M_i`, the consumer-surplus triangle WITS reports (WITS reports it as a positive area
for a tariff cut; here it is negative for a tariff increase, as a loss should be).

References: WITS online help, "SMART Input Requirements and Output Results" and "Trade
Effects" (World Bank, 2010); Jammes, O. and Olarreaga, M. (2005), "Explaining SMART and GSIM",
World Bank; Laird, S. and Yeats, A. (1986), "The UNCTAD trade policy simulation model", UNCTAD
Discussion Paper 19.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from analysis.model.diversion import trade_creation_and_diversion

FloatArray: TypeAlias = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SmartResult:
    """Output of :func:`smart_effects`. Arrays are read-only.

    Per-partner fields have shape ``S = (..., n_markets, n_sources)``, per-market fields
    ``S[:-1]``. Amounts are in the currency of ``base_import_value_usd`` at base world prices.

    Attributes
    ----------
    creation_effect_usd
        :math:`TC_i`, SMART's trade creation per partner (quantity effect of its own tariff).
    diversion_effect_usd
        :math:`TD_i`, SMART's trade diversion per partner; sums to zero over partners.
    trade_effect_usd
        :math:`TC_i + TD_i`, the change in import quantity valued at base world prices.
    quantity_change
        :math:`(TC_i + TD_i)/M_i` (0 where :math:`M_i = 0`).
    exporter_price_change
        :math:`\\Delta w_i / w_i`, the world (exporter) price change; 0 for :math:`E_x = \\infty`.
    buyer_price_change
        :math:`d_i + \\Delta w_i / w_i`, first order.
    price_effect_usd
        :math:`M_i \\Delta w_i/w_i`, the change in import value from the world price.
    import_value_change_usd
        ``trade_effect_usd + price_effect_usd``: the change in import value at world prices.
    trade_creation_usd
        :math:`\\sum_i` ``import_value_change_usd`` per market; same definition as the exact
        model's ``MarketSolution.trade_creation_usd``.
    trade_diversion_usd
        ``import_value_change_usd`` minus the partner's base share of ``trade_creation_usd``;
        same definition as ``MarketSolution.trade_diversion_usd`` (not SMART's :math:`TD_i`).
    base_tariff_revenue_usd, new_tariff_revenue_usd
        :math:`t_{0i} M_i` and :math:`t_{1i} (M_i + \\text{import value change}_i)`.
    tariff_revenue_change_usd
        New minus base revenue, per market.
    efficiency_effect_usd
        :math:`\\sum_i (t_{0i} + \\Delta t_i/2)(TC_i + TD_i)` per market.
    terms_of_trade_gain_usd
        :math:`-\\sum_i (\\Delta w_i/w_i)(M_i + TC_i + TD_i)` per market.
    welfare_change_usd
        Efficiency plus terms of trade, per market (positive = gain).
    """

    creation_effect_usd: FloatArray
    diversion_effect_usd: FloatArray
    trade_effect_usd: FloatArray
    quantity_change: FloatArray
    exporter_price_change: FloatArray
    buyer_price_change: FloatArray
    price_effect_usd: FloatArray
    import_value_change_usd: FloatArray
    trade_creation_usd: FloatArray
    trade_diversion_usd: FloatArray
    base_tariff_revenue_usd: FloatArray
    new_tariff_revenue_usd: FloatArray
    tariff_revenue_change_usd: FloatArray
    efficiency_effect_usd: FloatArray
    terms_of_trade_gain_usd: FloatArray
    welfare_change_usd: FloatArray


def smart_effects(
    *,
    base_import_value_usd: npt.ArrayLike,
    base_tariff_rate: npt.ArrayLike,
    new_tariff_rate: npt.ArrayLike,
    import_demand_elasticity: npt.ArrayLike,
    substitution_elasticity: npt.ArrayLike,
    export_supply_elasticity: npt.ArrayLike = np.inf,
) -> SmartResult:
    """SMART trade, revenue and welfare effects of a tariff change (first order).

    .. math::

        TC_i = -\\frac{E_m}{1 + E_m/E_x} M_i d_i, \\qquad
        TD_i = -\\frac{E_s}{1 + E_s/E_x} M_i \\Big(d_i - \\sum_k m_k d_k\\Big), \\qquad
        d_i = \\frac{t_{1i} - t_{0i}}{1 + t_{0i}}

    Parameters
    ----------
    base_import_value_usd
        ``(..., m, i)`` base imports :math:`M_i \\ge 0` by partner (no domestic source).
    base_tariff_rate, new_tariff_rate
        ``(..., m, i)`` ad valorem rates, finite and > −1.
    import_demand_elasticity
        ``(..., m)``, :math:`E_m`: magnitude of the import demand elasticity. WITS's negative
        convention is accepted (the absolute value is used).
    substitution_elasticity
        ``(..., m)``, :math:`E_s \\ge 0` between partners.
    export_supply_elasticity
        ``(..., m)``, :math:`E_x > 0`, common to the partners of a market (a SMART
        assumption); ``np.inf`` (the default) is perfectly elastic supply.

    Returns
    -------
    SmartResult
    """
    m, t0, t1, em, es, ex, shape = _checked_inputs(
        base_import_value_usd,
        base_tariff_rate,
        new_tariff_rate,
        import_demand_elasticity,
        substitution_elasticity,
        export_supply_elasticity,
    )
    em_s, es_s, ex_s = em[..., None], es[..., None], ex[..., None]
    d = (t1 - t0) / (1.0 + t0)
    total = np.sum(m, axis=-1, keepdims=True)
    share = np.divide(m, total, out=np.zeros_like(m), where=total > 0.0)
    d_bar = np.sum(share * d, axis=-1, keepdims=True)
    relative = d - d_bar
    # E/(1 + E/E_x) = E E_x/(E_x + E): the quantity response net of the world-price change.
    creation_factor = _net_of_supply(em_s, ex_s)
    diversion_factor = _net_of_supply(es_s, ex_s)
    creation = np.broadcast_to(-creation_factor * m * d, shape)
    diversion = np.broadcast_to(-diversion_factor * m * relative, shape)
    trade = creation + diversion
    # The world price moves along the supply curve: Δw/w = ΔM/(M E_x), written without 1/E_x.
    world = np.broadcast_to(
        -_share_absorbed(em_s, ex_s) * d - _share_absorbed(es_s, ex_s) * relative, shape
    )
    return _result(m, t0, t1, shape, creation, diversion, trade, world)


def _checked_inputs(
    base_import_value_usd: npt.ArrayLike,
    base_tariff_rate: npt.ArrayLike,
    new_tariff_rate: npt.ArrayLike,
    import_demand_elasticity: npt.ArrayLike,
    substitution_elasticity: npt.ArrayLike,
    export_supply_elasticity: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, tuple[int, ...]]:
    """The inputs as float arrays, range-checked, and their broadcast shape."""
    m = _float("base_import_value_usd", base_import_value_usd)
    t0 = _float("base_tariff_rate", base_tariff_rate)
    t1 = _float("new_tariff_rate", new_tariff_rate)
    em = np.abs(_float("import_demand_elasticity", import_demand_elasticity))
    es = _float("substitution_elasticity", substitution_elasticity)
    ex = _float("export_supply_elasticity", export_supply_elasticity)
    for name, a in (("base_import_value_usd", m), ("import_demand_elasticity", em)):
        if not np.all(np.isfinite(a)) or np.any(a < 0.0):
            raise ValueError(f"{name}: expected finite values >= 0")
    for name, a in (("base_tariff_rate", t0), ("new_tariff_rate", t1)):
        if not np.all(np.isfinite(a)) or np.any(a <= -1.0):
            raise ValueError(f"{name}: expected finite values > -1")
    if not np.all(np.isfinite(es)) or np.any(es < 0.0):
        raise ValueError("substitution_elasticity: expected finite values >= 0")
    if np.any(np.isnan(ex)) or np.any(ex <= 0.0):
        raise ValueError("export_supply_elasticity: expected values > 0 (np.inf allowed)")
    try:
        shape = np.broadcast_shapes(
            m.shape, t0.shape, t1.shape, (*em.shape, 1), (*es.shape, 1), (*ex.shape, 1)
        )
    except ValueError as err:
        raise ValueError(
            "inputs do not broadcast: per-partner arrays are (..., n_markets, n_sources) and "
            "elasticities (..., n_markets)"
        ) from err
    if len(shape) == 0:
        raise ValueError("base_import_value_usd: expected at least one partner (a last axis)")

    return m, t0, t1, em, es, ex, shape


def _result(
    m: FloatArray,
    t0: FloatArray,
    t1: FloatArray,
    shape: tuple[int, ...],
    creation: FloatArray,
    diversion: FloatArray,
    trade: FloatArray,
    world: FloatArray,
) -> SmartResult:
    """Revenue, welfare and the creation/diversion split from the quantity and price effects."""
    d = (t1 - t0) / (1.0 + t0)
    quantity_change = np.divide(
        trade, np.broadcast_to(m, shape), out=np.zeros(shape), where=np.broadcast_to(m, shape) > 0
    )
    price_effect = m * world
    value_change = trade + price_effect
    creation_total, diversion_rule = trade_creation_and_diversion(
        value_change_usd=value_change,
        base_value_usd=np.broadcast_to(m, shape),
        is_foreign=np.ones(shape[-1], dtype=bool),
    )
    base_revenue = np.broadcast_to(t0 * m, shape)
    new_revenue = np.broadcast_to(t1 * (m + value_change), shape)
    efficiency = np.sum((t0 + 0.5 * (t1 - t0)) * trade, axis=-1)
    terms_of_trade = -np.sum(world * (m + trade), axis=-1)

    def ro(a: npt.ArrayLike) -> FloatArray:
        # asarray: sums over a single market are numpy scalars, whose flags cannot be set.
        view = np.asarray(a, dtype=np.float64).view()
        view.flags.writeable = False
        return view

    return SmartResult(
        creation_effect_usd=ro(creation),
        diversion_effect_usd=ro(diversion),
        trade_effect_usd=ro(trade),
        quantity_change=ro(quantity_change),
        exporter_price_change=ro(world),
        buyer_price_change=ro(np.broadcast_to(d + world, shape)),
        price_effect_usd=ro(np.broadcast_to(price_effect, shape)),
        import_value_change_usd=ro(np.broadcast_to(value_change, shape)),
        trade_creation_usd=ro(creation_total),
        trade_diversion_usd=ro(diversion_rule),
        base_tariff_revenue_usd=ro(base_revenue),
        new_tariff_revenue_usd=ro(new_revenue),
        tariff_revenue_change_usd=ro(np.sum(new_revenue - base_revenue, axis=-1)),
        efficiency_effect_usd=ro(efficiency),
        terms_of_trade_gain_usd=ro(terms_of_trade),
        welfare_change_usd=ro(efficiency + terms_of_trade),
    )


def _net_of_supply(elasticity: FloatArray, supply: FloatArray) -> FloatArray:
    """:math:`E/(1 + E/E_x) = E E_x/(E_x + E)`, equal to :math:`E` for :math:`E_x = \\infty`."""
    with np.errstate(invalid="ignore", divide="ignore"):
        finite = elasticity * supply / (supply + elasticity)
    return np.asarray(np.where(np.isinf(supply), elasticity, finite), dtype=np.float64)


def _share_absorbed(elasticity: FloatArray, supply: FloatArray) -> FloatArray:
    """:math:`E/(E_x + E)`: the share of a price shock absorbed by the world price (0 if
    :math:`E = 0` or :math:`E_x = \\infty`)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = elasticity / (supply + elasticity)
    return np.asarray(np.where(elasticity == 0.0, 0.0, share), dtype=np.float64)


def _float(name: str, value: npt.ArrayLike) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name}: expected numbers, found {value!r}") from err
