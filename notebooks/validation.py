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
from analysis.questions.country_rates import (
    LATER_LAW,
    PUBLISHED_SOURCE,
    country_gaps_named,
    gaps_then_and_now_named,
    median_points,
)
from analysis.questions.validation import (
    CLOSE_GAP_RATE,
    compare_household_costs,
    compare_published,
)
from analysis.report import enable_offline_charts, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, percent
from analysis.report.parameters import Partner, check_parameters
from analysis.report.publication import masthead, methods_box
from analysis.report.text import for_readers, minus_signs, partner_label, reputable
from analysis.report.validation_chart import published_and_ours_chart

enable_offline_charts()

# %% tags=["parameters"]
partner: Partner = (
    "japan"  # the partner to single out in the summary (figures for all partners shown)
)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
table = compare_published(inputs)
worst = table.loc[table["gap_rate"].abs().idxmax()]
worst_gap = minus_signs(f"{worst['gap_rate'] * 100:+.1f} points")
worst_where = f"{partner_label(str(worst['partner']))}, {worst['as_of']}"
is_close = table["gap_rate"].abs() <= CLOSE_GAP_RATE
same_law = table["law compared"] == "Same law"
close, same, close_same = int(is_close.sum()), int(same_law.sum()), int((is_close & same_law).sum())
# The tradewartracker, country by country (its section below)
by_country = country_gaps_named(inputs)
like = by_country["gap_2025_measures_rate"].abs()
# A row whose published figure predates a change of our law on the day compares two laws
same_day_law = ~by_country["why"].str.contains(LATER_LAW, regex=False)
tracker_same = int(same_day_law.sum())
tracker_close = int((like[same_day_law] < 0.0095).sum())
tracker_median = median_points(like[same_day_law])
tracker_worst = by_country.loc[like.idxmax()]  # on the tracker's definition
tracker_worst_gap = minus_signs(f"{tracker_worst['gap_2025_measures_rate'] * 100:+.1f} points")
tracker_worst_where = f"{tracker_worst['country']}, {tracker_worst['date']}"
all_close, all_same = close_same + tracker_close, same + tracker_same
KEY_LABEL = "Published rates of the same law within one point of ours"
key_text = f"{all_close} of {all_same}"
unverified = int(
    sum(
        not reputable(str(url)) or "not verified" in for_readers(str(why)).lower()
        for url, why in zip(table["url"], table["why the numbers differ"], strict=True)
    )
)


display(
    masthead(
        "Our tariff rates against the published trackers",
        "Every published effective tariff rate we could find and cite, beside ours for the same "
        f"partner and the same day. {same} of the {len(table)} describe the same law as ours, "
        f"and {close_same} of those {same} {'is' if close_same == 1 else 'are'} within one percentage point of "
        f'ours; the other {len(table) - same} score a different law (marked "not the same '
        f'law" in the table). {unverified} of the {len(table)} figures come from a source that '
        "could not be verified. Our rates are never tuned to these figures: the law is written "
        "down first, then the distance is shown and explained.",
        inputs.law_status,
    )
)
display(methods_box(shows_gdp=False))  # rates and the backcast, no GDP

# %% [markdown]
# ## In brief

# %%
display(
    key_numbers(
        KeyNumber(
            KEY_LABEL,
            key_text,
            f"{close_same} of {same} totals from the Budget Lab and PIIE; {tracker_close} of "
            f"{tracker_same} country rates from the tradewartracker (median gap "
            f"{tracker_median})",
        ),
        KeyNumber("Largest gap among the published totals", worst_gap, worst_where),
        KeyNumber(
            "Ours against published, there",
            f"{percent(worst['our_rate'])} vs {percent(worst['published_rate'])}",
            str(worst["publisher"]),
        ),
    )
)
display(
    Markdown(
        f"- **{close_same} of {same}** published figures for the same law {'is' if close_same == 1 else 'are'} "
        f"within one percentage point of ours ({close} of all {len(table)}).\n"
        f"- **{len(table) - same}** score a different law from ours and **{unverified}** come "
        "from a source that could not be verified.\n"
        f"- The largest gap among the published totals is **{worst_gap}** ({worst_where}): "
        f"ours {percent(worst['our_rate'])} against {percent(worst['published_rate'])} "
        "published. Among the tradewartracker's country rates it is "
        f"**{tracker_worst_gap}** ({tracker_worst_where}), explained in its table below."
    )
)
published_and_ours_chart(table)

