"""``simulate`` and ``market``, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PARTNERS, alias_bomb, run_cli

from analysis.inputs.paths import PROJECT_DIR


def test_simulate_json_has_partners_and_totals() -> None:
    out = run_cli("simulate", "--scenario", "letter_25", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["partners"]) == PARTNERS
    assert payload["totals"]["cost_per_household_usd"] > 0
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


def test_a_market_without_trade_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # Issue 20, case 13: zero trade everywhere printed a price index change of +6.46%.
    path = tmp_path / "zero.yaml"
    path.write_text(
        "substitution_elasticity: 4\ndemand_elasticity: 1\nsources:\n"
        "  - {name: japan, base_value_usd: 0, new_tariff_rate: 0.15}\n"
        "  - {name: us, base_value_usd: 0, domestic: true}\n"
    )
    out = run_cli("market", "--file", str(path))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == (
        f"error: {path}: sources[1].base_value_usd: expected a positive base value for the "
        "domestic source (or no domestic source), found 0.0\n"
    )


def test_a_market_fifo_is_refused_at_once(tmp_path: Path) -> None:
    # Issue 20, case 7: `market --file` on a FIFO waited for ever.
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "market", "--file", str(fifo)],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=120,  # a fault: the old code never returns
    )
    assert out.returncode == 2
    assert out.stderr == (
        f"error: {fifo}: (file): expected a regular file, found 'a FIFO (named pipe)'\n"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"title: {alias_bomb()}", "line 1: expected at most 1,000,000 values"),  # case 6
        ("title: 2025-02-30", "line 1: expected a valid YAML value, found 'day is out of"),  # 8
    ],
)
def test_a_hostile_market_file_is_one_short_line(tmp_path: Path, line: str, expected: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        f"{line}\nsubstitution_elasticity: 4\ndemand_elasticity: 1\n"
        "sources: [{name: japan, base_value_usd: 5}]\n"
    )
    out = run_cli("market", "--file", str(path))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and len(out.stderr) < 400 and expected in out.stderr
