"""The VER on Japan's cars against the tariff that gives the same volume."""

from __future__ import annotations

import pytest

from analysis.inputs.bundle import Inputs
from analysis.model.quota import tariff_equivalent_closed_form
from analysis.questions.autos import quota_equivalents, ver_versus_tariff
from analysis.questions.simulate import simulate


def test_the_ver_binds_and_its_tariff_equivalent_gives_the_same_volume(inputs: Inputs) -> None:
    ver = simulate(inputs, "ver_cars")
    i, j = ver.data.sector_index("mvh"), ver.data.partner_index("japan")
    assert ver.solution.cap_binds[i, j]
    assert ver.solution.quantity_change[i, j] == pytest.approx(0.923 - 1)
    table = ver_versus_tariff(ver)
    assert table["quantity_change"].iloc[0] == pytest.approx(table["quantity_change"].iloc[1])
    assert table["buyer_price_change"].iloc[0] == pytest.approx(table["buyer_price_change"].iloc[1])
    # The wedge is either quota rent (VER) or extra tariff revenue (tariff): the same dollars.
    extra_revenue = (
        table["tariff_revenue_on_sector_usd"].iloc[1]
        - table["tariff_revenue_on_sector_usd"].iloc[0]
    )
    assert table["quota_rent_usd"].iloc[0] == pytest.approx(extra_revenue, rel=1e-9)
    assert table["quota_rent_usd"].iloc[1] == 0.0


def test_a_quota_on_another_partner_reports_that_partners_cars_and_revenue(
    inputs: Inputs,
) -> None:
    """The latent bug of issue 19: the asked partner's units and export revenue, not Japan's."""
    import dataclasses

    import numpy as np

    base = inputs.scenario("ver_cars")
    quota = dataclasses.replace(base.quotas[0], partner="eu", cap_share_of_2024=0.5)
    ver = simulate(inputs, dataclasses.replace(base, quotas=(quota,)))
    table = ver_versus_tariff(ver, partner="eu", sector="mvh")
    row = ver.partners().loc["eu"]
    # The VER row's export revenue is the EU's row of the partner table (a separate groupby).
    assert table["focus_exports_value_change_usd"].iloc[0] == pytest.approx(
        row["exports_value_change_usd"], rel=1e-12
    )
    assert table["focus_exports_value_change_usd"].iloc[0] != pytest.approx(
        ver.partners().loc["japan", "exports_value_change_usd"]
    )
    # The EU's quantity is the cap; the data count no EU cars, so no car figure is made up.
    assert table["quantity_change"].iloc[0] == pytest.approx(0.5 - 1)
    assert np.isnan(table["focus_sector_units_change"]).all()


def test_one_caps_tariff_equivalent_against_each_law(inputs: Inputs) -> None:
    ver = simulate(inputs, "ver_cars")
    q = quota_equivalents(inputs, ver)
    # The closed form by hand, at the long-run elasticity 0.7288 (read off the cited 14%):
    # 0.923^-(1/0.7288 + 1/3.8) = exp(0.080126 x 1.63302) = exp(0.130846) = 1.13979.
    assert q.supply_elasticity == pytest.approx(0.7288, rel=1e-3)
    assert q.closed_form_rate == pytest.approx(0.1398, abs=5e-4)
    # With Japan's 2.5% MFN as the tariff before: 1.025 x 1.13979 - 1 = 0.16828.
    assert q.base_tariff_rate == pytest.approx(0.025, abs=1e-6)
    assert q.closed_form_with_base_rate == pytest.approx(0.1683, abs=5e-4)
    # The full model, the cap alone on the tariffs before 2025: Japan is a small source (5.6%
    # of US spending on cars), so it faces about sigma (1 - s) + eta s, a little less elastic
    # than sigma; the closed form at that elasticity is within a few tenths of a point.
    i, j = ver.data.sector_index("mvh"), ver.data.partner_index("japan")
    spend = ver.market.base_value_usd[i] * (1 + ver.market.base_tariff_rate[i])
    s = spend[j] / spend.sum()
    faced = 3.8 * (1 - s) + 1.0 * s
    approx = float(tariff_equivalent_closed_form(0.923, q.supply_elasticity, faced, 0.025))
    assert q.before_2025_rate == pytest.approx(approx, abs=0.003)
    assert q.before_2025_rate > q.closed_form_with_base_rate
    # In place of the car tariff of July 2025 the other partners' cars are taxed, buyers turn
    # to Japan's, and the same cap binds harder: the page's headline figure.
    assert q.others_car_tariff_rate > 0.1
    assert q.in_law_rate > q.before_2025_rate + 0.005
    assert q.in_law_rate == ver_versus_tariff(ver)["tariff_equivalent_rate"].iloc[0]
