"""The types a notebook's ``parameters`` cell declares its parameters with: each parameter's
contract (type, allowed values or range, help) is declared once, next to it::

    scenario: Scenario = "deal_15"  # scenario to analyse
    top_n: Integer[1, 45] = 10  # how many of the partner's hardest-hit sectors to list
    what_if_rate: RateOrNone[0, MAX_WHAT_IF_RATE] = None  # the what-if's start; None: the law's

Each annotation is an ordinary type (``str``, ``int``, ``float``, ``list[...]``) carrying a
:class:`Domain`. The same declaration is read four times: by papermill (which parses such
lines without a warning), by ``tariff-reports params NOTEBOOK`` and the pre-kernel check
(:mod:`analysis.pipeline.nbparams` reads the cell's source and resolves its annotations here,
no kernel started), and by the notebook itself, whose next cell calls
``check_parameters(inputs, __annotations__, globals())`` so that a notebook run by hand gets
the same one-line error. Files named by a parameter (a custom market) are loaded and
validated here too.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.markets import load_market
from analysis.inputs.paths import params_file, params_files
from analysis.inputs.scenarios import LONG_RUN, SHORT_RUN, parse_scenario
from analysis.inputs.scenarios import Scenario as LoadedScenario
from analysis.inputs.validate import parse_yaml, read_text
from analysis.questions.outcomes import MARKET_OUTCOMES

Kind = Literal[
    "scenario",
    "scenario_file",
    "partner",
    "sector",
    "outcome",
    "market_file",
    "date",
    "integer",
    "rate",
    "horizon",
]

#: The highest tariff the what-if grid covers at least (its slider runs from about 0 to 50%).
MAX_WHAT_IF_RATE = 0.5
#: Dates a report may ask about: the law is known from here ...
FIRST_DATE = dt.date(2025, 1, 1)
#: ... to the end of the scheduled measures.
LAST_DATE = dt.date(2026, 12, 31)
#: A date parameter's word for the last day the law was checked (``known_through`` of
#: ``params/law_status.yaml``), so no notebook types today's date.
TODAY = "today"
#: Where a build keeps its private copies of the user's files that parameters name (a scenario
#: file outside the project), inside the build's snapshot of the params folder.
USER_FILES = "user_files"


@dataclass(frozen=True)
class Domain:
    """What a parameter may be: a known name, a date in the window, a number in a range."""

    kind: Kind
    low: float = 0
    high: float = 0

    def describe(self, inputs: Inputs) -> str:
        """The allowed values in words (for errors and ``tariff-reports params``)."""
        if self.kind == "date":
            return (
                f"a date YYYY-MM-DD from {FIRST_DATE} to {LAST_DATE}, or {TODAY!r} (the last "
                "day the law was checked)"
            )
        if self.kind == "integer":
            return f"an integer from {self.low:,} to {self.high:,}"
        if self.kind == "rate":
            return f"a rate from {self.low:g} to {self.high:g} (a fraction: 0.2 is 20%)"
        if self.kind == "market_file":
            return (
                "a market file params/markets/<name>.yaml ("
                + ", ".join(sorted(market_files(inputs)))
                + ")"
            )
        if self.kind == "scenario_file":
            return "the path of a scenario YAML file (format: docs/formats.md)"
        if self.kind == "partner":  # the regions, or any of about 230 countries by ISO3 code
            regions = ", ".join(sorted(inputs.data.partners))
            return f"one of {regions}, or a country's ISO3 code (e.g. KOR, VNM, DEU)"
        return "one of " + ", ".join(sorted(choices(self.kind, inputs)))

    def contains(self, inputs: Inputs, value: object) -> bool:
        """``value`` (already of the parameter's type) is in this domain."""
        if self.kind in ("integer", "rate"):
            return self.low <= value <= self.high  # type: ignore[operator]
        if not isinstance(value, str):
            return False
        if self.kind == "date":
            try:
                return FIRST_DATE <= resolve_date(inputs, value) <= LAST_DATE
            except ValueError:
                return False
        if self.kind == "market_file":
            return value in market_files(inputs)
        if self.kind == "scenario_file":
            return bool(value.strip())  # the file itself is read and checked by check_value
        return value in choices(self.kind, inputs)


#: A scenario: a file stem in ``params/scenarios`` (the user's folder layered over).
Scenario = Annotated[str, Domain("scenario")]
#: A partner region, or a country by its ISO3 code.
Partner = Annotated[str, Domain("partner")]
#: A GTAP sector code (``mvh`` motor vehicles, ``ome`` machinery, ...).
Sector = Annotated[str, Domain("sector")]
#: An outcome of the market model (:data:`analysis.questions.outcomes.MARKET_OUTCOMES`).
Outcome = Annotated[str, Domain("outcome")]
#: A custom market ``params/markets/<name>.yaml``, which must itself be valid.
MarketFile = Annotated[str, Domain("market_file")]
#: A scenario YAML file anywhere (``-p scenario_file PATH``), run in place of a named one; or
#: None, no file.
ScenarioFile = Annotated[str | None, Domain("scenario_file")]
#: A day YYYY-MM-DD in the window the law is known for, or ``"today"``.
Date = Annotated[str, Domain("date")]
#: A supply response every scenario of a report is solved with: ``long_run`` or ``short_run``.
Horizon = Annotated[str, Domain("horizon")]


class Integer:
    """``Integer[low, high]``: an integer from ``low`` to ``high``, both included."""

    def __class_getitem__(cls, bounds: tuple[int, int]) -> object:
        low, high = bounds
        return Annotated[int, Domain("integer", low, high)]


class Rate:
    """``Rate[low, high]``: a rate (a fraction: 0.2 is 20%) from ``low`` to ``high``."""

    def __class_getitem__(cls, bounds: tuple[float, float]) -> object:
        low, high = bounds
        return Annotated[float, Domain("rate", low, high)]


class RateOrNone:
    """``RateOrNone[low, high]``: a rate as :class:`Rate`, or None (the notebook's own choice,
    e.g. the what-if's start at the law's tariff). One name, so papermill reads it."""

    def __class_getitem__(cls, bounds: tuple[float, float]) -> object:
        low, high = bounds
        return Annotated[float | None, Domain("rate", low, high)]


#: The names a parameters cell may use in its annotations, besides the built-in types.
ANNOTATION_NAMES: Mapping[str, object] = {
    "Scenario": Scenario,
    "ScenarioFile": ScenarioFile,
    "Partner": Partner,
    "Sector": Sector,
    "Outcome": Outcome,
    "MarketFile": MarketFile,
    "Date": Date,
    "Horizon": Horizon,
    "Integer": Integer,
    "Rate": Rate,
    "RateOrNone": RateOrNone,
    "MAX_WHAT_IF_RATE": MAX_WHAT_IF_RATE,
}


_BUILTINS: dict[str, object] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "list": list,
    "dict": dict,
    "Literal": typing.Literal,
    "Optional": typing.Optional,
}


