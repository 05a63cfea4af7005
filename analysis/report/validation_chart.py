"""The validation report's chart: each published effective tariff rate beside ours, day by day.

One column per day compared. Within a day's column each figure has a slot of its own, in the
order published then ours, and within each the same law as ours then another law: two points
of one day never share a slot, however close their rates (24 Feb 2026: ours 7.2% for the same
law, 10.1% for another). A figure of the same law as ours is drawn filled, one of another law
hollow, and the legend shows both symbols as drawn.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.report.text import partner_label

#: The column of each figure's law: the same as ours, or another.
LAW = "law compared"
SAME_LAW = "Same law as ours"
OTHER_LAW = "Another law"
FIGURES = ("Published", "Ours")
#: The slots of a day's column, left to right: each figure, the same law then another.
SLOTS = tuple(f"{figure}, {law.lower()}" for figure in FIGURES for law in (SAME_LAW, OTHER_LAW))
_LEGEND_GREY = "dimgray"
#: Each figure's colour (stroke), and each slot's fill: its figure's colour if of our law.
_COLOURS = {"Published": "#4c78a8", "Ours": "#f58518"}
_FIGURE_COLOURS = alt.Scale(domain=list(FIGURES), range=[_COLOURS[f] for f in FIGURES])
_SLOT_FILLS = [_COLOURS[s.split(",")[0]] if SAME_LAW.lower() in s else "transparent" for s in SLOTS]
#: The legend's symbol strokes: each slot's figure's colour.
_LEGEND_STROKE = f"test(/^Ours/, datum.value) ? '{_COLOURS['Ours']}' : '{_COLOURS['Published']}'"


def published_and_ours_long(table: pd.DataFrame) -> pd.DataFrame:
    """One row per figure plotted: ``table`` (one row per published figure, with ``as_of``,
    ``partner``, ``publisher``, ``law compared``, ``published_rate`` and ``our_rate``) with
    the published and our rate in rows of their own, each with its law and its slot."""
    same = table["law compared"] == "Same law"
    long = (
        table.assign(**{LAW: same.map({True: SAME_LAW, False: OTHER_LAW})})
        .melt(
            id_vars=["as_of", "partner", "publisher", LAW],
            value_vars=["published_rate", "our_rate"],
            var_name="figure",
            value_name="effective_tariff_rate",  # all duties, MFN included (registry's name)
        )
        .assign(
            figure=lambda f: f["figure"].map({"published_rate": "Published", "our_rate": "Ours"}),
            partner=lambda f: f["partner"].map(partner_label),
        )
    )
    return long.assign(slot=long["figure"] + ", " + long[LAW].str.lower())


def published_and_ours_chart(table: pd.DataFrame) -> alt.Chart:
    """The chart of ``table``'s published figures and ours (see the module's docstring)."""
    long = published_and_ours_long(table)
    chart: alt.Chart = (
        alt.Chart(
            long,
            title=alt.Title(
                "Effective tariff rate: published and ours",
                subtitle=[
                    "Each day compared: published, then ours",
                    "Filled: the same law as ours",
                    "Hollow: another law (see the table)",
                ],
            ),
        )
        .mark_point(size=80, filled=False, strokeWidth=1.5, opacity=1)
        .encode(
            x=alt.X(
                "yearmonthdate(as_of):O",
                title=None,
                axis=alt.Axis(format="%-d %b %Y", labelAngle=-90, labelFontSize=10),
            ),
            # the day's own slot for each figure and law: no point hides another
            xOffset=alt.XOffset("slot:N", sort=list(SLOTS), scale=alt.Scale(domain=list(SLOTS))),
            y=alt.Y(
                "effective_tariff_rate:Q",
                title="Effective tariff rate (% of import value)",
                axis=alt.Axis(format=".0%"),
            ),
            # the stroke says whose figure, the fill whether it is of our law: filled if so,
            # hollow if not; the legend draws the four as the points are drawn
            color=alt.Color("figure:N", sort=list(FIGURES), scale=_FIGURE_COLOURS, legend=None),
            fill=alt.Fill(
                "slot:N",
                title="Figure, and its law",
                scale=alt.Scale(domain=list(SLOTS), range=_SLOT_FILLS),
                legend=alt.Legend(
                    symbolType="circle",
                    symbolOpacity=1,
                    symbolStrokeWidth=1.5,
                    symbolStrokeColor=alt.ExprRef(expr=_LEGEND_STROKE),
                ),
            ),
            shape=alt.Shape(
                "partner:N",
                title="Partner",
                legend=alt.Legend(
                    symbolFillColor=_LEGEND_GREY, symbolStrokeColor=_LEGEND_GREY, symbolOpacity=1
                ),
            ),
            tooltip=[
                alt.Tooltip("as_of:T", title="Date"),
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("publisher:N", title="Publisher"),
                alt.Tooltip("figure:N", title="Figure"),
                alt.Tooltip(f"{LAW}:N", title="Law"),
                alt.Tooltip("effective_tariff_rate:Q", title="Rate, all duties", format=".1%"),
            ],
        )
        .properties(width=640, height=300)
    )
    return chart
