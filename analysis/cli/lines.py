"""The law line by line on the command line: rates by country, and for one partner by HS
chapter and sector (``rates --partner``), and the daily series (``rates --from --to --csv``).

Rates are import-weighted over HS10 x country rows with 2024 weights
(:mod:`analysis.policy.lines`); ``additional_tariff_rate`` is above each row's 2024 applied
rate, ``effective_tariff_rate`` includes it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from typing import Any, TextIO

import numpy as np
import pandas as pd

from analysis.cli.text import Column, frame_text
from analysis.inputs.bundle import Inputs
from analysis.inputs.countries import Country
from analysis.inputs.errors import InputError
from analysis.inputs.lines import LineData
from analysis.policy.lines import LineSchedule, line_schedule
from analysis.questions import timeline
from analysis.questions.country_rates import top_lines
from analysis.questions.outcomes import number_text

RATE_KEYS = ("effective_tariff_rate", "additional_tariff_rate", "imports_usd")


def schedule_on(inputs: Inputs, day: dt.date) -> LineSchedule:
    """The line-level schedule of ``day`` (reads the lines on first use)."""
    lazy = inputs.lines
    return line_schedule(day, lazy.get(), lazy.product_lists(), inputs.measures, lazy.usmca())


def _rates(row: pd.Series) -> dict[str, float]:
    return {k: float(row[k]) for k in RATE_KEYS}


def countries_payload(schedule: LineSchedule) -> dict[str, dict[str, Any]]:
    """ISO3 (Census code where a country has none) -> name, region and its rates."""
    table = schedule.aggregate("country")
    by_key = {c.key: c for c in schedule.lines.countries.countries}
    return {
        str(key): {"name": by_key[str(key)].name, "region": by_key[str(key)].region, **_rates(row)}
        for key, row in table.iterrows()
    }


def partner_rows(schedule: LineSchedule, partner: Country | str) -> np.ndarray:
    """(rows,) bool: the rows of a country or of a whole region."""
    lines = schedule.lines
    if isinstance(partner, str):
        return np.asarray(lines.region_at == lines.partners.index(partner))
    index = [c.cty_code for c in lines.countries.countries].index(partner.cty_code)
    return np.asarray(lines.country_at == index)


def partner_label(partner: Country | str) -> dict[str, str]:
    if isinstance(partner, str):
        return {"id": partner, "name": partner, "region": partner}
    return {"id": partner.key, "name": partner.name, "region": partner.region}


def _by(schedule: LineSchedule, by: str, rows: np.ndarray) -> dict[str, dict[str, float]]:
    table = schedule.aggregate(by, rows)
    authorities = [c for c in table.columns if c.startswith("rate_")]
    return {
        str(key): _rates(row) | {c: float(row[c]) for c in authorities}
        for key, row in table.iterrows()
    }


def partner_payload(schedule: LineSchedule, partner: Country | str) -> dict[str, Any]:
    """A partner's rates in all, by legal authority, by HS chapter and by GTAP sector."""
    rows = partner_rows(schedule, partner)
    total = schedule.total(rows)
    authority = {
        name: float(schedule.lines.imports_usd[rows] @ added[rows]) / total["imports_usd"]
        for name, added in schedule.by_authority().items()
    }
    return {
        "partner": partner_label(partner) | total | {"by_authority": authority},
        "chapters": _by(schedule, "chapter", rows),
        "partner_sectors": _by(schedule, "sector", rows),
        "top_lines": top_lines(schedule, rows),
        "fallback_measures": list(schedule.fallback),
    }


def resolve_partner(inputs: Inputs, text: str) -> Country | str:
    return inputs.countries.resolve(text, key="--partner")


_RATE_COLUMNS = [
    Column("effective_tariff_rate", "Tariff (%)", "percent", False),
    Column("additional_tariff_rate", "of which added since 2025 (%)", "percent", False),
    Column("imports_usd", "US imports, 2024 ($ bn)", "usd_bn", False),
]


