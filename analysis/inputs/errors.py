"""One error type for bad input, so the command line can print it on one line."""

from __future__ import annotations

from pathlib import Path


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
        super().__init__(f"{self.file}: {key}: expected {expected}, found {found!r}")
