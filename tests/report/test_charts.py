"""Offline charts: Altair emits our mimetype with an SVG fallback."""

from __future__ import annotations

import nbformat
import pytest
from helpers import BAR_SPEC

from analysis.report import enable_offline_charts
from analysis.report.charts import (
    DEFERRED_SVG,
    DEFERRED_SVG_ENV,
    SVG_MIME,
    VL_MIME,
    offline_renderer,
    with_description,
)


def test_offline_renderer_gives_spec_and_svg_fallback() -> None:
    bundle = offline_renderer(BAR_SPEC)
    shown = dict(bundle[VL_MIME])
    # Legends get room for their labels (Vega cuts them at 160 px); the rest is the spec.
    assert shown.pop("config") == {"legend": {"labelLimit": 360, "titleLimit": 360}}
    assert shown.pop("description").startswith("Chart")  # its accessible name
    assert shown == BAR_SPEC
    assert bundle[SVG_MIME].lstrip().startswith("<svg")
    assert SVG_MIME not in offline_renderer(BAR_SPEC, svg_fallback=False)


def test_a_build_kernel_leaves_the_svg_to_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEFERRED_SVG_ENV, "1")
    bundle = offline_renderer(BAR_SPEC)
    assert bundle[SVG_MIME] == DEFERRED_SVG
    assert bundle[VL_MIME] == offline_renderer(BAR_SPEC, svg_fallback=False)[VL_MIME]


def test_enable_offline_charts_makes_altair_emit_our_mimetype() -> None:
    import altair as alt

    before = alt.renderers.active
    try:
        enable_offline_charts(svg_fallback=False)
        chart = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")
        bundle = chart._repr_mimebundle_()
        assert VL_MIME in bundle
        # nbformat accepts it (Altair's own 'v6.json' key makes papermill fail validation).
        out = nbformat.v4.new_output("display_data", data=bundle)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[out])])
        nbformat.validate(nb)
    finally:
        alt.renderers.enable(before)


def test_a_charts_accessible_name_is_its_title_in_words() -> None:
    beside = "Its data are in the CSV file linked below the chart."
    said = with_description({"title": "Tariff by partner", "mark": "bar"})["description"]
    assert said == f"Chart: Tariff by partner. {beside}"
    # A title with a subtitle, a title of lines, a layered chart's first titled layer.
    titled = {"title": {"text": "Rates", "subtitle": "Hollow: another law"}}
    assert with_description(titled)["description"] == f"Chart: Rates: Hollow: another law. {beside}"
    assert with_description({"title": ["Two", "lines"]})["description"].startswith(
        "Chart: Two lines."
    )
    layered = {"layer": [{"mark": "rule"}, {"title": "Inner", "mark": "bar"}]}
    assert with_description(layered)["description"].startswith("Chart: Inner.")
    assert with_description({"mark": "bar"})["description"] == f"Chart. {beside}"
    own = {"description": "Set by the chart", "title": "T"}
    assert with_description(own) == own
