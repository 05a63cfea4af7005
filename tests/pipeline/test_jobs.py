"""Jobs and executions cross process boundaries: they pickle, and the builder never needs
papermill to make or read them. The builder starts the longest runs first."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import jobs
from analysis.pipeline.jobs import Execution, longest_first, previous_kernel_cpu_seconds
from analysis.pipeline.layout import META_KEY
from analysis.pipeline.runs import ReportRun


def test_an_execution_survives_the_pipe() -> None:
    execution = Execution("demo", 1.5, None, 250.0)
    assert pickle.loads(pickle.dumps(execution)) == execution


def test_the_builder_side_imports_no_notebook_machinery() -> None:
    code = (
        "import sys; import analysis.pipeline.build, analysis.pipeline.jobs, "
        "analysis.pipeline.workers; print(sorted({'papermill', 'jupyter_client', 'nbclient'} "
        "& set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def run_of(name: str, notebook: str) -> ReportRun:
    return ReportRun(name, Path(f"{name}.yaml"), name, notebook, Path(f"{notebook}.py"))


def publish_stamp(out_dir: Path, name: str, notebook: str, cpu: object, padding: int = 0) -> None:
    """``name``'s executed notebook as a build publishes it (``nbformat.write``), its stamp
    naming its run, its notebook and its kernel's CPU seconds, after ``padding`` characters of
    outputs."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    text = '\n "metadata": {"tariff_reports": {"kernel_cpu_seconds": 99}}\n' + "x" * padding
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nb.cells = [cell]
    nb.metadata[META_KEY] = {"run": name, "notebook": notebook, "kernel_cpu_seconds": cpu}
    nbformat.write(nb, out_dir / f"{name}.ipynb")


def test_the_longest_reports_of_the_previous_build_start_first(tmp_path: Path) -> None:
    runs = [run_of("a", "n"), run_of("b", "n"), run_of("c", "n"), run_of("d", "n")]
    publish_stamp(tmp_path, "a", "n", 2.0)
    publish_stamp(tmp_path, "b", "n", 9.5, padding=600_000)  # its stamp far from the start
    publish_stamp(tmp_path, "c", "n", 5)
    publish_stamp(tmp_path, "d", "n", 5.0)
    assert [r.name for r in longest_first(runs, tmp_path)] == ["b", "c", "d", "a"]
    assert previous_kernel_cpu_seconds(runs[1], tmp_path) == 9.5


def test_without_a_previous_stamp_a_run_is_as_long_as_its_notebook_is_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = {"long": 6.0, "short": 1.0, "mid": 2.0}
    monkeypatch.setattr(jobs, "DECLARED_KERNEL_CPU_SECONDS", declared)
    runs = [run_of("s", "short"), run_of("mine", "user's"), run_of("l", "long"), run_of("m", "mid")]
    # The user's notebook: the median of the others (1, 6, 2), 2; a tie keeps the given order.
    assert [r.name for r in longest_first(runs, tmp_path)] == ["l", "mine", "m", "s"]
    publish_stamp(tmp_path, "s", "short", 3.0)  # the previous build's figure, not the declared
    # s 3, l 6, m 2: the user's is the median, 3.
    assert [r.name for r in longest_first(runs, tmp_path)] == ["l", "s", "mine", "m"]


def test_a_stamp_that_is_not_the_runs_own_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "DECLARED_KERNEL_CPU_SECONDS", {"n": 1.0})
    run = run_of("a", "n")
    for notebook, cpu in (("other", 7.0), ("n", 0), ("n", None), ("n", True), ("n", "7")):
        publish_stamp(tmp_path, "a", notebook, cpu)
        assert previous_kernel_cpu_seconds(run, tmp_path) is None
    (tmp_path / "a.ipynb").write_bytes(b'{"cells": [], \n "metadata": {"tariff_reports": ')
    assert previous_kernel_cpu_seconds(run, tmp_path) is None
    assert previous_kernel_cpu_seconds(run_of("missing", "n"), tmp_path) is None


def test_without_any_estimate_the_given_order_is_kept(tmp_path: Path) -> None:
    runs = [run_of("z", "x"), run_of("a", "y"), run_of("m", "x")]
    assert longest_first(runs, tmp_path) == runs
