"""``params/law_status.yaml``: how far the package knows the law, the IEEPA refunds, and the
measures it leaves out (each with its reason and citation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.errors import InputError
from analysis.inputs.references import Reference, parse_reference
from analysis.inputs.validate import TOP_LEVEL, date_value, read_yaml, record, text_value


@dataclass(frozen=True)
class Refunds:
    """IEEPA duties collected in ``[collected_from, collected_to]`` are being refunded."""

    collected_from: dt.date
    collected_to: dt.date
    status: str
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class NotModelled:
    title: str
    start: dt.date
    reason: str
    reference: Reference


@dataclass(frozen=True)
class LawStatus:
    known_through: dt.date
    ieepa_refunds: Refunds
    not_modelled: tuple[NotModelled, ...]


def _refunds(path: Path, raw: object) -> Refunds:
    spec = record(
        path, "ieepa_refunds", raw, {"collected_from", "collected_to", "status", "references"}
    )
    refs = spec.get("references")
    if not isinstance(refs, list) or not refs:
        raise InputError(path, "ieepa_refunds.references", "a non-empty list", refs)
    start = date_value(path, "ieepa_refunds.collected_from", spec.get("collected_from"))
    end = date_value(path, "ieepa_refunds.collected_to", spec.get("collected_to"))
    if end < start:
        raise InputError(path, "ieepa_refunds.collected_to", f"on or after {start}", str(end))
    return Refunds(
        collected_from=start,
        collected_to=end,
        status=text_value(path, "ieepa_refunds.status", spec.get("status")),
        references=tuple(
            parse_reference(path, f"ieepa_refunds.references[{i}]", r) for i, r in enumerate(refs)
        ),
    )


def _not_modelled(path: Path, key: str, raw: object) -> NotModelled:
    spec = record(path, key, raw, {"title", "start", "reason", "reference"})
    return NotModelled(
        title=text_value(path, f"{key}.title", spec.get("title")),
        start=date_value(path, f"{key}.start", spec.get("start")),
        reason=text_value(path, f"{key}.reason", spec.get("reason")),
        reference=parse_reference(path, f"{key}.reference", spec.get("reference")),
    )


def load_law_status(path: Path) -> LawStatus:
    doc = record(
        path, TOP_LEVEL, read_yaml(path), {"known_through", "ieepa_refunds", "not_modelled"}
    )
    items = doc.get("not_modelled") or []
    if not isinstance(items, list):
        raise InputError(path, "not_modelled", "a list", items)
    return LawStatus(
        known_through=date_value(path, "known_through", doc.get("known_through")),
        ieepa_refunds=_refunds(path, doc.get("ieepa_refunds")),
        not_modelled=tuple(
            _not_modelled(path, f"not_modelled[{i}]", item) for i, item in enumerate(items)
        ),
    )
