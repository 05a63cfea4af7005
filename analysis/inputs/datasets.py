"""Load and validate the data shipped in ``analysis/data`` into one frozen object.

This is the only place that reads the CSV files. Every file is checked against
``analysis/data/manifest.yaml`` (sha256, columns, types) and against the rules below
(units, ranges, a complete sector x partner grid); a failure raises
:class:`analysis.inputs.errors.InputError` naming the file, the key, what was expected and what
was found.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.catalog import PARTNERS
from analysis.inputs.errors import InputError
from analysis.inputs.focus import PASSENGER_CARS_SECTOR
from analysis.inputs.paths import data_folder
from analysis.inputs.validate import parse_yaml, read_text

_DTYPES = {"str": "string", "int": "Int64", "float": "float64"}


@dataclass(frozen=True)
class TradeData:
    """The validated 2024 baseline: (sector, partner) arrays ordered as ``sectors``, ``partners``.

    Arrays are read-only. Units are in the names: ``*_usd`` is US dollars, ``*_rate`` a fraction.
    """

    sectors: tuple[str, ...]
    partners: tuple[str, ...]
    sector_descriptions: dict[str, str]
    imports_usd: np.ndarray  # (sector, partner), 2024 imports for consumption, customs value
    mfn_tariff_rate: np.ndarray  # (sector, partner), column 1 general, trade-weighted
    mfn_rate_basis: np.ndarray  # (sector, partner), which figure the MFN rate comes from
    domestic_sales_usd: np.ndarray  # (sector,), US producers' domestic sales, scaled to 2024
    domestic_sales_basis: tuple[str, ...]  # per sector: how the domestic figure was derived
    hs10_line_count: np.ndarray  # (sector,), HS10 lines in the HTS 2025 Basic Edition
    auto_parts_line_count: np.ndarray  # (sector,), HS10 lines on the Section 232 auto-parts list
    metal_derivative_line_count: np.ndarray  # (sector,), Section 232 steel/alu derivative lines
    metal_chapter_line_count: dict[str, dict[str, int]]  # sector -> HS chapter -> lines (72-76)
    passenger_cars: pd.DataFrame = field(repr=False)  # HS 8703 by supplier (values and units)
    elasticities: pd.DataFrame = field(repr=False)  # verified published elasticities
    # Members of ftrow and row: partner, cty_code, country, sector, imports_usd (2024).
    member_imports: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    # A member's 2024 imports on the lines a country-specific order exempts, by product list.
    member_exempt_imports: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    # Each cell's 2024 imports on a product list that exempts goods from a layer.
    exempt_lists: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    checksums: dict[str, str] = field(default_factory=dict)  # file -> sha256
    # partner id -> its name in partners.csv (readers see names, code uses ids)
    partner_names: dict[str, str] = field(default_factory=dict)

    def sector_index(self, sector: str) -> int:
        return self.sectors.index(sector)

    def partner_index(self, partner: str) -> int:
        return self.partners.index(partner)

    def imports_frame(self) -> pd.DataFrame:
        """Long table: sector, partner, imports_usd, mfn_tariff_rate."""
        return pd.DataFrame(
            {
                "sector": np.repeat(self.sectors, len(self.partners)),
                "partner": np.tile(self.partners, len(self.sectors)),
                "imports_usd": self.imports_usd.ravel(),
                "mfn_tariff_rate": self.mfn_tariff_rate.ravel(),
            }
        )

    def partner_name(self, partner: str) -> str:
        """A reader's name of ``partner``: ``European Union`` for ``eu`` (the name in
        ``partners.csv`` without its parenthesis); the id where the data give none."""
        return self.partner_names.get(partner, partner).split(" (")[0]

    def sector_units_2024(self, partner: str, sector: str) -> float:
        """2024 US imports of ``sector`` from ``partner`` in units, where the data count them:
        passenger cars (HS 8703, UN Comtrade) for the motor-vehicles sector, from the supplier
        whose name is the partner's (or whose ISO code is the partner id, for a country
        partner such as ``KOR``). NaN where no count is shipped."""
        if sector != PASSENGER_CARS_SECTOR:
            return float("nan")
        cars = self.passenger_cars
        name = self.partner_names.get(partner, "")
        supplier = (cars["supplier"] == name) | (cars["supplier_iso3"] == partner.upper())
        row = cars[supplier & cars["quantity_units"].notna()]
        return float(row["quantity_units"].iloc[0]) if len(row) else float("nan")

    def car_value_usd_2024(self, iso3: str) -> float:
        """HS 8703 imports from one supplier in 2024, US$, Commerce figure (customs value)."""
        cars = self.passenger_cars
        row = cars[(cars["supplier_iso3"] == iso3) & cars["value_musd"].notna()]
        return float(row["value_musd"].iloc[0]) * 1e6


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The last manifest parsed in this process: (its path, its text, its ``files`` mapping).
_PARSED: list[tuple[Path, str, dict[str, Any]]] = []


def _manifest(data_dir: Path) -> dict[str, Any]:
    """The manifest's ``files`` mapping (file name -> its entry), a fresh copy on each call.

    The file is read on every call; its YAML is parsed again only when its text differs from
    the last one parsed in this process from the same path (a report reads the manifest for
    each data file it checks, and the parse costs far more than the read and the copy)."""
    path = data_dir / "manifest.yaml"
    text = read_text(path)
    if _PARSED and _PARSED[0][0] == path and _PARSED[0][1] == text:
        return copy.deepcopy(_PARSED[0][2])
    doc = parse_yaml(text, path)
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), dict):
        raise InputError(path, "files", "a mapping of file name to schema", type(doc).__name__)
    _PARSED[:] = [(path, text, copy.deepcopy(doc["files"]))]
    return doc["files"]  # type: ignore[no-any-return]


def data_checksums(data_dir: Path | None = None) -> dict[str, str]:
    """sha256 of every shipped data file, as the manifest records it (checked on loading)."""
    folder = data_dir if data_dir is not None else data_folder()
    return {name: str(spec["sha256"]) for name, spec in _manifest(folder).items()}


def _checked_file(
    name: str, data_dir: Path | None, manifest: dict[str, Any] | None
) -> tuple[Path, dict[str, Any]]:
    """A shipped file's path and manifest entry, after checking it exists and its checksum."""
    data_dir = data_dir if data_dir is not None else data_folder()
    spec = (manifest if manifest is not None else _manifest(data_dir)).get(name)
    path = data_dir / name
    if spec is None:
        raise InputError(data_dir / "manifest.yaml", f"files.{name}", "an entry", None)
    if not path.is_file():
        raise InputError(path, "file", "an existing file", "missing")
    digest = _sha256(path)
    if digest != spec["sha256"]:
        raise InputError(path, "sha256", spec["sha256"], digest)
    return path, spec


