"""A citation: every rate, trade value and elasticity in ``params/`` carries one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analysis.inputs.errors import InputError
from analysis.inputs.validate import date_value, record, text_value

_REF_KEYS = {"title", "url", "date"}
LINK_PREFIXES = ("https://", "http://", "doi:", "repo:")


@dataclass(frozen=True)
class Reference:
    title: str
    url: str
    date: dt.date

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "date": self.date.isoformat()}


def parse_reference(path: Path, key: str, raw: object) -> Reference:
    raw = record(path, key, raw, _REF_KEYS, "a mapping with title, url, date")
    url = text_value(path, f"{key}.url", raw.get("url"))
    if not url.startswith(LINK_PREFIXES):
        raise InputError(path, f"{key}.url", "a link (https://, doi: or repo:)", url)
    return Reference(
        title=text_value(path, f"{key}.title", raw.get("title")),
        url=url,
        date=date_value(path, f"{key}.date", raw.get("date")),
    )
