"""``params/law_status.yaml``: how far the package knows the law, the IEEPA refunds, the
measures it leaves out (each with its reason and citation) and the readings of the law that are
not settled (``unsettled``: products as HS prefixes, the countries or ``all``, the question and
how the package reads it, dated and cited), which the reports flag where those lines appear."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
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
    end: dt.date | None = None  # the last day the measure was in force, if it has ended


@dataclass(frozen=True)
class Unsettled:
    """A reading of the law that is not settled: on and after ``start``, the lines whose HS10
    code starts with one of ``products`` (digits only), from ``countries`` (ISO3 codes, or
    ``("all",)``), pay what the package charges them, but the law may exempt them
    (``question``: the open question and how the package reads it)."""

    title: str
    start: dt.date
    products: tuple[str, ...]
    countries: tuple[str, ...]
    question: str
    reference: Reference

    def covers(self, hs10: str, country: str, day: dt.date) -> bool:
        """Whether line ``hs10`` of ``country`` (ISO3) rests on this question on ``day``."""
        return (
            day >= self.start
            and ("all" in self.countries or country in self.countries)
            and hs10.startswith(self.products)
        )


@dataclass(frozen=True)
class LawStatus:
    known_through: dt.date
    ieepa_refunds: Refunds
    not_modelled: tuple[NotModelled, ...]
    unsettled: tuple[Unsettled, ...] = ()


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
    spec = record(path, key, raw, {"title", "start", "reason", "reference", "end"})
    start = date_value(path, f"{key}.start", spec.get("start"))
    end = date_value(path, f"{key}.end", spec["end"]) if "end" in spec else None
    if end is not None and end < start:
        raise InputError(path, f"{key}.end", f"on or after {start}", str(end))
    return NotModelled(
        title=text_value(path, f"{key}.title", spec.get("title")),
        start=start,
        reason=text_value(path, f"{key}.reason", spec.get("reason")),
        reference=parse_reference(path, f"{key}.reference", spec.get("reference")),
        end=end,
    )


_HS_PREFIX = re.compile(r"\d{2,10}")
_ISO3 = re.compile(r"[A-Z]{3}")


def _texts(path: Path, key: str, raw: object) -> list[object]:
    if not isinstance(raw, list) or not raw:
        raise InputError(path, key, "a non-empty list", raw)
    return raw


def _hs_prefixes(path: Path, key: str, raw: object) -> tuple[str, ...]:
    """HS prefixes as digits: ``'7115.90.05'`` -> ``'71159005'``."""
    out = []
    for i, item in enumerate(_texts(path, key, raw)):
        digits = item.replace(".", "") if isinstance(item, str) else ""
        if not _HS_PREFIX.fullmatch(digits):
            expected = "an HS prefix of 2 to 10 digits in quotes (dots allowed: '7115.90.05')"
            raise InputError(path, f"{key}[{i}]", expected, item)
        out.append(digits)
    return tuple(out)


def _countries(path: Path, key: str, raw: object, known: Collection[str] | None) -> tuple[str, ...]:
    """ISO3 codes of the country table (``known``, when given), or ``("all",)``."""
    items = _texts(path, key, raw)
    if items == ["all"]:
        return ("all",)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not _ISO3.fullmatch(item):
            raise InputError(path, f"{key}[{i}]", "an ISO3 code (or the list [all])", item)
        if known is not None and item not in known:
            raise InputError(path, f"{key}[{i}]", "an ISO3 code of the country table", item)
    return tuple(str(c) for c in items)


def _unsettled(path: Path, key: str, raw: object, known: Collection[str] | None) -> Unsettled:
    spec = record(
        path, key, raw, {"title", "start", "products", "countries", "question", "reference"}
    )
    return Unsettled(
        title=text_value(path, f"{key}.title", spec.get("title")),
        start=date_value(path, f"{key}.start", spec.get("start")),
        products=_hs_prefixes(path, f"{key}.products", spec.get("products")),
        countries=_countries(path, f"{key}.countries", spec.get("countries"), known),
        question=text_value(path, f"{key}.question", spec.get("question")),
        reference=parse_reference(path, f"{key}.reference", spec.get("reference")),
    )


def _items(path: Path, doc: dict[str, object], key: str) -> list[object]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        raise InputError(path, key, "a list", items)
    return items


def load_law_status(path: Path, countries: Collection[str] | None = None) -> LawStatus:
    """The file at ``path``; ``countries``: the ISO3 codes an ``unsettled`` entry may name."""
    doc = record(
        path,
        TOP_LEVEL,
        read_yaml(path),
        {"known_through", "ieepa_refunds", "not_modelled", "unsettled"},
    )
    items = _items(path, doc, "not_modelled")
    open_questions = _items(path, doc, "unsettled")
    return LawStatus(
        known_through=date_value(path, "known_through", doc.get("known_through")),
        ieepa_refunds=_refunds(path, doc.get("ieepa_refunds")),
        not_modelled=tuple(
            _not_modelled(path, f"not_modelled[{i}]", item) for i, item in enumerate(items)
        ),
        unsettled=tuple(
            _unsettled(path, f"unsettled[{i}]", item, countries)
            for i, item in enumerate(open_questions)
        ),
    )
