"""One error type for bad input, so the command line can print it on one line.

Every part of the message is escaped here, once: a control character or a line break in a
file name, a key or a found value is shown as an escape (``\\n``, ``\\x1b``), so one error is
always exactly one line and cannot forge a second one. The found value is quoted with a
bounded ``repr`` (:func:`shown`): at most :data:`FOUND_LIMIT` characters, computed from a
bounded part of the value, so that a huge or deeply shared value (a YAML alias bomb) costs
neither time nor memory.
"""

from __future__ import annotations

import builtins
import reprlib
from pathlib import Path

#: The most characters of a found value an error message quotes.
FOUND_LIMIT = 80
#: The most characters of a file name or key an error message shows (they may come from
#: the user: a run name typed on the command line, a key written in a YAML file). A long file
#: name keeps its beginning and its end, the name of the file itself.
NAME_LIMIT = 300
_ELLIPSIS = "..."


def escape(text: str) -> str:
    """``text`` with every non-printable character (line breaks, tabs, terminal escapes, the
    Unicode line and paragraph separators) shown as its Python escape, on one line."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - len(_ELLIPSIS)] + _ELLIPSIS


def clip_middle(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, its middle replaced by ``...`` when cut."""
    if len(text) <= limit:
        return text
    head = (limit - len(_ELLIPSIS)) // 2
    return text[:head] + _ELLIPSIS + text[len(text) - (limit - len(_ELLIPSIS) - head) :]


class _BoundedRepr(reprlib.Repr):
    """``reprlib`` with every piece bounded *before* it is computed: strings, bytes and
    integers are cut before ``repr`` runs, containers show a few items to a small depth."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxarray = self.maxdeque = 6
        self.maxdict = self.maxset = self.maxfrozenset = 6
        self.maxstring = self.maxlong = self.maxother = limit

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return builtins.repr(x)
        return builtins.repr(x[: self.maxstring]) + _ELLIPSIS

    def repr_bytes(self, x: bytes, level: int) -> str:
        if len(x) <= self.maxstring:
            return builtins.repr(x)
        return builtins.repr(x[: self.maxstring]) + _ELLIPSIS

    def repr_int(self, x: int, level: int) -> str:
        # Printing an integer of thousands of digits is slow (and refused past 4300 digits).
        if x.bit_length() > 3 * self.maxlong:
            return f"<an integer of {x.bit_length()} bits>"
        return builtins.repr(x)


def shown(value: object, limit: int = FOUND_LIMIT) -> str:
    """A found value as an error message quotes it: its bounded ``repr``, escaped, at most
    ``limit`` characters."""
    try:
        text = _BoundedRepr(limit).repr(value)
    except Exception:  # a value whose repr fails must not hide the error being reported
        text = f"<a {type(value).__name__}>"
    return clip(escape(text), limit)


class InputError(ValueError):
    """Bad input: names the file, the key, what was expected and what was found."""

    def __init__(
        self,
        file: str | Path,
        key: str,
        expected: object,
        found: object,
    ) -> None:
        self.file = str(file)
        self.key = key
        self.expected = expected
        self.found = found
        super().__init__(
            f"{clip_middle(escape(self.file), NAME_LIMIT)}: {clip(escape(str(key)), NAME_LIMIT)}: "
            f"expected {escape(str(expected))}, found {shown(found)}"
        )

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, object, object]]:
        """Pickled by its parts (a build's shared inputs keep a broken scenario's error)."""
        return (type(self), (self.file, self.key, self.expected, self.found))
