"""Our effective tariff rates beside the published ones, on the same day and the same law."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.published import PublishedRate
from analysis.inputs.scenarios import Scenario
from analysis.policy.regimes import schedule_for_date
from analysis.policy.stacking import TariffSchedule
from analysis.questions.simulate import simulate

#: A published rate is "close to ours" within this gap (one percentage point).
CLOSE_GAP_RATE = 0.01
#: Rates are compared as shown, to 0.1 percentage point (the published figures' precision).
SHOWN_DECIMALS = 3
#: The published figures that describe a different law from any we can compute, keyed by
#: (as of, partner, published rate), with what the figure scores instead.
DIFFERENT_LAW = {
    ("2025-07-14", "all", 0.206): "the letters' rates for 1 Aug 2025, not in force on 14 Jul",
    ("2026-02-24", "all", 0.154): "likely a 15% Section 122 rate, announced but never "
    "proclaimed (10% in law)",
    ("2026-11-28", "japan", 0.111): "an April 2026 projection if section 122 lapsed with "
    "nothing in its place; ours leaves out the 2026 Section 301 action instead",
}


def law_compared(published: PublishedRate) -> str:
    """``Same law``, or ``Not the same law: ...`` for a figure of :data:`DIFFERENT_LAW`."""
    other = DIFFERENT_LAW.get((published.as_of.isoformat(), published.partner, published.rate))
    return "Same law" if other is None else f"Not the same law: {other}"


def our_rate(
    inputs: Inputs, published: PublishedRate, laws: dict[dt.date, TariffSchedule] | None = None
) -> float:
    """Our import-weighted total rate (MFN included) for the figure's partner and day,
    leaving out the measures the figure's law does not have (``excluding``). ``laws``: the
    schedules of the days already stacked for ``inputs`` (a figure of the same day as another
    reads that day's law; the law stacked here is added)."""
    laws = {} if laws is None else laws
    schedule = laws.get(published.as_of)
    if schedule is None:
        schedule = schedule_for_date(published.as_of, inputs.data, inputs.measures, inputs.lines)
        laws[published.as_of] = schedule
    partner = None if published.partner == "all" else published.partner
    total = float(schedule.effective_rates().loc[published.partner, "effective_tariff_rate"])
    by_measure = schedule.measure_rates(partner)
    return total - sum(float(by_measure.get(m, 0.0)) for m in published.excluding)


def our_law(inputs: Inputs, published: PublishedRate) -> str:
    """The law our rate is for, in words: ``the law of 28 November 2026``, ``without`` the
    measures the published figure's law lacks (so it is never read as that day's rate)."""
    day = f"{published.as_of.day} {published.as_of:%B %Y}"
    left_out = [inputs.measures[m].title for m in published.excluding if m in inputs.measures]
    return f"The law of {day}" + (f", without: {'; '.join(left_out)}" if left_out else "")


def compare_published(inputs: Inputs) -> pd.DataFrame:
    """One row per published figure: its rate, ours (to 0.1 point, as shown), the gap (ours
    minus published, from the same rounded figures), whether it is the same law, why."""
    rows = []
    laws: dict[dt.date, TariffSchedule] = {}  # two figures of one day: its law stacked once
    for item in inputs.published_rates:
        ours = round(our_rate(inputs, item, laws), SHOWN_DECIMALS)
        rows.append(
            {
                "as_of": item.as_of.isoformat(),
                "partner": item.partner,
                "publisher": item.publisher,
                "published_rate": item.rate,
                "our_rate": ours,
                "our law": our_law(inputs, item),
                "law compared": law_compared(item),
                "gap_rate": round(ours - item.rate, SHOWN_DECIMALS),
                "why the numbers differ": item.explanation,
                "source": item.source.title,
                "url": item.source.url,
            }
        )
    return pd.DataFrame(rows)


def compare_household_costs(inputs: Inputs) -> pd.DataFrame:
    """Published cost per household beside ours, for the law of the figure's day against the
    law before 2025, before and after substitution, with our split of the before figure."""
    rows = []
    for item in inputs.published_costs:
        law = Scenario(
            name=f"law_of_{item.law_of:%Y_%m_%d}",
            path=inputs.params_dir / "published_costs.yaml",
            title=f"The law of {item.law_of:%-d %B %Y}",
            description="The measures in force that day.",
            regime_date=item.law_of,
            changes=(),
            quotas=(),
            references=(item.source,),
        )
        head = simulate(inputs, law, "mfn_only").headline()
        households = inputs.parameters.us_households
        rows.append(
            {
                "law_of": item.law_of.isoformat(),
                "publisher": item.publisher,
                "published_before_substitution_usd": item.before_substitution_usd,
                "our_before_substitution_usd": head["household_cost_usd"],
                "published_after_substitution_usd": item.after_substitution_usd,
                "our_after_substitution_usd": head["household_cost_after_substitution_usd"],
                # the broad measure: every US buyer's extra cost, per household
                "our_all_buyers_per_household_usd": head["us_buyer_cost_per_household_usd"],
                "our_duties_per_household_usd": head["us_buyer_duty_paid_usd"] / households,
                "our_us_made_goods_per_household_usd": head["us_buyer_domestic_price_usd"]
                / households,
                "why the numbers differ": item.explanation,
                "source": item.source.title,
                "url": item.source.url,
            }
        )
    return pd.DataFrame(rows)
