"""``build`` and ``list`` from the command line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_params
from helpers import USER_SCENARIO, alias_bomb

from analysis.cli import main
from analysis.cli import reports as reports_cli
from analysis.cli.reports import (
    add_build_arguments,
    add_list_arguments,
    cmd_build,
    cmd_list,
)
from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.nbparams import declared_parameters
from analysis.report.parameters import domain_of


@pytest.mark.slow
def test_cli_build_reports_failures_with_exit_code_1(
    build_params: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    add_build_arguments(parser)
    args = parser.parse_args(["fixed", "broken", "--jobs", "2", "--out", str(tmp_path / "o")])
    assert cmd_build(args) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split() == ["report", "status", "seconds", "output"]
    assert lines[1].split()[:2] == ["fixed", "ok"] and lines[2].split()[:2] == ["broken", "failed"]
    assert "broken.failed.ipynb" in lines[2]
    assert "[2/2]" in captured.err


def test_cli_input_errors_exit_2_with_one_line(
    build_params: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "no_such_run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: no_such_run: run: expected")

    (build_params / "reports" / "bad.yaml").write_text("title: t\nnotebook: demo\nextra: 1\n")
    assert main(["build", "bad"]) == 2
    assert main(["list"]) == 2
    expected = "one of ['description', 'notebook', 'parameters', 'title'], found 'an unknown key'"
    assert f"bad.yaml: extra: expected {expected}" in capsys.readouterr().err


def test_cli_list(build_params: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_list_arguments(parser)
    assert cmd_list(parser.parse_args([])) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["run", "broken", "demo", "fixed"]


@pytest.mark.parametrize(
    ("notebook", "parameter", "value"),
    [
        ("autos", "ver_scenario", "no_such_scenario"),
        ("sensitivity", "tornado_outcome", "happiness"),
        ("sensitivity", "n_draws", 0),
        ("adhoc_template", "market_file", "params/markets/missing.yaml"),
        ("partner_report", "start_date", "2024-01-01"),
        ("partner_report", "top_n", 1000),
    ],
)
def test_a_parameter_outside_its_domain_stops_the_build_before_any_kernel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], notebook: str, parameter: str, value: object
) -> None:
    spec = tmp_path / "bad_run.yaml"
    spec.write_text(
        f"title: t\nnotebook: {notebook}\nparameters:\n  {parameter}: {json.dumps(value)}\n"
    )
    out = tmp_path / "out"
    assert main(["build", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"bad_run.yaml: parameters.{parameter}: expected" in err
    assert not out.exists()  # nothing started, nothing written


def test_an_unusable_output_folder_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "report.html"
    a_file.write_text("x")
    assert main(["build", "japan_deal_15", "--out", str(a_file)]) == 2
    assert capsys.readouterr().err == f"error: {a_file}: --out: expected a folder, found 'a file'\n"
    under_a_file = a_file / "sub"
    assert main(["build", "japan_deal_15", "--out", str(under_a_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {under_a_file}: --out: expected a folder we can write to")
    assert err.count("\n") == 1 and a_file.read_text() == "x"


def test_a_missing_output_folder_is_created(tmp_path: Path) -> None:
    from analysis.cli.reports import usable_output_folder

    out = tmp_path / "new" / "reports"
    assert usable_output_folder(out) == out and out.is_dir() and list(out.iterdir()) == []


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["build", "japan_deal_15", "--scheduler", "tcp://127.0.0.1:9", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: tcp://127.0.0.1:9: --scheduler: expected a reachable Dask")
    assert not out.exists()  # checked before anything is written


def test_build_accepts_no_cache_and_a_scheduler() -> None:
    parser = argparse.ArgumentParser()
    add_build_arguments(parser)
    args = parser.parse_args(["--no-cache", "--scheduler", "tcp://h:8786"])
    assert args.no_cache is True and args.scheduler == "tcp://h:8786"
    assert parser.parse_args([]).no_cache is False


@pytest.mark.slow
def test_build_notebook_with_p_forks_one_report_named_from_its_parameters(
    build_params: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o"
    code = main(
        ["build", "demo", "-p", "n_points", "5", "-p", "categories", "[a, b]", "-o", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    name = "demo-n_points-5-categories-a_b"
    assert (out / f"{name}.html").is_file() and (out / f"{name}.ipynb").is_file()
    executed = json.loads((out / f"{name}.ipynb").read_text())
    [injected] = [c for c in executed["cells"] if "injected-parameters" in str(c["metadata"])]
    assert "".join(injected["source"]) == '# Parameters\nn_points = 5\ncategories = ["a", "b"]\n'
    assert name in (out / "index.html").read_text()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["demo", "-p", "n_points", "five"], "parameters.n_points: expected a value of type int"),
        (["demo", "-p", "nope", "1"], "parameters.nope: expected a parameter declared in demo.py"),
        (["demo", "-p", "partner", "mars"], "parameters.partner: expected one of"),
        (["nowhere", "-p", "a", "1"], "notebook: expected a notebook stem"),
        (["demo", "fixed", "-p", "a", "1"], "NOTEBOOK: expected exactly one notebook stem"),
        (
            ["demo", "-p", "scale", "1", "-p", "scale", "2"],
            "scale: expected each parameter given once",
        ),
    ],
)
def test_bad_p_values_stop_before_any_kernel_with_one_line(
    build_params: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    out = tmp_path / "out"
    assert main(["build", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err, err
    assert not out.exists()


def test_params_lists_each_parameter_with_type_default_allowed_values_and_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["params", "scenario_report"]) == 0
    out = capsys.readouterr().out
    assert "  top_n: int = 10\n" in out and "allowed: an integer from 1 to 45" in out
    assert "  what_if_rate: float | None = None\n" in out and "allowed: a rate from 0 to 0.5" in out
    assert "or null (none)" in out and "None: the law's" in out  # the what-if starts at the law
    assert "hardest-hit sectors" in out  # the help comment


def test_params_of_an_unknown_notebook_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["params", "no_such_notebook"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NOTEBOOK: expected a notebook stem (adhoc_template" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Issue 20, case 13: a run name from the command line with a newline.
        (
            ["x\nerror: forged"],
            "error: x\\nerror: forged: run: expected a run spec file or one of the runs: ",
        ),
        (["demo\nerror: forged", "-p", "a", "1"], "-p (demo\\nerror: forged): notebook: "),
        # Issue 20, case 6: an alias bomb as a -p value (580 MB on one line before).
        (
            ["demo", "-p", "categories", alias_bomb()],
            "error: -p: categories: expected at most 1,000,000 values and characters once "
            "aliases are expanded, found 'more (an alias bomb?)'",
        ),
        (["demo", "-p", "scenario", "{a: 1, a: 2}"], "-p: scenario: expected valid YAML"),
    ],
)
def test_hostile_command_line_values_are_one_short_line(
    build_params: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    out = tmp_path / "out"
    assert main(["build", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 600 and expected in err, err[:1000]
    assert not out.exists()


def test_an_impossible_date_as_a_p_value_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 20, case 8: PyYAML's ValueError for 2025-02-30 was a traceback, exit 1.
    out = tmp_path / "out"
    code = main(["build", "partner_report", "-p", "start_date", "2025-02-30", "-o", str(out)])
    assert code == 2
    assert capsys.readouterr().err == (
        "error: -p (partner_report): parameters.start_date: expected a date YYYY-MM-DD from "
        "2025-01-01 to 2026-12-31, or 'today' (the last day the law was checked), found "
        "'2025-02-30'\n"
    )


def test_a_run_spec_named_with_a_newline_is_one_line(
    build_params: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (build_params / "reports" / "x\nerror: forged.yaml").write_text("title: t\nnotebook: demo\n")
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x\\nerror: forged.yaml: (file name): expected" in err


@pytest.mark.parametrize(
    ("args", "fifo_name"),
    [
        (["build", "adhoc_template", "-p", "market_file", "params/markets/f.yaml"], "markets/f"),
        (["list"], "reports/f"),
    ],
)
def test_a_fifo_where_a_yaml_file_is_expected_is_refused_at_once(
    tmp_path: Path, args: list[str], fifo_name: str
) -> None:
    # Issue 20, case 7: `-p market_file` on a FIFO and a FIFO run spec waited for ever.
    params = write_params(tmp_path / "params", {})
    fifo = params / f"{fifo_name}.yaml"
    os.mkfifo(fifo)
    command = [*args, "-o", str(tmp_path / "out")] if args[0] == "build" else args
    out = subprocess.run(
        [sys.executable, "-m", "analysis", *command],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "TARIFF_REPORTS_PARAMS": str(params)},
        timeout=120,  # a fault: the old code never returns
    )
    assert out.returncode == 2
    assert out.stderr == (
        f"error: {fifo}: (file): expected a regular file, found 'a FIFO (named pipe)'\n"
    )
    assert not (tmp_path / "out").exists()


def _outside(annotation: object) -> object:
    """A value of the right type just outside the domain ``annotation`` declares."""
    domain, many = domain_of(annotation)
    assert domain is not None
    outside: dict[str, object] = {
        "integer": int(domain.high) + 1,
        "rate": domain.high + 0.01,
        "date": "2024-12-31",
        "market_file": "params/markets/no_such.yaml",
    }
    value = outside.get(domain.kind, "no_such_name")
    return [value] if many else value


@pytest.mark.parametrize(
    ("notebook", "name"),
    [
        # each notebook's last parameter: top_n, what_if_rate, tornado_outcome, end_date, ...
        (path.stem, list(declared_parameters(path))[-1])
        for path in sorted((PROJECT_DIR / "notebooks").glob("*.py"))
    ],
)
def test_a_value_outside_a_notebooks_contract_stops_before_any_kernel(
    notebook: str,
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(reports_cli, "build_reports", no_kernel)
    monkeypatch.setattr(reports_cli, "start_early", lambda local: None)
    declared = declared_parameters(PROJECT_DIR / "notebooks" / f"{notebook}.py")[name]
    value = _outside(declared.type)
    out = tmp_path / "out"
    text = json.dumps(value)
    assert main(["build", notebook, "-p", name, text, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    shown = repr(value[0] if isinstance(value, list) else value)
    assert err.startswith(f"error: -p ({notebook}): parameters.{name}: expected "), err
    assert err.endswith(f", found {shown}\n"), err
    assert not out.exists()


def test_a_broken_scenario_file_fails_its_report_in_one_line_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(reports_cli, "build_reports", no_kernel)
    monkeypatch.setattr(reports_cli, "start_early", lambda local: None)
    path = tmp_path / "elsewhere" / "mine.yaml"
    path.parent.mkdir()
    path.write_text(USER_SCENARIO.replace("rate: 0.15", "rate: 15"))
    out = tmp_path / "out"
    code = main(["build", "scenario_report", "-p", "scenario_file", str(path), "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err == (f"error: {path}: changes[0].rate: expected a number <= 10.0, found 15\n"), err
    assert not out.exists()
    # The shipped scenarios are untouched by it.
    assert main(["simulate", "--scenario", "deal_15", "--json"]) == 0


@pytest.mark.slow
def test_a_report_from_a_scenario_file_outside_the_project(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "my_letter.yaml"
    path.parent.mkdir()
    path.write_text(USER_SCENARIO)
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "build",
            "scenario_report",
            "-p",
            "scenario_file",
            str(path),
            "-o",
            str(out),
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [html] = out.glob("scenario_report-scenario_file-*.html")
    assert "My letter scenario" in html.read_text(encoding="utf-8")
    # The captured log of the build: progress lines only, no warning from papermill
    # ("Passed unknown parameter", "Unable to parse line").
    lines = done.stderr.splitlines()
    assert lines[0].startswith("building 1 report(s)") and lines[1].startswith("[1/1] "), lines
    assert len(lines) == 2, lines


HANDED_NOTEBOOK = """\
# %%
import hashlib

