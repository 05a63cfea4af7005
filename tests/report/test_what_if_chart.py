"""The what-if chart: two bound sliders filter a precomputed grid; nothing is fetched."""

from __future__ import annotations

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


def test_sliders_cover_zero_to_fifty_percent_and_the_prior_range() -> None:
    spec = what_if_chart(grid(), "japan", 0.15, 2.55, (2.5, 2.6)).to_dict()
    params = {p["name"]: p for p in spec["params"]}
    assert params["rate"]["bind"] == {
        "input": "range", "min": 0, "max": 50, "step": 2.5,
        "name": "Japan's all-in tariff rate (%) ",
    }  # fmt: skip
    assert params["rate"]["value"] == 15.0
    assert (params["sigma"]["bind"]["min"], params["sigma"]["bind"]["max"]) == (2.5, 2.6)
    assert len(spec["hconcat"]) == 3


def test_the_data_are_in_readers_units() -> None:
    spec = what_if_chart(grid(), "japan", 0.0, 2.5, (2.5, 2.6)).to_dict()
    [rows] = spec["datasets"].values()
    first = rows[-1]
    assert first["rate_pct"] == 5.0 and first["exports_value_change_usd"] == -1.3
    assert first["tariff_revenue_usd"] == 305.0  # $ bn
    assert "://" not in str(spec).replace(spec["$schema"], "")
