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
# # Cars and car parts: tariff or voluntary export restraint?
#
# Japan's motor vehicles and parts, of which passenger cars (HS 8703) are most of the value
# (the units and values are in the tables below). Three questions: how much
# of the 2025 car tariff did Japanese makers absorb (calibrated to the Bank of Japan's export
# price index), what does each scenario do to car units and values, and how does a voluntary
# export restraint (VER) compare with the tariff that yields the same volume.

# %%
import html

import pandas as pd
from IPython.display import HTML, Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.questions.autos import sector_outcomes, ver_versus_tariff
from analysis.questions.evidence import (
    calibrated_supply_elasticities,
    calibrated_supply_elasticity,
    calibration_table,
    default_elasticities,
)
from analysis.questions.incidence import evidence_table
from analysis.questions.outcomes import say
from analysis.questions.simulate import simulate
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, outcome_card, percent
from analysis.report.parameters import Scenario, check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.text import md_link, md_text

enable_offline_charts()

# %% tags=["parameters"]
ver_scenario: Scenario = "ver_cars"  # scenario with the quota on Japan's cars
tariff_scenario: Scenario = "july_2025"  # the car-tariff regime the evidence was observed under
baseline: Scenario = "mfn_only"  # what every scenario is compared with
scenarios: list[Scenario] = [
    "july_2025",
    "pause_expires",
    "letter_25",
    "escalation_35",
    "deal_15",
    "ver_cars",
]  # scenarios for the units table

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
ver = simulate(inputs, ver_scenario, baseline)
tariff = simulate(inputs, tariff_scenario, baseline)
fits = calibrated_supply_elasticities(inputs)
japan_cars_elasticity = calibrated_supply_elasticity(inputs, ver.focus)  # the VER's short-run fit
uncalibrated = simulate(
    inputs,
    tariff_scenario,
    baseline,
    elasticities=default_elasticities(inputs, calibrated=False),
)
comparison = ver_versus_tariff(ver)
cal = sector_outcomes(tariff)
full = sector_outcomes(uncalibrated)
quota = ver.scenario.quotas[0]
incidence = inputs.parameters.evidence_on("foreign_incidence")
display(
    masthead(
        "Cars: a tariff or a voluntary export restraint?",
        f"A quota on Japan's cars at {percent(quota.cap_share_of_2024)} of their 2024 volume is "
        f"worth a tariff of {percent(comparison['tariff_equivalent_rate'].iloc[0])}, and hands "
        f"Japanese exporters {say('quota_rent_usd', comparison['quota_rent_usd'].iloc[0])} of "
        "rent a year that a tariff would collect as US revenue. Under "
        f"{tariff.scenario.title.lower()} the model calibrated to the 2025 export prices has "
        f"Japanese makers cutting export prices by {percent(-cal['exporter_price_change'])}.",
        inputs.law_status,
    )
)
display(
    HTML(
        f"<p><b>Quota scenario:</b> {html.escape(ver.scenario.title)}. "
        f"<b>Tariff scenario:</b> {html.escape(tariff.scenario.title)}.</p>"
    )
)
display(methods_box())

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        KeyNumber(
            "A quota on Japan's cars is worth a tariff of",
            percent(comparison["tariff_equivalent_rate"].iloc[0]),
            f"quota at {percent(quota.cap_share_of_2024)} of 2024 volume",
        ),
        outcome_card(
            "Rent the quota hands Japanese exporters",
            "quota_rent_usd",
            comparison["quota_rent_usd"].iloc[0],
            "a year; a tariff would collect it as US revenue",
        ),
        outcome_card(
            "Japanese export price of cars",
            "focus_exporter_price_change",
            cal["exporter_price_change"],
            f"under the {percent(cal['new_tariff_rate'])} car tariff (calibrated)",
        ),
        outcome_card(
            "Japanese cars sold in the US",
            "focus_sector_units_change",
            cal["focus_sector_units_change"],
            f"a year; {say('focus_sector_units_change', full['focus_sector_units_change'])} with the economy-wide default",
        ),
    )
)
display(
    markdown(
        "\n".join(
            [
                f"- Under the {percent(cal['new_tariff_rate'])} car tariff, the model calibrated to the Bank of "
                f"Japan's export prices has Japanese makers cutting export prices by "
                f"**{percent(-cal['exporter_price_change'])}**; US buyers see **{percent(cal['buyer_price_change'], signed=True)}** "
                f"(pass-through {cal['pass_through']:.0%}): **{say('focus_sector_units_change', cal['focus_sector_units_change'])}** "
                f"a year. With the economy-wide default instead (exporters bear {percent(incidence.observed)} of a tariff, nearly "
                f"complete pass-through): {say('focus_sector_units_change', full['focus_sector_units_change'])}.",
                f"- A quota at {quota.cap_share_of_2024:.1%} of 2024 volume is worth a tariff of "
                f"**{comparison['tariff_equivalent_rate'].iloc[0]:.1%}**: with the short-run supply elasticity "
                f"fitted to 2025 ({japan_cars_elasticity:.2f}), Japanese makers absorb a tariff "
                "rather than sell less, so only a very high tariff cuts volume as much. At equal volume the quota hands "
                f"Japanese exporters **{say('quota_rent_usd', comparison['quota_rent_usd'].iloc[0])}** of rent a year, "
                f"which the tariff would collect as US revenue "
                f"({say('quota_rent_usd', comparison['tariff_revenue_on_sector_usd'].iloc[1])}).",
                f"- US net welfare: {say('net_us_welfare_usd', comparison['net_us_welfare_usd'].iloc[0])} under the "
                f"quota against {say('net_us_welfare_usd', comparison['net_us_welfare_usd'].iloc[1])} under its tariff "
                f"equivalent.",
            ]
        )
    )
)

