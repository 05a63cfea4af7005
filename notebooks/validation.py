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
# Our tariff rates against the published trackers
#
# Every published effective tariff rate we could find and cite (``params/published_rates.yaml``)
# beside ours for the same partner, the same day and the same law. Our rates are never tuned
# to these figures: the law is written down first, then the distance is shown and explained.

# %%
import altair as alt
from IPython.display import Markdown, display

from analysis.inputs.bundle import load_inputs
from analysis.questions.country_rates import country_gaps
from analysis.questions.validation import compare_household_costs, compare_published
from analysis.report import enable_offline_charts, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, percent
from analysis.report.parameters import check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.text import partner_label

enable_offline_charts()

# %% tags=["parameters"]
partner: str = "japan"  # the partner to single out in the summary (figures for all partners shown)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, partner=partner)  # one-line error for a value outside its domain
table = compare_published(inputs)
worst = table.loc[table["gap_rate"].abs().idxmax()]
close = int((table["gap_rate"].abs() <= 0.01).sum())
display(
    masthead(
        "Our tariff rates against the published trackers",
        "Every published effective tariff rate we could find and cite, beside ours for the same "
        f"partner, the same day and the same law: {close} of {len(table)} are within one "
        "percentage point of ours. Our rates are never tuned to these figures: the law is "
        "written down first, then the distance is shown and explained.",
        inputs.law_status,
    )
)
display(methods_box())

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        KeyNumber(
            "Published figures within one point of ours",
            f"{close} of {len(table)}",
            "effective tariff rates from other trackers",
        ),
        KeyNumber(
            "Largest gap",
            f"{worst['gap_rate'] * 100:+.1f} points".replace("-", "−"),
            f"{partner_label(str(worst['partner']))}, {worst['as_of']}",
        ),
        KeyNumber(
            "Ours against published, there",
            f"{percent(worst['our_rate'])} vs {percent(worst['published_rate'])}",
            str(worst["publisher"]),
        ),
    )
)
display(
    Markdown(
        f"- **{close} of {len(table)}** published figures are within one percentage point of ours.\n"
        f"- The largest gap is **{worst['gap_rate'] * 100:+.1f} points** "
        f"({worst['partner']}, {worst['as_of']}): ours {worst['our_rate']:.1%} against "
        f"{worst['published_rate']:.1%} published."
    )
)
long = table.melt(
    id_vars=["as_of", "partner", "publisher"],
    value_vars=["published_rate", "our_rate"],
    var_name="figure",
    value_name="rate",
).assign(
    figure=lambda f: f["figure"].map({"published_rate": "Published", "our_rate": "Ours"}),
    percent=lambda f: f["rate"] * 100,
    partner=lambda f: f["partner"].map(partner_label),
)
(
    alt.Chart(long, title="Effective tariff rate: published and ours (hover for the source)")
    .mark_point(size=90, filled=True)
    .encode(
        x=alt.X("as_of:T", title=None),
        y=alt.Y("percent:Q", title="Effective tariff rate (% of import value)"),
        color=alt.Color("figure:N", title=None),
        shape=alt.Shape("partner:N", title="Partner"),
        tooltip=[
            alt.Tooltip("as_of:T", title="Date"),
            alt.Tooltip("partner:N", title="Partner"),
            alt.Tooltip("publisher:N", title="Publisher"),
            alt.Tooltip("figure:N", title="Figure"),
            alt.Tooltip("percent:Q", title="Rate (%)", format=".1f"),
        ],
    )
    .properties(width=640, height=300)
)

# %% [markdown]
# ## Every figure, with the reason for the gap

# %%
display(views.style_table(table))

# %% [markdown]
# ## By country, beside the tradewartracker
#
# Our additional rate (above each line's 2024 applied rate, Section 301 on China included) for
# the largest suppliers beside the tradewartracker's by-country figure for the same concept on
# the same 2024 weights (its latest figure on or before the day; Germany against its EU figure).
# Nothing is tuned to these figures; each country's gap is explained in one sentence
# (docs/validation_by_country.md has the tracker's own change dates).

# %%
by_country = country_gaps(inputs)
display(
    views.style_table(
        by_country,
        caption="Additional tariff by country, ours and the tradewartracker's "
        "(analysis/data/published_country_rates_tradewartracker.csv, SOURCES.md section 16)",
    )
)
display(
    Markdown(
        f"Median absolute gap over these countries and days: "
        f"**{by_country['gap_rate'].abs().median() * 100:.1f} points**."
    )
)

# %% [markdown]
# ## Cost per household against the published estimates
#
# Ours is the change in the consumer price level (BEA input-output tables, the Budget Lab's
# definition) times 2024 consumption per household; "after substitution" uses the model's
# import prices and shares. Beside it, all US buyers' extra cost per household (firms' and
# government purchases included, not a household's cost), with its duties and US-made parts.

# %%
costs = compare_household_costs(inputs)
display(views.style_table(costs))

# %% [markdown]
# ## Methods and sources
#
# Ours: the schedule of the day (``tariff-reports rates --date``), import-weighted with 2024
# imports, MFN included, before any substitution; where a figure describes a different law
# (for example the day after the IEEPA tariffs ended but before section 122), the measures it
# lacks are left out of ours. Measures the data cannot split are listed in
# ``params/law_status.yaml`` and in the timeline report.

# %%
display(views.style_table(views.not_modelled_table(inputs.law_status)))
summary = record_summary(
    f"{close} of {len(table)} published rates within 1 point of ours; largest gap "
    f"{worst['gap_rate'] * 100:+.1f} points ({worst['partner']}, {worst['as_of']})",
    key="figures_within_one_point",
    figures_within_one_point=close,
    figures=len(table),
    largest_gap_rate=float(worst["gap_rate"]),
)
