"""Steps of the line engine shared between many regimes stacked from the same lines.

The Shapley attribution of a scenario (:mod:`analysis.questions.attribution`) stacks the lines
once per coalition of layers: 2^n regimes (64 for six layers) on the same day, from the same
line data and lists, each with a subset of the same measures. A measure's rows (which rows it
reaches, and its scope on each) depend only on the measure, its lists, the regions where the
regime's other measures supersede it, the day and the data; its exempt shares only on those
rows, its exemptions, the day, the regime's Section 232 measures and the USMCA shares. Inside
:func:`shared_steps`, :mod:`analysis.policy.lines` computes each of these once per distinct
set of inputs and hands every later regime the same (read-only) arrays: the same numbers, bit
for bit, as computing them again (they are pure functions of those inputs).

Outside :func:`shared_steps` nothing is remembered. Keys name objects by identity, and the
table keeps those objects alive while it lives, so an identity is never reused within it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import numpy as np

T = TypeVar("T")

# The open tables, innermost last: (key -> (value, the objects the key names by identity)).
_TABLES: list[dict[Hashable, tuple[Any, tuple[object, ...]]]] = []


@contextmanager
def shared_steps() -> Iterator[None]:
    """Within this block, each line-engine step is computed once per distinct input."""
    _TABLES.append({})
    try:
        yield
    finally:
        _TABLES.pop()


def _frozen(value: Any) -> None:
    """Make the arrays of ``value`` (an array, a tuple or a dataclass of them) read-only, so
    that a caller writing into a shared array fails instead of changing another regime's."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, tuple):
        for item in value:
            _frozen(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _frozen(getattr(value, name))


def remembered(key: Hashable, named: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, computed once per ``key`` inside :func:`shared_steps` (else every time).

    ``named``: the objects ``key`` names by ``id``, kept alive with the value."""
    if not _TABLES:
        return compute()
    table = _TABLES[-1]
    hit = table.get(key)
    if hit is None:
        value = compute()
        _frozen(value)
        hit = table[key] = (value, named)
    return cast(T, hit[0])


def _spec_key(m: Any, spec: Any, ctx: Any) -> object:
    """The measure's lists by identity; a measure without lists gets a fresh empty default
    each time, named as such."""
    return id(spec) if ctx.lists.measures.get(m.id) is spec else "no lists"


def reach(step: Callable[..., T], m: Any, spec: Any, off: Any, ctx: Any) -> T:
    """``lines._reach`` (``step``): the measure's rows and scope, once per distinct input."""
    key = ("reach", id(m), _spec_key(m, spec, ctx), frozenset(off.get(m.id, ())), ctx.day)
    named = (m, spec, ctx.lists, ctx.lines)
    return remembered((*key, id(ctx.lists), id(ctx.lines)), named, lambda: step(m, spec, off, ctx))


def exempt(step: Callable[..., T], m: Any, value: Any, spec: Any, ctx: Any, rows: Any) -> T:
    """``lines._exempt`` (``step``): the exempt share of each of ``rows`` (by identity: the
    shared rows of :func:`reach`), once per distinct input."""
    key = (
        "exempt",
        id(m),
        _spec_key(m, spec, ctx),
        tuple(value.exempt_lists),
        tuple(value.country_exemptions.items()),
        ctx.day,
        ctx.active_232,
        (id(ctx.usmca), id(ctx.lists), id(ctx.lines), id(rows)),
    )
    named = (m, spec, ctx.usmca, ctx.lists, ctx.lines, rows)
    return remembered(key, named, lambda: step(m, value, spec, ctx, rows))


__all__ = ["exempt", "reach", "remembered", "shared_steps"]
