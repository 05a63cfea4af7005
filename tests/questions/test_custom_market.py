"""A user's own market, solved by the exact model."""

from __future__ import annotations

import pytest

from analysis.inputs.markets import load_market
from analysis.inputs.paths import PROJECT_DIR
from analysis.questions.custom_market import solve_custom_market


def test_the_example_custom_market_solves() -> None:
    market = load_market(PROJECT_DIR / "params" / "markets" / "example_batteries.yaml")
    result = solve_custom_market(market)
    payload = result.payload()
    assert payload["sources"]["japan"]["buyer_price_change"] == pytest.approx(0.15)
    assert payload["price_index_change"] > 0
    assert payload["tariff_revenue"] > 0
