"""Altair chart builders: the Vega-Lite specs carry the titles, encodings and data rows shown."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.report import figures


def spec(chart: Any) -> dict[str, Any]:
    """The chart as Vega-Lite JSON (``to_dict`` also validates it against the schema)."""
    out: dict[str, Any] = chart.to_dict()
    return out


def rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Every inlined data row of a spec."""
    return [row for values in d.get("datasets", {}).values() for row in values]


def network_urls(node: Any, key: str = "") -> list[str]:
    """Strings a renderer could fetch: any ``url`` field or http(s) string, except ``$schema``."""
    if isinstance(node, dict):
        return [u for k, v in node.items() if k != "$schema" for u in network_urls(v, k)]
    if isinstance(node, list):
        return [u for v in node for u in network_urls(v, key)]
    if isinstance(node, str) and (key == "url" or "://" in node):
        return [node]
    return []


def encoding(d: dict[str, Any]) -> dict[str, Any]:
    enc: dict[str, Any] = d["encoding"] if "encoding" in d else d["layer"][0]["encoding"]
    return enc


def tooltip_fields(enc: dict[str, Any]) -> list[str]:
    return [t["field"] for t in enc["tooltip"]]


LAYERS = pd.DataFrame(
    {
        "partner": ["japan", "japan", "eu"],
        "layer": ["mfn", "section232", "mfn"],
        "tariff_rate": [0.02, 0.1, 0.03],
    }
)
SECTORS = pd.DataFrame(
    {
        "sector": ["mvh", "i_s", "ele"],
        "description": ["Motor vehicles", "Iron and steel", "Electronics"],
        "value_change_usd": [-2.5e9, -4e8, 1e8],
        "value_change": [-0.1, -0.05, 0.01],
        "new_tariff_rate": [0.15, 0.5, 0.1],
        "exporter_price_change": [-0.02, -0.01, 0.0],
    }
)
SOURCES = pd.DataFrame(
    {
        "source": ["japan", "eu", "us"],
        "value_change_usd": [-3e9, 1.5e9, 1e9],
        "value_change": [-0.1, 0.02, 0.001],
    }
)


def test_layer_bars_stack_the_rates_by_layer_with_a_clickable_legend() -> None:
    d = spec(figures.layer_bars(LAYERS, "Tariff by layer"))
    enc = encoding(d)
    assert d["title"] == "Tariff by layer"
    assert d["mark"]["type"] == "bar"
    assert (enc["x"]["aggregate"], enc["x"]["field"]) == ("sum", "tariff_rate")
    assert enc["color"]["field"] == "layer"
    [param] = d["params"]
    assert param["bind"] == "legend"
    assert param["select"]["fields"] == ["layer"]
    # Partners are shown by name; every layer keeps its colour in every report.
    assert rows(d) == LAYERS.assign(partner=["Japan", "Japan", "European Union"]).to_dict("records")
    assert tooltip_fields(enc) == ["partner", "layer", "tariff_rate"]
    assert [t["title"] for t in enc["tooltip"]] == ["Partner", "Tariff layer", "Rate"]
    assert "%" in enc["x"]["title"]


def test_partners_and_layers_have_one_colour_everywhere() -> None:
    from analysis.inputs.measures import LAYER_LABELS
    from analysis.report.palette import LAYER_COLORS, PARTNER_COLORS

    layers = pd.DataFrame(
        {"partner": ["eu"], "layer": [LAYER_LABELS["section232"]], "tariff_rate": [0.1]}
    )
    scale = encoding(spec(figures.layer_bars(layers, "t")))["color"]["scale"]
    assert scale["range"] == [LAYER_COLORS[LAYER_LABELS["section232"]]]
    d = spec(figures.diversion_bars(SOURCES, "Who gains"))
    scale = encoding(d)["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        name: PARTNER_COLORS[name] for name in ("Japan", "European Union", "US producers")
    }
    assert len(set(PARTNER_COLORS.values())) == len(PARTNER_COLORS)
    assert len(set(LAYER_COLORS.values())) == len(LAYER_COLORS)


