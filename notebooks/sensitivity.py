# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
# (Not shown: the report opens with its masthead below.)
#
# # Sensitivity: how sure are we?
#
# The elasticities are the model's weakest inputs: no sector-specific estimate could be
# verified, so each is an economy-wide figure with a prior range (``params/elasticities.yaml``).
# A Monte Carlo run draws them from their priors and re-solves the scenario; a tornado moves
# one parameter at a time to the ends of its range.

# %%
import html

import pandas as pd
from IPython.display import HTML, display

from analysis.inputs.bundle import load_inputs
from analysis.inputs.focus import PASSENGER_CARS_SECTOR
from analysis.questions.evidence import long_run_supply_elasticity
from analysis.questions.incidence import evidence_table
from analysis.questions.outcomes import OUTCOMES, say
from analysis.questions.simulate import SECTOR_OUTCOMES, simulate
from analysis.questions.uncertainty import monte_carlo, tornado
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import band, key_numbers, markdown, outcome_card, percent
from analysis.report.parameters import Integer, Outcome, Scenario, check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.shared_figures import Figure, figures_payload
from analysis.report.text import in_sentence, scenario_in_sentence

enable_offline_charts()

# %% tags=["parameters"]
scenario: Scenario = "current"  # scenario to test: the law in force today (a past law for history)
baseline: Scenario = "mfn_only"  # what it is compared with
n_draws: Integer[1, 1000000] = 10000  # Monte Carlo draws (all solved in one vectorised call)
seed: Integer[0, 4294967295] = 2025  # random seed: the same seed gives the same draws
tornado_outcome: Outcome = "focus_exports_value_change_usd"  # headline outcome for the tornado

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
result = simulate(inputs, scenario, baseline)
mc = monte_carlo(result, n_draws=n_draws, seed=seed)
bands = mc.percentiles()
swing = tornado(result, tornado_outcome)
central = result.headline()  # every outcome at the default (central) elasticities
focus_names = result.focus_names()  # the focus partner and sector, as readers name them
display(
    masthead(
        f"How sure are we? {result.scenario.title}",
        f"Against {scenario_in_sentence(result.baseline.title)}, {focus_names[0]}'s sales to the US change by "
        f"{say('focus_exports_value_change', central['focus_exports_value_change'])} at the "
        "central elasticities; over "
        f"{n_draws:,} Monte Carlo draws of the elasticities the median is "
        f"{say('focus_exports_value_change', bands.loc['focus_exports_value_change', 'p50'])} and "
        f"{band('focus_exports_value_change', bands.loc['focus_exports_value_change', 'p10'], bands.loc['focus_exports_value_change', 'p90'])}. "
        f"The parameter that moves it most is the {in_sentence(views.tornado_table(swing)['parameter'].iloc[0])}.",
        inputs.law_status,
    )
)
display(
    HTML(
        f"<p>Compared with {html.escape(result.baseline.title)}; {n_draws:,} draws, seed {seed}. "
        "The draws cover the elasticities only, not the tariff data.</p>"
    )
)
display(methods_box())

# %% [markdown]
# ## In brief: median and 80% range (10th to 90th percentile)

# %%
keys = [
    "focus_exports_value_change",
    "focus_exports_volume_change",
    "focus_sector_units_change",
    "us_buyer_cost_per_household_usd",
    "tariff_revenue_change_usd",
    "deadweight_loss_usd",
    "focus_gdp_change",
]
labels = {k: result.labels()[k]["label"] for k in keys}  # car figures name their response
# Not the cost per household (the consumer-price measure of the other reports): say so.
ALL_BUYERS = (
    "All US buyers' extra cost (households, firms and government), spread over US households"
)
labels["us_buyer_cost_per_household_usd"] = ALL_BUYERS
not_household = (
    "not a household's cost: the cost per US household is "
    f"{say('household_cost_usd', central['household_cost_usd'])} at the central elasticities "
    "(consumer prices; no range: the draws do not move the consumer price level)"
)

# A card's label: the outcome in words, the focus partner named, "median of the draws".
median_labels = {
    k: f"{labels[k] if k == 'us_buyer_cost_per_household_usd' else OUTCOMES[k].text(*focus_names)}: "
    "median of the draws" + (f", {result.supply_response}" if k in SECTOR_OUTCOMES else "")
    for k in keys
}
# The report's key number, in the same words on its card and on the index.
median = Figure(
    median_labels["focus_exports_value_change"],
    float(bands.loc["focus_exports_value_change", "p50"]),
    "focus_exports_value_change",
)
display(
    key_numbers(
        *(
            outcome_card(
                median_labels[k],
                k,
                bands.loc[k, "p50"],
                f"{band(k, bands.loc[k, 'p10'], bands.loc[k, 'p90'])}; central estimate "
                f"{say(k, central[k])}"
                + (f"; {not_household}" if k == "us_buyer_cost_per_household_usd" else ""),
            )
            for k in [
                "focus_exports_value_change",
                "us_buyer_cost_per_household_usd",
                "focus_sector_units_change",
            ]
        )
    )
)
display(
    markdown(
        "\n".join(
            f"- **{label}**: median {views.format_outcome(key, bands.loc[key, 'p50'])} (80% band "
            f"{views.format_outcome(key, bands.loc[key, 'p10'])} to "
            f"{views.format_outcome(key, bands.loc[key, 'p90'])}); central estimate "
            f"{views.format_outcome(key, central[key])}"
            for key, label in labels.items()
        )
        + "\n\n*Why the median is not the central estimate:* the central estimate solves the "
        "model once at the default elasticities (the reports' headlines); the median is the "
        "middle of the outcomes over the draws. The outcomes bend with the elasticities (they "
        "are not straight lines in them) and some priors are not symmetric about their default, "
        "so the middle outcome need not be the outcome at the middle values."
    )
)
display(
    views.style_table(
        pd.DataFrame(
            {
                "outcome": [labels[k] for k in keys],
                "10th percentile": [say(k, bands.loc[k, "p10"]) for k in keys],
                "median": [say(k, bands.loc[k, "p50"]) for k in keys],
                "central estimate": [say(k, central[k]) for k in keys],
                "90th percentile": [say(k, bands.loc[k, "p90"]) for k in keys],
            }
        ),
        note=f"{n_draws:,} Monte Carlo draws of the elasticities from their priors, seed {seed}.",
    )
)

