"""The command line's one error handler: one line, exit 2."""

from __future__ import annotations

import pytest
from helpers import run_cli


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
