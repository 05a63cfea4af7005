"""Altair chart builders shared by the report notebooks (specs only; rendering is elsewhere).

Every chart has tooltips; the larger ones have a legend or brush selection. Data passed in
are small aggregated tables (the spec inlines them into the HTML).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable
from functools import partial
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from analysis.questions.outcomes import OUTCOMES
from analysis.report.palette import LOSS, is_layer, layer_scale, partner_scale
from analysis.report.tables import column_label
from analysis.report.text import PARTNER_LABELS, partner_label

PERCENT = ".1%"
BILLIONS = "$,.1f"
#: Chart sizes that read on a laptop (the page column is about 1,000 px at 1280 px).
WIDTH = 620
#: Axis tick formats by registry format (:data:`analysis.questions.outcomes.OUTCOMES` ``fmt``);
#: dollars in billions are plotted in billions (:func:`in_billions`), so no SI "G".
AXIS_FORMATS = {
    "usd_bn": "$,.1~f",
    "usd": "$,.0f",
    "percent": ".1~%",
    "cars": ",.0f",
    "number": ",.2~f",
}
#: Room for a category label (each of its lines): names wrap at :data:`WRAP_CHARS` characters.
LABEL_PX = 300
WRAP_CHARS = 46


def axis_format(value: str, fmt: str) -> str:
    """The tick format of ``value``'s axis: its registry format's, else ``fmt`` (a d3 format,
    after :func:`in_billions`)."""
    record = OUTCOMES.get(value)
    return AXIS_FORMATS[record.fmt] if record is not None else fmt


def wrapped_labels(labels: Iterable[object], width: int = WRAP_CHARS) -> str:
    """A Vega ``labelExpr`` that shows each long label on lines of at most ``width``
    characters (an array of lines is a multi-line label), other labels as they are."""
    expr = "datum.label"
    for label in dict.fromkeys(str(v) for v in labels):
        lines = textwrap.wrap(label, width)
        if len(lines) > 1:
            expr = f"datum.label === {json.dumps(label)} ? {json.dumps(lines)} : {expr}"
    return expr


def category_axis(labels: Iterable[object], **kwargs: Any) -> Any:
    """A category axis whose long names wrap onto lines instead of being cut."""
    return alt.Axis(labelExpr=wrapped_labels(labels), labelLimit=LABEL_PX, **kwargs)


def in_billions(data: pd.DataFrame, columns: list[str], fmt: str) -> tuple[pd.DataFrame, str]:
    """Dollar values asked for in SI units (``~s``, which reads ``-60G``) as billions of
    dollars with one decimal (readers write "$ bn"); other formats pass through."""
    if "~s" not in fmt:
        return data, fmt
    scaled_data = data.assign(**{c: data[c] / 1e9 for c in columns})
    return scaled_data, "$,.1f" if "$" in fmt else ",.1f"


def readable(value: object, partner: str = "the focus partner") -> str:
    """A category as readers see it: a registered outcome's label (naming ``partner``), a
    partner's name."""
    name = str(value)
    record = OUTCOMES.get(name)
    if record is not None:
        return record.text_with_unit(partner)
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", name):  # a column name: in words, with its unit
        return column_label(name)
    return partner_label(name)


def layer_bars(layers: pd.DataFrame, title: str) -> Any:
    """Stacked bars: import-weighted tariff rate by partner, split by layer (click legend)."""
    pick = alt.selection_point(fields=["layer"], bind="legend")
    data = layers.assign(partner=layers["partner"].map(readable))
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("partner:N", sort=None, title=None, axis=category_axis(data["partner"])),
            x=alt.X(
                "sum(tariff_rate):Q",
                axis=alt.Axis(format="%"),
                title="Tariff rate (% of import value)",
            ),
            color=alt.Color("layer:N", title="Tariff layer", scale=layer_scale(data["layer"])),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("layer:N", title="Tariff layer"),
                alt.Tooltip("tariff_rate:Q", format=".1%", title="Rate"),
            ],
        )
        .add_params(pick)
        .properties(width=WIDTH, height=260)
    )


def sector_change_bars(table: pd.DataFrame, title: str) -> Any:
    """Horizontal bars of a partner's sales change by sector, in billions of dollars."""
    data = table.assign(value_change_busd=table["value_change_usd"] / 1e9)
    return (
        alt.Chart(data, title=title)
        .mark_bar(color=LOSS)
        .encode(
            y=alt.Y("description:N", sort="x", title=None, axis=category_axis(data["description"])),
            x=alt.X(
                "value_change_busd:Q",
                title="Change in sales to the US ($ billion)",
                axis=alt.Axis(format=AXIS_FORMATS["usd_bn"]),
            ),
            tooltip=[
                alt.Tooltip("description:N", title="Sector"),
                alt.Tooltip("value_change_busd:Q", format="+,.2f", title="Change ($ bn)"),
                alt.Tooltip("value_change:Q", format="+.1%", title="Change (%)"),
                alt.Tooltip("new_tariff_rate:Q", format=PERCENT, title="Tariff"),
                alt.Tooltip("exporter_price_change:Q", format="+.1%", title="Exporter price"),
            ],
        )
        .properties(width=WIDTH, height=min(26 * len(data), 380))
    )


