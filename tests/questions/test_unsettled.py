"""How much of a country's rate rests on an open question of the law."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.country_rates import country_products
from analysis.questions.unsettled import unsettled_shares

TODAY = dt.date(2026, 11, 28)


def test_switzerlands_gold_is_the_part_of_its_rate_on_its_gold_lines(inputs: Inputs) -> None:
    # Derived from the report's own tables: the products table's gold lines' added duty over
    # the chapter table's imports (Switzerland's 2024 imports), against the questions' figure.
    chapters, top = country_products(inputs, TODAY, "CHE", n=200)
    gold = top[top["hs10"].str.startswith(("71081210", "7115900530"))]
    assert len(gold) >= 2
    (share,) = unsettled_shares(inputs, TODAY, "CHE")
    total_imports = chapters["imports_usd"].sum()
    assert share.added_duty_usd == pytest.approx(gold["added_duty_usd"].sum(), rel=1e-9)
    assert share.share_of_rate == pytest.approx(gold["added_duty_usd"].sum() / total_imports)
    assert set(share.hs10) == set(gold["hs10"])
    # The review's figures: about 3 points of Switzerland's 7.6% (validation: +2.9 points on
    # the tracker's definition), $13.4 bn of the two lines shown ($11.5 bn + $1.9 bn) and more.
    assert 0.025 < share.share_of_rate < 0.035
    assert share.additional_tariff_rate == pytest.approx(
        (chapters["additional_tariff_rate"] * chapters["imports_usd"]).sum() / total_imports
    )


def test_no_share_before_the_question_arises_or_where_it_weighs_nothing(inputs: Inputs) -> None:
    assert unsettled_shares(inputs, dt.date(2026, 7, 23), "CHE") == ()
    for share in unsettled_shares(inputs, TODAY, "japan"):
        assert share.share_of_rate < 0.0005  # Japan's gold lines: a few million dollars
