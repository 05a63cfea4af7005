"""The HS10 x country lines: totals against the published figures, the baseline rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis.inputs.bundle import load_inputs
from analysis.inputs.lines import LineData


@pytest.fixture(scope="module")
def lines() -> LineData:
    return load_inputs().lines.get()


def test_totals_match_the_published_figures(lines: LineData) -> None:
    # SOURCES.md section 12 / issue 16: 334,728 rows, 233 countries, $3,123,773,412,637.
    assert lines.rows == 334_728
    assert np.unique(lines.country_at).size == 233
    assert lines.hs10.size == 18_626
    assert lines.imports_usd.sum() == pytest.approx(3_123_773_412_637, abs=334_728)


def test_region_totals_equal_the_sector_partner_file() -> None:
    inputs = load_inputs()
    lines = inputs.lines.get()
    by_cell = np.zeros(inputs.data.imports_usd.shape)
    np.add.at(by_cell, (lines.sector_at, lines.region_at), lines.imports_usd)
    assert np.allclose(by_cell, inputs.data.imports_usd, rtol=1e-6, atol=1e4)


def test_the_eu_aggregate_is_never_a_country(lines: LineData) -> None:
    codes = {c.cty_code for c in lines.countries.countries}
    assert "0003" not in codes
    assert set(np.unique(lines.applied_basis)) == {"own", "eu_aggregate", "none"}


def test_the_baseline_keeps_usmca_and_strips_section_301(lines: LineData) -> None:
    w = lines.imports_usd
    mexico = lines.region_at == lines.partners.index("mexico")
    china = lines.region_at == lines.partners.index("china")
    # USMCA: Mexico's applied rate is a fraction of the 3.7% column-1 average.
    assert (lines.baseline_rate[mexico] @ w[mexico]) / w[mexico].sum() < 0.005
    # China: the 2024 calculated duty (10.9% with Section 301) is capped at column 1.
    assert (lines.baseline_rate[china] @ w[china]) / w[china].sum() < 0.04
    assert lines.baseline_rate.min() >= 0.0


def test_usmca_claims_before_july_2025_take_the_mean_of_july_to_december() -> None:
    from analysis.inputs.lines import settled_before_reporting_change

    months = (*(dt.date(2025, m, 1) for m in range(5, 13)), dt.date(2026, 1, 1))
    nan = np.nan
    # Row 0 claims 0 in May-June (the reporting gap), then 0.9, 0.8, 1.0, 0.9, 0.9, 0.9;
    # row 1 trades only in May (keeps it); row 2 trades in two later months only.
    shares = np.array(
        [
            [0.0, 0.5, 0.7],
            [0.0, nan, nan],
            [0.9, nan, 0.2],
            [0.8, nan, nan],
            [1.0, nan, 0.4],
            [0.9, nan, nan],
            [0.9, nan, nan],
            [0.9, nan, nan],
            [0.3, nan, 0.1],  # January 2026: never replaced
        ]
    )
    out = settled_before_reporting_change(months, shares)
    np.testing.assert_allclose(out[0], [0.9, 0.5, 0.3])  # (0.9+0.8+1+0.9+0.9+0.9)/6; (0.2+0.4)/2
    np.testing.assert_allclose(out[1], [0.9, nan, 0.3])
    np.testing.assert_allclose(out[2:], shares[2:])


def test_pickled_lazy_lines_carry_none_of_their_parts_nor_their_scope() -> None:
    import pickle

    from analysis.inputs import shared

    lazy = load_inputs().lines
    lazy.share_as("a build's scope")
    lazy.get()
    copy = pickle.loads(shared.dumps(lazy))
    assert len(shared.dumps(lazy)) < len(shared.dumps(lazy.get())) // 10
    assert copy._lines is None and copy._scope is None
    assert copy.get().hs10.tobytes() == lazy.get().hs10.tobytes()
