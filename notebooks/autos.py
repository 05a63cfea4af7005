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
# (the units and values are in the tables below). Three questions: what does the law in force
# today do to Japan's cars, how much of the 2025 car tariff did Japanese makers absorb
# (calibrated to the Bank of Japan's export price index), and how does a voluntary export
# restraint (VER) compare with the tariff that yields the same volume. Two supply responses:
# the long run of the literature for today's law and the quota (forward scenarios), and the
# short run fitted to 2025 for the law the evidence was observed under; every figure says which.

# %%
import html
from dataclasses import replace

import pandas as pd
from IPython.display import HTML, Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.questions.autos import quota_equivalents, sector_outcomes, ver_versus_tariff
from analysis.questions.evidence import (
    HORIZON_LABELS,
    HORIZON_PHRASES,
    calibrated_supply_elasticities,
    calibrated_supply_fit,
    calibration_table,
    default_elasticities,
    elasticity_text,
    long_run_supply_elasticity,
)
from analysis.questions.incidence import evidence_table
from analysis.questions.outcomes import say
from analysis.questions.simulate import simulate
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, outcome_card, percent
from analysis.report.car_notes import (
    quota_equivalents_note,
    quota_headline,
    quota_law_in_words,
)
from analysis.report.parameters import Scenario, check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.text import md_link, md_text

enable_offline_charts()

# %% tags=["parameters"]
ver_scenario: Scenario = "ver_cars"  # scenario with the quota on Japan's cars
tariff_scenario: Scenario = "current"  # the car-tariff regime of the headlines: the law today
baseline: Scenario = "mfn_only"  # what every scenario is compared with
scenarios: list[Scenario] = ["current", "ver_cars"]  # units table; add past laws for history

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
ver = simulate(inputs, ver_scenario, baseline)
today = simulate(inputs, tariff_scenario, baseline)
ver_short = simulate(inputs, replace(ver.scenario, horizon="short_run"), baseline)
fits = calibrated_supply_elasticities(inputs)
japan_fit = calibrated_supply_fit(inputs, ver.focus)  # the quota's partner and sector
japan_cars_elasticity = japan_fit.supply_elasticity  # the short-run (one-year) fit to 2025
long_run = long_run_supply_elasticity(inputs.parameters, ver.focus.sector)
evidence_scenario = japan_fit.calibration.scenario  # the law the 2025 evidence was observed under
tariff = simulate(inputs, evidence_scenario, baseline)
uncalibrated = simulate(
    inputs,
    evidence_scenario,
    baseline,
    elasticities=default_elasticities(inputs, calibrated=False),
)
comparison = ver_versus_tariff(ver)
comparison_short = ver_versus_tariff(ver_short)
now = sector_outcomes(today)
cal = sector_outcomes(tariff)
full = sector_outcomes(uncalibrated)
quota = ver.scenario.quotas[0]
incidence = inputs.parameters.evidence_on("foreign_incidence")
economy_wide = inputs.parameters["foreign_supply_elasticity"].default  # not a car estimate
observed_volume = (
    percent(-japan_fit.calibration.observed_volume_change)
    if japan_fit.calibration.observed_volume_change is not None
    else "a little"
)
response = {r.scenario.name: HORIZON_PHRASES[r.horizon] for r in (ver, today, tariff)}
te_long = comparison["tariff_equivalent_rate"].iloc[0]
te_short = comparison_short["tariff_equivalent_rate"].iloc[0]
partner_name = ver.focus_names()[0]  # the quota's partner, named in the tables' headers


quota_law_words = quota_law_in_words(inputs.scenarios.values(), ver.scenario)
equivalents = quota_equivalents(inputs, ver)  # the closed form, before 2025, in the law
tariff_of = views.a_tariff  # "an 18.5% tariff"

