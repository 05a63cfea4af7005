"""The BEA input-output tables, the PCE bridge and the GTAP-BEA crosswalk, read and checked once.

Files (analysis/data, SOURCES.md section 12): ``io_use_2024_summary.csv`` (commodity x
industry), ``io_commodities_2024_summary.csv``, ``io_industries_2024_summary.csv``,
``io_domestic_requirements_2024_summary.csv`` (industry x commodity),
``pce_bridge_2024_summary.csv`` and ``gtap_bea_crosswalk.csv``; and
``params/consumer_prices.yaml`` (the responses outside the tables). Each file goes through
the manifest check (sha256, columns, types); then the rows and columns of the tables must
match one another, entries must not be negative where none can be, and the crosswalk must map
every goods sector of the import data. Any failure is one :class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.datasets import _manifest, read_checked_csv
from analysis.inputs.errors import InputError
from analysis.inputs.paths import data_folder
from analysis.inputs.validate import TOP_LEVEL, mapping, number, read_yaml, record, require

#: BEA's adjustment commodities (scrap, used and second-hand goods; noncomparable imports and
#: the rest-of-world adjustment): BEA records negative flows for them, and they are not goods a
#: tariff line reaches (the Budget Lab gives them no import share either).
ADJUSTMENT_COMMODITIES = ("Used", "Other")
#: BEA rounds to the million dollars: smaller negatives are rounding, not data. BEA's published
#: domestic requirements hold two tiny negatives (industry 333 per dollar of commodity GFE,
#: -0.00047; GFGN per dollar of 22, -0.0000119); a requirement below -0.001 is an error.
_ROUNDING_MUSD = 5.0
_ROUNDING_REQUIREMENT = 1e-3


@dataclass(frozen=True)
class IOTables:
    """The 2024 summary tables as arrays ordered by ``commodities`` and ``industries`` (US$)."""

    commodities: tuple[str, ...]
    industries: tuple[str, ...]
    commodity_descriptions: dict[str, str]
    use_usd: np.ndarray  # (C, I) intermediate use, purchasers' prices
    import_use_usd: np.ndarray  # (C, I) of which imported
    industry_output_usd: np.ndarray  # (I,)
    domestic_requirements: np.ndarray  # (I, C) BEA's domestic Leontief inverse
    absorption_usd: np.ndarray  # (C,) intermediate + final use, exports excluded
    import_absorption_usd: np.ndarray  # (C,) of which imported
    pce_producers_value_usd: np.ndarray  # (C,) PCE bridge, summed over NIPA lines
    pce_purchasers_value_usd: np.ndarray  # (C,)
    pce_use_table_usd: np.ndarray  # (C,) the use table's PCE column (F010)
    sector_commodities: dict[str, tuple[str, ...]]  # GTAP sector -> BEA commodities
    bridge: pd.DataFrame = field(repr=False)  # NIPA line x commodity rows of the PCE bridge

    @property
    def total_pce_usd(self) -> float:
        """Total personal consumption expenditures, 2024, purchasers' value."""
        return float(self.bridge["purchasers_value_usd"].sum())


@dataclass(frozen=True)
class IOAssumptions:
    """``params/consumer_prices.yaml``: the Budget Lab's responses outside the tables."""

    domestic_pricing: float
    usd_offset: float
    consumption_dollar_year: int
    source_title: str

    @property
    def response_scale(self) -> float:
        """The Budget Lab's scale on the price model: 1 + domestic pricing - dollar offset."""
        return 1.0 + self.domestic_pricing - self.usd_offset


def _nonnegative(path: Path, frame: pd.DataFrame, column: str, tol: float) -> None:
    """No entry below ``-tol`` outside the rows of BEA's adjustment commodities (requirements
    are checked for every commodity: BEA's inverse is not negative beyond rounding)."""
    rows = frame
    if "commodity" in frame and column != "requirement":
        rows = frame[~frame["commodity"].isin(ADJUSTMENT_COMMODITIES)]
    bad = rows[rows[column] < -tol]
    if len(bad):
        row = bad.iloc[0]
        where = ".".join(str(row[k]) for k in ("commodity", "industry", "nipa_line") if k in row)
        raise InputError(path, f"{where}.{column}", f">= 0 (rounding {tol} allowed)", row[column])


def _grid(
    path: Path,
    frame: pd.DataFrame,
    rows: str,
    cols: str,
    values: str,
    keys: tuple[Sequence[str], Sequence[str]],
) -> np.ndarray:
    """A complete ``rows`` x ``cols`` matrix, with exactly the codes ``keys``."""
    if frame.duplicated([rows, cols]).any():
        dup = frame[frame.duplicated([rows, cols])].iloc[0]
        raise InputError(path, f"{dup[rows]}.{dup[cols]}", "one entry per pair", "a duplicate")
    for name, expected in zip((rows, cols), keys, strict=True):
        found = set(frame[name])
        missing, extra = sorted(set(expected) - found), sorted(found - set(expected))
        if missing or extra:
            what = f"missing {missing[0]}" if missing else f"unknown {extra[0]}"
            raise InputError(path, name, f"the {len(expected)} codes of the use table", what)
    wide = frame.pivot(index=rows, columns=cols, values=values)
    if wide.isna().any().any():
        raise InputError(path, f"{rows} x {cols}", "a complete grid", "missing pairs")
    return np.asarray(wide.loc[list(keys[0]), list(keys[1])].to_numpy(dtype=float))


