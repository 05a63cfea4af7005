"""``rates`` as a reader's table or CSV: import-weighted tariffs by partner or by sector.

Each row is a partner (or a GTAP sector) named as the data name it; the columns are 2024
imports, the import-weighted tariff and its parts by legal authority (MFN, Section 232,
Section 301, ...), which add up to the tariff. Weights are 2024 imports (customs value) of
each sector x partner cell; a row with no imports has no weighted rate (shown as n/a).
"""

from __future__ import annotations

import sys
from typing import Literal, TextIO

import numpy as np
import pandas as pd

from analysis.cli.text import Column, frame_text, write_csv
from analysis.inputs.datasets import TradeData
from analysis.inputs.measures import LAYER_LABELS
from analysis.policy.stacking import MFN, TariffSchedule

By = Literal["partner", "sector"]


def _slug(authority: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in authority.lower()).strip("_")


def rates_frame(schedule: TariffSchedule, by: By) -> pd.DataFrame:
    """Rows by partner (plus ``all``) or sector: ``imports_usd``, ``tariff_rate``,
    ``mfn_tariff_rate`` and one ``<authority>_rate`` per legal authority in force (Section
    232, Section 301, IEEPA, ...); MFN and the authorities add up to ``tariff_rate``."""
    cells = schedule.sector_frame()
    authority = {am.measure.id: am.measure.authority_name for am in schedule.active}
    names: dict[str, str] = {}
    for mid in schedule.contributions:
        if schedule.layers[mid] == MFN:  # a change of the MFN rate counts with MFN
            cells["mfn_tariff_rate"] += cells[f"rate_{mid}"]
            continue
        name = authority.get(mid, LAYER_LABELS.get(schedule.layers[mid], mid))
        column = f"{_slug(name)}_rate"
        names[column] = name
        cells[column] = cells.get(column, 0.0) + cells[f"rate_{mid}"]
    rates = ["tariff_rate", "mfn_tariff_rate", *names]
    weighted = cells[rates].mul(cells["imports_usd"], axis=0)
    weighted["imports_usd"] = cells["imports_usd"]
    weighted[by] = cells[by]
    grouped = weighted.groupby(by, sort=False).sum()
    if by == "partner":
        grouped.loc["all"] = grouped.sum()
    imports = grouped["imports_usd"].replace(0.0, np.nan)
    out = grouped[rates].div(imports, axis=0)
    out.insert(0, "imports_usd", grouped["imports_usd"])
    out.index.name = by
    out.attrs["authorities"] = names
    return out


def _columns(frame: pd.DataFrame) -> list[Column]:
    columns = [
        Column("imports_usd", "US imports, 2024 ($ bn)", "usd_bn", False),
        Column("tariff_rate", "Tariff (%)", "percent", False),
        Column("mfn_tariff_rate", "of which 2024 applied rate (MFN, FTA) (%)", "percent", False),
    ]
    for column, name in frame.attrs.get("authorities", {}).items():
        columns.append(Column(column, f"{name} (%)", "percent", False))
    return columns


def _row_names(frame: pd.DataFrame, data: TradeData, by: By) -> pd.DataFrame:
    named = frame.copy()
    if by == "partner":
        names = {p: data.partner_name(p) for p in data.partners} | {"all": "All partners"}
    else:
        names = dict(data.sector_descriptions)
    named.index = [names.get(str(k), str(k)) for k in frame.index]
    return named


def print_rates(
    schedule: TariffSchedule,
    data: TradeData,
    heading: str,
    by: By = "partner",
    as_csv: bool = False,
    out: TextIO | None = None,
) -> None:
    """The rates table as text (names, units, rounded) or as CSV (ids, full precision)."""
    out = out or sys.stdout
    frame = rates_frame(schedule, by)
    if by == "sector":
        frame = frame.sort_values("imports_usd", ascending=False)
    if as_csv:
        write_csv(frame, out)
        return
    print(heading, file=out)
    print(file=out)
    header = "Partner" if by == "partner" else "Sector (by 2024 imports)"
    print(frame_text(_row_names(frame, data, by), header, _columns(frame)), file=out)
    print(file=out)
    print("Tariffs are weighted by 2024 imports; the parts add up to the tariff.", file=out)
    authorities = dict.fromkeys(am.measure.authority_name for am in schedule.active)
    print("In force: MFN" + "".join(f", {a}" for a in authorities if a != "MFN"), file=out)
    print("Measures in force:", file=out)
    for am in schedule.active:
        print(f"  - {am.measure.title}", file=out)
