"""The parameters a report notebook declares, read from its source without starting a kernel.

Notebooks are jupytext percent files. The first cell tagged ``parameters`` (the one papermill
uses) declares parameters as annotated assignments, ``name: type = default  # help``. Papermill
would accept any parameter name with a warning and never checks types, so we do it here.
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
from analysis.report.parameters import DOMAINS

Check = Callable[[object], bool]

_CELL_START = re.compile(r"^# %%(?P<rest>.*)$")
_TAGS = re.compile(r"\btags=(?P<tags>\[[^\]]*\])")

SUPPORTED = "int, float, str, bool, None, list[T], dict[str, T], Literal[...], T | None"


@dataclass(frozen=True)
class DeclaredParameter:
    name: str
    annotation: str  # as written (or inferred from the default when not annotated)
    check: Check
    help: str
    default: object = None  # the literal default (None when it is not a literal)


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


def _name_check(name: str) -> Check | None:
    # bool is a subclass of int: True must not pass as an int, nor as a float.
    checks: dict[str, Check] = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, dict),
    }
    return checks.get(name)


def compile_annotation(ann: ast.expr) -> Check:
    """A predicate for values of annotation ``ann``; ValueError if we cannot check it."""
    match ann:
        case ast.Name(id=name) if (check := _name_check(name)) is not None:
            return check
        case ast.Constant(value=None):
            return lambda v: v is None
        case ast.BinOp(left=left, op=ast.BitOr(), right=right):
            a, b = compile_annotation(left), compile_annotation(right)
            return lambda v: a(v) or b(v)
        case ast.Subscript(value=ast.Name(id="Optional"), slice=inner):
            c = compile_annotation(inner)
            return lambda v: v is None or c(v)
        case ast.Subscript(value=ast.Name(id="Literal"), slice=choices):
            elts = choices.elts if isinstance(choices, ast.Tuple) else [choices]
            allowed = [ast.literal_eval(e) for e in elts]
            # Compare with types too, so that Literal[1] does not accept True.
            return lambda v: any(type(v) is type(a) and v == a for a in allowed)
        case ast.Subscript(value=ast.Name(id="list"), slice=item):
            c = compile_annotation(item)
            return lambda v: isinstance(v, list) and all(c(x) for x in v)
        case ast.Subscript(value=ast.Name(id="dict"), slice=ast.Tuple(elts=[key, val])):
            ck, cv = compile_annotation(key), compile_annotation(val)
            return lambda v: isinstance(v, dict) and all(ck(k) and cv(x) for k, x in v.items())
    raise ValueError(ast.unparse(ann))


def _inferred(default: ast.expr | None) -> tuple[str, Check]:
    """Unannotated ``x = 3``: the default's type; anything else cannot be checked."""
    try:
        value = ast.literal_eval(default) if default is not None else None
    except ValueError:
        return "any", lambda v: True
    name = type(value).__name__
    check = _name_check(name)
    return (name, check) if check is not None else ("any", lambda v: True)


def _help(lines: list[str], node: ast.stmt) -> str:
    line = lines[(node.end_lineno or node.lineno) - 1]
    # Strings may contain '#'; take the comment after the end of the statement only.
    tail = line[node.end_col_offset or 0 :] if node.end_col_offset is not None else ""
    return tail.split("#", 1)[1].strip() if "#" in tail else ""


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
                check = compile_annotation(node.annotation)
            except ValueError:
                raise InputError(
                    notebook,
                    f"parameters cell: {name}",
                    f"an annotation we can check ({SUPPORTED})",
                    ast.unparse(node.annotation),
                ) from None
            found[name] = DeclaredParameter(
                name, ast.unparse(node.annotation), check, _help(lines, node), _default(node.value)
            )
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    annotation, check = _inferred(node.value)
                    found[target.id] = DeclaredParameter(
                        target.id, annotation, check, _help(lines, node), _default(node.value)
                    )
    return found


def parameter_help(notebook: Path, inputs: Inputs | None = None) -> list[tuple[str, ...]]:
    """One row per declared parameter: name, type, default, allowed values, help (what
    ``tariff-reports params NOTEBOOK`` prints, like ``papermill --help-notebook``)."""
    rows: list[tuple[str, ...]] = []
    for name, spec in declared_parameters(notebook).items():
        domain = DOMAINS.get(name)
        if domain is None:
            allowed = f"any {spec.annotation}"
        else:
            allowed = domain.describe(inputs or load_inputs())
            if domain.many:
                allowed = "a list, each " + allowed
        rows.append((name, spec.annotation, repr(spec.default), allowed, spec.help))
    return rows
