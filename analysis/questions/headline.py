r"""The formulas of the headline outcomes: each from the solved market, the data and the focus.

Every formula takes one :class:`OutcomeContext` and returns an array with the solution's
leading (Monte Carlo draw or rate grid) axes, or a float for one solved scenario. The registry
(:mod:`analysis.questions.outcomes`) names, labels and formats them; this module only computes.

Exports are valued at customs value: the supply price plus any quota rent (what trade data
record and what the exporters receive). The focus partner is a source of the market addressed
by its id, US producers by the market's ``is_domestic`` flag.

All US buyers' extra cost of the base basket, with
:math:`c_i = (1+t_{0i})\hat p_i/(1+t_{1i})` the new customs price of source i (its supply price
plus any quota rent), :math:`\sum_i (1+t_{0i}) V_i (\hat p_i - 1)`, is the sum of

* duties: :math:`\sum_{i\,\mathrm{foreign}} V_i (t_{1i} - t_{0i})\, c_i`,
* higher prices of imports net of duty: :math:`\sum_{i\,\mathrm{foreign}} (1+t_{0i})
  V_i (c_i - 1)` (negative where exporters cut their prices), and
* higher prices of US-made goods: :math:`V_d (\hat p_d - 1)`.

It is every US buyer's (firms, government and exporters' inputs included), so per household
it is not a household's cost: that is the consumer price level change of
:mod:`analysis.questions.consumer_prices` times consumption per household.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from analysis.inputs.datasets import TradeData
from analysis.inputs.focus import Focus
from analysis.inputs.parameters import ModelParameters
from analysis.model.armington import MarketSolution
from analysis.model.welfare import UsWelfare, us_welfare
from analysis.questions.consumer_prices import ConsumerPriceChange
from analysis.questions.us_market import Market


@dataclass(frozen=True)
class OutcomeContext:
    """What a headline formula may read: the solution, its market, the data and the focus."""

    solution: MarketSolution
    market: Market
    data: TradeData
    params: ModelParameters
    focus: Focus
    consumer: ConsumerPriceChange | None = None  # one solved scenario only

    @property
    def lead(self) -> int:
        """The number of leading (draw) axes."""
        return int(np.ndim(self.solution.price_index_change)) - 1

    @property
    def partner(self) -> int:
        return self.market.source_index(self.focus.partner)

    @property
    def sector(self) -> int:
        return self.market.sector_index(self.focus.sector)

    def welfare(self) -> UsWelfare:
        return self._welfare

    # Computed once per context: several formulas read them (a Monte Carlo chunk's arrays are
    # large, so recomputing them per formula was most of the headline's cost).
    @functools.cached_property
    def _welfare(self) -> UsWelfare:
        return us_welfare(self.solution)

    @functools.cached_property
    def customs_value_change_usd(self) -> np.ndarray:
        """Change in each source's sales at customs value (supply price plus quota rent)."""
        s = self.solution
        return np.asarray(s.new_value_usd + s.quota_rent_usd - self.market.base_value_usd)

    @functools.cached_property
    def customs_price(self) -> np.ndarray:
        """:math:`c_i = (1+t_{0i})\\hat p_i/(1+t_{1i})`, each source's new customs price."""
        t0, t1 = self.market.base_tariff_rate, self.market.new_tariff_rate
        return np.asarray((1 + t0) * (1 + self.solution.buyer_price_change) / (1 + t1))

    def total(self, values: np.ndarray) -> np.ndarray:
        """Sum over markets and sources (everything after the leading axes)."""
        values = np.asarray(values)
        return np.asarray(values.sum(axis=tuple(range(self.lead, values.ndim))))

    def weighted_total(self, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        """:math:`\\sum_{m,i} w_{mi} x_{mi}` over markets and sources, for weights without draw
        axes (a mask of sources times base values, say): one pass, instead of a masked copy of
        a Monte Carlo chunk's arrays and its sum. ``values`` must be finite where the weight
        is 0."""
        values = np.asarray(values)
        cells = values.shape[self.lead :]
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim > len(cells):  # a market with leading axes of its own (rates by layer)
            return self.total(w * values)
        flat = np.broadcast_to(w, cells).ravel()
        # einsum, not a BLAS product: each draw's sum is then the same whatever the number of
        # draws solved at once (BLAS kernels block the rows, and round by block).
        rows = values.reshape(*values.shape[: self.lead], -1)
        return np.asarray(np.einsum("...j,j->...", rows, flat))


Formula = Callable[[OutcomeContext], "np.ndarray | float"]


def border_price_change(solution: MarketSolution, market: Market) -> np.ndarray:
    """The price exporters get at the US border (customs value per unit), quota rent included:
    ``p' (1 + t0) / (1 + t1) - 1``. Without a binding quota it is the supply price change;
    under a quota (a VER) the exporters keep the rent, so it is above their supply price."""
    tau = (1 + market.new_tariff_rate) / (1 + market.base_tariff_rate)
    return np.asarray((1 + solution.buyer_price_change) / tau - 1)


def tariff_revenue_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.solution.new_tariff_revenue_usd)


def tariff_revenue_change_usd(c: OutcomeContext) -> np.ndarray:
    s = c.solution
    return c.total(s.new_tariff_revenue_usd - s.base_tariff_revenue_usd)


def us_buyer_cost_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.solution.us_buyer_cost_same_basket_usd)


