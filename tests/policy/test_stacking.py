"""Each stacking rule against a hand-computed case (two sectors x two partners)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from analysis.inputs.catalog import Catalog
from analysis.inputs.errors import InputError
from analysis.inputs.measures import AUTHORITIES, Measure, parse_measure
from analysis.policy.stacking import active_on, stack

SECTORS = ("mvh", "ome")
PARTNERS = ("japan", "eu")
MFN = np.array([[0.025, 0.025], [0.20, 0.01]])  # ome x japan has a high MFN of 20%
IMPORTS = np.array([[100.0, 50.0], [300.0, 50.0]])
REF = {"title": "test", "url": "https://example.org", "date": "2025-01-01"}


def measure(name: str, **fields: Any) -> Measure:
    doc: dict[str, Any] = {
        "title": name,
        "authority": "test",
        "description": "test",
        "layer": "baseline",
        "stacking": "additive",
        "partners": "all",
        "sectors": {"mvh": 1.0, "ome": 1.0},
        "values": [{"start": "2025-04-05", "rate": 0.10, "reference": REF}],
    }
    doc.update(fields)
    doc["supersedes"] = [_id(s) for s in doc.get("supersedes", [])]
    for spec in (doc.get("exempt_sectors") or {}).values():
        if isinstance(spec, dict) and "same_goods_as" in spec:
            spec["same_goods_as"] = _id(spec["same_goods_as"])
    return parse_measure(
        Path(f"{_id(name)}.yaml"), doc, Catalog(partners=PARTNERS, sectors=SECTORS)
    )


def _id(name: str) -> str:
    """Ids start with their authority; the plain names of these cases read as IEEPA."""
    return name if name.startswith(tuple(AUTHORITIES)) else f"ieepa_{name}"


def run(*measures: Measure, day: str = "2025-06-01") -> Any:
    active = active_on(measures, dt.date.fromisoformat(day))
    return stack(
        active, sectors=SECTORS, partners=PARTNERS, mfn_tariff_rate=MFN, imports_usd=IMPORTS
    )


def test_mfn_always_applies_even_with_no_measure_in_force() -> None:
    schedule = run(measure("baseline"), day="2025-01-01")
    np.testing.assert_allclose(schedule.tariff_rate, MFN)


def test_an_additive_layer_adds_its_rate_to_mfn() -> None:
    schedule = run(measure("baseline"))
    np.testing.assert_allclose(schedule.tariff_rate, MFN + 0.10)


def test_section_232_replaces_the_reciprocal_layer_on_its_covered_share() -> None:
    autos = measure(
        "autos",
        layer="section232",
        stacking="section232",
        sectors={"mvh": 0.75},
        values=[{"start": "2025-04-03", "rate": 0.25, "reference": REF}],
    )
    schedule = run(measure("baseline"), autos)
    # mvh: 2.5% MFN + 0.75 x 25% on cars + 0.25 x 10% reciprocal on the rest = 23.75%
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.025 + 0.75 * 0.25 + 0.25 * 0.10)
    # ome is not covered by Section 232: MFN + 10%
    assert schedule.tariff_rate[1, 0] == pytest.approx(0.20 + 0.10)


def test_a_floor_tops_up_to_the_floor_inclusive_of_mfn() -> None:
    floor = measure(
        "floor",
        layer="floor",
        stacking="floor",
        partners=["japan"],
        supersedes=["baseline"],
        values=[{"start": "2025-08-07", "rate": 0.15, "reference": REF}],
    )
    schedule = run(measure("baseline"), floor, day="2025-09-01")
    # Japan mvh: max(0, 15% - 2.5%) on top of 2.5% = 15%; the baseline is superseded.
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.15)
    # Japan ome: MFN 20% is above the floor, so nothing is added.
    assert schedule.tariff_rate[1, 0] == pytest.approx(0.20)
    # The EU is not covered by the floor and keeps the baseline.
    assert schedule.tariff_rate[0, 1] == pytest.approx(0.025 + 0.10)


def test_a_section_232_floor_gives_an_all_in_rate_on_covered_goods() -> None:
    deal = measure(
        "deal",
        layer="section232",
        stacking="section232_floor",
        partners=["japan"],
        sectors={"mvh": 1.0},
        values=[{"start": "2025-09-16", "rate": 0.15, "reference": REF}],
    )
    schedule = run(measure("baseline"), deal, day="2025-10-01")
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.15)
    assert schedule.contributions["ieepa_baseline"][0, 0] == pytest.approx(0.0)


def test_an_exemption_removes_the_layer_from_the_exempt_share() -> None:
    baseline = measure("baseline", exempt_sectors={"ome": {"share": 0.4}})
    schedule = run(baseline)
    assert schedule.tariff_rate[1, 1] == pytest.approx(0.01 + 0.6 * 0.10)


def test_a_layer_that_applies_to_all_stacks_on_section_232_goods() -> None:
    autos = measure(
        "autos",
        layer="section232",
        stacking="section232",
        sectors={"mvh": 1.0},
        values=[{"start": "2025-04-03", "rate": 0.25, "reference": REF}],
    )
    fentanyl = measure("fentanyl", layer="other", applies_to="all", partners=["japan"])
    schedule = run(autos, fentanyl)
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.025 + 0.25 + 0.10)


def test_effective_rates_are_import_weighted_and_split_total_and_additional() -> None:
    schedule = run(measure("baseline"))
    rates = schedule.effective_rates()
    japan_mfn = (0.025 * 100 + 0.20 * 300) / 400
    assert rates.loc["japan", "effective_tariff_rate"] == pytest.approx(japan_mfn + 0.10)
    assert rates.loc["japan", "additional_tariff_rate"] == pytest.approx(0.10)
    assert rates.loc["all", "imports_usd"] == pytest.approx(500.0)


def test_the_layer_decomposition_adds_up_to_the_total_rate() -> None:
    autos = measure(
        "autos",
        layer="section232",
        stacking="section232",
        sectors={"mvh": 0.5},
        values=[{"start": "2025-04-03", "rate": 0.25, "reference": REF}],
    )
    schedule = run(measure("baseline"), autos)
    for partner in PARTNERS:
        total = schedule.effective_rates().loc[partner, "effective_tariff_rate"]
        assert schedule.layer_rates(partner).sum() == pytest.approx(total)


def test_section_232_shares_above_one_are_refused() -> None:
    a = measure("a", layer="section232", stacking="section232", sectors={"mvh": 0.7})
    b = measure("b", layer="section232", stacking="section232", sectors={"mvh": 0.7})
    with pytest.raises(InputError, match=r"b.yaml: sectors.mvh: expected Section 232 shares"):
        run(a, b)


def test_goods_in_section_232_scope_stay_out_of_other_layers_even_when_exempt_from_232() -> None:
    # USMCA: 40% of the vehicle value is US content, exempt from the Section 232 duty; the
    # vehicle is still a Section 232 good, so the border tariff does not apply to it.
    autos = measure(
        "autos",
        layer="section232",
        stacking="section232",
        sectors={"mvh": 1.0},
        exempt_sectors={"mvh": {"share": 0.4}},
        values=[{"start": "2025-04-03", "rate": 0.25, "reference": REF}],
    )
    border = measure("border", layer="other", partners=["japan"])
    schedule = run(autos, border)
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.025 + 0.6 * 0.25)
    assert schedule.contributions["ieepa_border"][0, 0] == 0.0


def test_an_exemption_for_goods_a_section_232_measure_now_covers_is_not_counted_twice() -> None:
    copper = measure(
        "copper",
        layer="section232",
        stacking="section232",
        sectors={"ome": 0.25},
        values=[{"start": "2025-08-01", "rate": 0.50, "reference": REF}],
    )
    baseline = measure(
        "baseline", exempt_sectors={"ome": {"share": 0.25, "same_goods_as": "copper"}}
    )
    before = run(baseline, copper, day="2025-07-01")  # exempt from the baseline, no 232 yet
    assert before.tariff_rate[1, 1] == pytest.approx(0.01 + 0.75 * 0.10)
    after = run(baseline, copper, day="2025-09-01")  # the same goods now pay Section 232
    assert after.tariff_rate[1, 1] == pytest.approx(0.01 + 0.25 * 0.50 + 0.75 * 0.10)


AUTOS_232 = {
    "layer": "section232",
    "stacking": "section232",
    "sectors": {"mvh": 0.75},
    "values": [{"start": "2025-04-03", "rate": 0.25, "reference": REF}],
}


def test_section_122_adds_outside_section_232_and_spares_an_exempt_share() -> None:
    surcharge = measure(
        "section122_surcharge",
        sectors={"all": 1.0},
        exempt_sectors={"all": {"share": 0.0, "by_partner": {"eu": 0.5}}},
        values=[{"start": "2026-02-24", "end": "2026-07-23", "rate": 0.10, "reference": REF}],
    )
    schedule = run(surcharge, measure("section232_autos", **AUTOS_232), day="2026-04-01")
    expected = [
        [0.025 + 0.75 * 0.25 + 0.25 * 0.10, 0.025 + 0.75 * 0.25 + 0.25 * 0.5 * 0.10],
        [0.20 + 0.10, 0.01 + 0.5 * 0.10],
    ]  # [[0.2375, 0.225], [0.30, 0.06]]
    np.testing.assert_allclose(schedule.tariff_rate, expected)
    assert run(surcharge, day="2026-07-24").tariff_rate == pytest.approx(MFN)  # lapsed


def test_the_2026_section_301_caps_top_up_to_a_floor_net_of_mfn() -> None:
    caps = measure(
        "section301_2026_net_of_mfn",
        layer="floor",
        stacking="floor",
        values=[
            {
                "start": "2026-07-24",
                "rate": 0.125,
                "rate_by_partner": {"eu": 0.10},
                "reference": REF,
            }
        ],
    )
    schedule = run(caps, measure("section232_autos", **AUTOS_232), day="2026-11-28")
    expected = [
        # mvh: the 25% on the Section 232 share, the cap's top-up on the rest
        [0.025 + 0.1875 + 0.25 * (0.125 - 0.025), 0.025 + 0.1875 + 0.25 * (0.10 - 0.025)],
        # ome: Japan's MFN (20%) is above 12.5%, so nothing; the EU is topped up to 10%
        [0.20, 0.10],
    ]  # [[0.2375, 0.23125], [0.20, 0.10]]
    np.testing.assert_allclose(schedule.tariff_rate, expected)


def test_section_301_on_china_stacks_on_section_232_goods() -> None:
    lists = measure(
        "section301_china_lists",
        layer="section301",
        applies_to="all",
        partners=["japan"],
        values=[{"start": "2024-09-27", "rate": 0.25, "reference": REF}],
    )
    schedule = run(lists, measure("section232_autos", **AUTOS_232), day="2025-06-01")
    assert schedule.tariff_rate[0, 0] == pytest.approx(0.025 + 0.75 * 0.25 + 0.25)  # 0.4625
    assert schedule.tariff_rate[0, 1] == pytest.approx(0.025 + 0.75 * 0.25)  # not the EU


@pytest.mark.parametrize(
    ("name", "fields", "key"),
    [
        ("tariff_on_everything", {}, "(file name)"),
        (
            "section232_x",
            {"values": [{"start": "2025-01-01", "rate": 25, "reference": REF}]},
            "values[0].rate",
        ),
        (
            "section232_x",
            {"values": [{"start": "2025-02-30", "rate": 0.1, "reference": REF}]},
            "values[0].start",
        ),
    ],
)
def test_bad_measures_name_file_key_expected_and_found(
    name: str, fields: dict[str, Any], key: str
) -> None:
    with pytest.raises(InputError) as err:
        parse_measure(Path(f"{name}.yaml"), {**_doc(name), **fields}, Catalog(PARTNERS, SECTORS))
    assert str(err.value).startswith(f"{name}.yaml: {key}: expected")


def _doc(name: str) -> dict[str, Any]:
    return {
        "title": name,
        "authority": "test",
        "description": "test",
        "layer": "baseline",
        "stacking": "additive",
        "partners": "all",
        "sectors": {"mvh": 1.0},
        "values": [{"start": "2025-04-05", "rate": 0.10, "reference": REF}],
    }


def test_two_measures_of_one_layer_in_force_together_must_say_which_supersedes() -> None:
    from analysis.inputs.law_checks import cross_check

    first = measure("baseline")
    second = measure("section122_surcharge")  # same layer, stacking, partners and dates
    with pytest.raises(InputError, match=r"section122_surcharge.yaml: supersedes: expected"):
        cross_check({m.id: m for m in (first, second)})
    second = measure("section122_surcharge", supersedes=["baseline"])
    cross_check({m.id: m for m in (first, second)})


def test_section_338_import_ban_is_a_prohibitive_rate_on_its_covered_share() -> None:
    """Section 338 (Canada, 2026): a ban is modelled as a 1000% duty on the banned share."""
    ban = measure(
        "section338_ban",
        layer="other",
        partners=["eu"],
        sectors={"ome": 0.2},
        values=[{"start": "2026-09-29", "rate": 10.0, "reference": REF}],
    )
    schedule = run(ban, measure("section232_autos", **AUTOS_232), day="2026-10-01")
    expected = [[0.025 + 0.1875, 0.025 + 0.1875], [0.20, 0.01 + 0.2 * 10.0]]
    np.testing.assert_allclose(schedule.tariff_rate, expected)  # [[.2125, .2125], [.2, 2.01]]


def test_a_section_201_safeguard_stacks_on_section_232_goods() -> None:
    """A safeguard (``applies_to: all``) adds on every covered good, Section 232 or not."""
    safeguard = measure(
        "section201_quartz",
        layer="other",
        applies_to="all",
        partners=["japan"],
        sectors={"mvh": 0.1, "ome": 0.5},
        values=[{"start": "2026-08-15", "rate": 0.25, "reference": REF}],
    )
    schedule = run(safeguard, measure("section232_autos", **AUTOS_232), day="2026-09-01")
    expected = [[0.025 + 0.1875 + 0.025, 0.025 + 0.1875], [0.20 + 0.125, 0.01]]
    np.testing.assert_allclose(schedule.tariff_rate, expected)  # [[.2375, .2125], [.325, .01]]


def test_a_dated_exemption_adds_to_the_measures_own_while_its_value_is_in_force() -> None:
    from dataclasses import replace
    from types import MappingProxyType

    from analysis.inputs.measures import Coverage
    from analysis.policy.stacking import ActiveMeasure

    layer = measure("baseline", exempt_sectors={"ome": {"share": 0.2}})
    value = replace(
        layer.values[0],
        added_exempt=MappingProxyType({"ome": Coverage(0.5, MappingProxyType({}), "")}),
    )
    schedule = stack(
        [ActiveMeasure.of(layer, value)],
        sectors=SECTORS,
        partners=PARTNERS,
        mfn_tariff_rate=MFN,
        imports_usd=IMPORTS,
    )
    # ome: 20% exempt by the measure, 50% more by the dated list: 30% pays the 10%
    np.testing.assert_allclose(schedule.tariff_rate[1], [0.20 + 0.03, 0.01 + 0.03])
    np.testing.assert_allclose(schedule.tariff_rate[0], [0.125, 0.125])  # mvh untouched
