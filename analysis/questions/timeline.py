"""The law over time: each partner's additional tariff, day by day, by legal authority.

The tariff only changes on the days some measure value starts or ends, or a row of one of its
product lists starts (Canada's dairy ban of 29 Sep 2026), so the schedule is
stacked once per such day and held until the next one (a step function). A day's additional
rate is the import-weighted sum of every measure's contribution beyond MFN (2024 weights),
grouped by the authority its id names (IEEPA, Section 122, Section 232, Section 301, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.inputs import shared
from analysis.inputs.bundle import Inputs
from analysis.inputs.measures import Measure
from analysis.inputs.product_lists import ProductLists
from analysis.policy.line_steps import SOURCE_STEPS, shared_steps
from analysis.policy.regimes import rates_for_date, schedule_for_date
from analysis.policy.source_rates import SourceRates
from analysis.policy.stacking import TariffSchedule
from analysis.questions.bans import ban_events
from analysis.questions.country_rates import LARGEST_SUPPLIERS


def change_days(
    measures: Iterable[Measure],
    first: dt.date,
    last: dt.date,
    lists: ProductLists | None = None,
) -> list[dt.date]:
    """``first`` and every day up to ``last`` on which some measure value starts or ends, the
    first of each month (the line-level rates use each month's USMCA shares) and, with the
    product ``lists``, every start date of a list row while its measure is in force (a list
    can widen or raise a measure on a day of its own: Canada's dairy ban of 29 Sep 2026)."""
    if last < first:
        raise ValueError(f"end date {last} is before start date {first}")
    measures = list(measures)
    days = {first}
    month = first.replace(day=1)
    while month <= last:
        days.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    for measure in measures:
        for value in measure.values:
            days.add(value.start)
            if value.end is not None:
                days.add(value.end + dt.timedelta(days=1))
    if lists is not None:
        days |= list_start_days(measures, lists)
    return sorted(d for d in days if first <= d <= last)


def list_start_days(measures: Iterable[Measure], lists: ProductLists) -> set[dt.date]:
    """The start dates of the rows of each measure's product lists (scope, exemptions, shared
    and per-country exemptions) on which one of the measure's values is in force."""
    days: set[dt.date] = set()
    for measure in measures:
        spec = lists.measures.get(measure.id)
        if spec is None:
            continue
        names = {*spec.scope, *spec.exempt, *spec.shared}
        names |= {n for group in spec.country_exempt.values() for n in group}
        for name in names:
            for day in _row_starts(lists, name):
                if any(value.covers(day) for value in measure.values):
                    days.add(day)
    return days


def _row_starts(lists: ProductLists, name: str) -> set[dt.date]:
    """The start dates a list's rows carry (its rate tranches and its dated lines)."""
    out = {start for start, _ in lists.tranches.get(name, ())}
    never = dt.date.max.toordinal()
    if name in lists.since:
        out |= {dt.date.fromordinal(int(o)) for o in set(lists.since[name]) if 0 < o < never}
    return out


def authority_rates(schedule: TariffSchedule, partner: str | None) -> dict[str, float]:
    """Import-weighted additional rate by authority, for one partner or all (``None``)."""
    by_measure = schedule.measure_rates(partner)
    out: dict[str, float] = {}
    for am in schedule.active:
        name = am.measure.authority_name
        out[name] = out.get(name, 0.0) + float(by_measure.get(am.measure.id, 0.0))
    return out


def every_partners_authority_rates(schedule: TariffSchedule) -> dict[str, dict[str, float]]:
    """:func:`authority_rates` of every partner of ``schedule``, the same numbers bit for bit,
    all measures and partners at once: each partner's import-weighted sums are taken over a
    contiguous row of sectors, as the one-partner formula takes them."""
    ids = list(schedule.contributions)
    weights = schedule.imports_usd
    if ids:
        added = np.stack([schedule.contributions[m] for m in ids]) * weights  # measure x s x p
        by_sector = np.ascontiguousarray(added.transpose(0, 2, 1))  # measure x p x sector
        rates = by_sector.sum(axis=2) / np.ascontiguousarray(weights.T).sum(axis=1)
    else:
        rates = np.zeros((0, len(schedule.partners)))
    row = {m: i for i, m in enumerate(ids)}
    out: dict[str, dict[str, float]] = {}
    for j, partner in enumerate(schedule.partners):
        mine: dict[str, float] = {}
        for am in schedule.active:
            i = row.get(am.measure.id)
            name = am.measure.authority_name
            mine[name] = mine.get(name, 0.0) + (0.0 if i is None else float(rates[i, j]))
        out[partner] = mine
    return out


def split_countries(inputs: Inputs, countries: Sequence[str]) -> dict[str, str]:
    """ISO3 (or Census code) -> region, for the ``countries`` that are not a whole region
    (Japan, China, Mexico and Canada are their regions: their line is the region's)."""
    out = {}
    for name in countries:
        found = inputs.countries.resolve(name)
        if isinstance(found, str):
            continue
        members = [c for c in inputs.countries.countries if c.region == found.region]
        if len(members) > 1:
            out[found.key] = found.region
    return out


def _source_rates(
    schedule: TariffSchedule, split: Mapping[str, str]
) -> dict[str, dict[str, float]]:
    """Authority rates of every source, and of each region whole again: a region is the
    import-weighted mean of its remainder and of the countries split out of it."""
    imports = dict(zip(schedule.partners, schedule.imports_usd.sum(axis=0), strict=True))
    return _regions_whole(every_partners_authority_rates(schedule), imports, split)


def _regions_whole(
    out: dict[str, dict[str, float]], imports: Mapping[str, float], split: Mapping[str, str]
) -> dict[str, dict[str, float]]:
    """``out`` (authority rates of a split schedule's sources, ``imports`` theirs over
    sectors) with each region of ``split`` whole again: the import-weighted mean of its
    remainder and of the countries split out of it."""
    for region in set(split.values()):
        parts = [region, *(c for c, r in split.items() if r == region)]
        total = sum(float(imports[p]) for p in parts)
        names = {a for p in parts for a in out[p]}
        out[region] = {
            a: sum(out[p].get(a, 0.0) * float(imports[p]) for p in parts) / total for a in names
        }
    return out


def supplier_split(inputs: Inputs) -> tuple[str, ...]:
    """The countries the timeline splits out of their regions (the largest suppliers that are
    not whole regions, by key): the split every day's shared rates by source carry
    (:func:`laws_by_day`)."""
    return tuple(split_countries(inputs, LARGEST_SUPPLIERS))


def daily_authority_rates(
    inputs: Inputs,
    first: dt.date,
    last: dt.date,
    countries: Sequence[str] = (),
    known: Mapping[str, TariffSchedule] | None = None,
) -> pd.DataFrame:
    """Long table: date, partner (incl. ``all``), authority, additional_tariff_rate; one row
    per day from ``first`` to ``last`` for every authority in force at some point. The
    ``countries`` (ISO3) that are not whole regions are added as partners of their own (their
    regions stay whole).

    For the build's own inputs (:mod:`analysis.inputs.shared`) it is computed once per build
    for each day range and split and read back by the other reports that draw it (the partner
    reports of the regions share one): the key is the load's scope (the law's inputs and the
    code) with the two days and the split countries in their order.

    ``known``: schedules the caller has already stacked (by ISO day, as the partner notebook
    keeps them), each :func:`schedule_for_date` of the day on ``inputs`` with the same
    countries split out; a change day found there is not stacked again (one whose partners
    are not the split's is ignored). The table is the same bit for bit either way."""
    split = split_countries(inputs, countries)
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    if scope is None:
        return _daily_authority_rates(inputs, first, last, split, known)
    parts = ",".join(f"{country}:{region}" for country, region in split.items())
    key = f"{scope}|daily_authority_rates|{first.isoformat()}|{last.isoformat()}|{parts}"
    return shared.remember(key, lambda: _daily_authority_rates(inputs, first, last, split, known))


def _daily_authority_rates(
    inputs: Inputs,
    first: dt.date,
    last: dt.date,
    split: Mapping[str, str],
    known: Mapping[str, TariffSchedule] | None = None,
    *,
    from_tables: bool = True,
) -> pd.DataFrame:
    """:func:`daily_authority_rates`, computed (``split``: country -> its region): from each
    day's shared rates by source where they carry this very split (:func:`laws_by_day`, the
    same numbers bit for bit: :mod:`analysis.policy.source_rates`) and no schedules are
    given (or not ``from_tables``), else from each day's schedule with ``split``."""
    rows = []
    days = change_days(inputs.measures.values(), first, last, inputs.lines.product_lists())
    partners = (*inputs.data.partners, *split)
    tables = from_tables and not known and tuple(split) == supplier_split(inputs)
    laws = laws_by_day(inputs, days) if tables else {}  # the days' tables with this split
    for day in days:
        if tables:
            law = laws[day.isoformat()]
            by_source = _regions_whole(*law.split_authority_rates(), split)
            by_source["all"] = law.all_authority_rates()
        else:
            schedule = (known or {}).get(day.isoformat())
            if schedule is None or schedule.partners != partners:
                schedule = schedule_for_date(
                    day, inputs.data, inputs.measures, inputs.lines, split=tuple(split)
                )
            by_source = _source_rates(schedule, split)
            by_source["all"] = authority_rates(schedule, None)
        for partner, rates in by_source.items():
            for authority, rate in rates.items():
                rows.append((day, partner, authority, rate))
    return _daily(rows, first, last)


def laws_by_day(inputs: Inputs, days: Iterable[dt.date]) -> dict[str, SourceRates]:
    """The law of each of ``days`` (by ISO day) as every source's rates
    (:func:`analysis.policy.regimes.rates_for_date`: shared by the reports of a build)."""
    law, split = (inputs.data, inputs.measures, inputs.lines), supplier_split(inputs)
    # A measure's numbers once per distinct contribution; another kernel computing the same
    # days: each computes the days the other is not on.
    with shared_steps(SOURCE_STEPS):
        laws = shared.each_busy_last(days, lambda d: rates_for_date(d, *law, split))
    return {d.isoformat(): rates for d, rates in laws.items()}


def partner_authority_rates(
    inputs: Inputs,
    first: dt.date,
    last: dt.date,
    partner: str,
    known: Mapping[str, SourceRates] | None = None,
) -> pd.DataFrame:
    """``partner``'s rows of :func:`daily_authority_rates` (a region whole, or a country split
    out of its region: ``countries=[partner]``), the same numbers bit for bit, from each change
    day's rates by source (``known``: by ISO day, as :func:`laws_by_day` gives them; a day not
    there is read or computed)."""
    rows = []
    laws, split = (inputs.data, inputs.measures, inputs.lines), supplier_split(inputs)
    for day in change_days(inputs.measures.values(), first, last, inputs.lines.product_lists()):
        law = (known or {}).get(day.isoformat())
        if law is None:
            law = rates_for_date(day, *laws, split)
        for authority, rate in law.authority_rates(partner).items():
            rows.append((day, partner, authority, rate))
    return _daily(rows, first, last)


def _daily(
    rows: list[tuple[dt.date, str, str, float]], first: dt.date, last: dt.date
) -> pd.DataFrame:
    """The long table of the change days' ``rows`` (date, partner, authority, rate), each
    day held until the next one, from ``first`` to ``last``."""
    steps = pd.DataFrame(rows, columns=["date", "partner", "authority", "additional_tariff_rate"])
    wide = steps.pivot_table(
        index="date", columns=["partner", "authority"], values="additional_tariff_rate"
    ).fillna(0.0)
    days = pd.date_range(first, last, freq="D")
    wide.index = pd.to_datetime(wide.index)
    daily = wide.reindex(days).ffill().fillna(0.0)
    daily.index.name = "date"
    long = daily.stack(["partner", "authority"], future_stack=True).rename("additional_tariff_rate")
    return long.reset_index()


def legal_events(inputs: Inputs, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Every measure value that starts (or ends) between ``first`` and ``last``, with its
    measure's id, authority and citation, and every day a product list's ban starts on a day
    of its own (:func:`analysis.questions.bans.ban_events`; its ``ban_rate``, NaN on the
    other rows): the events a timeline marks."""
    rows = []
    for measure in inputs.measures.values():
        for value in measure.values:
            if value.status != "in_force" or measure.is_mfn:
                continue
            ended = None if value.end is None else value.end + dt.timedelta(days=1)
            for day, what in ((value.start, "takes effect"), (ended, "ends")):
                if day is not None and first <= day <= last:
                    rows.append(
                        {
                            "date": pd.Timestamp(day),
                            "event": f"{measure.title}: {what}",
                            "measure": measure.id,
                            "authority": measure.authority_name,
                            "reference": value.reference.title,
                            "url": value.reference.url,
                        }
                    )
    columns = ["date", "event", "measure", "authority", "reference", "url"]
    events = pd.DataFrame(rows, columns=columns).sort_values("date", ignore_index=True)
    bans = ban_events(inputs, first, last)
    if bans.empty:
        return events.assign(ban_rate=np.nan)
    # the ordinary events keep their order; a day's ban follows them
    together = pd.concat([events.assign(ban_rate=np.nan), bans], ignore_index=True)
    return together.sort_values("date", ignore_index=True, kind="stable")


def events_reaching(
    events: pd.DataFrame, schedules: Iterable[TariffSchedule | SourceRates], partner: str
) -> pd.DataFrame:
    """The ``events`` (:func:`legal_events`) of the measures that add to ``partner``'s tariff
    in some sector on some day of ``schedules`` (each a day's schedule, or its rates by
    source): another country's measure (China's fentanyl tariff in Switzerland's timeline) is
    not its event."""
    reaching: set[str] = set()
    for schedule in schedules:
        if isinstance(schedule, SourceRates):
            reaching |= schedule.reaching(partner)
            continue
        column = schedule.partners.index(partner)
        reaching |= {m for m, added in schedule.contributions.items() if added[:, column].any()}
    return events[events["measure"].isin(reaching)].reset_index(drop=True)