# %% [markdown]
# ## Every figure, with the reason for the gap

# %%
display(views.style_table(table))

# %% [markdown]
# ## By country, beside the tradewartracker
#
# The tracker's figure is not our additional rate. It is the rate of the tariffs added from
# February 2025 on, on 2024 weights: it leaves out every measure already in force before 2025
# (its notebook says Section 301 on China since 2018 is "captured in 2024 baseline, not in this
# model"; its files call the figure the "2025 tariff increase"). So the table gives ours both
# ways: our additional rate (above each line's 2024 applied rate, Section 301 on China
# included), and ours on the tracker's definition (the same, less the measures in force before
# 2025), with the gap on each. The reason given is for the gap on the tracker's definition; the
# gaps of Korea, Mexico, Canada and China were traced line by line against the tracker's own
# engine. Its latest figure on or before the day is used; Germany against its EU figure.
# Nothing is tuned to these figures. A gap under one point needs no reason. Where the tracker's
# latest figure is from an earlier day than ours and our law changed in between by half a point
# or more in all (each authority's move counted, whatever its sign), the row is marked "Later
# law than the tracker's figure", with how far our rate moved between the two days: the two
# figures are then of different laws. A smaller move is named but the row counts as the same
# law. Rates are shown to a tenth of a point, and each gap is the difference of the two figures
# shown.

# %%
display(
    views.style_table(
        by_country,
        caption="Additional tariff by country, ours (two definitions) and the tradewartracker's",
        note=f"Source of the published figures: {PUBLISHED_SOURCE}. Not a primary source: "
        "compared with, never tuned to.",
    )
)
display(
    Markdown(
        f"Median absolute gap over the {int(same_day_law.sum())} rows that compare the same "
        f"law: **{median_points(like[same_day_law])}** on the tracker's "
        "definition "
        f"({median_points(by_country.loc[same_day_law, 'gap_rate'].abs())} "
        "with the measures of before 2025 left in ours). Counting also the "
        f'{int((~same_day_law).sum())} rows marked "{LATER_LAW}" (the tracker\'s latest '
        "figure predates a change of the law on the day): "
        f"{median_points(like)}. Within one point: "
        f"**{int((like[same_day_law] < 0.0095).sum())} of {int(same_day_law.sum())}** "
        f"rows of the same law ({int((like < 0.0095).sum())} of all {len(by_country)})."
    )
)

# %% [markdown]
# ## The gaps before the law was applied line by line, and now
#
# Our rates as this package computed them before it applied the law line by line, when it had
# rates for its eight regions only, beside today's, against the same published figures. Japan,
# China, Mexico and Canada were regions of their own; Korea, Vietnam, Taiwan, India,
# Switzerland, Brazil and Germany only had their region's rate, which is what the "then" column
# shows for them (marked).

