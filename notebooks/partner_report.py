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
# Partner report
#
# One partner's view: how its US tariff moved from January 2025 to today, layer by layer, and what a
# scenario does to its sales, its main sectors and its competitors there. Run one per region, or
# per country (an ISO3 code such as ``KOR``: the model splits the country out of its region, with
# its imports and rates from its HS10 lines), ``params/reports/partner_*.yaml``.

# %%
import datetime as dt
import html

from IPython.display import HTML, display

from analysis.inputs.bundle import load_inputs
from analysis.inputs.focus import Focus
from analysis.policy.regimes import schedule_for_date
from analysis.questions.backcast import backcast
from analysis.questions.bans import ban_points
from analysis.questions.country_rates import country_products
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY, BASE_DUTY
from analysis.questions.outcomes import say
from analysis.questions.simulate import simulate
from analysis.questions.timeline import (
    events_reaching,
    laws_by_day,
    legal_events,
    partner_authority_rates,
    split_countries,
)
from analysis.questions.unsettled import unsettled_shares
from analysis.questions.what_if import own_measures_effect
from analysis.report import (
    enable_offline_charts,
    figures,
    law_questions,
    record_summary,
    views,
)
from analysis.report.backcast_note import backcast_caveat
from analysis.report.brief import KeyNumber, key_numbers, markdown, percent
from analysis.report.parameters import (
    Date,
    Integer,
    Partner,
    Scenario,
    check_parameters,
    resolve_date,
)
from analysis.report.publication import left_out_on, long_date, masthead, methods_box
from analysis.report.shared_figures import (
    figures_payload,
    law_words,
    partner_tariff,
    partner_tariff_on,
)
from analysis.report.text import (
    its,
    md_text,
    partner_label,
    possessive,
    scenario_in_sentence,
    subject,
)
from analysis.report.timeline_figures import (
    STEP_NOTE,
    authority_timeline,
    ban_clause,
    ban_note,
    merged_events,
)

enable_offline_charts()

# %% tags=["parameters"]
partner: Partner = (
    "japan"  # a region (china, canada, mexico, uk, japan, eu, ftrow, row) or an ISO3 code
)
scenario: Scenario = "current"  # scenario shown (default: the law in force today)
baseline: Scenario = "mfn_only"  # what the scenario is compared with
start_date: Date = "2025-01-01"  # first day of the tariff timeline (YYYY-MM-DD)
end_date: Date = "today"  # last day of the timeline (YYYY-MM-DD, or "today": law checked to)
top_n: Integer[1, 45] = 10  # how many sectors to list (hardest hit; largest for competitors)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
result = simulate(inputs, scenario, baseline, focus=Focus(partner))
partner = result.focus.partner  # a country by its key (ISO3)
split = result.schedule.partners[len(inputs.data.partners) :]  # the country, if one
is_country = partner not in inputs.data.partners
region = inputs.countries.resolve(partner).region if is_country else partner  # its measures'
who = result.data.partner_name(partner) if is_country else partner_label(partner)
mine = result.partners().loc[partner]
rates = views.effective_rates(result.base_schedule, result.schedule)
first, last = resolve_date(inputs, start_date), resolve_date(inputs, end_date)
measures = inputs.measures
days = views.regime_dates(measures.values(), first, last, inputs.lines.product_lists())
laws = laws_by_day(inputs, days)  # each day's rates of every partner, once per build
timeline = views.rate_timeline(laws, partner)
totals = timeline.groupby("date")["tariff_rate"].sum()
own = own_measures_effect(result, partner)  # its own tariffs changed, the rest held
last_law = schedule_for_date(last, inputs.data, measures, inputs.lines, split)  # the end date's
on_last = partner_tariff_on(last_law, partner, who, last)
# a ban counted as a duty (Canada's dairy list) in the rate: its points, said by the rate
tariff = partner_tariff(result.schedule, partner, who, law_words(result.scenario))
banned = ban_clause(ban_points(inputs, partner, result.scenario.regime_date), tariff.total.text)
banned_last = ban_clause(ban_points(inputs, partner, last), on_last.total.text)
before = partner_tariff(result.base_schedule, partner, who, law_words(result.baseline))
display(
    masthead(
        f"{who}: {result.scenario.title}",
        f"Compared with the tariffs of {scenario_in_sentence(result.baseline.title)}, "
        f"{possessive(who)} US tariff, all duties, is {tariff.against(before)}, and {its(who)} "
        "sales to the US change "
        f"by {say('exports_value_change_usd', mine['exports_value_change_usd'])} a year "
        f"({percent(mine['exports_value_change'], signed=True)}) under the whole regime, "
        f"{say('exports_value_change_usd', own['exports_value_change_usd'])} from {its(who)} own tariffs "
        "alone (every other partner's held at the baseline)."
        + (
            f" {banned[0].upper()}{banned[1:]} (the rate says the trade stops, not that duty "
            "is collected)."
            if banned
            else ""
        ),
        inputs.law_status,
    )
)
# Open questions of the law that the rate rests on (params/law_status.yaml, unsettled).
members = [c.key for c in inputs.countries.countries if c.region == region]
lines_of = partner if is_country else (members[0] if len(members) == 1 else None)
open_questions = unsettled_shares(inputs, last, lines_of or region)
if law_questions.shown(open_questions):
    display(markdown(law_questions.unsettled_note(open_questions, who, last, lines_of is not None)))