def diversion_bars(table: pd.DataFrame, title: str) -> Any:
    """Who gains and who loses sales in the US market, in billions of dollars."""
    data = table.assign(
        value_change_busd=table["value_change_usd"] / 1e9, source=table["source"].map(readable)
    )
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X("source:N", sort="-y", title=None, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y(
                "value_change_busd:Q",
                title="Change in sales to the US ($ billion)",
                axis=alt.Axis(format=AXIS_FORMATS["usd_bn"]),
            ),
            color=alt.Color("source:N", scale=partner_scale(data["source"]), legend=None),
            tooltip=[
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("value_change_busd:Q", format="+,.2f", title="Change ($ bn)"),
                alt.Tooltip("value_change:Q", format="+.1%", title="Change (%)"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )


def scenario_dots(table: pd.DataFrame, value: str, title: str, fmt: str = PERCENT) -> Any:
    """One dot per scenario for one outcome (hover for the number); dollars in SI units
    (``~s``) are shown in billions (say so in ``title``). The axis takes the outcome's
    registry format (:func:`axis_format`)."""
    table, fmt = in_billions(table, [value], fmt)
    return (
        alt.Chart(table, title=title)
        .mark_circle(size=160)
        .encode(
            y=alt.Y("title:N", sort=None, title=None, axis=category_axis(table["title"])),
            x=alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=axis_format(value, fmt))),
            color=alt.Color("scenario:N", legend=None),
            tooltip=[
                alt.Tooltip("title:N", title="Scenario"),
                alt.Tooltip(f"{value}:Q", format=fmt, title=readable(value)),
            ],
        )
        .properties(width=WIDTH - 200, height=36 * len(table))
    )


def percentile_bands(bands: pd.DataFrame, title: str) -> Any:
    """10th-90th percentile bars with the median as a tick, one row per outcome (fractions)."""
    base = alt.Chart(bands, title=title).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=category_axis(bands["label"]))
    )
    tooltip = [
        alt.Tooltip("label:N", title="Outcome"),
        alt.Tooltip("p10:Q", format=".1%", title="10th percentile"),
        alt.Tooltip("p50:Q", format=".1%", title="Median"),
        alt.Tooltip("p90:Q", format=".1%", title="90th percentile"),
    ]
    bars = base.mark_bar(opacity=0.4, color="#4393c3").encode(
        x=alt.X("p10:Q", title=None, axis=alt.Axis(format="%")), x2="p90:Q", tooltip=tooltip
    )
    ticks = base.mark_tick(color="black", thickness=2, size=18).encode(x="p50:Q", tooltip=tooltip)
    return (bars + ticks).properties(width=WIDTH - 100, height=36 * len(bands))


def histogram(draws: pd.Series, title: str, fmt: str, bins: int = 40) -> Any:
    """Distribution of one outcome over the Monte Carlo draws (drag to highlight a range).

    The draws are binned here, so the chart carries ``bins`` rows, not one per draw.
    """
    counts, edges = np.histogram(draws.to_numpy(dtype=float), bins=bins)
    data = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "draws": counts})
    # A named selection per outcome: Altair warns about (and merges) identical unnamed ones.
    brush = alt.selection_interval(encodings=["x"], name=f"range_{draws.name}")
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X("start:Q", bin="binned", title=None, axis=alt.Axis(format=fmt)),
            x2="end:Q",
            y=alt.Y("draws:Q", title="Monte Carlo draws"),
            tooltip=[
                alt.Tooltip("start:Q", format=fmt, title="From"),
                alt.Tooltip("end:Q", format=fmt, title="To"),
                alt.Tooltip("draws:Q", title="Draws"),
            ],
            opacity=alt.condition(brush, alt.value(1.0), alt.value(0.5)),
        )
        .add_params(brush)
        .properties(width=WIDTH // 2 - 40, height=200)
    )


#: Number formats (tooltips; values before :func:`in_billions`) by registry format; cars and
#: dollars per household are model estimates, shown to three significant figures as in the
#: text (:data:`analysis.questions.outcomes.ESTIMATE_FIGURES`).
VALUE_FORMATS = {
    "usd_bn": "$,.3~s",
    "usd": "$,.3r",
    "percent": ".1%",
    "cars": ",.3r",
    "number": ",.2f",
}