def read_checked_csv(
    name: str, data_dir: Path | None = None, manifest: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Read one shipped CSV after checking its checksum, columns and column types."""
    path, spec = _checked_file(name, data_dir, manifest)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns: dict[str, str] = spec["columns"]
    if list(frame.columns) != list(columns):
        raise InputError(path, "columns", list(columns), list(frame.columns))
    for column, kind in columns.items():
        raw = frame[column].replace("", None)
        try:
            if kind == "str":
                frame[column] = raw.astype("string")
            else:
                numeric = pd.to_numeric(raw, errors="raise")
                frame[column] = numeric.astype(_DTYPES[kind])
        except (ValueError, TypeError) as exc:
            bad = next((v for v in raw.dropna() if not _parses(v, kind)), raw.iloc[0])
            raise InputError(path, column, f"{kind} values", bad) from exc
    return frame


def read_checked_parquet(
    name: str, data_dir: Path | None = None, manifest: dict[str, Any] | None = None
) -> Any:
    """Read one shipped Parquet file (a pyarrow Table) after checking its checksum and columns."""
    import pyarrow.parquet as pq  # only the line-level data need it

    path, spec = _checked_file(name, data_dir, manifest)
    table = pq.read_table(path)
    if table.column_names != list(spec["columns"]):
        raise InputError(path, "columns", list(spec["columns"]), table.column_names)
    return table


def _parses(value: str, kind: str) -> bool:
    try:
        float(value) if kind == "float" else int(value)
    except ValueError:
        return False
    return True


def _grid(frame: pd.DataFrame, column: str, sectors: tuple[str, ...], path: Path) -> np.ndarray:
    """Pivot a long sector x partner table into a complete (sector, partner) array."""
    unknown = set(frame["partner"]) - set(PARTNERS)
    if unknown:
        raise InputError(path, "partner", f"one of {list(PARTNERS)}", sorted(unknown)[0])
    if frame.duplicated(["sector", "partner"]).any():
        dup = frame[frame.duplicated(["sector", "partner"])].iloc[0]
        raise InputError(path, "sector,partner", "unique pairs", f"{dup.sector},{dup.partner}")
    wide = frame.pivot(index="sector", columns="partner", values=column)
    missing = [s for s in sectors if s not in wide.index]
    if missing:
        raise InputError(path, "sector", "a row for every goods sector", f"missing {missing[0]}")
    return np.array(wide.loc[list(sectors), list(PARTNERS)].to_numpy(dtype=float))


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


def _domestic_sales(
    sectors: tuple[str, ...], imports_usd: np.ndarray, supply: pd.DataFrame
) -> tuple[np.ndarray, tuple[str, ...]]:
    """US producers' sales at home by sector, scaled to 2024.

    The BEA table is for 2017 and gives several sectors only as a group (the GTAP-BEA
    crosswalk is many-to-many). We apply each sector's 2017 import penetration r (its own
    where BEA gives it, else its group's) to its 2024 imports M: domestic = M (1 - r) / r.
    This both scales to 2024 and splits groups in proportion to each member's imports.
    Caveat: it assumes the 2017 penetration ratio held in 2024 and is the same for every
    member of a group.
    """
    by_sector = supply.set_index("sector")
    values = np.zeros(len(sectors))
    basis: list[str] = []
    for k, sector in enumerate(sectors):
        row = by_sector.loc[sector]
        own = row["domestic_use_musd"]
        r = float(row["import_penetration"])
        if not 0 < r < 1:
            raise InputError(
                "us_domestic_supply_by_sector.csv", f"{sector}.import_penetration", "0 < r < 1", r
            )
        values[k] = imports_usd[k].sum() * (1 - r) / r
        where = "sector" if pd.notna(own) else f"group {row['bea_group']}"
        basis.append(f"2024 imports x (1-r)/r, r = 2017 BEA import penetration of the {where}")
    return values, tuple(basis)


def _mfn_grid(
    sectors: tuple[str, ...], by_partner: pd.DataFrame, by_sector: pd.DataFrame, path: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Partner-weighted MFN rate; fall back to the all-partner weighted rate, then the
    simple average, then 0 where a sector has no ad valorem line (e.g. crude oil, whose
    specific duties have no ad valorem equivalent in the data)."""
    rate = _grid(by_partner, "mfn_general_tradewtd_2024", sectors, path)
    basis = np.full(rate.shape, "partner trade-weighted", dtype=object)
    sector_rates = by_sector.set_index("sector")
    for k, sector in enumerate(sectors):
        fallback = sector_rates.loc[sector, "mfn_tradewtd_2024_all"]
        label = "all-partner trade-weighted (partner rate missing)"
        if pd.isna(fallback):
            fallback = sector_rates.loc[sector, "mfn_simple_avg"]
            label = "simple average (no weighted rate)"
        if pd.isna(fallback):
            fallback, label = 0.0, "0: no ad valorem line in the sector"
        gaps = np.isnan(rate[k])
        rate[k, gaps] = float(fallback)
        basis[k, gaps] = label
    if (rate < 0).any() or (rate > 1).any():
        raise InputError(path, "mfn_general_tradewtd_2024", "a fraction in [0, 1]", rate.max())
    return rate, basis


def _member_imports(
    data_dir: Path, manifest: dict[str, Any], sectors: tuple[str, ...], imports_usd: np.ndarray
) -> pd.DataFrame:
    """Imports by member country of ftrow and row; the members must add up to each cell."""
    path = data_dir / "member_imports_2024_by_sector_country.csv"
    frame = read_checked_csv(path.name, data_dir, manifest)
    # Plain object columns: the weighting maps over every row, which string arrays make slow.
    frame = frame.astype({c: object for c in ("partner", "cty_code", "country", "sector")})
    for column, known in (("partner", ("ftrow", "row")), ("sector", sectors)):
        unknown = sorted(set(frame[column]) - set(known))
        if unknown:
            raise InputError(path, column, f"one of {list(known)}", unknown[0])
    sums = frame.groupby(["sector", "partner"])["imports_usd"].sum()
    for (sector, partner), total in sums.items():
        cell = imports_usd[sectors.index(str(sector)), PARTNERS.index(str(partner))]
        if abs(float(total) - cell) > 1.0 + 1e-9 * cell:
            raise InputError(path, f"{sector}.{partner}", f"members summing to {cell:.0f}", total)
    return frame


def _exempt_lists(
    data_dir: Path, manifest: dict[str, Any], sectors: tuple[str, ...], imports_usd: np.ndarray
) -> pd.DataFrame:
    """Imports on each exempting product list; each row's cell total must be the data's."""
    path = data_dir / "exempt_lists_2024_by_sector_partner.csv"
    frame = read_checked_csv(path.name, data_dir, manifest)
    for row in frame.itertuples():
        if row.sector not in sectors or row.partner not in PARTNERS:
            raise InputError(
                path, f"{row.product_list}.{row.sector}.{row.partner}", "a cell", "none"
            )
        cell = imports_usd[sectors.index(str(row.sector)), PARTNERS.index(str(row.partner))]
        if abs(float(row.imports_usd) - cell) > 1.0 or not 0 <= row.exempt_imports_usd <= cell + 1:
            key = f"{row.product_list}.{row.sector}.{row.partner}"
            raise InputError(
                path, key, f"imports {cell:.0f} and 0 <= exempt <= imports", row.imports_usd
            )
    return frame


def load_trade_data(data_dir: Path | None = None) -> TradeData:
    """Read, check and assemble every shipped data file."""
    data_dir = data_dir if data_dir is not None else data_folder()
    manifest = _manifest(data_dir)
    checksums = {name: spec["sha256"] for name, spec in manifest.items()}
    sectors_frame = read_checked_csv("sectors.csv", data_dir, manifest)
    goods = sectors_frame[sectors_frame["in_import_data"] == 1]
    sectors = tuple(str(s) for s in goods["sector"])

    imports_path = data_dir / "us_imports_2024_by_sector_partner.csv"
    imports = read_checked_csv(imports_path.name, data_dir, manifest)
    if (imports["imports_usd"] < 0).any():
        raise InputError(imports_path, "imports_usd", "non-negative US$", "a negative value")
    musd = imports["imports_musd"].to_numpy(dtype=float)
    usd = imports["imports_usd"].to_numpy(dtype=float)
    if not np.allclose(musd * 1e6, usd, rtol=1e-9, atol=1.0):
        raise InputError(imports_path, "imports_musd", "imports_usd / 1e6", "a mismatch")
    imports_usd = _grid(imports, "imports_usd", sectors, imports_path)

    mfn_path = data_dir / "mfn_rates_by_sector_partner.csv"
    mfn_rate, mfn_basis = _mfn_grid(
        sectors,
        read_checked_csv(mfn_path.name, data_dir, manifest),
        read_checked_csv("mfn_rates_by_sector.csv", data_dir, manifest),
        mfn_path,
    )
    supply = read_checked_csv("us_domestic_supply_by_sector.csv", data_dir, manifest)
    domestic, domestic_basis = _domestic_sales(sectors, imports_usd, supply)

    lines = read_checked_csv("mfn_rates_by_sector.csv", data_dir, manifest).set_index("sector")
    goods_idx = goods.set_index("sector")
    chapters: dict[str, dict[str, int]] = {}
    for sector, text in goods_idx["hs10_lines_ch72_73_74_76"].dropna().items():
        chapters[str(sector)] = {
            part.split(":")[0]: int(part.split(":")[1]) for part in str(text).split(";")
        }
    cars = read_checked_csv("vehicles_hs8703_2024_by_supplier.csv", data_dir, manifest)
    if (cars["quantity_units"].dropna() <= 0).any():
        raise InputError("vehicles_hs8703_2024_by_supplier.csv", "quantity_units", "> 0", "<= 0")
    return TradeData(
        sectors=sectors,
        partners=PARTNERS,
        sector_descriptions={str(s): str(d) for s, d in goods_idx["description"].items()},
        imports_usd=_readonly(imports_usd),
        mfn_tariff_rate=_readonly(mfn_rate),
        mfn_rate_basis=_readonly(mfn_basis),
        domestic_sales_usd=_readonly(domestic),
        domestic_sales_basis=domestic_basis,
        hs10_line_count=_readonly(lines.loc[list(sectors), "n_lines"].to_numpy(dtype=float)),
        auto_parts_line_count=_readonly(
            goods_idx.loc[list(sectors), "hs10_lines_s232_auto_parts"].to_numpy(dtype=float)
        ),
        metal_derivative_line_count=_readonly(
            goods_idx.loc[list(sectors), "hs10_lines_s232_metal_derivatives"].to_numpy(dtype=float)
        ),
        metal_chapter_line_count=chapters,
        passenger_cars=cars,
        elasticities=read_checked_csv("elasticities.csv", data_dir, manifest),
        member_imports=_member_imports(data_dir, manifest, sectors, imports_usd),
        member_exempt_imports=read_checked_csv(
            "member_exempt_imports_2024.csv", data_dir, manifest
        ),
        exempt_lists=_exempt_lists(data_dir, manifest, sectors, imports_usd),
        checksums=checksums,
        partner_names=_partner_names(data_dir, manifest),
    )


def _partner_names(data_dir: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """partner id -> name, from ``partners.csv``; every partner of the data must be there."""
    frame = read_checked_csv("partners.csv", data_dir, manifest)
    names = {str(p): str(n) for p, n in zip(frame["partner"], frame["name"], strict=True)}
    missing = [p for p in PARTNERS if p not in names]
    if missing:
        raise InputError(data_dir / "partners.csv", "partner", f"a row for {missing[0]}", "none")
    return names


def verify_all(data_dir: Path | None = None) -> list[str]:
    """Check every file in the manifest; return the problems found (empty when all is well)."""
    data_dir = data_dir if data_dir is not None else data_folder()
    problems = []
    for name in _manifest(data_dir):
        try:
            if name.endswith(".parquet"):
                read_checked_parquet(name, data_dir)
            else:
                read_checked_csv(name, data_dir)
        except InputError as exc:
            problems.append(str(exc))
    if not problems:
        try:
            load_trade_data(data_dir)
        except InputError as exc:
            problems.append(str(exc))
    return problems
