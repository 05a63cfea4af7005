"""Only the command line of a local build starts the fork server early."""

from __future__ import annotations

import pytest

from analysis.cli.early import is_local_build


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/venv/bin/tariff-reports", "build"], True),
        (["/repo/analysis/__main__.py", "build", "japan_deal_15", "--jobs", "1"], True),
        (["/venv/bin/tariff-reports", "build", "--scheduler", "tcp://h:8786"], False),
        (["/venv/bin/tariff-reports", "build", "--scheduler=tcp://h:8786"], False),
        (["/venv/bin/tariff-reports", "build", "--help"], False),
        (["/venv/bin/tariff-reports", "list"], False),
        (["/venv/bin/pytest", "build"], False),
        (["-c"], False),
        ([], False),
    ],
)
def test_only_a_local_build_from_the_command_line(argv: list[str], expected: bool) -> None:
    assert is_local_build(argv) is expected
