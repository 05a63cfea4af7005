"""The file formats, declared once: pydantic models from which the validation, the one-line
errors (file, key, expected, found: :class:`InputError`) and the format reference in
``docs/formats.md`` (:func:`format_reference`) all come.

A schema checks the shape of a file: its keys, their types and ranges. What needs the other
inputs (a measure id, a partner name, one domestic source) is checked by the loader after it.
Regenerate the reference with ``python -m analysis.inputs.schemas > docs/formats.md``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import types
import typing
from pathlib import Path
from typing import Annotated, Any, TypeVar

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analysis.inputs.errors import InputError
from analysis.inputs.validate import TOP_LEVEL

# Rates are fractions; the highest legal rates are a few hundred percent (Russian aluminium
# 200%, China's 125% + fentanyl + Section 301 in April 2025), and an import ban is modelled as a
# prohibitive 1000%. Anything above is almost surely a typo such as 25 for 0.25.
MAX_RATE = 10.0
Layer = typing.Literal["mfn", "baseline", "country", "section232", "section301", "floor", "other"]
Stacking = typing.Literal["mfn", "additive", "floor", "section232", "section232_floor"]
Status = typing.Literal["in_force", "announced", "superseded"]

Model = TypeVar("Model", bound=BaseModel)


class _Spec(BaseModel):
    """A file's record: unknown keys refused, no coercion (``"0.2"`` is not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Rate = Annotated[float, Field(ge=0, le=MAX_RATE)]
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]
#: A date: YAML's own (2025-07-07) or quoted ISO text ("2025-07-07").
Date = Annotated[dt.date, Field(strict=False)]


class ReferenceSpec(_Spec):
    """A citation."""

    title: Text = Field(description="what the source is, and what it says")
    url: str = Field(
        pattern=r"^(https://|http://|doi:|repo:)", description="a link (https://, doi: or repo:)"
    )
    date: Date = Field(description="the source's date, YYYY-MM-DD")


Share = Annotated[float, Field(ge=0, le=1)]
#: Census country codes: YAML reads 5700 as a number and "0050" as text.
CountryCode = str | int


class CoverageSpec(_Spec):
    """The share of a sector's trade a measure covers or exempts (or a bare share)."""

    share: Share = Field(description="the share of the sector's 2024 imports")
    by_partner: dict[str, Share] | None = Field(None, description="shares for some partners")
    basis: str | None = Field(None, description="how the share was measured")
    same_goods_as: str | None = Field(
        None, description="a measure whose goods these are (exempt while it is in force)"
    )


class MeasureValueSpec(_Spec):
    """One dated value of a measure (``values`` of a measure file): sorted, not overlapping."""

    start: Date = Field(description="first day in force")
    end: Date | None = Field(None, description="last day in force (null: open)")
    rate: Rate | None = Field(None, description="the headline ad valorem rate")
    rate_by_partner: dict[str, Rate] | None = Field(None, description="rates for some partners")
    rate_by_sector: dict[str, Rate] | None = Field(None, description="rates for some sectors")
    rate_from_data: typing.Literal["mfn_tariff_rate"] | None = Field(
        None, description="the rate is the data's MFN rate of each cell (no `rate`)"
    )
    rate_by_country: dict[CountryCode, Rate] | None = Field(
        None, description="rates of member countries of ftrow/row, by Census code"
    )
    floor_by_country: dict[CountryCode, Share] | None = Field(
        None, description="an all-in floor for a member country, by Census code"
    )
    country_exemptions: dict[CountryCode, str] | None = Field(
        None, description="a product list exempt for a member country, by Census code"
    )
    exempt_lists: list[Text] | None = Field(
        None, description="product lists exempt while this value is in force"
    )
    status: Status = Field("in_force", description="in_force, announced or superseded")
    reference: ReferenceSpec = Field(description="the source of the value")
    note: str | None = Field(None, description="a caveat")


