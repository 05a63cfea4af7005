"""The parameters a report notebook declares, read from its source without starting a kernel.

Notebooks are jupytext percent files. The first cell tagged ``parameters`` (the one papermill
uses) declares parameters as annotated assignments, ``name: type = default  # help``, where the
type carries the parameter's domain (``top_n: Integer[1, 45] = 10``, ``scenario: Scenario``:
:mod:`analysis.report.parameters`). Papermill would accept any parameter name with a warning
and never checks types, so we do it here, from the cell's source, before any kernel starts.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.report.parameters import allowed_values, annotation_object, has_type, type_name

Check = Callable[[object], bool]

_CELL_START = re.compile(r"^# %%(?P<rest>.*)$")
_TAGS = re.compile(r"\btags=(?P<tags>\[[^\]]*\])")

SUPPORTED = (
    "int, float, str, bool, None, list[T], dict[str, T], Literal[...], T | None, Scenario, "
    "Partner, Sector, Outcome, MarketFile, Date, Integer[low, high], Rate[low, high]"
)


@dataclass(frozen=True)
class DeclaredParameter:
    name: str
    annotation: str  # as written (or inferred from the default when not annotated)
    check: Check  # of the type only: the domain needs the inputs (check_value)
    help: str
    default: object = None  # the literal default (None when it is not a literal)
    type: object = object  # the annotation as the kernel evaluates it (its domain included)


def _default(value: ast.expr | None) -> object:
    try:
        return ast.literal_eval(value) if value is not None else None
    except ValueError:
        return None


def parameters_cell(source: str) -> tuple[int, str] | None:
    """(first line number, source) of the first percent cell tagged ``parameters``, if any."""
    lines = source.splitlines()
    start: int | None = None
    for i, line in enumerate(lines):
        header = _CELL_START.match(line)
        if not header:
            continue
        if start is not None:
            return start + 1, "\n".join(lines[start:i])
        tags = _TAGS.search(header["rest"])
        if tags and "parameters" in _json_list(tags["tags"]):
            start = i + 1
    return (start + 1, "\n".join(lines[start:])) if start is not None else None


def _json_list(text: str) -> list[object]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def compile_annotation(ann: ast.expr) -> Check:
    """A predicate for values of annotation ``ann`` (its type only: the domain needs the
    inputs); ValueError if we cannot check it."""
    annotation = annotation_object(ann)
    return lambda v: has_type(annotation, v)


def _inferred(default: ast.expr | None) -> tuple[str, object]:
    """Unannotated ``x = 3``: the default's type; anything else cannot be checked."""
    try:
        value = ast.literal_eval(default) if default is not None else None
    except ValueError:
        return "any", object
    kind = type(value)
    return (kind.__name__, kind) if kind in (int, float, str, bool, list, dict) else ("any", object)


def _help(lines: list[str], node: ast.stmt) -> str:
    line = lines[(node.end_lineno or node.lineno) - 1]
    # Strings may contain '#'; take the comment after the end of the statement only.
    tail = line[node.end_col_offset or 0 :] if node.end_col_offset is not None else ""
    return tail.split("#", 1)[1].strip() if "#" in tail else ""


def _declared(
    name: str, written: str, kind: object, lines: list[str], node: ast.AnnAssign | ast.Assign
) -> DeclaredParameter:
    return DeclaredParameter(
        name,
        written,
        lambda v: has_type(kind, v),
        _help(lines, node),
        _default(node.value),
        kind,
    )


def declared_parameters(notebook: Path) -> dict[str, DeclaredParameter]:
    """Parameters declared by ``notebook`` (jupytext percent ``.py``), in declaration order."""
    cell = parameters_cell(notebook.read_text(encoding="utf-8"))
    if cell is None:
        return {}
    first_line, source = cell
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        line = first_line + (exc.lineno or 1) - 1
        raise InputError(
            notebook, f"parameters cell, line {line}", "valid Python", exc.msg
        ) from None
    lines = source.splitlines()
    found: dict[str, DeclaredParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            try:
                kind = annotation_object(node.annotation)
            except ValueError:
                raise InputError(
                    notebook,
                    f"parameters cell: {name}",
                    f"an annotation we can check ({SUPPORTED})",
                    ast.unparse(node.annotation),
                ) from None
            found[name] = _declared(name, ast.unparse(node.annotation), kind, lines, node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    written, kind = _inferred(node.value)
                    found[target.id] = _declared(target.id, written, kind, lines, node)
    return found


def parameter_help(notebook: Path, inputs: Inputs | None = None) -> list[tuple[str, ...]]:
    """One row per declared parameter: name, type, default, allowed values, help (what
    ``tariff-reports params NOTEBOOK`` prints, like ``papermill --help-notebook``)."""
    declared = declared_parameters(notebook)
    if not declared:
        return []
    loaded = inputs or load_inputs()
    return [
        (name, type_name(p.type), repr(p.default), allowed_values(p.type, loaded), p.help)
        for name, p in declared.items()
    ]
