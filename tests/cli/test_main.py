"""The command line's one error handler: one line, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import run_cli

from analysis.inputs.paths import PROJECT_DIR


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
    out = run_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_is_one_line_and_exit_2() -> None:
    # `tariff-reports rates --json | head -c 10`: the reader leaves early. The output (~0.3 MB)
    # is larger than a pipe's buffer, so the writer always meets the closed pipe.
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "rates", "--scenario", "deal_15", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_DIR,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 2
    assert stderr == "error: (stdout): expected a reader for the output, found a closed pipe\n"
