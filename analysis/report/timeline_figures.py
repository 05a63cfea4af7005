"""Charts of the law over time: the additional tariff by authority, day by day, with the
legal events marked; hover a day to read every layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from analysis.inputs.focus import DEFAULT_FOCUS_PARTNER
from analysis.questions.bans import BAN_EVENT, BAN_RATE
from analysis.report.brief import percent
from analysis.report.palette import partner_scale
from analysis.report.tables import STEP_FROM
from analysis.report.text import PARTNER_LABELS, md_text, partner_label, subject
from analysis.report.views import reader_source, sector_words

# One colour per legal authority, the same in every report.
AUTHORITY_COLORS = {
    "IEEPA": "#d62728",
    "Section 122": "#ff7f0e",
    "Section 232": "#1f77b4",
    "Section 301": "#9467bd",
    "Section 201": "#8c564b",
    "Section 338": "#e377c2",
}


def authorities_in_words(daily: pd.DataFrame) -> str:
    """The legal authorities that raise any rate of ``daily`` (a table of
    :func:`analysis.questions.timeline.daily_authority_rates`) on some day, in words: "IEEPA
    until the Supreme Court ended it, Section 122, Section 232, Section 301 and Section 338".
    IEEPA is said to have ended when none of its rates is left on the last day."""
    raised = daily[daily["additional_tariff_rate"].abs() > 0]
    names = sorted(set(raised["authority"]))
    last = daily[daily["date"] == daily["date"].max()]
    words = [
        "IEEPA until the Supreme Court ended it"
        if n == "IEEPA"
        and not (last[last["authority"] == n]["additional_tariff_rate"].abs() > 0).any()
        else n
        for n in names
    ]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _authority_scale(authorities: list[str]) -> alt.Scale:
    present = [a for a in AUTHORITY_COLORS if a in authorities]
    return alt.Scale(domain=present, range=[AUTHORITY_COLORS[a] for a in present])


# STEP_FROM (analysis.report.tables), the date column of a step chart's data: the rows list
# only the days a value changed (and the chart's last day, closing the line); each row's
# values hold from its day until the day before the next day listed for the same series. A
# chart drawn with ``interpolate: "step-after"`` from these rows is the picture drawn from
# every day.
#: What a reader is told under a step chart (the data page says it of the column).
STEP_NOTE = (
    "The chart's data (CSV) list the days a rate changed, and the last day shown: each rate "
    "holds until the next date listed (hover the chart to read them)."
)


def _steps(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """Only the days a series changes (and its last day): a step chart needs no more, and the
    page stays small. The date column is renamed :data:`STEP_FROM`."""
    frame = frame.sort_values([*keys, "date"])
    changed = frame.groupby(keys)[value].transform(lambda s: s.ne(s.shift()))
    last = frame.groupby(keys)["date"].transform("max") == frame["date"]
    return frame[changed | last].rename(columns={"date": STEP_FROM})


def _change_days(wide: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``wide`` (one row per date, sorted by date, one column per series) on
    which any series changes, and its last row; the date column renamed :data:`STEP_FROM`."""
    values = wide.set_index("date")
    # A change is one of more than a billionth of a point: a law that moves lines from one
    # measure to another at the same rate sums them in another order (a last-digit change).
    same = np.isclose(values, values.shift(), rtol=0.0, atol=1e-9)
    keep = pd.Series(~same.all(axis=1), index=values.index)
    keep.iloc[-1] = True
    return values[keep].reset_index().rename(columns={"date": STEP_FROM})


def ban_note(events: pd.DataFrame, daily: pd.DataFrame, who: str) -> str:
    """Markdown: for each ban among ``events`` (rows with a ``ban_rate``,
    :func:`analysis.questions.bans.ban_events`) on a day of ``daily`` (one partner's date,
    authority, additional_tariff_rate), how far its authority's rate on ``who`` steps up that
    day, that the step is a ban counted as a duty, and the measure's citation. Empty when
    there is none: the chart's steps need no word of it."""
    if "ban_rate" not in events.columns:
        return ""
    bans = events[events["ban_rate"].notna()].drop_duplicates(["date", "measure"])
    out = []
    for ban in bans.itertuples(index=False):
        rates = daily[daily["authority"] == ban.authority].set_index("date")
        rates = rates["additional_tariff_rate"]
        day = pd.Timestamp(ban.date)
        before = day - pd.Timedelta(days=1)
        if day not in rates.index or before not in rates.index:
            continue
        step = float(rates[day] - rates[before])
        title = md_text(str(ban.event).rsplit(": ", 1)[0])
        out.append(
            f"On {day.day} {day:%B %Y} the {ban.authority} tariff on {md_text(subject(who))} "
            f"steps up by {step * 100:.1f} points, to {percent(float(rates[day]))}: that day "
            f"the {title} takes effect, and the model "
            f"counts a ban as a {ban.ban_rate:.0%} duty on those goods' 2024 imports (the rate "
            "says the trade stops, not that duty is collected; "
            f"{md_text(reader_source(str(ban.reference)))})."
        )
    return " ".join(out)


