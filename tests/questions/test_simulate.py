"""The simulation glue on the real data: analytic limits, keys, households."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.evidence import default_elasticities
from analysis.questions.simulate import simulate


def test_a_scenario_against_itself_changes_nothing(inputs: Inputs) -> None:
    result = simulate(inputs, "july_2025", "july_2025")
    head = result.headline()
    for key in (
        "us_buyer_cost_usd",
        "deadweight_loss_usd",
        "focus_exports_value_change_usd",
        "tariff_revenue_change_usd",
        "focus_sector_units_change",
    ):
        assert head[key] == pytest.approx(0.0, abs=1e-3), key
    np.testing.assert_allclose(result.solution.quantity_change, 0.0, atol=1e-12)


def test_with_complete_pass_through_buyers_pay_the_whole_tariff(inputs: Inputs) -> None:
    """Limit: infinitely elastic foreign supply passes every tariff through to buyers."""
    prior = default_elasticities(inputs, calibrated=False)
    supply = prior.supply_elasticity.copy()
    supply[:, :-1] = np.inf
    full = dataclasses.replace(prior, supply_elasticity=supply)
    result = simulate(inputs, "deal_15", elasticities=full)
    market = result.market
    tau = (1 + market.new_tariff_rate[:, :-1]) / (1 + market.base_tariff_rate[:, :-1])
    np.testing.assert_allclose(result.solution.buyer_price_change[:, :-1], tau - 1, atol=1e-12)
    np.testing.assert_allclose(result.solution.exporter_price_change[:, :-1], 0.0, atol=1e-12)


def test_car_volumes_move_with_the_tariff_as_the_2025_evidence_says(inputs: Inputs) -> None:
    from dataclasses import replace

    # Forward scenarios (long run): negative and growing with the rate.
    cars = [
        simulate(inputs, name).headline()["focus_sector_units_change"]
        for name in ("deal_15", "letter_25", "escalation_35")
    ]
    assert all(c < 0 for c in cars) and cars == sorted(cars, reverse=True)
    # The law of 2025 (short run, fitted): small, Japan's makers absorbed most of the tariff,
    # and smaller than the same law with the long-run response.
    july = simulate(inputs, "july_2025")
    july_long = simulate(inputs, replace(july.scenario, horizon="long_run"))
    short_cars = july.headline()["focus_sector_units_change"]
    assert -0.05 * 1_388_330 < short_cars < 0
    assert july_long.headline()["focus_sector_units_change"] < short_cars
    # A quota and a tariff of the same horizon use the same elasticity.
    ver = simulate(inputs, "ver_cars")
    letter = simulate(inputs, "letter_25")
    ver_short = simulate(inputs, replace(ver.scenario, horizon="short_run"))
    i, j = ver.data.sector_index("mvh"), ver.data.partner_index("japan")
    supply = [r.elasticities.supply_elasticity[i, j] for r in (ver, letter, ver_short, july)]
    assert supply[0] == supply[1] and supply[2] == supply[3] and supply[3] < supply[0]


def test_a_comparisons_horizon_overrides_the_scenarios_own(inputs: Inputs) -> None:
    # july_2025 declares the one-year response; solved with a comparison's long-run horizon
    # its Japanese cars take the long-run elasticity, read by hand off the cited mode of the
    # 1980s restraint: 1/e = ln(1.14) / -ln(0.923) - 1/3.8 = 1.63527 - 0.26316, e = 0.7288.
    i = inputs.data.sector_index("mvh")
    own = simulate(inputs, "july_2025")
    long = simulate(inputs, "july_2025", horizon="long_run")
    j = own.data.partner_index("japan")
    assert own.horizon == "short_run" and long.horizon == "long_run"
    assert long.elasticities.supply_elasticity[i, j] == pytest.approx(0.7288, rel=1e-3)
    assert own.elasticities.supply_elasticity[i, j] < 0.1  # the one-year fit to 2025
    assert long.payload()["horizon"] == "long_run"
    with pytest.raises(ValueError, match="horizon 'medium_run'"):
        simulate(inputs, "july_2025", horizon="medium_run")


def test_car_headlines_say_which_supply_response_they_use(inputs: Inputs) -> None:
    for name, words in (
        ("ver_cars", "long run (literature)"),
        ("july_2025", "short run (2025 fit)"),
    ):
        result = simulate(inputs, name)
        payload = result.payload()
        assert payload["horizon"] == result.scenario.horizon
        label = payload["units"]["focus_sector_units_change"]["label"]
        assert label.endswith(words), label
        assert words not in payload["units"]["tariff_revenue_usd"]["label"]


def test_higher_japan_rates_cost_japan_more_exports(inputs: Inputs) -> None:
    values = [
        simulate(inputs, n).headline()["focus_exports_value_change_usd"]
        for n in ("pause_expires", "letter_25", "escalation_30", "escalation_35")
    ]
    assert values == sorted(values, reverse=True)


def test_the_json_payload_has_every_documented_key(inputs: Inputs) -> None:
    payload = simulate(inputs, "deal_15").payload()
    assert set(payload["partners"]) == {
        "china",
        "canada",
        "mexico",
        "uk",
        "japan",
        "eu",
        "ftrow",
        "row",
    }
    for row in payload["partners"].values():
        assert set(row) >= {
            "exports_value_change_usd",
            "exports_value_change",
            "exports_volume_change",
            "tariff_revenue_usd",
        }
    assert set(payload["totals"]) >= {
        "tariff_revenue_usd",
        "us_buyer_cost_usd",
        "us_buyer_cost_per_household_usd",
        "deadweight_loss_usd",
        "net_us_welfare_usd",
        "focus_gdp_change",
        "focus_sector_units_change",
    }


def test_cost_per_household_is_the_buyer_cost_over_the_cited_household_count(
    inputs: Inputs,
) -> None:
    head = simulate(inputs, "deal_15").headline()
    assert head["us_buyer_cost_per_household_usd"] == pytest.approx(
        head["us_buyer_cost_usd"] / 131_434_000
    )


def test_a_baseline_with_a_quota_is_refused(inputs: Inputs) -> None:
    from analysis.inputs.errors import InputError

    with pytest.raises(InputError, match=r"ver_cars.yaml: quotas"):
        simulate(inputs, "deal_15", "ver_cars")


def test_the_catalogue_of_headline_outcomes_matches_the_model(inputs: Inputs) -> None:
    from analysis.questions.outcomes import HEADLINE_OUTCOMES

    assert tuple(simulate(inputs, "deal_15").headline()) == HEADLINE_OUTCOMES


def _one_sector(t1: float, eps_foreign: float) -> tuple[Any, Any]:
    from analysis.questions.us_market import Elasticities, Market, solve

    market = Market(
        sectors=("x",),
        sources=("japan", "us"),
        base_value_usd=np.array([[100.0, 300.0]]),
        base_tariff_rate=np.array([[0.0, 0.0]]),
        new_tariff_rate=np.array([[t1, 0.0]]),
        quantity_cap=np.full((1, 2), np.nan),
        is_domestic=np.array([False, True]),
    )
    elasticities = Elasticities(
        substitution_elasticity=np.array([3.0]),
        demand_elasticity=np.array([1.0]),
        supply_elasticity=np.array([[eps_foreign, 2.0]]),
    )
    return market, solve(market, elasticities)


def test_buyer_cost_splits_into_duties_import_prices_and_us_prices() -> None:
    from analysis.inputs.focus import Focus
    from analysis.questions.headline import OutcomeContext
    from analysis.questions.outcomes import BUYER_COST_OUTCOMES, OUTCOMES

    def buyer_cost_parts(solution: Any, market: Any, households: float, lead: int) -> dict:
        params = SimpleNamespace(us_households=households)
        c = OutcomeContext(solution, market, None, params, Focus("japan", "x"))  # type: ignore[arg-type]
        return {n: OUTCOMES[n].formula(c) for n in BUYER_COST_OUTCOMES[2:]}  # type: ignore[misc]

    # Perfectly elastic foreign supply: the duty on the base basket is exactly t x V, and the
    # import price net of duty does not move.
    market, solution = _one_sector(0.10, np.inf)
    parts = buyer_cost_parts(solution, market, households=1.0, lead=0)
    assert float(parts["us_buyer_duty_paid_usd"]) == pytest.approx(10.0, rel=1e-12)
    assert float(parts["us_buyer_import_price_net_of_duty_usd"]) == pytest.approx(0.0, abs=1e-9)
    us_price = float(solution.buyer_price_change[0, 1])
    assert float(parts["us_buyer_domestic_price_usd"]) == pytest.approx(300.0 * us_price)
    # A fixed foreign quantity: the exporter absorbs, so the import price part is negative.
    market, solution = _one_sector(0.10, 0.0)
    parts = buyer_cost_parts(solution, market, households=1.0, lead=0)
    w = 1 + float(solution.exporter_price_change[0, 0])
    assert w < 1
    assert float(parts["us_buyer_duty_paid_usd"]) == pytest.approx(10.0 * w, rel=1e-12)
    assert float(parts["us_buyer_import_price_net_of_duty_usd"]) == pytest.approx(100 * (w - 1))
    total = sum(float(parts[k]) for k in list(parts)[:3])
    assert total == pytest.approx(float(solution.us_buyer_cost_same_basket_usd[0]), rel=1e-12)


def test_cost_per_household_after_substitution_is_below_before(inputs: Inputs) -> None:
    head = simulate(inputs, "july_2025").headline()
    before = head["us_buyer_cost_per_household_usd"]
    after = head["us_buyer_cost_per_household_after_substitution_usd"]
    assert 0 < after < before  # buyers who can substitute lose less


def test_the_border_price_is_the_supply_price_plus_the_rent_per_unit(inputs: Inputs) -> None:
    """Without a quota the price exporters get at the border is their supply price; under the
    VER it exceeds it by the rent per unit: V q' (border - supply) = quota rent."""
    from analysis.questions.simulate import border_price_change

    tariff = simulate(inputs, "july_2025")
    np.testing.assert_allclose(
        border_price_change(tariff.solution, tariff.market),
        tariff.solution.exporter_price_change,
        atol=1e-12,
    )
    ver = simulate(inputs, "ver_cars")
    mvh, japan = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    s, m = ver.solution, ver.market
    border = border_price_change(s, m)[mvh, japan]
    per_unit = border - s.exporter_price_change[mvh, japan]
    units = m.base_value_usd[mvh, japan] * (1 + s.quantity_change[mvh, japan])
    assert per_unit > 0.05  # the quota's wedge (long run: about 14% of the price), kept abroad
    assert units * per_unit == pytest.approx(s.quota_rent_usd[mvh, japan], rel=1e-9)
    assert ver.headline()["focus_exporter_price_change"] == pytest.approx(border)


