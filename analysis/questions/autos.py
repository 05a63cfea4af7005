"""Cars: a voluntary export restraint against the tariff that gives the same volume.

A binding quota on one source raises its buyer price above what its exporters receive; the
gap, per unit, is the quota rent. The tariff equivalent t_eq is the ad valorem rate on the
exporters' price that opens the same gap, (1 + t_eq) w = p. Imposing t_eq instead of the
quota gives the same prices and volumes (the model test checks this); the only difference is
who keeps the wedge: the exporters (quota rent) or the US Treasury (tariff revenue).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.focus import Focus
from analysis.model.quota import tariff_equivalent_closed_form
from analysis.questions.simulate import (
    SimulationResult,
    border_price_change,
    headline_arrays,
    simulate,
)
from analysis.questions.us_market import DOMESTIC, solve


def ver_versus_tariff(
    ver: SimulationResult, partner: str | None = None, sector: str | None = None
) -> pd.DataFrame:
    """Outcomes of the quota on ``partner``'s ``sector`` (default: the result's focus) and of
    its tariff equivalent at equal volume, side by side; the partner's units and export
    revenue are that partner's."""
    data = ver.data
    focus = Focus(partner or ver.focus.partner, sector or ver.focus.sector)
    partner, sector = focus.partner, focus.sector
    i, j = data.sector_index(sector), data.partner_index(partner)
    if not bool(ver.solution.cap_binds[i, j]):
        raise ValueError(f"the quota on {partner} {sector} does not bind in {ver.scenario.name}")
    t_eq = float(ver.solution.tariff_equivalent_rate[i, j])
    new_tariff = ver.market.new_tariff_rate.copy()
    new_tariff[i, j] = t_eq
    tariff_market = replace(
        ver.market, new_tariff_rate=new_tariff, quantity_cap=np.full_like(new_tariff, np.nan)
    )
    tariff_solution = solve(tariff_market, ver.elasticities)
    rows = []
    for label, market, solution in (
        ("voluntary export restraint", ver.market, ver.solution),
        (f"tariff equivalent ({t_eq:.1%})", tariff_market, tariff_solution),
    ):
        head = headline_arrays(solution, market, data, ver.params, focus)
        rows.append(
            {
                "policy": label,
                "tariff_equivalent_rate": t_eq,
                "quantity_change": float(solution.quantity_change[i, j]),
                "buyer_price_change": float(solution.buyer_price_change[i, j]),
                "exporter_price_change": float(border_price_change(solution, market)[i, j]),
                "supply_price_change": float(solution.exporter_price_change[i, j]),
                "focus_sector_units_change": float(head["focus_sector_units_change"]),
                "quota_rent_usd": float(solution.quota_rent_usd[i, j]),
                "tariff_revenue_on_sector_usd": float(solution.new_tariff_revenue_usd[i, j]),
                "focus_exports_value_change_usd": float(head["focus_exports_value_change_usd"]),
                "net_us_welfare_usd": float(head["net_us_welfare_usd"]),
                "us_buyer_cost_usd": float(head["us_buyer_cost_usd"]),
            }
        )
    return pd.DataFrame(rows)


def sector_outcomes(
    result: SimulationResult, partner: str | None = None, sector: str | None = None
) -> dict[str, float]:
    """Price, volume and value outcomes of one partner in one sector (default: the focus)."""
    data = result.data
    partner, sector = partner or result.focus.partner, sector or result.focus.sector
    i, j = data.sector_index(sector), data.partner_index(partner)
    s = result.solution
    base_value = float(result.market.base_value_usd[i, j])
    return {
        "base_tariff_rate": float(result.market.base_tariff_rate[i, j]),
        "new_tariff_rate": float(result.market.new_tariff_rate[i, j]),
        "exporter_price_change": float(s.exporter_price_change[i, j]),
        "buyer_price_change": float(s.buyer_price_change[i, j]),
        "pass_through": float(s.pass_through[i, j]),
        "quantity_change": float(s.quantity_change[i, j]),
        "value_change": float(s.value_change[i, j]),
        "base_value_usd": base_value,
        "value_change_usd": base_value * float(s.value_change[i, j]),
        # + 0.0 turns a -0.0 (no change) into 0.0 for display; NaN where no units are counted.
        "focus_sector_units_change": float(
            np.round(data.sector_units_2024(partner, sector) * float(s.quantity_change[i, j])) + 0.0
        ),
    }


@dataclass(frozen=True)
class QuotaEquivalents:
    """One cap's tariff equivalent measured three ways, each against a different law
    (all as ad valorem rates on the exporters' supply price, :func:`ver_versus_tariff`):

    * ``closed_form_rate``: the closed form the long-run elasticity is read off,
      :math:`1 + t^* = \\hat q^{-(1/\\varepsilon + 1/\\sigma)}` (one source too small to move
      the price index, no tariff before, nothing else changing);
    * ``before_2025_rate``: the full model, the cap alone on the baseline's law (Japan's cars
      at MFN, every other partner at its pre-2025 tariffs): the closed form with the MFN rate
      as :math:`t_0`, moved a little by the source's share of the market;
    * ``in_law_rate``: the full model, the cap in place of the car tariff in the quota
      scenario's own law, where the other partners' cars pay ``others_car_tariff_rate``
      (import-weighted), so buyers turn to the capped source and the cap binds harder.
    """

    cap_share: float
    supply_elasticity: float
    sigma: float
    base_tariff_rate: float  # the capped source's tariff before (MFN)
    closed_form_rate: float
    closed_form_with_base_rate: float
    before_2025_rate: float
    in_law_rate: float
    others_car_tariff_rate: float


def quota_equivalents(inputs: Inputs, ver: SimulationResult) -> QuotaEquivalents:
    """The tariff equivalents of ``ver``'s cap on its focus (:class:`QuotaEquivalents`), the
    same cap also solved alone on the baseline's law, with the same supply response."""
    before = simulate(
        inputs,
        replace(ver.baseline, quotas=ver.scenario.quotas, horizon=ver.horizon),
        ver.baseline,
        focus=ver.focus,
    )
    data, focus = ver.data, ver.focus
    sigma = float(ver.elasticities.substitution_elasticity[data.sector_index(focus.sector)])
    i, j = data.sector_index(focus.sector), data.partner_index(focus.partner)
    cap = next(q.cap_share_of_2024 for q in ver.scenario.quotas if q.partner == focus.partner)
    eps = float(ver.elasticities.supply_elasticity[i, j])
    t0 = float(ver.market.base_tariff_rate[i, j])
    foreign = [k for k, s in enumerate(ver.market.sources) if s not in (DOMESTIC, focus.partner)]
    weights = ver.market.base_value_usd[i, foreign]
    others = float(np.average(ver.market.new_tariff_rate[i, foreign], weights=weights))
    return QuotaEquivalents(
        cap_share=cap,
        supply_elasticity=eps,
        sigma=sigma,
        base_tariff_rate=t0,
        closed_form_rate=float(tariff_equivalent_closed_form(cap, eps, sigma)),
        closed_form_with_base_rate=float(tariff_equivalent_closed_form(cap, eps, sigma, t0)),
        before_2025_rate=float(before.solution.tariff_equivalent_rate[i, j]),
        in_law_rate=float(ver.solution.tariff_equivalent_rate[i, j]),
        others_car_tariff_rate=others,
    )
