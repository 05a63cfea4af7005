"""The VER on Japan's cars against the tariff that gives the same volume."""

from __future__ import annotations

import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.autos import ver_versus_tariff
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