display(
    masthead(
        "Cars: a tariff or a voluntary export restraint?",
        f"Under {today.scenario.title[:1].lower() + today.scenario.title[1:]}, with the "
        f"{response[today.scenario.name]} used on this page unless said otherwise, Japan sells "
        f"{say('focus_sector_units_change', now['focus_sector_units_change'])} in the US a year. "
        f"{quota_headline(equivalents, quota_law_words, partner_name)} and hands Japanese exporters "
        f"{say('quota_rent_usd', comparison['quota_rent_usd'].iloc[0])} of rent a year that a "
        "tariff would collect as US revenue.",
        inputs.law_status,
    )
)
display(
    HTML(
        f"<p><b>Quota scenario:</b> {html.escape(ver.scenario.title)}. "
        f"<b>Tariff scenario:</b> {html.escape(today.scenario.title)}. "
        f"<b>2025 evidence observed under:</b> {html.escape(tariff.scenario.title)}.</p>"
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
            percent(te_long),
            f"quota at {percent(quota.cap_share_of_2024)} of 2024 volume, in place of the car "
            f"tariff in {quota_law_words}; {response[ver.scenario.name]}",
        ),
        outcome_card(
            "Rent the quota hands Japanese exporters",
            "quota_rent_usd",
            comparison["quota_rent_usd"].iloc[0],
            f"a year, {response[ver.scenario.name]}; a tariff would collect it as US revenue",
        ),
        outcome_card(
            "Japanese cars sold in the US",
            "focus_sector_units_change",
            now["focus_sector_units_change"],
            f"a year under the law in force today, {response[today.scenario.name]}",
        ),
        outcome_card(
            "Japanese export price of cars, 2025: the model's",
            "focus_exporter_price_change",
            cal["exporter_price_change"],
            f"under the {percent(cal['new_tariff_rate'])} car tariff, "
            f"{response[tariff.scenario.name]}; observed: "
            f"{percent(japan_fit.calibration.observed_exporter_price_change, signed=True)} "
            "(Bank of Japan export price index)",
        ),
    )
)
display(
    markdown(
        "\n".join(
            [
                f"- Under the law in force today ({percent(now['new_tariff_rate'])} on Japan's motor vehicles), "
                f"with the {response[today.scenario.name]}, elasticity {long_run.central:.2f}, "
                f"Japanese makers cut export prices by **{percent(-now['exporter_price_change'])}** and sell "
                f"**{say('focus_sector_units_change', now['focus_sector_units_change'])}** a year.",
                f"- In 2025, under the {percent(cal['new_tariff_rate'])} car tariff, the model calibrated to the Bank of "
                f"Japan's export prices, with the {response[tariff.scenario.name]}, elasticity {elasticity_text(japan_cars_elasticity)}, has "
                f"Japanese makers cutting export prices by **{percent(-cal['exporter_price_change'])}**; US buyers see "
                f"**{percent(cal['buyer_price_change'], signed=True)}** (pass-through {cal['pass_through']:.0%}): "
                f"**{say('focus_sector_units_change', cal['focus_sector_units_change'])}** that year. With the "
                f"economy-wide default instead (exporters bear {percent(incidence.observed)} of a tariff, nearly "
                f"complete pass-through): {say('focus_sector_units_change', full['focus_sector_units_change'])}. "
                f"That default (supply elasticity {economy_wide:.1f}) is fitted to all 2025 imports, not to cars, "
                f"and Japan's car exports to the US fell only {observed_volume} in the 2025 evidence, so it is shown only as "
                "a bound, not as a car estimate.",
                f"- A quota at {percent(quota.cap_share_of_2024)} of 2024 volume, replacing the car tariff in "
                f"{md_text(quota_law_words)}, is worth **{tariff_of(te_long)}** with the {response[ver.scenario.name]}"
                f"; the 1980s restraint on Japanese cars was put at {long_run.evidence.tariff_equivalent_low:.0%} to "
                f"{long_run.evidence.tariff_equivalent_high:.0%}. This is the forward estimate. For context only: "
                f"with the one-year response fitted to 2025 (elasticity {elasticity_text(japan_cars_elasticity)}) the same cut "
                f"would take {tariff_of(te_short)}, because within one year Japanese makers absorb a tariff in "
                "their prices rather than sell less; that response describes 2025, not the years a quota would "
                "last. At equal volume the "
                f"quota hands Japanese exporters **{say('quota_rent_usd', comparison['quota_rent_usd'].iloc[0])}** of "
                f"rent a year ({say('quota_rent_usd', comparison_short['quota_rent_usd'].iloc[0])} with the one-year "
                "response), which "
                f"the tariff would collect as US revenue "
                f"({say('quota_rent_usd', comparison['tariff_revenue_on_sector_usd'].iloc[1])}).",
                f"- US net welfare: {say('net_us_welfare_usd', comparison['net_us_welfare_usd'].iloc[0])} under the "
                f"quota against {say('net_us_welfare_usd', comparison['net_us_welfare_usd'].iloc[1])} under its tariff "
                f"equivalent, {response[ver.scenario.name]}.",
            ]
        )
    )
)

