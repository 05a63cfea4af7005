"""Offline charts: Altair emits our mimetype with an SVG fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    vegalite_version,
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


def _altair_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Altair's own copy and channel converter, for this test (the fast ones may be in place)."""
    from altair.utils import schemapi

    from analysis.report.charts import ALTAIR_ORIGINALS, use_fast_chart_building

    use_fast_chart_building()  # records the originals if no test did yet
    monkeypatch.setattr(schemapi, "_deep_copy", ALTAIR_ORIGINALS["deep_copy"])
    monkeypatch.setattr(schemapi._FromDict, "__init__", ALTAIR_ORIGINALS["from_dict_init"])


def _report_like_charts() -> list[object]:
    """Charts as the reports build them: layered, concatenated, with bound parameters,
    string channels, tooltips and conditions."""
    import altair as alt
    import pandas as pd

    from analysis.report.what_if_chart import what_if_chart
    from tests.report.test_what_if_chart import grid

    data = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, -4.0], "k": ["a", "b"]})
    pick = alt.selection_point(fields=["k"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x="x:Q",
            y=alt.Y("k:N", sort="-x"),
            color=alt.condition(pick, alt.value("#c8102e"), alt.value("#999")),
            tooltip=["k:N", alt.Tooltip("y:Q", format=".1f")],
        )
        .add_params(pick)
    )
    rule = alt.Chart(data).mark_rule(strokeDash=[4, 3]).encode(x="mean(x):Q")
    return [
        what_if_chart(grid(), "japan", 0.025, 2.5, (2.5, 2.6), {"tariff_revenue_usd": 3e11}),
        (bars + rule).properties(title="Layered", width=200) | rule,
        alt.vconcat(bars, rule).properties(title="Stacked"),
        alt.Chart({"values": [{"x": 1, "y": 2}]}).mark_point().encode(x="x:Q", y="y:Q"),
    ]


def test_fast_chart_building_gives_altairs_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same charts built with Altair's own copy and converter and with ours: the same
    spec, key for key (what the notebook stores)."""
    import json

    from analysis.report.charts import use_fast_chart_building

    with monkeypatch.context() as shipped:
        _altair_as_shipped(shipped)
        theirs = [json.dumps(c.to_dict(), sort_keys=True) for c in _report_like_charts()]  # type: ignore[attr-defined]
    use_fast_chart_building()
    ours = [json.dumps(c.to_dict(), sort_keys=True) for c in _report_like_charts()]  # type: ignore[attr-defined]
    assert ours == theirs


def _mutables(obj: object) -> list[object]:
    """Every schema object, list and dict inside ``obj`` (``obj`` included)."""
    from altair.utils.schemapi import SchemaBase

    found: list[object] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, SchemaBase):
            found.append(item)
            stack.extend(item._args)
            stack.extend(item._kwds.values())
        elif isinstance(item, list):
            found.append(item)
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
    return found


def test_fast_deep_copy_is_a_deep_copy_equal_to_altairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deep copy equals the chart and Altair's copy of it, shares none of its schema
    objects, lists or dicts, and keeps the ``ignore``d keys (here the data) by reference."""
    from analysis.report.charts import use_fast_chart_building

    for chart in _report_like_charts():
        with monkeypatch.context() as shipped:
            _altair_as_shipped(shipped)
            theirs = chart.copy(deep=True)  # type: ignore[attr-defined]
        use_fast_chart_building()
        ours = chart.copy(deep=True)  # type: ignore[attr-defined]
        assert ours == chart == theirs
        originals = {id(m) for m in _mutables(chart)}
        assert not originals & {id(m) for m in _mutables(ours)}
        assert chart.copy(deep=True, ignore=["data"]) == chart  # type: ignore[attr-defined]
    values = _report_like_charts()[-1]  # data given as a dict: copied, unless ignored
    assert values.copy(deep=True)._kwds["data"] is not values._kwds["data"]  # type: ignore[attr-defined]
    assert values.copy(deep=True, ignore=["data"])._kwds["data"] is values._kwds["data"]  # type: ignore[attr-defined]


