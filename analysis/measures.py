"""Tariff measures as data: one YAML file per legal measure in ``params/measures/``.

Each file is validated once, here, into a frozen :class:`Measure`. The schema:

.. code-block:: yaml

    title: str                      # short name
    authority: str                  # the legal instrument(s)
    description: str                # what it does, in plain words
    layer: baseline | country | section232 | floor | other   # for attribution and display
    stacking: additive | floor | section232 | section232_floor
    applies_to: non_section232 | all   # additive/floor only: stack on Section 232 goods?
    partners: all | [partner, ...]
    except_partners: [partner, ...]   # optional
    sectors: all | {sector: share | {share: x, by_partner: {p: x}, basis: str}}
    exempt_sectors: {sector | all: {share: x, by_partner: {p: x}, basis: str}}   # optional
    supersedes: [measure id, ...]     # optional: switched off for its partners while in force
    values:                           # dated, sorted, not overlapping
      - {start: date, end: date|null, rate: x, rate_by_partner: {p: x},
         status: in_force|announced|superseded, reference: {title, url, date}, note: str}
    notes: [str]                      # optional: caveats, what is not modelled

Stacking semantics are in :mod:`analysis.stacking`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from analysis.catalog import PARTNERS, sector_names
from analysis.errors import InputError
from analysis.paths import params_dir
from analysis.validate import TOP_LEVEL, date_value, fraction, record, text_value

LAYERS = ("mfn", "baseline", "country", "section232", "floor", "other")
STACKING = ("mfn", "additive", "floor", "section232", "section232_floor")
STATUSES = ("in_force", "announced", "superseded")
# No 2025 US tariff exceeded 150% ad valorem (China peaked at 125% + 20% + Section 301);
# anything above this is almost surely a typo such as 25 for 0.25.
MAX_RATE = 1.5

_TOP_KEYS = {
    "title",
    "authority",
    "description",
    "layer",
    "stacking",
    "applies_to",
    "partners",
    "except_partners",
    "sectors",
    "exempt_sectors",
    "supersedes",
    "values",
    "notes",
}
_REQUIRED = ("title", "authority", "description", "layer", "stacking", "partners", "sectors")
_VALUE_KEYS = {
    "start",
    "end",
    "rate",
    "rate_by_partner",
    "rate_by_sector",
    "rate_from_data",
    "status",
    "reference",
    "note",
}
_REF_KEYS = {"title", "url", "date"}


@dataclass(frozen=True)
class Reference:
    title: str
    url: str
    date: dt.date

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "date": self.date.isoformat()}


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

    @property
    def is_mfn(self) -> bool:
        """The MFN file documents the data's rates; its values carry no rate of their own."""
        return self.stacking == "mfn"

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


def _partners(path: Path, key: str, raw: object) -> tuple[str, ...]:
    if raw == "all":
        return PARTNERS
    if not isinstance(raw, list) or not raw:
        raise InputError(path, key, "'all' or a non-empty list of partner regions", raw)
    for partner in raw:
        if partner not in PARTNERS:
            raise InputError(path, key, f"one of {list(PARTNERS)}", partner)
    return tuple(raw)


def parse_reference(path: Path, key: str, raw: object) -> Reference:
    raw = record(path, key, raw, _REF_KEYS, "a mapping with title, url, date")
    url = text_value(path, f"{key}.url", raw.get("url"))
    if not url.startswith(("https://", "http://", "doi:", "repo:")):
        raise InputError(path, f"{key}.url", "a link (https://, doi: or repo:)", url)
    return Reference(
        title=text_value(path, f"{key}.title", raw.get("title")),
        url=url,
        date=date_value(path, f"{key}.date", raw.get("date")),
    )


def _coverage(path: Path, key: str, raw: object) -> Coverage:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Coverage(fraction(path, key, raw), MappingProxyType({}), "")
    fields = {"share", "by_partner", "basis", "same_goods_as"}
    raw = record(path, key, raw, fields, "a share or a mapping with share, by_partner, basis")
    if "share" not in raw:
        raise InputError(path, f"{key}.share", "a share", "missing")
    by_partner = raw.get("by_partner") or {}
    if not isinstance(by_partner, dict):
        raise InputError(path, f"{key}.by_partner", "a mapping partner -> share", by_partner)
    checked = {}
    for partner, share in by_partner.items():
        if partner not in PARTNERS:
            raise InputError(path, f"{key}.by_partner", f"one of {list(PARTNERS)}", partner)
        checked[partner] = fraction(path, f"{key}.by_partner.{partner}", share)
    return Coverage(
        share=fraction(path, f"{key}.share", raw["share"]),
        by_partner=MappingProxyType(checked),
        basis=str(raw.get("basis", "")),
        same_goods_as=str(raw.get("same_goods_as", "")),
    )


def _sector_map(path: Path, key: str, raw: object) -> MappingProxyType[str, Coverage]:
    known = sector_names()
    if raw == "all":
        full = Coverage(1.0, MappingProxyType({}), "whole sector")
        return MappingProxyType(dict.fromkeys(known, full))
    if raw is None and key == "exempt_sectors":
        return MappingProxyType({})
    if not isinstance(raw, dict) or not raw:
        raise InputError(path, key, "'all' or a mapping sector -> share", raw)
    out = {}
    if "all" in raw:  # one entry for every sector; named sectors below override it
        every = _coverage(path, f"{key}.all", raw["all"])
        out = dict.fromkeys(known, every)
    for sector, spec in raw.items():
        if sector == "all":
            continue
        if sector not in known:
            raise InputError(path, key, "a GTAP goods sector in the import data", sector)
        out[sector] = _coverage(path, f"{key}.{sector}", spec)
    return MappingProxyType(out)


