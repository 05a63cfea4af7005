"""Steps of the line engine shared between many regimes stacked from the same lines.

The Shapley attribution of a scenario (:mod:`analysis.questions.attribution`) stacks the lines
once per coalition of layers: 2^n regimes (64 for six layers), each measure on its own
regime's day (the baseline's or the scenario's), from the same line data and lists, each with
a subset of the same measures. A measure's rows (which rows it
reaches, and its scope on each) depend only on the measure, its lists, the regions where the
regime's other measures supersede it, the day and the data; its exempt shares only on those
rows, its exemptions, the day, the regime's Section 232 measures and the USMCA shares; the rate
it adds where covered only on those rows, its value's rates and the regime's cells. Inside
:func:`shared_steps`, :mod:`analysis.policy.lines` computes each of these once per distinct
set of inputs and hands every later regime the same (read-only) arrays: the same numbers, bit
for bit, as computing them again (they are pure functions of those inputs).

Outside :func:`shared_steps` nothing is remembered. Keys name objects by identity, and the
table keeps those objects alive while it lives, so an identity is never reused within it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import numpy as np

T = TypeVar("T")

#: Every step: a measure's rows ("reach"), its exempt shares ("exempt"), the frame of a
#: regime's cells ("cell frame") and of a day's rates by source ("source frame"). None is
#: keyed by the day itself: a measure's rows and exempt shares depend on its lists as they
#: stand (the same on many days) and the exempt shares of a measure that exempts USMCA goods
#: on the month's shares, so a block that spans many days
#: (a report's kernel, ``pipeline.kernel_steps``) shares them all; its table grows with the
#: measures, their lists' changes and, for those few measures, the months.
ALL_STEPS = frozenset({"reach", "exempt", "added", "cell frame", "source frame"})
DAY_FREE_STEPS = ALL_STEPS
#: A measure's cells summed from its contribution on the rows (:func:`by_content`): only where
#: one computation sums the same contributions many times (the attribution's coalitions), never
#: for a kernel's life (its table would keep every day's contributions).
CELL_STEPS = frozenset({"measure cells"})
#: A measure's numbers in a day's rates by source, from its rows and values
#: (:func:`by_content`): only while one computation reads many days' laws
#: (:func:`analysis.questions.timeline.laws_by_day`), where most measures add the same on the
#: same rows from one change day to the next.
SOURCE_STEPS = frozenset({"source parts"})

# The open tables, innermost last: (the steps shared, key -> (value, the objects the key names
# by identity)).
_TABLES: list[tuple[frozenset[str], dict[Hashable, tuple[Any, tuple[object, ...]]]]] = []


def open_table(steps: frozenset[str] = ALL_STEPS) -> None:
    """Start sharing ``steps`` until :func:`close_table` (or the process ends)."""
    _TABLES.append((steps, {}))


def close_table() -> None:
    _TABLES.pop()


@contextmanager
def shared_steps(steps: frozenset[str] = ALL_STEPS) -> Iterator[None]:
    """Within this block, each of ``steps`` is computed once per distinct input."""
    open_table(steps)
    try:
        yield
    finally:
        close_table()


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

    ``key[0]`` names the step; ``named``: the objects ``key`` names by ``id``, kept alive with
    the value."""
    step = key[0] if isinstance(key, tuple) and key else None
    table = next((t for steps, t in reversed(_TABLES) if step in steps), None)
    if table is None:
        return compute()
    hit = table.get(key)
    if hit is None:
        value = compute()
        _frozen(value)
        hit = table[key] = (value, named)
    return cast(T, hit[0])


#: The most contents :func:`by_content` keeps for one key (one measure on the same rows).
MAX_CONTENTS = 16


def by_content(
    key: tuple[Hashable, ...],
    named: tuple[object, ...],
    values: np.ndarray,
    compute: Callable[[], T],
) -> T:
    """``compute()``, once per ``key`` (``key[0]`` the step, objects named by ``id`` in
    ``named``) and content of ``values`` (float64, compared bit for bit with each content kept
    for the key, at most :data:`MAX_CONTENTS`) inside a :func:`shared_steps` block sharing that
    step, else every time. A computation that stacks many regimes (the attribution's
    coalitions) gets the same contribution of a measure on the same rows again and again: its
    sums are those already computed (a pure function of them). A comparison costs a few per
    cent of the sums it saves; no hash of the contents is taken (it would cost as much)."""
    table = next((t for steps, t in reversed(_TABLES) if key[0] in steps), None)
    if table is None:
        return compute()
    bits = np.ascontiguousarray(values).view(np.int64)
    full = (*key, bits.shape)
    hit = table.get(full)
    kept: list[tuple[np.ndarray, Any]] = [] if hit is None else hit[0]
    for contents, value in kept:
        if np.array_equal(contents, bits):
            return cast(T, value)
    value = compute()
    if len(kept) < MAX_CONTENTS:
        _frozen(value)
        kept.append((bits.copy(), value))
        table[full] = (kept, named)
    return value


def _spec_key(m: Any, spec: Any, ctx: Any) -> object:
    """The measure's lists by identity; a measure without lists gets a fresh empty default
    each time, named as such."""
    return id(spec) if ctx.lists.measures.get(m.id) is spec else "no lists"