def test_fast_chart_building_leaves_another_altair_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With an Altair other than the one the replacements were checked against, its own
    copy and channel converter stay in place."""
    import altair as alt
    from altair.utils import schemapi

    from analysis.report import charts

    with monkeypatch.context() as shipped:
        _altair_as_shipped(shipped)
        shipped.setattr(alt, "__version__", "9.9.9")
        charts.use_fast_chart_building()
        assert schemapi._deep_copy is charts.ALTAIR_ORIGINALS["deep_copy"]
        assert schemapi._FromDict.__init__ is charts.ALTAIR_ORIGINALS["from_dict_init"]
    assert alt.__version__ == charts.FAST_ALTAIR  # the pinned Altair: the fast path is tested


def test_the_svg_fonts_file_names_no_font_folder_but_its_own_fontless_one() -> None:
    import xml.etree.ElementTree as ET

    from analysis.report.charts import FONTS_CONF

    dirs = ET.parse(FONTS_CONF).getroot().findall("dir")
    assert [(d.get("prefix"), d.text) for d in dirs] == [("relative", ".")]
    assert not ET.parse(FONTS_CONF).getroot().findall("include")
    fonts = [p for p in FONTS_CONF.parent.rglob("*") if p.suffix.lower() in FONT_SUFFIXES]
    assert fonts == [] and FONTS_CONF.parent.is_dir()


FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
#: A font vl-convert does not embed (only Liberation Sans): DejaVu Sans, where the machine has it.
OTHER_FONT = next(iter(sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))), None)
#: A text in that font: Vega sizes the chart (autosize "pad") by the text's measured width.
TEXT_IN_OTHER_FONT = {
    "data": {"values": [{}]},
    "mark": {"type": "text", "font": "DejaVu Sans", "fontSize": 40, "align": "left"},
    "encoding": {"text": {"value": "iiii WWWW"}},
}
DRAW = """
import json, os, sys
spec = json.loads(sys.argv[2])
if sys.argv[1] == "ours":
    from analysis.report.charts import svg_of
    print(svg_of(spec))
else:
    import vl_convert as vlc
    print(vlc.vegalite_to_svg(spec, vl_version=sys.argv[3]))
print(os.environ.get("FONTCONFIG_FILE"))
"""


def _drawn_in_a_new_process(how: str, fonts: Path, tmp_path: Path) -> tuple[str, str]:
    """The SVG of :data:`TEXT_IN_OTHER_FONT` drawn in a new Python whose fontconfig file
    names the machine's fonts as the folder ``fonts`` (``svg_of``: ours; else vl-convert as it
    is), and that process's ``$FONTCONFIG_FILE`` after drawing."""
    conf = tmp_path / f"{fonts.name}.conf"
    conf.write_text(f"<fontconfig><dir>{fonts}</dir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    version = vegalite_version()
    args = [sys.executable, "-c", DRAW, how, json.dumps(TEXT_IN_OTHER_FONT), version]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    svg, _, after = done.stdout.rstrip("\n").rpartition("\n")
    assert after == str(conf)  # put back as it was
    return svg, after


@pytest.mark.skipif(OTHER_FONT is None, reason="no DejaVu Sans on this machine")
def test_the_svg_copy_does_not_depend_on_the_machines_fonts(tmp_path: Path) -> None:
    assert OTHER_FONT is not None
    machine, bare = tmp_path / "machine", tmp_path / "bare"
    machine.mkdir()
    bare.mkdir()
    (machine / OTHER_FONT.name).symlink_to(OTHER_FONT)
    ours, _ = _drawn_in_a_new_process("ours", machine, tmp_path)
    with_the_machines, _ = _drawn_in_a_new_process("vl-convert", machine, tmp_path)
    embedded_only, _ = _drawn_in_a_new_process("vl-convert", bare, tmp_path)
    assert ours.lstrip().startswith("<svg")
    assert ours == embedded_only  # measured with vl-convert's own font only ...
    assert with_the_machines != embedded_only  # ... where the machine's font would differ
