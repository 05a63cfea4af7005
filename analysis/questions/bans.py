"""Import bans in the law data: a product list whose rows carry the package's ban rate.

The package models an import ban as a prohibitive duty of ``MAX_RATE`` (1000%,
:mod:`analysis.inputs.schemas`) on the banned lines, on 2024 import weights: such a rate says
the trade stops, not that duty is collected. A list that bans its goods from a day of its own
(Canada's dairy list, banned from 29 Sep 2026 while its measure started on 15 Sep) raises its
measure's rate on that day; these are those days, each a legal event named for the list's
goods (its title in ``params/line_lists.yaml``) with the citation of the measure's value in
force (whose reference names the act that bans, with its caveats).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.schemas import MAX_RATE

#: The rate at which a list's rows are a ban counted as a duty (the package's convention).
BAN_RATE = MAX_RATE
#: The words of a ban's event (after ``"<authority> ban on <goods>"`` and ": ").
BAN_EVENT = "ban takes effect"


def ban_events(inputs: Inputs, first: dt.date, last: dt.date) -> pd.DataFrame:
    """One row per day from ``first`` to ``last`` on which rows of a measure's product list
    start at :data:`BAN_RATE` while one of the measure's values is in force: date, event
    (``"<authority> ban on <goods>: ban takes effect"``, the goods the list's title in
    ``params/line_lists.yaml``, else "the goods of a list of <measure title>"), measure,
    authority (its name), reference and url (of the value in force, as its other events cite
    it), ban_rate. The columns of :func:`analysis.questions.timeline.legal_events`, and the
    rate."""
    lists = inputs.lines.product_lists()
    rows = []
    for measure in inputs.measures.values():
        spec = lists.measures.get(measure.id)
        if spec is None or measure.is_mfn:
            continue
        for name in dict.fromkeys(spec.scope):
            for start, rates in lists.tranches.get(name, ()):
                banned = np.nan_to_num(rates, nan=0.0) >= BAN_RATE
                if not (first <= start <= last and banned.any()):
                    continue
                value = next(
                    (v for v in measure.values if v.status == "in_force" and v.covers(start)),
                    None,
                )
                if value is None:
                    continue
                goods = spec.titles.get(name, f"the goods of a list of {measure.title}")
                rows.append(
                    {
                        "date": pd.Timestamp(start),
                        "event": f"{measure.authority_name} ban on {goods}: {BAN_EVENT}",
                        "measure": measure.id,
                        "authority": measure.authority_name,
                        "reference": value.reference.title,
                        "url": value.reference.url,
                        "ban_rate": float(rates[banned].max()),
                    }
                )
    columns = ["date", "event", "measure", "authority", "reference", "url", "ban_rate"]
    out = pd.DataFrame(rows, columns=columns).drop_duplicates(["date", "measure"])
    return out.sort_values("date", ignore_index=True)


def ban_points(inputs: Inputs, partner: str, day: dt.date) -> list[tuple[str, float]]:
    """For each ban in force on ``day`` on goods of ``partner`` (a region of the data, or a
    country's key): (the ban's words, ``"<authority> ban on <goods>"`` as in
    :func:`ban_events`, its points of ``partner``'s tariff rate on ``day``). The points are
    the banned lines' share of the partner's 2024 imports times the ban rate less the rate
    the list set those lines before the ban: how far the ban counted as a duty raises the
    rate (a ban struck down leaves that earlier duty)."""
    data = inputs.lines.get()
    lists = inputs.lines.product_lists()
    if partner in data.partners:
        rows = data.region_at == data.partners.index(partner)
        region = partner
    else:
        keys = np.array([c.key for c in data.countries.countries])
        rows = keys[data.country_at] == partner
        region = next(c.region for c in data.countries.countries if c.key == partner)
    total_usd = float(data.imports_usd[rows].sum())
    out = []
    for measure in inputs.measures.values():
        spec = lists.measures.get(measure.id)
        if spec is None or measure.is_mfn or region not in measure.partners:
            continue
        if not any(v.status == "in_force" and v.covers(day) for v in measure.values):
            continue
        for name in dict.fromkeys(spec.scope):
            for start, rates in lists.tranches.get(name, ()):
                banned = np.nan_to_num(rates, nan=0.0) >= BAN_RATE
                if start > day or not banned.any() or total_usd <= 0:
                    continue
                prior = np.nan_to_num(lists.rate_on(name, start - dt.timedelta(days=1)))
                added = np.where(banned, rates - prior, 0.0)
                on = rows & banned[data.product_at]
                points = float((data.imports_usd[on] * added[data.product_at[on]]).sum())
                goods = spec.titles.get(name, f"the goods of a list of {measure.title}")
                out.append((f"{measure.authority_name} ban on {goods}", points / total_usd))
    return out
