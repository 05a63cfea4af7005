"""A regime's line stacking as several reports of a build share it: compact, and named by
what it depends on.

The cells of a regime (:func:`analysis.policy.line_regimes.stacked_cells`) are sums, over the
rows, of each measure's contribution weighted by 2024 imports; they differ by the split of the
sources, the line stacking (:func:`analysis.policy.line_regimes.line_stacking`, the expensive
part) does not. A line schedule holds a (rows,) array per measure (~334,000 rows, ~24
measures: ~70 MB), mostly zeros; :class:`RowStacking` keeps, for each measure, the rows where
it adds a rate and what it adds there, compressed (Zstandard, by pyarrow's codec, lossless:
the same bytes back; ~0.3 MB, written in ~5 ms and read back in ~1.5 ms, about a third of
zlib's time). The cell sums over those rows are those over every row, bit for bit: the terms
left out are all 0 (or -0), and adding a 0 to a partial sum (never -0: the sums start at +0)
changes no bit; the other terms are added in the same order. The line engine hands over each
measure's rows and values as it computed them (:class:`analysis.policy.row_parts.RowParts`),
so a stacking is kept without spreading them on every row first.

:func:`stacking_key` names a stacking by what it depends on, as canonical text: the day (the
month of the USMCA shares, the product lists as they stand, the metal content), whether USMCA
is claimed, and each active measure (in stacking order) by its id, the index of its dated
value, and every rate, cell and exclusion a regime gives it (sorted; rates as ``float.hex``).
The measures themselves, the lines and lists are named by the caller's scope (the build's own
inputs, :func:`analysis.inputs.shared.scope_of`): a measure that is not the scope's own object
gives no key. Nothing in the key depends on set order, ``id()`` or the hash seed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from analysis.inputs.measures import Measure
from analysis.policy.lines import LineSchedule
from analysis.policy.row_parts import RowParts
from analysis.policy.stacking import ActiveMeasure

CODEC = "zstd"  # lossless; pyarrow's own build of the codec


@dataclass(frozen=True)
class RowStacking:
    """Each measure's contribution (in stacking order), then the Section 232 share paying,
    on the rows where it is not 0: the rows (ascending, as the steps from one to the next)
    and the values there (float64)."""

    rows: int
    measures: tuple[str, ...]
    counts: tuple[int, ...]  # the number of rows of each part
    steps: bytes  # zstd of the uint32 steps between a part's rows (from -1), part after part
    values: bytes  # zstd of the float64 values on those rows, part after part

    @classmethod
    def of(cls, schedule: LineSchedule) -> RowStacking:
        return cls.packed(schedule, stacked_parts(schedule))

    @classmethod
    def packed(
        cls, schedule: LineSchedule, parts: list[tuple[np.ndarray, np.ndarray]]
    ) -> RowStacking:
        """The stacking of ``schedule`` from its :func:`stacked_parts` ``parts``."""
        steps = [np.diff(at, prepend=-1).astype(np.uint32) for at, _ in parts]
        return cls(
            schedule.lines.rows,
            tuple(schedule.contributions),
            tuple(int(at.size) for at, _ in parts),
            _packed(np.concatenate(steps)),
            _packed(np.concatenate([there for _, there in parts])),
        )

    def parts(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, values on them) of each measure, then of the Section 232 share."""
        total = sum(self.counts)
        if len(self.counts) != len(self.measures) + 1:
            raise ValueError("a row stacking whose rows and values do not agree")
        steps = _unpacked(self.steps, total, np.dtype(np.uint32))
        values = _unpacked(self.values, total, np.dtype(np.float64))
        if steps.size and not steps.all():
            raise ValueError("a row stacking with a row twice")
        out, start = [], 0
        for count in self.counts:
            rows = np.cumsum(steps[start : start + count], dtype=np.intp) - 1
            if rows.size and rows[-1] >= self.rows:
                raise ValueError("a row stacking with rows out of its lines")
            out.append((rows, values[start : start + count]))
            start += count
        return out


def stacked_parts(schedule: LineSchedule) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows, float64 values there) of each measure's contribution where it is not 0, then of
    the Section 232 share paying: what :meth:`RowStacking.parts` gives back of the stacking
    :meth:`RowStacking.of` packs (the same rows and the same values, bit for bit)."""
    rows = schedule.lines.rows
    share_232 = schedule.section232_share
    contributions = schedule.contributions
    parts = [
        contributions.nonzero(m)
        if isinstance(contributions, RowParts)
        else _nonzero(contributions[m], schedule.reached.get(m))
        for m in contributions
    ]
    parts.append(_nonzero(share_232 if share_232.size else np.zeros(rows), None))
    return [(at, there.astype(np.float64, copy=False)) for at, there in parts]


def _packed(array: np.ndarray) -> bytes:
    # the array's own buffer (contiguous), not a copy of it: the same bytes compressed
    return bytes(pa.compress(pa.py_buffer(np.ascontiguousarray(array)), codec=CODEC, asbytes=True))


def _unpacked(data: bytes, count: int, dtype: np.dtype[Any]) -> np.ndarray:
    """The ``count`` items of ``dtype`` packed in ``data`` (ValueError if it holds other)."""
    size = count * dtype.itemsize
    try:
        raw = pa.decompress(data, decompressed_size=size, codec=CODEC, asbytes=True)
    except (OSError, ValueError, pa.ArrowException) as error:
        raise ValueError(f"a row stacking that does not unpack: {error}") from None
    if len(raw) != size:
        raise ValueError("a row stacking whose rows and values do not agree")
    return np.frombuffer(raw, dtype)


def _nonzero(array: np.ndarray, reached: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(rows, values there) of a (rows,) array where it is not 0 (NaN is kept), among the rows
    reached when known (0 elsewhere)."""
    at = np.flatnonzero(array) if reached is None else reached[array[reached] != 0]
    return at, array[at]


def _rates(rates: Mapping[str, float]) -> list[list[str]]:
    return sorted([str(k), float(r).hex()] for k, r in rates.items())


def _measure_text(am: ActiveMeasure) -> str | None:
    """What :func:`analysis.policy.line_regimes.line_measure` reads of ``am``, canonically."""
    m = am.measure
    index = -1  # switched on by a scenario: its first value, bare
    if am.value is not None:
        found = [i for i, v in enumerate(m.values) if v is am.value]
        if not found:
            return None
        index = found[0]
    cells = sorted([p, s, float(r).hex()] for (p, s), r in am.rate_by_cell.items())
    excluded = sorted([p, "" if s is None else s, s is None] for p, s in am.excluded)
    return json.dumps(
        [
            m.id,
            index,
            float(am.rate).hex(),
            _rates(am.rate_by_partner),
            _rates(am.rate_by_sector),
            cells,
            excluded,
            sorted(am.members_dropped),
        ]
    )


def stacking_key(
    day: dt.date,
    active: Sequence[ActiveMeasure],
    measures: Mapping[str, Measure],
    *,
    usmca_claimed: bool = True,
) -> str | None:
    """The canonical text of the stacking of ``active`` on ``day`` from ``measures`` (the
    scope's own; module docstring), or None if a measure is not one of them."""
    texts = [day.isoformat(), f"usmca_claimed={usmca_claimed}"]
    for am in active:
        text = _measure_text(am)
        if text is None or measures.get(am.measure.id) is not am.measure:
            return None
        texts.append(text)
    return "\n".join(texts)


__all__ = ["RowStacking", "stacked_parts", "stacking_key"]
