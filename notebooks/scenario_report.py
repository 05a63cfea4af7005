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
# # Scenario report
#
# One tariff scenario against a baseline, seen from one partner region (Japan by default):
# the tariff layers in force and their legal sources, the effective rates, what happens to
# imports, prices, tariff revenue, US buyers and the partner's exporters, which sectors are hit
# hardest, who gains from trade diversion, and what each tariff layer contributes.
# Model: exact partial-equilibrium Armington model of the US market for 45 GTAP goods sectors
# (2024 data); see *Methods and sources* at the end.

# %%
import pandas as pd
from IPython.display import HTML, display

from analysis.inputs.bundle import load_inputs
from analysis.inputs.focus import DEFAULT_FOCUS, Focus
from analysis.questions.attribution import attribute_layers
from analysis.questions.backcast import backcast
from analysis.questions.evidence import default_elasticities
from analysis.questions.methods import smart_comparison
from analysis.questions.outcomes import OUTCOMES, say
from analysis.questions.simulate import simulate
from analysis.questions.what_if import (
    anchored_rate_grid,
    own_measures_effect,
    sigma_grid,
    what_if_grid,
)
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.backcast_note import backcast_caveat
from analysis.report.brief import KeyNumber, key_numbers, markdown, outcome_card, percent
from analysis.report.parameters import (
    MAX_WHAT_IF_RATE,
    Integer,
    Partner,
    RateOrNone,
    Scenario,
    ScenarioFile,
    check_parameters,
    chosen_scenario,
)
from analysis.report.publication import left_out_on, masthead, methods_box
from analysis.report.rate_shares import why_in_brief, why_the_average
from analysis.report.shared_figures import (
    figures_payload,
    household_cost,
    law_words,
    partner_tariff,
)
from analysis.report.text import (
    its,
    md_text,
    partner_label,
    possessive,
    scenario_in_sentence,
    subject,
)
from analysis.report.what_if_chart import what_if_chart

enable_offline_charts()
pd.set_option("display.max_colwidth", 120)

# %% tags=["parameters"]
scenario: Scenario = "deal_15"  # scenario to analyse: a file stem in params/scenarios
scenario_file: ScenarioFile = None  # or a scenario YAML file anywhere, run instead
baseline: Scenario = "mfn_only"  # scenario it is compared with (mfn_only: before 2025)
partner: Partner = "japan"  # partner the report focuses on: a region or an ISO3 code
top_n: Integer[1, 45] = 10  # how many of the partner's hardest-hit sectors to list
what_if_rate: RateOrNone[0, MAX_WHAT_IF_RATE] = None  # the what-if's start; None: the law's

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
scenario = chosen_scenario(inputs, scenario, scenario_file)  # the file's, when one is given
result = simulate(inputs, scenario, baseline, focus=Focus(partner))
head = result.headline()
economy_wide_default = simulate(
    inputs,
    scenario,
    baseline,
    elasticities=default_elasticities(inputs, calibrated=False),
    focus=Focus(partner),
).headline()
partners = result.partners()
mine = partners.loc[partner]
rates = views.effective_rates(result.base_schedule, result.schedule)
own = own_measures_effect(result, partner)
who = partner_label(partner)
tariff = partner_tariff(result.schedule, partner, who, law_words(result.scenario))
before = partner_tariff(result.base_schedule, partner, who, law_words(result.baseline))
per_household = household_cost(head)  # the one per-household figure (consumer price level)
display(
    masthead(
        f"{who}: {result.scenario.title}",
        f"Compared with the tariffs of {scenario_in_sentence(result.baseline.title)}: {possessive(who)} US "
        f"tariff, all duties, {tariff.against(before)}; {its(who)} own tariffs alone change {its(who)} "
        f"sales to the US by {say('exports_value_change_usd', own['exports_value_change_usd'])} a "
        f"year and the whole regime by {say('exports_value_change_usd', mine['exports_value_change_usd'])}; "
        f"US consumer prices {say('consumer_price_level_change', head['consumer_price_level_change'])}, "
        f"{per_household.text} per US household a year "
        "(the whole regime's, not any one partner's).",
        inputs.law_status,
    )
)
why = why_the_average(result.schedule, partner, who, [c.measure for c in result.scenario.changes])
if why:
    display(markdown(md_text(why)))
