"""Report-ready tables: tidy DataFrames that notebooks show as they are.

Pure functions of model results (no I/O, no plotting). Column names carry units:
``*_usd`` dollars, ``*_rate`` and ``*_change`` fractions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.inputs.datasets import TradeData
from analysis.inputs.law_status import LawStatus
from analysis.inputs.measures import LAYER_LABELS, Measure
from analysis.inputs.parameters import ModelParameters
from analysis.policy.stacking import TariffSchedule
from analysis.questions.simulate import SimulationResult
from analysis.report.text import html_link, html_text, md_link, md_text


def layers_in_force(schedule: TariffSchedule, partner: str) -> pd.DataFrame:
    """Every measure of a regime with its import-weighted contribution for ``partner``."""
    contribution = schedule.measure_rates(partner)
    rows = []
    for am in schedule.active:
        m = am.measure
        rows.append(
            {
                "measure": m.id,
                "title": m.title,
                "layer": LAYER_LABELS[m.layer],
                "applies_to_partner": partner in m.partners,
                "rate": am.rate_by_partner.get(partner, am.rate),
                "contribution_rate": float(contribution.get(m.id, 0.0)),
                "authority": m.authority,
                "reference": am.reference.title,
                "reference_url": am.reference.url,
                "reference_date": am.reference.date.isoformat(),
            }
        )
    return pd.DataFrame(rows)


def effective_rates(base: TariffSchedule, new: TariffSchedule) -> pd.DataFrame:
    """Import-weighted rates by partner before and after."""
    before = base.effective_rates()
    after = new.effective_rates()
    return pd.DataFrame(
        {
            "imports_2024_usd": before["imports_usd"],
            "baseline_tariff_rate": before["effective_tariff_rate"],
            "scenario_tariff_rate": after["effective_tariff_rate"],
            "scenario_additional_tariff_rate": after["additional_tariff_rate"],
        }
    )


def layer_rates_by_partner(schedule: TariffSchedule) -> pd.DataFrame:
    """Long table partner x layer of import-weighted rate contributions (for stacked bars)."""
    rows = []
    for partner in (*schedule.partners, None):
        for layer, rate in schedule.layer_rates(partner).items():
            rows.append(
                {
                    "partner": partner or "all",
                    "layer": LAYER_LABELS.get(str(layer), str(layer)),
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
        "sector",
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


HEADLINE_LABELS = {
    "tariff_revenue_usd": "US tariff revenue (all partners)",
    "tariff_revenue_change_usd": "Change in US tariff revenue",
    "us_buyer_cost_usd": "Extra cost of the same purchases for US buyers",
    "cost_per_household_usd": "... per US household",
    "deadweight_loss_usd": "Deadweight loss",
    "net_us_welfare_usd": "Net US welfare",
    "terms_of_trade_gain_usd": "Part of the tariff paid by foreign exporters",
    "quota_rent_usd": "Quota rent kept by exporters",
    "japan_exports_value_change_usd": "Japan's exports to the US, change",
    "japan_exports_value_change": "Japan's exports to the US, change (%)",
    "japan_exports_volume_change": "Japan's export volume to the US, change (%)",
    "japan_exporter_revenue_change_usd": "Japanese exporters' revenue, change (incl. quota rent)",
    "japan_gdp_change": "Japan's GDP, first-order upper bound (%)",
    "car_units_change": "Japan's passenger cars sold in the US, change (units)",
    "japan_mvh_exporter_price_change": "Japanese vehicles and parts: export price, change (%)",
    "us_price_change_japan_mvh": "Japanese vehicles and parts: US price, change (%)",
}


def headline_table(result: SimulationResult) -> pd.DataFrame:
    """Headline outcomes with readable labels, in the order of ``HEADLINE_LABELS``."""
    head = result.headline()
    return pd.DataFrame(
        [
            {"outcome": label, "key": key, "value": head[key]}
            for key, label in HEADLINE_LABELS.items()
        ]
    )


def scenario_comparison(results: Iterable[SimulationResult]) -> pd.DataFrame:
    """One row per scenario: Japan's rates and the headline outcomes."""
    rows = []
    for r in results:
        rates = r.schedule.effective_rates()
        i, j = r.data.sector_index("mvh"), r.data.partner_index("japan")
        rows.append(
            {
                "scenario": r.scenario.name,
                "japan_mvh_supply_elasticity": float(r.elasticities.supply_elasticity[i, j]),
                "title": r.scenario.title,
                "japan_tariff_rate": float(rates.loc["japan", "effective_tariff_rate"]),
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
                    "date": am.reference.date.isoformat(),
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
                "date": ref.date.isoformat(),
            }
        )
    return pd.DataFrame(rows)


def _data_rows(data: TradeData) -> list[dict[str, str]]:
    return [
        {
            "kind": "dataset",
            "item": name,
            "source": "analysis/data/SOURCES.md",
            "url": "repo:tariff-reports/analysis/data/SOURCES.md",
            "date": f"sha256 {digest[:12]}",
        }
        for name, digest in data.checksums.items()
    ]


