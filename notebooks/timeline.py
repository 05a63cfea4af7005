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
# The US tariff day by day, January 2025 to today
#
# The additional US tariff (above the MFN or trade-agreement duty) on each partner and on all imports, every day from
# 1 January 2025, stacked by the legal authority that imposed it: IEEPA (until the Supreme
# Court ended it; collection stopped on 24 February 2026), Section 122 (24 February to 23
# July 2026), Section 232 and Section 301. Rates are import-weighted with 2024 imports.

# %%

import pandas as pd
from IPython.display import Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.policy.regimes import schedule_for_date
from analysis.questions.country_rates import LARGEST_SUPPLIERS
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY, BASE_DUTY
from analysis.questions.timeline import (
    daily_authority_rates,
    events_reaching,
    laws_by_day,
    legal_events,
)
from analysis.report import enable_offline_charts, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, percent
from analysis.report.parameters import Date, Partner, check_parameters, resolve_date
from analysis.report.publication import masthead, methods_box
from analysis.report.shared_figures import figures_payload, partner_tariff_on
from analysis.report.text import md_text, partner_label
from analysis.report.timeline_figures import (
    STEP_NOTE,
    authorities_in_words,
    authority_timeline,
    ban_note,
    merged_events,
    partners_timeline,
)

enable_offline_charts()

# %% tags=["parameters"]
partner: Partner = "japan"  # the partner whose line is the headline
start_date: Date = "2025-01-01"  # first day of the timeline (YYYY-MM-DD)
end_date: Date = "today"  # last day of the timeline (YYYY-MM-DD, or "today": law checked to)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
first, last = resolve_date(inputs, start_date), resolve_date(inputs, end_date)
daily = daily_authority_rates(inputs, first, last, LARGEST_SUPPLIERS)
events = merged_events(legal_events(inputs, first, last))  # one event per change of the law
mine = daily[daily["partner"] == partner]
totals = mine.groupby("date")["additional_tariff_rate"].sum()
everyone = daily[daily["partner"] == "all"].groupby("date")["additional_tariff_rate"].sum()
refunds = inputs.law_status.ieepa_refunds
name = partner_label(partner)
last_law = schedule_for_date(last, inputs.data, inputs.measures, inputs.lines)
on_last = partner_tariff_on(last_law, partner, name, last)  # shared with the partner report
display(
    masthead(
        f"Additional US tariff on {name}, {first:%-d %B %Y} to {last:%-d %B %Y}",
        f"The additional US tariff ({ABOVE_BASE_DUTY}) on {name} and on all imports, every day from "
        f"{first:%-d %B %Y}, stacked by the legal authority that imposed it "
        f"({authorities_in_words(daily)}), import-weighted with "
        f"2024 imports. On {last:%-d %B %Y}: {on_last.additional.text} on {name} {ABOVE_BASE_DUTY} "
        f"({on_last.total.text} in all), "
        f"{percent(everyone.iloc[-1])} on all imports; IEEPA duties collected from "
        f"{refunds.collected_from:%-d %B %Y} to {refunds.collected_to:%-d %B %Y} are being refunded.",
        inputs.law_status,
    )
)
display(methods_box(model=False))  # a page of rates: no model result

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        on_last.additional.card(
            f"{on_last.total.text} with the {BASE_DUTY} (statutory, 2024 import weights)"
        ),
        KeyNumber(f"Peak for {name}", percent(totals.max()), f"on {totals.idxmax():%-d %b %Y}"),
        KeyNumber(
            f"All imports, {everyone.index[-1]:%-d %b %Y}",
            percent(everyone.iloc[-1]),
            f"peak {percent(everyone.max())} on {everyone.idxmax():%-d %b %Y}",
        ),
    )
)
display(
    Markdown(
        "\n".join(
            [
                f"- **{md_text(name)}**: additional tariff **{totals.iloc[-1]:.1%}** on "
                f"{totals.index[-1]:%-d %b %Y}; peak **{totals.max():.1%}** on "
                f"{totals.idxmax():%-d %b %Y}; {totals.iloc[0]:.1%} on {totals.index[0]:%-d %b %Y}.",
                f"- **All imports**: {everyone.iloc[-1]:.1%} on {everyone.index[-1]:%-d %b %Y}; "
                f"peak {everyone.max():.1%} on {everyone.idxmax():%-d %b %Y}.",
                f"- **IEEPA duties** were collected from {refunds.collected_from:%-d %b %Y} to "
                f"{refunds.collected_to:%-d %b %Y} and are being refunded: "
                f"{md_text(refunds.status)}",
            ]
        )
    )
)
# The law on each day it changed, for the events of the measures that tax the partner.
days = views.regime_dates(inputs.measures.values(), first, last, inputs.lines.product_lists())
laws = laws_by_day(inputs, days).values()  # every partner's rates, shared with the partner reports
reaching = events_reaching(legal_events(inputs, first, last), laws, partner)
display(
    authority_timeline(
        mine,
        merged_events(reaching),
        f"Additional US tariff on {name} by legal authority (dashed lines: the legal events that moved it)",
    )
)
display(Markdown("\n\n".join(filter(None, [STEP_NOTE, ban_note(reaching, mine, name)]))))

