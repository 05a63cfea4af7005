"""Any country as a model source: split out of its region, imports and rates from its lines."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.focus import Focus
from analysis.questions.country_rates import line_schedule_on
from analysis.questions.partition import split_for
from analysis.questions.simulate import simulate


def test_a_region_is_not_split_and_a_country_is_by_any_name(inputs: Inputs) -> None:
    assert split_for("ftrow", inputs.data, inputs.countries) == ()
    assert split_for("South Korea", inputs.data, inputs.countries) == ("KOR",)
    assert split_for("KOR", inputs.data, inputs.countries) == ("KOR",)


def test_korea_split_out_of_ftrow_keeps_every_total(inputs: Inputs) -> None:
    whole = simulate(inputs, "current")
    korea = simulate(inputs, "current", focus=Focus("KOR", "mvh"))
    assert korea.data.partners[-1] == "KOR"
    ftrow, kor = korea.data.partner_index("ftrow"), korea.data.partner_index("KOR")
    before = whole.data.imports_usd[:, whole.data.partner_index("ftrow")]
    np.testing.assert_allclose(
        korea.data.imports_usd[:, ftrow] + korea.data.imports_usd[:, kor], before
    )
    # the rates of the two parts average (by 2024 imports) to ftrow's
    paid = (korea.schedule.tariff_rate * korea.data.imports_usd)[:, [ftrow, kor]].sum(axis=1)
    whole_paid = whole.schedule.tariff_rate[:, whole.data.partner_index("ftrow")] * before
    np.testing.assert_allclose(paid, whole_paid, rtol=1e-9, atol=1e-3)
    # Korea's own rate is its line-level country rate on the day (rates --partner KOR)
    rate = korea.schedule.effective_rates().loc["KOR", "effective_tariff_rate"]
    day = korea.scenario.regime_date
    by_country = line_schedule_on(inputs, day).aggregate("country")
    assert rate == pytest.approx(by_country.loc["KOR", "effective_tariff_rate"], rel=1e-12)
    assert korea.headline()["focus_exports_value_change_usd"] < 0
    assert korea.revenue is not None and whole.revenue is not None
    assert korea.revenue.collected_revenue_usd == pytest.approx(
        whole.revenue.collected_revenue_usd, rel=1e-3
    )


def test_a_split_countrys_cars_follow_the_scenarios_horizon(inputs: Inputs) -> None:
    # Long run: Korea's cars take the literature's value, as Japan's do.
    today = simulate(inputs, "current", focus=Focus("KOR", "mvh"))
    mvh = today.data.sector_index("mvh")
    supply = today.elasticities.supply_elasticity[mvh]
    kor, japan = today.data.partner_index("KOR"), today.data.partner_index("japan")
    assert supply[kor] == supply[japan] < 1
    assert -0.3 < today.headline()["focus_exports_volume_change"] < 0
    # Short run (the 2025 law): only Japan has a fit; Korea keeps its region's default.
    short = simulate(inputs, "july_2025", focus=Focus("KOR", "mvh"))
    supply = short.elasticities.supply_elasticity[mvh]
    ftrow = short.data.partner_index("ftrow")
    assert supply[short.data.partner_index("KOR")] == supply[ftrow]
    assert supply[short.data.partner_index("japan")] < 1 < supply[ftrow]
