"""A build kernel shares the line engine's day-free steps for its whole life."""

from __future__ import annotations

from analysis.pipeline import kernel_steps
from analysis.policy import line_steps


def test_the_extension_opens_a_day_free_table() -> None:
    before = len(line_steps._TABLES)
    kernel_steps.load_ipython_extension(None)
    try:
        steps, table = line_steps._TABLES[-1]
        assert steps == line_steps.DAY_FREE_STEPS and not table
        assert "exempt" not in steps  # it depends on the day: kept, it would grow every day
    finally:
        line_steps.close_table()
    assert len(line_steps._TABLES) == before