def annotation_object(ann: ast.expr) -> object:
    """The type an annotation of a parameters cell denotes, as the kernel evaluates it:
    built-in types and the parameter types here (``Scenario``, ``Integer[1, 45]``, ...),
    resolved without running the notebook; ValueError if we cannot check it."""
    match ann:
        case ast.Name(id=name) if name in _BUILTINS:
            return _BUILTINS[name]
        case ast.Name(id=name) if name in ANNOTATION_NAMES:
            return ANNOTATION_NAMES[name]
        case ast.Constant(value=value) if value is None or isinstance(value, int | float | str):
            return value
        case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=int() | float() as value)):
            return -value
        case ast.Tuple(elts=elts):
            return tuple(annotation_object(e) for e in elts)
        case ast.BinOp(left=left, op=ast.BitOr(), right=right):
            a, b = annotation_object(left), annotation_object(right)
            return typing.Union[a, b]  # noqa: UP007 (either side may be None)
        case ast.Subscript(value=value, slice=inner):
            try:
                return annotation_object(value)[annotation_object(inner)]  # type: ignore[index]
            except TypeError:
                raise ValueError(ast.unparse(ann)) from None
    raise ValueError(ast.unparse(ann))


def choices(kind: Kind, inputs: Inputs) -> frozenset[str]:
    """The names a parameter of this kind may take, from the loaded inputs."""
    named: dict[str, frozenset[str]] = {
        "scenario": frozenset(inputs.scenarios),
        # a region, or a country (ISO3) the model splits out of its region
        "partner": frozenset(inputs.data.partners)
        | frozenset(c.key for c in inputs.countries.countries),
        "sector": frozenset(inputs.data.sectors),
        "outcome": frozenset(MARKET_OUTCOMES),
        "horizon": frozenset({LONG_RUN, SHORT_RUN}),
    }
    return named[kind]


def market_files(inputs: Inputs) -> frozenset[str]:
    """Custom markets a report may read: ``params/markets/*.yaml`` of the params folder."""
    files = params_files("markets", inputs.params_dir)  # the user's layered over the shipped
    return frozenset(f"params/markets/{p.name}" for p in files)


def market_path(inputs: Inputs, value: str) -> Path:
    """Where the market file named ``params/markets/<name>.yaml`` is (in the params folder)."""
    return params_file(f"markets/{Path(value).name}", inputs.params_dir)


def user_file_name(path: str | Path) -> str:
    """The name of the build's private copy of the user's file at ``path`` (the build names it
    by its absolute path; made absolute here without following links, so that a kernel on
    another machine finds the copy under the same name)."""
    absolute = os.path.abspath(Path(path).expanduser())
    return f"{USER_FILES}/{hashlib.sha256(absolute.encode()).hexdigest()[:20]}.yaml"


