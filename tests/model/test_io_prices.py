"""The input-output price model against cases solved by hand and its limits."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.model.io_prices import IOPriceSystem, import_coefficients, io_prices, pce_weights


def _system(requirements: np.ndarray, share: list[float]) -> IOPriceSystem:
    # Industry 1 uses 0.2 of imported good 1 per dollar of output, industry 2 uses 0.1 of
    # imported good 2; PCE buys $60 (producers' value) of good 1 and $20 of good 2, out of
    # $100 at purchasers' value.
    return IOPriceSystem(
        import_coefficients=import_coefficients(
            np.array([[20.0, 0.0], [0.0, 5.0]]), np.array([100.0, 50.0])
        ),
        domestic_requirements=requirements,
        import_share=np.array(share),
        pce_weight=pce_weights(np.array([60.0, 20.0]), 100.0),
    )


def test_two_sectors_one_way_chain_by_hand() -> None:
    # Industry 2 buys 0.5 of domestic good 1 per dollar of output; industry 1 buys nothing
    # domestic. Inverse of [[1, -0.5], [0, 1]] is [[1, 0.5], [0, 1]].
    # Import prices +10% and +20%: z = (0.2 x 0.1, 0.1 x 0.2) = (0.02, 0.02);
    # p_D1 = 0.02, p_D2 = 0.5 x 0.02 + 0.02 = 0.03.
    # Import shares 0.25 and 0.5: p1 = 0.25 x 0.1 + 0.75 x 0.02 = 0.04,
    # p2 = 0.5 x 0.2 + 0.5 x 0.03 = 0.115. Pi = 0.6 x 0.04 + 0.2 x 0.115 = 0.047.
    system = _system(np.array([[1.0, 0.5], [0.0, 1.0]]), [0.25, 0.5])
    out = io_prices(system, np.array([0.1, 0.2]))
    np.testing.assert_allclose(out.industry_cost_change, [0.02, 0.02])
    np.testing.assert_allclose(out.domestic_price_change, [0.02, 0.03])
    np.testing.assert_allclose(out.use_price_change, [0.04, 0.115])
    assert out.consumer_price_level_change == pytest.approx(0.047)
    # direct: 0.6 x 0.025 + 0.2 x 0.1 = 0.035; supply chain: 0.6 x 0.015 + 0.2 x 0.015 = 0.012
    assert out.direct_change == pytest.approx(0.035)
    assert out.supply_chain_change == pytest.approx(0.012)


def test_two_sectors_with_feedback_by_hand() -> None:
    # Domestic input coefficients B_D = [[0.1, 0.2], [0.3, 0.1]] (row: input, column: user).
    # Price equations p = B_D' p + z with z = (0.02, 0.02):
    #   0.9 p1 - 0.3 p2 = 0.02 and -0.2 p1 + 0.9 p2 = 0.02; determinant 0.75;
    #   p1 = (0.018 + 0.006) / 0.75 = 0.032, p2 = (0.018 + 0.004) / 0.75 = 0.0293333...
    # The Leontief inverse (I - B_D)^-1 = [[0.9, 0.2], [0.3, 0.9]] / 0.75.
    requirements = np.array([[0.9, 0.2], [0.3, 0.9]]) / 0.75
    out = io_prices(_system(requirements, [0.0, 0.0]), np.array([0.1, 0.2]))
    np.testing.assert_allclose(out.domestic_price_change, [0.032, 0.022 / 0.75])
    assert out.consumer_price_level_change == pytest.approx(0.6 * 0.032 + 0.2 * 0.022 / 0.75)


def test_no_imports_no_change() -> None:
    system = IOPriceSystem(
        import_coefficients=np.zeros((2, 2)),
        domestic_requirements=np.array([[1.2, 0.3], [0.1, 1.1]]),
        import_share=np.zeros(2),
        pce_weight=np.array([0.5, 0.3]),
    )
    out = io_prices(system, np.array([0.25, 0.1]), response_scale=1.326)
    assert out.consumer_price_level_change == 0.0
    np.testing.assert_array_equal(out.use_price_change, 0.0)


def test_everything_imported_gives_the_pce_weighted_import_price_change() -> None:
    # All of each good is imported and no domestic input is imported: Pi = sum_c w_c tau_c.
    system = IOPriceSystem(
        import_coefficients=np.zeros((3, 2)),
        domestic_requirements=np.ones((2, 3)),
        import_share=np.ones(3),
        pce_weight=pce_weights(np.array([30.0, 20.0, 10.0]), 80.0),
    )
    out = io_prices(system, np.array([0.1, 0.2, 0.4]))
    assert out.consumer_price_level_change == pytest.approx((3.0 + 4.0 + 4.0) / 80.0)
    # A uniform change with every dollar of PCE at producers' value is the change itself.
    flat = IOPriceSystem(np.zeros((3, 2)), np.ones((2, 3)), np.ones(3), np.full(3, 1 / 3))
    assert io_prices(flat, np.full(3, 0.15)).consumer_price_level_change == pytest.approx(0.15)


def test_response_scale_and_import_share_override() -> None:
    system = _system(np.array([[1.0, 0.5], [0.0, 1.0]]), [0.25, 0.5])
    base = io_prices(system, np.array([0.1, 0.2]))
    scaled = io_prices(system, np.array([0.1, 0.2]), response_scale=1.5)
    assert scaled.consumer_price_level_change == pytest.approx(
        1.5 * base.consumer_price_level_change
    )
    # With no imports of the goods themselves only the supply chain is left:
    # 0.6 x 0.02 + 0.2 x 0.03 = 0.018.
    chain = io_prices(system, np.array([0.1, 0.2]), import_share=np.zeros(2))
    assert chain.consumer_price_level_change == pytest.approx(0.018)


def test_zero_output_industry_has_no_coefficients() -> None:
    np.testing.assert_array_equal(
        import_coefficients(np.array([[5.0, 3.0]]), np.array([0.0, 10.0])), [[0.0, 0.3]]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"domestic_requirements": np.ones((2, 2))}, "industry x commodity"),
        ({"import_share": np.array([0.5, 1.2, 0.0])}, r"\[0, 1\]"),
        ({"pce_weight": np.ones(2)}, "one entry per commodity"),
    ],
)
def test_inconsistent_shapes_are_refused(kwargs: dict[str, np.ndarray], message: str) -> None:
    args = {
        "import_coefficients": np.zeros((3, 2)),
        "domestic_requirements": np.ones((2, 3)),
        "import_share": np.zeros(3),
        "pce_weight": np.ones(3),
    }
    with pytest.raises(ValueError, match=message):
        IOPriceSystem(**{**args, **kwargs})