def _pct(rate: float) -> str:
    return number_text("percent", rate, signed=False) + "%"


def print_partner(
    schedule: LineSchedule, partner: Country | str, out: TextIO, regions: Mapping[str, str]
) -> None:
    """A partner's headline, its authorities and its 15 largest HS chapters, as text."""
    payload = partner_payload(schedule, partner)
    head = payload["partner"]
    region = regions.get(str(head["region"]), str(head["region"]))
    print(
        f"\n{head['name']} ({region}): tariff {_pct(head['effective_tariff_rate'])}, of which "
        f"{_pct(head['additional_tariff_rate'])} added since 2025, on "
        f"${number_text('usd_bn', head['imports_usd'], signed=False)} bn of 2024 imports",
        file=out,
    )
    for name, rate in head["by_authority"].items():
        print(f"  {name}: {_pct(rate)}", file=out)
    chapters = pd.DataFrame.from_dict(payload["chapters"], orient="index")
    chapters = chapters.sort_values("imports_usd", ascending=False).head(15)
    chapters.index = [f"HS chapter {k}" for k in chapters.index]
    print("\nLargest HS chapters (2024 imports):", file=out)
    print(frame_text(chapters, "Chapter", _RATE_COLUMNS), file=out)


def print_countries(
    schedule: LineSchedule, out: TextIO, regions: Mapping[str, str], n: int = 15
) -> None:
    """The ``n`` largest suppliers (2024 imports) with their rates, as text."""
    table = schedule.aggregate("country").sort_values("imports_usd", ascending=False).head(n)
    by_key = {c.key: c for c in schedule.lines.countries.countries}
    table.index = [
        f"{by_key[str(k)].name} ({regions.get(by_key[str(k)].region, by_key[str(k)].region)})"
        for k in table.index
    ]
    print("\nLargest suppliers, line by line (--partner P for one; --json for all):", file=out)
    print(frame_text(table, "Country (region)", _RATE_COLUMNS), file=out)


def hts_products(lines: LineData, code: str) -> np.ndarray:
    """(products,) bool: the HS10 lines under an HTS code of 4-10 digits (dots allowed)."""
    digits = code.replace(".", "").strip()
    if not (digits.isdigit() and 4 <= len(digits) <= 10):
        raise InputError("(command line)", "--hts", "an HTS code of 4 to 10 digits", code)
    on = np.char.startswith(lines.hs10.astype(str), digits)
    if not on.any():
        expected = "a code of the 2024 import data (analysis/data/hs10_products_2024.csv)"
        raise InputError("(command line)", "--hts", expected, code)
    return np.asarray(on)


def hts_payload(
    schedule: LineSchedule, code: str, partner: Country | str | None, n: int = 50
) -> dict[str, Any]:
    """The rates of the lines under an HTS code: by country, and line by line (the ``n``
    largest by imports) for the partner or for all countries."""
    lines = schedule.lines
    on = hts_products(lines, code)[lines.product_at]
    mine = on if partner is None else on & partner_rows(schedule, partner)
    table = schedule.aggregate("country", on)
    by_key = {c.key: c for c in lines.countries.countries}
    countries = {
        str(k): {"name": by_key[str(k)].name, "region": by_key[str(k)].region, **_rates(row)}
        for k, row in table.sort_values("imports_usd", ascending=False).iterrows()
    }
    w = lines.imports_usd * mine
    imports = np.bincount(lines.product_at, weights=w, minlength=lines.hs10.size)
    paid = np.bincount(
        lines.product_at, weights=w * schedule.tariff_rate, minlength=lines.hs10.size
    )
    base = np.bincount(lines.product_at, weights=w * lines.baseline_rate, minlength=lines.hs10.size)
    text = lines.description if lines.description.size else np.full(lines.hs10.size, "")
    order = [k for k in np.argsort(-imports)[:n] if imports[k] > 0]
    return {
        "code": code,
        "for": "all" if partner is None else partner_label(partner)["id"],
        "total": schedule.total(mine),
        "countries": countries,
        "lines": [
            {
                "hs10": str(lines.hs10[k]),
                "description": str(text[k]),
                "effective_tariff_rate": float(paid[k] / imports[k]),
                "additional_tariff_rate": float((paid[k] - base[k]) / imports[k]),
                "imports_usd": float(imports[k]),
            }
            for k in order
        ],
    }