def user_scenario(inputs: Inputs, path: str | Path, text: str | None = None) -> LoadedScenario:
    """The scenario in the user's file at ``path``, validated like a scenario of the params
    folder (a rate needs a reason). Its ``text`` is the build's private copy when the build
    made one (the kernel never reads the user's file, which may have changed since the build
    read and hashed it), else the file as it is now (a notebook run by hand)."""
    where = Path(path).expanduser()
    if text is None:
        copy = inputs.params_dir / user_file_name(where)
        text = read_text(copy if copy.is_file() else where)
    return parse_scenario(where, parse_yaml(text, where), inputs.measures, inputs.catalog)


def chosen_scenario(
    inputs: Inputs, scenario: str, scenario_file: str | None
) -> str | LoadedScenario:
    """The scenario a report runs: the one in ``scenario_file`` when given, else ``scenario``."""
    return user_scenario(inputs, scenario_file) if scenario_file else scenario


def type_name(annotation: object) -> str:
    """The plain type of an annotation (``Integer[1, 45]`` is ``int``), for errors."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(type_name(a) for a in args)}]"
    if annotation is None or annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def has_type(annotation: object, value: object) -> bool:
    """``value`` is of the annotation's type (bool is not an int, nor a float)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return has_type(args[0], value)
    if origin in (typing.Union, types.UnionType):
        return any(has_type(a, value) for a in args)
    if origin is Literal:  # compared with types too, so that Literal[1] does not accept True
        return any(type(value) is type(a) and value == a for a in args)
    if origin is list:
        return isinstance(value, list) and all(has_type(args[0], v) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            has_type(args[0], k) and has_type(args[1], v) for k, v in value.items()
        )
    if annotation is None or annotation is type(None):
        return value is None
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(annotation, type) and isinstance(value, annotation)


def domain_of(annotation: object) -> tuple[Domain | None, bool]:
    """The domain an annotation carries (itself, or its items'), and whether it is a list's."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        found = [m for m in args[1:] if isinstance(m, Domain)]
        return (found[0] if found else None), False
    if origin is list:
        return domain_of(args[0])[0], True
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            domain, many = domain_of(arg)
            if domain is not None:
                return domain, many
    return None, False


def allowed_values(annotation: object, inputs: Inputs) -> str:
    """What ``tariff-reports params`` prints as a parameter's allowed values."""
    domain, many = domain_of(annotation)
    if domain is None:
        return f"any {type_name(annotation)}"
    words = domain.describe(inputs)
    words = f"a list, each {words}" if many else words
    return f"{words}, or null (none)" if has_type(annotation, None) else words


def check_value(
    inputs: Inputs,
    source: str | Path,
    name: str,
    annotation: object,
    value: object,
    text: str | None = None,
) -> None:
    """``value`` is of the type and in the domain of parameter ``name`` declared with
    ``annotation``; else a one-line :class:`InputError` (file, key, expected, found). A file
    the value names must be valid too (``text``: its content, as the caller read it)."""
    key = f"parameters.{name}"
    if isinstance(annotation, str):  # postponed (``from __future__ import annotations``)
        annotation = annotation_object(ast.parse(annotation, mode="eval").body)
    if not has_type(annotation, value):
        raise InputError(source, key, f"a value of type {type_name(annotation)}", value)
    domain, many = domain_of(annotation)
    if domain is None or value is None:
        return
    for item in value if many and isinstance(value, list) else [value]:
        if not domain.contains(inputs, item):
            raise InputError(source, key, domain.describe(inputs), item)
    if domain.kind == "market_file":
        load_market(market_path(inputs, str(value)))  # the file itself must be valid
    if domain.kind == "scenario_file":
        user_scenario(inputs, str(value), text)


def check_parameters(
    inputs: Inputs,
    contract: Mapping[str, object],
    values: Mapping[str, object],
    source: str | Path = "(notebook)",
    texts: Mapping[str, str] | None = None,
) -> None:
    """Every parameter of ``contract`` (name -> annotation: a notebook's ``__annotations__``)
    has a value in ``values`` of its type and in its domain, and a start date is no later than
    the end date. ``texts``: the content of files that parameters name, as already read."""
    for name, annotation in contract.items():
        if name in values:
            text = (texts or {}).get(name)
            check_value(inputs, source, name, annotation, values[name], text)
    start, end = values.get("start_date"), values.get("end_date")
    dates = (contract.get("start_date"), contract.get("end_date"))
    if (
        all(domain_of(a)[0] == Domain("date") for a in dates)
        and isinstance(start, str)
        and isinstance(end, str)
        and resolve_date(inputs, start) > resolve_date(inputs, end)
    ):
        raise InputError(source, "parameters.end_date", f"a date on or after {start}", end)


def resolve_date(inputs: Inputs, value: str) -> dt.date:
    """A date parameter as a date: ``"today"`` is the last day the law was checked."""
    return inputs.law_status.known_through if value == TODAY else dt.date.fromisoformat(value)
