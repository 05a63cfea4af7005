"""The shared validators: one YAML reader and one checker per kind of value.

Every loader of the package (data manifest, measures, scenarios, parameters, markets, report
runs) reads YAML through :func:`read_yaml` and checks values with these functions, so every
bad input ends in the same one-line :class:`~analysis.inputs.errors.InputError` naming the
file, the key, what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import yaml

from analysis.inputs.errors import InputError

TOP_LEVEL = "(top level)"


# libyaml's parser when PyYAML has it (about 5x faster on the measure files), else PyYAML's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML keeps the last of two equal keys silently; a duplicated key must be an error."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: Path) -> str:
    """A file's text, which must be UTF-8; else an error naming the first bad byte."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "(file)", "a file", "a directory") from None
    except FileNotFoundError:
        raise InputError(path, "(file)", "an existing file", "no such file") from None
    except OSError as exc:
        raise InputError(path, "(file)", "a readable file", exc.strerror or str(exc)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            path, "(encoding)", "UTF-8 text", f"byte 0x{bad} at offset {exc.start}"
        ) from None


def read_yaml(path: Path) -> object:
    """Parse one YAML file: UTF-8, valid YAML, no duplicated key; else one ``InputError``."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, where, "valid YAML with unique keys", problem) from None


def record(
    path: Path,
    key: str,
    raw: object,
    allowed: Collection[str],
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


def require(path: Path, doc: dict[str, object], keys: Iterable[str]) -> None:
    """Every one of ``keys`` is present in ``doc``."""
    for key in keys:
        if key not in doc:
            raise InputError(path, key, "a value", "missing")


def one_of(path: Path, key: str, raw: object, allowed: Collection[str]) -> str:
    """``raw`` is one of the ``allowed`` names."""
    if not isinstance(raw, str) or raw not in allowed:
        raise InputError(path, key, f"one of {sorted(allowed)}", raw)
    return raw


def names(path: Path, key: str, raw: object, allowed: Collection[str]) -> tuple[str, ...]:
    """A list of allowed names (``None`` is the empty list)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise InputError(path, key, "a list of names", raw)
    for name in raw:
        one_of(path, key, name, allowed)
    return tuple(raw)


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


def number(path: Path, key: str, raw: object, low: float = 0.0, high: float = math.inf) -> float:
    """A real number in ``[low, high]`` (booleans and NaN refused)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw):
        raise InputError(path, key, "a number", raw)
    if not low <= raw <= high:
        expected = (
            f"a number >= {low}" if high == math.inf else f"a number between {low} and {high}"
        )
        raise InputError(path, key, expected, raw)
    return float(raw)


def fraction(path: Path, key: str, raw: object, upper: float = 1.0) -> float:
    """A share or an ad valorem rate in ``[0, upper]``."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw):
        raise InputError(path, key, "a number", raw)
    if not 0 <= float(raw) <= upper:
        raise InputError(path, key, f"a fraction between 0 and {upper}", raw)
    return float(raw)


def text_value(path: Path, key: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(path, key, "non-empty text", raw)
    return raw.strip()


def text_list(path: Path, key: str, raw: object) -> tuple[str, ...]:
    """A list of texts (``None`` is the empty list)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise InputError(path, key, "a list of text", raw)
    return tuple(raw)


def mapping(path: Path, key: str, raw: object) -> dict[str, object]:
    """Any mapping (its keys are checked by the caller)."""
    if not isinstance(raw, dict):
        raise InputError(path, key, "a mapping", raw)
    return raw
