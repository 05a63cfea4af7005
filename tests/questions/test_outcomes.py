"""The outcomes registry: one record per quantity, labels with units, numbers in their units."""

from __future__ import annotations

import re

import pytest

from analysis.questions.outcomes import (
    BUYER_COST_OUTCOMES,
    HEADLINE_OUTCOMES,
    OUTCOMES,
    number_text,
    say,
)


def test_every_headline_outcome_and_the_buyer_split_are_registered() -> None:
    assert set(HEADLINE_OUTCOMES) <= set(OUTCOMES)
    assert set(BUYER_COST_OUTCOMES) == {
        "us_buyer_duty_paid_usd",
        "us_buyer_import_price_net_of_duty_usd",
        "us_buyer_domestic_price_usd",
        "cost_per_household_before_substitution_usd",
        "cost_per_household_after_substitution_usd",
    }
    assert HEADLINE_OUTCOMES[-5:] == BUYER_COST_OUTCOMES


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_units_agree_with_the_code_name_and_labels_are_words(name: str) -> None:
    record = OUTCOMES[name]
    expected = {"_usd": "usd", "_rate": "fraction", "_change": "fraction", "rate": "fraction"}
    suffix = next((s for s in expected if name.endswith(s)), None)
    if name == "car_units_change":
        assert record.unit == "cars"
    elif suffix is not None:
        assert record.unit == expected[suffix]
    assert not re.search(r"[a-z]_[a-z]", record.label_with_unit)
    assert record.label_with_unit.endswith(")") and record.description.endswith(".")


def test_labels_carry_the_unit_readers_see() -> None:
    assert (
        OUTCOMES["japan_exports_value_change_usd"].label_with_unit
        == "Japan's exports to the US, change ($ bn)"
    )
    assert OUTCOMES["cost_per_household_usd"].label_with_unit == "Cost per US household ($)"
    assert OUTCOMES["car_units_change"].label_with_unit.endswith("(cars)")


def test_cells_are_scaled_signed_and_never_minus_zero() -> None:
    assert number_text("usd_bn", 417_986_720_127.0) == "+418.0"
    assert number_text("usd_bn", 2.373e11, signed=False) == "237.3"
    assert number_text("percent", -0.2119) == "−21.2"
    assert number_text("percent", -0.00001) == "0.0"
    assert number_text("cars", 0.4) == "0"


def test_sentences_say_no_change_rather_than_plus_zero() -> None:
    assert say("car_units_change", 0.0) == "no change"
    assert say("car_units_change", 1234.0) == "1,234 more cars"
    assert say("japan_exports_value_change", -0.00049) == "no change"
    assert say("japan_exports_value_change_usd", -24.6e9) == "−$24.6 bn"
    assert say("tariff_revenue_usd", 3.55e11) == "$355.0 bn"
    assert say("cost_per_household_usd", 3928.0) == "+$3,928"
