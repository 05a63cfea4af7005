"""The backcast's gap reasons: the timing sentence spelled by hand, a reason for each partner."""

from __future__ import annotations

from analysis.questions.backcast_gap_reasons import (
    JAPAN_GAP_REASONS,
    PARTNER_GAP_REASONS,
    gap_reason,
)


def test_the_timing_sentence_is_spelled_with_signs_and_the_partners_reason() -> None:
    text = gap_reason("canada", 0.123, -0.0456)
    assert text.startswith(
        "January-March ran +12% against 2024 (front-loading before April's tariffs; the model "
        "has no timing); from April the model's change less Census's is \u22124.6 points. "
    )
    assert text.endswith(PARTNER_GAP_REASONS["canada"])
    assert "\u221212%" in gap_reason("all", -0.12, 0.0)


def test_every_partner_and_item_has_a_reason() -> None:
    assert set(PARTNER_GAP_REASONS) == {"all", "canada", "china", "eu", "mexico"}
    assert set(JAPAN_GAP_REASONS) == {
        "exports_to_us",
        "car_exports_to_us_value",
        "car_exports_to_us_units",
    }
    assert all(
        text.endswith(".") for text in [*PARTNER_GAP_REASONS.values(), *JAPAN_GAP_REASONS.values()]
    )
