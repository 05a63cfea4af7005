"""Revenue as customs collects it: a year of duties at a scenario's law (issue 17 item 2).

For a law L (a scenario's measures on its regime date) the model's rate of each sector x source
cell is the import-weighted mean of its HS10 x country lines (:mod:`analysis.policy.lines`):
the 2024 applied rate (FTA and GSP preferences, USMCA as claimed in 2024) plus each measure's
contribution, where a measure exempting USMCA goods exempts each line's monthly share actually
entered under USMCA (utilisation, SOURCES.md section 15). With the dutiable value ``D`` of each
cell under L (the customs value the model gives for L solved from the 2024 law, so the same law
gives the same revenue whatever it is compared with):

* ``collected_revenue_usd = sum D x t_L`` (the rates after utilisation and the listed
  exemptions; the model's own revenue when the comparison is the 2024 law);
* ``statutory_revenue_usd = sum D x t_L^0``: the same law with no USMCA preference claimed on
  the measures (every USMCA share 0), i.e. the rate as written on every line; collected equals
  statutory where every share is 0;
* ``revenue_by_authority_usd``: ``sum D x (rate of each authority)``, the 2024 applied rate
  under "2024 applied rate"; the parts add up to the collected revenue;
* ``revenue_subject_to_refund_usd``: the IEEPA part (the Supreme Court held on 20 Feb 2026 that
  IEEPA does not authorise tariffs; refunds are ordered, ``params/law_status.yaml``), and
  ``revenue_net_of_refunds_usd`` the collected revenue less it.

Not in it (no line-level source found): duty drawback, foreign-trade zones, Chapter 98 and de
minimis entries, and evasion. No factor is fitted to Treasury receipts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import TradeData
from analysis.inputs.scenarios import Scenario
from analysis.model.armington import MarketSolution
from analysis.policy.regimes import schedule_for_scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.us_market import Elasticities, build_market, solve

#: The authority whose duties are being refunded.
REFUNDED_AUTHORITY = "IEEPA"
BASELINE_PART = "2024 applied rate"


@dataclass(frozen=True)
class LawRevenue:
    """A year of duties at one law (module docstring), in US dollars."""

    collected_revenue_usd: float
    statutory_revenue_usd: float
    revenue_by_authority_usd: dict[str, float]
    revenue_subject_to_refund_usd: float
    revenue_net_of_refunds_usd: float

    def payload(self) -> dict[str, object]:
        return {
            "collected_revenue_usd": self.collected_revenue_usd,
            "statutory_revenue_usd": self.statutory_revenue_usd,
            "revenue_subject_to_refund_usd": self.revenue_subject_to_refund_usd,
            "revenue_net_of_refunds_usd": self.revenue_net_of_refunds_usd,
            "revenue_by_authority_usd": dict(self.revenue_by_authority_usd),
        }


def law_revenue(
    collected: TariffSchedule, statutory: TariffSchedule, dutiable_usd: np.ndarray
) -> LawRevenue:
    """The revenue of a law from its schedule after USMCA utilisation (``collected``), the
    same law with no USMCA share claimed (``statutory``) and each cell's dutiable value."""
    by_authority = {BASELINE_PART: float((collected.mfn_tariff_rate * dutiable_usd).sum())}
    names = {am.measure.id: am.measure.authority_name for am in collected.active}
    for mid, added in collected.contributions.items():
        name = names[mid]
        by_authority[name] = by_authority.get(name, 0.0) + float((added * dutiable_usd).sum())
    total = float((collected.tariff_rate * dutiable_usd).sum())
    refund = by_authority.get(REFUNDED_AUTHORITY, 0.0)
    return LawRevenue(
        collected_revenue_usd=total,
        statutory_revenue_usd=float((statutory.tariff_rate * dutiable_usd).sum()),
        revenue_by_authority_usd=by_authority,
        revenue_subject_to_refund_usd=refund,
        revenue_net_of_refunds_usd=total - refund,
    )


def dutiable_value_usd(
    new_tariff_revenue_usd: np.ndarray, new_tariff_rate: np.ndarray, new_value_usd: np.ndarray
) -> np.ndarray:
    """Each import cell's customs value under the law: the model's revenue over its rate
    (which counts a binding quota's rent in the value), else the new sales value."""
    positive = new_tariff_rate > 0
    safe = np.where(positive, new_tariff_rate, 1.0)
    return np.asarray(np.where(positive, new_tariff_revenue_usd / safe, new_value_usd))


#: The 2024 law the model's data are observed under (every law is solved from it here).
LAW_2024 = "mfn_only"


def scenario_revenue(
    inputs: Inputs,
    scenario: Scenario,
    schedule: TariffSchedule,
    data: TradeData,
    elasticities: Elasticities,
    solved: tuple[Scenario, MarketSolution],
) -> LawRevenue:
    """The revenue of ``scenario``'s law (module docstring). ``solved``: the baseline the
    model solved the scenario from and the solution, reused when it is the 2024 law."""
    baseline, solution = solved
    split = schedule.partners[len(inputs.data.partners) :]
    if baseline.name != LAW_2024:
        law_2024 = inputs.scenario(LAW_2024)
        base = schedule_for_scenario(law_2024, inputs.data, inputs.measures, inputs.lines, split)
        quotas = {(q.partner, q.sector): q.cap_share_of_2024 for q in scenario.quotas}
        solution = solve(build_market(data, base, schedule, quotas), elasticities)
    n = len(data.partners)
    dutiable = dutiable_value_usd(
        np.asarray(solution.new_tariff_revenue_usd)[:, :n],
        schedule.tariff_rate,
        np.asarray(solution.new_value_usd)[:, :n],
    )
    statutory = schedule_for_scenario(
        scenario, inputs.data, inputs.measures, inputs.lines, split, usmca_claimed=False
    )  # shared between a build's reports (``policy.regimes``)
    return law_revenue(schedule, statutory, dutiable)