display(
    HTML(
        "<p><b>Data:</b> US imports for consumption in 2024 (Census), MFN rates of the HTS 2025 "
        "Basic Edition, US domestic supply from BEA 2017 scaled to 2024.</p>"
    )
)
display(methods_box(left_out=left_out_on(inputs.law_status, result.scenario.regime_date)))

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        tariff.total.card(
            f"{tariff.parts()}; {before.total.text} under the baseline "
            "(statutory, import-weighted with 2024 imports)"
        ),
        KeyNumber(
            f"{possessive(who, start=True)} exports to the US: {its(who)} own tariffs",
            say("exports_value_change_usd", own["exports_value_change_usd"]),
            f"a year, {possessive(who)} tariffs changed and every other partner's held at the baseline",
        ),
        KeyNumber(
            f"{possessive(who, start=True)} exports to the US: the whole regime",
            say("exports_value_change_usd", mine["exports_value_change_usd"]),
            f"{percent(mine['exports_value_change'], signed=True)} in value a year, every "
            "partner's tariffs changed (others' tariffs divert buyers)",
        ),
        per_household.card(
            f"consumer prices {say('consumer_price_level_change', head['consumer_price_level_change'])}, "
            "times 2024 spending per household, before substitution"
        ),
        outcome_card(
            "US tariff revenue, change (the whole regime)",
            "tariff_revenue_change_usd",
            head["tariff_revenue_change_usd"],
            f"{say('tariff_revenue_usd', head['tariff_revenue_usd'])} a year in all; "
            f"{say('tariff_revenue_change_usd', own['tariff_revenue_change_usd'])} from {possessive(who)} "
            "own tariffs alone",
        ),
    )
)
# What the scenario holds (its file's own words: which law the other partners keep, for one),
# under the key numbers it qualifies.
display(markdown(f"**The scenario.** {md_text(result.scenario.description)}"))
display(markdown(backcast_caveat(backcast(inputs), partner, who, result.baseline.title)))
lines = [
    f"**{possessive(who, start=True)} sales to the US** change by {say('exports_value_change_usd', mine['exports_value_change_usd'])} "
    f"({percent(mine['exports_value_change'], signed=True)} in value, "
    f"{percent(mine['exports_volume_change'], signed=True)} in volume).",
    f"**US consumer prices** {say('consumer_price_level_change', head['consumer_price_level_change'])} "
    f"({say('consumer_price_level_change_after_substitution', head['consumer_price_level_change_after_substitution'])} "
    f"after substitution): {per_household.text} per household a year.",
    f"**All US buyers' extra cost** (households, firms and government together, for the same "
    f"purchases; not a household's cost): {say('us_buyer_cost_usd', head['us_buyer_cost_usd']).lstrip('+')} "
    f"a year; tariff revenue from {subject(who)} is {say('tariff_revenue_usd', mine['tariff_revenue_usd'])} a year.",
    f"**US welfare**: net {say('net_us_welfare_usd', head['net_us_welfare_usd'])}; deadweight loss "
    f"{say('deadweight_loss_usd', head['deadweight_loss_usd'])}; paid by foreign exporters through lower "
    f"prices {say('terms_of_trade_gain_usd', head['terms_of_trade_gain_usd'])}.",
]
incidence = inputs.parameters.evidence_on("foreign_incidence")
if partner == DEFAULT_FOCUS.partner:
    lines += [
        f"**Japanese exporters' revenue**: {say('focus_exports_value_change_usd', head['focus_exports_value_change_usd'])}; "
        f"first-order effect on Japan's GDP {say('focus_gdp_change', head['focus_gdp_change'])} "
        f"(the domestic value added in that revenue, {inputs.parameters.partner_gdp[partner].domestic_value_added_share:.0%} of it).",
        f"**Japanese passenger cars** sold in the US: {say('focus_sector_units_change', head['focus_sector_units_change'])} a "
        f"year; export price of vehicles and parts {say('focus_exporter_price_change', head['focus_exporter_price_change'])}, "
        f"US price {say('focus_us_price_change', head['focus_us_price_change'])}. With the economy-wide "
        f"default (exporters bear {percent(incidence.observed)} of a tariff) instead of the car makers' long-run supply "
        "response (from the literature on the 1980s export restraint; the cars report gives both): "
        f"{say('focus_sector_units_change', economy_wide_default['focus_sector_units_change'])}, US price "
        f"{say('focus_us_price_change', economy_wide_default['focus_us_price_change'])}.",
    ]
