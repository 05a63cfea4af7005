"""A report kernel shares the line engine's day-free steps from its first cell to its last.

A report that stacks the law on many days (a partner report's daily rates, the timeline) asks
the line engine for each measure's rows on every day, though a measure reaches the same rows
on every day its lists stand unchanged. Kernels started by the build load this module as an
IPython extension, which opens a table of :data:`analysis.policy.line_steps.DAY_FREE_STEPS`
for the kernel's life (``line_steps``: keyed by the inputs themselves, the same numbers bit for
bit; each measure's exempt shares are keyed by its lists as they stand and, for the few that
exempt USMCA goods, the month's shares, so the table grows with the measures, their list
changes and those months, not with the days). The kernel is a fresh process per report, so nothing
is shared between reports.
"""

from __future__ import annotations

from analysis.policy import line_steps


def load_ipython_extension(ipython: object) -> None:
    """IPython extension hook: called once in each build kernel, before the first cell."""
    line_steps.open_table(line_steps.DAY_FREE_STEPS)
