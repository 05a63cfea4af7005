"""A backcast against what 2025 showed (issue 17 item 3): the law of each month, run through
the model, beside what the Treasury collected, what the US imported and who paid.

**The law of a day.** The measures in force on the day (a scenario with that regime date and no
changes), stacked on the HS10 lines with the month's USMCA utilisation
(:mod:`analysis.policy.line_regimes`), solved against the 2024 law (``mfn_only``) with the
default (calibrated) elasticities. For each law ``L`` the model gives, per year at 2024 volumes:

* ``collected_revenue_usd = sum D_L t_L`` over the sector x partner cells, with ``t_L`` the rate
  after USMCA utilisation and ``D_L`` the customs value under ``L`` (the model's import response:
  :func:`analysis.questions.revenue.dutiable_value_usd`), as ``simulate --json`` reports it;
* ``static_revenue_usd = sum M_2024 t_L``: the same rates on 2024 imports (no response);
* ``imports_by_partner_usd``: the customs value ``sum_s D_L`` by partner;
* the tariff push ``sum V ln tau'`` and the exporters' absorption ``-sum V ln w'`` over the
  foreign cells whose tariff rose (:func:`analysis.questions.incidence.foreign_incidence`).

**From a year to a month.** The law changes on the days some measure value starts or ends
(:func:`analysis.questions.timeline.change_days`, which also breaks at every month's first day
for the month's USMCA shares). A month's duties are the year's duties at each law in force,
weighted by the days it is in force in the month, times the month's share of 2024 imports
(Census monthly goods imports, not seasonally adjusted; a month of 2026 takes the share of the
same month of 2024):

    duties(m) = s(month of m) x sum_L (days of m under L / days of m) x collected(L)

The model has no timing: nothing in it front-loads imports before a tariff, runs down
inventories after it, or pays duty a month after entry (the Treasury says duties are paid
about a month in arrears), so the table also shows the law of the month before. Nothing here
is fitted to the receipts.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.inputs import shared
from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import read_checked_csv
from analysis.inputs.focus import DEFAULT_FOCUS_PARTNER, DEFAULT_FOCUS_SECTOR
from analysis.inputs.scenarios import Scenario
from analysis.policy.regimes import schedule_for_scenario
from analysis.policy.stacking import TariffSchedule
from analysis.questions.backcast_gap_reasons import JAPAN_GAP_REASONS, gap_reason
from analysis.questions.evidence import default_elasticities
from analysis.questions.revenue import LAW_2024, dutiable_value_usd
from analysis.questions.timeline import change_days
from analysis.questions.us_market import Elasticities, Market, build_market, solve

#: The first month of the backcast (the month before the first 2025 measure took effect).
FIRST_MONTH = dt.date(2025, 1, 1)
#: The cell the car comparison is about: the Ministry of Finance figures are Japan's, so the
#: default focus (Japan's motor vehicles and parts), whatever a report's focus.
CARS = (DEFAULT_FOCUS_PARTNER, DEFAULT_FOCUS_SECTOR)
#: Receipts come in a month after entry ("tariffs are generally paid a month in arrears").
ARREARS_SOURCE = (
    "Reuters (D. Lawder), 'US February budget deficit flat at $308 billion, tariff revenues "
    "not yet hit by court ruling', 11 Mar 2026, quoting a Treasury official"
)


@dataclass(frozen=True)
class LawYear:
    """A year at the law in force from ``start`` (module docstring), US dollars."""

    start: dt.date
    collected_revenue_usd: float
    static_revenue_usd: float
    imports_by_partner_usd: dict[str, float]
    imports_2024_by_partner_usd: dict[str, float]
    tariff_push_usd: float  # sum V ln tau' over foreign cells whose tariff rose
    exporter_absorption_usd: float  # -sum V ln w' over the same cells
    cars_value_usd: float  # Japan's motor vehicles and parts (mvh): customs value under the law
    cars_quantity_usd: float  # the same at 2024 prices (a volume)
    cars_2024_usd: float


@dataclass(frozen=True)
class Observed:
    """What 2025 showed, as shipped (analysis/data/SOURCES.md section 17)."""

    receipts: pd.DataFrame  # month, customs_duties_usd, general_imports_usd
    imports_by_partner: pd.DataFrame  # month, partner, imports_usd
    japan: pd.DataFrame  # item, period, value, unit, change, source, url, date
    incidence: pd.DataFrame  # study, period, foreign_share, measure, source, url, date


def load_observed(data_dir: Path | None = None) -> Observed:
    """The shipped observations, each checked against the manifest."""
    return Observed(
        receipts=read_checked_csv("customs_receipts_monthly.csv", data_dir),
        imports_by_partner=read_checked_csv("us_imports_by_partner_monthly.csv", data_dir),
        japan=read_checked_csv("japan_exports_to_us_2025.csv", data_dir),
        incidence=read_checked_csv("published_incidence.csv", data_dir),
    )


def law_on(inputs: Inputs, day: dt.date) -> Scenario:
    """The law in force on ``day``: the 2024 scenario's file and references, that regime date."""
    base = inputs.scenario(LAW_2024)
    return dataclasses.replace(
        base,
        name=f"law_{day.isoformat()}",
        title=f"The law in force on {day:%d %b %Y}",
        description=f"Every measure in force on {day.isoformat()} (the law as later corrected).",
        regime_date=day,
        changes=(),
        quotas=(),
        focus=None,
    )


