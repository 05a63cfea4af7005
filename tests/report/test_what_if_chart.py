"""The what-if chart: two bound sliders filter a precomputed grid; nothing is fetched."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from analysis.report.what_if_chart import what_if_chart


def grid() -> pd.DataFrame:
    rates, sigmas = np.array([0.0, 0.025, 0.05]), np.array([2.5, 2.6])
    r, s = np.meshgrid(rates, sigmas)
    return pd.DataFrame(
        {
            "tariff_rate": r.ravel(),
            "substitution_elasticity": s.ravel(),
            "exports_value_change_usd": -1e10 * r.ravel() * s.ravel(),
            "us_buyer_cost_usd": 1000 * r.ravel(),
            "tariff_revenue_usd": 3e11 + 1e11 * r.ravel(),
        }
    )


def test_sliders_cover_the_grid_and_the_prior_range_and_start_at_the_given_rate() -> None:
    spec = what_if_chart(grid(), "japan", 0.025, 2.55, (2.5, 2.6)).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["rate_step"]["bind"] == {
        "input": "range", "min": 0, "max": 2, "step": 1,
        "name": "Japan's tariff, all duties (%) ",
    }  # fmt: skip
    assert params["rate"]["expr"] == "[0.0, 2.5, 5.0][rate_step]"
    assert params["rate_step"]["value"] == 1  # 2.5%
    assert (params["sigma"]["bind"]["min"], params["sigma"]["bind"]["max"]) == (2.5, 2.6)
    sentence, panels = spec["vconcat"]
    assert sentence["mark"]["type"] == "text"  # the sentence above the panels
    assert len(panels["hconcat"]) == 3


def test_the_sentence_follows_the_sliders_in_the_headline_format() -> None:
    """Drawn by Vega at the sliders' first values: the rate's row of the grid, written as
    :func:`say` writes it (hand-computed: -1e10 x 0.025 x 2.5 = -$0.625 bn)."""
    import vl_convert as vlc

    from analysis.report.charts import vegalite_version

    spec = what_if_chart(grid(), "japan", 0.025, 2.5, (2.5, 2.6)).to_dict()
    svg = vlc.vegalite_to_svg(spec, vl_version=vegalite_version())
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert lines[:5] == [
        "Tariff 2.5% (all duties), elasticity 2.5:",
        "Japan's exports to the US",
        "change by \u2212$0.6 bn a year;",
        "all US buyers' extra cost: $0.0 bn;",
        "US tariff revenue: $303 bn a year.",  # $302.5 bn to three figures
    ]


def test_plural_partners_read_as_plurals() -> None:
    spec = what_if_chart(grid(), "ftrow", 0.025, 2.5, (2.5, 2.6)).to_dict()
    text = json.dumps(spec)
    assert "Other FTA partners' exports" in text and "partners's" not in text
    assert "What if other FTA partners' tariff were different?" in text


def test_the_data_are_in_readers_units() -> None:
    spec = what_if_chart(grid(), "japan", 0.0, 2.5, (2.5, 2.6)).to_dict()
    [rows] = spec["datasets"].values()
    first = rows[-1]
    assert first["rate_pct"] == 5.0 and first["exports_value_change_usd"] == -1.3
    assert first["tariff_revenue_usd"] == 305.0  # $ bn
    assert "://" not in str(spec).replace(spec["$schema"], "")


def test_the_laws_own_rate_is_a_step_of_the_slider_between_round_rates() -> None:
    """A law's rate off the round steps (Japan today: 14.13%) is a step of its own, so the
    slider starts on it (thumb and label agree) and comes back to it after any move; the round
    rates on either side (12.5%, 15%) stay steps too."""
    rates, sigmas = np.array([0.0, 0.125, 0.1413, 0.15, 0.5]), np.array([2.5])
    r, s = np.meshgrid(rates, sigmas)
    table = (
        grid()
        .iloc[:0]
        .reindex(range(r.size))
        .assign(tariff_rate=r.ravel(), substitution_elasticity=s.ravel())
        .fillna(0.0)
    )
    spec = what_if_chart(table, "japan", 0.1413, 2.5, (2.5, 2.5)).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["rate"]["expr"] == "[0.0, 12.5, 14.13, 15.0, 50.0][rate_step]"
    assert params["rate_step"]["value"] == 2
    assert params["rate_step"]["bind"]["max"] == 4