def test_sector_change_bars_show_billions_of_dollars() -> None:
    d = spec(figures.sector_change_bars(SECTORS, "Japan by sector"))
    enc = encoding(d)
    assert d["title"] == "Japan by sector"
    assert enc["x"]["field"] == "value_change_busd"
    assert "$ billion" in enc["x"]["title"]
    assert [r["value_change_busd"] for r in rows(d)] == pytest.approx([-2.5, -0.4, 0.1])
    assert d["height"] == 26 * 3
    assert "exporter_price_change" in tooltip_fields(enc)


def test_sector_change_bars_cap_the_height_of_long_tables() -> None:
    long = pd.concat([SECTORS] * 10, ignore_index=True)
    assert spec(figures.sector_change_bars(long, "t"))["height"] == 380


def test_diversion_bars_name_the_sources_and_sort_by_change() -> None:
    d = spec(figures.diversion_bars(SOURCES, "Who gains"))
    enc = encoding(d)
    assert d["title"] == "Who gains"
    assert (enc["x"]["field"], enc["x"]["sort"]) == ("source", "-y")
    assert [r["source"] for r in rows(d)] == ["Japan", "European Union", "US producers"]
    assert [r["value_change_busd"] for r in rows(d)] == pytest.approx([-3.0, 1.5, 1.0])


def test_scenario_dots_put_one_dot_per_scenario_with_the_number_format() -> None:
    table = pd.DataFrame(
        {"scenario": ["a", "b"], "title": ["A", "B"], "deadweight_loss_usd": [1e9, 2e9]}
    )
    d = spec(figures.scenario_dots(table, "deadweight_loss_usd", "DWL", fmt="$,.3~s"))
    enc = encoding(d)
    assert d["title"] == "DWL"
    assert d["mark"]["type"] == "circle"
    assert enc["x"]["field"] == "deadweight_loss_usd"
    # Dollars asked for in SI units ("2G") are drawn in billions, as the label says; the axis
    # takes the registry's format for billions of dollars.
    assert enc["x"]["axis"]["format"] == "$,.1~f"
    assert enc["tooltip"][1]["format"] == "$,.1f"
    assert d["height"] == 36 * 2
    assert enc["tooltip"][1]["title"] == "Deadweight loss ($ bn)"
    assert [r["deadweight_loss_usd"] for r in rows(d)] == [1.0, 2.0]


def test_percentile_bands_layer_a_p10_to_p90_bar_and_a_median_tick() -> None:
    bands = pd.DataFrame(
        {"label": ["a", "b"], "p10": [0.1, 0.2], "p50": [0.2, 0.3], "p90": [0.3, 0.5]}
    )
    d = spec(figures.percentile_bands(bands, "Range"))
    bars, ticks = d["layer"]
    assert bars["title"] == ticks["title"] == "Range"
    assert bars["mark"]["type"] == "bar" and ticks["mark"]["type"] == "tick"
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("p10", "p90")
    assert ticks["encoding"]["x"]["field"] == "p50"
    assert d["height"] == 36 * 2
    assert rows(d) == bands.to_dict("records")


def test_histogram_carries_the_binned_counts_not_the_draws() -> None:
    draws = pd.Series(np.arange(10.0), name="cost")
    d = spec(figures.histogram(draws, "Cost", "$,.0f", bins=5))
    data = rows(d)
    assert d["title"] == "Cost"
    assert [r["draws"] for r in data] == [2, 2, 2, 2, 2]
    assert [r["start"] for r in data] == pytest.approx([0.0, 1.8, 3.6, 5.4, 7.2])
    assert data[-1]["end"] == pytest.approx(9.0)
    assert encoding(d)["x"]["bin"] == "binned"
    [param] = d["params"]
    assert param["name"] == "range_cost"
    assert param["select"] == {"type": "interval", "encodings": ["x"]}


