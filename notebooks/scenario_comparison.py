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
# # Scenario comparison
#
# Every seed scenario side by side against the same baseline: pre-2025 MFN, the regime of
# early July 2025, the pause expiring (24%), the 25% letter, escalation to 30% and 35%, a
# voluntary export restraint on cars, and the 15% deal. Same model and data for all; only
# the tariffs (and the car quota) differ.

# %%
import html

from IPython.display import HTML, Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY
from analysis.questions.outcomes import OUTCOMES, say
from analysis.questions.simulate import simulate
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, percent
from analysis.report.car_notes import car_note, methods_sentence
from analysis.report.parameters import Horizon, Scenario, check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.rate_shares import why_in_brief
from analysis.report.shared_figures import Figure, figures_payload, law_words, partner_tariff
from analysis.report.text import its, md_link, md_text, possessive, subject

enable_offline_charts()

# %% tags=["parameters"]
scenarios: list[Scenario] = [
    "mfn_only",
    "july_2025",
    "pause_expires",
    "letter_25",
    "escalation_30",
    "escalation_35",
    "ver_cars",
    "deal_15",
    "section122_2026",
    "section301_2026",
    "current",
]  # scenarios to compare, in display order
baseline: Scenario = "mfn_only"  # every scenario is compared with this one
horizon: Horizon = "long_run"  # the supply response every scenario is solved with

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
results = [simulate(inputs, name, baseline, horizon=horizon) for name in scenarios]
table = views.scenario_comparison(results)
worst = table.loc[table["focus_exports_value_change_usd"].idxmin()]
who = results[0].focus_names()[0]
today = {r.scenario.name: r for r in results}.get("current")  # the law in force, if compared
by_name = table.set_index("scenario")
tariff = (
    partner_tariff(today.schedule, today.focus.partner, who, law_words(today.scenario))
    if today is not None
    else None
)
# The report's key number, in the same words on its card and on the index.
costliest = Figure(
    f"{OUTCOMES['focus_exports_value_change_usd'].text(who)}: the costliest scenario, "
    f"{worst['title'].split(' (')[0]}",  # its title without the parenthesis: "Japan at 35%"
    float(worst["focus_exports_value_change_usd"]),
    "focus_exports_value_change_usd",
)
display(
    masthead(
        f"{subject(who, start=True)} under every 2025-2026 regime and threat, side by side",
        f"{len(results)} scenarios against the baseline ({results[0].baseline.title}). "
        f"The costliest for {subject(who)} is {worst['title']}: {its(who)} sales to the US change by "
        f"{say('focus_exports_value_change_usd', worst['focus_exports_value_change_usd'])} a year. "
        + (
            f"Under the law in force today {its(who)} tariff, all duties, is {tariff.total.text} "
            f"({tariff.additional.text} {ABOVE_BASE_DUTY}) and {its(who)} sales change by "
            f"{say('focus_exports_value_change_usd', by_name.loc['current', 'focus_exports_value_change_usd'])}."
            if tariff is not None
            else ""
        ),
        inputs.law_status,
    )
)
display(
    HTML(
        f"<p><b>Baseline:</b> {html.escape(results[0].baseline.title)}. "
        f"<b>Data:</b> 2024 US imports (Census), HTS 2025 MFN rates.</p>"
    )
)
display(methods_box())

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        costliest.card(
            f"{percent(worst['focus_exports_value_change'], signed=True)} a year: {worst['title']}"
        ),
        KeyNumber(
            f"{possessive(who, start=True)} US tariff, all duties, lowest to highest",
            f"{percent(table['focus_tariff_rate'].min())} to {percent(table['focus_tariff_rate'].max())}",
            f"over {len(table)} scenarios",
        ),
        KeyNumber(
            "Cost per US household (each whole regime)",
            f"{say('household_cost_usd', table['household_cost_usd'].min())} to "
            f"{say('household_cost_usd', table['household_cost_usd'].max())}",
            "a year, lowest to highest scenario",
        ),
    )
)
# Why a partner's average is not the rate a scenario sets (the shares of its exports paying it).
causes = {
    r.scenario.name: why_in_brief(
        r.schedule, r.focus.partner, who, [c.measure for c in r.scenario.changes]
    )
    for r in results
}
display(
    markdown(
        f"- The costliest scenario for {subject(who)} is **{md_text(worst['title'])}**: {possessive(who)} sales to the "
        f"US change by {say('focus_exports_value_change_usd', worst['focus_exports_value_change_usd'])} "
        f"({percent(worst['focus_exports_value_change'], signed=True)}).\n"
        + "\n".join(
            f"- **{md_text(r.title)}**: {possessive(who)} tariff, all duties, {percent(r.focus_tariff_rate)}"
            f"{' (' + causes[r.scenario] + ')' if causes[r.scenario] else ''}, {its(who)} US sales "
            f"{percent(r.focus_exports_value_change, signed=True)}, "
            f"{say('focus_sector_units_change', r.focus_sector_units_change).replace('no change', 'no change in cars')}, US cost per household "
            f"{say('household_cost_usd', r.household_cost_usd)}"
            for r in table.itertuples()
        )
    )
)
figures.scenario_dots(
    table,
    "focus_exports_value_change_usd",
    f"{possessive(who, start=True)} exports to the US, change ($ billion)",
    fmt="$,.3~s",
)