display(methods_box(left_out=left_out_on(inputs.law_status, result.scenario.regime_date)))
display(
    HTML(
        f"<p>2024 US imports from {html.escape(subject(who))}: "
        f"{say('tariff_revenue_usd', rates.loc[partner, 'base_imports_usd'])}.</p>"
    )
)

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        KeyNumber(
            f"US tariff on {subject(who)}, peak, all duties",
            percent(totals.max()),
            f"on {long_date(dt.date.fromisoformat(str(totals.idxmax())))}",
        ),
        on_last.total.card(
            f"{on_last.additional.text} {ABOVE_BASE_DUTY} (statutory, 2024 import weights)"
            + (f"; {banned_last}" if banned_last else "")
        ),
        KeyNumber(
            f"{possessive(who, start=True)} sales to the US",
            say("exports_value_change_usd", mine["exports_value_change_usd"]),
            f"{percent(mine['exports_value_change'], signed=True)} a year under the scenario",
        ),
    )
)
display(markdown(backcast_caveat(backcast(inputs), partner, who, result.baseline.title)))
display(
    markdown(
        "\n".join(
            [
                f"- US tariff on {md_text(subject(who))}, all duties, from {long_date(first)} to "
                f"{long_date(last)}: lowest {percent(totals.min())}, highest "
                f"**{percent(totals.max())}** "
                f"(on {long_date(dt.date.fromisoformat(str(totals.idxmax())))}); "
                f"{md_text(on_last.sentence())} on {long_date(last)}.",
                # the baseline is a law of its own day (before 2025: 31 Dec 2024), named
                f"- In the scenario, against {md_text(scenario_in_sentence(result.baseline.title))}: "
                f"tariff, all duties, {before.total.text} → "
                f"**{tariff.total.text}**; sales to the US "
                f"**{say('exports_value_change_usd', mine['exports_value_change_usd'])}** "
                f"({percent(mine['exports_value_change'], signed=True)} in value, "
                f"{percent(mine['exports_volume_change'], signed=True)} in volume); US tariff "
                f"revenue from {md_text(subject(who))} {say('tariff_revenue_usd', mine['tariff_revenue_usd'])}.",
            ]
        )
    )
)
if any(am.measure.authority_name == "IEEPA" for am in result.schedule.active):
    display(markdown(views.ieepa_refund_note(inputs.law_status)))

# %% [markdown]
# ## The tariff from January 2025 to today, by legal authority

# %%
# The timeline report's chart, shared; a country is split out of its region (its own lines).
# From the laws above: the law on each change day is not stacked a second time.
line = partner if split_countries(inputs, [partner]) else region  # a one-country region: its own
daily = partner_authority_rates(inputs, first, last, line, laws)
events = events_reaching(legal_events(inputs, first, last), laws.values(), partner)
display(
    authority_timeline(
        daily[daily["partner"] == line],
        merged_events(events),
        f"Additional US tariff on {subject(who)} by legal authority (dashed lines: the legal events that moved it)",
    )
)
# a ban counted as a duty (Canada's dairy list) is said where the chart steps for it
display(
    markdown(
        "\n\n".join(
            filter(None, [STEP_NOTE, ban_note(events, daily[daily["partner"] == line], who)])
        )
    )
)

# %% [markdown]
# ## Products hit hardest (HS chapters and lines)

# %%
# A region of one country (Japan, China, Canada, Mexico, the UK) is that country's lines
# (lines_of, above); a group's tables sum its members' lines.
chapters, top = country_products(inputs, last, lines_of or region)
group = "" if lines_of is not None else f", summed over the {len(members)} economies of the group"
display(
    markdown(
        f"On {last:%d %B %Y}, line by line (2024 imports{group}; added duty = imports × the "
        f"tariff above each line's {BASE_DUTY} (its 2024 applied rate); tariffs already in force "
        "in 2024, Section 301 on China and the first Section 232 on steel and aluminium, count "
        "as added). The HS chapters with the most added duty:"
    )
)
display(views.style_table(chapters.head(top_n).reset_index()))
display(markdown(f"The {len(top)} HS10 lines with the most added duty:"))
top = law_questions.mark_unsettled(top, open_questions)  # lines on an open question
display(views.style_table(top.rename(columns={"description": "product_description"})))

# %% [markdown]
# ## Sectors hit hardest in the scenario

# %%
hardest = views.hardest_hit_sectors(result, partner, top_n)
display(views.style_table(hardest))
figures.sector_change_bars(hardest, f"{who}: change in sales to the US by sector ($ billion)")

# %%
display(markdown(f"## Competitors in {its(who)} main sectors"))
rivals = views.competitors_in_top_sectors(result, partner, top_n)
figures.competitor_heatmap(
    rivals, f"Change in sales to the US in {possessive(who)} {top_n} largest sectors"
)

# %% [markdown]
# ## Methods and sources

# %%
display(
    views.layers_in_force(result.schedule, region)
    .query("applies_to_partner")[
        ["title", "authority", "reference", "reference_url", "in_force_from", "reference_date"]
    ]
    .pipe(views.style_table)
)
display(views.style_table(views.sources_used(result)))
summary = record_summary(
    f"{who}: the US tariff, all duties, peaked at {percent(totals.max())} "
    f"({dt.date.fromisoformat(str(totals.idxmax())):%-d %B %Y}); under "
    f"{scenario_in_sentence(result.scenario.title)} {its(who)} US sales change "
    f"{percent(mine['exports_value_change'], signed=True)}",
    peak_tariff_rate=float(totals.max()),
    key="exports_value_change",
    shared=figures_payload(on_last.total, on_last.additional, tariff.total, before.total),
    exports_value_change=float(mine["exports_value_change"]),
)