def _parameter_rows(params: ModelParameters) -> list[dict[str, str]]:
    rows = []
    for e in params.elasticities.values():
        rows.append(
            {
                "kind": "elasticity",
                "item": f"{e.name} = {e.default:g}",
                "source": e.source.title,
                "url": e.source.url,
                "date": e.source.date.isoformat(),
            }
        )
    for cal in params.calibrations:
        rows.append(
            {
                "kind": "evidence",
                "item": f"{cal.partner} {cal.sector}: exporter price "
                f"{cal.observed_exporter_price_change:+.1%}",
                "source": cal.source.title,
                "url": cal.source.url,
                "date": cal.source.date.isoformat(),
            }
        )
    for label, ref in (
        ("US households", params.households_source),
        ("Japan GDP", params.japan_gdp_source),
        ("Japan value-added share", params.japan_value_added_source),
    ):
        rows.append(
            {
                "kind": "constant",
                "item": label,
                "source": ref.title,
                "url": ref.url,
                "date": ref.date.isoformat(),
            }
        )
    return rows


def format_outcome(key: str, value: float) -> str:
    """A headline number in the unit its name says: dollars, cars, or a percentage."""
    if key == "car_units_change":
        return f"{value:+,.0f} cars"
    if key.endswith("_usd"):
        if abs(value) >= 1e8:
            return f"{value / 1e9:+,.1f} bn USD"
        return f"{value:+,.0f} USD"
    return f"{value:+.2%}"


def fraction_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding fractions (rates and changes), for percentage formatting."""
    return [
        c
        for c in frame.columns
        if (c.endswith(("_rate", "_change")) or c == "pass_through")
        and pd.api.types.is_numeric_dtype(frame[c])
    ]


def rate_timeline(schedules: dict[str, TariffSchedule], partner: str) -> pd.DataFrame:
    """Long table date x layer of ``partner``'s import-weighted tariff, from dated schedules."""
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
        ["sector", "description", "source", "base_value_usd", "value_change_usd", "value_change"]
    ].reset_index(drop=True)


def regime_dates(measures: Iterable[Measure], first: dt.date, last: dt.date) -> list[dt.date]:
    """``first``, ``last`` and every day in between on which some measure value starts or ends.

    The tariff is constant between these days, so they are all a timeline needs (a one-day
    regime such as Japan's 24% of 9 Apr 2025 is never skipped).
    """
    if last < first:
        raise ValueError(f"end date {last} is before start date {first}")
    days = {first, last}
    for measure in measures:
        for value in measure.values:
            days.add(value.start)
            if value.end is not None:
                days.add(value.end + dt.timedelta(days=1))
    return sorted(d for d in days if first <= d <= last)


def not_modelled_table(status: LawStatus) -> pd.DataFrame:
    """The measures left out of the model, with why and where to read them."""
    return pd.DataFrame(
        [
            {
                "measure": item.title,
                "from": item.start.isoformat(),
                "why not modelled": item.reason,
                "source": item.reference.title,
                "url": item.reference.url,
            }
            for item in status.not_modelled
        ]
    )


def ieepa_refund_note(status: LawStatus) -> str:
    """One paragraph (Markdown) on the IEEPA refunds, for reports whose revenue includes them."""
    refunds = status.ieepa_refunds
    links = "; ".join(md_link(r.title, r.url) for r in refunds.references)
    return (
        f"**IEEPA duties are being refunded.** Duties under IEEPA were collected from "
        f"{refunds.collected_from:%d %b %Y} to {refunds.collected_to:%d %b %Y}. "
        f"{md_text(refunds.status)} Sources: {links}."
    )


def style_table(frame: pd.DataFrame, hide_index: bool = True, number: str = "{:,.4g}") -> Any:
    """A pandas Styler that formats columns by the unit in their name, and shows text as text.

    ``*_usd``: whole dollars (signed when the name says change or difference); ``*_rate`` and
    ``pass_through``: percent; ``*_change``: signed percent; ``car_units_change``: signed
    whole cars; ``*_elasticity``: general number; other numbers: ``number``. Text cells,
    index and headers are HTML-escaped; ``*url`` columns become links only for safe addresses
    (:func:`analysis.report.text.html_link`). The table id comes from its content, so the same
    inputs give the same bytes.
    """
    formats = {str(c): _number_format(str(c), number) for c in _numeric(frame)}
    links = [c for c in frame.columns if str(c).endswith("url") and c not in formats]
    text = [c for c in frame.columns if c not in formats and c not in links]
    styler = frame.style.format(formats, na_rep="")
    styler = styler.format(html_text, subset=text, na_rep="")
    styler = styler.format(lambda url: html_link(url, str(url)), subset=links, na_rep="")
    styler = styler.format_index(html_text, axis=0).format_index(html_text, axis=1)
    styler = styler.set_uuid(hashlib.sha256(frame.to_csv().encode("utf-8")).hexdigest()[:10])
    return styler.hide(axis="index") if hide_index else styler


def _numeric(frame: pd.DataFrame) -> list[Any]:
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]


def _number_format(name: str, default: str) -> str:
    """The display format of a numeric column, from the unit in its name."""
    if name == "car_units_change":
        return "{:+,.0f}"
    if name.endswith("_usd"):
        signed = any(w in name for w in ("change", "difference", "diversion", "gain"))
        return "{:+,.0f}" if signed else "{:,.0f}"
    if name.endswith("_rate") or name == "rate":
        return "{:.1%}"
    if name == "pass_through":
        return "{:.0%}"
    if name.endswith("_change"):
        return "{:+.1%}"
    if name.endswith("_elasticity"):
        return "{:g}"
    return default
