"""One line beside a report's export-change headline: what the model's change is, and how the
model did against 2025 (the validation report's backcast, :mod:`analysis.questions.backcast`).

A scenario's change (:func:`analysis.questions.simulate.simulate`) compares two equilibria of
the model at 2024 demand: the law against the baseline's tariffs once trade has adjusted, with
no timing, no growth in demand and no front-loading. It is not a forecast of a year's trade;
the backcast runs the laws of 2025 through the same model and sets them beside Census's and
Japan's counts, and the line quotes its figures, never typed ones.
"""

from __future__ import annotations

import pandas as pd

from analysis.questions.backcast import CARS, Backcast
from analysis.report.brief import percent
from analysis.report.text import md_text, scenario_in_sentence, subject

#: The backcast's table of 2025 imports in the validation report (a heading's anchor).
VALIDATION_BACKCAST = "validation.html#2025-imports-by-partner-against-2024"


def _pair(model: float, observed: float) -> str:
    return f"{percent(model, signed=True)} against {percent(observed, signed=True)}"


def backcast_figures(
    past: Backcast, partner: str, year: int = 2025
) -> dict[str, tuple[float, float]]:
    """The model's change and the observed one for ``year`` against 2024, as the validation
    report shows them: all US imports (Census), imports from ``partner`` where Census's series
    has it, and Japan's exports to the US as Japan counts them (yen) for Japan."""
    imports = past.partner_imports.set_index("partner")
    out = {
        "all": (
            float(imports.loc["all", "model_change"]),
            float(imports.loc["all", "observed_change"]),
        )
    }
    if partner != "all" and partner in imports.index:
        row = imports.loc[partner]
        out[partner] = (float(row["model_change"]), float(row["observed_change"]))
    if partner == CARS[0]:
        japan: pd.DataFrame = past.japan
        row = japan[(japan["item"] == "exports_to_us") & (japan["period"].astype(str) == str(year))]
        if len(row):
            out["japan_count"] = (
                float(row["model_change"].iloc[0]),
                float(row["observed_change"].iloc[0]),
            )
    return out


def backcast_caveat(past: Backcast, partner: str, who: str, baseline_title: str) -> str:
    """The caveat (Markdown) beside the export-change headline: what the change is (module
    docstring, against the baseline titled ``baseline_title``) and the backcast's figures for
    2025, with a link to them."""
    # "the law before 2025"; a title is text (a user may write anything in it)
    baseline = md_text(scenario_in_sentence(baseline_title).split(" (")[0])
    figures = backcast_figures(past, partner)
    parts = [f"all US imports at {_pair(*figures['all'])} by Census's count"]
    if partner in figures:
        parts.append(f"imports from {md_text(subject(who))} at {_pair(*figures[partner])}")
    if "japan_count" in figures:
        parts.append(
            f"Japan's exports to the US at {_pair(*figures['japan_count'])} as Japan counts "
            "them (in yen)"
        )
    return (
        "**Not a forecast of 2025 trade.** The change in sales is the model's long-run response "
        f"to the law against the tariffs of {baseline}, at 2024 demand, once trade has "
        f"adjusted. Run over the laws of 2025, the same model puts {'; '.join(parts)} "
        f"([the validation report's backcast]({VALIDATION_BACKCAST}))."
    )
