"""Tests of exact Shapley attribution."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.model.armington import solve_market
from analysis.model.shapley import MAX_PLAYERS, GameValue, shapley_values


def test_an_additive_game_gives_each_player_its_own_value() -> None:
    worth = {"mfn": 1.5, "s232": -4.0, "reciprocal": 10.25, "fentanyl": 0.0}

    def value(coalition: frozenset[str]) -> float:
        return sum(worth[p] for p in coalition)

    assert shapley_values(list(worth), value) == pytest.approx(worth)


def test_a_symmetric_game_splits_the_total_equally() -> None:
    players = ["a", "b", "c", "d", "e"]

    def value(coalition: frozenset[str]) -> float:
        return float(len(coalition)) ** 2 + 3.0

    result = shapley_values(players, value)
    assert result == pytest.approx(dict.fromkeys(players, 25.0 / 5))


def test_the_glove_game_gives_two_thirds_to_the_scarce_left_glove() -> None:
    # One left glove (L) and two right gloves (R1, R2); a pair is worth 1.
    def value(coalition: frozenset[str]) -> float:
        return 1.0 if "L" in coalition and ({"R1", "R2"} & coalition) else 0.0

    result = shapley_values(["L", "R1", "R2"], value)
    assert result == pytest.approx({"L": 2 / 3, "R1": 1 / 6, "R2": 1 / 6})


def test_a_player_that_never_matters_gets_zero() -> None:
    def value(coalition: frozenset[str]) -> float:
        return 7.0 * ("a" in coalition) * ("b" in coalition)

    result = shapley_values(["a", "b", "dummy"], value)
    assert result["dummy"] == 0.0
    assert result["a"] == pytest.approx(3.5)


def test_array_values_are_attributed_elementwise_and_add_up_to_the_total_change() -> None:
    rng = np.random.default_rng(0)
    players = ["p0", "p1", "p2", "p3", "p4", "p5"]
    table: dict[frozenset[str], np.ndarray] = {frozenset(): rng.normal(size=4)}
    for mask in range(1, 1 << len(players)):
        members = frozenset(p for j, p in enumerate(players) if mask >> j & 1)
        table[members] = rng.normal(size=4)

    def value(coalition: frozenset[str]) -> GameValue:
        return table[coalition]

    result = shapley_values(players, value)
    total = sum(np.asarray(v) for v in result.values())
    everyone = frozenset(players)
    assert_allclose(total, table[everyone] - table[frozenset()], rtol=1e-12, atol=1e-12)
    assert all(np.shape(v) == (4,) for v in result.values())


def test_each_coalition_is_evaluated_exactly_once() -> None:
    calls: Counter[frozenset[str]] = Counter()

    def value(coalition: frozenset[str]) -> float:
        calls[coalition] += 1
        return float(len(coalition))

    shapley_values(["a", "b", "c", "d"], value)
    assert len(calls) == 16
    assert set(calls.values()) == {1}


def test_stacked_tariff_layers_split_the_drop_in_imports_and_add_up() -> None:
    # Two layers on the same partner: their effects interact through the non-linear model.
    layers = {"s232": 0.25, "reciprocal": 0.15}

    def imports(coalition: frozenset[str]) -> float:
        rate = sum(layers[name] for name in coalition)
        solution = solve_market(
            base_value_usd=[100.0, 300.0],
            base_tariff_rate=0.0,
            new_tariff_rate=[rate, 0.0],
            sigma=4.0,
            eta=1.0,
            supply_elasticity=[2.0, 1.0],
            domestic_index=1,
        )
        return float(solution.new_value_usd[0])

    result = shapley_values(list(layers), imports)
    assert sum(result.values()) == pytest.approx(imports(frozenset(layers)) - 100.0, rel=1e-12)
    assert result["s232"] < result["reciprocal"] < 0


@pytest.mark.parametrize(
    ("players", "message"),
    [(["a", "a"], "distinct"), ([f"p{i}" for i in range(MAX_PLAYERS + 1)], "at most")],
)
def test_bad_player_lists_are_rejected(players: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        shapley_values(players, lambda coalition: 0.0)


def test_values_of_different_shapes_are_rejected() -> None:
    with pytest.raises(ValueError, match="same shape"):
        shapley_values(["a"], lambda coalition: np.zeros(len(coalition) + 1))


def test_no_players_means_no_attribution() -> None:
    assert shapley_values([], lambda coalition: 1.0) == {}
