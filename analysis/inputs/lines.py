"""The 2024 imports line by line: HS10 x country, read lazily into frozen arrays.

``analysis/data/us_imports_2024_hs10_country.parquet`` (334,728 rows) and
``hs10_products_2024.csv`` (18,626 HS10 lines) are checked against the manifest (sha256,
columns) and turned into one :class:`LineData`: row arrays (product, country, region, sector
indices, 2024 imports, baseline rate) that the line-level engine (``analysis.policy.lines``)
works on without pandas.

The baseline rate ``b`` of a row is its 2024 applied rate (calculated duty / customs value:
FTAs, GSP-type programmes and USMCA included), where the source has it; else the line's
estimated column-1 rate; else its sector's trade-weighted column-1 rate. The 2024 duties of
Section 301 (China) and of the 2018 Section 232 steel and aluminium tariffs (HS chapters 72, 73,
76 and the derivative stampings 8708.10.30, 8708.29.21) are taken out by capping ``b`` at the
line's column-1 rate there (on the 2018 scope, the lowest rate a general-rate partner paid:
data_build/legal_lists.py): the measures restate them.

Loading takes about a second, so :class:`LazyLines` defers it to the first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from analysis.inputs import shared
from analysis.inputs.countries import CountryTable
from analysis.inputs.datasets import TradeData, read_checked_csv, read_checked_parquet
from analysis.inputs.errors import InputError
from analysis.inputs.paths import DATA_DIR
from analysis.inputs.product_lists import ProductLists, load_product_lists
from analysis.inputs.validate import read_yaml

LINES_FILE = "us_imports_2024_hs10_country.parquet"
PRODUCTS_FILE = "hs10_products_2024.csv"
USMCA_FILE = "usmca_shares_hs10_monthly.parquet"
# The 2018 Section 232 steel (ch. 72, 73) and aluminium (ch. 76) scope, and China's Section 301:
# 2024 duties above the column-1 rate that the 2025-2026 measures restate.
CAPPED_CHAPTERS = ("72", "73", "76")
# The derivative stampings of Proclamation 9980 (85 FR 5281) outside those chapters.
CAPPED_LINES = ("87081030", "87082921")
CHINA = "5700"

T = TypeVar("T")


@dataclass(frozen=True)
class LineData:
    """HS10 x country rows with the indices the engine needs; arrays are read-only."""

    hs10: np.ndarray  # (products,) str, sorted
    product_sector: np.ndarray  # (products,) index into ``sectors``
    chapter: np.ndarray  # (products,) HS2, str
    heading: np.ndarray  # (products,) HS4, str
    sectors: tuple[str, ...]
    partners: tuple[str, ...]
    countries: CountryTable = field(repr=False)
    product_at: np.ndarray = field(repr=False)  # (rows,) index into ``hs10``
    country_at: np.ndarray = field(repr=False)  # (rows,) index into ``countries.countries``
    region_at: np.ndarray = field(repr=False)  # (rows,) index into ``partners``
    sector_at: np.ndarray = field(repr=False)  # (rows,) index into ``sectors``
    imports_usd: np.ndarray = field(repr=False)  # (rows,) 2024 customs value, US$
    baseline_rate: np.ndarray = field(repr=False)  # (rows,) see the module docstring
    applied_basis: np.ndarray = field(repr=False)  # (rows,) own | eu_aggregate | none
    description: np.ndarray = field(repr=False, default_factory=lambda: np.array([]))  # (products,)

    @property
    def rows(self) -> int:
        return int(self.product_at.size)

    def on_list(self, prefixes: tuple[str, ...]) -> np.ndarray:
        """(products,) bool: HS10 lines starting with any of the HTS prefixes (4-10 digits)."""
        return _prefix_mask(self.hs10, prefixes)


def _prefix_mask(hs10: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    """(products,) bool: lines whose code starts with one of ``prefixes`` (sorted search)."""
    keys = np.asarray(sorted(set(prefixes)), dtype=str)
    lo = np.searchsorted(hs10, keys, side="left")
    hi = np.searchsorted(hs10, np.char.add(keys, "\uffff"), side="left")
    depth = np.zeros(hs10.size + 1, dtype=np.int64)
    np.add.at(depth, lo, 1)
    np.add.at(depth, hi, -1)
    return np.asarray(np.cumsum(depth)[:-1] > 0)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _codes(table: Any, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(indices, dictionary values) of a dictionary-encoded column."""
    array = table.column(column).combine_chunks()
    if hasattr(array, "indices"):
        return array.indices.to_numpy(), np.asarray(array.dictionary.to_pylist(), dtype=object)
    values, inverse = np.unique(np.asarray(array.to_pylist(), dtype=object), return_inverse=True)
    return inverse, values


