"""Every file and command of docs/tutorial.md works as written (on a copy of params/)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import run_cli

from analysis.inputs.paths import PROJECT_DIR

TUTORIAL = PROJECT_DIR / "docs" / "tutorial.md"
_FILE = re.compile(r"<!-- file: (?P<path>\S+) -->\n```yaml\n(?P<body>.*?)```", re.DOTALL)
_CONSOLE = re.compile(r"```console\n(?P<body>.*?)```", re.DOTALL)


def files() -> list[tuple[str, str]]:
    return [(m["path"], m["body"]) for m in _FILE.finditer(TUTORIAL.read_text(encoding="utf-8"))]


def commands() -> list[str]:
    text = TUTORIAL.read_text(encoding="utf-8")
    return [
        line[2:].strip()
        for block in _CONSOLE.finditer(text)
        for line in block["body"].splitlines()
        if line.startswith("$ ")
    ]


def test_the_tutorial_covers_the_four_tasks_and_the_readme_links_it() -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    for heading in ("Write a scenario", "Add a measure", "Add a report run", "Fork a notebook"):
        assert f". {heading}" in text
    assert [p.split("/")[1] for p, _ in files()] == [
        "scenarios",
        "measures",
        "scenarios",
        "reports",
    ]
    assert any(" -p " in c for c in commands()) and "tariff-reports params scenario_report" in (
        commands()
    )
    assert "docs/tutorial.md" in (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_tutorial_command_runs(tmp_path: Path) -> None:
    params = tmp_path / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    for path, body in files():
        target = params / Path(path).relative_to("params")
        assert not target.exists(), f"{path} would overwrite a shipped file"
        target.write_text(body, encoding="utf-8")
    out = tmp_path / "reports-tutorial"
    env = {**os.environ, "TARIFF_REPORTS_PARAMS": str(params), "TARIFF_REPORTS_CACHE": "off"}
    for command in commands():
        args = command.replace("reports-tutorial", str(out)).split()
        assert args[0] == "tariff-reports", command
        result = run_cli(*args[1:], env=env)
        assert result.returncode == 0, (command, result.stderr[-2000:])
    built = sorted(p.name for p in out.glob("*.html"))
    assert built == [
        "index.html",
        "scenario_report-scenario-letter_25-partner-eu.html",
        "scenario_report-what_if_rate-0-2.html",
        "timeline-start_date-2025-04-01.html",
        "tutorial_machinery.html",
    ]
    fork = (out / "scenario_report-what_if_rate-0-2.html").read_text(encoding="utf-8")
    assert "sliders start at 20.0% and an elasticity of" in fork  # the what-if starts there
