"""Import bans in the law data: a product list whose rows carry the package's ban rate.

The package models an import ban as a prohibitive duty of ``MAX_RATE`` (1000%,
:mod:`analysis.inputs.schemas`) on the banned lines, on 2024 import weights: such a rate says
the trade stops, not that duty is collected. A list that bans its goods from a day of its own
(Canada's dairy list, banned from 29 Sep 2026 while its measure started on 15 Sep) raises its
measure's rate on that day; these are those days, each a legal event with its measure's
citation (the measure's legal authority, which names the act that bans).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.inputs.bundle import Inputs
from analysis.inputs.schemas import MAX_RATE

#: The rate at which a list's rows are a ban counted as a duty (the package's convention).
BAN_RATE = MAX_RATE
#: The words of a ban's event (after its measure's title and ": ").
BAN_EVENT = "ban takes effect"


def ban_events(inputs: Inputs, first: dt.date, last: dt.date) -> pd.DataFrame:
    """One row per day from ``first`` to ``last`` on which rows of a measure's product list
    start at :data:`BAN_RATE` while one of the measure's values is in force: date, event
    (``"<title>: ban takes effect"``), measure, authority (its name), reference (the measure's
    legal authority in full), url (of the value in force), ban_rate. The columns of
    :func:`analysis.questions.timeline.legal_events`, and the rate."""
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
                rows.append(
                    {
                        "date": pd.Timestamp(start),
                        "event": f"{measure.title}: {BAN_EVENT}",
                        "measure": measure.id,
                        "authority": measure.authority_name,
                        "reference": measure.authority,
                        "url": value.reference.url,
                        "ban_rate": float(rates[banned].max()),
                    }
                )
    columns = ["date", "event", "measure", "authority", "reference", "url", "ban_rate"]
    out = pd.DataFrame(rows, columns=columns).drop_duplicates(["date", "measure"])
    return out.sort_values("date", ignore_index=True)