def _incidence_parts(
    market: Market, tau: np.ndarray, exporter_change: np.ndarray
) -> tuple[float, float]:
    foreign = market.is_foreign
    base = market.base_value_usd[..., foreign]
    dlt = np.log(tau)[..., foreign]
    dlw = np.log1p(exporter_change)[..., foreign]
    rose = dlt > 1e-12
    return float((base * dlt)[rose].sum()), float(-(base * dlw)[rose].sum())


def law_year(
    inputs: Inputs, day: dt.date, base_schedule: TariffSchedule, elasticities: Elasticities
) -> LawYear:
    """A year at the law of ``day`` against the 2024 law (module docstring)."""
    data = inputs.data
    schedule = schedule_for_scenario(law_on(inputs, day), data, inputs.measures, inputs.lines)
    market = build_market(data, base_schedule, schedule)
    solution = solve(market, elasticities)
    n = len(data.partners)
    dutiable = dutiable_value_usd(
        np.asarray(solution.new_tariff_revenue_usd)[:, :n],
        schedule.tariff_rate,
        np.asarray(solution.new_value_usd)[:, :n],
    )
    tau = (1 + market.new_tariff_rate) / (1 + market.base_tariff_rate)
    i, j = data.sector_index(CARS[1]), data.partner_index(CARS[0])
    cars_2024 = float(data.imports_usd[i, j])
    push, absorbed = _incidence_parts(market, tau, np.asarray(solution.exporter_price_change))
    return LawYear(
        start=day,
        collected_revenue_usd=float((schedule.tariff_rate * dutiable).sum()),
        static_revenue_usd=float((schedule.tariff_rate * data.imports_usd).sum()),
        imports_by_partner_usd=dict(zip(data.partners, dutiable.sum(axis=0).tolist(), strict=True)),
        imports_2024_by_partner_usd=dict(
            zip(data.partners, data.imports_usd.sum(axis=0).tolist(), strict=True)
        ),
        tariff_push_usd=push,
        exporter_absorption_usd=absorbed,
        cars_value_usd=float(dutiable[i, j]),
        cars_quantity_usd=cars_2024 * (1 + float(np.asarray(solution.quantity_change)[i, j])),
        cars_2024_usd=cars_2024,
    )


