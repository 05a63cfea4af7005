"""What a publication shows at its top and in its margin: the title, the date of the law and of
the build, the version, a one-paragraph summary, and a box on what the model leaves out.

"Today" is written in one place only: ``known_through`` of ``params/law_status.yaml`` (the last
day the law was checked against its sources); the build date is the clock's (UTC).
"""

from __future__ import annotations

import datetime as dt
import html

import analysis
from analysis.inputs.law_status import LawStatus

_BOX = (
    "border:1px solid #c9d3dd;background:#f6f8fa;border-radius:6px;padding:.6em 1em;"
    "margin:1em 0;max-width:100%;box-sizing:border-box;overflow-wrap:break-word"
)

#: Where the effects the model leaves out are estimated (primary or reputable publishers).
NEAREST_ESTIMATES = (
    (
        "The Budget Lab at Yale, State of U.S. Tariffs (26 September 2025): the effect on US "
        "GDP, unemployment and prices, with and without foreign retaliation",
        "https://budgetlab.yale.edu/research/state-us-tariffs-september-26-2025",
    ),
)
#: The law the nearest estimates score (their date): older than the law of today's reports.
NEAREST_ESTIMATES_LAW = dt.date(2025, 9, 26)
#: Where the publisher lists its later releases (none read for this package with such estimates).
LATER_RELEASES = ("the Budget Lab's research page", "https://budgetlab.yale.edu/research")


def _estimates_pointer(what: str) -> str:
    """Says plainly that the package does not estimate ``what``, and where the nearest
    published estimates are, for which law (an older one), and where later ones are listed."""
    links = "; ".join(
        f'<a href="{html.escape(url)}">{html.escape(title)}</a>' for title, url in NEAREST_ESTIMATES
    )
    later_title, later_url = LATER_RELEASES
    return (
        f" This package does not estimate {what}. The nearest published estimates read for it "
        f"are {links}, for the law in force on {long_date(NEAREST_ESTIMATES_LAW)} (this "
        f"page's law is dated at the top); later releases are listed on "
        f'<a href="{html.escape(later_url)}">'
        f"{html.escape(later_title)}</a>."
    )


def long_date(day: dt.date) -> str:
    """``28 November 2026``."""
    return f"{day.day} {day:%B %Y}"


def build_date() -> dt.date:
    """Today's date in UTC (the day the report is built)."""
    return dt.datetime.now(dt.UTC).date()


class Html:
    """Raw HTML that displays as itself in a notebook."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


def masthead(title: str, summary: str, status: LawStatus, law_date: dt.date | None = None) -> Html:
    """The report's top: ``title``, the date of the law (``law_date``, else the last day the law
    was checked) and of the build, the package version, and ``summary`` (plain text)."""
    law = law_date or status.known_through
    checked = (
        f"law as known on {long_date(status.known_through)}"
        if law == status.known_through
        else f"the law of {long_date(law)} (law checked to {long_date(status.known_through)})"
    )
    return Html(
        f'<header class="tr-masthead"><h1 style="overflow-wrap:break-word">'
        f"{html.escape(title)}</h1>"
        f'<p class="tr-dateline" style="color:#444">{html.escape(checked[0].upper() + checked[1:])}'
        f" &middot; built {long_date(build_date())} &middot; tariff-reports version "
        f"{html.escape(analysis.__version__)}</p>"
        f'<p class="tr-summary" style="font-size:1.05em">{html.escape(summary)}</p></header>'
    )


def _short_title(title: str) -> str:
    """``title`` without a parenthesis that ends it (``A (B (c))`` -> ``A``)."""
    if not title.endswith(")"):
        return title
    depth = 0
    for i in range(len(title) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(title[i], 0)
        if depth == 0:
            return title[:i].rstrip() or title
    return title


def left_out_on(status: LawStatus, law_date: dt.date) -> tuple[str, ...]:
    """The measures ``params/law_status.yaml`` lists as not modelled that are in force on
    ``law_date`` (started on or before it, not ended before it), each by its title less a
    closing parenthesis. The entries name no partner, so every one in force is listed."""
    return tuple(
        _short_title(item.title)
        for item in status.not_modelled
        if item.start <= law_date and (item.end is None or law_date <= item.end)
    )


def _left_out_list(left_out: tuple[str, ...]) -> str:
    if not left_out:
        return ""
    items = "".join(f"<li>{html.escape(title)}</li>" for title in left_out)
    return (
        " <span>Measures in force on the law's date that these rates leave out:</span>"
        f'<ul style="margin:.3em 0">{items}</ul>'
    )


def methods_box(
    extra: str = "",
    *,
    shows_gdp: bool = True,
    model: bool = True,
    left_out: tuple[str, ...] = (),
) -> Html:
    """What the model is, and what it leaves out, with where the nearest estimates are.

    ``model=False``: a page of rates only (no model result), whose box says what the rates are;
    ``shows_gdp=False``: a page that shows no GDP figure, whose box does not speak of one;
    ``left_out``: the measures in force that are not modelled (:func:`left_out_on`), one line each.
    """
    more = f" {html.escape(extra)}" if extra else ""
    tail = _left_out_list(left_out)
    if not model:
        return _box(
            left_out,
            "The rates on this page are the tariffs written in law, stacked measure by measure "
            "on each HS10 line and weighted by 2024 imports, with trade held at 2024. Goods "
            "claimed under USMCA are exempt, where the law exempts them, by each line's share "
            "claimed that month, and the "
            "MFN or trade-agreement duty is each line's 2024 applied rate (trade agreements and "
            "preferences included). They are not what customs collects (exclusions granted case "
            "by case, unpaid duties and refunds are not modelled), and they show no effect on "
            f"trade, prices or GDP.{more}"
            f"{_estimates_pointer('those effects')}{tail}",
        )
    gdp = (
        " (the partner's GDP change shown is the domestic value added in its lost US sales, "
        "nothing more)"
        if shows_gdp
        else ""
    )
    return _box(
        left_out,
        "An exact partial-equilibrium (Armington) model of the US market in 45 goods sectors "
        "with 2024 trade: buyers substitute between US producers and the partners' exporters, "
        "and the tariffs are those written in law, stacked measure by measure. It leaves out "
        "foreign retaliation against US exports, what partners' exporters sell in third markets "
        "instead, "
        f"and effects on GDP beyond the first order{gdp}; exchange rates and incomes "
        f"are held fixed.{more}"
        f"{_estimates_pointer('retaliation or effects on GDP beyond the first order')}"
        f"{tail}",
    )


def _box(left_out: tuple[str, ...], body: str) -> Html:
    """The methods box: a disclosure whose one-line summary says what it holds (and how many
    measures in force are left out); open as built, closed on a phone by the page (the
    offline template), so it does not push the key numbers screens down."""
    count = (
        f"; {len(left_out)} measure{'s' if len(left_out) != 1 else ''} in force on the law's "
        "date not modelled"
        if left_out
        else ""
    )
    return Html(
        f'<aside class="tr-methods" style="{_BOX}"><details open>'
        f'<summary style="cursor:pointer"><b>Methods and limits</b>: what the model is and '
        f"what it leaves out{count}</summary> {body}</details></aside>"
    )
