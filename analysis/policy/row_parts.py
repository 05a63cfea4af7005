"""Each measure's contribution to a line schedule, kept on the rows it reaches.

A measure reaches some of the ~334,000 HS10 x country rows (its regions, its lists or
sectors) and adds 0 on every other row. The line engine (:mod:`analysis.policy.lines`)
computes each contribution on its rows only; :class:`RowParts` keeps those (rows, values)
pairs and gives a caller who asks for a measure's contribution on every row the array the
engine used to build at once: zeros, with the values put on the rows, made when first asked
(the same array, bit for bit). Who needs only the rows (a regime's cells, its compact row
stacking) reads :meth:`RowParts.nonzero` and never spreads the ~24 full-size arrays.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np


class RowParts(Mapping[str, np.ndarray]):
    """measure id -> (rows,) contribution, from each measure's values on its rows."""

    def __init__(self, rows: int, parts: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """``parts``: measure id -> (its rows, ascending and distinct; its values there)."""
        for mid, (at, values) in parts.items():
            if at.shape != values.shape:
                raise ValueError(f"{mid}: {at.size} rows but {values.size} values")
        self._rows = rows
        self._parts = dict(parts)
        self._full: dict[str, np.ndarray] = {}
        self._nonzero: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def on_rows(self, mid: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, values there) of measure ``mid``: 0 on every other row."""
        return self._parts[mid]

    def nonzero(self, mid: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, values there) of measure ``mid`` where its value is not 0 (NaN is kept),
        ascending: what a sum over the rows needs (a 0 or -0 adds nothing to a sum that
        starts at +0), taken once."""
        found = self._nonzero.get(mid)
        if found is None:
            at, values = self._parts[mid]
            keep = values != 0
            found = (at, values) if keep.all() else (at[keep], values[keep])
            self._nonzero[mid] = found
        return found

    def __getitem__(self, mid: str) -> np.ndarray:
        full = self._full.get(mid)
        if full is None:
            at, values = self._parts[mid]
            full = np.zeros(self._rows)
            full[at] = values
            self._full[mid] = full
        return full

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


__all__ = ["RowParts"]