def law_years(
    inputs: Inputs,
    first: dt.date,
    last: dt.date,
    newest_first: bool = False,
    until_claimed: bool = False,
) -> dict[dt.date, LawYear]:
    """Every law in force between ``first`` and ``last``, by the day it starts (oldest first).

    For the build's own inputs each year is shared (``analysis.inputs.shared``, single flight):
    computed in the order ``newest_first`` says, a year another process of the build is
    computing or has stored is read back. So a kernel computing them newest first and the
    build's prefetcher computing them oldest first (:func:`prefetch_law_years`) each compute
    about half, and meet. With ``until_claimed``, only the years before the first one that
    is stored or being computed (``shared.state``), for the build's own inputs (none else)."""
    base = schedule_for_scenario(
        inputs.scenario(LAW_2024), inputs.data, inputs.measures, inputs.lines
    )
    elasticities = default_elasticities(inputs)
    days = change_days(inputs.measures.values(), first, last, inputs.lines.product_lists())
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    scenarios = _scenarios_digest(inputs)

    def year(day: dt.date) -> LawYear:
        if scope is None:
            return law_year(inputs, day, base, elasticities)
        key = _law_year_key(scope, scenarios, day)
        return shared.remember(key, lambda: law_year(inputs, day, base, elasticities))

    years = {}
    for day in sorted(days, reverse=newest_first):
        if until_claimed and (
            scope is None or shared.state(_law_year_key(scope, scenarios, day)) != "free"
        ):
            break
        years[day] = year(day)
    return {day: years[day] for day in days if day in years}


def _law_year_key(scope: str, scenarios: str, day: dt.date) -> str:
    return f"{scope}|law year|{scenarios}|{day.isoformat()}"


def _scenarios_digest(inputs: Inputs) -> str:
    """The SHA-256 of every scenario as loaded (the 2024 law and the car calibration's law are
    scenarios, which a load's shared scope leaves out)."""
    return hashlib.sha256(repr(sorted(inputs.scenarios.items())).encode()).hexdigest()


def _window(observed: Observed) -> tuple[dt.date, dt.date]:
    """The backcast's days: from December 2024 to the end of the last month of receipts."""
    return dt.date(2024, 12, 1), month_end(_month(str(observed.receipts["month"].iloc[-1])))


def prefetch_law_years(inputs: Inputs) -> None:
    """Compute the backcast's law years oldest first, each stored for the build (the build's
    prefetcher, ``pipeline.prefetch``; the kernel that needs the backcast works newest first)."""
    law_years(inputs, *_window(load_observed()))


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_laws(month: dt.date, starts: Sequence[dt.date]) -> list[tuple[dt.date, float]]:
    """The laws in force in ``month`` (each named by the day it starts, ``starts`` sorted and
    including one on or before the month's first day) with the fraction of the month's days."""
    first, last = month, month_end(month)
    before = [d for d in starts if d <= first]
    if not before:
        raise ValueError(f"no law starts on or before {first}")
    inside = [before[-1], *(d for d in starts if first < d <= last)]
    ends = [*inside[1:], last + dt.timedelta(days=1)]
    length = (last - first).days + 1
    return [
        (start, ((end - max(start, first)).days) / length)
        for start, end in zip(inside, ends, strict=True)
    ]


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def monthly_values(
    annual: Mapping[dt.date, float], months: Sequence[dt.date], seasonal: Mapping[int, float]
) -> list[float]:
    """A year's value at each law (``annual``, by the day it starts) spread to ``months``: the
    day-weighted mean of the laws in force, times the calendar month's share ``seasonal``."""
    starts = sorted(annual)
    return [
        seasonal[m.month] * sum(w * annual[d] for d, w in month_laws(m, starts)) for m in months
    ]


