"""The command line's one error handler: one line, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import run_cli

from analysis.inputs.paths import PROJECT_DIR


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("rates", "--scenario", "no_such_scenario"), "scenario: expected one of"),
        (("rates", "--date", "2025-13-40"), "--date: expected a date YYYY-MM-DD"),
        (("simulate", "--scenario", "nope"), "scenario: expected one of"),
        (("market", "--file", "missing.yaml"), "missing.yaml: (file): expected an existing file"),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_code_2(args: tuple[str, ...], needle: str) -> None:
    out = run_cli(*args)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_is_one_line_and_exit_2() -> None:
    # `tariff-reports rates --json | head -c 10`: the reader leaves early. The output (~0.3 MB)
    # is larger than a pipe's buffer, so the writer always meets the closed pipe.
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "rates", "--scenario", "deal_15", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_DIR,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 2
    assert stderr == "error: (stdout): expected a reader for the output, found a closed pipe\n"


@pytest.mark.parametrize(("script", "frozen"), [("tariff-reports", True), ("pytest", False)])
def test_only_the_real_command_line_skips_the_collection_at_exit(script: str, frozen: bool) -> None:
    # The command line's process ends when main returns: its objects are frozen (no cycle
    # collection over every module at shutdown); a caller that goes on (a test) keeps its GC.
    code = (
        "import gc, sys\n"
        f"sys.argv = [{script!r}]\n"
        "from analysis.cli.app import main\n"
        "assert gc.get_freeze_count() == 0\n"
        "code = main(['list'])\n"
        "print(code, gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == f"0 {frozen}"


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_DIR, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_the_command_lines_entry_point_imports_nothing_heavy() -> None:
    # The console script imports `main` from the package: the fork server of a build starts
    # before anything heavy is imported, and each worker imports the script again (its main).
    modules = _modules_after("from analysis.cli import main")
    assert {"pandas", "numpy", "analysis.cli.app", "analysis.inputs"}.isdisjoint(modules)


def test_a_build_does_not_import_the_law_commands() -> None:
    # Parsing `build` registers every subcommand (`--help` lists them all) without importing
    # what `rates` and `validate` run on (the line engine), nor what only the end of a build
    # needs (the index's data pages: the report tables and, through the model, scipy).
    modules = _modules_after(
        "from analysis.cli.app import build_parser\n"
        "build_parser().parse_args(['build', 'japan_deal_15'])"
    )
    assert "analysis.cli.law" in modules
    assert {"analysis.cli.lines", "analysis.cli.rates_text"}.isdisjoint(modules)
    assert {"analysis.pipeline.index", "analysis.report.tables", "scipy"}.isdisjoint(modules)


def test_the_package_entry_point_runs_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("tariff-reports ")


def test_the_builders_own_modules_import_no_scipy() -> None:
    # The builder renders, publishes and indexes reports; it fits nothing (the kernels do), so
    # it never pays for scipy.optimize (the model's calibration imports it when it fits).
    modules = _modules_after(
        "import analysis.pipeline.index, analysis.pipeline.publish, analysis.pipeline.render\n"
        "import analysis.model.calibration"
    )
    assert "analysis.report.tables" in modules
    assert not any(m == "scipy" or m.startswith("scipy.") for m in modules)