def ban_clause(bans: list[tuple[str, float]], rate: str) -> str:
    """The words for a rate (``rate``, as shown: "8.6%") that includes bans counted as duties
    (``bans``: :func:`analysis.questions.bans.ban_points`): "0.24 points of the 8.6% are the
    Section 338 ban on ... counted as a 1000% duty"; empty when there is none."""
    return "; ".join(
        f"{points * 100:.2f} points of the {rate} are the {words} counted as a {BAN_RATE:.0%} duty"
        for words, points in bans
    )


_HEAD_ENDS = (",", " (", " on ", " of ", " for ", " at ", " within ", " with ")


def _verb(title: str, singular: str, plural: str) -> str:
    """``title`` and the verb agreeing with it: the head of the title (before its first comma,
    bracket or preposition) is plural when its last word is ("Section 301 tariffs on China",
    "Section 232 autos and parts, ..."), singular otherwise ("Section 301 action of ...")."""
    head = title
    for end in _HEAD_ENDS:
        head = head.split(end, 1)[0]
    last = head.split()[-1].lower() if head.split() else ""
    plural_head = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return f"{title} {plural if plural_head else singular}"


def _ban_words(ban: Any) -> str:
    """``"<authority> ban on <goods> takes effect (counted as a 1000% duty)"``: a list's ban
    from a day of its own (:func:`analysis.questions.bans.ban_events`)."""
    return f"{ban.title} takes effect (counted as a {ban.ban_rate:.0%} duty)"


def merged_events(events: pd.DataFrame) -> pd.DataFrame:
    """One event per day the law changes: what takes effect, what changes (a measure's value
    ends and its next value starts that day) and what ends (three or more measures of one
    authority ending together read as one: "the 9 IEEPA tariffs end"), so a measure ending and
    its successor starting read as one event.

    ``events``: date, event (``"<title>: takes effect"``, ``"<title>: ends"`` or
    ``"<title>: ban takes effect"``, with its ``ban_rate``), authority, reference, url
    (:func:`analysis.questions.timeline.legal_events`). Those columns out (a
    day's events are of several measures), by date;
    the reference is that of the first measure taking effect (else of the first ending), as
    readers see it (:func:`analysis.report.views.reader_source`).
    """
    if events.empty:
        return events.drop(columns="measure", errors="ignore")
    words = sector_words()
    by_day: dict[Any, list[Any]] = {}
    for row in events.itertuples(index=False):  # each day's events in their order
        by_day.setdefault(row.date, []).append(row)
    out = [_merged_day(date, by_day[date], words) for date in sorted(by_day)]
    return pd.DataFrame(out, columns=["date", "event", "authority", "reference", "url"])


def _merged_day(date: Any, day: list[Any], words: dict[str, str]) -> dict[str, Any]:
    """:func:`merged_events`' event of one ``day`` (its events, in their order)."""
    what = {id(row): str(row.event).rsplit(": ", 1) for row in day}
    title = {i: parts[0] for i, parts in what.items()}
    verb = {i: parts[1] if len(parts) > 1 else None for i, parts in what.items()}
    ending = [row for row in day if verb[id(row)] == "ends"]
    banning = [row for row in day if verb[id(row)] == BAN_EVENT]
    starting = [row for row in day if verb[id(row)] not in ("ends", BAN_EVENT)]
    changed = {title[id(r)] for r in ending} & {title[id(r)] for r in starting}
    titles = list(dict.fromkeys(title[id(r)] for r in starting))
    parts = [_verb(t, "changes", "change") for t in titles if t in changed]
    parts += [_verb(t, "takes effect", "take effect") for t in titles if t not in changed]
    parts += [_ban_words(_Ban(title[id(r)], r.ban_rate)) for r in banning]
    by_authority: dict[Any, list[str]] = {}
    for row in ending:
        if title[id(row)] not in changed:
            by_authority.setdefault(row.authority, []).append(title[id(row)])
    for authority, group in by_authority.items():
        ended = list(dict.fromkeys(group))
        if len(ended) >= 3:
            parts.append(f"the {len(ended)} {authority} tariffs end")
        else:
            parts += [_verb(t, "ends", "end") for t in ended]
    first = (starting + banning or day)[0]
    return {
        "date": date,
        "event": "; ".join(parts),
        "authority": " / ".join(dict.fromkeys(row.authority for row in day)),
        "reference": reader_source(str(first.reference), words),
        "url": first.url,
    }


class _Ban(NamedTuple):
    """A ban's event as :func:`_ban_words` reads it."""

    title: str
    ban_rate: float


