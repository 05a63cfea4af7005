"""Notebook execution: a hung cell times out."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from analysis.pipeline.build import build_reports
from analysis.pipeline.runs import load_run


@pytest.mark.slow
def test_a_hung_cell_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    # No jupytext header / kernelspec on purpose: parameters must still be injected.
    (nb_dir / "slow.py").write_text(
        '# %% tags=["parameters"]\nsecs: float = 0.0\n\n# %%\nimport time\n\ntime.sleep(secs)\n'
    )
    spec_path = tmp_path / "slow.yaml"
    spec_path.write_text("title: Slow\nnotebook: slow\nparameters:\n  secs: 60\n")
    started = time.monotonic()
    [result] = build_reports([load_run(spec_path, nb_dir)], tmp_path / "out", cell_timeout=1)
    assert time.monotonic() - started < 30
    assert result.status == "failed" and (result.error or "").startswith("CellTimeoutError")
    assert "\n" not in (result.error or "")
    assert (tmp_path / "out" / "slow.failed.ipynb").exists()


def test_papermill_writes_the_executed_notebook_once_when_it_completes(tmp_path: Path) -> None:
    import nbformat

    from analysis.pipeline.execute import _WriteOnceManager

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", id="one")])
    nb.metadata["papermill"] = {}
    out = tmp_path / "executed.ipynb"
    manager = _WriteOnceManager(nb, output_path=str(out), progress_bar=False)
    manager.notebook_start()
    manager.cell_start(nb.cells[0], 0)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="2\n")]
    manager.cell_complete(nb.cells[0], 0)
    manager.autosave_cell()
    assert not out.exists()  # papermill would have written it four times by now
    manager.notebook_complete()
    written = nbformat.read(out, as_version=4)
    assert written.cells[0].outputs[0].text == "2\n"
    assert written.metadata.papermill["end_time"] and written.cells[0].metadata.papermill


def test_the_fork_servers_workers_inherit_a_compiled_notebook_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import nbformat
    from nbformat import json_compat

    import analysis.pipeline.execute  # noqa: F401  (what the fork server imports)

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("the validator was compiled again")

    # A cell papermill adds is validated with the validator compiled at import.
    monkeypatch.setattr(json_compat.FastJsonSchemaValidator, "__init__", no_compiling)
    monkeypatch.setattr(json_compat.JsonSchemaValidator, "__init__", no_compiling)
    assert nbformat.v4.new_code_cell("x = 1").source == "x = 1"


def _count_writes(monkeypatch: pytest.MonkeyPatch, written: list[str]) -> None:
    """Record in ``written`` every path papermill (its engine or its ``execute_notebook``)
    writes a notebook to."""
    import papermill.engines
    import papermill.execute
    from papermill.iorw import write_ipynb

    def counting(nb: object, path: str) -> None:
        written.append(path)
        write_ipynb(nb, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counting)
    monkeypatch.setattr(papermill.execute, "write_ipynb", counting)


def _run_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cells: object, written: list[str]
) -> Path:
    """papermill.execute_notebook through the build's engine, whose kernel is ``run_cells``."""
    import nbformat
    import papermill

    from analysis.pipeline.execute import ENGINE_NAME, WriteOnceEngine

    monkeypatch.setattr(WriteOnceEngine, "execute_managed_notebook", classmethod(run_cells))
    _count_writes(monkeypatch, written)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", id="one")])
    out = tmp_path / "executed.ipynb"
    papermill.execute_notebook(
        nb, str(out), kernel_name="python3", progress_bar=False, engine_name=ENGINE_NAME
    )
    return out


def test_a_notebook_that_runs_is_written_once_with_its_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat

    def run_cells(cls: object, nb_man: Any, kernel_name: str, **kwargs: object) -> None:
        nb_man.nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="2\n")]

    written: list[str] = []
    out = _run_with(tmp_path, monkeypatch, run_cells, written)
    assert written == [str(out)]  # papermill's engine and papermill each wrote it before
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[0].outputs[0].text == "2\n"
    assert executed.metadata.papermill["end_time"]  # written after the run completed


def test_a_notebook_whose_cell_fails_is_written_once_with_papermills_error_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    def run_cells(cls: object, nb_man: Any, kernel_name: str, **kwargs: object) -> None:
        error = nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[])
        nb_man.nb.cells[0].outputs = [error]

    written: list[str] = []
    with pytest.raises(PapermillExecutionError):
        _run_with(tmp_path, monkeypatch, run_cells, written)
    out = tmp_path / "executed.ipynb"
    assert written == [str(out)]
    executed = nbformat.read(out, as_version=4)
    assert "papermill-error-cell-tag" in executed.cells[0].metadata.tags
    assert executed.cells[-1].outputs[0].ename == "ValueError"


def test_a_run_that_raises_is_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat

    def run_cells(cls: object, nb_man: Any, kernel_name: str, **kwargs: object) -> None:
        nb_man.nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="partial\n")]
        raise RuntimeError("Kernel died before replying to kernel_info")

    written: list[str] = []
    with pytest.raises(RuntimeError, match="Kernel died"):
        _run_with(tmp_path, monkeypatch, run_cells, written)
    out = tmp_path / "executed.ipynb"
    assert written == [str(out)]
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[0].outputs[0].text == "partial\n"  # what ran, for the failed page
