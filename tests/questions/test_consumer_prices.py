"""The consumer price level of a scenario: limits, the crosswalk averaging, households."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.io_tables import IOAssumptions, IOTables, load_io_assumptions, load_io_tables
from analysis.questions.consumer_prices import (
    ConsumerPriceChange,
    by_commodity,
    consumer_price_change,
    consumer_prices,
    price_change_by_decile,
    price_system,
    sector_price_changes,
)
from analysis.questions.evidence import default_elasticities
from analysis.questions.simulate import SimulationResult, simulate

PARAMS = Path(__file__).resolve().parents[2] / "params" / "consumer_prices.yaml"


def _of(
    result: SimulationResult, tables: IOTables, assumptions: IOAssumptions
) -> ConsumerPriceChange:
    return consumer_prices(
        result.market, result.solution, result.params.us_households, tables, assumptions
    )


@pytest.fixture(scope="module")
def tables(inputs: Inputs) -> IOTables:
    return load_io_tables(inputs.data.sectors)


@pytest.fixture(scope="module")
def assumptions() -> IOAssumptions:
    return load_io_assumptions(PARAMS)


def test_sectors_average_onto_commodities_by_imports(tables: IOTables) -> None:
    # ofd and b_t both map to 311FT: (0.1 x 1 + 0.3 x 3) / 4 = 0.25; ppp maps to 322 and 323;
    # a commodity no sector maps to (construction) gets 0.
    out = by_commodity(tables, {"ofd": 0.1, "b_t": 0.3, "ppp": 0.2}, {"ofd": 1.0, "b_t": 3.0})
    at = dict(zip(tables.commodities, out, strict=True))
    assert at["311FT"] == pytest.approx(0.25)
    assert at["322"] == at["323"] == pytest.approx(0.2)  # no weight: the plain mean
    assert at["23"] == 0.0


def test_same_prices_before_and_after_give_the_same_level(
    tables: IOTables, assumptions: IOAssumptions
) -> None:
    change = {"mvh": 0.15, "ele": 0.1, "wap": 0.2}
    out = consumer_price_change(
        tables,
        assumptions,
        statutory_change_by_sector=change,
        import_price_change_by_sector=change,
        imports_by_sector_usd={"mvh": 1.0, "ele": 1.0, "wap": 1.0},
        households=131_434_000,
    )
    assert out.consumer_price_level_change > 0
    assert out.consumer_price_level_change_after_substitution == pytest.approx(
        out.consumer_price_level_change
    )
    assert out.consumer_price_level_change == pytest.approx(1.326 * out.cost_push_only_change)
    # 2024 PCE per household: $19,896.0 bn / 131.434 million households = $151,376.
    assert out.consumption_per_household_usd == pytest.approx(151_376, abs=1)
    assert out.household_cost_usd == pytest.approx(
        out.consumer_price_level_change * 151_376, rel=1e-5
    )


def test_no_tariff_change_no_price_change(
    inputs: Inputs, tables: IOTables, assumptions: IOAssumptions
) -> None:
    out = _of(simulate(inputs, "july_2025", "july_2025"), tables, assumptions)
    for value in out.totals().values():
        assert value == pytest.approx(0.0, abs=1e-9)


def test_full_pass_through_at_fixed_quantities_matches_the_statutory_change(inputs: Inputs) -> None:
    # Infinitely elastic foreign supply passes every tariff through; with quantities held at
    # base the duty-paid price per customs dollar rises by exactly t1 - t0.
    prior = default_elasticities(inputs, calibrated=False)
    supply = prior.supply_elasticity.copy()
    supply[:, :-1] = np.inf
    result = simulate(
        inputs, "deal_15", elasticities=dataclasses.replace(prior, supply_elasticity=supply)
    )
    fixed = dataclasses.replace(
        result,
        solution=dataclasses.replace(
            result.solution, quantity_change=np.zeros_like(result.solution.quantity_change)
        ),
    )
    sectors = sector_price_changes(fixed.market, fixed.solution)
    for sector in ("mvh", "ele", "wap"):
        assert sectors["after"][sector] == pytest.approx(sectors["statutory"][sector], abs=1e-12)
        assert sectors["share_ratio"][sector] == pytest.approx(1.0)


def test_a_real_scenario(inputs: Inputs, tables: IOTables, assumptions: IOAssumptions) -> None:
    out = _of(simulate(inputs, "deal_15"), tables, assumptions)
    before = out.consumer_price_level_change
    # Substitution and exporters' price cuts lower the rise; it stays positive.
    assert 0 < out.consumer_price_level_change_after_substitution < before
    assert out.direct_change + out.supply_chain_change == pytest.approx(before)
    # No price can rise by more than the largest commodity import price change times the scale.
    table = out.by_commodity
    assert table["price_change"].max() <= 1.326 * table["import_price_change"].max() + 1e-12
    assert price_system(tables).import_share.max() <= 1.0


def test_import_shares_are_at_producers_value(tables: IOTables) -> None:
    # BEA 2024: apparel imports $174,570 m against US apparel output $21,862 m, so imports
    # are about 174,570 / (174,570 + 21,862) = 0.889 of US supply. The share measured on
    # absorption net of consumer margins comes near it (0.31 on purchasers' value).
    share = price_system(tables).import_share[tables.commodities.index("315AL")]
    assert share == pytest.approx(174_570 / (174_570 + 21_862), abs=0.03)


def test_decile_price_changes_weight_buckets_by_each_deciles_spending() -> None:
    # Two NIPA lines, one commodity each: line 1 (A: producers' value 60 of purchasers' 100,
    # A's price +10%) makes bucket 1 rise 60 x 0.10 / 100 = 6%; line 2 (B: 50 of 50, +2%)
    # bucket 2 2%. Decile 1 spends 20 and 30 on them: (20 x 6% + 30 x 2%) / 50 = 3.6%;
    # decile 2 80 and 20: (80 x 6% + 20 x 2%) / 100 = 5.2%. Spending-weighted over both
    # deciles: 7/150, the aggregate sum(pv x change) / sum(purchasers) = (6 + 1) / 150.
    by_commodity_table = pd.DataFrame(
        {
            "commodity": ["A", "B"],
            "price_change": [0.10, 0.02],
            "price_change_after_substitution": [0.05, 0.01],
        }
    )
    bridge = pd.DataFrame(
        {
            "nipa_line": [1, 2],
            "commodity": ["A", "B"],
            "producers_value_usd": [60.0, 50.0],
            "purchasers_value_usd": [100.0, 50.0],
        }
    )
    distribution = pd.DataFrame(
        {
            "bucket": [1, 1, 2, 2],
            "nipa_lines": ["1", "1", "2", "2"],
            "bucket_total_usd": [100, 100, 50, 50],
            "decile": [1, 2, 1, 2],
            "decile_share": [0.2, 0.8, 0.6, 0.4],
        }
    )
    table = price_change_by_decile(by_commodity_table, bridge, distribution)
    assert table["consumer_price_level_change"].tolist() == pytest.approx([0.036, 0.052])
    assert table["consumer_price_level_change_after_substitution"].tolist() == pytest.approx(
        [0.018, 0.026]
    )
    weighted = (table["spending_usd"] * table["consumer_price_level_change"]).sum()
    assert weighted / table["spending_usd"].sum() == pytest.approx(7 / 150)
    with pytest.raises(ValueError, match="none of its NIPA lines"):
        price_change_by_decile(by_commodity_table, bridge, distribution.assign(nipa_lines="9"))
