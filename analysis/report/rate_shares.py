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

from analysis.policy.stacking import ActiveMeasure, TariffSchedule
from analysis.report.brief import percent
from analysis.report.text import its, possessive
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


def first_reaching(
    schedule: TariffSchedule, partner: str, changed: list[str]
) -> tuple[RateShares, ActiveMeasure] | None:
    """The first measure a scenario changes that reaches ``partner`` and is not a Section 232
    one, with its shares; None when there is none (a law as written, or a change elsewhere)."""
    for measure_id in changed:
        active = next((a for a in schedule.active if a.measure.id == measure_id), None)
        if active is None or active.measure.is_section232:
            continue
        shares = rate_shares(schedule, partner, measure_id)
        if shares.measure_share > 0:
            return shares, active
    return None


def points_by_kind(schedule: TariffSchedule, partner: str) -> tuple[float, float, float]:
    """``partner``'s average tariff (all duties) in three parts that add up to it exactly:
    the MFN or trade-agreement duty, the Section 232 duties and every other additional tariff,
    each import-weighted with 2024 imports (the schedule's own contributions by measure)."""
    by_measure = schedule.measure_rates(partner)
    section232 = {a.measure.id for a in schedule.active if a.measure.is_section232}
    s232 = float(sum(v for m, v in by_measure.items() if m in section232))
    other = float(sum(v for m, v in by_measure.items() if m not in section232))
    total = float(schedule.effective_rates().loc[partner, "effective_tariff_rate"])
    return total - s232 - other, s232, other


def why_the_average(schedule: TariffSchedule, partner: str, who: str, changed: list[str]) -> str:
    """Why the partner's average is not the rate a scenario sets, from the schedule: for the
    first measure the scenario changes that reaches the partner (not a Section 232 one), the
    shares of its 2024 imports paying it, paying Section 232 instead and paying neither, and
    the average in points by kind of duty (:func:`points_by_kind`, which add up to it); ""
    when no changed measure reaches the partner."""
    found = first_reaching(schedule, partner, changed)
    if found is None:
        return ""
    shares, active = found
    instead = (
        f"{percent(shares.section232_share)} pay a Section 232 duty instead (the sectoral "
        "tariffs, such as those on cars and parts, steel and aluminium, which this tariff "
        "does not stack on)"
        if active.measure.applies_to == "non_section232"
        else f"{percent(shares.section232_share)} also pay a Section 232 duty"
    )
    mfn, s232, other = points_by_kind(schedule, partner)
    shown = sum(round(x * 100, 1) for x in (mfn, s232, other))
    rounding = (
        "" if abs(shown - round((mfn + s232 + other) * 100, 1)) < 0.05 else " (rounded separately)"
    )
    return (
        f"Why the average is not the scenario's rate: {percent(shares.measure_share)} of "
        f"{possessive(who)} 2024 exports to the US pay the rate it sets "
        f"({in_words(active.measure.title)}); "
        f"{instead}; the other {percent(shares.other_share)} pay neither (goods exempt from "
        "it, such as those listed in Annex II); shares weighted with 2024 imports. So the "
        f"average, {percent(mfn + s232 + other)}, is {points(other)} from the tariffs outside "
        f"Section 232, {points(s232)} from Section 232 and {points(mfn)} of MFN or "
        f"trade-agreement duty{rounding}."
    )


def why_in_brief(schedule: TariffSchedule, partner: str, who: str, changed: list[str]) -> str:
    """:func:`why_the_average` in a clause for a list or the index (``the scenario's rate on
    46.0% of its exports, Section 232 on 41.1%, neither on 12.9%``); "" likewise."""
    found = first_reaching(schedule, partner, changed)
    if found is None:
        return ""
    shares, active = found
    also = "instead" if active.measure.applies_to == "non_section232" else "as well"
    return (
        f"the scenario's rate on {percent(shares.measure_share)} of {its(who)} exports, Section "
        f"232 {also} on {percent(shares.section232_share)}, neither on "
        f"{percent(shares.other_share)}"
    )


def points(rate: float) -> str:
    """A part of an average tariff in percentage points: ``16.1 points``."""
    return f"{rate * 100:.1f} points"