def print_hts(payload: dict[str, Any], out: TextIO) -> None:
    """The lines of an HTS code for the partner (or all), as text."""
    total = payload["total"]
    rates = (
        f"tariff {_pct(total['effective_tariff_rate'])}, of which "
        f"{_pct(total['additional_tariff_rate'])} added since 2025, on "
        f"${number_text('usd_bn', total['imports_usd'], signed=False, decimals=2)} bn"
    )
    who = "all countries" if payload["for"] == "all" else payload["for"]
    print(f"\nHTS {payload['code']} ({who}): {rates}", file=out)
    table = pd.DataFrame(payload["lines"]).head(20)
    table.index = [f"{r.hs10} {str(r.description)[:40]}".strip() for r in table.itertuples()]
    print(frame_text(table, "HS10 line", _RATE_COLUMNS), file=out)


def change_days(inputs: Inputs, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days in [first, last] on which some measure's value or product-list row starts or
    a value ends, the first of each month (each month's USMCA shares), and first."""
    lists = inputs.lines.product_lists()
    return timeline.change_days(inputs.measures.values(), first, last, lists)


def _series_rows(
    schedule: LineSchedule, partner: Country | str | None, authorities: list[str], by: str
) -> list[list[str]]:
    """(partner, effective, additional, one rate per authority) rows of one change day."""
    if by == "country":
        table = schedule.aggregate("country")
        return [
            [str(key)]
            + [f"{row[k]:.6f}" for k in ("effective_tariff_rate", "additional_tariff_rate")]
            + [f"{row.get(f'rate_{a}', 0.0):.6f}" for a in authorities]
            for key, row in table.iterrows()
        ]
    rows = None if partner is None else partner_rows(schedule, partner)
    total = schedule.total(rows)
    weights = schedule.lines.imports_usd if rows is None else schedule.lines.imports_usd * rows
    paid = {n: float(weights @ a) for n, a in schedule.by_authority().items()}
    label = "all" if partner is None else partner_label(partner)["id"]
    values = [f"{total['effective_tariff_rate']:.6f}", f"{total['additional_tariff_rate']:.6f}"]
    values += [f"{paid.get(a, 0.0) / total['imports_usd']:.6f}" for a in authorities]
    return [[label, *values]]


def write_series(
    inputs: Inputs,
    first: dt.date,
    last: dt.date,
    partner: Country | str | None,
    out: TextIO,
    by: str = "partner",
) -> int:
    """The daily series as CSV: one row per day (per country with ``by="country"``), the
    rates computed on the days the law changes only and repeated until the next one."""
    if last < first:
        raise InputError("(command line)", "--to", f"a date on or after {first}", last)
    authorities = sorted({m.authority_name for m in inputs.measures.values() if not m.is_mfn})
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["date", "partner", "effective_tariff_rate", "additional_tariff_rate"]
        + [f"rate_{a}" for a in authorities]
    )
    starts = change_days(inputs, first, last)
    for i, start in enumerate(starts):
        rows = _series_rows(schedule_on(inputs, start), partner, authorities, by)
        end = starts[i + 1] if i + 1 < len(starts) else last + dt.timedelta(days=1)
        day = start
        while day < end:
            writer.writerows([day.isoformat(), *row] for row in rows)
            day += dt.timedelta(days=1)
    return 0
