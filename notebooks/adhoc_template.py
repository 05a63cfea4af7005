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
# # Ad hoc question (template)
#
# Copy this notebook to ask your own question. It shows the two ways in:
#
# 1. **A shipped scenario** (or your own YAML in ``params/scenarios``) through
#    ``analysis.questions.simulate.simulate``: every table is a pandas DataFrame with units in its column
#    names (``*_usd`` dollars, ``*_rate`` / ``*_change`` fractions).
# 2. **A market of your own** (your sources, values, tariffs, elasticities) in a small YAML
#    file (see ``params/markets/example_batteries.yaml``) through
#    ``analysis.questions.custom_market.solve_custom_market``.
#
# Keep the notebook thin: put any reusable logic in the ``analysis`` package.

# %%
import html

from IPython.display import HTML, display

from analysis.inputs.bundle import load_inputs
from analysis.inputs.focus import Focus
from analysis.inputs.markets import load_market
from analysis.questions.custom_market import solve_custom_market
from analysis.questions.outcomes import say
from analysis.questions.simulate import simulate
from analysis.report import enable_offline_charts, figures, record_summary, views
from analysis.report.brief import KeyNumber, key_numbers, markdown, outcome_card, percent
from analysis.report.parameters import (
    MarketFile,
    Partner,
    Scenario,
    Sector,
    check_parameters,
    market_path,
)
from analysis.report.publication import masthead, methods_box
from analysis.report.text import (
    PARTNER_LABELS,
    md_text,
    partner_label,
    possessive,
    scenario_in_sentence,
)

enable_offline_charts()

# %% tags=["parameters"]
scenario: Scenario = "escalation_30"  # a scenario name (file stem in params/scenarios)
partner: Partner = "japan"  # the partner region you care about
sector: Sector = "ome"  # a GTAP sector code (e.g. mvh cars, ome machinery, ele electronics)
market_file: MarketFile = (
    "params/markets/example_batteries.yaml"  # your own market, relative to the project
)

# %%
inputs = load_inputs()  # data, measures, scenarios and elasticities, validated once
check_parameters(inputs, __annotations__, globals())  # one line if a value is out of range
result = simulate(inputs, scenario, focus=Focus(partner, sector))  # against mfn_only
table = result.by_sector_source()
rows = table[table["sector"] == sector]
mine = result.partners().loc[partner]
custom = solve_custom_market(load_market(market_path(inputs, market_file)))
out = custom.table()
who = partner_label(partner)
what = result.data.sector_descriptions[sector]
sector_change_usd = float(rows.loc[rows["source"] == partner, "value_change_usd"].sum())
display(
    masthead(
        f"Ad hoc question: {who}, {what.lower()}",
        f"Under {scenario_in_sentence(result.scenario.title)}, against "
        f"{scenario_in_sentence(result.baseline.title)}, {possessive(who)} sales to the US "
        f"change by {percent(mine['exports_value_change'], signed=True)}, of which "
        f"{say('exports_value_change_usd', sector_change_usd)} in {what.lower()}; in your own "
        f"market ({custom.market.title}) the price index changes by "
        f"{percent(float(custom.solution.price_index_change), signed=True)}.",
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
            f"{possessive(who, start=True)} sales to the US",
            percent(mine["exports_value_change"], signed=True),
            str(result.scenario.title)[:80],
        ),
        outcome_card(
            f"{what}: {possessive(who)} sales",
            "exports_value_change_usd",
            sector_change_usd,
            "a year",
        ),
        KeyNumber(
            f"{custom.market.title}: price index",
            percent(float(custom.solution.price_index_change), signed=True),
            "your own market",
        ),
    )
)
display(
    markdown(
        f"- **{md_text(result.scenario.title)}**: {md_text(possessive(who))} sales to the US "
        f"{percent(mine['exports_value_change'], signed=True)}; in {md_text(what.lower())}, "
        f"{say('exports_value_change_usd', sector_change_usd)}.\n"
        f"- **{md_text(custom.market.title)}**: price index "
        f"{percent(float(custom.solution.price_index_change), signed=True)}."
    )
)

# %% [markdown]
# ## 1. One sector of a shipped scenario

# %%
display(HTML(f"<p>{html.escape(result.scenario.title)}: {html.escape(what.lower())}.</p>"))
display(
    views.style_table(
        rows[
            [
                "source",
                "base_value_usd",
                "new_tariff_rate",
                "buyer_price_change",
                "quantity_change",
                "value_change_usd",
            ]
        ]
    )
)
figures.diversion_bars(views.diversion(result, [sector]), f"{what}: change in sales by source")

# %% [markdown]
# ## 2. Your own market

# %%
display(
    markdown(
        f"**{md_text(custom.market.title)}**: price index "
        f"{percent(float(custom.solution.price_index_change), signed=True)}, tariff revenue "
        f"{say('tariff_revenue_usd', float(custom.solution.new_tariff_revenue_usd.sum()))}"
    )
)
# The market's source ids as readers' names ("japan" -> "Japan", "korea" -> "Korea"); its
# base sales are the file's numbers (illustrative), not 2024 data.
out = out.rename(
    index=lambda name: (
        partner_label(name) if name in PARTNER_LABELS else name[:1].upper() + name[1:]
    ),
    columns={"base_value_usd": "market_base_value_usd"},
)
display(views.style_table(out, hide_index=False))
figures.diversion_bars(
    out.reset_index().assign(
        value_change_usd=out["value_change"].to_numpy() * out["market_base_value_usd"].to_numpy()
    ),
    "Your market: change in sales by source",
)

# %% [markdown]
# ## Methods and sources
# The scenario uses the shipped model and data (citations below); the custom market uses
# only the numbers in your YAML file, which you must cite yourself.

# %%
display(views.style_table(views.sources_used(result)))
summary = record_summary(
    f"Template: {result.scenario.title}, {possessive(who)} sales "
    f"{percent(mine['exports_value_change'], signed=True)}; custom market price index "
    f"{percent(float(custom.solution.price_index_change), signed=True)}",
    key="exports_value_change",
    exports_value_change=float(mine["exports_value_change"]),
)