# %% [markdown]
# ## Short run and long run
#
# The short run is the one-year response: 2025's evidence shows how much of the tariff
# Japanese makers absorbed, and the supply elasticity fitted to it is used for the law the
# evidence was observed under. Forward scenarios (today's law, quotas, escalations, rate cuts)
# use the long-run response: no published long-run export supply elasticity for cars could be
# verified, so it is the value at which the 1980s restraint on Japanese cars has its published
# price effect, through the closed form of a quota's tariff equivalent. Every partner's cars
# (a country split out of its region included) take it in the long run; in the short run only
# Japan has a fit, and the other partners' cars keep the economy-wide 2025 default.

# %%
lr_ev = long_run.evidence
display(
    markdown(
        f"- **Short run (2025 fit):** {md_text(views.in_words(japan_fit.note))}\n"
        f"- **Long run (literature):** elasticity **{long_run.central:.2f}** (range {long_run.low:.2f} to "
        f"{long_run.high:.2f}; the Monte Carlo draws it over this range), the value at which a cap at "
        f"{lr_ev.cap_share:.1%} of free-trade volume has a tariff equivalent of "
        f"{lr_ev.tariff_equivalent_mode:.0%} ({lr_ev.tariff_equivalent_low:.0%} to "
        f"{lr_ev.tariff_equivalent_high:.0%}) in the closed form, with the substitution elasticity "
        f"({long_run.sigma:g}) as the demand the source faces. {md_text(lr_ev.caveat)} Sources: "
        f"{md_link(views.reader_source(lr_ev.source.title), lr_ev.source.url)}; "
        f"{md_link(views.reader_source(lr_ev.range_source.title), lr_ev.range_source.url)}\n"
        "- **One cap, three tariff equivalents.** "
        f"{md_text(quota_equivalents_note(equivalents, quota_law_words, partner_name))}"
    )
)
responses = pd.DataFrame(
    [
        {
            "supply response": HORIZON_LABELS[h],
            "supply elasticity": e,
            "ver_tariff_equivalent": c["tariff_equivalent_rate"].iloc[0],
            "quota_rent_usd": c["quota_rent_usd"].iloc[0],
            "focus_sector_units_change": c["focus_sector_units_change"].iloc[0],
        }
        for h, e, c in (
            ("long_run", long_run.central, comparison),
            ("short_run", japan_cars_elasticity, comparison_short),
        )
    ]
)
display(
    views.style_table(
        responses,
        focus=partner_name,
        note=f"The quota is the same under both responses: its cap at "
        f"{percent(quota.cap_share_of_2024)} of 2024 volume means "
        f"{say('focus_sector_units_change', comparison['focus_sector_units_change'].iloc[0])} from "
        f"{partner_name} in the US a year. That is the quota's cut, not today's law, under which "
        f"{partner_name} sells {say('focus_sector_units_change', now['focus_sector_units_change'])}.",
    )
)

