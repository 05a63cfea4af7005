"""Revenue as customs collects it: hand-computed cells, and the same law whatever the baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.measures import Measure
from analysis.policy.stacking import ActiveMeasure, TariffSchedule
from analysis.questions.revenue import dutiable_value_usd, law_revenue
from analysis.questions.simulate import simulate


def _measure(mid: str) -> Measure:
    return Measure(
        mid, Path(f"{mid}.yaml"), mid, "t", "t", "x", "additive", "all", (), {}, {}, (), (), ()
    )  # type: ignore[arg-type]


def _schedule(base: list[float], added: dict[str, list[float]]) -> TariffSchedule:
    """Two cells (1 sector x 2 partners)."""
    return TariffSchedule(
        sectors=("s",),
        partners=("a", "b"),
        imports_usd=np.array([[100.0, 300.0]]),
        mfn_tariff_rate=np.array([base]),
        contributions={m: np.array([r]) for m, r in added.items()},
        layers=dict.fromkeys(added, "x"),
        section232_share=np.zeros((1, 2)),
        active=tuple(ActiveMeasure(_measure(m), 0.0, None) for m in added),  # type: ignore[arg-type]
    )


def test_revenue_by_authority_adds_up_and_ieepa_is_refunded() -> None:
    collected = _schedule(
        [0.02, 0.0],
        {"ieepa_fentanyl_x": [0.25, 0.0], "section232_steel_x": [0.5, 0.1]},
    )
    statutory = _schedule(
        [0.02, 0.0],
        {"ieepa_fentanyl_x": [0.25, 0.25], "section232_steel_x": [0.5, 0.1]},
    )
    dutiable = np.array([[80.0, 200.0]])
    got = law_revenue(collected, statutory, dutiable)
    # by hand: 2% x 80 = 1.6; IEEPA 25% x 80 = 20; Section 232 50% x 80 + 10% x 200 = 60
    assert got.revenue_by_authority_usd == pytest.approx(
        {"2024 applied rate": 1.6, "IEEPA": 20.0, "Section 232": 60.0}
    )
    assert got.collected_revenue_usd == pytest.approx(81.6)
    assert got.statutory_revenue_usd == pytest.approx(81.6 + 0.25 * 200)
    assert got.revenue_subject_to_refund_usd == pytest.approx(20.0)
    assert got.revenue_net_of_refunds_usd == pytest.approx(61.6)
    # collected equals statutory where no USMCA share is claimed (the same schedule)
    same = law_revenue(statutory, statutory, dutiable)
    assert same.collected_revenue_usd == pytest.approx(same.statutory_revenue_usd)


def test_the_dutiable_value_is_revenue_over_rate_else_the_sales_value() -> None:
    got = dutiable_value_usd(np.array([10.0, 0.0]), np.array([0.1, 0.0]), np.array([90.0, 50.0]))
    np.testing.assert_allclose(got, [100.0, 50.0])


def test_the_same_law_gives_the_same_revenue_whatever_the_baseline(inputs: Inputs) -> None:
    against_2024 = simulate(inputs, "july_2025")
    against_today = simulate(inputs, "july_2025", "current")
    a, b = against_2024.revenue, against_today.revenue
    assert a is not None and b is not None
    assert a.collected_revenue_usd == pytest.approx(b.collected_revenue_usd, rel=1e-9)
    # against the 2024 law the collected revenue is the model's own
    head = against_2024.headline()["tariff_revenue_usd"]
    assert a.collected_revenue_usd == pytest.approx(head, rel=1e-9)
    # the fentanyl tariffs exempt USMCA goods: statutory (nothing claimed) is above collected
    assert a.statutory_revenue_usd > a.collected_revenue_usd
    assert sum(a.revenue_by_authority_usd.values()) == pytest.approx(a.collected_revenue_usd)
    assert a.revenue_subject_to_refund_usd == pytest.approx(a.revenue_by_authority_usd["IEEPA"])


def test_the_2024_law_claims_no_usmca_measure(inputs: Inputs) -> None:
    got = simulate(inputs, "mfn_only").revenue
    assert got is not None
    assert got.collected_revenue_usd == pytest.approx(got.statutory_revenue_usd)


def test_a_quota_scenario_reports_its_tariff_equivalent(inputs: Inputs) -> None:
    result = simulate(inputs, "ver_cars")
    (quota,) = result.payload()["quotas"]
    i, j = result.market.sector_index("mvh"), result.market.source_index("japan")
    q = 1.0 + float(result.solution.quantity_change[i, j])
    assert q == pytest.approx(quota["cap_share_of_2024"], rel=1e-6)  # the cap binds
    # on the supply curve w = q^(1/e): (1 + t) = (1 + t0) p / q^(1/e)
    e = float(result.elasticities.supply_elasticity[i, j])
    p = 1.0 + float(result.solution.buyer_price_change[i, j])
    t0 = float(result.market.base_tariff_rate[i, j])
    assert quota["ver_tariff_equivalent"] == pytest.approx(
        (1 + t0) * p / q ** (1 / e) - 1, rel=1e-6
    )
