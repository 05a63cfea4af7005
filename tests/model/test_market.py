"""The one market object: sources by name, US producers by a flag, never by position."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.model.armington import solve_market
from analysis.model.market import Market


def _market(order: tuple[str, ...]) -> Market:
    """Two sectors; Japan hit by a 25-point tariff; US producers wherever ``order`` puts them."""
    value = {"japan": [100.0, 20.0], "eu": [50.0, 30.0], "us": [300.0, 400.0]}
    t1 = {"japan": [0.25, 0.25], "eu": [0.0, 0.0], "us": [0.0, 0.0]}
    return Market(
        sectors=("cars", "steel"),
        sources=order,
        base_value_usd=np.array([value[s] for s in order]).T,
        base_tariff_rate=np.zeros((2, len(order))),
        new_tariff_rate=np.array([t1[s] for s in order]).T,
        quantity_cap=np.full((2, len(order)), np.nan),
        is_domestic=np.array([s == "us" for s in order]),
    )


def test_the_domestic_source_is_found_by_its_flag_wherever_it_sits() -> None:
    last, first = _market(("japan", "eu", "us")), _market(("us", "japan", "eu"))
    assert (last.domestic_index, first.domestic_index) == (2, 0)
    assert list(first.is_foreign) == [False, True, True]
    kwargs = {"sigma": 3.0, "eta": 1.0, "supply_elasticity": 2.0}
    a = solve_market(**last.solver_arguments(), **kwargs)
    b = solve_market(**first.solver_arguments(), **kwargs)
    # The same economics whatever the order: Japan's exporter price and the price index.
    j_last, j_first = last.source_index("japan"), first.source_index("japan")
    assert a.exporter_price_change[:, j_last] == pytest.approx(b.exporter_price_change[:, j_first])
    assert a.price_index_change == pytest.approx(b.price_index_change)


def test_one_sector_keeps_names_and_flags() -> None:
    cars = _market(("japan", "eu", "us")).one_sector("cars")
    assert cars.sectors == ("cars",) and cars.base_value_usd.tolist() == [100.0, 50.0, 300.0]
    assert cars.solver_arguments()["quantity_cap"] is None  # no cap anywhere
    assert cars.domestic_index == 2


def test_bad_names_and_shapes_are_refused() -> None:
    market = _market(("japan", "eu", "us"))
    with pytest.raises(ValueError, match="source"):
        market.source_index("atlantis")
    with pytest.raises(ValueError, match="sector"):
        market.one_sector("wheat")
    with pytest.raises(ValueError, match="flag"):
        Market(
            sectors=("x",),
            sources=("a", "b"),
            base_value_usd=np.ones((1, 2)),
            base_tariff_rate=np.zeros((1, 2)),
            new_tariff_rate=np.zeros((1, 2)),
            quantity_cap=np.full((1, 2), np.nan),
            is_domestic=np.array([False]),
        )
