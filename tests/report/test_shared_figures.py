"""Shared figures: one label and one number for a quantity, wherever a report shows it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from analysis.inputs.bundle import Inputs
from analysis.policy.regimes import schedule_for_date
from analysis.report.shared_figures import (
    Figure,
    PartnerTariff,
    figures_payload,
    household_cost,
    law_words,
    partner_tariff,
    partner_tariff_on,
)


def test_the_total_is_mfn_plus_the_additional_tariff(inputs: Inputs) -> None:
    day = dt.date(2026, 11, 28)
    schedule = schedule_for_date(day, inputs.data, inputs.measures, inputs.lines)
    japan = partner_tariff_on(schedule, "japan", "Japan", day)
    assert japan.total.label == "US tariff on Japan, 28 November 2026, all duties"
    assert (
        japan.additional.label
        == "Additional US tariff on Japan, 28 November 2026, above the MFN or trade-agreement duty"
    )
    assert japan.total.value == pytest.approx(japan.mfn.value + japan.additional.value, abs=1e-12)
    # Independently: the import-weighted MFN rate of Japan's 2024 imports.
    w = schedule.imports_usd[:, schedule.partners.index("japan")]
    mfn = (schedule.mfn_tariff_rate[:, schedule.partners.index("japan")] * w).sum() / w.sum()
    assert japan.mfn.value == pytest.approx(mfn, abs=1e-12)
    assert japan.sentence().startswith(
        f"{japan.total.text} in all (MFN or trade-agreement duty {japan.mfn.text} + "
    )


def test_a_dated_law_is_named_by_its_day_and_a_threat_by_its_title(inputs: Inputs) -> None:
    assert law_words(inputs.scenarios["current"]) == "28 November 2026"
    deal = law_words(inputs.scenarios["deal_15"])
    assert deal.startswith("under the 15% deal")
    result_label = partner_tariff(
        schedule_for_date(dt.date(2025, 8, 7), inputs.data, inputs.measures, inputs.lines),
        "japan",
        "Japan",
        deal,
    ).total.label
    assert result_label == f"US tariff on Japan, {deal}, all duties"


def test_figures_are_written_in_their_units_and_recorded_by_label() -> None:
    assert Figure("t", 0.132).text == "13.2%"
    cost = household_cost({"household_cost_usd": 1036.4})
    assert cost.text == "+$1,040" and cost.card("n").value == "+$1,040"  # 3 figures
    assert figures_payload(Figure("t", 0.132)) == {"t": {"value": 0.132, "text": "13.2%"}}


def test_the_parts_of_the_tariff_are_the_figures_shown_elsewhere() -> None:
    # 14.134% = 1.574% + 12.560%: each is printed as it is everywhere else (1.6%, 12.6%), and as
    # 1.6 + 12.6 is not 14.1 the sentence says the figures are rounded separately.
    tariff = PartnerTariff(
        total=Figure("total", 0.14134),
        mfn=Figure("before", 0.01574),
        additional=Figure("added", 0.12560),
    )
    assert tariff.sentence().startswith(
        "14.1% in all (MFN or trade-agreement duty 1.6% + 12.6% above it; rounded separately, "
    )
    exact = PartnerTariff(
        total=Figure("total", 0.132), mfn=Figure("before", 0.016), additional=Figure("a", 0.116)
    )
    assert "rounded separately" not in exact.sentence()


_LEAD = re.compile(
    r"^(?P<total>\d+\.\d)% \(MFN or trade-agreement duty (?P<mfn>\d+\.\d)% \+ "
    r"(?P<above>\d+\.\d)% above it(?P<note>; rounded separately)?\), against "
    r"(?P<before>\d+\.\d)% under those tariffs$"
)


def _shipped_partner_runs() -> list[tuple[str, str, str]]:
    from analysis.inputs.paths import PROJECT_DIR
    from analysis.inputs.validate import read_yaml

    runs = []
    for path in sorted((PROJECT_DIR / "params" / "reports").glob("partner_*.yaml")):
        parameters = read_yaml(path)["parameters"]
        runs.append(
            (
                str(parameters["partner"]),
                str(parameters.get("scenario", "current")),
                str(parameters.get("baseline", "mfn_only")),
            )
        )
    return runs


def test_every_shipped_partner_lead_adds_its_parts_to_its_total(inputs: Inputs) -> None:
    # Read off the words a reader sees: the two parts shown must add to the total shown, to a
    # tenth of a point, and the words must say "rounded separately" exactly when they do not.
    from analysis.policy.regimes import schedule_for_scenario
    from analysis.questions.partition import split_for

    runs = _shipped_partner_runs()
    assert len(runs) >= 13
    for partner, scenario, baseline in runs:
        split = split_for(partner, inputs.data, inputs.countries)
        key = split[0] if split else partner
        scen, base = inputs.scenarios[scenario], inputs.scenarios[baseline]
        now = schedule_for_scenario(scen, inputs.data, inputs.measures, inputs.lines, split)
        then = schedule_for_scenario(base, inputs.data, inputs.measures, inputs.lines, split)
        lead = partner_tariff(now, key, key, "x").against(partner_tariff(then, key, key, "y"))
        shown = _LEAD.match(lead)
        assert shown, lead
        total, mfn, above = (float(shown[k]) for k in ("total", "mfn", "above"))
        assert abs(mfn + above - total) <= 0.1 + 1e-9, lead
        assert (shown["note"] is not None) == (abs(mfn + above - total) > 1e-9), lead


def test_the_lead_names_the_baseline_as_a_comparison_not_a_part() -> None:
    # Vietnam's figures of the review: 14.0% = 3.7% + 10.4% (MFN basis, rounded separately as
    # 3.7 + 10.4 = 14.1); 3.9% under the law before 2025 is set beside, never added.
    now = PartnerTariff(Figure("t", 0.14049), Figure("m", 0.03749), Figure("a", 0.10300 + 0.0010))
    then = PartnerTariff(Figure("t", 0.039), Figure("m", 0.037), Figure("a", 0.002))
    assert now.against(then) == (
        "14.0% (MFN or trade-agreement duty 3.7% + 10.4% above it; rounded separately), "
        "against 3.9% under those tariffs"
    )