def import_seasonality(receipts: pd.DataFrame, year: int = 2024) -> dict[int, float]:
    """Each calendar month's share of the year's goods imports (Census, not seasonally
    adjusted)."""
    rows = receipts[receipts["month"].str.startswith(f"{year}-")]
    if len(rows) != 12:
        raise ValueError(f"expected 12 months of {year} imports, found {len(rows)}")
    total = float(rows["general_imports_usd"].sum())
    return {
        int(m[5:7]): float(v) / total
        for m, v in zip(rows["month"], rows["general_imports_usd"], strict=True)
    }


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def receipts_table(laws: Mapping[dt.date, LawYear], observed: Observed) -> pd.DataFrame:
    """Month by month from January 2025 to the last month of receipts: the duties the law of
    the month would raise (after the model's import response, and on 2024 imports), the law of
    the month before (duties paid a month in arrears), and the Treasury's receipts."""
    receipts = observed.receipts
    seasonal = import_seasonality(receipts)
    shown = receipts[receipts["month"] >= FIRST_MONTH.isoformat()[:7]]
    months = [_month(m) for m in shown["month"]]
    previous = [(m - dt.timedelta(days=1)).replace(day=1) for m in months]
    collected = {d: law.collected_revenue_usd for d, law in laws.items()}
    static = {d: law.static_revenue_usd for d, law in laws.items()}
    ours = monthly_values(collected, months, seasonal)
    ours_before = monthly_values(collected, previous, seasonal)
    received = shown["customs_duties_usd"].astype(float).to_numpy()
    return pd.DataFrame(
        {
            "month": [m.isoformat()[:7] for m in months],
            "ours_usd": ours,
            "ours_at_2024_imports_usd": monthly_values(static, months, seasonal),
            "ours_law_of_month_before_usd": ours_before,
            "receipts_usd": received,
            "gap_usd": np.asarray(ours_before) - received,
        }
    )


def period_change(
    annual: Mapping[dt.date, float],
    base: float,
    months: Sequence[dt.date],
    seasonal: Mapping[int, float],
) -> float:
    """The model's change over ``months`` against the same months of 2024: the laws' yearly
    values spread to the months, over ``base`` (a year of 2024) times the months' share."""
    share = sum(seasonal[m.month] for m in months)
    return sum(monthly_values(annual, months, seasonal)) / (share * base) - 1


