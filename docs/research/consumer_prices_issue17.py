"""Issue 17, part 1: the consumer price level and cost per household of four regimes against
mfn_only, through the BEA input-output tables (run: .venv/bin/python docs/research/consumer_prices_issue17.py)."""

from pathlib import Path

from analysis.inputs.bundle import load_inputs
from analysis.inputs.io_tables import load_io_assumptions, load_io_tables
from analysis.questions.consumer_prices import consumer_prices
from analysis.questions.simulate import simulate

inputs = load_inputs()
tables = load_io_tables(inputs.data.sectors)
assumptions = load_io_assumptions(Path("params/consumer_prices.yaml"))
print("scenario | before % | before $/hh | after % | after $/hh | cost push only % | direct % | supply chain % | all US buyers $/hh (old)")
for name in ("current", "section122_2026", "deal_15", "july_2025"):
    result = simulate(inputs, name, baseline="mfn_only")
    c = consumer_prices(result.market, result.solution, result.params.us_households, tables, assumptions)
    old = result.headline()["us_buyer_cost_per_household_usd"]
    print(
        f"{name} | {100 * c.consumer_price_level_change:.3f} | {c.household_cost_usd:,.0f} | "
        f"{100 * c.consumer_price_level_change_after_substitution:.3f} | "
        f"{c.household_cost_after_substitution_usd:,.0f} | {100 * c.cost_push_only_change:.3f} | "
        f"{100 * c.direct_change:.3f} | {100 * c.supply_chain_change:.3f} | {old:,.0f}"
    )
print(f"PCE per household ${c.consumption_per_household_usd:,.0f} ({c.dollar_year} dollars), households {c.households:,.0f}")
