"""Tariff measures as data: one YAML file per legal measure in ``params/measures/``.

Each file is validated once, here, into a frozen :class:`Measure`. The format is
:class:`analysis.inputs.schemas.MeasureSpec` (documented in ``docs/formats.md``): the schema
checks the shape; this module checks the names against the data, the dates' order and the
coverage shares. Stacking semantics are in :mod:`analysis.policy.stacking`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.inputs.catalog import Catalog
from analysis.inputs.errors import InputError
from analysis.inputs.references import Reference, parse_reference
from analysis.inputs.schemas import (
    MAX_RATE,
    Layer,
    MeasureSpec,
    MeasureValueSpec,
    Stacking,
    Status,
    keys,
    validated,
)
from analysis.inputs.validate import (
    TOP_LEVEL,
    date_value,
    fraction,
    mapping,
    names,
    one_of,
    read_yaml,
    record,
    require,
    text_list,
    text_value,
)

# A measure's id starts with its legal authority (PolicyEngine-style law as data).
AUTHORITIES = {
    "mfn_": "MFN",
    "ieepa_": "IEEPA",
    "section122_": "Section 122",
    "section201_": "Section 201",
    "section232_": "Section 232",
    "section301_": "Section 301",
    "section338_": "Section 338",
}
LAYERS: tuple[str, ...] = typing.get_args(Layer)
# How a reader sees each layer (tables, charts, attribution), before the names of the measures
# in it: a page's law decides those (:func:`layer_label`).
LAYER_STEMS = {
    "mfn": "MFN or trade-agreement duty",
    "baseline": "Baseline 10%",
    "country": "Country-specific add-on",
    "section232": "Section 232",
    "section301": "Section 301",
    "floor": "All-in floor",
    "other": "Other",
}
# The layers over every law of 2025-2026 (a timeline that spans laws; colours).
LAYER_LABELS = {
    "mfn": "MFN or trade-agreement duty",
    "baseline": "Baseline 10% (IEEPA, then Section 122)",
    "country": "Country-specific add-on",
    "section232": "Section 232",
    "section301": "Section 301 (China lists, Brazil)",
    "floor": "All-in floor",
    "other": "Other (IEEPA fentanyl, Brazil, India; Section 338 Canada)",
}


def layer_label(layer: str, names: Iterable[str] = ()) -> str:
    """A layer as readers see it in one law, named by the measures of that law in it (their
    :attr:`Measure.layer_name`): ``Other (IEEPA fentanyl)`` in 2025, ``Other (Section 338
    Canada)`` in late 2026, ``All-in floor (Section 301)`` for the 2026 caps. A name the
    layer's words already say is left out, and so is the words' lead in a name (``Section
    301 (China lists)``, not ``Section 301 (Section 301 China lists)``)."""
    stem = LAYER_STEMS.get(layer, layer)
    shown: list[str] = []
    for name in sorted(set(names)):
        if name in stem:
            continue
        short = name.removeprefix(f"{stem} ")
        if short not in shown:
            shown.append(short)
    return f"{stem} ({', '.join(shown)})" if shown else stem


def schedule_layer_labels(active: Iterable[Any]) -> dict[str, str]:
    """Each layer of a law (its active measures, anything with a ``measure``) labelled by the
    measures of that law in it (:func:`layer_label`): one label per layer on a page."""
    names: dict[str, set[str]] = {}
    for am in active:
        names.setdefault(am.measure.layer, set()).add(am.measure.layer_name)
    return {layer: layer_label(layer, found) for layer, found in names.items()}


STACKING: tuple[str, ...] = typing.get_args(Stacking)
STATUSES: tuple[str, ...] = typing.get_args(Status)

_TOP_KEYS = keys(MeasureSpec)
_REQUIRED = ("title", "authority", "description", "layer", "stacking", "partners", "sectors")
_VALUE_KEYS = keys(MeasureValueSpec)


@dataclass(frozen=True)
class Coverage:
    """Share of a sector's trade a measure covers (or exempts), optionally by partner."""

    share: float
    by_partner: MappingProxyType[str, float]
    basis: str
    # An exemption of goods that a Section 232 measure covers once it is in force (e.g. the
    # Annex II copper exemption and Section 232 copper): while that measure is active the
    # goods are already outside the reciprocal layers, so the exemption must not count again.
    same_goods_as: str = ""

    def for_partner(self, partner: str) -> float:
        return self.by_partner.get(partner, self.share)


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class MeasureValue:
    start: dt.date
    end: dt.date | None  # inclusive; None = open-ended
    rate: float
    rate_by_partner: MappingProxyType[str, float]
    rate_by_sector: MappingProxyType[str, float]
    status: str
    reference: Reference
    note: str
    # Rates of member countries of a region (ftrow, row), keyed by Census country code; the
    # loader turns them into ``rate_by_cell`` by import weights (analysis.inputs.members).
    rate_by_country: Mapping[str, float] = field(default_factory=_empty)
    floor_by_country: Mapping[str, float] = field(default_factory=_empty)
    country_exemptions: Mapping[str, str] = field(default_factory=_empty)
    rate_by_cell: Mapping[tuple[str, str], float] = field(default_factory=_empty)
    # Product lists exempt while this value is in force, and (filled on loading) their
    # shares of each sector's trade, added to the measure's own exemptions.
    exempt_lists: tuple[str, ...] = ()
    added_exempt: Mapping[str, Coverage] = field(default_factory=_empty)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Measure:
    id: str
    path: Path
    title: str
    authority: str
    description: str
    layer: str
    stacking: str
    applies_to: str
    partners: tuple[str, ...]
    sectors: MappingProxyType[str, Coverage]
    exempt_sectors: MappingProxyType[str, Coverage]
    supersedes: tuple[str, ...]
    values: tuple[MeasureValue, ...]
    notes: tuple[str, ...]
    exempt_lists: tuple[str, ...] = ()  # already added into exempt_sectors on loading
    label: str = ""  # its name in its layer's label; "" for the authority's

    @property
    def layer_name(self) -> str:
        """How the layer's label names it: ``IEEPA fentanyl``, ``Section 338 Canada`` (the
        file's ``label``), else its authority (``Section 232``)."""
        return self.label or self.authority_name

    @property
    def is_mfn(self) -> bool:
        """The MFN file documents the data's rates; its values carry no rate of their own."""
        return self.stacking == "mfn"

    @property
    def authority_name(self) -> str:
        """The legal authority, from the id prefix: "IEEPA", "Section 232", ..."""
        return next(name for prefix, name in AUTHORITIES.items() if self.id.startswith(prefix))

    @property
    def is_section232(self) -> bool:
        return self.stacking.startswith("section232")

    def value_on(self, day: dt.date, statuses: tuple[str, ...] = ("in_force",)) -> MeasureValue:
        """The dated value covering ``day`` with one of ``statuses``; KeyError if none."""
        for value in self.values:
            if value.covers(day) and value.status in statuses:
                return value
        raise KeyError(f"{self.id} has no {'/'.join(statuses)} value on {day}")

    def references(self) -> list[Reference]:
        seen: dict[tuple[str, str], Reference] = {}
        for value in self.values:
            seen.setdefault((value.reference.title, value.reference.url), value.reference)
        return list(seen.values())


