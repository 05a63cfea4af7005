"""The user's own inputs: ``--scenario-file``, ``--set`` and a ``--params-dir`` layered over the
shipped params, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import run_cli

from analysis.cli.app import main
from analysis.inputs.paths import PROJECT_DIR

SHIPPED = PROJECT_DIR / "params" / "scenarios"

#: A user's scenario: Japan's reciprocal rate at 15 points above the baseline, with a reason
#: and no citation (the shipped letter_25 sets the same rate from the measure's cited value).
USER_LETTER = {
    "title": "My letter scenario",
    "description": "Japan's reciprocal rate at 25% all-in, my assumption.",
    "regime_date": "2025-07-07",
    "changes": [
        {"measure": "ieepa_reciprocal_japan", "rate": 0.15, "reason": "what if the letter held"}
    ],
    "references": [{"title": "my notes", "url": "https://example.org", "date": "2025-07-08"}],
}


def _simulate_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["simulate", *args, "--json"]) == 0
    payload: dict[str, object] = json.loads(capsys.readouterr().out)
    return payload


def _close(a: dict[str, float | None], b: dict[str, float | None]) -> None:
    assert set(a) == set(b)
    for key, value in a.items():
        assert value == pytest.approx(b[key], rel=1e-9, abs=1e-9), key


def test_a_scenario_file_from_anywhere_runs_and_marks_its_uncited_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "elsewhere" / "ver_1p2m.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(USER_LETTER))
    mine = _simulate_json(capsys, "--scenario-file", str(path))
    shipped = _simulate_json(capsys, "--scenario", "letter_25")
    assert mine["scenario"] == "ver_1p2m"
    # The same rate as the shipped letter_25 takes from the cited measure: the same outcomes.
    _close(mine["totals"], shipped["totals"])  # type: ignore[arg-type]
    assert shipped["user_assumptions"] == []
    assert mine["user_assumptions"] == [
        "ieepa_reciprocal_japan rate = 0.15 (15.00%): what if the letter held"
    ]
    assert main(["simulate", "--scenario-file", str(path)]) == 0
    text = capsys.readouterr().out
    assert "user assumption: ieepa_reciprocal_japan rate = 0.15 (15.00%)" in text


def test_set_changes_a_rate_with_no_file_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    by_set = _simulate_json(
        capsys,
        "--scenario",
        "july_2025",
        "--set",
        "ieepa_reciprocal_japan.rate=15%",
        "--reason",
        "the letter",
    )
    shipped = _simulate_json(capsys, "--scenario", "letter_25")
    _close(by_set["totals"], shipped["totals"])  # type: ignore[arg-type]
    assert by_set["user_assumptions"] == ["ieepa_reciprocal_japan rate = 0.15 (15.00%): the letter"]
    assert (
        main(["rates", "--scenario", "july_2025", "--set", "ieepa_reciprocal_japan.rate=0.15"]) == 0
    )
    assert "user assumption: ieepa_reciprocal_japan rate = 0.15" in capsys.readouterr().out
    assert (
        main(
            [
                "rates",
                "--scenario",
                "july_2025",
                "--set",
                "ieepa_reciprocal_japan.rate=0.15",
                "--json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["user_assumptions"][0].startswith("ieepa_reciprocal_japan rate = 0.15")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("ieepa_reciprocal_japan=0.2", "expected MEASURE.rate=VALUE"),
        ("no_such.rate=0.2", "expected a measure id in params/measures, found 'no_such'"),
        ("ieepa_reciprocal_japan.rate=lots", "expected a rate such as 0.25 or 25%, found 'lots'"),
        ("ieepa_reciprocal_japan.rate=-5%", "expected a fraction between 0 and 10.0, found -0.05"),
    ],
)
def test_a_bad_set_is_one_line_and_exit_2(
    setting: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--scenario", "july_2025", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--set" in err and expected in err, err


def test_a_user_folder_adds_scenarios_and_a_broken_one_fails_only_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    (mine / "scenarios").mkdir(parents=True)
    (mine / "scenarios" / "ver_1p2m.yaml").write_text(yaml.safe_dump(USER_LETTER))
    (mine / "scenarios" / "broken.yaml").write_text("title: x\ntitle: y\n")
    env = {**os.environ, "TARIFF_REPORTS_PARAMS": str(mine)}
    out = run_cli("simulate", "--scenario", "current", "--json", env=env)
    assert out.returncode == 0, out.stderr
    out = run_cli("--params-dir", str(mine), "simulate", "--scenario", "ver_1p2m", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["user_assumptions"]
    out = run_cli("simulate", "--params-dir", str(mine), "--scenario", "broken")
    assert out.returncode == 2
    assert out.stderr.strip().endswith(
        "expected valid YAML with unique keys, found \"duplicate key 'title'\""
    )
    assert "broken.yaml: line 2" in out.stderr and out.stderr.count("\n") == 1
    out = run_cli("validate", "--params-dir", str(mine))
    assert out.returncode == 2 and "broken.yaml: line 2" in out.stderr


def test_params_dir_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--params-dir", str(tmp_path / "none"), "rates", "--date", "2025-07-07"]) == 2
    assert "--params-dir: expected an existing folder" in capsys.readouterr().err


def test_the_golden_tests_cover_the_shipped_scenarios_only(tmp_path: Path) -> None:
    # "no golden file for ver_1p2m": a valid user's scenario must not fail the golden tests.
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "ver_1p2m.yaml").write_text(yaml.safe_dump(USER_LETTER))
    env = {**os.environ, "TARIFF_REPORTS_PARAMS": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/questions/test_golden.py", "--collect-only", "-q"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    shipped = {p.stem for p in SHIPPED.glob("*.yaml")}
    collected = {line.split("[")[1].rstrip("]") for line in out.stdout.splitlines() if "[" in line}
    assert collected == shipped