# %%
then_now = gaps_then_and_now_named(inputs)
own = then_now["rate_then"] == "its own"
# the same rows as the table above (days x countries): keep only those of the same law
then_now_same = then_now.merge(
    by_country[["date", "country"]].assign(same=same_day_law), on=["date", "country"]
)["same"].to_numpy()
display(
    views.style_table(
        then_now,
        caption="Gaps to the tradewartracker before the line-by-line law and now",
        note="Then: this package before it applied the law line by line (the rates of its "
        "eight regions). A country marked with a region had no rate of its own then.",
    )
)
display(
    Markdown(
        "Median absolute gap on the tracker's definition, then and now, over the "
        f"{int(then_now_same.sum())} rows that compare the same law: "
        f"**{median_points(then_now.loc[then_now_same, 'then_gap_2025_measures_rate'].abs(), with_unit=False)}"
        f" and {median_points(then_now.loc[then_now_same, 'now_gap_2025_measures_rate'].abs(), with_unit=False)}"
        " points** (a region's rate standing in for a country then); over all "
        f'{len(then_now)} rows, those marked "{LATER_LAW}" included: '
        f"{median_points(then_now['then_gap_2025_measures_rate'].abs(), with_unit=False)} and "
        f"{median_points(then_now['now_gap_2025_measures_rate'].abs(), with_unit=False)} points. Over "
        "Japan, China, Mexico and Canada, the countries with a rate of their own then (same "
        "law): "
        f"{median_points(then_now.loc[own & then_now_same, 'then_gap_2025_measures_rate'].abs(), with_unit=False)}"
        " and "
        f"{median_points(then_now.loc[own & then_now_same, 'now_gap_2025_measures_rate'].abs(), with_unit=False)}"
        " points. "
        "Mexico's and Canada's gaps turn on USMCA: ours now exempts USMCA goods by each line's "
        "claims, where the package then used one share per region and the tracker charges a "
        "flat rate on every good."
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
# ## Backcast: the law of each month against what 2025 showed
#
# Each law in force from January 2025, run through the model against the 2024 law (the
# measures of each day on the HS10 lines, with each month's observed USMCA claims), gives a
# year of duties after the model's import response; a month takes the law's days in it and
# the month's share of 2024 imports (Census, not seasonally adjusted). The Treasury's
# receipts (Monthly Treasury Statement, customs duties net of refunds) come in about a month
# after entry, so the model's duties on the entries of the month before sit beside each
# month's receipts. Nothing is fitted to the receipts: the model has no front-loading, no
# inventories, no evasion or undervaluation, no drawback and no refunds.

# %%
import calendar

from analysis.questions.backcast import ARREARS_SOURCE, backcast
from analysis.questions.consumer_prices import deciles_of
from analysis.questions.simulate import simulate

past = backcast(inputs)
months = past.receipts
year_2025 = months[months["month"].str.startswith("2025-")]
received_2025 = float(year_2025["receipts_usd"].sum())
ours_2025 = float(year_2025["ours_law_of_month_before_usd"].sum())
static_2025 = float(year_2025["ours_at_2024_imports_usd"].sum())
display(
    markdown(
        f"- **Calendar 2025**: the Treasury received **${received_2025 / 1e9:,.1f} bn** of "
        f"customs duties; the model's duties on the entries of each month before come to "
        f"**${ours_2025 / 1e9:,.1f} bn** ({percent(ours_2025 / received_2025 - 1, signed=True)}), and the same "
        f"rates on 2024 imports, with no response, to ${static_2025 / 1e9:,.1f} bn "
        f"({percent(static_2025 / received_2025 - 1, signed=True)}).\n"
        "- Why: from the summer the model's imports fall further than Census's (the next "
        "table: its response is long-run, at 2024 demand), so its duties run below the "
        "receipts; the same rates on 2024 imports, with no response, run far above them.\n"
        f"- Receipts are shown from {months['month'].iloc[0]} to {months['month'].iloc[-1]}, "
        "the last month in the shipped Treasury series; later months are not in it.\n"
        f"- The one-month lag: {ARREARS_SOURCE}."
    )
)
monthly_long = months.melt(
    id_vars="month",
    value_vars=["receipts_usd", "ours_law_of_month_before_usd", "ours_at_2024_imports_usd"],
    var_name="series",
    value_name="usd",
).assign(
    series=lambda f: f["series"].map(
        {
            "receipts_usd": "Treasury receipts",
            "ours_law_of_month_before_usd": "Model: entries of the month before",
            "ours_at_2024_imports_usd": "Model rates, 2024 imports",
        }
    ),
    billions=lambda f: f["usd"] / 1e9,
)
(
    alt.Chart(monthly_long, title="Customs duties by month: Treasury receipts and the model")
    .mark_line(point=True)
    .encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y")),
        y=alt.Y("billions:Q", title="Customs duties in the month ($ bn)"),
        color=alt.Color(
            "series:N", title=None, legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)
        ),
        tooltip=[
            alt.Tooltip("month:T", title="Month", format="%b %Y"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("billions:Q", title="$ bn", format=".2f"),
        ],
    )
    .properties(width=640, height=300)
)

# %%
display(
    views.style_table(
        months.rename(
            columns={
                "receipts_usd": "treasury_receipts_usd",
                "ours_law_of_month_before_usd": "model_entries_of_month_before_usd",
                "ours_usd": "model_entries_of_the_month_usd",
                "ours_at_2024_imports_usd": "model_rates_on_2024_imports_usd",
            }
        )[
            [
                "month",
                "treasury_receipts_usd",
                "model_entries_of_month_before_usd",
                "gap_usd",
                "model_entries_of_the_month_usd",
                "model_rates_on_2024_imports_usd",
            ]
        ],
        caption="Customs duties by month: the Treasury's receipts and the model's",
        note="Gap: the model's duties on the entries of the month before, less the receipts. "
        "Receipts: Monthly Treasury Statement, customs duties net of refunds (US Treasury, "
        "Bureau of the Fiscal Service, https://fiscaldata.treasury.gov/datasets/"
        "monthly-treasury-statement/).",
    )
)

# %% [markdown]
# ### 2025 imports by partner against 2024
#
# Census imports of 2025 against 2024 beside the model's change under the laws of 2025 (each
# law's imports for its days, spread over the months as the duties are). The model is a
# year at 2024 demand: it has no timing, so January-March, when importers bought ahead of
# April's tariffs, is shown apart from April-December.

# %%
display(
    views.style_table(
        past.partner_imports.drop(columns="reason")
        .assign(partner=lambda f: f["partner"].map(partner_label))
        .rename(
            columns={
                "observed_change": "census_change",
                "observed_april_december_change": "census_April_to_December_change",
                "model_april_december_change": "model_April_to_December_change",
            }
        ),
        caption="US imports, 2025 against 2024: Census and the model",
        note="Census monthly goods imports (general imports, customs value; US Census Bureau, "
        "as copied by the Budget Lab at Yale's tariff-impact-tracker, March 2026); the model's "
        "partners are its own regions (the EU as one region).",
    )
)
display(
    Markdown(
        "Why they differ:\n\n"
        + "\n".join(
            f"- **{partner_label(str(p))}**: {r}"
            for p, r in past.partner_imports[["partner", "reason"]].itertuples(index=False)
        )
    )
)

# %% [markdown]
# ### Japan's exports to the US, as Japan counts them
#
# Japan's Ministry of Finance counts in yen at Japan's border; the model counts in dollars at
# the US border. No exchange rate is shipped, so the two are set side by side without
# converting. The car lines are partly not independent: Japan's car supply elasticity is
# fitted to April-September 2025 (Bank of Japan export prices and these volumes) under the
# law of July 2025 (the model's calibration to 2025), and the model's "cars" are
# GTAP's motor vehicles and parts.

# %%
JAPAN_ITEMS = {
    "exports_to_us": "All goods",
    "car_exports_to_us_value": "Cars, value",
    "car_exports_to_us_units": "Cars, units (customs count)",
}
japan = past.japan.assign(
    item=lambda f: f["item"].map(JAPAN_ITEMS),
    period=lambda f: [
        p
        if "/" not in p
        else f"{calendar.month_abbr[int(p[5:7])]}-{calendar.month_abbr[int(p[13:15])]} {p[8:12]}"
        for p in f["period"]
    ],
    published=lambda f: (
        f["observed_value"]
        .map(lambda v: f"¥{v / 1e9:,.0f} bn", na_action="ignore")
        .fillna("not given")
    ),
    source=lambda f: f["source"].str.split(",").str[0] + ", " + f["date"],
).rename(columns={"url": "source_url"})
display(
    views.style_table(
        japan[
            [
                "item",
                "period",
                "published",
                "observed_change",
                "model_change",
                "source",
                "source_url",
            ]
        ],
        caption="Japan's exports to the US: Ministry of Finance (yen) and the model (dollars)",
        note="Cars, units: the Ministry of Finance's customs-cleared count of automobiles "
        "exported to the US (preliminary, as reported by Jiji Press). The autos report's "
        "figure for 2025 is the Japan Automobile Manufacturers Association's count of its "
        "members' vehicle exports to the US, trucks included: the same flow counted by the "
        "makers rather than at customs, so the two differ.",
    )
)
display(
    Markdown(
        "Why they differ:\n\n"
        + "\n".join(
            f"- **{item}, {period}**: {reason}"
            for item, period, reason in japan[["item", "period", "reason"]].itertuples(index=False)
        )
    )
)

# %% [markdown]
# ### Who paid: the foreign exporters' share of the tariff
#
# The model's share is the exporters' price cut over the tariff rise on the foreign goods
# whose tariff rose (log changes, 2024 values), summed over the laws of the study's months.
# It is not independent of the first study: the foreign supply elasticity is set so that the
# model gives the New York Fed's share under the law of July 2025 (Japan's cars, fitted to their
# own evidence, left out of that fit and counted here). No law of 2018 is in the package.

# %%
display(
    views.style_table(
        past.foreign_share.assign(
            period=lambda f: [
                f"{calendar.month_abbr[int(p[5:7])]}-{calendar.month_abbr[int(p[13:15])]} {p[8:12]}"
                for p in f["period"]
            ]
        ).rename(
            columns={
                "url": "study_url",
                "published_foreign_share": "published_share",
                "model_foreign_share": "model_share",
            }
        )[["study", "study_url", "period", "published_share", "model_share"]],
        caption="Share of the tariff borne by foreign exporters: published and the model's",
    )
)
display(
    Markdown(
        "What each measures:\n\n"
        + "\n".join(
            f"- **{study}**: {measure} ({source})."
            for study, measure, source in past.foreign_share[
                ["study", "measure", "source"]
            ].itertuples(index=False)
        )
    )
)

# %% [markdown]
# ### The consumer price change by household income decile
#
# Today's law against the 2024 law: each commodity's price change (the input-output model of
# the cost per household) averaged over what each income decile buys, with the Bureau of
# Labor Statistics' distributional PCE of 2023 (its spending groups split across deciles).
# These are price changes of each decile's basket, not shares of income: lower deciles spend
# more of their income, which the Budget Lab adds with CBO's incomes; no income per decile is
# shipped here. All deciles together, on these weights, differ slightly from the headline
# figure (BEA's 2024 weights).

# %%
today = simulate(inputs, "current")
by_decile = deciles_of(today.consumer, inputs.io_tables)
by_decile = by_decile.assign(
    spending_share=by_decile["spending_usd"] / by_decile["spending_usd"].sum(),
    price_change_in_basis_points=(by_decile["consumer_price_level_change"] * 1e4).round(),
    after_substitution_in_basis_points=(
        by_decile["consumer_price_level_change_after_substitution"] * 1e4
    ).round(),
)[
    [
        "decile",
        "spending_share",
        "price_change_in_basis_points",
        "after_substitution_in_basis_points",
    ]
]
display(
    views.style_table(
        by_decile,
        caption="Consumer price change by household income decile, under today's law",
        note="Basis points: hundredths of a percentage point of the decile's consumer prices, "
        "before and after substitution. Headline (BEA 2024 weights): "
        f"{today.consumer.consumer_price_level_change * 1e4:.0f} and "
        f"{today.consumer.consumer_price_level_change_after_substitution * 1e4:.0f} basis "
        "points. Spending share: the decile's share of all spending in the BLS data (2023).",
    )
)

# %% [markdown]
# ## Methods and sources
#
# Ours: the tariffs in law on the day, stacked line by line (the package's rates for that
# day), import-weighted with 2024 imports, MFN included, before any substitution; where a figure describes a different law
# (for example the day after the IEEPA tariffs ended but before section 122), the measures it
# lacks are left out of ours. Measures the data cannot split are listed below and in the
# timeline report.

# %%
display(views.style_table(views.not_modelled_table(inputs.law_status)))
summary = record_summary(
    f"Within one point of ours, for the same law: {close_same} of {same} "
    f"totals from the Budget Lab and PIIE (largest gap {worst_gap}, {worst_where}) and "
    f"{tracker_close} of {tracker_same} country rates from the tradewartracker (median gap "
    f"{tracker_median})",
    key=KEY_LABEL,
    shared={KEY_LABEL: {"value": all_close / all_same, "text": key_text}},
    figures_within_one_point=close_same,
    tracker_figures_within_one_point=tracker_close,
    tracker_figures_same_law=tracker_same,
    figures_same_law=same,
    figures=len(table),
    largest_gap_rate=float(worst["gap_rate"]),
)
