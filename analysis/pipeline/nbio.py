"""Typed wrappers around the few nbformat calls we use (nbformat ships no type hints).

A build reads each executed notebook once (:func:`read_nb`, which checks it against the schema
and logs what does not conform) and writes it with :func:`notebook_bytes`: nbformat's own
writer's bytes, without the schema check that ``nbformat.write`` repeats on every write (it only
logs) and without the deep copy of the notebook its writer makes to split the text into lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

# nbformat.v4.rwbase: the mimetypes besides text/* whose strings are stored as lists of lines.
_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
_TRANSIENT_METADATA = ("orig_nbformat", "orig_nbformat_minor", "signature")


def read_nb(path: str | Path) -> NotebookNode:
    nb: NotebookNode = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    return nb


def _split_bundle(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.splitlines(True)
        if isinstance(value, str) and (key.startswith("text/") or key in _SPLIT_MIMES)
        else value
        for key, value in data.items()
    }


def _output_on_disk(output: dict[str, Any]) -> dict[str, Any]:
    kind = output["output_type"]
    if kind in {"execute_result", "display_data"} and "data" in output:
        return {**output, "data": _split_bundle(output["data"])}
    if kind == "stream" and isinstance(output["text"], str):
        return {**output, "text": output["text"].splitlines(True)}
    return output


def _cell_on_disk(cell: dict[str, Any]) -> dict[str, Any]:
    copy = dict(cell)
    if isinstance(cell.get("source"), str):
        copy["source"] = cell["source"].splitlines(True)
    if "attachments" in cell:
        copy["attachments"] = {k: _split_bundle(v) for k, v in cell["attachments"].items()}
    copy["metadata"] = {k: v for k, v in cell["metadata"].items() if k != "trusted"}
    if cell["cell_type"] == "code":
        copy["outputs"] = [_output_on_disk(output) for output in cell["outputs"]]
    return copy


def _on_disk(nb: NotebookNode) -> dict[str, Any]:
    """``nb`` as nbformat's v4 writer stores it (``split_lines`` then ``strip_transient``), built
    from shallow copies of what changes: ``nb`` itself is left as it is."""
    metadata = {k: v for k, v in nb["metadata"].items() if k not in _TRANSIENT_METADATA}
    return {**nb, "metadata": metadata, "cells": [_cell_on_disk(c) for c in nb["cells"]]}


def notebook_bytes(nb: NotebookNode) -> bytes:
    """What ``nbformat.write(nb, path)`` writes for a v4 notebook, byte for byte, less its
    schema check (done when the notebook was read): JSON indented by one space, keys sorted,
    not ASCII-escaped, text split into lines, transient keys left out, ending in a newline."""
    if nb.get("nbformat") != 4:
        text: str = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    else:
        from nbformat.v4.nbjson import BytesEncoder

        text = json.dumps(
            _on_disk(nb),
            cls=BytesEncoder,
            indent=1,
            sort_keys=True,
            separators=(",", ": "),
            ensure_ascii=False,
        )
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_nb(nb: NotebookNode, path: str | Path) -> None:
    Path(path).write_bytes(notebook_bytes(nb))


def markdown_nb(text: str) -> NotebookNode:
    """A one-markdown-cell notebook (stands in for output a kernel never wrote)."""
    nb: NotebookNode = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells.append(nbformat.v4.new_markdown_cell(text))  # type: ignore[no-untyped-call]
    return nb