def test_tornado_bars_have_a_low_and_a_high_bar_per_parameter_from_the_central_value() -> None:
    table = pd.DataFrame(
        {
            "parameter": ["sigma", "eta"],
            "central": [0.1, 0.1],
            "outcome_at_low": [0.05, 0.08],
            "outcome_at_high": [0.2, 0.12],
        }
    )
    d = spec(figures.tornado_bars(table, "Tornado", ".1%"))
    enc = encoding(d)
    assert d["title"] == "Tornado"
    assert (enc["x"]["field"], enc["x2"]["field"]) == ("outcome", "central")
    assert enc["color"]["field"] == "end"
    got = {(r["parameter"], r["end"]): r["outcome"] for r in rows(d)}
    low, high = "low end of its range", "high end of its range"  # words, not column names
    assert got == {
        ("sigma", low): 0.05,
        ("eta", low): 0.08,
        ("sigma", high): 0.2,
        ("eta", high): 0.12,
    }
    assert d["height"] == 40 * 2


def test_grouped_bars_offset_the_groups_by_colour() -> None:
    table = pd.DataFrame(
        {"outcome": ["cost", "cost"], "policy": ["tariff", "VER"], "v": [1.0, 2.0]}
    )
    d = spec(figures.grouped_bars(table, "outcome", "v", "policy", "Tariff vs VER", ",.0f"))
    enc = encoding(d)
    assert d["title"] == "Tariff vs VER"
    assert enc["xOffset"]["field"] == "policy"
    assert (enc["x"]["field"], enc["y"]["field"], enc["color"]["field"]) == (
        "outcome",
        "v",
        "policy",
    )
    assert enc["y"]["axis"]["format"] == ",.0f"
    assert rows(d) == table.to_dict("records")


def test_grouped_bars_label_registered_outcomes_and_partners() -> None:
    table = pd.DataFrame({"outcome": ["tariff_revenue_usd"], "partner": ["japan"], "v": [1.0]})
    d = spec(figures.grouped_bars(table, "outcome", "v", "partner", "t", ",.0f"))
    assert rows(d) == [{"outcome": "US tariff revenue ($ bn)", "partner": "Japan", "v": 1.0}]
    assert encoding(d)["color"]["scale"]["range"] == ["#c8102e"]


def test_timeline_area_steps_the_stacked_rate_over_dates() -> None:
    timeline = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-01", "2025-04-05"]),
            "layer": ["mfn", "reciprocal"],
            "tariff_rate": [0.02, 0.1],
        }
    )
    d = spec(figures.timeline_area(timeline, "Over time"))
    enc = encoding(d)
    assert d["title"] == "Over time"
    assert d["mark"] == {"type": "area", "interpolate": "step-after"}
    assert (enc["x"]["field"], enc["x"]["type"]) == ("date", "temporal")
    assert [r["date"][:10] for r in rows(d)] == ["2025-01-01", "2025-04-05"]


def test_competitor_heatmap_centres_the_diverging_scale_on_zero() -> None:
    table = pd.DataFrame(
        {
            "description": ["Cars", "Cars", "Steel"],
            "source": ["eu", "us", "eu"],
            "value_change": [0.05, 0.01, -0.02],
            "value_change_usd": [5e8, 2e9, -1e8],
        }
    )
    d = spec(figures.competitor_heatmap(table, "Who gains where"))
    enc = encoding(d)
    assert d["title"] == "Who gains where"
    assert d["mark"]["type"] == "rect"
    assert enc["color"]["scale"] == {"scheme": "redblue", "domainMid": 0}
    assert d["height"] == 30 * 2  # one row per sector description
    assert rows(d) == table.assign(
        source=["European Union", "US producers", "European Union"]
    ).to_dict("records")


def test_no_chart_loads_anything_from_the_network() -> None:
    draws = pd.Series(np.linspace(0, 1, 50), name="x")
    charts = [
        figures.layer_bars(LAYERS, "a"),
        figures.sector_change_bars(SECTORS, "b"),
        figures.diversion_bars(SOURCES, "c"),
        figures.histogram(draws, "d", ".0%"),
    ]
    for chart in charts:
        d = spec(chart)
        assert network_urls(d) == []
        assert "url" not in d.get("data", {})
        assert rows(d)


