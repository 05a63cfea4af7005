"""The command line, run as a user would: real subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.inputs.paths import PROJECT_DIR

PARTNERS = {"china", "canada", "mexico", "uk", "japan", "eu", "ftrow", "row"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env=env,
        timeout=300,
    )


def test_rates_for_a_scenario_as_json() -> None:
    out = run("rates", "--scenario", "deal_15", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["partners"]) == PARTNERS | {"all"}
    japan = payload["partners"]["japan"]
    assert set(japan) == {"effective_tariff_rate", "additional_tariff_rate", "imports_usd"}
    assert 0.14 < japan["effective_tariff_rate"] < 0.16
    assert len(payload["sectors"]) == 45 * 8


def test_rates_on_a_date_as_text() -> None:
    out = run("rates", "--date", "2025-04-09")
    assert out.returncode == 0, out.stderr
    assert "Tariffs in force on 2025-04-09" in out.stdout
    assert "ieepa_reciprocal_japan" in out.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("rates", "--scenario", "no_such_scenario"), "scenario: expected one of"),
        (("rates", "--date", "2025-13-40"), "--date: expected a date YYYY-MM-DD"),
        (("simulate", "--scenario", "nope"), "scenario: expected one of"),
        (("market", "--file", "missing.yaml"), "missing.yaml: (file): expected an existing file"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_code_2(args: tuple[str, ...], needle: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_simulate_json_has_partners_and_totals() -> None:
    out = run("simulate", "--scenario", "letter_25", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["partners"]) == PARTNERS
    assert payload["totals"]["cost_per_household_usd"] > 0
    assert payload["partners"]["japan"]["exports_value_change"] < 0


def test_market_json_reports_each_source() -> None:
    out = run("market", "--file", "params/markets/example_batteries.yaml", "--json")
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


def test_validate_passes_on_the_shipped_files() -> None:
    out = run("validate")
    assert out.returncode == 0, out.stderr


def test_validate_fails_with_exit_2_on_a_broken_measure(tmp_path: Path) -> None:
    import os
    import shutil

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "measures" / "section232_copper.yaml"
    path.write_text(path.read_text().replace("rate: 0.50", "rate: fifty"))
    out = run("validate", env={**os.environ, "TARIFF_REPORTS_PARAMS": str(params)})
    assert out.returncode == 2
    assert "section232_copper.yaml: values[0].rate: expected a number" in out.stderr