def partner_imports_table(
    laws: Mapping[dt.date, LawYear], observed: Observed, year: int = 2025
) -> pd.DataFrame:
    """Census imports of ``year`` against 2024 by partner beside the model's change under the
    laws of ``year`` (:func:`period_change`), for the year and for April-December (after the
    front-loading), with the reason for the gap."""
    seasonal = import_seasonality(observed.receipts)
    first = next(iter(laws.values()))
    frame = observed.imports_by_partner
    rows = []
    for partner in sorted(frame["partner"].unique()):
        own = frame[frame["partner"] == partner].set_index("month")["imports_usd"].astype(float)
        if len(own.loc[f"{year}-01" : f"{year}-12"]) != 12:
            continue
        chosen = list(first.imports_by_partner_usd) if partner == "all" else [partner]
        annual = {d: sum(law.imports_by_partner_usd[p] for p in chosen) for d, law in laws.items()}
        base = sum(first.imports_2024_by_partner_usd[p] for p in chosen)

        def observed_change(a: int, b: int, own: pd.Series = own) -> float:
            now = own.loc[f"{year}-{a:02d}" : f"{year}-{b:02d}"].sum()
            return float(now / own.loc[f"2024-{a:02d}" : f"2024-{b:02d}"].sum() - 1)

        months = [dt.date(year, m, 1) for m in range(1, 13)]
        later = period_change(annual, base, months[3:], seasonal)
        reason = gap_reason(partner, observed_change(1, 3), later - observed_change(4, 12))
        rows.append(
            {
                "partner": partner,
                "census_2024_usd": float(own.loc["2024-01":"2024-12"].sum()),
                "census_2025_usd": float(own.loc[f"{year}-01" : f"{year}-12"].sum()),
                "observed_change": observed_change(1, 12),
                "model_change": period_change(annual, base, months, seasonal),
                "observed_april_december_change": observed_change(4, 12),
                "model_april_december_change": later,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows)


def foreign_share_table(laws: Mapping[dt.date, LawYear], observed: Observed) -> pd.DataFrame:
    """Each published foreign share beside the model's over the study's period: the
    exporters' absorption over the tariff push of the laws in force, each law weighted by its
    days in the period (a ratio of sums, as
    :func:`analysis.questions.incidence.foreign_incidence`)."""
    starts = sorted(laws)
    rows = []
    for _, study in observed.incidence.iterrows():
        first, last = (_month(p) for p in str(study["period"]).split("/"))
        months = months_between(first, last)
        if first < starts[0]:
            model: float | None = None
        else:
            weights = [(d, w * month_end(m).day) for m in months for d, w in month_laws(m, starts)]
            push = sum(w * laws[d].tariff_push_usd for d, w in weights)
            absorbed = sum(w * laws[d].exporter_absorption_usd for d, w in weights)
            model = absorbed / push if push > 0 else None
        rows.append(
            {
                "study": study["study"],
                "period": study["period"],
                "published_foreign_share": float(study["foreign_share"]),
                "model_foreign_share": model,
                "measure": study["measure"],
                "source": study["source"],
                "url": study["url"],
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Backcast:
    """The backcast's tables (module docstring)."""

    receipts: pd.DataFrame
    partner_imports: pd.DataFrame
    foreign_share: pd.DataFrame
    japan: pd.DataFrame
    laws: dict[dt.date, LawYear]


def backcast(inputs: Inputs, data_dir: Path | None = None) -> Backcast:
    """Every law from January 2025 to the last month of receipts, and the tables.

    For the build's own inputs (``analysis.inputs.shared``) it is computed once per build
    and shared by the reports that quote it: the key is the load's scope (the law's inputs
    and the code) with the digest of every scenario as loaded (the 2024 law and the car
    calibration's law are scenarios, which the scope leaves out)."""
    scope = shared.scope_of(inputs.data, inputs.measures, inputs.lines)
    if scope is None or data_dir is not None:
        return _backcast(inputs, data_dir)
    key = f"{scope}|backcast|{_scenarios_digest(inputs)}"
    if shared.state(key) == "computing":
        # Another kernel computes it, its law years newest first: rather than wait idle,
        # compute them oldest first until the two meet, then wait for its tables.
        law_years(inputs, *_window(load_observed()), until_claimed=True)
    return shared.remember(key, lambda: _backcast(inputs, None))


def _backcast(inputs: Inputs, data_dir: Path | None) -> Backcast:
    """:func:`backcast`, computed."""
    observed = load_observed(data_dir)
    laws = law_years(inputs, *_window(observed), newest_first=True)
    return Backcast(
        receipts=receipts_table(laws, observed),
        partner_imports=partner_imports_table(laws, observed),
        foreign_share=foreign_share_table(laws, observed),
        japan=japan_table(laws, observed),
        laws=laws,
    )


def japan_table(laws: Mapping[dt.date, LawYear], observed: Observed) -> pd.DataFrame:
    """Japan's Ministry of Finance figures (yen) beside the model's change in dollars under
    the laws of the same period: imports from Japan, and Japan's motor vehicles and parts
    (GTAP ``mvh``, parts included) by value and by volume (at 2024 prices)."""
    seasonal = import_seasonality(observed.receipts)
    first = next(iter(laws.values()))

    def change(period: str, annual: Mapping[dt.date, float], base: float) -> float:
        a, b = period.split("/") if "/" in period else (f"{period}-01", f"{period}-12")
        return period_change(annual, base, months_between(_month(a), _month(b)), seasonal)

    japan = {d: law.imports_by_partner_usd[CARS[0]] for d, law in laws.items()}
    series = {
        "exports_to_us": (japan, first.imports_2024_by_partner_usd[CARS[0]]),
        "car_exports_to_us_value": (
            {d: law.cars_value_usd for d, law in laws.items()},
            first.cars_2024_usd,
        ),
        "car_exports_to_us_units": (
            {d: law.cars_quantity_usd for d, law in laws.items()},
            first.cars_2024_usd,
        ),
    }
    rows = []
    for _, row in observed.japan.iterrows():
        annual, base = series[str(row["item"])]
        rows.append(
            {
                "item": row["item"],
                "period": row["period"],
                "observed_value": row["value"],
                "unit": row["unit"],
                "observed_change": float(row["change"]),
                "model_change": change(str(row["period"]), annual, base),
                "reason": JAPAN_GAP_REASONS[str(row["item"])],
                "source": row["source"],
                "url": row["url"],
                "date": row["date"],
            }
        )
    return pd.DataFrame(rows)