from analysis.inputs import shared
from analysis.inputs.bundle import load_inputs
from analysis.inputs.paths import data_folder, params_dir
from analysis.report.parameters import Scenario

# %% tags=["parameters"]
scenario: Scenario = "deal_15"

# %%
key = shared.inputs_key(params_dir().resolve(), data_folder().resolve())
own = shared.own_folder()
name = hashlib.sha256(str(key).encode()).hexdigest()
print("stored before the kernel loads:", own is not None and (own / f"{name}.pickle").is_file())
print("title:", load_inputs().scenario(scenario).title)
"""


@pytest.mark.slow
def test_the_bundle_the_runs_were_checked_against_is_handed_to_the_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The builder checks the run against the build's private copy and stores the bundle it
    loaded where the kernel's ``load_inputs()`` of that copy looks: it is there before the
    kernel loads anything, and the kernel's inputs are those of the run's scenario."""
    import nbformat

    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    (nb_dir / "handed.py").write_text(HANDED_NOTEBOOK)
    monkeypatch.setenv("TARIFF_REPORTS_NOTEBOOKS", str(nb_dir))
    monkeypatch.setenv("TARIFF_REPORTS_CACHE", "off")
    monkeypatch.delenv("TARIFF_REPORTS_SHARED", raising=False)
    out = tmp_path / "out"
    assert main(["build", "handed", "-p", "scenario", "letter_25", "-o", str(out)]) == 0
    [executed] = out.glob("handed-*.ipynb")
    text = "".join(
        o.get("text", "")
        for c in nbformat.read(executed, as_version=4).cells
        for o in c.get("outputs", [])
    )
    from analysis.inputs.bundle import load_inputs

    assert "stored before the kernel loads: True" in text, text
    assert f"title: {load_inputs().scenario('letter_25').title}" in text, text
