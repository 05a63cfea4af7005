"""``rates`` and ``validate``, run as a user would."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import PARTNERS, alias_bomb, run_cli

from analysis.cli.app import main
from analysis.inputs.paths import PROJECT_DIR


def test_validate_catches_section_232_shares_above_one(tmp_path: Path) -> None:
    from analysis.cli.app import main

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "measures" / "section232_copper.yaml"
    path.write_text(path.read_text().replace("nfm: {share: 0.2663", "nfm: {share: 0.9"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_PARAMS", str(params))
        assert main(["validate"]) == 2


def test_rates_for_a_scenario_as_json() -> None:
    out = run_cli("rates", "--scenario", "deal_15", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert set(payload["partners"]) == PARTNERS | {"all"}
    japan = payload["partners"]["japan"]
    assert set(japan) == {"effective_tariff_rate", "additional_tariff_rate", "imports_usd"}
    # The 15% all-in floor line by line, less the lines exempt from it (Annex II, civil
    # aircraft) and more on lines whose own rate is above 15%: near 15%, not above the cars'.
    assert 0.12 < japan["effective_tariff_rate"] < 0.16
    assert len(payload["sectors"]) == 45 * 8


def test_rates_on_a_date_as_text() -> None:
    out = run_cli("rates", "--date", "2025-04-09")
    assert out.returncode == 0, out.stderr
    assert "Tariffs in force on 2025-04-09" in out.stdout
    assert "IEEPA reciprocal tariff, Japan country-specific add-on" in out.stdout  # by title


def _rates_csv(capsys: pytest.CaptureFixture[str], *args: str) -> pd.DataFrame:
    assert main(["rates", *args, "--csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_rates_text_is_a_readers_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "--date", "2026-11-28"]) == 0
    text = capsys.readouterr().out
    assert "European Union" in text and "Rest of world" in text and "All partners" in text
    assert "US imports, 2024 ($ bn)" in text and "Tariff (%)" in text
    # no code names and no long decimals
    assert not re.search(r"\b(china|ftrow|row|eu)\b", text)
    assert not re.search(r"[a-z]+_[a-z0-9_]+", text)
    assert not re.search(r"\d\.\d{3,}", text)


def test_rates_csv_parts_add_up_and_match_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    frame = _rates_csv(capsys, "--date", "2026-11-28").set_index("partner")
    parts = [c for c in frame.columns if c.endswith("_rate") and c != "tariff_rate"]
    assert {"mfn_tariff_rate", "section_232_rate", "section_301_rate"} <= set(parts)
    assert (frame[parts].sum(axis=1) - frame["tariff_rate"]).abs().max() < 1e-12
    assert main(["rates", "--date", "2026-11-28", "--json"]) == 0
    partners = json.loads(capsys.readouterr().out)["partners"]
    for partner, row in frame.iterrows():
        assert row["tariff_rate"] == pytest.approx(partners[partner]["effective_tariff_rate"])
        assert row["imports_usd"] == pytest.approx(partners[partner]["imports_usd"])


def test_rates_by_sector_weigh_back_to_the_all_partner_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sectors = _rates_csv(capsys, "--date", "2026-11-28", "--by", "sector")
    partners = _rates_csv(capsys, "--date", "2026-11-28").set_index("partner")
    # analysis/data/SOURCES.md "Checks": $3,123,773,412,637 of 2024 imports in all.
    assert sectors["imports_usd"].sum() == pytest.approx(3_123_773_412_637, abs=1)
    traded = sectors[sectors["imports_usd"] > 0]
    mean = (traded["tariff_rate"] * traded["imports_usd"]).sum() / traded["imports_usd"].sum()
    assert mean == pytest.approx(partners.loc["all", "tariff_rate"], rel=1e-12)
    assert main(["rates", "--date", "2026-11-28", "--by", "sector"]) == 0
    assert "Motor vehicles and parts" in capsys.readouterr().out


def test_validate_passes_on_the_shipped_files() -> None:
    out = run_cli("validate")
    assert out.returncode == 0, out.stderr


def test_validate_fails_with_exit_2_on_a_broken_measure(tmp_path: Path) -> None:
    import os
    import shutil

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / "measures" / "section232_copper.yaml"
    path.write_text(path.read_text().replace("rate: 0.50", "rate: fifty"))
    out = run_cli("validate", env={**os.environ, "TARIFF_REPORTS_PARAMS": str(params)})
    assert out.returncode == 2
    assert "section232_copper.yaml: values[0].rate: expected a number" in out.stderr


@pytest.mark.parametrize(
    ("folder", "file", "edit", "needle"),
    [
        # A second 'partners' key: PyYAML would keep the last one silently.
        ("measures", "ieepa_reciprocal_japan.yaml", "\npartners: [eu]\n", "line "),
        ("scenarios", "deal_15.yaml", "\ntitle: twice\n", "unique keys"),
    ],
)
def test_validate_refuses_duplicated_keys(
    tmp_path: Path, folder: str, file: str, edit: str, needle: str
) -> None:
    import os
    import shutil

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    path = params / folder / file
    path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8")
    out = run_cli("validate", env={**os.environ, "TARIFF_REPORTS_PARAMS": str(params)})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and f"{file}: " in out.stderr and needle in out.stderr


def test_a_date_after_the_known_law_warns_but_answers() -> None:
    out = run_cli("rates", "--date", "2027-03-01", "--json")
    assert out.returncode == 0
    assert out.stderr.startswith("warning: 2027-03-01 is after 2026-11-28")
    assert json.loads(out.stdout)["date"] == "2027-03-01"


def test_rates_on_a_date_say_which_authorities_are_in_force() -> None:
    out = run_cli("rates", "--date", "2026-04-01")
    assert out.returncode == 0 and out.stderr == ""
    assert "In force: MFN, Section 122, Section 232, Section 301" in out.stdout
    assert "Section 122 (%)" in out.stdout


def _edit(params: Path, name: str, old: str, new: str) -> None:
    path = params / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1))


JAPAN = "measures/ieepa_reciprocal_japan.yaml"
BASELINE = "measures/ieepa_reciprocal_baseline.yaml"
SURCHARGE = "measures/section122_surcharge.yaml"
JULY = "scenarios/july_2025.yaml"
BOMB = alias_bomb()


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        # Issue 20, case 4: a measure superseding itself, or two superseding each other.
        (
            [(JAPAN, "title:", "supersedes: [ieepa_reciprocal_japan]\ntitle:")],
            "ieepa_reciprocal_japan.yaml: supersedes: expected the id of another measure, "
            "found 'ieepa_reciprocal_japan'",
        ),
        (
            [
                (BASELINE, "title:", "supersedes: [section122_surcharge]\ntitle:"),
                (SURCHARGE, "title:", "supersedes: [ieepa_reciprocal_baseline]\ntitle:"),
            ],
            "ieepa_reciprocal_baseline.yaml: supersedes: expected no measure superseding itself "
            "through others, found 'ieepa_reciprocal_baseline -> section122_surcharge -> ",
        ),
        # Issue 20, case 8: impossible dates in a measure and in a scenario.
        (
            [(JAPAN, "start: 2025-04-09", "start: 2025-02-30")],
            "ieepa_reciprocal_japan.yaml: line 25: expected a valid YAML value, "
            "found 'day is out of range for month: 2025-02-30'",
        ),
        (
            [(JULY, "regime_date: 2025-07-07", "regime_date: 2025-02-29")],
            "july_2025.yaml: line 9: expected a valid YAML value, "
            "found 'day is out of range for month: 2025-02-29'",
        ),
        (
            [(JULY, "regime_date: 2025-07-07", "regime_date: 2025-13-01")],
            "july_2025.yaml: line 9: expected a valid YAML value, "
            "found 'month must be in 1..12: 2025-13-01'",
        ),
        # Issue 20, case 6: an alias bomb in a scenario key and in a measure.
        (
            [(JULY, "regime_date: 2025-07-07", f"regime_date: {BOMB}")],
            "july_2025.yaml: line 9: expected at most 1,000,000 values and characters",
        ),
        (
            [(JAPAN, "title:", f"title: {BOMB}\nx:")],
            "ieepa_reciprocal_japan.yaml: line 1: expected at most 1,000,000 values",
        ),
    ],
)
# A broken scenario in a params folder other than the shipped one fails only what uses it
# (issue 19): `rates --scenario july_2025` does; `rates --date` would not
# (tests/cli/test_user_inputs.py).
@pytest.mark.parametrize("command", [["validate"], ["rates", "--scenario", "july_2025"]])
def test_a_broken_law_file_stops_every_command_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    edits: list[tuple[str, str, str]],
    message: str,
    command: list[str],
) -> None:
    from analysis.cli.app import main

    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    for name, old, new in edits:
        _edit(params, name, old, new)
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 400, err[:1000]
    assert message in err


@pytest.mark.parametrize("folder", ["scenarios", "measures"])
def test_a_fifo_among_the_law_files_is_refused_at_once(tmp_path: Path, folder: str) -> None:
    # Issue 20, case 7: `validate` waited for ever on a FIFO named like a scenario.
    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    fifo = params / folder / "section232_fifo.yaml"
    os.mkfifo(fifo)
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "validate"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "TARIFF_REPORTS_PARAMS": str(params)},
        timeout=120,  # a fault: the old code never returns
    )
    assert out.returncode == 2
    assert out.stderr == (
        f"error: {fifo}: (file): expected a regular file, found 'a FIFO (named pipe)'\n"
    )
