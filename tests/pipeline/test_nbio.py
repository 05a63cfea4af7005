"""Typed nbformat wrappers: notebooks survive a write and a read, stand-ins are valid."""

from __future__ import annotations

from pathlib import Path

import nbformat

from analysis.pipeline.nbio import markdown_nb, read_nb, write_nb


def test_a_notebook_written_and_read_back_is_unchanged(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1\nx", execution_count=1))
    nb.metadata["tariff_reports"] = {"status": "ok", "日本": 1}
    path = tmp_path / "run.ipynb"
    write_nb(nb, path)
    back = read_nb(str(path))
    assert back == nb
    assert back.cells[0].source == "x = 1\nx"
    assert back.metadata.tariff_reports["日本"] == 1


def test_an_older_format_is_read_as_version_4(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    nbformat.write(nbformat.v3.new_notebook(), str(path), version=3)
    assert read_nb(path).nbformat == 4


def test_a_markdown_stand_in_is_a_valid_one_cell_notebook(tmp_path: Path) -> None:
    nb = markdown_nb("**The kernel died** before writing output.")
    nbformat.validate(nb)
    [cell] = nb.cells
    assert cell.cell_type == "markdown"
    assert cell.source == "**The kernel died** before writing output."
    write_nb(nb, tmp_path / "stand_in.ipynb")
    assert read_nb(tmp_path / "stand_in.ipynb") == nb
