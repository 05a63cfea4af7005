"""Report pipeline: run specs → papermill (in parallel) → offline HTML reports + index.

Notebooks need only :func:`enable_offline_charts` and :func:`record_summary` (and optionally
:func:`stamp_table`). Importing this package is cheap: papermill, nbconvert and Altair are
imported by the functions that need them, so a notebook kernel does not pay for them.
"""

from analysis.reporting.build import RunResult, build_reports
from analysis.reporting.charts import enable_offline_charts
from analysis.reporting.render import render_html
from analysis.reporting.runs import ReportRun, list_runs, load_run
from analysis.reporting.stamp import reproducibility_stamp, stamp_table
from analysis.reporting.summary import record_summary

__all__ = [
    "ReportRun",
    "RunResult",
    "build_reports",
    "enable_offline_charts",
    "list_runs",
    "load_run",
    "record_summary",
    "render_html",
    "reproducibility_stamp",
    "stamp_table",
]