# %%
columns = [
    "title",
    "focus_tariff_rate",
    "all_tariff_rate",
    "focus_exports_value_change",
    "focus_exports_volume_change",
    "focus_sector_units_change",
    "focus_supply_elasticity",
    "tariff_revenue_usd",
    "household_cost_usd",
    "deadweight_loss_usd",
    "net_us_welfare_usd",
    "quota_rent_usd",
    "focus_gdp_change",
]
display(views.style_table(table[columns], focus=results[0].focus_names()[0]))


# %%
display(markdown(car_note(results, by_name, who)))

# %% [markdown]
# ## The partner's tariff and its exporters

# %%
figures.scenario_dots(
    table, "focus_tariff_rate", f"{possessive(who, start=True)} effective US tariff rate"
) & figures.scenario_dots(
    table, "focus_exports_value_change", f"{possessive(who, start=True)} sales to the US, change"
)

# %%
figures.scenario_dots(
    table,
    "focus_sector_units_change",
    f"{possessive(who, start=True)} passenger cars sold in the US, change (units)",
    fmt=",.0f",
)

# %% [markdown]
# ## US buyers and US welfare

# %%
figures.scenario_dots(
    table, "household_cost_usd", "Cost per US household, consumer prices ($)", fmt="$,.0f"
) & figures.scenario_dots(
    table, "deadweight_loss_usd", "Deadweight loss ($ billion a year)", fmt="$,.3~s"
)

# %% [markdown]
# ## Methods and sources
# Each scenario is a file of the measures in force (title, changes, references); its
# measures are listed with citations in its scenario report.

# %%
display(markdown(methods_sentence(results, by_name, who)))
sources = views.sources_used(results[-1])
display(views.style_table(sources))
for r in results:
    display(
        Markdown(
            f"- **{md_text(r.scenario.title)}**: "
            + "; ".join(
                f"{md_link(ref.title, ref.url)} ({ref.date})" for ref in r.scenario.references
            )
        )
    )

# %%
summary = record_summary(
    f"{len(results)} scenarios: {possessive(who)} US sales change from "
    f"{percent(table['focus_exports_value_change'].max(), signed=True)} to "
    f"{percent(table['focus_exports_value_change'].min(), signed=True)}; "
    f"US cost per household up to {say('household_cost_usd', table['household_cost_usd'].max())}",
    key=costliest.label,  # the index shows it in the report's words
    shared=figures_payload(
        *((tariff.total, tariff.additional) if tariff is not None else ()), costliest
    ),
    costliest_focus_exports_value_change_usd=costliest.value,
)
