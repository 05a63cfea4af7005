"""``params/published_rates.yaml``: published effective tariff rates to compare ours with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
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


def load_published_rates(
    path: Path, partners: Collection[str], measures: Collection[str]
) -> tuple[PublishedRate, ...]:
    doc = read_yaml(path)
    if not isinstance(doc, list):
        raise InputError(path, "(top level)", "a list of published rates", type(doc).__name__)
    out = []
    for i, raw in enumerate(doc):
        key = f"[{i}]"
        spec = record(path, key, raw, _KEYS)
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
