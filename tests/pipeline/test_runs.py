"""Run specs are validated before any kernel starts; every error names the file and key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURE_NOTEBOOKS, write_params
from helpers import USER_SCENARIO, alias_bomb, without_hanging

from analysis.inputs.errors import InputError
from analysis.pipeline.runs import ReportRun, fork_name, list_runs, load_run, notebook_run

GOOD = """\
title: Demo for Japan
notebook: demo
description: a test run
parameters:
  scenario: demo
  partner: japan
  n_points: 5
  scale: 2
  categories: [a, b]
  show_table: false
"""


@pytest.fixture
def params(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_params(tmp_path / "params", {}, scenarios=("demo", "japan_autos_25"))
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(root))
    return root


def spec(params: Path, text: str, name: str = "run") -> Path:
    path = params / "reports" / f"{name}.yaml"
    path.write_text(text)
    return path


def load(path: Path) -> ReportRun:
    return load_run(path, FIXTURE_NOTEBOOKS)


def expect_error(path: Path, key: str) -> InputError:
    with pytest.raises(InputError) as info:
        load(path)
    err = info.value
    assert err.file == str(path)
    assert err.key == key
    assert str(path) in str(err) and key in str(err)
    return err


def test_good_spec_loads(params: Path) -> None:
    run = load_run(spec(params, GOOD, "japan_demo"), FIXTURE_NOTEBOOKS)
    assert run.name == "japan_demo"
    assert run.title == "Demo for Japan"
    assert run.notebook_path == (FIXTURE_NOTEBOOKS / "demo.py").resolve()
    assert run.parameters["categories"] == ["a", "b"]
    assert run.description == "a test run"


def test_unknown_parameter(params: Path) -> None:
    err = expect_error(spec(params, GOOD + "  n_pionts: 3\n"), "parameters.n_pionts")
    assert "n_points" in err.expected  # lists the declared names


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("n_points: '5'", "parameters.n_points"),  # str for int
        ("n_points: 2.5", "parameters.n_points"),  # float for int
        ("n_points: true", "parameters.n_points"),  # bool is not an int
        ("scale: abc", "parameters.scale"),
        ("show_table: 1", "parameters.show_table"),
        ("categories: [a, 3]", "parameters.categories"),
        ("categories: a", "parameters.categories"),
    ],
)
def test_wrong_type(params: Path, line: str, key: str) -> None:
    name = line.split(":")[0]
    text = "\n".join(x for x in GOOD.splitlines() if not x.strip().startswith(f"{name}:"))
    err = expect_error(spec(params, text + f"\n  {line}\n"), key)
    assert err.expected.startswith("a value of type")


def test_int_is_accepted_for_float(params: Path) -> None:
    assert load(spec(params, GOOD)).parameters["scale"] == 2


@pytest.mark.parametrize(
    ("name", "value"), [("scenario", "no_such_scenario"), ("partner", "atlantis")]
)
def test_unknown_domain_value(params: Path, name: str, value: str) -> None:
    text = GOOD.replace(f"  {name}: ", f"  {name}: {value}  # was ")
    err = expect_error(spec(params, text), f"parameters.{name}")
    assert err.found == value
    assert "japan" in err.expected if name == "partner" else "japan_autos_25" in err.expected


def test_scenario_domain_comes_from_the_params_folder(params: Path) -> None:
    text = GOOD.replace("scenario: demo", "scenario: japan_autos_25")
    assert load(spec(params, text)).parameters["scenario"] == "japan_autos_25"
    (params / "scenarios" / "japan_autos_25.yaml").unlink()
    expect_error(spec(params, text), "parameters.scenario")


def test_unknown_top_level_key(params: Path) -> None:
    expect_error(spec(params, GOOD + "paramters: {}\n"), "paramters")


def test_missing_notebook(params: Path) -> None:
    err = expect_error(spec(params, GOOD.replace("notebook: demo", "notebook: nope")), "notebook")
    assert "demo" in err.expected and err.found == "nope"


def test_notebook_outside_the_folder_is_refused(params: Path) -> None:
    text = GOOD.replace("notebook: demo", "notebook: ../notebooks/demo")
    expect_error(spec(params, text), "notebook")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("notebook: demo\n", "title"),
        ("title: ''\nnotebook: demo\n", "title"),
        ("title: t\n", "notebook"),
        ("title: t\nnotebook: demo\nparameters: [1]\n", "parameters"),
        ("title: t\nnotebook: demo\ndescription: [1]\n", "description"),
        ("- a list\n", "(top level)"),
        ("title: t\ntitle: u\nnotebook: demo\n", "line 2"),  # duplicate key
        ("title: [unclosed\nnotebook: demo\n", "line 2"),  # invalid YAML
        # Issue 20, cases 6 and 8: an alias bomb, an impossible date.
        (f"title: t\nnotebook: demo\nparameters:\n  categories: {alias_bomb()}\n", "line 4"),
        ("title: t\nnotebook: demo\ndescription: 2025-02-30\n", "line 3"),
    ],
)
def test_malformed_specs(params: Path, text: str, key: str) -> None:
    err = expect_error(spec(params, text), key)
    assert len(str(err).splitlines()) == 1 and len(str(err)) < 400


def test_a_run_spec_that_is_a_fifo_is_refused_at_once(params: Path) -> None:
    # Issue 20, case 7.
    fifo = params / "reports" / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"\(file\): expected a regular file, found 'a FIFO"):
        without_hanging(lambda: load(fifo), [fifo])


def test_a_run_name_with_a_newline_cannot_forge_a_second_line(params: Path) -> None:
    # Issue 20, case 13.
    path = spec(params, GOOD, "run\nerror: forged")
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value) == (
        f"{params}/reports/run\\nerror: forged.yaml: (file name): expected a run file name of "
        "letters, digits, '_' or '-' (not 'index'), found 'run\\nerror: forged'"
    )


def test_bad_run_file_names(params: Path) -> None:
    expect_error(spec(params, GOOD, "index"), "(file name)")
    expect_error(spec(params, GOOD, "has space"), "(file name)")


def test_missing_spec_file(params: Path) -> None:
    expect_error(params / "reports" / "absent.yaml", "(file)")


def test_list_runs_sorted_and_validated(params: Path) -> None:
    spec(params, GOOD, "b_run")
    spec(params, GOOD.replace("n_points: 5", "n_points: 6"), "a_run")
    assert [r.name for r in list_runs(params, FIXTURE_NOTEBOOKS)] == ["a_run", "b_run"]
    spec(params, GOOD + "bogus: 1\n", "c_run")
    with pytest.raises(InputError, match=r"c_run\.yaml: bogus"):
        list_runs(params, FIXTURE_NOTEBOOKS)


def test_a_notebook_run_from_the_command_line_is_named_from_its_parameters(
    params: Path,
) -> None:
    from analysis.pipeline.runs import notebook_run

    run = notebook_run("demo", {"partner": "japan", "n_points": 5}, FIXTURE_NOTEBOOKS)
    assert run.name == "demo-partner-japan-n_points-5"
    assert run.effective_parameters["n_points"] == 5 and run.effective_parameters["scale"] == 1.0
    assert run.notebook_path == (FIXTURE_NOTEBOOKS / "demo.py").resolve()


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"nope": 1}, "parameters.nope"),
        ({"n_points": "five"}, "parameters.n_points"),
        ({"partner": "mars"}, "parameters.partner"),
    ],
)
def test_a_notebook_run_is_validated_like_a_spec(
    params: Path, values: dict[str, object], key: str
) -> None:
    from analysis.pipeline.runs import notebook_run

    with pytest.raises(InputError) as info:
        notebook_run("demo", values, FIXTURE_NOTEBOOKS)
    assert info.value.key == key


def test_a_notebook_run_needs_a_known_notebook(params: Path) -> None:
    from analysis.pipeline.runs import notebook_run

    with pytest.raises(InputError, match="one of: demo"):
        notebook_run("../demo", {}, FIXTURE_NOTEBOOKS)


@pytest.mark.parametrize(
    ("notebook", "values", "name"),
    [
        ("scenario_report", {"scenario": "letter_25"}, "scenario_report-scenario-letter_25"),
        ("timeline", {"start_date": "2025-04-01"}, "timeline-start_date-2025-04-01"),
        ("autos", {"scenarios": ["a b", "c/d"]}, "autos-scenarios-a-b_c-d"),
        ("x", {"rate": 0.2}, "x-rate-0-2"),
        ("index", {}, "index-report"),
    ],
)
def test_fork_names_are_safe_file_names(
    notebook: str, values: dict[str, object], name: str
) -> None:
    from analysis.pipeline.runs import fork_name

    assert fork_name(notebook, values) == name


def test_long_fork_names_end_in_a_hash() -> None:
    import re

    from analysis.pipeline.runs import fork_name

    name = fork_name("scenario_report", {"scenarios": ["escalation_35"] * 20})
    assert len(name) <= 111 and re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert name != fork_name("scenario_report", {"scenarios": ["escalation_35"] * 21})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20", 20),
        ("0.2", 0.2),
        ("japan", "japan"),
        ("[deal_15, letter_25]", ["deal_15", "letter_25"]),
        ("true", True),
        ("2025-04-01", "2025-04-01"),
        ("[unclosed", "[unclosed"),
        ("2025-02-30", "2025-02-30"),  # issue 20, case 8: a traceback before
        ("[2025-04-01, 2025-13-01]", ["2025-04-01", "2025-13-01"]),
    ],
)
def test_p_values_are_yaml_like_papermill_y(text: str, value: object) -> None:
    from analysis.pipeline.runs import parse_value

    assert parse_value(text) == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (alias_bomb(), "found 'more (an alias bomb?)'"),  # issue 20, case 6
        ("{a: 1, a: 2}", "found \"duplicate key 'a'\""),
    ],
)
def test_bad_p_values_are_one_line(text: str, found: str) -> None:
    from analysis.pipeline.runs import parse_value

    with pytest.raises(InputError) as err:
        parse_value(text, "categories")
    message = str(err.value)
    assert message.startswith("-p: categories: expected ") and message.endswith(found)


def test_a_scenario_file_parameter_is_read_once_into_the_run(tmp_path: Path) -> None:
    from analysis.report.parameters import user_file_name

    path = tmp_path / "elsewhere" / "my_letter.yaml"
    path.parent.mkdir()
    path.write_text(USER_SCENARIO)
    run = notebook_run("scenario_report", {"scenario_file": str(path)})
    assert run.parameters["scenario_file"] == str(path.resolve())
    assert run.effective_parameters["scenario_file"] == str(path.resolve())
    assert run.user_files == {user_file_name(path.resolve()): USER_SCENARIO.encode()}
    assert run.name == fork_name("scenario_report", {"scenario_file": str(path)})


def test_a_relative_scenario_file_in_a_run_spec_is_relative_to_the_spec(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_SCENARIO)
    spec = tmp_path / "mine_report.yaml"
    spec.write_text(
        "title: Mine\nnotebook: scenario_report\nparameters:\n  scenario_file: mine.yaml\n"
    )
    run = load_run(spec)
    assert run.parameters["scenario_file"] == str((tmp_path / "mine.yaml").resolve())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (USER_SCENARIO.replace("rate: 0.15", "rate: 15"), "changes[0].rate: expected a number <="),
        (USER_SCENARIO.replace("regime_date: 2025-07-07\n", ""), "regime_date: expected a value"),
        ("title: [unclosed\n", "expected valid YAML"),
    ],
)
def test_a_broken_scenario_file_fails_that_report_with_one_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        notebook_run("scenario_report", {"scenario_file": str(path)})
    assert err.value.file == str(path.resolve())
    assert expected in str(err.value) and "\n" not in str(err.value)


def test_a_missing_scenario_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        notebook_run("scenario_report", {"scenario_file": str(tmp_path / "none.yaml")})
    assert "none.yaml" in str(err.value)