def authority_timeline(daily: pd.DataFrame, events: pd.DataFrame, title: str) -> Any:
    """Stacked daily area of one partner's additional tariff by authority, events as rules on
    the days its tariff moved; an authority that never taxes the partner is left out (of the
    areas and the legend).

    ``daily``: date, authority, additional_tariff_rate (one partner). ``events``: date, event.
    """
    rates = daily["additional_tariff_rate"]
    taxing = rates.ne(0).groupby(daily["authority"]).transform("any").astype(bool)
    data = daily[taxing].assign(percent=rates[taxing] * 100)
    wide = data.pivot_table(index="date", columns="authority", values="percent").reset_index()
    authorities = sorted(data["authority"].unique())
    # Only the days some layer changes (every layer on each such day, so that the areas stack
    # on the same dates), and the last day: the step areas drawn from them are those drawn
    # from every day; the hover rule reads the rates in force from the day it snaps to.
    wide = _change_days(wide)
    # A legal event is drawn on a day the partner's tariff moved (a measure that takes over
    # lines from another at the same rate moves nothing: no line for it).
    events = events[events["date"].isin(wide[STEP_FROM])]
    hover = alt.selection_point(fields=[STEP_FROM], nearest=True, on="pointerover", empty=False)
    steps = wide.melt(id_vars=STEP_FROM, var_name="authority", value_name="percent")
    x = alt.X(f"{STEP_FROM}:T", title="In force from", axis=alt.Axis(title=None))
    base = alt.Chart(steps).encode(x=x)
    area = base.mark_area(interpolate="step-after", opacity=0.85).encode(
        y=alt.Y("sum(percent):Q", title="Additional tariff (% of import value)", stack=True),
        color=alt.Color(
            "authority:N", title="Legal authority", scale=_authority_scale(authorities)
        ),
    )
    # The hover rule's data (a CSV of their own) name their unit: percent, as the chart draws.
    in_percent = {a: f"{a} (%)" for a in authorities}
    tooltip = [alt.Tooltip(f"{STEP_FROM}:T", title="In force from")] + [
        alt.Tooltip(field=in_percent[a], type="quantitative", title=in_percent[a], format=".2f")
        for a in authorities
    ]
    rule = (
        alt.Chart(wide.rename(columns=in_percent))
        .mark_rule(color="#444")
        .encode(
            x=x,
            opacity=alt.condition(hover, alt.value(0.6), alt.value(0.0)),
            tooltip=tooltip,
        )
        .add_params(hover)
    )
    marks = (
        alt.Chart(events)
        .mark_rule(color="#999", strokeDash=[3, 3])
        .encode(x="date:T", tooltip=[alt.Tooltip("date:T", title="Date"), "event:N", "authority:N"])
    )
    return (area + marks + rule).properties(title=title, width=640, height=280)


#: Colours of the single countries (the largest suppliers, keyed by ISO3), apart from the
#: regions' colours (:mod:`analysis.report.palette`); their lines are dashed as well.
COUNTRY_COLORS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#17becf",
    "#bcbd22",
    "#6a3d9a",
    "#ff7f00",
    "#b15928",
)


def partners_timeline(
    daily: pd.DataFrame,
    title: str,
    focus: str = DEFAULT_FOCUS_PARTNER,
    names: Mapping[str, str] | None = None,
) -> Any:
    """One line per partner (and all imports): additional tariff, day by day; ``focus`` bold.

    Regions take their fixed colours; single countries (ids not among the regions, e.g. ISO3
    codes) are shown by ``names`` (ISO3 -> "South Korea") in colours of their own, dashed.
    """
    totals = (
        daily.groupby(["date", "partner"], as_index=False)["additional_tariff_rate"]
        .sum()
        .assign(percent=lambda f: f["additional_tariff_rate"] * 100)
    )
    ids = list(dict.fromkeys(totals["partner"]))
    countries = sorted(
        (p for p in ids if p not in PARTNER_LABELS), key=lambda p: (names or {}).get(p, p)
    )
    label = {p: (names or {}).get(p, partner_label(p)) for p in ids}
    totals["partner"] = totals["partner"].map(label)
    totals["kind"] = (
        totals["partner"]
        .isin([label[c] for c in countries])
        .map({True: "country", False: "region"})
    )
    focus = label.get(focus, partner_label(focus))
    totals = _steps(totals, ["partner", "kind"], "percent")
    regions = partner_scale(label[p] for p in ids if p in PARTNER_LABELS)
    domain = [*regions.domain, *(label[c] for c in countries)]
    own = [COUNTRY_COLORS[i % len(COUNTRY_COLORS)] for i in range(len(countries))]
    palette = [*regions.range, *own]
    pick = alt.selection_point(fields=["partner"], bind="legend")
    return (
        alt.Chart(totals, title=title)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X(f"{STEP_FROM}:T", title="In force from", axis=alt.Axis(title=None)),
            y=alt.Y("percent:Q", title="Additional tariff (% of import value)"),
            color=alt.Color(
                "partner:N",
                title="Partner (dashed: single countries)",
                scale=alt.Scale(domain=domain, range=palette),
                sort=domain,
                legend=alt.Legend(columns=2, symbolStrokeWidth=2.5),
            ),
            strokeDash=alt.StrokeDash(
                "kind:N",
                scale=alt.Scale(domain=["region", "country"], range=[[1, 0], [5, 3]]),
                legend=None,
            ),
            strokeWidth=alt.condition(alt.datum.partner == focus, alt.value(3.5), alt.value(1.4)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip(f"{STEP_FROM}:T", title="In force from"),
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("percent:Q", title="Additional tariff (%)", format=".2f"),
            ],
        )
        .add_params(pick)
        .properties(width=640, height=280)
    )
