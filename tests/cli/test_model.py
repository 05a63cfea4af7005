"""``simulate`` and ``market``, run as a user would."""

from __future__ import annotations

import json

from helpers import PARTNERS, run_cli


def test_simulate_json_has_partners_and_totals() -> None:
    out = run_cli("simulate", "--scenario", "letter_25", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["partners"]) == PARTNERS
    assert payload["totals"]["us_buyer_cost_per_household_usd"] > 0
    assert payload["partners"]["japan"]["exports_value_change"] < 0


def test_market_json_reports_each_source() -> None:
    out = run_cli("market", "--file", "params/markets/example_batteries.yaml", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["sources"]) == {"japan", "korea", "china", "us"}
    assert set(payload["sources"]["japan"]) == {
        "buyer_price_change",
        "exporter_price_change",
        "quantity_change",
        "value_change",
    }
    assert "price_index_change" in payload and "tariff_revenue" in payload
