"""The outcomes registry: one record per quantity, labels with units, numbers in their units."""

from __future__ import annotations

import re

import pytest

from analysis.questions.outcomes import (
    BUYER_COST_OUTCOMES,
    CONSUMER_PRICE_OUTCOMES,
    HEADLINE_OUTCOMES,
    MARKET_OUTCOMES,
    OUTCOMES,
    number_text,
    say,
)


def test_every_headline_outcome_is_registered_with_a_formula() -> None:
    assert set(HEADLINE_OUTCOMES) <= set(OUTCOMES)
    assert all(OUTCOMES[n].formula is not None for n in HEADLINE_OUTCOMES)
    assert set(BUYER_COST_OUTCOMES) <= set(HEADLINE_OUTCOMES)
    assert set(CONSUMER_PRICE_OUTCOMES) | set(MARKET_OUTCOMES) == set(HEADLINE_OUTCOMES)


def test_one_name_per_quantity() -> None:
    """The duplicate names the issue lists are gone."""
    for gone in (
        "baseline_tariff_rate",
        "scenario_tariff_rate",
        "imports_2024_usd",
        "japan_exporter_revenue_change_usd",
        "cost_per_household_usd",
        "cost_per_household_before_substitution_usd",
    ):
        assert gone not in OUTCOMES


def test_focus_labels_name_the_partner() -> None:
    record = OUTCOMES["focus_exports_value_change_usd"]
    assert record.text_with_unit("Japan") == "Japan's exports to the US, change ($ bn)"
    assert record.text_with_unit("European Union").startswith("European Union's exports")
    assert OUTCOMES["focus_exporter_price_change"].text("Japan", "motor vehicles and parts") == (
        "Japan, motor vehicles and parts: export price, change"
    )


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_units_agree_with_the_code_name_and_labels_are_words(name: str) -> None:
    record = OUTCOMES[name]
    expected = {"_usd": "usd", "_rate": "fraction", "_change": "fraction", "rate": "fraction"}
    suffix = next((s for s in expected if name.endswith(s)), None)
    if name == "focus_sector_units_change":
        assert record.unit == "cars"
    elif suffix is not None:
        assert record.unit == expected[suffix]
    assert not re.search(r"[a-z]_[a-z]", record.label_with_unit)
    assert record.label_with_unit.endswith(")") and record.description.endswith(".")


def test_labels_carry_the_unit_readers_see() -> None:
    assert (
        OUTCOMES["focus_exports_value_change_usd"].label_with_unit
        == "The focus partner's exports to the US, change ($ bn)"
    )
    assert OUTCOMES["household_cost_usd"].label_with_unit == "Cost per US household ($)"
    assert OUTCOMES["us_buyer_cost_usd"].label_with_unit == "All US buyers' extra cost ($ bn)"
    assert OUTCOMES["focus_sector_units_change"].label_with_unit.endswith("(cars)")


def test_cells_are_scaled_signed_and_never_minus_zero() -> None:
    assert number_text("usd_bn", 417_986_720_127.0) == "+418.0"
    assert number_text("usd_bn", 2.373e11, signed=False) == "237.3"
    assert number_text("percent", -0.2119) == "−21.2"
    assert number_text("percent", -0.00001) == "0.0"
    assert number_text("cars", 0.4) == "0"


def test_sentences_say_no_change_rather_than_plus_zero() -> None:
    assert say("focus_sector_units_change", 0.0) == "no change"
    assert say("focus_sector_units_change", 1234.0) == "1,230 more cars"  # 3 figures
    assert say("focus_exports_value_change", -0.00049) == "no change"
    assert say("focus_exports_value_change_usd", -24.6e9) == "−$24.6 bn"
    assert say("tariff_revenue_usd", 3.55e11) == "$355 bn"  # 3 figures
    assert say("us_buyer_cost_per_household_usd", 3928.0) == "+$3,930"  # 3 figures


def test_the_consumer_price_level_shows_two_decimals() -> None:
    # Published estimates are quoted to the hundredth of a point (the Budget Lab: +0.81%).
    assert say("consumer_price_level_change", 0.0071938) == "+0.72%"
    assert say("household_cost_usd", 1088.98) == "+$1,090"  # 3 figures (published: $2,300)


def test_model_estimates_in_whole_units_show_three_significant_figures() -> None:
    """Cars and dollars per household are model estimates whose 80% range spans a quarter
    of them: "85,695 fewer cars" becomes "85,700 fewer cars", a range to the same place."""
    from analysis.questions.outcomes import ESTIMATE_FIGURES, significant_places

    assert ESTIMATE_FIGURES == 3
    assert say("focus_sector_units_change", -85_695) == "85,700 fewer cars"
    assert say("focus_sector_units_change", -71_238) == "71,200 fewer cars"
    assert say("focus_sector_units_change", -161_625) == "162,000 fewer cars"
    assert say("focus_sector_units_change", 12) == "12 more cars"
    assert say("household_cost_usd", 1_032.4) == "+$1,030"
    assert say("us_buyer_cost_per_household_usd", 2_815) == "+$2,820"
    assert number_text("cars", -85_695, significant=3) == "−85,700"
    assert number_text("cars", -85_695) == "−85,695"  # unregistered: as it is
    # Billions too: one decimal below $100 bn, none above (not "+$171.5 bn"); percentages
    # keep their decimals (3 or more figures already).
    assert say("tariff_revenue_change_usd", 171.5e9) == "+$172 bn"
    assert say("tariff_revenue_change_usd", 71.54e9) == "+$71.5 bn"
    assert say("tariff_revenue_usd", 1_234.5e9) == "$1,230 bn"
    assert say("focus_exports_value_change", -0.194) == "−19.4%"
    assert significant_places(85_695, 3) == -2 and significant_places(0.0123, 3) == 4


def test_a_table_rounds_a_model_estimate_like_a_sentence() -> None:
    import pandas as pd

    from analysis.report.tables import columns_of

    frame = pd.DataFrame({"focus_sector_units_change": [-85_695.0], "base_value_usd": [5.1e10]})
    shown = columns_of(frame)
    assert shown["focus_sector_units_change"].render(-85_695.0) == "−85,700"
    assert shown["base_value_usd"].render(51_234_000_000.0) == "51.2"  # data: as before


def test_only_a_households_cost_is_labelled_per_household() -> None:
    # All US buyers' extra cost divided by households is not what a household pays (firms and
    # government buy too): its label must not read as "per household" (FINDINGS5 #10).
    for name, record in OUTCOMES.items():
        if name.startswith("us_buyer_cost_per_household"):
            assert "per household" not in record.label, record.label
            assert "spread over US households" in record.label
    assert "per household" in OUTCOMES["household_cost_usd"].label.replace(
        "US household", "household"
    )
