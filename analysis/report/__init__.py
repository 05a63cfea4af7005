"""Report layer: what a notebook shows. Tables (``views``), charts (``figures``), offline
chart rendering (``charts``), the headline record (``summary``) and the reproducibility stamp.

Importing this package is cheap: ``figures`` (Altair) and ``views`` are imported on their own
(``from analysis.report import figures, views``).
"""

from analysis.report.charts import enable_offline_charts
from analysis.report.stamp import reproducibility_stamp, stamp_table
from analysis.report.summary import record_summary

__all__ = ["enable_offline_charts", "record_summary", "reproducibility_stamp", "stamp_table"]