class MeasureSpec(_Spec):
    """A legal measure (``params/measures/<authority>_<name>.yaml``), named by its file stem."""

    title: Text = Field(description="short name")
    label: Text | None = Field(
        None,
        description="its name in its layer's label (`IEEPA fentanyl`; default: the authority)",
    )
    authority: Text = Field(description="the legal instrument(s)")
    description: Text = Field(description="what it does, in plain words")
    layer: Layer = Field(description="its layer, for attribution")
    stacking: Stacking = Field(description="how it stacks (analysis/policy/stacking.py)")
    applies_to: typing.Literal["non_section232", "all"] = Field(
        "non_section232", description="additive and floor measures: on Section 232 goods too?"
    )
    partners: typing.Literal["all"] | list[str] = Field(description="`all` or partner ids")
    except_partners: list[str] | None = Field(None, description="partners left out")
    sectors: typing.Literal["all"] | dict[str, Share | CoverageSpec] = Field(
        description="`all` or sector -> share covered (or a coverage)"
    )
    exempt_sectors: dict[str, Share | CoverageSpec] | None = Field(
        None, description="sector (or `all`) -> share exempt"
    )
    exempt_lists: list[Text] | None = Field(
        None, description="product lists whose trade share adds to the exemptions"
    )
    supersedes: list[str] | None = Field(
        None, description="measures switched off for its partners while it is in force"
    )
    values: list[MeasureValueSpec] = Field(min_length=1, description="the dated values")
    notes: list[str] | None = Field(None, description="caveats, what is not modelled")


class MarketSourceSpec(_Spec):
    """One source of a custom market (``sources`` of a market file)."""

    name: Text = Field(description="the source's name (a country, a region, `us`)")
    base_value_usd: float = Field(ge=0, description="base-year sales in the US, dollars")
    base_tariff_rate: Rate = Field(0.0, description="ad valorem tariff before (0.1 is 10%)")
    new_tariff_rate: Rate = Field(0.0, description="ad valorem tariff after")
    supply_elasticity: float = Field(
        math.inf, ge=0, description="price elasticity of supply (`.inf`: complete pass-through)"
    )
    domestic: bool = Field(False, description="US producers (at most one source; no tariff)")
    quantity_cap: float | None = Field(
        None, ge=1e-9, description="a VER: at most this share of the base volume"
    )


class MarketSpec(_Spec):
    """A user's own market (``params/markets/*.yaml``, ``market --file``)."""

    title: Text | None = Field(None, description="shown above the results (default: file name)")
    sources: list[MarketSourceSpec] = Field(
        min_length=1, description="the sources; a foreign one with base trade, at most one domestic"
    )
    substitution_elasticity: float = Field(
        ge=1e-6, le=100, description="sigma, between the sources"
    )
    demand_elasticity: float = Field(ge=0, le=100, description="eta, of total US demand")


class ChangeSpec(_Spec):
    """One change of a scenario, applied in order to the measures in force on its date."""

    measure: Text = Field(description="a measure id (a file stem in `params/measures`)")
    as_of: Date | None = Field(
        None, description="use the measure's value on this date, whatever its status"
    )
    rate: Rate | None = Field(
        None,
        description="set the measure's rate: a shipped file cites it (`reference`), a user's "
        "file gives a `reason` and the rate is shown as a 'user assumption'",
    )
    remove: typing.Literal[True] | None = Field(None, description="`true`: switch the measure off")
    partners: list[str] | None = Field(None, description="only for these partners")
    sectors: list[str] | None = Field(None, description="only in these sectors")
    reason: Text = Field(description="why")
    reference: ReferenceSpec | None = Field(None, description="the source of the rate")


class QuotaSpec(_Spec):
    """A voluntary export restraint, solved by the model."""

    partner: Text = Field(description="a partner id")
    sector: Text = Field(description="a sector id")
    cap_share_of_2024: float | None = Field(
        None, gt=0, le=2, description="the cap, a share of 2024 volume (or `cap_units`)"
    )
    cap_units: float | None = Field(
        None,
        gt=0,
        description="the cap in units a year (passenger cars for mvh), at most the 2024 volume",
    )
    reason: Text = Field(description="why this cap")
    reference: ReferenceSpec = Field(description="the source of the cap")


class FocusSpec(_Spec):
    """Whose headlines a scenario reports (either may be left to its default)."""

    partner: str | None = Field(None, description="a partner id or a country (default japan)")
    sector: str | None = Field(None, description="a sector id (default mvh)")


