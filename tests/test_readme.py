"""The README's quick start is exactly the two Makefile commands, and CI runs the second."""

from __future__ import annotations

import re

from helpers import run_cli

from analysis.inputs.paths import PROJECT_DIR


def test_the_quick_start_is_make_reports_and_make_test() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make reports", "make test"]


def test_the_makefile_provides_setup_reports_and_test() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.MULTILINE))
    assert {"setup", "reports", "test"} <= targets
    assert re.search(r"^reports: setup", makefile, flags=re.MULTILINE)
    assert re.search(r"^test: setup", makefile, flags=re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)


def _block(heading: str, fence: str = "") -> str:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    return readme.split(f"## {heading}", 1)[1].split(f"```{fence}", 1)[1].split("```", 1)[0]


def test_every_command_line_example_runs() -> None:
    lines = [line.split("#")[0].strip() for line in _block("Command line").splitlines()]
    commands = [re.sub(r"\s*\[[^\]]*\]", "", line) for line in lines if line]
    assert len(commands) >= 7
    for command in commands:
        args = command.split()
        assert args[0] == "tariff-reports"
        if args[1] == "build":  # every report: the notebook tests build each one
            continue
        out = run_cli(*args[1:])
        assert out.returncode == 0, (command, out.stderr)


def test_the_python_example_runs() -> None:
    code = _block("Python", "python")
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "result" in namespace
