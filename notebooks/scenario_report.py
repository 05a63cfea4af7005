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

# %% [markdown]
# # Scenario report
#
# One tariff scenario against a baseline, seen from one partner region (Japan by default):
# the tariff layers in force and their legal sources, the effective rates, what happens to
# imports, prices, tariff revenue, US buyers and the partner's exporters, which sectors are hit
# hardest, who gains from trade diversion, and what each tariff layer contributes.
# Model: exact partial-equilibrium Armington model of the US market for 45 GTAP goods sectors
# (2024 data); see *Methods and sources* at the end.

# %%
import html

import pandas as pd
from IPython.display import HTML, display

from analysis.inputs.bundle import load_inputs
from analysis.inputs.focus import DEFAULT_FOCUS, Focus
from analysis.questions.attribution import attribute_layers
from analysis.questions.evidence import default_elasticities
from analysis.questions.methods import smart_comparison
from analysis.questions.outcomes import say
from analysis.questions.simulate import simulate
from analysis.questions.what_if import rate_grid, sigma_grid, what_if_grid
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, outcome_card, percent
from analysis.report.parameters import check_parameters
from analysis.report.text import md_text, partner_label
from analysis.report.what_if_chart import what_if_chart

enable_offline_charts()
pd.set_option("display.max_colwidth", 120)

# %% tags=["parameters"]
scenario: str = "deal_15"  # scenario to analyse: a file stem in params/scenarios
baseline: str = "mfn_only"  # scenario it is compared with (mfn_only: before 2025)
partner: str = "japan"  # partner region the report focuses on (one of the eight regions)
top_n: int = 10  # how many of the partner's hardest-hit sectors to list
what_if_rate: float = 0.15  # the partner's all-in tariff rate the what-if starts at (0 to 0.5)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(
    inputs,
    scenario=scenario,
    baseline=baseline,
    partner=partner,
    top_n=top_n,
    what_if_rate=what_if_rate,
)  # one-line error for a value outside its domain
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
display(
    HTML(
        f"<h2>{html.escape(result.scenario.title)}</h2>"
        f"<p>{html.escape(result.scenario.description)}</p>"
        f"<p><b>Compared with:</b> {html.escape(result.baseline.title)}. "
        f"<b>Data:</b> US imports for consumption in 2024 (Census), MFN rates of the HTS 2025 "
        f"Basic Edition, US domestic supply from BEA 2017 scaled to 2024.</p>"
    )
)

# %% [markdown]
# ## In brief