class ScenarioSpec(_Spec):
    """A scenario (``params/scenarios/*.yaml``, ``--scenario-file``), named by its file stem."""

    title: Text = Field(description="one line")
    description: Text = Field(description="what the scenario is, in words")
    regime_date: Date = Field(description="every measure in force on this date applies ...")
    changes: list[ChangeSpec] | None = Field(None, description="... then these changes, in order")
    quotas: list[QuotaSpec] | None = Field(None, description="voluntary export restraints")
    references: list[ReferenceSpec] = Field(min_length=1, description="the scenario's sources")
    focus: FocusSpec | None = Field(None, description="whose headlines (default japan, mvh)")
    horizon: typing.Literal["short_run", "long_run"] | None = Field(
        None,
        description="the supply response: `short_run` (the one-year response fitted to 2025) or "
        "`long_run` (the literature's, for forward scenarios; the default)",
    )


class RunSpec(_Spec):
    """A report run (``params/reports/<run>.yaml``), named by its file stem: a notebook and
    the values of some of its parameters (the others keep their defaults). Each value is
    checked against the contract the notebook's ``parameters`` cell declares (its type, its
    allowed values or range: ``tariff-reports params NOTEBOOK``)."""

    title: Text = Field(description="the report's title in the index")
    notebook: Text = Field(description="a notebook stem (`notebooks/<stem>.py`)")
    description: str | None = Field(None, description="free text")
    parameters: dict[str, Any] | None = Field(
        None,
        description="parameter name -> value; a file a value names (`scenario_file`) is "
        "relative to this file's folder",
    )


#: A product list's name, as the list file and ``params/line_lists.yaml`` write it.
ListName = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class ProductListRowSpec(_Spec):
    """One row of ``analysis/data/product_lists.csv``: an HTS prefix on a product list (each
    (list, prefix, start) once)."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)

    list: ListName = Field(description="the list's name (lower case, digits, `_`)")
    hts_prefix: str = Field(
        pattern=r"^\d{2,10}$", description="an HTS code or its first 2 to 10 digits"
    )
    rate: Rate | None = Field(None, description="the rate the list sets (blank: the measure's)")
    start: Date | None = Field(None, description="the day the line joins (blank: the measure's)")


class LineListsSpec(_Spec):
    """A measure's product lists (``params/line_lists.yaml``: measure id -> this)."""

    scope: list[ListName] | None = Field(
        None, description="the lists of the measure's legal text (replace its sector shares)"
    )
    exempt: list[ListName] | None = Field(None, description="the lists exempt from it")
    shared: list[ListName] | None = Field(
        None, description="general-purpose provisions: only the sector's share is in scope"
    )
    rates_from_list: bool = Field(False, description="the lists set each line's rate and start")
    usmca_exempt: Share | None = Field(
        None, description="the share of a good entered under USMCA that is exempt"
    )
    country_exempt: dict[CountryCode, list[ListName]] | None = Field(
        None, description="lists exempt for one member country, by Census code"
    )
    metal_content: bool = Field(
        False,
        description="a line of metal_content_2025.csv pays only on its metal share of value",
    )
    whole_article_until: Date | None = Field(
        None,
        description="until this day a listed good leaves the other layers whole "
        "(from the next day only its metal content does)",
    )
    titles: dict[ListName, str] | None = Field(
        None,
        description="a reader's name for the goods of some of the lists, in the legal text's "
        "words (said where a list's own date matters, e.g. a ban)",
    )


#: The formats the reference documents, in order.
FORMATS: tuple[type[BaseModel], ...] = (
    MeasureSpec,
    MeasureValueSpec,
    CoverageSpec,
    ScenarioSpec,
    ChangeSpec,
    QuotaSpec,
    FocusSpec,
    ReferenceSpec,
    MarketSpec,
    MarketSourceSpec,
    RunSpec,
    LineListsSpec,
    ProductListRowSpec,
)


def keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a record of ``model`` may have."""
    return frozenset(model.model_fields)


def validated(model: type[Model], path: Path, doc: object, at: str = "") -> Model:
    """``doc`` checked against ``model``; the first problem as a one-line :class:`InputError`
    (``at``: where ``doc`` is in its file, prefixed to the key)."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        error = schema_error(model, path, exc)
        if not at:
            raise error from None
        key = at if error.key == TOP_LEVEL else f"{at}.{error.key}"
        raise InputError(path, key, error.expected, error.found) from None