# %% [markdown]
# ## Pass-through calibrated to the 2025 evidence
#
# Short run: 2025's evidence shows how much of the tariff exporters absorbed; the fitted
# elasticities are used for every scenario here, the quota included. A fit at a bound would
# be "not identified" and the prior would be used instead.

# %%
for fit in fits:
    sources = [fit.calibration.source]
    if fit.calibration.volume_source is not None:
        sources.append(fit.calibration.volume_source)
    display(
        Markdown(
            f"- {md_text(views.in_words(fit.note))}  \n  Sources: "
            + "; ".join(md_link(s.title, s.url) for s in sources)
        )
    )
fitted = calibration_table(inputs)
fitted["sector"] = fitted["sector"].map(views.in_words)  # the sector's name, not its code
display(views.style_table(fitted))
display(views.style_table(views.economy_wide_evidence(evidence_table(inputs))))
passthrough = pd.DataFrame(
    [cal, full],
    index=[
        "calibrated to the Bank of Japan's export prices",
        f"economy-wide default ({percent(incidence.observed)} borne by exporters)",
    ],
)
display(views.style_table(passthrough, hide_index=False))
figures.grouped_bars(
    passthrough[["exporter_price_change", "buyer_price_change", "quantity_change"]]
    .reset_index(names="assumption")
    .melt(id_vars="assumption", var_name="outcome"),
    x="outcome",
    y="value",
    color="assumption",
    title=f"Japanese cars under a {cal['new_tariff_rate']:.1%} tariff",
    fmt="%",
)

# %% [markdown]
# ## Tariff versus voluntary export restraint at equal volume

# %%
display(views.style_table(comparison, focus=ver.focus_names()[0]))
rent = comparison.melt(
    id_vars="policy",
    value_vars=["quota_rent_usd", "tariff_revenue_on_sector_usd"],
    var_name="who keeps the wedge",
)
figures.grouped_bars(
    rent,
    x="policy",
    y="value",
    color="who keeps the wedge",
    title="Quota rent (to Japanese exporters) vs tariff revenue (to the US), $ billion a year",
    fmt="$~s",
)

# %% [markdown]
# ## Units and values by scenario
# Japan's passenger cars in 2024 (UN Comtrade, HS 8703). The model's volume change for motor
# vehicles and parts is applied to the car units (parts and trucks are assumed to move in
# proportion with cars).

# %%
rows = []
for name in scenarios:
    r = simulate(inputs, name, baseline)
    rows.append({"scenario": r.scenario.title, **sector_outcomes(r)})
units = pd.DataFrame(rows)
display(views.style_table(units, focus=ver.focus_names()[0]))
figures.scenario_dots(
    units.assign(title=units["scenario"]),
    "focus_sector_units_change",
    "Japanese cars sold in the US, change (units a year)",
    fmt=",.0f",
)

# %% [markdown]
# ## Methods and sources
# The quota is solved exactly: where it binds, Japan's volume is the cap, US buyers' price
# comes from inverse demand and Japanese exporters are paid their supply price; the gap is
# the quota rent. The tariff equivalent is the ad valorem rate on the exporters' price that
# opens the same gap. The calibration finds Japan's export supply elasticity in motor vehicles that
# reproduces the observed export-price change when moving from MFN to the July 2025 regime.

# %%
display(views.style_table(views.sources_used(ver)))
display(
    markdown(
        f"Quota: {md_text(views.in_words(quota.reason))} Source: "
        f"{md_link(quota.reference.title, quota.reference.url)}"
    )
)
summary = record_summary(
    f"Cars: a VER at {quota.cap_share_of_2024:.1%} of 2024 volume equals a "
    f"{comparison['tariff_equivalent_rate'].iloc[0]:.1%} tariff and hands Japanese exporters "
    f"{comparison['quota_rent_usd'].iloc[0] / 1e9:,.1f} bn USD of rent; calibrated export price "
    f"{cal['exporter_price_change']:+.1%} under a {cal['new_tariff_rate']:.1%} tariff",
    key="tariff_equivalent_rate",
    tariff_equivalent_rate=float(comparison["tariff_equivalent_rate"].iloc[0]),
    quota_rent_usd=float(comparison["quota_rent_usd"].iloc[0]),
)
