"""Our rates by country beside the published ones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis.inputs.bundle import load_inputs
from analysis.questions.country_rates import compare_countries, published_on

PUBLISHED = pd.DataFrame(
    {
        "from_date": ["2025-04-05", "2025-08-07", "2025-04-05"],
        "cty_code": ["5880", "5880", "5800"],
        "additional_tariff_rate": [0.10, 0.15, 0.10],
    }
)


def test_the_published_figure_is_the_latest_on_or_before_the_day() -> None:
    assert published_on(PUBLISHED, "5880", dt.date(2025, 8, 6)) == (0.10, "2025-04-05")
    assert published_on(PUBLISHED, "5880", dt.date(2025, 8, 7)) == (0.15, "2025-08-07")
    rate, since = published_on(PUBLISHED, "5880", dt.date(2025, 1, 1))
    assert np.isnan(rate) and since == ""


def test_countries_beside_the_tradewartracker() -> None:
    table = compare_countries(load_inputs(), [dt.date(2025, 5, 20)], ["JPN", "Germany", "ftrow"])
    assert list(table["country"]) == ["JPN", "DEU"]  # a region has no country figure
    germany = table.set_index("country").loc["DEU"]
    assert germany["published_for"] == "EU" and germany["published_from"] == "2025-05-12"
    japan = table.set_index("country").loc["JPN"]
    # 12 May 2025 (the tracker's row): Japan 15.3% (country-by-time.csv, SOURCES.md section 15).
    assert japan["published_additional_rate"] == pytest.approx(0.153212, abs=1e-6)
    assert japan["gap_rate"] == pytest.approx(
        japan["our_additional_rate"] - japan["published_additional_rate"]
    )


def test_each_largest_supplier_gap_has_its_reason() -> None:
    from analysis.questions.country_rates import GAP_REASONS, LARGEST_SUPPLIERS, country_gaps

    assert set(LARGEST_SUPPLIERS) == set(GAP_REASONS)
    table = country_gaps(load_inputs(), [dt.date(2025, 5, 20)], ["CHE", "MEX"])
    assert list(table["country"]) == ["CHE", "MEX"]
    assert table.set_index("country").loc["CHE", "why"] == GAP_REASONS["CHE"]
