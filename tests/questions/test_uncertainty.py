"""Monte Carlo over the priors, and the tornado."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.questions.simulate import simulate
from analysis.questions.uncertainty import monte_carlo, tornado


def test_the_monte_carlo_is_reproducible_with_a_seed_and_its_bands_are_ordered(
    inputs: Inputs,
) -> None:
    result = simulate(inputs, "deal_15")
    a = monte_carlo(result, n_draws=500, seed=7)
    b = monte_carlo(result, n_draws=500, seed=7)
    c = monte_carlo(result, n_draws=500, seed=8)
    assert a.draws.equals(b.draws)
    assert not a.draws.equals(c.draws)
    bands = a.percentiles()
    assert (bands["p10"] <= bands["p50"]).all() and (bands["p50"] <= bands["p90"]).all()
    sigma = a.draws["substitution_elasticity"]
    assert sigma.between(2.5, 5.1).all()


def test_the_tornado_ranks_parameters_by_swing(inputs: Inputs) -> None:
    table = tornado(simulate(inputs, "deal_15"), "focus_exports_value_change_usd")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert "substitution_elasticity" in set(table["parameter"])


def test_chunked_draws_do_not_depend_on_where_the_chunks_run(inputs: Inputs) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from analysis.questions.uncertainty import chunks, monte_carlo_chunked

    result = simulate(inputs, "deal_15")
    here = monte_carlo_chunked(result, n_draws=1_050, seed=3, chunk_draws=200)
    with ThreadPoolExecutor(2) as pool:
        elsewhere = monte_carlo_chunked(
            result, n_draws=1_050, seed=3, chunk_draws=200, map_chunks=pool.map
        )
    assert len(here.draws) == 1_050 and here.draws.equals(elsewhere.draws)
    assert here.draws["substitution_elasticity"].nunique() == 1_050  # no chunk repeats another
    other = monte_carlo_chunked(result, n_draws=1_050, seed=4, chunk_draws=200)
    assert not here.draws.equals(other.draws)
    assert [p.stop - p.start for p in chunks(1_050, 200)] == [200] * 5 + [50]


@pytest.mark.parametrize("scenario", ["deal_15", "july_2025"])  # long run; short run (refit)
def test_a_seed_gives_the_same_draws_and_percentiles_however_they_are_chunked_and_blocked(
    inputs: Inputs, scenario: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same seed, in one call, in chunks of any size, on another thread, and solved in
    blocks of any size: the same draws to the last bit, so the same percentiles."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.questions import uncertainty
    from analysis.questions.uncertainty import monte_carlo_chunked

    result = simulate(inputs, scenario)
    one_call = monte_carlo(result, n_draws=700, seed=11)
    runs = [monte_carlo_chunked(result, n_draws=700, seed=11, chunk_draws=233)]
    with ThreadPoolExecutor(2) as pool:
        runs.append(
            monte_carlo_chunked(result, n_draws=700, seed=11, chunk_draws=64, map_chunks=pool.map)
        )
    for block in (1, 37, 5_000):
        monkeypatch.setattr(uncertainty, "SOLVE_BLOCK", block)
        runs.append(monte_carlo_chunked(result, n_draws=700, seed=11, chunk_draws=300))
    for run in runs:
        assert run.draws.equals(one_call.draws)
        assert run.percentiles().equals(one_call.percentiles())


def test_percentiles_are_the_draws_order_statistics(inputs: Inputs) -> None:
    """P10/P50/P90 with linear interpolation between order statistics, checked by hand."""
    result = simulate(inputs, "deal_15")
    mc = monte_carlo(result, n_draws=201, seed=2)  # 201 draws: P10 is the 21st smallest
    ranked = np.sort(mc.draws["tariff_revenue_usd"].to_numpy())
    bands = mc.percentiles().loc["tariff_revenue_usd"]
    assert bands["p10"] == ranked[20] and bands["p50"] == ranked[100]
    assert bands["p90"] == ranked[180]


def test_chunks_reject_empty_runs() -> None:
    import pytest

    from analysis.questions.uncertainty import chunks

    with pytest.raises(ValueError, match="must be positive"):
        chunks(0, 1)


def test_foreign_supply_is_drawn_from_its_cited_prior_and_the_car_fit_redone_per_draw(
    inputs: Inputs,
) -> None:
    from analysis.questions.uncertainty import draw_elasticities

    result = simulate(inputs, "july_2025")  # short run: the fit to 2025 is refitted
    prior = inputs.parameters["foreign_supply_elasticity"].prior
    drawn = draw_elasticities(result, 300, seed=3)
    foreign = drawn.supply_elasticity[:, 0, 0]
    assert foreign.min() >= prior.low and foreign.max() <= prior.high
    assert foreign.std() > 5  # a triangular prior 14.5-57.3 has a standard deviation near 9
    mvh, japan = inputs.data.sector_index("mvh"), inputs.data.partner_index("japan")
    cars = drawn.supply_elasticity[:, mvh, japan]
    assert cars.std() > 0  # refitted in every draw, not held at the central fit
    assert (cars < prior.low).mean() > 0.9  # Japan's car makers absorb far more than average
    # Every other foreign cell of a draw holds that draw's value.
    eu = inputs.data.partner_index("eu")
    assert (drawn.supply_elasticity[:, mvh, eu] == foreign).all()


def test_in_the_long_run_every_partners_cars_take_one_draw_of_the_literature_range(
    inputs: Inputs,
) -> None:
    from analysis.questions.evidence import long_run_supply_elasticities
    from analysis.questions.uncertainty import draw_elasticities, monte_carlo, tornado

    result = simulate(inputs, "deal_15")
    (lr,) = long_run_supply_elasticities(inputs.parameters)
    drawn = draw_elasticities(result, 400, seed=5)
    mvh = inputs.data.sector_index("mvh")
    cars = drawn.supply_elasticity[:, mvh, :-1]
    assert (cars == cars[:, :1]).all()  # the same draw for every partner
    assert cars.min() >= lr.low and cars.max() <= lr.high and cars.std() > 0.02
    # The other sectors' foreign cells hold the economy-wide draw.
    foreign = inputs.parameters["foreign_supply_elasticity"].prior
    assert drawn.supply_elasticity[:, 0, 0].min() >= foreign.low
    draws = monte_carlo(result, n_draws=50, seed=1).draws
    assert draws["focus_supply_elasticity"].between(lr.low, lr.high).all()
    swing = tornado(result, "focus_sector_units_change")
    assert "long_run_supply_elasticity" in set(swing["parameter"])
    assert "calibrated_supply_elasticities" not in set(swing["parameter"])