def _key(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or TOP_LEVEL


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The model of the record at ``loc`` (for the keys it allows)."""
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = _inner_model(annotation) or model
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None


def _expected(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    bounds = {
        "greater_than_equal": ">=",
        "greater_than": ">",
        "less_than_equal": "<=",
        "less_than": "<",
    }
    if kind in bounds:
        limit = next(iter(ctx.values()))
        return f"a number {bounds[kind]} {limit}"
    if kind == "string_pattern_mismatch":
        return (
            "non-empty text" if ctx.get("pattern") == r"\S" else f"text matching {ctx['pattern']}"
        )
    if kind in ("model_type", "dict_type"):
        return "a mapping"
    if kind == "too_short":
        return "a non-empty list"
    if kind == "missing":
        return "a value"
    words = {
        "float_type": "a number",
        "float_parsing": "a number",
        "int_type": "an integer",
        "string_type": "text",
        "bool_type": "true or false",
        "list_type": "a list",
    }
    if kind in words:
        return words[kind]
    if kind.startswith("date"):
        return "a date YYYY-MM-DD"
    return str(error["msg"]).removeprefix("Input should be ")


def schema_error(model: type[BaseModel], path: Path, exc: ValidationError) -> InputError:
    """The first problem ``exc`` found, as one line: file, key, expected, found."""
    return first_error(model, path, dict(exc.errors(include_url=False)[0]))


def first_error(model: type[BaseModel], path: Path, error: dict[str, Any]) -> InputError:
    """One pydantic error (a dict of ``ValidationError.errors()``) as one line."""
    loc: tuple[int | str, ...] = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        allowed = sorted(keys(_model_at(model, loc[:-1])))
        return InputError(path, _key(loc), f"one of {allowed}", "an unknown key")
    found = error.get("input")
    if error["type"] == "missing":
        found = "missing"
    elif error["type"] in ("model_type", "dict_type") and not loc:
        found = type(found).__name__
    return InputError(path, _key(loc), _expected(error), found)


def _type_name(annotation: Any) -> str:
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " or ".join(str(a).lower() for a in args)
    if annotation is Any:
        return "any value"
    names = {str: "text", float: "number", int: "integer", bool: "true/false", dt.date: "date"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _metadata(field: Any) -> list[Any]:
    """The field's constraints, and those of an ``Annotated`` type inside an optional one."""
    found = list(field.metadata)
    for arg in typing.get_args(field.annotation):
        if typing.get_origin(arg) is Annotated:
            found += [m for a in typing.get_args(arg)[1:] for m in getattr(a, "metadata", [a])]
    return found


def _constraints(metadata: list[Any]) -> str:
    words = {
        annotated_types.Ge: (">=", "ge"),
        annotated_types.Gt: (">", "gt"),
        annotated_types.Le: ("<=", "le"),
        annotated_types.Lt: ("<", "lt"),
    }
    parts = []
    for item in metadata:
        if type(item) in words:
            sign, attr = words[type(item)]
            parts.append(f"{sign} {getattr(item, attr)}")
        elif isinstance(item, annotated_types.MinLen):
            parts.append(f"at least {item.min_length}" if item.min_length > 1 else "not empty")
        elif getattr(item, "pattern", None) not in (None, r"\S"):  # "\S": not empty, said above
            parts.append(f"matches `{item.pattern}`")
    return ", ".join(parts)


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    value = field.default
    if value is None:
        return "optional"
    if isinstance(value, float) and math.isinf(value):
        return "default `.inf`"
    return f"default `{str(value).lower() if isinstance(value, bool) else value}`"


def format_reference() -> str:
    """The format reference (``docs/formats.md``), generated from the schemas."""
    lines = [
        "# File formats",
        "",
        "Generated from `analysis/inputs/schemas.py` by "
        "`python -m analysis.inputs.schemas > docs/formats.md`; "
        "`tests/inputs/test_schemas.py` checks that it is up to date. A file breaking a rule "
        "fails with one line naming the file, the key, what was expected and what was found.",
    ]
    for model in FORMATS:
        lines += ["", f"## {model.__name__}", "", inspect.cleandoc(model.__doc__ or ""), ""]
        lines += ["| key | type | | limits | meaning |", "|---|---|---|---|---|"]
        for name, field in model.model_fields.items():
            text = (field.description or "").replace("|", "/")
            cell = _constraints(_metadata(field)).replace("|", "\\|")
            lines.append(
                f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | {cell} "
                f"| {text} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(format_reference(), end="")
