"""Cars: a voluntary export restraint against the tariff that gives the same volume.

A binding quota on one source raises its buyer price above what its exporters receive; the
gap, per unit, is the quota rent. The tariff equivalent t_eq is the ad valorem rate on the
exporters' price that opens the same gap, (1 + t_eq) w = p. Imposing t_eq instead of the
quota gives the same prices and volumes (the model test checks this); the only difference is
who keeps the wedge: the exporters (quota rent) or the US Treasury (tariff revenue).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.inputs.focus import Focus
from analysis.questions.simulate import SimulationResult, border_price_change, headline_arrays
from analysis.questions.us_market import solve


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