def _partners(path: Path, key: str, raw: object, catalog: Catalog) -> tuple[str, ...]:
    if raw == "all":
        return catalog.partners
    if not isinstance(raw, list) or not raw:
        raise InputError(path, key, "'all' or a non-empty list of partner regions", raw)
    return names(path, key, raw, catalog.partners)


def _share_by_partner(
    path: Path, key: str, raw: object, catalog: Catalog, upper: float = 1.0
) -> MappingProxyType[str, float]:
    """A mapping partner -> share (or rate, up to ``upper``)."""
    spec = mapping(path, key, raw or {})
    for partner in spec:
        one_of(path, key, partner, catalog.partners)
    return MappingProxyType(
        {str(p): fraction(path, f"{key}.{p}", r, upper) for p, r in spec.items()}
    )


def _coverage(path: Path, key: str, raw: object, catalog: Catalog) -> Coverage:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Coverage(fraction(path, key, raw), MappingProxyType({}), "")
    fields = {"share", "by_partner", "basis", "same_goods_as"}
    raw = record(path, key, raw, fields, "a share or a mapping with share, by_partner, basis")
    if "share" not in raw:
        raise InputError(path, f"{key}.share", "a share", "missing")
    return Coverage(
        share=fraction(path, f"{key}.share", raw["share"]),
        by_partner=_share_by_partner(path, f"{key}.by_partner", raw.get("by_partner"), catalog),
        basis=str(raw.get("basis", "")),
        same_goods_as=str(raw.get("same_goods_as", "")),
    )


