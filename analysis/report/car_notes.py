"""Sentences about the car figures, written from the results (never typed in a notebook).

Which supply response each scenario's car figures use (a scenario's ``horizon``: the one-year
response fitted to 2025, or the long-run response from the literature), whether a comparison's
rows share one (its Methods sentence), the law a quota is added to, in a sentence's words, and
what each tariff equivalent of a quota is measured against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.inputs.scenarios import LONG_RUN, SHORT_RUN, Scenario
from analysis.questions.autos import QuotaEquivalents, sector_outcomes
from analysis.questions.evidence import HORIZON_PHRASES
from analysis.questions.outcomes import say
from analysis.questions.simulate import SimulationResult
from analysis.report.brief import percent
from analysis.report.text import md_text, possessive, subject, verb
from analysis.report.views import a_tariff

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


def _elasticity_words(rs: Sequence[SimulationResult], elasticity: pd.Series) -> str:
    """The focus supply elasticities of ``rs`` ("0.73", or "0.06 to 0.73")."""
    values = sorted({round(float(elasticity[r.scenario.name]), 2) for r in rs})
    return f"{values[0]:.2f}" + (f" to {values[-1]:.2f}" if len(values) > 1 else "")


def _responses(results: Sequence[SimulationResult], elasticity: pd.Series, who: str) -> str:
    groups = {h: [r for r in results if r.horizon == h] for h in HORIZON_PHRASES}
    parts = []
    for h, phrase in HORIZON_PHRASES.items():
        if not (rs := groups[h]):
            continue
        quota = ", the quota included," if any(r.scenario.quotas for r in rs) else ""
        if len(rs) == len(results) > 2:
            named = f"every scenario{quota}"
        elif len(rs) <= 2:
            named = " and ".join(f"*{md_text(r.scenario.title)}*" for r in rs)
        else:
            named = f"{len(rs)} of the {len(results)} scenarios{quota}"
        one = len(rs) == 1 or named.startswith("every")  # "every scenario is", "two are"
        parts.append(
            f"{named} {'is' if one else 'are'} solved "
            f"with the {phrase}, in which the supply elasticity of {possessive(who)} motor "
            f"vehicles is {_elasticity_words(rs, elasticity)}"
        )
    return "; ".join(parts) + "."


def same_elasticities(results: Sequence[SimulationResult], elasticity: pd.Series) -> bool:
    """Every result is solved with one supply response and one supply elasticity of the
    focus (``elasticity``: the comparison's column, indexed by scenario name)."""
    values = {round(float(elasticity[r.scenario.name]), 6) for r in results}
    return len({r.horizon for r in results}) == 1 and len(values) == 1


def methods_sentence(results: Sequence[SimulationResult], by_name: pd.DataFrame, who: str) -> str:
    """The comparison's Methods sentence on its model and elasticities, read off the results
    (``by_name``: the comparison table indexed by scenario name): "the same for every
    scenario" only when every row shares one supply response and one elasticity; otherwise it
    names which rows use which."""
    elasticity = by_name["focus_supply_elasticity"]
    if same_elasticities(results, elasticity):
        phrase = HORIZON_PHRASES[results[0].horizon]
        quota = " (and the car quota)" if any(r.scenario.quotas for r in results) else ""
        return (
            "The model and elasticities are the same for every scenario: each is solved with "
            f"the {phrase}, in which the supply elasticity of {possessive(who)} motor vehicles "
            f"is {_elasticity_words(results, elasticity)}; only the tariffs{quota} differ."
        )
    return (
        "The model is the same for every scenario, but not the supply response: "
        + _responses(results, elasticity, who)
        + " Rows solved with different responses are not comparable in their car figures."
    )


def _nearest_pair(results: Sequence[SimulationResult], by_name: pd.DataFrame, who: str) -> str:
    """A short-run scenario beside the long-run tariff scenario whose car tariff is nearest."""
    short = [r for r in results if r.horizon == SHORT_RUN]
    tariffs = [r for r in results if r.horizon == LONG_RUN and not r.scenario.quotas]
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
    elasticity = by_name["focus_supply_elasticity"]
    text = "**Read the car numbers with care.** "
    if same_elasticities(results, elasticity):
        said = _responses(results, elasticity, who)
        text += said[:1].upper() + said[1:]
        if results[0].horizon == LONG_RUN:
            text += (
                " These are the cars sold once makers have adjusted over several years; within "
                "one year (the response fitted to 2025, which the car report shows for the law "
                "of 2025) car makers absorb most of a tariff in their prices and sell about the "
                "same volume."
            )
    else:
        text += "Each scenario declares its supply response: "
        text += _responses(results, elasticity, who)
        text += _nearest_pair(results, by_name, who)
    return text + (
        f" The column of {possessive(who)} supply elasticity shows which applies; the car "
        "report compares the tariff and the quota under the same elasticities."
    )


def quota_headline(q: QuotaEquivalents, law_words: str, who: str) -> str:
    """The quota's headline sentence: its cap, the law it replaces the car tariff in and its
    tariff equivalent there, with the same cap's on the tariffs before 2025 beside it."""
    return (
        f"A quota on {possessive(who)} cars at {percent(q.cap_share)} of their 2024 volume, in "
        f"place of the car tariff in {law_words}, is worth {a_tariff(q.in_law_rate)}, all "
        f"duties ({percent(q.before_2025_rate)} on the tariffs before 2025)"
    )


def quota_equivalents_note(q: QuotaEquivalents, law_words: str, who: str) -> str:
    """Why one cap has different tariff equivalents: what each is measured against (the
    closed form the long-run elasticity is read off, the full model on the tariffs before
    2025, the full model in the quota scenario's law)."""
    above_base = (1 + q.before_2025_rate) / (1 + q.base_tariff_rate) - 1
    return (
        f"In the closed form the long-run elasticity is "
        f"read off ({possessive(who)} exporters too small to move US car prices, facing the "
        f"substitution elasticity {q.sigma:g}, no tariff before and nothing else changing), the "
        f"cap at {percent(q.cap_share)} of free-trade volume with elasticity "
        f"{q.supply_elasticity:.2f} is worth {percent(q.closed_form_rate)}. In the full model, "
        f"the cap alone on the tariffs before 2025 ({possessive(who)} cars at MFN, "
        f"{percent(q.base_tariff_rate)}) is worth {percent(q.before_2025_rate)}, all duties: "
        f"MFN plus {percent(above_base)} (the closed form with MFN as the tariff before: "
        f"{percent(q.closed_form_with_base_rate)}). In place of the car tariff in {law_words}, "
        f"where the other partners' cars pay {percent(q.others_car_tariff_rate)} on average, "
        f"buyers turn to {possessive(who)} cars and the same cap binds harder: "
        f"{percent(q.in_law_rate)}, the figure this page quotes."
    )
