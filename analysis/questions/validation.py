"""Our effective tariff rates beside the published ones, on the same day and the same law."""

from __future__ import annotations

import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.published import PublishedRate
from analysis.policy.regimes import schedule_for_date


def our_rate(inputs: Inputs, published: PublishedRate) -> float:
    """Our import-weighted total rate (MFN included) for the figure's partner and day,
    leaving out the measures the figure's law does not have (``excluding``)."""
    schedule = schedule_for_date(published.as_of, inputs.data, inputs.measures)
    partner = None if published.partner == "all" else published.partner
    total = float(schedule.effective_rates().loc[published.partner, "effective_tariff_rate"])
    by_measure = schedule.measure_rates(partner)
    return total - sum(float(by_measure.get(m, 0.0)) for m in published.excluding)


def compare_published(inputs: Inputs) -> pd.DataFrame:
    """One row per published figure: its rate, ours, the gap (ours minus published), why."""
    rows = []
    for item in inputs.published_rates:
        ours = our_rate(inputs, item)
        rows.append(
            {
                "as_of": item.as_of.isoformat(),
                "partner": item.partner,
                "publisher": item.publisher,
                "published_rate": item.rate,
                "our_rate": ours,
                "gap_rate": ours - item.rate,
                "why the numbers differ": item.explanation,
                "source": item.source.title,
                "url": item.source.url,
            }
        )
    return pd.DataFrame(rows)