def _crosswalk(
    path: Path, frame: pd.DataFrame, commodities: tuple[str, ...], sectors: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    unknown = sorted(set(frame["commodity"]) - set(commodities))
    if unknown:
        raise InputError(path, "commodity", "a commodity of the use table", unknown[0])
    out = {str(s): tuple(str(c) for c in g["commodity"]) for s, g in frame.groupby("sector")}
    for sector in sectors:
        if sector not in out:
            raise InputError(
                path, f"sector {sector}", "a BEA commodity for every goods sector", "unmapped"
            )
    return out


def load_io_tables(sectors: Sequence[str], data_dir: Path | None = None) -> IOTables:
    """Read and check the input-output files; ``sectors`` must all be in the crosswalk."""
    data_dir = data_dir if data_dir is not None else data_folder()
    manifest = _manifest(data_dir)

    def read(name: str) -> tuple[Path, pd.DataFrame]:
        return data_dir / name, read_checked_csv(name, data_dir, manifest)

    ind_path, industries_frame = read("io_industries_2024_summary.csv")
    com_path, commodities_frame = read("io_commodities_2024_summary.csv")
    industries = tuple(str(x) for x in industries_frame["industry"])
    commodities = tuple(str(x) for x in commodities_frame["commodity"])
    for path, frame, key in (
        (ind_path, industries_frame, "industry"),
        (com_path, commodities_frame, "commodity"),
    ):
        if frame[key].duplicated().any():
            raise InputError(
                path, key, "unique codes", str(frame[key][frame[key].duplicated()].iloc[0])
            )
    output = industries_frame["output_musd"].to_numpy(dtype=float)
    if (output <= 0).any():
        raise InputError(
            ind_path,
            f"{industries[int(np.argmin(output))]}.output_musd",
            "> 0",
            float(output.min()),
        )
    for column in ("absorption_musd", "import_absorption_musd", "pce_producers_value_musd"):
        _nonnegative(com_path, commodities_frame, column, _ROUNDING_MUSD)

    use_path, use = read("io_use_2024_summary.csv")
    for column in ("use_musd", "import_use_musd"):
        _nonnegative(use_path, use, column, _ROUNDING_MUSD)
    req_path, req = read("io_domestic_requirements_2024_summary.csv")
    _nonnegative(req_path, req, "requirement", _ROUNDING_REQUIREMENT)
    bridge_path, bridge = read("pce_bridge_2024_summary.csv")
    _nonnegative(bridge_path, bridge, "producers_value_musd", _ROUNDING_MUSD)
    unknown = sorted(set(bridge["commodity"]) - set(commodities))
    if unknown:
        raise InputError(bridge_path, "commodity", "a commodity of the use table", unknown[0])
    cross_path, cross = read("gtap_bea_crosswalk.csv")
    by_commodity = commodities_frame.set_index("commodity")
    bridge = bridge.assign(
        producers_value_usd=bridge["producers_value_musd"] * 1e6,
        purchasers_value_usd=bridge["purchasers_value_musd"] * 1e6,
    )
    return IOTables(
        commodities=commodities,
        industries=industries,
        commodity_descriptions={str(k): str(v) for k, v in by_commodity["description"].items()},
        use_usd=_grid(use_path, use, "commodity", "industry", "use_musd", (commodities, industries))
        * 1e6,
        import_use_usd=_grid(
            use_path, use, "commodity", "industry", "import_use_musd", (commodities, industries)
        )
        * 1e6,
        industry_output_usd=output * 1e6,
        domestic_requirements=_grid(
            req_path, req, "industry", "commodity", "requirement", (industries, commodities)
        ),
        absorption_usd=by_commodity["absorption_musd"].to_numpy(dtype=float) * 1e6,
        import_absorption_usd=by_commodity["import_absorption_musd"].to_numpy(dtype=float) * 1e6,
        pce_producers_value_usd=_by_commodity(bridge, "producers_value_usd", commodities),
        pce_purchasers_value_usd=_by_commodity(bridge, "purchasers_value_usd", commodities),
        pce_use_table_usd=by_commodity["pce_musd"].to_numpy(dtype=float) * 1e6,
        sector_commodities=_crosswalk(cross_path, cross, commodities, sectors),
        bridge=bridge,
    )


def _by_commodity(bridge: pd.DataFrame, column: str, commodities: tuple[str, ...]) -> np.ndarray:
    sums = bridge.groupby("commodity")[column].sum()
    return np.array([float(sums.get(c, 0.0)) for c in commodities])


def load_io_assumptions(path: Path) -> IOAssumptions:
    """``params/consumer_prices.yaml``."""
    doc = record(
        path,
        TOP_LEVEL,
        read_yaml(path),
        ("domestic_pricing", "usd_offset", "source", "household_consumption"),
    )
    require(path, doc, ("domestic_pricing", "usd_offset", "source", "household_consumption"))
    source = mapping(path, "source", doc["source"])
    require(path, source, ("title", "url", "date"))
    household = record(
        path, "household_consumption", doc["household_consumption"], ("dollar_year", "source")
    )
    require(path, household, ("dollar_year", "source"))
    year: Any = household["dollar_year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InputError(path, "household_consumption.dollar_year", "a year", year)
    return IOAssumptions(
        domestic_pricing=number(path, "domestic_pricing", doc["domestic_pricing"], 0.0, 1.0),
        usd_offset=number(path, "usd_offset", doc["usd_offset"], 0.0, 1.0),
        consumption_dollar_year=year,
        source_title=str(source["title"]),
    )