# %%
who = partner_label(partner)
display(
    key_numbers(
        KeyNumber(
            f"{who}: US tariff",
            percent(rates.loc[partner, "new_tariff_rate"]),
            f"from {percent(rates.loc[partner, 'base_tariff_rate'])} under the baseline",
        ),
        KeyNumber(
            f"{who}'s exports to the US",
            say("exports_value_change_usd", mine["exports_value_change_usd"]),
            f"{percent(mine['exports_value_change'], signed=True)} in value a year",
        ),
        outcome_card(
            "Cost per US household",
            "household_cost_usd",
            head["household_cost_usd"],
            f"a year: consumer prices {say('consumer_price_level_change', head['consumer_price_level_change'])}",
        ),
        outcome_card(
            "US tariff revenue, change",
            "tariff_revenue_change_usd",
            head["tariff_revenue_change_usd"],
            f"{say('tariff_revenue_usd', head['tariff_revenue_usd'])} a year in all",
        ),
    )
)
lines = [
    f"**{who}'s sales to the US** change by {say('exports_value_change_usd', mine['exports_value_change_usd'])} "
    f"({percent(mine['exports_value_change'], signed=True)} in value, "
    f"{percent(mine['exports_volume_change'], signed=True)} in volume).",
    f"**US consumer prices** {say('consumer_price_level_change', head['consumer_price_level_change'])} "
    f"({say('consumer_price_level_change_after_substitution', head['consumer_price_level_change_after_substitution'])} "
    f"after substitution): {say('household_cost_usd', head['household_cost_usd'])} per household a year "
    f"({say('household_cost_after_substitution_usd', head['household_cost_after_substitution_usd'])} after substitution).",
    f"**All US buyers' extra cost** (households, firms and government, for the same purchases): "
    f"{say('us_buyer_cost_usd', head['us_buyer_cost_usd']).lstrip('+')}, "
    f"{say('us_buyer_cost_per_household_usd', head['us_buyer_cost_per_household_usd'])} per household "
    f"(not a household's cost); tariff revenue from {who} is "
    f"{say('tariff_revenue_usd', mine['tariff_revenue_usd'])} a year.",
    f"**US welfare**: net {say('net_us_welfare_usd', head['net_us_welfare_usd'])}; deadweight loss "
    f"{say('deadweight_loss_usd', head['deadweight_loss_usd'])}; paid by foreign exporters through lower "
    f"prices {say('terms_of_trade_gain_usd', head['terms_of_trade_gain_usd'])}.",
]
if partner == DEFAULT_FOCUS.partner:
    lines += [
        f"**Japanese exporters' revenue**: {say('focus_exports_value_change_usd', head['focus_exports_value_change_usd'])}; "
        f"first-order effect on Japan's GDP {say('focus_gdp_change', head['focus_gdp_change'])} "
        "(the domestic value added in that revenue, 85% of it, OECD-WTO TiVA 2009).",
        f"**Japanese passenger cars** sold in the US: {say('focus_sector_units_change', head['focus_sector_units_change'])} a "
        f"year; export price of vehicles and parts {say('focus_exporter_price_change', head['focus_exporter_price_change'])}, "
        f"US price {say('focus_us_price_change', head['focus_us_price_change'])}. With the economy-wide "
        f"default (exporters bear 6% of a tariff) instead of the calibration to the 2025 export-price evidence: "
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
    display(markdown(f"*Calibration:* {md_text(note)}"))

# %% [markdown]
# ## What if the tariff were different?
# Move the sliders: the partner's all-in tariff rate (every good pays at least this rate, as
# under the 15% deal; other partners keep the scenario's rates) and the substitution elasticity
# across its prior range. Every point is an exact solution of the model, computed when the
# report was built.

# %%
prior = inputs.parameters["substitution_elasticity"].prior
sigmas = sigma_grid(prior.low, prior.high, round((prior.high - prior.low) / 0.1) + 1)
grid = what_if_grid(result, partner, rate_grid(), sigmas)
at_rate = what_if_grid(
    result,
    partner,
    rate_grid(what_if_rate, what_if_rate),
    sigma_grid(inputs.parameters["substitution_elasticity"].default, 0, 1),
).iloc[0]
display(
    markdown(
        f"At an all-in rate of **{percent(what_if_rate)}** on {md_text(who)}'s goods (substitution "
        f"elasticity {inputs.parameters['substitution_elasticity'].default:g}): {md_text(who)}'s "
        f"exports to the US {say('exports_value_change_usd', at_rate['exports_value_change_usd'])}, "
        f"all US buyers' extra cost per household {say('us_buyer_cost_per_household_usd', at_rate['us_buyer_cost_per_household_usd'])}, "
        f"US tariff revenue {say('tariff_revenue_usd', at_rate['tariff_revenue_usd'])} a year."
    )
)
what_if_chart(
    grid,
    partner,
    what_if_rate,
    inputs.parameters["substitution_elasticity"].default,
    (float(sigmas[0]), float(sigmas[-1])),
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
# Change in sales to the US market by source over all sectors (``us`` = US producers).

# %%
display(views.style_table(diverted))
figures.diversion_bars(diverted, "Change in sales to the US by source, all sectors")

# %% [markdown]
# ## What each layer contributes
# Shapley decomposition: each layer's average marginal effect over all orders in which the
# layers could be added to MFN; the rows add up to the total against MFN only.

# %%
attribution = attribute_layers(result)
display(views.style_table(attribution, focus=result.focus_names()[0]))
dollars = attribution[attribution["layer"] != "total"].melt(id_vars="layer", var_name="outcome")
figures.grouped_bars(
    dollars[dollars["outcome"].str.endswith("_usd")],
    x="outcome",
    y="value",
    color="layer",
    title="Contribution of each layer (US$)",
    fmt="$~s",
)

# %% [markdown]
# ## Exact model versus the linearised WITS/SMART formulas
# The same tariff change through SMART's first-order formulas (import demand elasticity
# implied by the exact model at the base point, substitution elasticity sigma, infinite
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
# the stacking engine (one YAML file per legal measure in ``params/measures``). Every measure,
# dataset and elasticity used is listed below with its citation.

# %%
display(views.style_table(views.sources_used(result)))

# %%
summary = record_summary(
    f"{result.scenario.title} vs {result.baseline.title}: {who}'s tariff "
    f"{percent(rates.loc[partner, 'new_tariff_rate'])}, its US sales "
    f"{percent(mine['exports_value_change'], signed=True)}, cost per US household "
    f"{say('household_cost_usd', head['household_cost_usd'])}",
    key="partner_exports_value_change",
    partner_tariff_rate=float(rates.loc[partner, "new_tariff_rate"]),
    partner_exports_value_change=float(mine["exports_value_change"]),
    household_cost_usd=head["household_cost_usd"],
)
