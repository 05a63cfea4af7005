"""The car sentences: the law a quota is added to, and which supply response each scenario uses."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.questions.simulate import simulate
from analysis.report import views
from analysis.report.car_notes import car_note, quota_law_in_words


def test_the_quota_is_added_to_the_law_of_its_regime_date(inputs: Any) -> None:
    # ver_cars (regime date 7 July 2025) is the July 2025 law with a quota instead of the car
    # tariff; that law's title, "The law of 7 July 2025: 10% baseline plus Section 232", reads
    # in a sentence as below.
    words = quota_law_in_words(inputs.scenarios.values(), inputs.scenario("ver_cars"))
    assert words == "the law of 7 July 2025 (10% baseline plus Section 232)"


def test_a_quota_on_a_day_no_plain_scenario_has_is_named_by_its_date(inputs: Any) -> None:
    ver = inputs.scenario("ver_cars")
    assert quota_law_in_words([ver], ver) == "the law of 7 July 2025"


@pytest.mark.slow
def test_the_note_names_each_scenarios_response(inputs: Any) -> None:
    results = [simulate(inputs, name, "mfn_only") for name in ("july_2025", "deal_15")]
    by_name = views.scenario_comparison(results).set_index("scenario")
    note = car_note(results, by_name, "Japan")
    # july_2025 is the short-run scenario (the law the 2025 evidence was seen under), deal_15
    # a forward one; one of each, so each is named and takes "is".
    assert "is solved with the one-year supply response (fitted to 2025)" in note
    assert "is solved with the long-run supply response (from the literature)" in note
    assert note.index("The law of 7 July 2025") < note.index("one-year")
    short = by_name.loc["july_2025", "focus_supply_elasticity"]
    long = by_name.loc["deal_15", "focus_supply_elasticity"]
    assert short < long  # the one-year response is the less elastic
    assert f"{short:.2f}" in note and f"{long:.2f}" in note
