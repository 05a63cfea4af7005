"""Report-ready tables: tidy DataFrames that notebooks show as they are.

Pure functions of model results (no I/O, no plotting). Column names carry units:
``*_usd`` dollars, ``*_rate`` and ``*_change`` fractions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.inputs.datasets import TradeData
from analysis.inputs.law_status import LawStatus
from analysis.inputs.measures import LAYER_LABELS, Measure, schedule_layer_labels
from analysis.inputs.parameters import ModelParameters
from analysis.inputs.paths import DATA_DIR
from analysis.inputs.product_lists import ProductLists
from analysis.policy.source_rates import DayLaw
from analysis.policy.stacking import ActiveMeasure, TariffSchedule
from analysis.questions.outcomes import (
    ESTIMATE_FIGURES,
    HEADLINE_OUTCOMES,
    OUTCOMES,
    number_text,
    say,
)
from analysis.questions.simulate import SimulationResult
from analysis.questions.timeline import change_days
from analysis.report.tables import Table, table
from analysis.report.text import cited_in_words, for_readers, md_link, md_text


def layers_in_force(schedule: TariffSchedule, partner: str) -> pd.DataFrame:
    """Every measure of a regime with its import-weighted contribution for ``partner``."""
    contribution = schedule.measure_rates(partner)
    words = sector_words()
    labels = schedule_layer_labels(schedule.active)
    rows = []
    for am in schedule.active:
        m = am.measure
        rows.append(
            {
                "measure": m.id,
                "title": m.title,
                "layer": labels[m.layer],
                "applies_to_partner": partner in m.partners,
                "rate": am.rate_by_partner.get(partner, am.rate),
                "contribution_rate": float(contribution.get(m.id, 0.0)),
                "authority": m.authority,
                "reference": reader_source(am.reference.title, words),
                "reference_url": am.reference.url,
                "reference_date": am.reference.date.isoformat(),
                "in_force_from": in_force_from(am),
            }
        )
    return pd.DataFrame(rows)


#: What the "in force from" column says of a rate a scenario sets (a threat, a what-if).
SET_BY_SCENARIO = "the scenario's rate"


def in_force_from(active: ActiveMeasure) -> str:
    """The first day the rate shown applies in law (its dated value's start), or
    :data:`SET_BY_SCENARIO` for a rate a scenario sets (a measure it switches on, or whose
    rate it changes: its citation is then the scenario's, not the value's). Distinct from the
    source's date (``reference_date``: when the cited document is dated)."""
    value = active.value
    if value is None or active.reference != value.reference:
        return SET_BY_SCENARIO
    return value.start.isoformat()


def effective_rates(base: TariffSchedule, new: TariffSchedule) -> pd.DataFrame:
    """Import-weighted rates by partner before and after."""
    before = base.effective_rates()
    after = new.effective_rates()
    return pd.DataFrame(
        {
            "base_imports_usd": before["imports_usd"],
            "base_tariff_rate": before["effective_tariff_rate"],
            "new_tariff_rate": after["effective_tariff_rate"],
            "scenario_additional_tariff_rate": after["additional_tariff_rate"],
        }
    )


def layer_rates_by_partner(schedule: TariffSchedule) -> pd.DataFrame:
    """Long table partner x layer of import-weighted rate contributions (for stacked bars), each
    layer named by the measures of this law in it."""
    labels = schedule_layer_labels(schedule.active)
    rows = []
    for partner in (*schedule.partners, None):
        for layer, rate in schedule.layer_rates(partner).items():
            rows.append(
                {
                    "partner": partner or "all",
                    "layer": labels.get(str(layer), LAYER_LABELS.get(str(layer), str(layer))),
                    "tariff_rate": float(rate),
                }
            )
    return pd.DataFrame(rows)


def hardest_hit_sectors(result: SimulationResult, partner: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` sectors where ``partner``'s sales to the US fall most, in dollars."""
    table = result.by_sector_source()
    mine = table[table["source"] == partner].copy()
    mine = mine[mine["base_value_usd"] > 0]
    cols = [
        "description",
        "base_value_usd",
        "base_tariff_rate",
        "new_tariff_rate",
        "exporter_price_change",
        "buyer_price_change",
        "quantity_change",
        "value_change",
        "value_change_usd",
    ]
    return mine.sort_values("value_change_usd")[cols].head(n).reset_index(drop=True)


def diversion(result: SimulationResult, sectors: Iterable[str] | None = None) -> pd.DataFrame:
    """Change in sales to the US by source (partners and US producers), optionally by sector."""
    table = result.by_sector_source()
    if sectors is not None:
        table = table[table["sector"].isin(list(sectors))]
    grouped = table.groupby("source", sort=False)[
        ["base_value_usd", "value_change_usd", "trade_diversion_usd"]
    ].sum()
    grouped["value_change"] = grouped["value_change_usd"] / grouped["base_value_usd"]
    return grouped.reset_index()


#: Reader's labels (with units) of the headline outcomes, from the outcomes registry.
HEADLINE_LABELS = {name: OUTCOMES[name].label_with_unit for name in HEADLINE_OUTCOMES}


def headline_table(result: SimulationResult) -> pd.DataFrame:
    """Headline outcomes: reader's label and the number in its unit, registry order."""
    head = result.headline()
    partner, sector = result.focus_names()
    return pd.DataFrame(
        [
            {"outcome": OUTCOMES[key].text(partner, sector), "value": say(key, head[key])}
            for key in HEADLINE_OUTCOMES
            if key in head
        ]
    )


def scenario_comparison(results: Iterable[SimulationResult]) -> pd.DataFrame:
    """One row per scenario: the focus partner's rates and the headline outcomes."""
    rows = []
    for r in results:
        rates = r.schedule.effective_rates()
        i, j = r.market.sector_index(r.focus.sector), r.market.source_index(r.focus.partner)
        rows.append(
            {
                "scenario": r.scenario.name,
                "focus_supply_elasticity": float(r.elasticities.supply_elasticity[i, j]),
                "title": r.scenario.title,
                "focus_tariff_rate": float(rates.loc[r.focus.partner, "effective_tariff_rate"]),
                "all_tariff_rate": float(rates.loc["all", "effective_tariff_rate"]),
                **r.headline(),
            }
        )
    return pd.DataFrame(rows)


def sources_used(result: SimulationResult) -> pd.DataFrame:
    """Every measure, dataset and elasticity a result used, with its citation."""
    rows = []
    seen = set()
    for schedule in (result.base_schedule, result.schedule):
        for am in schedule.active:
            key = (am.measure.id, am.reference.url)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "kind": "tariff measure",
                    "item": am.measure.title,
                    "source": am.reference.title,
                    "url": am.reference.url,
                    "source_date": am.reference.date.isoformat(),
                }
            )
    rows.extend(_data_rows(result.data))
    rows.extend(_parameter_rows(result.params))
    for ref in result.scenario.references:
        rows.append(
            {
                "kind": "scenario",
                "item": result.scenario.title,
                "source": ref.title,
                "url": ref.url,
                "source_date": ref.date.isoformat(),
            }
        )
    frame = pd.DataFrame(rows)
    if not len(frame):
        return frame
    words = sector_words()
    return frame.assign(source=frame["source"].map(lambda title: reader_source(title, words)))


def reader_source(title: str, words: Mapping[str, str] | None = None) -> str:
    """A citation as readers see it: the project's internal research notes (``docs/research``)
    are working files, not sources, so mentions of them are dropped; a missing source is said
    in words; file paths, commits and code names are said in words (``words``: the sectors'
    names, :func:`sector_words`, read once by a caller that writes many)."""
    return in_words(cited_in_words(for_readers(str(title)), PARAMETER_LABELS), words)


def sector_words() -> dict[str, str]:
    """Each sector code -> its name in lower case ("i_s" -> "ferrous metals")."""
    frame = pd.read_csv(DATA_DIR / "sectors.csv", usecols=["sector", "description"])
    return {
        str(k): str(v).lower() for k, v in zip(frame["sector"], frame["description"], strict=True)
    }


#: A sector code as a word of its own (not inside a file name, heading or longer word).
_CODE = re.compile(r"(?<![\w/.-])([a-z][a-z_]{1,3})(?![\w/-])")


def in_words(text: str, words: Mapping[str, str] | None = None) -> str:
    """``text`` with the model's sector codes written as the sectors' names ("i_s" -> "iron
    and steel"); the codes that are English words ("oil", "gas") are left alone. ``words``:
    :func:`sector_words`, read here when not given."""
    words = sector_words() if words is None else words
    keep = {"oil", "gas"}
    return _CODE.sub(lambda m: words.get(m[1], m[1]) if m[1] not in keep else m[1], text)


def _dataset_notes() -> dict[str, tuple[str, str]]:
    """File -> (what it holds, where it comes from) from the data manifest."""
    from analysis.inputs.validate import read_yaml

    doc = read_yaml(DATA_DIR / "manifest.yaml")
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict):
        return {}
    return {
        str(name): (str(spec.get("description", name)), str(spec.get("source", "")))
        for name, spec in files.items()
        if isinstance(spec, dict)
    }


_SOURCES_SECTION = re.compile(r"SOURCES\.md section (\d+)")


#: Where the shipped datasets' full citations are (SOURCES.md), in readers' words.
DATA_NOTES = "the package's data notes"


def _data_rows(data: TradeData) -> list[dict[str, str]]:
    """The shipped datasets: what each holds and its origin (the manifest's words; the full
    citation and licence are in the package's data notes, SOURCES.md, by section)."""
    notes = _dataset_notes()
    rows = []
    for name, digest in data.checksums.items():
        what, origin = notes.get(name, (name, ""))
        origin = _SOURCES_SECTION.sub(rf"{DATA_NOTES}, section \1", origin)
        origin = re.sub(r"`([^`]*)`", r"\1", origin)  # no Markdown code marks in a cell
        rows.append(
            {
                "kind": "dataset",
                "item": what[:1].upper() + what[1:],
                "source": f"{origin or DATA_NOTES} (checksum {digest[:12]})",
                "url": "",
                "source_date": "",
            }
        )
    return rows


def _parameter_rows(params: ModelParameters) -> list[dict[str, str]]:
    rows = []
    for e in params.elasticities.values():
        rows.append(
            {
                "kind": "elasticity",
                "item": f"{PARAMETER_LABELS.get(e.name, e.name)} = {e.default:g}",
                "source": e.source.title,
                "url": e.source.url,
                "source_date": e.source.date.isoformat(),
            }
        )
    for cal in params.calibrations:
        rows.append(
            {
                "kind": "evidence",
                "item": f"{cal.partner.capitalize()}, {in_words(cal.sector)}: exporter price "
                f"{cal.observed_exporter_price_change:+.1%}",
                "source": cal.source.title,
                "url": cal.source.url,
                "source_date": cal.source.date.isoformat(),
            }
        )
    constants = [("US households", params.households_source)]
    for partner, gdp in params.partner_gdp.items():
        name = partner.capitalize() if partner.islower() else partner
        constants += [
            (f"{name} GDP", gdp.gdp_source),
            (f"{name} value-added share", gdp.value_added_source),
        ]
    for label, ref in constants:
        rows.append(
            {
                "kind": "constant",
                "item": label,
                "source": ref.title,
                "url": ref.url,
                "source_date": ref.date.isoformat(),
            }
        )
    return rows


def format_outcome(key: str, value: float) -> str:
    """A headline number for a sentence, in its unit (``−$12.3 bn``, ``no change``)."""
    return say(key, value)


def a_tariff(rate: float) -> str:
    """``rate`` as a tariff with the article the number takes when read aloud: "an 18.5%
    tariff" (eighteen), "an 8.0% tariff", "a 26.6% tariff", "a 110% tariff": at most three
    significant figures, as every model estimate (a tariff equivalent: "a 347% tariff")."""
    text = number_text("percent", rate, signed=False, significant=ESTIMATE_FIGURES)
    whole = text.split(".")[0].replace(",", "")
    lead = whole[: len(whole) % 3 or 3]  # the digits read before "thousand" or "million"
    article = "an" if whole.startswith("8") or lead in ("11", "18") else "a"
    return f"{article} {text}% tariff"


def fraction_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding fractions (rates and changes), for percentage formatting."""
    return [
        c
        for c in frame.columns
        if (c.endswith(("_rate", "_change")) or c == "pass_through")
        and pd.api.types.is_numeric_dtype(frame[c])
    ]


def rate_timeline(schedules: Mapping[str, DayLaw], partner: str) -> pd.DataFrame:
    """Long table date x layer of ``partner``'s import-weighted tariff, from dated laws."""
    rows = []
    for day, schedule in schedules.items():
        for layer, rate in schedule.layer_rates(partner).items():
            rows.append(
                {
                    "date": day,
                    "layer": LAYER_LABELS.get(str(layer), str(layer)),
                    "tariff_rate": float(rate),
                }
            )
    return pd.DataFrame(rows)


def competitors_in_top_sectors(result: SimulationResult, partner: str, n: int = 5) -> pd.DataFrame:
    """In ``partner``'s ``n`` largest sectors, how every other source's sales change."""
    table = result.by_sector_source()
    mine = table[table["source"] == partner].nlargest(n, "base_value_usd")["sector"]
    rows = table[table["sector"].isin(mine) & (table["source"] != partner)]
    return rows[
        ["description", "source", "base_value_usd", "value_change_usd", "value_change"]
    ].reset_index(drop=True)


def regime_dates(
    measures: Iterable[Measure], first: dt.date, last: dt.date, lists: ProductLists | None = None
) -> list[dt.date]:
    """``first``, ``last`` and every day in between on which some measure value starts or ends
    (or, with the product ``lists``, a row of a measure's list starts).

    The tariff is constant between these days, so they are all a timeline needs (a one-day
    regime such as Japan's 24% of 9 Apr 2025 is never skipped).
    """
    return sorted({*change_days(measures, first, last, lists), last})


def not_modelled_table(status: LawStatus) -> pd.DataFrame:
    """The measures left out of the model, with why and where to read them; one that starts
    after the law of these reports (``known_through``) is marked as scheduled, not in force."""
    words = sector_words()
    return pd.DataFrame(
        [
            {
                "measure": reader_source(item.title, words),
                "from": (
                    f"Scheduled from {item.start:%-d %b %Y}"
                    if item.start > status.known_through
                    else item.start.isoformat()
                    + (f" to {item.end.isoformat()}" if item.end is not None else "")
                ),
                "why not modelled": reader_source(item.reason, words),
                "source": reader_source(item.reference.title, words),
                "url": item.reference.url,
            }
            for item in status.not_modelled
        ]
    )


def ieepa_refund_note(status: LawStatus) -> str:
    """One paragraph (Markdown) on the IEEPA refunds, for reports whose revenue includes them."""
    refunds = status.ieepa_refunds
    links = "; ".join(md_link(reader_source(r.title), r.url) for r in refunds.references)
    return (
        f"**IEEPA duties are being refunded.** Duties under IEEPA were collected from "
        f"{refunds.collected_from:%d %b %Y} to {refunds.collected_to:%d %b %Y}. "
        f"{md_text(refunds.status)} Sources: {links}."
    )


#: Reader's names of the model's parameters (tables, tornado charts).
PARAMETER_LABELS = {
    "substitution_elasticity": "Substitution elasticity between sources (Armington)",
    "demand_elasticity": "Elasticity of US demand for each sector's goods",
    "domestic_supply_elasticity": "US producers' supply elasticity",
    "foreign_supply_elasticity": "Foreign export supply elasticity",
    "calibrated_supply_elasticities": "Japan's car supply fitted to 2025 (against the default)",
    "long_run_supply_elasticity": "Car supply elasticity, long run (literature range)",
}


def tornado_table(swing: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """The tornado of :func:`analysis.questions.uncertainty.tornado` with parameters in words;
    with ``outcome``, its numbers as text in the outcome's unit (the swing without a sign)."""
    table = swing.assign(parameter=swing["parameter"].map(lambda p: PARAMETER_LABELS.get(p, p)))
    if outcome is None:
        return table
    for column in ("outcome_at_low", "outcome_at_high", "central"):
        table[column] = [say(outcome, float(v)) for v in table[column]]
    table["swing"] = [say(outcome, abs(float(v))).lstrip("+") for v in table["swing"]]
    return table


_STATISTIC_WORDS = {
    "foreign_incidence": "Foreign exporters' share of the tariff, Jan-Aug 2025",
    "domestic_price_response": "Price rise of US-made goods over that of imports, 2025",
}


def economy_wide_evidence(frame: pd.DataFrame) -> pd.DataFrame:
    """The evidence table of :func:`analysis.questions.incidence.evidence_table` in words:
    shares as percentages, elasticities to one decimal, blanks said as such."""

    def value(x: float | None, share: bool) -> str:
        if x is None or pd.isna(x):
            return "none in 0.01 to 1,000"
        return f"{x:.1%}" if share else f"{x:.2f}"

    rows = []
    for r in frame.itertuples():
        share = r.evidence == "foreign_incidence"
        rows.append(
            {
                "evidence": _STATISTIC_WORDS.get(str(r.evidence), str(r.evidence)),
                "observed": f"{value(r.observed, share)} "
                f"(cited range {value(r.observed_low, share)} to {value(r.observed_high, share)})",
                "model": f"{value(r.model_at_default, share)} at our default; "
                f"{value(r.model_range_low, share)} to {value(r.model_range_high, share)} "
                "over all elasticities",
                "elasticity": f"{PARAMETER_LABELS.get(str(r.parameter), str(r.parameter))}: "
                f"default {r.default:.1f}; {value(r.value_for_observed, False)} reproduces the "
                "observed value",
                "fit": str(r.fit),
            }
        )
    return pd.DataFrame(rows)


def style_table(
    frame: pd.DataFrame,
    hide_index: bool = True,
    *,
    caption: str | None = None,
    note: str | None = None,
    spanners: Mapping[str, Sequence[str]] | None = None,
    focus: str = "the focus partner",
) -> Table:
    """``frame`` as a reader's table (:func:`analysis.report.tables.table`): labelled columns
    with units, scaled and signed numbers, escaped text, links for https/DOI addresses only,
    an id from the content (the same inputs give the same bytes); ``focus`` names the focus
    partner in the headers of ``focus_*`` columns."""
    return table(
        frame, caption=caption, note=note, spanners=spanners, hide_index=hide_index, focus=focus
    )