def _products(
    data_dir: Path, manifest: dict[str, Any], data: TradeData
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    path = data_dir / PRODUCTS_FILE
    frame = read_checked_csv(PRODUCTS_FILE, data_dir, manifest)
    hs10 = frame["hs10"].to_numpy(dtype=str)
    if not (np.all(np.char.str_len(hs10) == 10) and np.all(hs10[1:] > hs10[:-1])):
        raise InputError(path, "hs10", "unique 10-digit codes, sorted", "unsorted or short")
    unknown = set(frame["sector"]) - set(data.sectors)
    if unknown:
        raise InputError(path, "sector", f"one of the {len(data.sectors)} sectors", unknown.pop())
    sector = frame["sector"].map({s: i for i, s in enumerate(data.sectors)}).to_numpy(dtype=int)
    column1 = data.mfn_tariff_rate[:, data.partners.index("row")]
    mfn = frame["mfn_2024_rate"].to_numpy(dtype=float, na_value=np.nan)
    mfn = np.where(np.isnan(mfn), column1[sector], mfn)
    chapter = frame["chapter"].to_numpy(dtype=str)
    text = frame["description"].fillna("").to_numpy(dtype=str)
    return hs10, sector, chapter, frame["heading"].to_numpy(dtype=str), mfn, text


def load_lines(data: TradeData, countries: CountryTable, data_dir: Path = DATA_DIR) -> LineData:
    """Read and check the line files; every row's indices and baseline rate."""
    doc = read_yaml(data_dir / "manifest.yaml")
    manifest: dict[str, Any] = doc["files"] if isinstance(doc, dict) else {}
    hs10, product_sector, chapter, heading, mfn, text = _products(data_dir, manifest, data)
    path = data_dir / LINES_FILE
    table = read_checked_parquet(LINES_FILE, data_dir, manifest)
    at, values = _codes(table, "hs10")
    product_of_value = np.searchsorted(hs10, values.astype(str))
    if not np.array_equal(hs10[np.minimum(product_of_value, hs10.size - 1)], values.astype(str)):
        raise InputError(path, "hs10", f"lines of {PRODUCTS_FILE}", "an unknown line")
    product_at = product_of_value[at]
    at, values = _codes(table, "cty_code")
    index = {c.cty_code: i for i, c in enumerate(countries.countries)}
    missing = [v for v in values if v not in index]
    if missing:
        raise InputError(path, "cty_code", "a code of countries.csv", missing[0])
    country_at = np.array([index[v] for v in values])[at]
    region_of = np.array([data.partners.index(c.region) for c in countries.countries])
    applied = table.column("applied_2024_rate").to_numpy(zero_copy_only=False)
    applied = np.where(np.isnan(applied), mfn[product_at], applied)
    china = np.array([c.cty_code == CHINA for c in countries.countries])[country_at]
    metal = np.isin(chapter, CAPPED_CHAPTERS) | _prefix_mask(hs10, CAPPED_LINES)
    capped = china | metal[product_at]
    baseline = np.where(capped, np.minimum(applied, mfn[product_at]), applied)
    basis_at, basis_values = _codes(table, "applied_rate_basis")
    return LineData(
        hs10=_readonly(hs10),
        product_sector=_readonly(product_sector),
        chapter=_readonly(chapter),
        heading=_readonly(heading),
        sectors=data.sectors,
        partners=data.partners,
        countries=countries,
        product_at=_readonly(product_at.astype(np.int32)),
        country_at=_readonly(country_at.astype(np.int16)),
        region_at=_readonly(region_of[country_at].astype(np.int8)),
        sector_at=_readonly(product_sector[product_at].astype(np.int8)),
        imports_usd=_readonly(table.column("imports_usd").to_numpy().astype(float)),
        baseline_rate=_readonly(baseline.astype(float)),
        applied_basis=_readonly(basis_values[basis_at]),
        description=_readonly(text),
    )


@dataclass(frozen=True)
class UsmcaShares:
    """Monthly USMCA shares of the Canada and Mexico rows (SOURCES.md section 15).

    ``shares[k, j]`` is the share of row ``rows[j]`` entered under USMCA in ``months[k]``;
    NaN where the line had no imports from that country in that month.
    """

    months: tuple[dt.date, ...]  # first day of each month, sorted
    rows: np.ndarray = field(repr=False)  # (n,) row indices of the Canada and Mexico rows
    shares: np.ndarray = field(repr=False)  # (months, n)
    position: np.ndarray = field(repr=False)  # (all rows,) index into ``rows``, -1 if none

    def on(self, day: dt.date) -> np.ndarray:
        """(n,) the shares of the month of ``day`` (the first or last month outside them)."""
        k = sum(1 for month in self.months if month <= day) - 1
        return np.asarray(self.shares[min(max(k, 0), len(self.months) - 1)])


#: USITC's reporting of USMCA claims changed in July 2025: the claims of January-June 2025 are
#: understated (late filing and the reporting change; the legal entitlement was unchanged), so
#: those months take each line's mean share of July-December 2025 (the Budget Lab's tariff-etr-eval,
#: paper/etr_divergence_paper.Rmd and docs/six_tier_framework_plan.md; its tracker's default
#: ``h2_average``). SOURCES.md section 15.
REPORTED_FROM = dt.date(2025, 7, 1)
SETTLED_MONTHS = tuple(dt.date(2025, m, 1) for m in range(7, 13))


def settled_before_reporting_change(months: tuple[dt.date, ...], shares: np.ndarray) -> np.ndarray:
    """``shares`` (months, rows) with each month of 2025 before :data:`REPORTED_FROM` replaced by
    the row's mean over :data:`SETTLED_MONTHS` (the months it traded in); a row without trade in
    those months keeps its own figure."""
    settled = [k for k, m in enumerate(months) if m in SETTLED_MONTHS]
    if not settled:
        return shares
    block = shares[settled]
    counts = np.sum(~np.isnan(block), axis=0)
    mean = np.nansum(block, axis=0) / np.maximum(counts, 1)
    out = shares.copy()
    for k, month in enumerate(months):
        if dt.date(2025, 1, 1) <= month < REPORTED_FROM:
            out[k] = np.where(counts > 0, mean, shares[k])
    return out


def load_usmca(lines: LineData, data_dir: Path = DATA_DIR) -> UsmcaShares:
    """The shares as a (months, Canada and Mexico rows) matrix aligned with ``lines``."""
    doc = read_yaml(data_dir / "manifest.yaml")
    manifest: dict[str, Any] = doc["files"] if isinstance(doc, dict) else {}
    table = read_checked_parquet(USMCA_FILE, data_dir, manifest)
    month_at, months = _codes(table, "month")
    hs_at, hs_values = _codes(table, "hs10")
    cty_at, cty_values = _codes(table, "cty_code")
    codes = [c.cty_code for c in lines.countries.countries]
    country_of = np.array([codes.index(c) if c in codes else -1 for c in cty_values])
    product_of = np.searchsorted(lines.hs10, hs_values.astype(str))
    product_of = np.minimum(product_of, lines.hs10.size - 1)
    product_of = np.where(lines.hs10[product_of] == hs_values.astype(str), product_of, -1)
    rows = np.flatnonzero(np.isin(lines.country_at, country_of[country_of >= 0]))
    key = lines.product_at[rows].astype(np.int64) * 65536 + lines.country_at[rows]
    order = np.argsort(key)
    entry = product_of[hs_at].astype(np.int64) * 65536 + country_of[cty_at]
    pos = np.searchsorted(key[order], entry)
    found = (product_of[hs_at] >= 0) & (pos < key.size)
    found &= key[order][np.minimum(pos, key.size - 1)] == entry
    shares = np.full((months.size, rows.size), np.nan)
    shares[month_at[found], order[pos[found]]] = table.column("usmca_share").to_numpy()[found]
    days = tuple(dt.date.fromisoformat(f"{m}-01") for m in months)
    sort = np.argsort(np.array(days))
    position = np.full(lines.rows, -1, dtype=np.int32)
    position[rows] = np.arange(rows.size)
    ordered = tuple(days[i] for i in sort)
    settled = settled_before_reporting_change(ordered, shares[sort])
    return UsmcaShares(ordered, _readonly(rows), _readonly(settled), _readonly(position))


class LazyLines:
    """The line data and the product lists, read on first use and then kept by this object
    (not process-wide: each :class:`analysis.inputs.bundle.Inputs` has its own).

    A load of the build's own inputs (:meth:`share_as`) reads each part, when first used, from
    the build's shared folder if another kernel read it first (``analysis.inputs.shared``, keyed
    by the load's scope and the paths the part names). Pickled, it carries none of its parts."""

    def __init__(
        self,
        data: TradeData,
        countries: CountryTable,
        data_dir: Path = DATA_DIR,
        lists_file: Path | None = None,
        measure_ids: frozenset[str] = frozenset(),
    ):
        self._args = (data, countries, data_dir)
        self._lists_args = (lists_file, measure_ids, data_dir)
        self._lines: LineData | None = None
        self._lists: ProductLists | None = None
        self._usmca: UsmcaShares | None = None
        self._scope: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"_args": self._args, "_lists_args": self._lists_args}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._args, self._lists_args = state["_args"], state["_lists_args"]
        self._lines, self._lists, self._usmca, self._scope = None, None, None, None

    def share_as(self, scope: str) -> None:
        """Share the parts read from now on with the build's other loads of ``scope``."""
        self._scope = scope

    def _key(self, part: str, scope: str) -> str:
        lists_file, measure_ids, data_dir = self._lists_args
        return f"lines {part} {scope} {data_dir} {lists_file} {sorted(measure_ids)}"

    def _shared(self, part: str, compute: Callable[[], T]) -> T:
        if self._scope is None:
            return compute()
        return shared.remember(self._key(part, self._scope), compute, own=True)

    def hand_over(self, scope: str, own: Path) -> None:
        """Read every part now and store each in the folder ``own`` where a load shared as
        ``scope`` (:meth:`share_as`) looks for it (a builder, idle while its kernels start,
        reads them for the kernels of the build's own inputs). Read by a copy of this object,
        which keeps none of them: this one is left as it was."""
        reader = LazyLines.__new__(LazyLines)
        reader.__setstate__(self.__getstate__())
        parts = (
            ("data", reader.get),
            ("product lists", reader.product_lists),
            ("usmca", reader.usmca),
        )
        for part, read in parts:
            shared.store(own, self._key(part, scope), read())

    def get(self) -> LineData:
        if self._lines is None:
            self._lines = self._shared("data", lambda: load_lines(*self._args))
        return self._lines

    def usmca(self) -> UsmcaShares:
        """The monthly USMCA shares of the Canada and Mexico rows."""
        if self._usmca is None:
            self._usmca = self._shared("usmca", lambda: load_usmca(self.get(), self._args[2]))
        return self._usmca

    def product_lists(self) -> ProductLists:
        """The measures' product lists as masks over the lines' HS10 codes."""
        if self._lists is None:
            self._lists = self._shared("product lists", self._read_product_lists)
        return self._lists

    def _read_product_lists(self) -> ProductLists:
        lists_file, measure_ids, data_dir = self._lists_args
        if lists_file is None:
            raise InputError(data_dir, "line_lists.yaml", "a params file", "none given")
        lines = self.get()
        lists = load_product_lists(lines.hs10, lists_file, set(measure_ids), data_dir)
        known = {c.cty_code for c in lines.countries.countries}
        for mid, spec in lists.measures.items():
            for code in spec.country_exempt:
                if code not in known:
                    key = f"{mid}.country_exempt.{code}"
                    raise InputError(lists_file, key, "a Census code of countries.csv", code)
        return lists
