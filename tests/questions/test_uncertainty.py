"""Monte Carlo over the priors, and the tornado."""

from __future__ import annotations

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
    table = tornado(simulate(inputs, "deal_15"), "japan_exports_value_change_usd")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert "substitution_elasticity" in set(table["parameter"])
