"""``simulate`` and ``market``, run as a user would."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import PARTNERS, alias_bomb, run_cli

from analysis.cli.app import main
from analysis.inputs.paths import PROJECT_DIR


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


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["simulate", "--scenario", "current", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_every_total_has_a_unit_and_a_label_naming_the_focus(
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload = _json(capsys)
    assert payload["focus"] == {"partner": "japan", "sector": "mvh"}
    assert set(payload["units"]) == set(payload["totals"])
    for name, record in payload["units"].items():
        assert record["unit"] in {"usd", "fraction", "cars"}, name
        assert record["label"].endswith(")"), name
        if name.startswith("focus_"):
            assert "Japan" in record["label"], name
    # the consumer price level (issue 17) is the headline cost per household
    totals = payload["totals"]
    assert totals["consumer_price_level_change_after_substitution"] > 0
    assert (
        totals["consumer_price_level_change_after_substitution"]
        < totals["consumer_price_level_change"]
    )
    assert 0 < totals["household_cost_usd"] < totals["us_buyer_cost_per_household_usd"]


def test_focus_eu_gives_the_eus_headlines(capsys: pytest.CaptureFixture[str]) -> None:
    japan = _json(capsys)
    eu = _json(capsys, "--focus", "eu")
    assert eu["focus"]["partner"] == "eu"
    # The focus headline is the partner's row of the per-partner table (computed apart).
    for payload, partner in ((japan, "japan"), (eu, "eu")):
        row = payload["partners"][partner]
        assert payload["totals"]["focus_exports_value_change_usd"] == pytest.approx(
            row["exports_value_change_usd"], rel=1e-12
        )
        assert payload["totals"]["focus_exports_value_change"] == pytest.approx(
            row["exports_value_change"], rel=1e-12
        )
    assert eu["totals"]["focus_exports_value_change_usd"] != pytest.approx(
        japan["totals"]["focus_exports_value_change_usd"]
    )
    assert "European Union" in eu["units"]["focus_exports_value_change_usd"]["label"]
    # No GDP is cited for the EU and the data count no EU cars: null, not a made-up figure.
    assert eu["totals"]["focus_gdp_change"] is None
    assert eu["totals"]["focus_sector_units_change"] is None
    # Totals that do not depend on the focus are the same.
    assert eu["totals"]["tariff_revenue_usd"] == japan["totals"]["tariff_revenue_usd"]


def test_an_unknown_focus_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", "current", "--focus", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "focus.partner" in err and "atlantis" in err


def test_simulate_text_is_labels_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--scenario", "current"]) == 0
    text = capsys.readouterr().out
    body = "\n".join(line for line in text.splitlines() if not line.startswith("note:"))
    assert "Japan's exports to the US, change ($ bn)" in body
    assert "Cars from Japan sold in the US, change (cars)" in body
    assert "Cost per US household ($)" in body
    assert "All US buyers' extra cost ($ bn)" in body
    assert "European Union" in body
    assert not re.search(r"[a-z]+_[a-z0-9_]+", body)  # no code names
    assert not re.search(r"\d\.\d{3,}", body)  # no long decimals


def test_simulate_csv_holds_the_json_values(capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys)
    assert main(["simulate", "--scenario", "current", "--csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    totals = frame[frame["table"] == "totals"].set_index("outcome")["value"]
    for name, value in payload["totals"].items():
        assert totals[name] == pytest.approx(value, rel=1e-15), name
    rows = frame[frame["table"] == "partners"]
    assert set(rows["partner"]) == PARTNERS


def test_market_text_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    file = "params/markets/example_batteries.yaml"
    assert main(["market", "--file", file]) == 0
    text = capsys.readouterr().out
    assert "Pass-through to US prices (%)" in text and "US buyers' price, change (%)" in text
    assert main(["market", "--file", file, "--csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("source")
    assert main(["market", "--file", file, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    for source, values in payload["sources"].items():
        assert frame.loc[source, "quantity_change"] == pytest.approx(values["quantity_change"])
