"""Checks across measures: what one file cannot see about the others.

* every id named by ``supersedes`` or ``same_goods_as`` exists (and is of the right kind);
* a measure never supersedes itself, directly or through others: a measure in force switches
  off the ones it supersedes (:mod:`analysis.policy.stacking`), so two that supersede each
  other would switch each other off and silently change the law;
* two measures of the same layer and stacking that cover a common partner and sector on a
  common day must say which one supersedes the other; otherwise the law is ambiguous (two
  files for one measure, or a new one whose dates overlap the old one's). Section 232
  programmes are exempt: they split sectors by product share, and the stacking engine refuses
  shares that add up to more than a whole sector. Two values that name disjoint member
  countries and charge nothing elsewhere (Brazil's and India's orders) do not overlap.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

from analysis.inputs.errors import InputError
from analysis.inputs.measures import Measure, MeasureValue
from analysis.inputs.validate import one_of


def cross_check(measures: Mapping[str, Measure]) -> None:
    """Raise :class:`InputError` for the first inconsistency between measures."""
    for measure in measures.values():
        for other in measure.supersedes:
            if other == measure.id:
                raise InputError(measure.path, "supersedes", "the id of another measure", other)
            one_of(measure.path, "supersedes", other, measures)
        for sector, exempt in measure.exempt_sectors.items():
            other = exempt.same_goods_as
            if other and (other not in measures or not measures[other].is_section232):
                raise InputError(
                    measure.path,
                    f"exempt_sectors.{sector}.same_goods_as",
                    "the id of a Section 232 measure",
                    other,
                )
    _check_acyclic(measures)
    for a, b in itertools.combinations(sorted(measures.values(), key=lambda m: m.id), 2):
        _check_overlap(a, b)


def _check_acyclic(measures: Mapping[str, Measure]) -> None:
    """No chain of ``supersedes`` leads from a measure back to itself (ids already checked).

    A depth-first search in id order, so that the cycle reported is always the same: the
    error names the file of the first measure on it and the whole chain."""
    finished: set[str] = set()
    for start in sorted(measures):
        if start in finished:
            continue
        chain = [start]
        branches = [iter(measures[start].supersedes)]
        while branches:
            following = next(branches[-1], None)
            if following is None:
                finished.add(chain.pop())
                branches.pop()
            elif following in chain:
                cycle = [*chain[chain.index(following) :], following]
                raise InputError(
                    measures[following].path,
                    "supersedes",
                    "no measure superseding itself through others",
                    " -> ".join(cycle),
                )
            elif following not in finished:
                chain.append(following)
                branches.append(iter(measures[following].supersedes))


def _check_overlap(a: Measure, b: Measure) -> None:
    # Section 232 programmes split a sector by product share; the stacking engine refuses
    # shares that add up to more than the sector, so only other layers are checked here.
    if (a.layer, a.stacking) != (b.layer, b.stacking) or a.is_mfn or a.is_section232:
        return
    if a.id in b.supersedes or b.id in a.supersedes:
        return
    partners = sorted(set(a.partners) & set(b.partners))
    if not partners or not set(a.sectors) & set(b.sectors):
        return
    day = _common_day(a.values, b.values)
    if day is not None:
        raise InputError(
            b.path,
            "supersedes",
            f"a supersedes entry for {a.id} (both are '{a.layer}' layers in force for "
            f"{partners[0]} on {day})",
            "none",
        )


def _common_day(a: tuple[MeasureValue, ...], b: tuple[MeasureValue, ...]) -> dt.date | None:
    """The first day on which an in-force value of each covers (None if there is none)."""
    far = dt.date.max
    for x in (v for v in a if v.status == "in_force"):
        for y in (v for v in b if v.status == "in_force"):
            start = max(x.start, y.start)
            if start <= min(x.end or far, y.end or far) and _same_members(x, y):
                return start
    return None


def _members(value: MeasureValue) -> set[str] | None:
    """The member countries a value charges, or None for every country of its partners."""
    named = set(value.rate_by_country) | set(value.floor_by_country)
    return named if named and value.rate == 0 else None


def _same_members(x: MeasureValue, y: MeasureValue) -> bool:
    mx, my = _members(x), _members(y)
    return mx is None or my is None or bool(mx & my)
