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
        # Every step, the exempt shares too: keyed by the lists and the month's USMCA shares,
        # never by the day, the table does not grow every day.
        assert steps == line_steps.ALL_STEPS
    finally:
        line_steps.close_table()
    assert len(line_steps._TABLES) == before