display(markdown("\n".join(f"- {line}" for line in lines)))
diverted = views.diversion(result)
figures.diversion_bars(
    diverted, "Who sells more and who sells less in the US (all sectors, $ billion)"
)

# %%
if any(am.measure.authority_name == "IEEPA" for am in result.schedule.active):
    display(markdown(views.ieepa_refund_note(inputs.law_status)))
for note in result.elasticities.notes:
    display(markdown(f"*Calibration:* {md_text(views.in_words(note))}"))

# %% [markdown]
# ## What if the tariff were different?
# Move the sliders: the partner's tariff, all duties (each of its tariffs under this law scaled
# in proportion, so that their import-weighted average is the slider's rate; other partners
# keep this law's rates), and the substitution elasticity across its prior range. Every point
# is an exact solution of the model, computed when the report was built.

# %%
prior = inputs.parameters["substitution_elasticity"].prior
sigmas = sigma_grid(prior.low, prior.high, round((prior.high - prior.low) / 0.1) + 1)
start_rate = tariff.total.value if what_if_rate is None else what_if_rate  # the law's: one source
# The slider runs from the partner's MFN (or trade-agreement) duty: no law gives less
slider_rates = anchored_rate_grid(start_rate, low=tariff.mfn.value)
grid = what_if_grid(result, partner, slider_rates, sigmas, tariff.total.value)
display(
    markdown(
        f"**The law as modelled (the headline):** {md_text(possessive(who))} tariff, all duties, "
        f"{tariff.total.text}; {md_text(possessive(who))} exports to the US "
        f"{say('exports_value_change_usd', mine['exports_value_change_usd'])}, all US buyers' extra "
        f"cost {say('us_buyer_cost_usd', head['us_buyer_cost_usd']).lstrip('+')} a year, "
        f"US tariff revenue {say('tariff_revenue_usd', head['tariff_revenue_usd'])} a year (the dashed "
        "line in each panel). The sliders start at "
        f"{percent(start_rate)} and an elasticity of "
        f"{inputs.parameters['substitution_elasticity'].default:g}"
        + (
            ", the law as modelled, so the chart's sentence and red points start at the headline; "
            if what_if_rate is None
            else " (this report's choice); "
        )
        + "the sentence above the panels follows the sliders."
    )
)
what_if_chart(
    grid,
    partner,
    start_rate,
    inputs.parameters["substitution_elasticity"].default,
    (float(sigmas[0]), float(sigmas[-1])),
    in_law={
        "exports_value_change_usd": mine["exports_value_change_usd"],
        "us_buyer_cost_usd": head["us_buyer_cost_usd"],
        "tariff_revenue_usd": head["tariff_revenue_usd"],
    },
)

# %% [markdown]
# ## Tariff layers in force
# Import-weighted contribution of each measure to the partner's effective rate, with its
# legal source. Rates are ad valorem; "contribution" is weighted by 2024 imports.

# %%
layers = views.layers_in_force(result.schedule, partner)
display(
    views.style_table(
        layers[layers["applies_to_partner"]][
            [
                "title",
                "layer",
                "rate",
                "contribution_rate",
                "authority",
                "reference",
                "reference_url",
                "in_force_from",
                "reference_date",
            ]
        ],
        note="Rates are ad valorem; the contribution is weighted by 2024 imports.",
    )
)

# %%
figures.layer_bars(
    views.layer_rates_by_partner(result.schedule),
    "Effective tariff rate by partner and layer (click the legend)",
)

# %% [markdown]
# ## Effective rates by partner

