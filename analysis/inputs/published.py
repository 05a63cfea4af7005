"""``params/published_rates.yaml``: published effective tariff rates to compare ours with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.errors import InputError
from analysis.inputs.references import Reference, parse_reference
from analysis.inputs.validate import (
    date_value,
    names,
    number,
    one_of,
    read_yaml,
    record,
    text_value,
)

_KEYS = {"publisher", "partner", "as_of", "rate", "excluding", "explanation", "source"}


@dataclass(frozen=True)
class PublishedRate:
    """A published total effective rate (MFN included) for a partner (or ``all``) on a day."""

    publisher: str
    partner: str
    as_of: dt.date
    rate: float
    excluding: tuple[str, ...]  # measures to leave out of ours to describe the same law
    explanation: str
    source: Reference


def _records(
    path: Path, what: str, keys: Collection[str]
) -> Iterator[tuple[str, dict[str, object]]]:
    """``(key, mapping)`` for each entry of a YAML list of records with the allowed ``keys``."""
    doc = read_yaml(path)
    if not isinstance(doc, list):
        raise InputError(path, "(top level)", f"a list of {what}", type(doc).__name__)
    for i, raw in enumerate(doc):
        yield f"[{i}]", record(path, f"[{i}]", raw, keys)


def load_published_rates(
    path: Path, partners: Collection[str], measures: Collection[str]
) -> tuple[PublishedRate, ...]:
    out = []
    for key, spec in _records(path, "published rates", _KEYS):
        out.append(
            PublishedRate(
                publisher=text_value(path, f"{key}.publisher", spec.get("publisher")),
                partner=one_of(path, f"{key}.partner", spec.get("partner"), [*partners, "all"]),
                as_of=date_value(path, f"{key}.as_of", spec.get("as_of")),
                rate=number(path, f"{key}.rate", spec.get("rate"), 0.0, 10.0),
                excluding=names(path, f"{key}.excluding", spec.get("excluding"), measures),
                explanation=text_value(path, f"{key}.explanation", spec.get("explanation")),
                source=parse_reference(path, f"{key}.source", spec.get("source")),
            )
        )
    return tuple(out)


_COST_KEYS = {
    "publisher",
    "law_of",
    "before_substitution_usd",
    "after_substitution_usd",
    "explanation",
    "source",
}


@dataclass(frozen=True)
class PublishedCost:
    """A published cost of the tariffs per US household, for the law of one day."""

    publisher: str
    law_of: dt.date
    before_substitution_usd: float
    after_substitution_usd: float
    explanation: str
    source: Reference


def load_published_costs(path: Path) -> tuple[PublishedCost, ...]:
    out = []
    for key, spec in _records(path, "published costs", _COST_KEYS):
        out.append(
            PublishedCost(
                publisher=text_value(path, f"{key}.publisher", spec.get("publisher")),
                law_of=date_value(path, f"{key}.law_of", spec.get("law_of")),
                before_substitution_usd=number(
                    path, f"{key}.before_substitution_usd", spec.get("before_substitution_usd")
                ),
                after_substitution_usd=number(
                    path, f"{key}.after_substitution_usd", spec.get("after_substitution_usd")
                ),
                explanation=text_value(path, f"{key}.explanation", spec.get("explanation")),
                source=parse_reference(path, f"{key}.source", spec.get("source")),
            )
        )
    return tuple(out)