def tornado_bars(table: pd.DataFrame, title: str, fmt: str, outcome: str | None = None) -> Any:
    """Outcome at each parameter's low and high end (one-at-a-time); a registered ``outcome``
    takes its registry format (dollars in billions) over ``fmt``."""
    axis = None
    if outcome in OUTCOMES:
        fmt = VALUE_FORMATS[OUTCOMES[outcome].fmt]
        axis = AXIS_FORMATS[OUTCOMES[outcome].fmt]
    long = table.melt(
        id_vars=["parameter", "central"],
        value_vars=["outcome_at_low", "outcome_at_high"],
        var_name="end",
        value_name="outcome",
    )
    ends = {"outcome_at_low": "low end of its range", "outcome_at_high": "high end of its range"}
    long["end"] = long["end"].map(ends)
    long, fmt = in_billions(long, ["outcome", "central"], fmt)
    bars = (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("parameter:N", sort=None, title=None, axis=category_axis(long["parameter"])),
            x=alt.X(
                "outcome:Q",
                title=None,
                axis=alt.Axis(format=axis or fmt.replace(".1f", ".1~f")),
            ),
            x2="central:Q",
            color=alt.Color("end:N", title="Parameter at"),
            tooltip=[
                alt.Tooltip("parameter:N", title="Parameter"),
                alt.Tooltip("end:N", title="At"),
                alt.Tooltip("outcome:Q", format=fmt, title="Outcome"),
            ],
        )
    )
    return bars.properties(width=WIDTH - 100, height=40 * len(table))


def grouped_bars(
    table: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    title: str,
    fmt: str,
    partner: str = "the focus partner",
) -> Any:
    """Grouped bars of ``y`` by ``x`` and ``color`` (e.g. tariff vs VER by outcome); outcome
    labels name ``partner``; long group names wrap to the width of their group."""
    name = partial(readable, partner=partner)
    data = table.assign(**{x: table[x].map(name), color: table[color].map(name)})
    data, fmt = in_billions(data, [y], fmt)
    partners = all(str(p) in PARTNER_LABELS for p in table[color])
    layers = all(is_layer(str(p)) for p in table[color])  # the layer chart's colours
    scale = (
        partner_scale(data[color])
        if partners
        else layer_scale(data[color])
        if layers
        else alt.Undefined
    )
    group_px = WIDTH // max(data[x].nunique(), 1)
    x_axis = alt.Axis(
        labelAngle=0,
        labelLimit=group_px,
        labelExpr=wrapped_labels(data[x], max(group_px // 7, 12)),
    )
    legend = alt.Legend(labelExpr=wrapped_labels(data[color], 48), labelLimit=LABEL_PX)
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None, axis=x_axis),
            xOffset=f"{color}:N",
            y=alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format=fmt.replace(".1f", ".1~f"))),
            color=alt.Color(f"{color}:N", title=None, scale=scale, legend=legend),
            tooltip=[
                alt.Tooltip(f"{x}:N", title="Outcome"),
                alt.Tooltip(f"{color}:N", title="Group"),
                alt.Tooltip(f"{y}:Q", format=fmt, title="Value"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )


def timeline_area(timeline: pd.DataFrame, title: str) -> Any:
    """Stacked step area of the tariff rate by layer over time (hover for the numbers)."""
    return (
        alt.Chart(timeline, title=title)
        .mark_area(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y(
                "sum(tariff_rate):Q",
                axis=alt.Axis(format="%"),
                title="Tariff rate (% of import value)",
            ),
            color=alt.Color("layer:N", title="Tariff layer", scale=layer_scale(timeline["layer"])),
            tooltip=[
                alt.Tooltip("date:T", title="Date"),
                alt.Tooltip("layer:N", title="Tariff layer"),
                alt.Tooltip("tariff_rate:Q", format=".1%", title="Rate"),
            ],
        )
        .properties(width=WIDTH, height=260)
    )


def competitor_heatmap(table: pd.DataFrame, title: str) -> Any:
    """Sector x source heatmap of sales changes (who gains where)."""
    table = table.assign(source=table["source"].map(readable))
    return (
        alt.Chart(table, title=title)
        .mark_rect()
        .encode(
            x=alt.X("source:N", title=None),
            y=alt.Y("description:N", title=None, axis=category_axis(table["description"])),
            color=alt.Color(
                "value_change:Q",
                scale=alt.Scale(scheme="redblue", domainMid=0),
                legend=alt.Legend(format="%"),
                title="Sales change",
            ),
            tooltip=[
                alt.Tooltip("description:N", title="Sector"),
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("value_change:Q", format="+.1%", title="Change (%)"),
                alt.Tooltip("value_change_usd:Q", format="$,.3~s", title="Change ($)"),
            ],
        )
        .properties(width=420, height=30 * table["description"].nunique())
    )