# %% [markdown]
# ## Every partner

# %%
display(
    partners_timeline(
        daily,
        "Additional US tariff by partner (click the legend to pick one)",
        focus=partner,
        names={c.iso3: c.short_name for c in inputs.countries.countries if c.iso3},
    )
)
display(Markdown(STEP_NOTE))

# %% [markdown]
# ## The largest suppliers
#
# Japan, China, Mexico and Canada are regions of their own; Korea, Vietnam, Taiwan, India,
# Switzerland, Brazil and Germany are taken out of their regions (their regions' lines above
# still include them). Each country's rate is import-weighted over its own HS10 lines.

# %%
by_day = daily.groupby(["partner", "date"])["additional_tariff_rate"].sum().unstack("partner")
suppliers = [p for p in daily["partner"].unique() if p.isupper()]
shown = ["japan", "china", "mexico", "canada", *suppliers]
country_names = {c.key: c.short_name for c in inputs.countries.countries}
display(
    views.style_table(
        pd.DataFrame(
            {
                "partner": [partner_label(p) if p.islower() else country_names[p] for p in shown],
                "last_day_additional_rate": [by_day[p].iloc[-1] for p in shown],
                "peak_additional_rate": [by_day[p].max() for p in shown],
                "peak_day": [f"{by_day[p].idxmax():%Y-%m-%d}" for p in shown],
                "first_day_additional_rate": [by_day[p].iloc[0] for p in shown],
            }
        ),
        caption=f"Additional US tariff on the largest suppliers, {first:%-d %b %Y} to "
        f"{last:%-d %b %Y} (import-weighted over each country's HS10 lines, 2024 weights)",
    )
)

# %% [markdown]
# ## The legal events

# %%
display(views.style_table(events.assign(date=events["date"].dt.date.astype(str))))

# %% [markdown]
# ## Methods and sources
#
# Each day's rates stack every measure in force that day line by line (each HS10 product from
# each country): the MFN or trade-agreement duty always, Section 232 on the lines its lists
# name, the other measures on the other lines, floors topping up to their level inclusive of
# MFN. The additional rate is the total minus that duty, import-weighted with 2024 US imports.
# Measures the package leaves out are listed below, with the reason.

# %%
display(
    views.style_table(
        views.not_modelled_table(inputs.law_status),
    )
)
summary = record_summary(
    f"{name}: US tariff {ABOVE_BASE_DUTY} {totals.iloc[-1]:.1%} today (peak "
    f"{totals.max():.1%} on {totals.idxmax():%-d %b %Y}); all imports "
    f"{everyone.iloc[-1]:.1%}",
    key=on_last.additional.label,  # the index shows it in the report's words
    shared=figures_payload(on_last.additional, on_last.total),
    partner_additional_tariff_rate=on_last.additional.value,
    peak_additional_tariff_rate=float(totals.max()),
    all_additional_tariff_rate=float(everyone.iloc[-1]),
)
