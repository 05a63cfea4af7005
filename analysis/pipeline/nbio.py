"""Typed wrappers around the few nbformat calls we use (nbformat ships no type hints)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode


def read_nb(path: str | Path) -> NotebookNode:
    nb: NotebookNode = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    return nb


def write_nb(nb: NotebookNode, path: str | Path) -> None:
    nbformat.write(nb, str(path))  # type: ignore[no-untyped-call]


def markdown_nb(text: str) -> NotebookNode:
    """A one-markdown-cell notebook (stands in for output a kernel never wrote)."""
    nb: NotebookNode = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells.append(nbformat.v4.new_markdown_cell(text))  # type: ignore[no-untyped-call]
    return nb