# %% [markdown]
# ## Pass-through calibrated to the 2025 evidence (short run)
#
# 2025's evidence shows how much of the tariff exporters absorbed in one year; the fitted
# elasticity is the short-run response. A fit at a bound would be "not identified" and the
# prior would be used instead.

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
fitted = calibration_table(inputs).rename(
    columns={"sector": "description", "rmse_log": "root mean squared log error"}
)
fitted["description"] = fitted["description"].map(views.in_words)  # the sector's name
display(views.style_table(fitted))
display(views.style_table(views.economy_wide_evidence(evidence_table(inputs))))
passthrough = pd.DataFrame(
    [cal, full],
    index=[
        "calibrated to the Bank of Japan's export prices",
        f"economy-wide default ({percent(incidence.observed)} borne by exporters)",
    ],
)
display(
    views.style_table(
        passthrough.reset_index(names="assumption"),
        focus=partner_name,
        note=f"The economy-wide default (supply elasticity {economy_wide:.1f}) is not a car "
        f"estimate: {partner_name}'s car exports to the US fell only {observed_volume} in the 2025 "
        "evidence, so its row is a bound, not a forecast.",
    )
)
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
# ## Tariff versus voluntary export restraint at equal volume (long-run supply response)

# %%
sector_name = ver.focus_names()[1]
display(
    views.style_table(
        comparison,
        focus=partner_name,
        caption=f"The quota and its tariff equivalent, each in place of the car tariff in "
        f"{quota_law_words}, the rest of that law unchanged; compared with the baseline, "
        f"{ver.baseline.title[:1].lower() + ver.baseline.title[1:]}",
        spanners={
            f"{partner_name}, {sector_name} only": [
                "tariff_equivalent_rate",
                "quantity_change",
                "buyer_price_change",
                "exporter_price_change",
                "supply_price_change",
                "focus_sector_units_change",
                "quota_rent_usd",
                "tariff_revenue_on_sector_usd",
            ],
            "Whole regime (every sector and partner)": [
                "focus_exports_value_change_usd",
                "net_us_welfare_usd",
                "us_buyer_cost_usd",
            ],
        },
        note=f"The last three columns are for the whole regime, not for {sector_name} alone: "
        f"{quota_law_words} with the quota or its tariff equivalent, {partner_name}'s exports in "
        "every sector, and US welfare and buyers' extra cost on all imports and US-made goods.",
    )
)
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
    title="Quota rent (to Japanese exporters) vs tariff revenue (to the US), $ billion a year, "
    f"{response[ver.scenario.name]}",
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
    rows.append(
        {"scenario": r.scenario.title, "supply response": r.supply_response, **sector_outcomes(r)}
    )
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
# reproduces the observed export-price change when moving from MFN to the July 2025 regime
# (short run); forward scenarios use the long-run elasticity read off the 1980s restraint's
# published price effects (above).

# %%
display(views.style_table(views.sources_used(ver)))
display(
    markdown(
        f"Quota: {md_text(views.in_words(quota.reason))} Source: "
        f"{md_link(quota.reference.title, quota.reference.url)}"
    )
)
summary = record_summary(  # at most 240 characters: the index shows no more
    f"Cars: a VER at {percent(quota.cap_share_of_2024)} of 2024 volume in the "
    f"{ver.scenario.regime_date:%B %Y} law equals {tariff_of(te_long)} "
    f"({ver.scenario.horizon.replace('_', '-')} supply response) and hands Japanese exporters "
    f"{say('quota_rent_usd', comparison['quota_rent_usd'].iloc[0])} of rent a year; 2025 export price "
    f"{say('focus_exporter_price_change', cal['exporter_price_change'])} in the model under "
    f"{tariff_of(cal['new_tariff_rate'])} ({tariff.scenario.horizon.replace('_', '-')} supply response)",
    key="tariff_equivalent_rate",
    tariff_equivalent_rate=float(comparison["tariff_equivalent_rate"].iloc[0]),
    quota_rent_usd=float(comparison["quota_rent_usd"].iloc[0]),
)
