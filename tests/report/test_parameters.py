"""The parameter domain table: every notebook parameter has one, and bad values are refused."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.nbparams import declared_parameters
from analysis.report.parameters import DOMAINS, check_parameters, check_value

NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.py"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_parameter_has_a_domain(notebook: Path) -> None:
    assert set(declared_parameters(notebook)) <= set(DOMAINS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_checks_all_its_parameters_right_away(notebook: Path) -> None:
    tree = ast.parse(notebook.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check_parameters"
    ]
    assert len(calls) == 1
    assert {k.arg for k in calls[0].keywords} == set(declared_parameters(notebook))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("scenario", "no_such", "one of current, deal_15"),
        ("ver_scenario", "x", "one of current, deal_15"),
        ("scenarios", ["deal_15", "nope"], "one of current, deal_15"),
        ("partner", "Japan", "one of canada, china"),
        ("sector", "cars", "one of "),
        ("tornado_outcome", "gdp", "one of buyer_surplus_change_usd, deadweight_loss_usd"),
        ("start_date", "2024-12-31", "a date YYYY-MM-DD from 2025-01-01 to 2026-12-31"),
        ("end_date", "2025-02-30", "a date YYYY-MM-DD"),
        ("top_n", 0, "an integer from 1 to 45"),
        ("n_draws", 2_000_000, "an integer from 1 to 1,000,000"),
        ("seed", -1, "an integer from 0"),
        ("n_draws", True, "an integer"),
        ("market_file", "params/markets/none.yaml", "a market file params/markets/"),
    ],
)
def test_a_value_outside_its_domain_names_file_key_expected_and_found(
    inputs: Inputs, name: str, value: object, expected: str
) -> None:
    with pytest.raises(InputError) as err:
        check_value(inputs, "run.yaml", name, value)
    message = str(err.value)
    assert message.startswith(f"run.yaml: parameters.{name}: expected ")
    assert expected in message and repr(value if not isinstance(value, list) else "nope") in message


def test_values_inside_their_domains_pass(inputs: Inputs) -> None:
    check_parameters(
        inputs,
        scenario="deal_15",
        scenarios=["deal_15", "mfn_only"],
        partner="japan",
        sector="mvh",
        tornado_outcome="focus_sector_units_change",
        start_date="2025-01-01",
        end_date="2026-12-31",
        top_n=45,
        n_draws=1,
        seed=0,
        market_file="params/markets/example_batteries.yaml",
        not_in_the_table=object(),  # parameters without a domain are the notebook's business
    )


def test_the_timeline_may_not_end_before_it_starts(inputs: Inputs) -> None:
    with pytest.raises(InputError, match=r"parameters\.end_date: expected a date on or after"):
        check_parameters(inputs, "run.yaml", start_date="2025-06-01", end_date="2025-05-31")


def test_a_market_file_named_by_a_parameter_is_validated_up_front(
    inputs: Inputs, tmp_path: Path
) -> None:
    params = tmp_path / "params"
    (params / "markets").mkdir(parents=True)
    (params / "markets" / "bad.yaml").write_text("sources: []\n")
    moved = dataclasses.replace(inputs, params_dir=params)
    with pytest.raises(InputError, match=r"bad.yaml: sources: expected a non-empty list"):
        check_value(moved, "run.yaml", "market_file", "params/markets/bad.yaml")
