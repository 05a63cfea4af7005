"""Sentences about the car figures, written from the results (never typed in a notebook).

Which supply response each scenario's car figures use (a scenario's ``horizon``: the one-year
response fitted to 2025, or the long-run response from the literature), and the law a quota is
added to, in a sentence's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.inputs.scenarios import Scenario
from analysis.questions.autos import sector_outcomes
from analysis.questions.evidence import HORIZON_PHRASES
from analysis.questions.outcomes import say
from analysis.questions.simulate import SimulationResult
from analysis.report.brief import percent
from analysis.report.text import md_text, possessive, subject, verb

#: Two car tariffs this close (a fraction) count as "nearly the same" in the car note.
NEAR_CAR_TARIFF = 0.05


def quota_law_in_words(scenarios: Iterable[Scenario], quota: Scenario) -> str:
    """The law a quota (and its tariff equivalent) replaces the car tariff in, in a sentence's
    words: the scenario of the quota's regime date with no changes and no quota."""
    for s in scenarios:
        if s.regime_date == quota.regime_date and not s.quotas and not s.changes:
            title = s.title[:1].lower() + s.title[1:]
            return title.replace(": ", " (", 1) + ")" if ": " in title else title
    return f"the law of {quota.regime_date:%-d %B %Y}"


def _responses(results: Sequence[SimulationResult], elasticity: pd.Series, who: str) -> str:
    groups = {h: [r for r in results if r.horizon == h] for h in HORIZON_PHRASES}
    parts = []
    for h, phrase in HORIZON_PHRASES.items():
        if not (rs := groups[h]):
            continue
        values = sorted({round(float(elasticity[r.scenario.name]), 2) for r in rs})
        e = f"{values[0]:.2f}" + (f" to {values[-1]:.2f}" if len(values) > 1 else "")
        named = (
            " and ".join(f"*{md_text(r.scenario.title)}*" for r in rs)
            if len(rs) <= 2
            else f"{len(rs)} of the {len(results)} scenarios"
            + (", the quota included," if any(r.scenario.quotas for r in rs) else "")
        )
        parts.append(
            f"{named} {'is' if len(rs) == 1 else 'are'} solved with the {phrase}, in which "
            f"the supply elasticity of {possessive(who)} motor vehicles is {e}"
        )
    return "; ".join(parts) + "."


def _nearest_pair(results: Sequence[SimulationResult], by_name: pd.DataFrame, who: str) -> str:
    """A short-run scenario beside the long-run tariff scenario whose car tariff is nearest."""
    short = [r for r in results if r.horizon == "short_run"]
    tariffs = [r for r in results if r.horizon == "long_run" and not r.scenario.quotas]
    if not (short and tariffs):
        return ""
    car_tariff = {r.scenario.name: sector_outcomes(r)["new_tariff_rate"] for r in results}
    s = short[0]
    near = min(
        tariffs, key=lambda r: abs(car_tariff[r.scenario.name] - car_tariff[s.scenario.name])
    )
    s_cars, n_cars = (by_name.loc[r.scenario.name, "focus_sector_units_change"] for r in (s, near))
    gap = abs(car_tariff[near.scenario.name] - car_tariff[s.scenario.name])
    if not (s_cars < 0 and n_cars < 0 and gap < NEAR_CAR_TARIFF):
        return ""
    return (
        f" Compare two scenarios with nearly the same car tariff: under "
        f"*{md_text(s.scenario.title)}*, with a car tariff of "
        f"{percent(car_tariff[s.scenario.name])}, {subject(who)} {verb(who, 'sells', 'sell')} "
        f"{say('focus_sector_units_change', s_cars)}; under "
        f"*{md_text(near.scenario.title)}*, with a car tariff of "
        f"{percent(car_tariff[near.scenario.name])}, "
        f"{say('focus_sector_units_change', n_cars)}, about {n_cars / s_cars:.0f} times "
        "as many. The gap is the supply response, not the tariff: within one year (the "
        "response fitted to 2025) car makers absorb most of a tariff in their prices and "
        "sell about the same volume; over several years (the response from the "
        "literature) they sell less instead."
    )


def car_note(results: Sequence[SimulationResult], by_name: pd.DataFrame, who: str) -> str:
    """Which supply response each scenario's car figures use, read off the results
    (``by_name``: the comparison table indexed by scenario name), and what that does to the
    car figures."""
    text = "**Read the car numbers with care.** Each scenario declares its supply response: "
    text += _responses(results, by_name["focus_supply_elasticity"], who)
    text += _nearest_pair(results, by_name, who)
    return text + (
        f" The column of {possessive(who)} supply elasticity shows which applies; the car "
        "report compares the tariff and the quota under the same elasticities."
    )