def _lists_as_of(lists: Any, names: tuple[str, ...], day: Any) -> tuple[tuple[str, int], ...]:
    """Each list of ``names`` as it stands on ``day``, as the number of its start dates on or
    before ``day``: two days with the same numbers have the same lists, product for product
    (``ProductLists.mask_on``: on the list from its start date)."""
    out = []
    for name in names:
        since = lists.since.get(name)
        if since is None:
            out.append((name, -1))  # the same on every day
            continue
        key = ("reach", "starts", id(lists), name)
        starts = remembered(key, (lists,), functools.partial(np.unique, since))
        out.append((name, int(np.searchsorted(starts, day.toordinal(), side="right"))))
    return tuple(out)


def reach(step: Callable[..., T], m: Any, spec: Any, off: Any, ctx: Any) -> T:
    """``lines._reach`` (``step``): the measure's rows and scope, once per distinct input. The
    day enters only through the measure's lists (``_reach`` reads the day nowhere else)."""
    if not _TABLES:
        return step(m, spec, off, ctx)
    lists = _lists_as_of(ctx.lists, (*spec.scope, *spec.shared), ctx.day)
    key = ("reach", id(m), _spec_key(m, spec, ctx), frozenset(off.get(m.id, ())), lists)
    named = (m, spec, ctx.lists, ctx.lines)
    return remembered((*key, id(ctx.lists), id(ctx.lines)), named, lambda: step(m, spec, off, ctx))


def _usmca_month(spec: Any, ctx: Any) -> str | None:
    """The USMCA shares ``lines._exempt`` reads on the day (those of its month), by content:
    None where it reads none (no ``usmca_exempt``, or no shares)."""
    if spec.usmca_exempt is None or ctx.usmca is None:
        return None
    usmca, day = ctx.usmca, ctx.day

    def digest() -> str:
        month = np.ascontiguousarray(usmca.on(day))
        return f"{month.dtype}{month.shape}" + hashlib.blake2b(month.tobytes()).hexdigest()

    return remembered(("exempt", "usmca month", id(usmca), day), (usmca,), digest)


def _goods_out(m: Any, spec: Any, ctx: Any) -> frozenset[str]:
    """The regime's Section 232 measures ``lines._exempt`` reads (``ctx.active_232``): those a
    sector exemption of the measure names (``same_goods_as``), where it has no exemption list
    (a list replaces the sector exemptions)."""
    if spec.exempt:
        return frozenset()
    named = {cov.same_goods_as for cov in m.exempt_sectors.values()}
    return frozenset(ctx.active_232 & named)


def exempt(step: Callable[..., T], m: Any, value: Any, spec: Any, ctx: Any, rows: Any) -> T:
    """``lines._exempt`` (``step``): the exempt share of each of ``rows`` (by identity: the
    shared rows of :func:`reach`), once per distinct input. The day enters only through the
    lists it reads (the measure's exemption lists, the value's, the countries') and the
    month's USMCA shares where the measure exempts USMCA goods (``_exempt`` reads it nowhere
    else): two days with the same lists and shares share the step; and the regime's Section
    232 measures only through those its sector exemptions name."""
    names = (
        *spec.exempt,
        *value.exempt_lists,
        *(n for v in spec.country_exempt.values() for n in v),
    )
    key = (
        "exempt",
        id(m),
        _spec_key(m, spec, ctx),
        tuple(value.exempt_lists),
        tuple(value.country_exemptions.items()),
        _lists_as_of(ctx.lists, names, ctx.day),
        _usmca_month(spec, ctx),
        _goods_out(m, spec, ctx),
        (id(ctx.usmca), id(ctx.lists), id(ctx.lines), id(rows)),
    )
    named = (m, spec, ctx.usmca, ctx.lists, ctx.lines, rows)
    return remembered(key, named, lambda: step(m, value, spec, ctx, rows))


def _exact(rates: Any) -> tuple[tuple[Any, str], ...]:
    """A mapping of rates as a key: sorted, each rate by its exact bits (``float.hex``: -0.0 is
    not 0.0)."""
    return tuple(sorted((k, float(r).hex()) for k, r in rates.items()))


def added(step: Callable[..., T], lm: Any, spec: Any, ctx: Any, rows: Any) -> T:
    """``lines._added`` (``step``): the rate a measure adds on each of ``rows`` where it is
    covered (by identity: the shared rows of :func:`reach`), once per distinct input: the
    measure, its value's rates and floors and the regime's cells (by their exact bits), and,
    for a list that gives each line its rate, which of the list's tranches are in force on the
    day (``ProductLists.rate_on``: the day enters nowhere else)."""
    value = lm.value
    tranches: tuple[tuple[bool, ...], ...] = ()
    if spec.rates_from_list:
        day = ctx.day
        tranches = tuple(
            tuple(start <= day for start, _ in ctx.lists.tranches.get(name, ()))
            for name in spec.scope
        )
    key = (
        "added",
        id(lm.measure),
        _spec_key(lm.measure, spec, ctx),
        float(value.rate).hex(),
        _exact(value.rate_by_partner),
        _exact(value.rate_by_sector),
        _exact(value.rate_by_country),
        _exact(value.floor_by_country),
        _exact(lm.cells),
        tranches,
        (id(ctx.lists), id(ctx.lines), id(rows)),
    )
    named = (lm.measure, spec, ctx.lists, ctx.lines, rows)
    return remembered(key, named, lambda: step(lm, spec, ctx, rows))


__all__ = [
    "ALL_STEPS",
    "CELL_STEPS",
    "DAY_FREE_STEPS",
    "added",
    "by_content",
    "close_table",
    "exempt",
    "open_table",
    "reach",
    "remembered",
    "shared_steps",
]
