"""The car sentences: the law a quota is added to, and which supply response each scenario uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.questions.autos import quota_equivalents
from analysis.questions.evidence import long_run_supply_elasticity
from analysis.questions.simulate import simulate
from analysis.report import views
from analysis.report.brief import percent
from analysis.report.car_notes import (
    car_note,
    methods_sentence,
    quota_equivalents_note,
    quota_headline,
    quota_law_in_words,
)
from analysis.report.views import a_tariff


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


#: The long-run supply elasticity of cars, by hand from the cited mode (a cap at 92.3% of
#: free-trade volume worth 14%) and sigma = 3.8: 1/e = ln(1.14)/-ln(0.923) - 1/3.8, e = 0.7288.
LONG_RUN_CARS = 0.7288


@pytest.mark.slow
def test_a_comparison_solves_every_row_with_one_supply_elasticity(inputs: Any) -> None:
    names = ("july_2025", "deal_15", "ver_cars")
    results = [simulate(inputs, n, "mfn_only", horizon="long_run") for n in names]
    by_name = views.scenario_comparison(results).set_index("scenario")
    elasticity = by_name["focus_supply_elasticity"]
    assert elasticity.to_numpy() == pytest.approx([LONG_RUN_CARS] * 3, rel=1e-3)
    sentence = methods_sentence(results, by_name, "Japan")
    assert sentence.startswith("The model and elasticities are the same for every scenario")
    assert "long-run supply response" in sentence and "0.73" in sentence
    assert "one-year" not in sentence
    # The car note says the same: no row is set apart.
    note = car_note(results, by_name, "Japan")
    assert "Every scenario, the quota included, is solved with the long-run" in note
    assert "0.06" not in note


@pytest.mark.slow
def test_a_row_that_keeps_its_own_response_is_named_in_the_methods_sentence(
    inputs: Any,
) -> None:
    # Without the comparison's horizon july_2025 keeps the one-year response it declares.
    results = [simulate(inputs, n, "mfn_only") for n in ("july_2025", "deal_15")]
    by_name = views.scenario_comparison(results).set_index("scenario")
    sentence = methods_sentence(results, by_name, "Japan")
    assert "elasticities are the same" not in sentence
    assert "*The law of 7 July 2025: 10% baseline plus Section 232* is solved with the " in sentence
    assert "one-year supply response" in sentence and "0.06" in sentence


def test_the_comparison_report_solves_its_rows_with_its_own_horizon() -> None:
    # The notebook passes its horizon (long run by default) to every row and writes its
    # Methods sentence from the results, never as typed text.
    text = (Path(__file__).parents[2] / "notebooks" / "scenario_comparison.py").read_text()
    assert 'horizon: Horizon = "long_run"' in text
    assert "simulate(inputs, name, baseline, horizon=horizon)" in text
    assert "methods_sentence(results, by_name, who)" in text
    assert "same for every scenario" not in text


def test_the_quota_headline_and_the_elasticity_statement_agree(inputs: Any) -> None:
    ver = simulate(inputs, "ver_cars")
    q = quota_equivalents(inputs, ver)
    law = quota_law_in_words(inputs.scenarios.values(), ver.scenario)
    head = quota_headline(q, law, "Japan")
    note = quota_equivalents_note(q, law, "Japan")
    # The elasticity is stated as the value at which the cap is worth the cited 14% in the
    # closed form; the note gives that closed form's figure (by hand 0.923^-(1/0.7288 + 1/3.8)
    # - 1 = 14.0%) and says it is the closed form, against free-trade volume.
    cited = long_run_supply_elasticity(inputs.parameters, "mvh").evidence.tariff_equivalent_mode
    assert f"{cited:.0%}" == "14%"
    assert "In the closed form" in note and "of free-trade volume" in note
    assert "is worth 14.0%" in note
    # The headline's figure is the note's figure in the law, named as the same law, and the
    # headline names its base (2024 volume) and the law, not today's.
    assert a_tariff(q.in_law_rate) in head and f"{percent(q.in_law_rate)}, the figure" in note
    assert "the law of 7 July 2025" in head and "the law of 7 July 2025" in note
    assert "2024 volume" in head and "in force today" not in head
    # The model's figure on the tariffs before 2025 is in both.
    assert percent(q.before_2025_rate) in head and percent(q.before_2025_rate) in note