# %%
display(views.style_table(rates, hide_index=False))

# %% [markdown]
# ## Sectors hit hardest

# %%
hardest = views.hardest_hit_sectors(result, partner, top_n)
display(views.style_table(hardest))
figures.sector_change_bars(
    hardest, f"{partner_label(partner)}: change in sales to the US by sector ($ billion)"
)

# %% [markdown]
# ## Trade diversion: who gains, who loses
# Change in sales to the US market by source over all sectors (US producers included).
# "Trade diverted" is a source's change in sales beyond its share of the change in all
# imports (it sums to zero over foreign sources): negative means the source lost more than its
# share of the fall, positive that it took sales from others. It is not the effect of other
# partners' tariffs, which the headline's own-tariff figure isolates.

# %%
display(views.style_table(diverted))
figures.diversion_bars(diverted, "Change in sales to the US by source, all sectors")

# %% [markdown]
# ## What each layer contributes
# Shapley decomposition: each layer's average effect over all orders in which the layers
# could be changed from the baseline's law to the scenario's; the rows add up to the total,
# the scenario against its baseline (the headline figures).

# %%
attribution = attribute_layers(result)
display(views.style_table(attribution, focus=result.focus_names()[0]))
dollars = attribution[attribution["layer"] != "total"].melt(id_vars="layer", var_name="outcome")
in_billions = [n for n in attribution.columns if n in OUTCOMES and OUTCOMES[n].fmt == "usd_bn"]
figures.grouped_bars(
    dollars[dollars["outcome"].isin(in_billions)],
    x="outcome",
    y="value",
    color="layer",
    title="Contribution of each layer ($ billion a year)",
    fmt="$~s",
    partner=result.focus_names()[0],
)

# %% [markdown]
# ## Exact model versus the linearised WITS/SMART formulas
# The same tariff change through SMART's first-order formulas (import demand elasticity
# implied by the exact model at the base point, the elasticity of substitution, infinite
# export supply). Small changes agree; large ones diverge because SMART's straight lines miss
# the curvature of constant-elasticity demand (they can even predict negative imports).

# %%
methods = smart_comparison(result)
display(
    views.style_table(
        methods[
            [
                "partner",
                "base_imports_usd",
                "exact_imports_change",
                "smart_imports_change",
                "difference_usd",
            ]
        ]
    )
)
figures.grouped_bars(
    methods.melt(
        id_vars="partner",
        value_vars=["exact_imports_change", "smart_imports_change"],
        var_name="method",
    ),
    x="partner",
    y="value",
    color="method",
    title="Change in imports: exact vs SMART",
    fmt="%",
)

# %% [markdown]
# ## Methods and sources
# Exact non-linear Armington model: CES demand across the eight partner regions and US
# producers in each sector (substitution elasticity), constant-elasticity demand for the
# sector's composite, constant-elasticity supply per source (infinite = exporter price fixed).
# Solved jointly for all sectors from the baseline tariffs to the scenario's. Tariffs come from
# the stacking engine (one file per legal measure). Every measure,
# dataset and elasticity used is listed below with its citation.

# %%
display(views.style_table(views.sources_used(result)))

# %%
cause = why_in_brief(result.schedule, partner, who, [c.measure for c in result.scenario.changes])
summary = record_summary(
    f"{possessive(who, start=True)} tariff {tariff.total.text} (all duties"
    f"{'; ' + cause if cause else ''}); {its(who)} US sales "
    f"{say('exports_value_change_usd', own['exports_value_change_usd'])} from {its(who)} own tariffs, "
    f"{say('exports_value_change_usd', mine['exports_value_change_usd'])} "
    f"({percent(mine['exports_value_change'], signed=True)}) under the whole regime; cost per US "
    f"household (the whole regime) {per_household.text}",
    key="exports_value_change",
    shared=figures_payload(tariff.total, tariff.additional, before.total, per_household),
    partner_tariff_rate=tariff.total.value,
    exports_value_change=float(mine["exports_value_change"]),
    own_exports_value_change_usd=own["exports_value_change_usd"],
    household_cost_usd=head["household_cost_usd"],
)
