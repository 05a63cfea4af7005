"""US welfare of a solved market: buyers + domestic producers + tariff revenue."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.model.armington import MarketSolution
from analysis.model.arrays import FloatArray, readonly, source_sum


@dataclass(frozen=True)
class UsWelfare:
    """US welfare decomposition of a :class:`MarketSolution`, per market (shape ``S[:-1]``).

    .. math::

        W &= \\Delta CS + \\Delta PS_{US} + \\Delta R \\\\
        DWL &= ToT - W

    A binding VER hands the quota rent to foreign exporters: it is part of what the US pays
    them, so the terms-of-trade gain is net of it, and it is also reported on its own.

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
        :math:`ToT - W` (positive = efficiency lost).
    """

    buyer_surplus_change_usd: FloatArray
    domestic_producer_surplus_change_usd: FloatArray
    tariff_revenue_change_usd: FloatArray
    net_welfare_usd: FloatArray
    terms_of_trade_gain_usd: FloatArray
    quota_rent_to_foreigners_usd: FloatArray
    deadweight_loss_usd: FloatArray


def us_welfare(solution: MarketSolution, domestic_mask: npt.ArrayLike | None = None) -> UsWelfare:
    """US welfare change per market: buyers + domestic producers + tariff revenue.

    .. math::

        W = \\Delta CS + \\sum_{i\\,\\mathrm{domestic}} \\Delta PS_i
            + \\sum_i (t_{1i} c_i \\hat q_i V_i - t_{0i} V_i),
        \\qquad DWL = ToT - W

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
    # The domestic source is one column (or none): no masked copy of every source.
    producer = np.asarray(np.sum(solution.producer_surplus_change_usd[..., mask], axis=-1))
    revenue = np.asarray(
        source_sum(solution.new_tariff_revenue_usd) - source_sum(solution.base_tariff_revenue_usd)
    )
    net = np.asarray(solution.buyer_surplus_change_usd + producer + revenue)
    rent = np.asarray(source_sum(solution.quota_rent_usd))
    tot = solution.terms_of_trade_gain_usd
    return UsWelfare(
        buyer_surplus_change_usd=solution.buyer_surplus_change_usd,
        domestic_producer_surplus_change_usd=readonly(producer),
        tariff_revenue_change_usd=readonly(revenue),
        net_welfare_usd=readonly(net),
        terms_of_trade_gain_usd=tot,
        quota_rent_to_foreigners_usd=readonly(rent),
        deadweight_loss_usd=readonly(np.asarray(tot - net)),
    )
