"""How much of a country's tariff rests on a reading of the law that is not settled.

``params/law_status.yaml`` lists the open questions (``unsettled``: HS prefixes, countries, the
question). For a country on a day, the lines an open question covers are its HS10 lines whose
code starts with one of the question's prefixes; the part of the country's additional rate that
rests on them is their added duty (2024 imports x each line's additional rate, the quantity of
the "products hit hardest" table) over all the country's 2024 imports, so that it is the
number of points the rate would fall by if those lines paid nothing above their 2024 rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from analysis.inputs.bundle import Inputs
from analysis.inputs.law_status import Unsettled
from analysis.questions.country_rates import country_rows, line_schedule_on


@dataclass(frozen=True)
class UnsettledShare:
    """One open question's weight in a country's rate on a day."""

    question: Unsettled
    hs10: tuple[str, ...]  # the country's lines it covers that pay an added duty
    imports_usd: float  # their 2024 imports
    added_duty_usd: float  # their 2024 imports x additional rate
    share_of_rate: float  # added duty / all the country's 2024 imports (a fraction: points)
    additional_tariff_rate: float  # the country's whole additional rate, for comparison


def _isos(inputs: Inputs, country: str) -> set[str]:
    found = inputs.countries.resolve(country)
    if isinstance(found, str):
        return {c.key for c in inputs.countries.countries if c.region == found}
    return {found.key}


def unsettled_shares(inputs: Inputs, day: dt.date, country: str) -> tuple[UnsettledShare, ...]:
    """The open questions of the law status that weigh on ``country`` (an ISO3 code or a
    one-country region) on ``day``: those in force whose lines it has and taxes above 2024."""
    isos = _isos(inputs, country)
    questions = [
        q
        for q in inputs.law_status.unsettled
        if q.start <= day and ("all" in q.countries or isos & set(q.countries))
    ]
    if not questions:
        return ()
    schedule = line_schedule_on(inputs, day)
    lines = schedule.lines
    rows = np.asarray(country_rows(inputs, schedule, country))
    weights = lines.imports_usd * rows
    total_imports = float(weights.sum())
    added_by_row = weights * schedule.additional_tariff_rate
    codes = [str(h) for h in lines.hs10]
    out = []
    for q in questions:
        covered = np.array([c.startswith(q.products) for c in codes], dtype=bool)
        in_rows = covered[lines.product_at] & (added_by_row > 0)
        if not in_rows.any():
            continue
        added = float(added_by_row[in_rows].sum())
        out.append(
            UnsettledShare(
                question=q,
                hs10=tuple(sorted({codes[k] for k in lines.product_at[in_rows]})),
                imports_usd=float(weights[in_rows].sum()),
                added_duty_usd=added,
                share_of_rate=added / total_imports,
                additional_tariff_rate=float(added_by_row.sum()) / total_imports,
            )
        )
    return tuple(out)
