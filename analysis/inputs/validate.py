"""The shared validators: one YAML reader and one checker per kind of value.

Every loader of the package (data manifest, measures, scenarios, parameters, markets, report
runs) reads YAML through :func:`read_yaml` and checks values with these functions, so every
bad input ends in the same one-line :class:`~analysis.inputs.errors.InputError` naming the
file, the key, what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import stat
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, ClassVar

import yaml

from analysis.inputs.errors import InputError

TOP_LEVEL = "(top level)"


# libyaml's parser when PyYAML has it (about 5x faster on the measure files), else PyYAML's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: How large a document may be once its aliases (``*name``) are expanded, counted in values
#: plus characters of text: the largest shipped file counts under 10 000, an alias bomb
#: ("billion laughs") billions.
MAX_EXPANDED_SIZE = 1_000_000
#: How deeply collections may nest (the shipped files nest less than 10 deep).
MAX_DEPTH = 100


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML keeps the last of two equal keys silently; a duplicated key must be an error.

    It also remembers the node it is constructing, so that an error raised by a constructor
    (an impossible date such as 2025-02-30 raises ``ValueError``) can name its line."""

    current: yaml.Node | None = None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        self.current = node
        return super().construct_object(node, deep)


class _TextDatesLoader(_UniqueKeyLoader):
    """The same, but a date stays text (``-p start_date 2025-04-01`` is the text the
    notebooks declare), and so does an impossible one."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # ``<<: *base``: its keys may be overridden
            continue
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:  # a list or a mapping as a key
            duplicate = False  # construct_mapping below says "found unhashable key"
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        if not isinstance(key, list | dict):
            seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _TooLarge(yaml.YAMLError):
    """A document whose aliases expand too far, or nest too deep, or refer to themselves."""

    def __init__(self, expected: str, problem: str, node: yaml.Node) -> None:
        super().__init__(problem)
        self.expected = expected
        self.problem = problem
        self.problem_mark = node.start_mark


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand beyond :data:`MAX_EXPANDED_SIZE`, nest beyond
    :data:`MAX_DEPTH` or form a cycle, before anything is constructed from it.

    An alias is the same node object as its anchor, so the expanded size of each distinct node
    is computed once (memoised), without expanding anything: linear in the file's size."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if done:
            on_path.discard(id(node))
            own = len(node.value) + 1 if isinstance(node, yaml.ScalarNode) else 1
            size[id(node)] = own + sum(size[id(c)] for c in _children(node))
            if size[id(node)] > MAX_EXPANDED_SIZE:
                raise _TooLarge(
                    f"at most {MAX_EXPANDED_SIZE:,} values and characters once aliases are "
                    "expanded",
                    "more (an alias bomb?)",
                    node,
                )
            continue
        if id(node) in size:
            continue
        if id(node) in on_path:
            raise _TooLarge("aliases that do not refer to themselves", "a recursive alias", node)
        if depth > MAX_DEPTH:
            raise _TooLarge(
                f"collections nested at most {MAX_DEPTH} deep", f"deeper than {MAX_DEPTH}", node
            )
        on_path.add(id(node))
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in reversed(_children(node)))


def _load(text: str, loader_class: type[_UniqueKeyLoader]) -> object:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except yaml.YAMLError:
        raise
    except Exception as exc:  # a constructor's own error: ValueError for 2025-02-30, ...
        raise _ConstructorFailure(exc, loader.current) from exc
    finally:
        loader.dispose()


class _ConstructorFailure(Exception):
    """Any other exception while building values from the nodes, with the node it met."""

    def __init__(self, error: Exception, node: yaml.Node | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.node = node


def _line(mark: object) -> str:
    line = getattr(mark, "line", None)
    return f"line {line + 1}" if isinstance(line, int) else "(file)"


def parse_yaml(text: str, source: str | Path, dates: bool = True) -> object:
    """Parse YAML text: valid YAML, no duplicated key, aliases that do not explode; any
    exception of the loader becomes one :class:`InputError` naming the line. With
    ``dates=False`` dates stay text."""
    loader = _UniqueKeyLoader if dates else _TextDatesLoader
    try:
        return _load(text, loader)
    except _TooLarge as exc:
        raise InputError(source, _line(exc.problem_mark), exc.expected, exc.problem) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["invalid"])[0]
        raise InputError(source, _line(mark), "valid YAML with unique keys", problem) from None
    except _ConstructorFailure as exc:
        node = exc.node
        where = _line(node.start_mark) if node is not None else "(file)"
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        reason = str(exc.error) or type(exc.error).__name__
        found = f"{reason}: {value}" if isinstance(value, str) else reason
        raise InputError(source, where, "a valid YAML value", found) from None


def read_text(path: Path) -> str:
    """A regular file's text, which must be UTF-8; else an error naming the first bad byte.

    Only a regular file is read: a FIFO, a socket or a device is refused at once (``os.stat``
    before opening, and ``fstat`` of what was opened without blocking, in case the path
    changed in between), so that nothing here can wait for ever."""
    _check_regular(path, os.stat)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular(path, lambda _: os.fstat(fd))
        try:
            raw = handle.read()
        except OSError as exc:
            raise _unreadable(path, exc) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            path, "(encoding)", "UTF-8 text", f"byte 0x{bad} at offset {exc.start}"
        ) from None


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _check_regular(path: Path, status: Callable[[Path], os.stat_result]) -> None:
    try:
        mode = status(path).st_mode
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
        raise InputError(path, "(file)", "a regular file", kind)


def _unreadable(path: Path, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(path, "(file)", "an existing file", "no such file")
    return InputError(path, "(file)", "a readable file", exc.strerror or str(exc))


def read_yaml(path: Path) -> object:
    """Parse one YAML file (:func:`read_text`, :func:`parse_yaml`); else one ``InputError``."""
    return parse_yaml(read_text(path), path)


def yaml_value(text: str, source: str, key: str) -> object:
    """A value typed on the command line (``-p NAME VALUE``), read like papermill's ``-y``:
    ``20`` is an int, ``[a, b]`` a list, a date stays text, and text that is not YAML at all
    (``[unclosed``) stays text. Anything else the YAML loader refuses (a duplicated key, an
    alias bomb, a number it cannot build) is one :class:`InputError`."""
    if not text.strip():
        return text
    try:
        yaml.compose(text, Loader=_SafeLoader)  # the syntax only; no value is built
    except yaml.YAMLError:
        return text
    try:
        return parse_yaml(text, source, dates=False)
    except InputError as exc:
        raise InputError(source, key, exc.expected, exc.found) from None


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