def _sector_map(
    path: Path, key: str, raw: object, catalog: Catalog
) -> MappingProxyType[str, Coverage]:
    known = catalog.sectors
    if raw == "all":
        full = Coverage(1.0, MappingProxyType({}), "whole sector")
        return MappingProxyType(dict.fromkeys(known, full))
    if raw is None and key == "exempt_sectors":
        return MappingProxyType({})
    if not isinstance(raw, dict) or not raw:
        raise InputError(path, key, "'all' or a mapping sector -> share", raw)
    out = {}
    if "all" in raw:  # one entry for every sector; named sectors below override it
        every = _coverage(path, f"{key}.all", raw["all"], catalog)
        out = dict.fromkeys(known, every)
    for sector, spec in raw.items():
        if sector == "all":
            continue
        one_of(path, key, sector, known)
        out[sector] = _coverage(path, f"{key}.{sector}", spec, catalog)
    return MappingProxyType(out)


def _rate_by_sector(path: Path, key: str, raw: object, catalog: Catalog) -> dict[str, float]:
    spec = mapping(path, key, raw or {})
    for sector in spec:
        one_of(path, key, sector, catalog.sectors)
    return {str(s): fraction(path, f"{key}.{s}", r, MAX_RATE) for s, r in spec.items()}


def _names_list(path: Path, key: str, raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise InputError(path, key, "a list of product-list names", raw)
    return tuple(raw)


def _by_country(path: Path, key: str, raw: object, upper: float) -> MappingProxyType[str, float]:
    spec = mapping(path, key, raw or {})
    out = {}
    for code, rate in spec.items():
        if not str(code).isdigit():
            raise InputError(path, key, "Census country codes (digits)", code)
        out[str(code)] = fraction(path, f"{key}.{code}", rate, upper)
    return MappingProxyType(out)


def _value(path: Path, key: str, raw: object, catalog: Catalog) -> MeasureValue:
    item = record(path, key, raw, _VALUE_KEYS)
    start = date_value(path, f"{key}.start", item.get("start"))
    end = None if item.get("end") is None else date_value(path, f"{key}.end", item["end"])
    if end is not None and end < start:
        raise InputError(path, f"{key}.end", f"on or after start {start}", end.isoformat())
    if "rate_from_data" in item:
        if item["rate_from_data"] != "mfn_tariff_rate" or "rate" in item:
            raise InputError(
                path,
                f"{key}.rate_from_data",
                "mfn_tariff_rate (and no rate)",
                item["rate_from_data"],
            )
        item = {**item, "rate": 0.0}
    return MeasureValue(
        start=start,
        end=end,
        rate=fraction(path, f"{key}.rate", item.get("rate"), MAX_RATE),
        rate_by_partner=_share_by_partner(
            path, f"{key}.rate_by_partner", item.get("rate_by_partner"), catalog, MAX_RATE
        ),
        rate_by_sector=MappingProxyType(
            _rate_by_sector(path, f"{key}.rate_by_sector", item.get("rate_by_sector"), catalog)
        ),
        status=one_of(path, f"{key}.status", item.get("status", "in_force"), STATUSES),
        reference=parse_reference(path, f"{key}.reference", item.get("reference")),
        note=str(item.get("note", "")),
        rate_by_country=_by_country(
            path, f"{key}.rate_by_country", item.get("rate_by_country"), MAX_RATE
        ),
        floor_by_country=_by_country(
            path, f"{key}.floor_by_country", item.get("floor_by_country"), 1.0
        ),
        exempt_lists=_names_list(path, f"{key}.exempt_lists", item.get("exempt_lists")),
        country_exemptions=MappingProxyType(
            {
                str(c): str(lst)
                for c, lst in mapping(
                    path, f"{key}.country_exemptions", item.get("country_exemptions") or {}
                ).items()
            }
        ),
    )


def _values(path: Path, raw: object, catalog: Catalog) -> tuple[MeasureValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise InputError(path, "values", "a non-empty list of dated values", raw)
    values = [_value(path, f"values[{i}]", item, catalog) for i, item in enumerate(raw)]
    _check_sorted_no_overlap(path, values)
    return tuple(values)


def _check_sorted_no_overlap(path: Path, values: list[MeasureValue]) -> None:
    """Values of one status must be sorted by start and must not overlap."""
    for status in STATUSES:
        same = [(i, v) for i, v in enumerate(values) if v.status == status]
        for (_, prev), (i, cur) in itertools.pairwise(same):
            if cur.start <= prev.start:
                raise InputError(
                    path,
                    f"values[{i}].start",
                    f"after {prev.start} (sorted)",
                    cur.start.isoformat(),
                )
            if prev.end is None or cur.start <= prev.end:
                found = "open-ended" if prev.end is None else prev.end.isoformat()
                raise InputError(
                    path, f"values[{i}].start", "no overlap with the previous value", found
                )


def _measure_partners(path: Path, doc: dict[str, object], catalog: Catalog) -> tuple[str, ...]:
    partners = _partners(path, "partners", doc["partners"], catalog)
    if "except_partners" in doc:
        dropped = _partners(path, "except_partners", doc["except_partners"], catalog)
        partners = tuple(p for p in partners if p not in dropped)
        if not partners:
            raise InputError(path, "except_partners", "some partners left", "none")
    return partners


def parse_measure(path: Path, doc: object, catalog: Catalog) -> Measure:
    """Validate one measure document (already parsed from YAML)."""
    if not path.stem.startswith(tuple(AUTHORITIES)):
        expected = "a file name starting with its authority: " + ", ".join(AUTHORITIES)
        raise InputError(path, "(file name)", expected, path.stem)
    validated(MeasureSpec, path, doc)  # the shape; the names and dates are checked below
    doc = record(path, TOP_LEVEL, doc, _TOP_KEYS)
    require(path, doc, _REQUIRED)
    supersedes = doc.get("supersedes") or []
    if not isinstance(supersedes, list) or not all(isinstance(s, str) for s in supersedes):
        raise InputError(path, "supersedes", "a list of measure ids", supersedes)
    return Measure(
        id=path.stem,
        path=path,
        title=text_value(path, "title", doc["title"]),
        label=text_value(path, "label", doc["label"]) if doc.get("label") is not None else "",
        authority=text_value(path, "authority", doc["authority"]),
        description=text_value(path, "description", doc["description"]),
        layer=one_of(path, "layer", doc["layer"], LAYERS),
        stacking=one_of(path, "stacking", doc["stacking"], STACKING),
        applies_to=one_of(
            path, "applies_to", doc.get("applies_to", "non_section232"), ("non_section232", "all")
        ),
        partners=_measure_partners(path, doc, catalog),
        sectors=_sector_map(path, "sectors", doc["sectors"], catalog),
        exempt_sectors=_sector_map(path, "exempt_sectors", doc.get("exempt_sectors"), catalog),
        supersedes=tuple(supersedes),
        values=_values(path, doc.get("values"), catalog),
        notes=text_list(path, "notes", doc.get("notes")),
        exempt_lists=_names_list(path, "exempt_lists", doc.get("exempt_lists")),
    )


def load_measures(files: Path | Iterable[Path], catalog: Catalog) -> dict[str, Measure]:
    """Every measure of ``files`` (or of a folder, ``params/measures``) keyed by file stem (each
    file checked on its own; :func:`analysis.inputs.law_checks.cross_check` checks them against
    each other)."""
    paths = sorted(files.glob("*.yaml")) if isinstance(files, Path) else list(files)
    measures = {p.stem: parse_measure(p, read_yaml(p), catalog) for p in paths}
    if not measures:
        raise InputError(str(files), "measures", "at least one *.yaml file", "none")
    return measures
