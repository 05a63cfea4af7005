"""One source for each figure a reader may meet in two places (two reports, or a card and a
sentence of one): its number and its label come from here, and every report records the figures
it shows (:func:`figures_payload`), so a test can check that the same label always carries the
same number.

The partner's tariff is always said in one of two ways, each labelled:

* **total**: every duty the law imposes, MFN included (``US tariff on Japan, 28 November 2026,
  all duties``);
* **additional**: the duties above the MFN or trade-agreement duty (``Additional US tariff on
  Japan, 28 November 2026, above the MFN or trade-agreement duty``), the quantity of the
  timeline and of most published trackers (the base's one name and meaning:
  :data:`analysis.questions.data_outcomes.BASE_DUTY`).

Both are statutory rates (as written in law, before any refund or evasion), import-weighted with
2024 US imports, from one stacked schedule: total = MFN + additional, exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analysis.inputs.scenarios import Scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.data_outcomes import ABOVE_BASE_DUTY, BASE_DUTY
from analysis.questions.outcomes import say
from analysis.report.brief import KeyNumber, percent
from analysis.report.publication import long_date
from analysis.report.text import subject

#: How every tariff figure is measured (a card's note, a table's caption).
STATUTORY = "statutory, import-weighted with 2024 imports"


@dataclass(frozen=True)
class Figure:
    """A number as readers see it: its label (the same words wherever it appears), its value
    and how it is written (an outcome name of the registry, or ``percent``)."""

    label: str
    value: float
    unit: str = "percent"

    @property
    def text(self) -> str:
        """The number in its unit: ``13.2%``, ``+$1,036``, ``−$24.9 bn``."""
        return percent(self.value) if self.unit == "percent" else say(self.unit, self.value)

    def card(self, note: str = "") -> KeyNumber:
        """A summary card showing this figure under its label."""
        return KeyNumber(self.label, self.text, note)


@dataclass(frozen=True)
class PartnerTariff:
    """A partner's US tariff under one law: total, MFN and additional, each a :class:`Figure`."""

    total: Figure
    mfn: Figure
    additional: Figure

    def parts(self) -> str:
        """``MFN or trade-agreement duty 1.6% + 12.4% above it; rounded separately``: the two
        parts of :attr:`total`, on one basis (MFN), that add to it.

        ``mfn`` is the ordinary duty each line paid in 2024 (MFN, or a trade-agreement or GSP rate
        where one was claimed), with the 2018 Section 232 and Section 301 duties taken out: the
        measures restate them, so they are in the part above. Each figure is rounded on its own,
        as it is everywhere else (one number per quantity across the reports), so the parts may
        differ from the total by a tenth of a point; the words say so when they do."""
        shown_total = round(self.total.value * 100, 1)
        shown_parts = round(self.mfn.value * 100, 1) + round(self.additional.value * 100, 1)
        rounding = "" if abs(shown_total - shown_parts) < 0.05 else "; rounded separately"
        return f"{BASE_DUTY} {self.mfn.text} + {self.additional.text} above it{rounding}"

    def sentence(self) -> str:
        """``13.2% in all (MFN or trade-agreement duty 1.6% + 11.6% above it, ...)``."""
        return f"{self.total.text} in all ({self.parts()}, {STATUTORY})"

    def against(self, before: PartnerTariff) -> str:
        """``14.0% (MFN or trade-agreement duty 3.7% + 10.4% above it), against 3.9% under
        those tariffs``: the total and its parts on one basis, then the baseline's total as a
        comparison, never as a part (the baseline holds more than MFN: the 2018 Section 232 and
        Section 301 on China)."""
        return (
            f"{self.total.text} ({self.parts()}), against {before.total.text} under those tariffs"
        )


def law_words(scenario: Scenario) -> str:
    """The law a scenario describes, in a label: its day (``28 November 2026``) when it is the
    law of that day as written, else ``under`` its title (a threat, a deal, a hypothetical)."""
    if not scenario.changes and not scenario.quotas:
        return long_date(scenario.regime_date)
    title = scenario.title
    return "under " + ("the " + title[4:] if title.startswith("The ") else title)


def partner_tariff(schedule: TariffSchedule, partner: str, who: str, law: str) -> PartnerTariff:
    """``partner``'s import-weighted tariff under ``schedule`` (``who``: its name; ``law``: the
    day or title of the law, see :func:`law_words`)."""
    rates = schedule.effective_rates().loc[partner]
    total = float(rates["effective_tariff_rate"])
    additional = float(rates["additional_tariff_rate"])
    return PartnerTariff(
        total=Figure(f"US tariff on {subject(who)}, {law}, all duties", total),
        mfn=Figure(f"{BASE_DUTY} on {subject(who)}", total - additional),
        additional=Figure(
            f"Additional US tariff on {subject(who)}, {law}, {ABOVE_BASE_DUTY}", additional
        ),
    )


def partner_tariff_on(
    schedule: TariffSchedule, partner: str, who: str, day: dt.date
) -> PartnerTariff:
    """:func:`partner_tariff` for the law of ``day`` (``schedule`` is that day's)."""
    return partner_tariff(schedule, partner, who, long_date(day))


def household_cost(head: dict[str, float]) -> Figure:
    """The cost per US household: the change in the consumer price level (BEA input-output
    tables, the published definition) times 2024 consumption per household, before
    substitution. The one per-household figure a report shows."""
    return Figure(
        "Cost per US household a year (whole regime)",
        head["household_cost_usd"],
        "household_cost_usd",
    )


def figures_payload(*figures: Figure) -> dict[str, dict[str, float | str]]:
    """The figures a report shows, for its summary record: label -> value and text."""
    return {f.label: {"value": f.value, "text": f.text} for f in figures}
