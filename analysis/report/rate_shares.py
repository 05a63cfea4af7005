"""Why a partner's average tariff is not the rate a scenario sets: the shares of its 2024
imports that pay that rate, that pay a Section 232 duty instead, and that pay neither.

A measure's contribution to a (sector, partner) cell is its rate times the share of the cell's
imports it reaches (``rate x net`` for an additive measure, ``(rate - MFN) x net`` for a
floor), so the share it reaches is the contribution over that rate; the share paying a Section
232 duty is the schedule's ``section232_share``. Both are weighted with 2024 imports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.policy.stacking import TariffSchedule
from analysis.report.brief import percent
from analysis.report.text import possessive
from analysis.report.views import in_words


@dataclass(frozen=True)
class RateShares:
    """Shares (fractions) of a partner's 2024 imports: paying ``measure_id``, paying Section
    232 instead, and the rest (neither: exempt goods, or only MFN)."""

    measure_id: str
    measure_share: float
    section232_share: float

    @property
    def other_share(self) -> float:
        return max(0.0, 1.0 - self.measure_share - self.section232_share)


def rate_shares(schedule: TariffSchedule, partner: str, measure_id: str) -> RateShares:
    """The shares of ``partner``'s 2024 imports reached by ``measure_id`` and by Section 232."""
    j = schedule.partners.index(partner)
    imports_usd = schedule.imports_usd[:, j]
    total_usd = float(imports_usd.sum())
    s232 = float((schedule.section232_share[:, j] * imports_usd).sum()) / total_usd
    active = next((a for a in schedule.active if a.measure.id == measure_id), None)
    if active is None or measure_id not in schedule.contributions:
        return RateShares(measure_id, 0.0, s232)
    rate = active.rate_grid(schedule.sectors, schedule.partners)[:, j]
    if active.measure.stacking == "floor" or (
        active.measure.is_section232 and active.measure.stacking != "section232"
    ):
        rate = np.maximum(0.0, rate - schedule.mfn_tariff_rate[:, j])
    added = schedule.contributions[measure_id][:, j]
    reached = np.divide(added, rate, out=np.zeros_like(added), where=rate > 0)
    share = float((reached * imports_usd).sum()) / total_usd
    return RateShares(measure_id, share, 0.0 if active.measure.is_section232 else s232)


def why_the_average(schedule: TariffSchedule, partner: str, who: str, changed: list[str]) -> str:
    """One sentence on why the partner's average is not the rate a scenario sets: for the
    first measure the scenario changes that reaches the partner (not a Section 232 one), the
    shares of its 2024 imports paying it, paying Section 232 instead, and paying neither; ""
    when no changed measure reaches the partner."""
    for measure_id in changed:
        shares = rate_shares(schedule, partner, measure_id)
        active = next(a for a in schedule.active if a.measure.id == measure_id)
        if shares.measure_share <= 0 or active.measure.is_section232:
            continue
        instead = (
            f"{percent(shares.section232_share)} pay a Section 232 duty instead (the sectoral "
            "tariffs, such as those on cars and parts, steel and aluminium, which this tariff "
            "does not stack on)"
            if active.measure.applies_to == "non_section232"
            else f"{percent(shares.section232_share)} also pay a Section 232 duty"
        )
        return (
            f"Why the average is not the scenario's rate: {percent(shares.measure_share)} of "
            f"{possessive(who)} 2024 exports to the US pay the rate it sets "
            f"({in_words(active.measure.title)}); "
            f"{instead}; the other {percent(shares.other_share)} pay neither (goods exempt from "
            "it, such as those listed in Annex II); shares weighted with 2024 imports."
        )
    return ""