def _same(a: Any, b: Any, where: str = "") -> None:
    """``a`` and ``b`` hold the same values bit for bit: arrays by their bytes, floats by
    their repr (NaN equals NaN), dataclasses, mappings and sequences member by member."""
    assert type(a) is type(b), where
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        if a.dtype == object:
            assert [repr(x) for x in a.ravel()] == [repr(x) for x in b.ravel()], where
        else:
            assert a.tobytes() == b.tobytes(), where
    elif isinstance(a, dict | MappingProxyType):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{n}]")
    elif isinstance(a, float):
        assert repr(a) == repr(b), where
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    else:
        assert a == b, where


def _same_result(a: Any, b: Any) -> None:
    """Two simulation results are the same, the process's own measures and lines by identity."""
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name in ("measures", "lines"):
            assert x is y, f.name
        else:
            _same(x, y, f.name)


def test_a_build_solves_a_scenario_once_and_reads_back_what_it_computes(
    inputs: Inputs, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a build the reports that solve the same scenario against the same baseline
    with the same split (the regions' partner reports: only their focus differs) read one
    solution, equal bit for bit to an unshared one; a changed scenario, another scenario of
    the load (the 2024 law's revenue, the calibrations), another horizon or a split misses."""
    from analysis.inputs import shared
    from analysis.inputs.focus import Focus
    from analysis.questions import simulate as module

    plain = {p: simulate(inputs, "current", focus=Focus(p)) for p in ("eu", "japan")}
    short = simulate(inputs, "current", horizon="short_run")
    monkeypatch.setattr(shared, "_REGISTERED", [])
    monkeypatch.setattr(shared, "_MEMORY", {})
    monkeypatch.setenv(shared.SHARED_ENV, str(tmp_path))
    shared.register("kernel21-test", inputs.data, inputs.measures, inputs.lines)
    computed: list[str] = []
    solved = module._solved

    def counted(*args: Any) -> Any:
        computed.append(args[1].name)
        return solved(*args)

    monkeypatch.setattr(module, "_solved", counted)
    first = simulate(inputs, "current", focus=Focus("eu"))
    shared._MEMORY.clear()  # read from the folder, as another kernel would
    again = simulate(inputs, "current", focus=Focus("japan"))
    assert computed == ["current"]
    _same_result(first, plain["eu"])
    _same_result(again, plain["japan"])
    assert again.headline() == plain["japan"].headline()
    assert all(am.measure is inputs.measures[am.measure.id] for am in again.schedule.active)
    assert again.data is inputs.data  # the process's own data, not a copy
    # A short run refits the calibrations: their entries are the load's own again.
    read_short = [simulate(inputs, "current", horizon="short_run") for _ in range(2)][1]
    assert computed == ["current", "current"]
    _same_result(read_short, short)
    calibrations = inputs.parameters.calibrations
    assert read_short.calibrations and len(read_short.calibrations) == len(calibrations)
    assert all(a is b for (a, _), b in zip(read_short.calibrations, calibrations, strict=True))
    # Misses: a changed scenario, a changed other scenario of the load, a country split.
    import datetime as dt

    earlier = dataclasses.replace(inputs.scenario("current"), regime_date=dt.date(2025, 7, 1))
    assert simulate(inputs, earlier).headline() != plain["japan"].headline()
    deal = dataclasses.replace(inputs.scenarios["deal_15"], title="A user's deal")
    other = dataclasses.replace(
        inputs, scenarios=MappingProxyType({**inputs.scenarios, "deal_15": deal})
    )
    assert simulate(other, "current").headline() == plain["japan"].headline()
    korea = simulate(inputs, "current", focus=Focus("KOR"))
    assert computed == ["current"] * 5
    assert korea.focus.partner == "KOR" and "KOR" in korea.data.partners