def axis_texts(chart: Any) -> list[str]:
    """The text of every label (each line of one) the chart draws, rendered to SVG by Vega."""
    import re

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict())
    return [t.replace("&amp;", "&") for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg)]


def test_scenario_dots_axes_read_as_the_outcome_is_written() -> None:
    # Cars with thousands separators, dollars per household with a dollar sign (the d3 tick
    # labels a reader sees, drawn by Vega), whatever format the caller passed.
    cars = pd.DataFrame(
        {"scenario": ["a", "b"], "title": ["A", "B"], "focus_sector_units_change": [-180e3, -2e4]}
    )
    texts = axis_texts(figures.scenario_dots(cars, "focus_sector_units_change", "Cars"))
    assert "−100,000" in texts and "−100000" not in texts
    cost = pd.DataFrame({"scenario": ["a"], "title": ["A"], "household_cost_usd": [1600.0]})
    assert "$1,600" in axis_texts(figures.scenario_dots(cost, "household_cost_usd", "Cost"))


def test_long_category_names_wrap_onto_lines_and_are_not_cut() -> None:
    name = "Japan at 30% (threatened on 1 July 2025; never in force)"
    table = pd.DataFrame({"scenario": ["a"], "title": [name], "household_cost_usd": [1.0]})
    texts = axis_texts(figures.scenario_dots(table, "household_cost_usd", "Cost"))
    assert "Japan at 30% (threatened on 1 July 2025; never" in texts
    assert "in force)" in texts
    assert not any("…" in t for t in texts)
    # Short names are left alone.
    assert figures.wrapped_labels(["Short"]) == "datum.label"


def test_grouped_bars_name_the_focus_partner_in_outcome_labels() -> None:
    table = pd.DataFrame(
        {"outcome": ["focus_exports_value_change_usd"], "layer": ["A"], "value": [-2e9]}
    )
    d = spec(figures.grouped_bars(table, "outcome", "value", "layer", "t", "$~s", "Japan"))
    assert rows(d)[0]["outcome"] == "Japan's exports to the US, change ($ bn)"


def test_tornado_axis_takes_the_outcome_registry_format() -> None:
    table = pd.DataFrame(
        {
            "parameter": ["sigma"],
            "central": [-28e9],
            "outcome_at_low": [-32e9],
            "outcome_at_high": [-23e9],
        }
    )
    chart = figures.tornado_bars(table, "t", "~s", outcome="focus_exports_value_change_usd")
    assert "−$30" in axis_texts(chart)  # billions of dollars, no SI "G"


def test_competitor_heatmap_wraps_long_sector_names_instead_of_cutting_them() -> None:
    """Vega cuts an axis label at 180 px by default ("Computer, electronic and optical
    prod..."); the heatmap's sectors get the category axis: room for a line and wrapping."""
    long = "Computer, electronic and optical products and other very long things"
    table = pd.DataFrame(
        {"description": [long], "source": ["eu"], "value_change": [0.01], "value_change_usd": [1e8]}
    )
    axis = encoding(spec(figures.competitor_heatmap(table, "t")))["y"]["axis"]
    assert axis["labelLimit"] == figures.LABEL_PX > 180
    assert (
        '["Computer, electronic and optical products and", "other very long things"]'
        in (axis["labelExpr"])
    )


def test_grouped_bars_of_layers_take_the_layer_charts_colours() -> None:
    """The layer contribution chart colours each layer as the layer chart does (Section 232
    in the same blue on both), whatever measures its label names."""
    table = pd.DataFrame(
        {
            "outcome": ["cost", "cost"],
            "layer": ["Section 232", "Other (Section 338 Canada)"],
            "v": [1.0, 2.0],
        }
    )
    d = spec(figures.grouped_bars(table, "outcome", "v", "layer", "Contribution", ",.0f"))
    scale = encoding(d)["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours == {"Section 232": "#4e79a7", "Other (Section 338 Canada)": "#76b7b2"}
