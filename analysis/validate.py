"""Small validators shared by the YAML loaders: each names file, key, expected and found."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from analysis.errors import InputError


def date_value(path: Path, key: str, raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise InputError(path, key, "a date YYYY-MM-DD", raw)


def fraction(path: Path, key: str, raw: object, upper: float = 1.0) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InputError(path, key, "a number", raw)
    if not 0 <= float(raw) <= upper:
        raise InputError(path, key, f"a fraction between 0 and {upper}", raw)
    return float(raw)


def text_value(path: Path, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(path, key, "non-empty text", raw)
    return raw.strip()


def number(path: Path, key: str, raw: object, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw):
        raise InputError(path, key, "a number", raw)
    if not low <= raw <= high:
        expected = (
            f"a number >= {low}" if high == math.inf else f"a number between {low} and {high}"
        )
        raise InputError(path, key, expected, raw)
    return float(raw)


TOP_LEVEL = "(top level)"


def record(
    path: Path,
    key: str,
    raw: object,
    allowed: set[str] | frozenset[str],
    expected: str = "a mapping",
) -> dict[str, object]:
    """``raw`` as a mapping whose keys are all ``allowed``; else an error naming the key."""
    if not isinstance(raw, dict):
        found = type(raw).__name__ if key == TOP_LEVEL else raw
        raise InputError(path, key, expected, found)
    unknown = sorted(str(k) for k in set(raw) - set(allowed))
    if unknown:
        where = unknown[0] if key == TOP_LEVEL else f"{key}.{unknown[0]}"
        raise InputError(path, where, f"one of {sorted(allowed)}", "an unknown key")
    return raw
