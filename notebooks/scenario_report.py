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
from IPython.display import HTML, Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.questions.attribution import attribute_layers
from analysis.questions.evidence import default_elasticities
from analysis.questions.methods import smart_comparison
from analysis.questions.simulate import simulate
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.parameters import check_parameters
from analysis.report.text import md_text

enable_offline_charts()
pd.set_option("display.max_colwidth", 120)

# %% tags=["parameters"]
scenario: str = "deal_15"  # scenario to analyse: a file stem in params/scenarios
baseline: str = "mfn_only"  # scenario it is compared with (mfn_only = before 2025)
partner: str = "japan"  # partner region the report focuses on (one of the eight regions)
top_n: int = 10  # how many of the partner's hardest-hit sectors to list

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(
    inputs, scenario=scenario, baseline=baseline, partner=partner, top_n=top_n
)  # one-line error for a value outside its domain
result = simulate(inputs, scenario, baseline)
head = result.headline()
full_pass_through = simulate(
    inputs,
    scenario,
    baseline,
    elasticities=default_elasticities(inputs, calibrated=False),
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
# ## Headline numbers

# %%
lines = [
    f"**{md_text(partner)}**: effective US tariff {rates.loc[partner, 'baseline_tariff_rate']:.1%} → "
    f"**{rates.loc[partner, 'scenario_tariff_rate']:.1%}** (all partners: "
    f"{rates.loc['all', 'baseline_tariff_rate']:.1%} → {rates.loc['all', 'scenario_tariff_rate']:.1%})",
    f"**{md_text(partner)}'s sales to the US**: {mine['exports_value_change_usd'] / 1e9:+,.1f} bn USD "
    f"({mine['exports_value_change']:+.1%} in value, {mine['exports_volume_change']:+.1%} in volume)",
    f"**US tariff revenue**: {head['tariff_revenue_usd'] / 1e9:,.0f} bn USD a year "
    f"({head['tariff_revenue_change_usd'] / 1e9:+,.0f} bn USD); from {md_text(partner)}: "
    f"{mine['tariff_revenue_usd'] / 1e9:,.1f} bn USD",
    f"**US buyers** pay {head['us_buyer_cost_usd'] / 1e9:+,.0f} bn USD more for the same purchases, "
    f"**{head['cost_per_household_usd']:+,.0f} USD per household**",
    f"**US welfare**: net {head['net_us_welfare_usd'] / 1e9:+,.1f} bn USD; deadweight loss "
    f"{head['deadweight_loss_usd'] / 1e9:,.1f} bn USD; paid by foreign exporters through lower "
    f"prices {head['terms_of_trade_gain_usd'] / 1e9:,.1f} bn USD",
]
if partner == "japan":
    lines += [
        f"**Japanese exporters' revenue** {head['japan_exporter_revenue_change_usd'] / 1e9:+,.1f} bn USD; "
        f"first-order hit to Japan's GDP at most {head['japan_gdp_change']:+.2%}",
        f"**Japanese passenger cars** sold in the US: {head['car_units_change']:+,.0f} units a "
        f"year; export price of vehicles and parts {head['japan_mvh_exporter_price_change']:+.1%}, "
        f"US price {head['us_price_change_japan_mvh']:+.1%}. With complete pass-through instead "
        f"of the calibration to the 2025 export-price evidence: "
        f"{full_pass_through['car_units_change']:+,.0f} cars, US price "
        f"{full_pass_through['us_price_change_japan_mvh']:+.1%}",
    ]
display(Markdown("\n".join(f"- {line}" for line in lines)))
if any(am.measure.authority_name == "IEEPA" for am in result.schedule.active):
    display(Markdown(views.ieepa_refund_note(inputs.law_status)))
for note in result.elasticities.notes:
    display(Markdown(f"*Calibration:* {md_text(note)}"))

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
                "reference_date",
            ]
        ]
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
figures.sector_change_bars(hardest, f"{partner}: change in sales to the US by sector")

# %% [markdown]
# ## Trade diversion: who gains, who loses
# Change in sales to the US market by source over all sectors (``us`` = US producers).

# %%
diverted = views.diversion(result)
display(views.style_table(diverted))
figures.diversion_bars(diverted, "Change in sales to the US by source, all sectors")

# %% [markdown]
# ## What each layer contributes
# Shapley decomposition: each layer's average marginal effect over all orders in which the
# layers could be added to MFN; the rows add up to the total against MFN only.

# %%
attribution = attribute_layers(result)
display(views.style_table(attribution))
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
    f"{result.scenario.title} vs {result.baseline.title}: {partner} tariff "
    f"{rates.loc[partner, 'scenario_tariff_rate']:.1%}, its US sales "
    f"{mine['exports_value_change']:+.1%}, US cost per household "
    f"{head['cost_per_household_usd']:+,.0f} USD",
    partner_tariff_rate=float(rates.loc[partner, "scenario_tariff_rate"]),
    partner_exports_value_change=float(mine["exports_value_change"]),
    cost_per_household_usd=head["cost_per_household_usd"],
)