def _values(path: Path, raw: object) -> tuple[MeasureValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise InputError(path, "values", "a non-empty list of dated values", raw)
    values = []
    for i, item in enumerate(raw):
        key = f"values[{i}]"
        item = record(path, key, item, _VALUE_KEYS)
        start = date_value(path, f"{key}.start", item.get("start"))
        end = None if item.get("end") is None else date_value(path, f"{key}.end", item["end"])
        if end is not None and end < start:
            raise InputError(path, f"{key}.end", f"on or after start {start}", end.isoformat())
        by_partner = item.get("rate_by_partner") or {}
        if not isinstance(by_partner, dict):
            raise InputError(
                path, f"{key}.rate_by_partner", "a mapping partner -> rate", by_partner
            )
        for partner in by_partner:
            if partner not in PARTNERS:
                raise InputError(
                    path, f"{key}.rate_by_partner", f"one of {list(PARTNERS)}", partner
                )
        by_sector = item.get("rate_by_sector") or {}
        if not isinstance(by_sector, dict):
            raise InputError(path, f"{key}.rate_by_sector", "a mapping sector -> rate", by_sector)
        for sector in by_sector:
            if sector not in sector_names():
                raise InputError(path, f"{key}.rate_by_sector", "a GTAP goods sector", sector)
        if "rate_from_data" in item:
            if item["rate_from_data"] != "mfn_tariff_rate" or "rate" in item:
                raise InputError(
                    path,
                    f"{key}.rate_from_data",
                    "mfn_tariff_rate (and no rate)",
                    item["rate_from_data"],
                )
            item = {**item, "rate": 0.0}
        status = item.get("status", "in_force")
        if status not in STATUSES:
            raise InputError(path, f"{key}.status", f"one of {list(STATUSES)}", status)
        values.append(
            MeasureValue(
                start=start,
                end=end,
                rate=fraction(path, f"{key}.rate", item.get("rate"), MAX_RATE),
                rate_by_partner=MappingProxyType(
                    {
                        p: fraction(path, f"{key}.rate_by_partner.{p}", r, MAX_RATE)
                        for p, r in by_partner.items()
                    }
                ),
                rate_by_sector=MappingProxyType(
                    {
                        s: fraction(path, f"{key}.rate_by_sector.{s}", r, MAX_RATE)
                        for s, r in by_sector.items()
                    }
                ),
                status=status,
                reference=parse_reference(path, f"{key}.reference", item.get("reference")),
                note=str(item.get("note", "")),
            )
        )
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


def parse_measure(path: Path, doc: object) -> Measure:
    """Validate one measure document (already parsed from YAML)."""
    doc = record(path, TOP_LEVEL, doc, _TOP_KEYS)
    for key in _REQUIRED:
        if key not in doc:
            raise InputError(path, key, "a value", "missing")
    layer = doc["layer"]
    if layer not in LAYERS:
        raise InputError(path, "layer", f"one of {list(LAYERS)}", layer)
    stacking = doc["stacking"]
    if stacking not in STACKING:
        raise InputError(path, "stacking", f"one of {list(STACKING)}", stacking)
    applies_to = doc.get("applies_to", "non_section232")
    if applies_to not in ("non_section232", "all"):
        raise InputError(path, "applies_to", "non_section232 or all", applies_to)
    partners = _partners(path, "partners", doc["partners"])
    if "except_partners" in doc:
        dropped = _partners(path, "except_partners", doc["except_partners"])
        partners = tuple(p for p in partners if p not in dropped)
        if not partners:
            raise InputError(path, "except_partners", "some partners left", "none")
    supersedes = doc.get("supersedes") or []
    if not isinstance(supersedes, list) or not all(isinstance(s, str) for s in supersedes):
        raise InputError(path, "supersedes", "a list of measure ids", supersedes)
    notes = doc.get("notes") or []
    if not isinstance(notes, list):
        raise InputError(path, "notes", "a list of text", notes)
    return Measure(
        id=path.stem,
        path=path,
        title=text_value(path, "title", doc["title"]),
        authority=text_value(path, "authority", doc["authority"]),
        description=text_value(path, "description", doc["description"]),
        layer=layer,
        stacking=stacking,
        applies_to=applies_to,
        partners=partners,
        sectors=_sector_map(path, "sectors", doc["sectors"]),
        exempt_sectors=_sector_map(path, "exempt_sectors", doc.get("exempt_sectors")),
        supersedes=tuple(supersedes),
        values=_values(path, doc.get("values")),
        notes=tuple(str(n) for n in notes),
    )


def read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(parse)"
        raise InputError(path, where, "valid YAML", str(exc).splitlines()[0]) from exc
    except OSError as exc:
        raise InputError(path, "file", "a readable file", exc.strerror) from exc


def load_measures(folder: Path | None = None) -> dict[str, Measure]:
    """Every measure in ``params/measures`` keyed by file stem, cross-checked."""
    folder = folder or params_dir() / "measures"
    measures = {p.stem: parse_measure(p, read_yaml(p)) for p in sorted(folder.glob("*.yaml"))}
    if not measures:
        raise InputError(folder, "measures", "at least one *.yaml file", "none")
    for measure in measures.values():
        for other in measure.supersedes:
            if other not in measures:
                raise InputError(measure.path, "supersedes", "an existing measure id", other)
        for sector, exempt in measure.exempt_sectors.items():
            other = exempt.same_goods_as
            if other and (other not in measures or not measures[other].is_section232):
                raise InputError(
                    measure.path,
                    f"exempt_sectors.{sector}.same_goods_as",
                    "the id of a Section 232 measure",
                    other,
                )
    return measures
