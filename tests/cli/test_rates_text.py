"""Rates by partner or sector: the parts by authority add up, weights are 2024 imports."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest

from analysis.cli.rates_text import print_rates, rates_frame
from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_date


def test_partner_rows_match_the_schedules_own_weighting(inputs: Inputs) -> None:
    schedule = schedule_for_date(dt.date(2026, 11, 28), inputs.data, inputs.measures)
    frame = rates_frame(schedule, "partner")
    eff = schedule.effective_rates()
    for partner in eff.index:
        assert frame.loc[partner, "tariff_rate"] == pytest.approx(
            eff.loc[partner, "effective_tariff_rate"], rel=1e-12
        )
    parts = [c for c in frame.columns if c.endswith("_rate") and c != "tariff_rate"]
    np.testing.assert_allclose(frame[parts].sum(axis=1), frame["tariff_rate"], atol=1e-12)


def test_a_sector_with_no_imports_has_no_rate_and_text_names_sectors(inputs: Inputs) -> None:
    schedule = schedule_for_date(dt.date(2026, 11, 28), inputs.data, inputs.measures)
    frame = rates_frame(schedule, "sector")
    assert frame["tariff_rate"].isna().equals(frame["imports_usd"] == 0)
    out = io.StringIO()
    print_rates(schedule, inputs.data, "Tariffs", by="sector", out=out)
    assert "Motor vehicles and parts" in out.getvalue() and "mvh" not in out.getvalue()
