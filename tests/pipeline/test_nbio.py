"""Typed nbformat wrappers: notebooks survive a write and a read, stand-ins are valid."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from analysis.pipeline.nbio import markdown_nb, notebook_bytes, read_nb, write_nb


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


def varied_nb() -> nbformat.NotebookNode:
    """Every kind of text nbformat's writer splits into lines, and keys it leaves out."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"title": "Tarif à 15 %", "orig_nbformat": 3, "signature": "sha"})
    md = nbformat.v4.new_markdown_cell("# Title\n\nLine one\nline two\n")
    md.attachments = {"f.png": {"image/png": "iVBORw0K\nGgo=", "text/plain": "a\nb"}}
    code = nbformat.v4.new_code_cell("x = 1\ny = 2", execution_count=3)
    code.metadata.update({"trusted": True, "tags": ["t"]})
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="one\ntwo\n"),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/plain": "a\nb",
                "text/html": "<p>\nx</p>",
                "image/svg+xml": "<svg>\n</svg>",
                "application/javascript": "f();\ng();",
                "image/png": "iVBORw0K\nGgo=",
                "application/vnd.vegalite.v5+json": {"data": {"values": [{"a": 1.5, "b": None}]}},
            },
            metadata={"k": "v"},
        ),
        nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=3),
        nbformat.v4.new_output("error", ename="E", evalue="bad", traceback=["l1", "l2"]),
    ]
    nb.cells += [md, code, nbformat.v4.new_raw_cell("raw\ntext")]
    return nb


def test_notebook_bytes_are_what_nbformat_writes_and_leave_the_notebook_alone(
    tmp_path: Path,
) -> None:
    nb = varied_nb()
    before = copy.deepcopy(nb)
    nbformat.write(copy.deepcopy(nb), tmp_path / "nbformat.ipynb")
    assert notebook_bytes(nb) == (tmp_path / "nbformat.ipynb").read_bytes()
    assert nb == before  # lines not split in place, transient keys kept in memory
    write_nb(nb, tmp_path / "ours.ipynb")
    assert (tmp_path / "ours.ipynb").read_bytes() == (tmp_path / "nbformat.ipynb").read_bytes()
    text = (tmp_path / "ours.ipynb").read_text(encoding="utf-8")
    assert '"Line one\\n",' in text and "orig_nbformat" not in text and "à" in text