# %%
lr = long_run_supply_elasticity(result.params, PASSENGER_CARS_SECTOR)  # the cars' draw
car_draw = (
    f"Cars ({result.supply_response}): every partner's car supply elasticity takes one draw "
    f"of the long-run value, triangular from {lr.low:.2f} to {lr.high:.2f} (mode "
    f"{lr.central:.2f}), read off the 1980s restraint's published price effects; the 2025 fit "
    "is not used."
    if result.horizon == "long_run"
    else f"Cars ({result.supply_response}): the supply elasticity fitted to "
    f"{focus_names[0]}'s 2025 car prices and volumes is refitted in every draw to that draw's "
    "sigma and eta (where a draw's evidence does not identify it, the draw's foreign value "
    "holds); the other partners' cars take the foreign draw."
)
display(markdown(car_draw))

# %%
shares = [k for k in keys if k.endswith("_change") and k != "focus_sector_units_change"]
figures.percentile_bands(
    bands.loc[shares].rename(index=labels).reset_index(names="label"),
    "10th-90th percentile band (tick = median), change as a share",
)

# %%
figures.histogram(
    mc.draws["focus_exports_value_change"], f"{focus_names[0]}'s sales to the US, change", "%"
) & figures.histogram(
    mc.draws["us_buyer_cost_per_household_usd"],
    f"{ALL_BUYERS} ($)",
    "$,.0f",
)

# %% [markdown]
# ## Tornado: which parameter matters most

# %%
display(
    views.style_table(views.tornado_table(swing, tornado_outcome), focus=result.focus_names()[0])
)
figures.tornado_bars(
    views.tornado_table(swing),
    f"{OUTCOMES[tornado_outcome].text_with_unit(*focus_names)}: "
    "parameter at the low and high end of its range",
    "~s",
    outcome=tornado_outcome,
)

# %% [markdown]
# ## The 2025 evidence behind the supply elasticities

# %%
incidence = inputs.parameters.evidence_on("foreign_incidence")
display(
    markdown(
        "Two economy-wide facts of 2025 set or test the supply elasticities that no "
        "product-level evidence fixes. The foreign exporters' share of the tariffs "
        f"({percent(incidence.observed)}, the New York Fed) sets the foreign default; its cited "
        f"range ({percent(incidence.low)} to {percent(incidence.high)}) sets the prior. US-made "
        "goods' prices rose less than imports' (Cavallo, Llamas and Vazquez): the model cannot "
        "reproduce that at any US supply elasticity, so that evidence does not fix it and the "
        "prior is wide. These are short-run facts; the forward scenarios use the same values, "
        "except for cars, whose long-run response comes from the literature (above)."
    )
)

# %%
display(views.style_table(views.economy_wide_evidence(evidence_table(inputs))))

# %% [markdown]
# ## Methods and sources

# %%
display(
    markdown(
        "Priors: "
        + "; ".join(
            f"{in_sentence(views.PARAMETER_LABELS.get(e.name, e.name))} {e.prior.distribution} from "
            f"{e.prior.low:g} to {e.prior.high:g} (default {e.default:g})"
            for e in result.params.elasticities.values()
            if e.prior.distribution != "fixed"
        )
        + ". Each draw applies one value to every sector. "
        + car_draw
        + (
            " The tornado moves the long-run car elasticity over its range."
            if result.horizon == "long_run"
            else " The tornado shows what dropping the calibration does."
        )
    )
)

# %%
params = result.params
priors = pd.DataFrame(
    [
        {
            "parameter": views.PARAMETER_LABELS.get(e.name, e.name),
            "default": e.default,
            "prior": e.prior.distribution,
            "low": e.prior.low,
            "high": e.prior.high,
            "source": views.reader_source(e.source.title),
            "url": e.source.url,
        }
        for e in params.elasticities.values()
    ]
)
display(views.style_table(priors))
summary = record_summary(
    f"{result.scenario.title}: {focus_names[0]}'s US sales "
    f"{say('focus_exports_value_change', bands.loc['focus_exports_value_change', 'p50'])} at the "
    f"median of the draws ({say('focus_exports_value_change', central['focus_exports_value_change'])} "
    f"at the central elasticities); "
    f"{band('focus_exports_value_change', bands.loc['focus_exports_value_change', 'p10'], bands.loc['focus_exports_value_change', 'p90'])}; "
    f"biggest swing: the {in_sentence(views.tornado_table(swing)['parameter'].iloc[0])}",
    key=median.label,  # the index shows it in the report's words
    shared=figures_payload(median),
    focus_exports_value_change=median.value,
)