def us_buyer_cost_per_household_usd(c: OutcomeContext) -> np.ndarray:
    return us_buyer_cost_usd(c) / c.params.us_households


def us_buyer_cost_per_household_after_substitution_usd(c: OutcomeContext) -> np.ndarray:
    """The fall in buyers' surplus (they substitute along the demand curves), per household."""
    return -c.total(c.welfare().buyer_surplus_change_usd) / c.params.us_households


def us_buyer_duty_paid_usd(c: OutcomeContext) -> np.ndarray:
    """:math:`\\sum_{i\\,\\mathrm{foreign}} V_i (t_{1i} - t_{0i})\\, c_i`."""
    m = c.market
    rate_rise = np.where(
        m.is_foreign, m.base_value_usd * (m.new_tariff_rate - m.base_tariff_rate), 0.0
    )
    return c.weighted_total(rate_rise, c.customs_price)


def us_buyer_import_price_net_of_duty_usd(c: OutcomeContext) -> np.ndarray:
    """:math:`\\sum_{i\\,\\mathrm{foreign}} (1+t_{0i}) V_i (c_i - 1)`."""
    m = c.market
    base_spend = np.where(m.is_foreign, (1 + m.base_tariff_rate) * m.base_value_usd, 0.0)
    return c.weighted_total(base_spend, c.customs_price - 1)


def us_buyer_domestic_price_usd(c: OutcomeContext) -> np.ndarray:
    """:math:`V_d (\\hat p_d - 1)` summed over markets."""
    m = c.market
    domestic_value = np.where(m.is_domestic, m.base_value_usd, 0.0)
    return c.weighted_total(domestic_value, c.solution.buyer_price_change)


def buyer_surplus_change_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.welfare().buyer_surplus_change_usd)


def domestic_producer_surplus_change_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.welfare().domestic_producer_surplus_change_usd)


def terms_of_trade_gain_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.welfare().terms_of_trade_gain_usd)


def quota_rent_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.solution.quota_rent_usd)


def deadweight_loss_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.welfare().deadweight_loss_usd)


def net_us_welfare_usd(c: OutcomeContext) -> np.ndarray:
    return c.total(c.welfare().net_welfare_usd)


def imports_value_change_usd(c: OutcomeContext) -> np.ndarray:
    return c.weighted_total(c.market.is_foreign, c.customs_value_change_usd)


def focus_exports_value_change_usd(c: OutcomeContext) -> np.ndarray:
    """Change in the customs value of the focus partner's sales to the US, every sector."""
    return np.asarray(c.customs_value_change_usd[..., c.partner].sum(axis=-1))


def focus_exports_value_change(c: OutcomeContext) -> np.ndarray:
    base = float(c.market.base_value_usd[..., c.partner].sum())
    return np.asarray(focus_exports_value_change_usd(c) / base)


def focus_exports_volume_change(c: OutcomeContext) -> np.ndarray:
    """Quantities at base prices: :math:`\\sum_s V_s \\hat q_s / \\sum_s V_s - 1`."""
    base = c.market.base_value_usd[..., c.partner]
    volume = (base * (1 + c.solution.quantity_change[..., c.partner])).sum(axis=-1)
    return np.asarray(volume / base.sum() - 1)


def focus_gdp_change(c: OutcomeContext) -> np.ndarray:
    """First order: the domestic value added in the export change over GDP; NaN where the
    partner's GDP is not among the cited parameters."""
    gdp = c.params.partner_gdp.get(c.focus.partner)
    change = focus_exports_value_change_usd(c)
    if gdp is None:
        return np.full(np.shape(change), np.nan)
    return np.asarray(change * gdp.domestic_value_added_share / gdp.gdp_usd)


def focus_sector_units_change(c: OutcomeContext) -> np.ndarray:
    """Whole units (cars): 2024 units times the quantity change; + 0.0 turns -0.0 (no change:
    a vertical supply curve) into 0.0. NaN where the data count no units."""
    units = c.data.sector_units_2024(c.focus.partner, c.focus.sector)
    change = c.solution.quantity_change[..., c.sector, c.partner]
    return np.asarray(np.round(units * change) + 0.0)


def focus_exporter_price_change(c: OutcomeContext) -> np.ndarray:
    i, j = c.sector, c.partner  # border_price_change at the focus cell only
    m = c.market
    tau = (1 + m.new_tariff_rate[..., i, j]) / (1 + m.base_tariff_rate[..., i, j])
    return np.asarray((1 + c.solution.buyer_price_change[..., i, j]) / tau - 1)


def focus_us_price_change(c: OutcomeContext) -> np.ndarray:
    return np.asarray(c.solution.buyer_price_change[..., c.sector, c.partner])


def _consumer(c: OutcomeContext) -> ConsumerPriceChange:
    if c.consumer is None:
        raise ValueError("consumer price outcomes need a solved scenario's consumer prices")
    return c.consumer


def consumer_price_level_change(c: OutcomeContext) -> float:
    return _consumer(c).consumer_price_level_change


def consumer_price_level_change_after_substitution(c: OutcomeContext) -> float:
    return _consumer(c).consumer_price_level_change_after_substitution


def household_cost_usd(c: OutcomeContext) -> float:
    return _consumer(c).household_cost_usd


def household_cost_after_substitution_usd(c: OutcomeContext) -> float:
    return _consumer(c).household_cost_after_substitution_usd
