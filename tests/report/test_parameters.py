"""A notebook parameter's contract, declared once by its annotation: every notebook parameter
has a domain, the notebook checks its own contract, and bad values are refused in one line."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from helpers import USER_SCENARIO

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.nbparams import declared_parameters, parameters_cell
from analysis.report.parameters import (
    MAX_WHAT_IF_RATE,
    Date,
    Integer,
    MarketFile,
    Outcome,
    Partner,
    Rate,
    RateOrNone,
    Scenario,
    Sector,
    allowed_values,
    check_parameters,
    check_value,
    domain_of,
)

NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.py"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_parameter_declares_its_domain(notebook: Path) -> None:
    declared = declared_parameters(notebook)
    assert declared
    assert all(domain_of(p.type)[0] is not None for p in declared.values()), notebook.stem


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_checks_its_declared_contract_right_after_the_parameters(
    notebook: Path,
) -> None:
    source = notebook.read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check_parameters"
    ]
    assert len(calls) == 1
    assert ast.unparse(calls[0]) == "check_parameters(inputs, __annotations__, globals())"
    cell = parameters_cell(source)
    assert cell is not None
    after = source.splitlines()[cell[0] - 1 + len(cell[1].splitlines()) :]
    code = [line for line in after if line.strip() and not line.startswith("#")]
    assert "check_parameters(" in code[1]  # after `inputs = load_inputs()`


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_kernel_evaluates_the_contract_the_pre_kernel_check_reads(notebook: Path) -> None:
    # What the notebook's own check sees (its __annotations__ after its imports and the
    # parameters cell ran) is what the pre-kernel check read from the source.
    source = notebook.read_text(encoding="utf-8")
    imports = re.search(r"^from analysis\.report\.parameters import (\([^)]*\)|.*)$", source, re.M)
    assert imports is not None
    cell = parameters_cell(source)
    assert cell is not None
    namespace: dict[str, object] = {}
    code = compile(imports[0] + "\n" + cell[1], str(notebook), "exec", dont_inherit=True)
    exec(code, namespace)
    declared = declared_parameters(notebook)
    assert namespace["__annotations__"] == {n: p.type for n, p in declared.items()}


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (Scenario, "no_such", "one of current, deal_15"),
        (list[Scenario], ["deal_15", "nope"], "one of current, deal_15"),
        (Partner, "Japan", "one of canada, china"),
        (Sector, "cars", "one of "),
        (Outcome, "gdp", "one of buyer_surplus_change_usd, deadweight_loss_usd"),
        (Date, "2024-12-31", "a date YYYY-MM-DD from 2025-01-01 to 2026-12-31"),
        (Date, "2025-02-30", "a date YYYY-MM-DD"),
        (Integer[1, 45], 0, "an integer from 1 to 45"),
        (Integer[1, 1_000_000], 2_000_000, "an integer from 1 to 1,000,000"),
        (Integer[0, 2**32 - 1], -1, "an integer from 0"),
        (Integer[1, 10], True, "a value of type int"),
        (Integer[1, 10], "3", "a value of type int"),
        (Rate[0, MAX_WHAT_IF_RATE], 0.6, "a rate from 0 to 0.5 (a fraction: 0.2 is 20%)"),
        (RateOrNone[0, MAX_WHAT_IF_RATE], 0.6, "a rate from 0 to 0.5"),
        (RateOrNone[0, MAX_WHAT_IF_RATE], "law", "a value of type float | None"),
        (MarketFile, "params/markets/none.yaml", "a market file params/markets/"),
    ],
)
def test_a_value_outside_its_domain_names_file_key_expected_and_found(
    inputs: Inputs, annotation: object, value: object, expected: str
) -> None:
    with pytest.raises(InputError) as err:
        check_value(inputs, "run.yaml", "x", annotation, value)
    message = str(err.value)
    assert message.startswith("run.yaml: parameters.x: expected ")
    assert expected in message and repr(value if not isinstance(value, list) else "nope") in message


def test_a_range_belongs_to_its_notebook_not_to_the_parameter_name(inputs: Inputs) -> None:
    # The same name with two declarations: 30 is in one notebook's range, not in the other's.
    check_parameters(inputs, {"top_n": Integer[1, 45]}, {"top_n": 30})
    with pytest.raises(InputError, match=r"parameters\.top_n: expected an integer from 1 to 20"):
        check_parameters(inputs, {"top_n": Integer[1, 20]}, {"top_n": 30})
    assert allowed_values(Integer[1, 20], inputs) == "an integer from 1 to 20"
    assert allowed_values(list[Scenario], inputs).startswith("a list, each one of ")
    assert allowed_values(int, inputs) == "any int"


def test_values_inside_their_domains_pass(inputs: Inputs) -> None:
    contract = {
        "scenario": Scenario,
        "scenarios": list[Scenario],
        "partner": Partner,
        "country": Partner,
        "sector": Sector,
        "tornado_outcome": Outcome,
        "start_date": Date,
        "end_date": Date,
        "top_n": Integer[1, 45],
        "seed": Integer[0, 2**32 - 1],
        "what_if_rate": Rate[0, MAX_WHAT_IF_RATE],
        "market_file": MarketFile,
        "free": int,  # a parameter without a domain is the notebook's business
    }
    check_parameters(
        inputs,
        contract,
        {
            "scenario": "deal_15",
            "scenarios": ["deal_15", "mfn_only"],
            "partner": "japan",
            "country": "KOR",
            "sector": "mvh",
            "tornado_outcome": "focus_sector_units_change",
            "start_date": "2025-01-01",
            "end_date": "today",
            "top_n": 45,
            "seed": 0,
            "what_if_rate": 0.5,
            "market_file": "params/markets/example_batteries.yaml",
            "free": -3,
            "undeclared": object(),  # globals() holds more than the parameters
        },
    )


def test_the_timeline_may_not_end_before_it_starts(inputs: Inputs) -> None:
    with pytest.raises(InputError, match=r"parameters\.end_date: expected a date on or after"):
        check_parameters(
            inputs,
            {"start_date": Date, "end_date": Date},
            {"start_date": "2025-06-01", "end_date": "2025-05-31"},
            "run.yaml",
        )


def test_a_market_file_named_by_a_parameter_is_validated_up_front(
    inputs: Inputs, tmp_path: Path
) -> None:
    params = tmp_path / "params"
    (params / "markets").mkdir(parents=True)
    (params / "markets" / "bad.yaml").write_text("sources: []\n")
    moved = dataclasses.replace(inputs, params_dir=params)
    with pytest.raises(InputError, match=r"bad.yaml: sources: expected a non-empty list"):
        check_value(moved, "run.yaml", "market_file", MarketFile, "params/markets/bad.yaml")


def test_a_kernel_reads_the_builds_private_copy_of_a_scenario_file(
    inputs: Inputs, tmp_path: Path
) -> None:
    from analysis.pipeline.snapshot import InputsSnapshot, MaterializedSnapshot
    from analysis.report.parameters import chosen_scenario, user_file_name, user_scenario

    path = tmp_path / "elsewhere" / "my_letter.yaml"
    path.parent.mkdir()
    path.write_text(USER_SCENARIO)
    copy = {user_file_name(path): path.read_bytes()}
    snapshot = InputsSnapshot.take(user_files=copy)
    assert snapshot.digest != InputsSnapshot.take().digest  # the key covers the file's bytes
    with MaterializedSnapshot(snapshot) as private:
        path.write_text(USER_SCENARIO.replace("My letter", "Edited after the build read it"))
        in_kernel = dataclasses.replace(inputs, params_dir=private.root / "params")
        scenario = user_scenario(in_kernel, str(path))
    assert scenario.name == "my_letter" and scenario.title == "My letter scenario"
    assert scenario.user_assumptions  # its rate is the user's, with a reason
    # Run by hand (no build, no copy), the notebook reads the file as it is now.
    by_hand = chosen_scenario(inputs, "deal_15", str(path))
    assert not isinstance(by_hand, str) and by_hand.title.startswith("Edited")
    assert chosen_scenario(inputs, "deal_15", None) == "deal_15"


def test_the_notebooks_own_check_refuses_what_the_pre_kernel_check_refuses(
    inputs: Inputs,
) -> None:
    # As in a kernel: the imports, the parameters cell, papermill's injected cell (a value out
    # of range), then the notebook's first check.
    notebook = PROJECT_DIR / "notebooks" / "scenario_report.py"
    source = notebook.read_text(encoding="utf-8")
    imports = re.search(r"^from analysis\.report\.parameters import \([^)]*\)", source, re.M)
    cell = parameters_cell(source)
    assert imports is not None and cell is not None
    namespace: dict[str, object] = {"inputs": inputs}
    code = imports[0] + "\n" + cell[1] + "\ntop_n = 99\n"
    exec(compile(code, str(notebook), "exec", dont_inherit=True), namespace)
    with pytest.raises(InputError) as err:
        exec(
            compile("check_parameters(inputs, __annotations__, globals())", "cell", "exec"),
            namespace,
        )
    assert str(err.value) == (
        "(notebook): parameters.top_n: expected an integer from 1 to 45, found 99"
    )


def test_a_rate_or_none_takes_none_as_the_notebooks_own_choice(inputs: Inputs) -> None:
    annotation = RateOrNone[0, MAX_WHAT_IF_RATE]
    check_value(inputs, "run.yaml", "what_if_rate", annotation, None)
    check_value(inputs, "run.yaml", "what_if_rate", annotation, 0.2)
    assert allowed_values(annotation, inputs).endswith(", or null (none)")
