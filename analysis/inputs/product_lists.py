"""Product lists as written: which HS10 lines a measure covers or exempts.

``analysis/data/product_lists.csv`` (SOURCES.md section 14) holds one row per list and HTS
prefix (2 to 10 digits), with a rate and a start date where the list itself sets them (the
Section 301 headings). ``params/line_lists.yaml`` says which lists give a measure its scope
(``scope``), its exemptions (``exempt``), whether the list sets each line's rate
(``rates_from_list``) and what part of a good entered under USMCA is exempt
(``usmca_exempt``, applied with the monthly HS10 shares of
:class:`analysis.inputs.lines.UsmcaShares`). Both are checked once, their shape by the schemas
:class:`~analysis.inputs.schemas.ProductListRowSpec` and
:class:`~analysis.inputs.schemas.LineListsSpec` (``docs/formats.md``), then: a duplicate row, a
prefix that is not 2-10 digits, a list or measure that does not exist, or two scope lists of
one measure that share a line are an :class:`InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs.datasets import data_checksums, read_checked_csv
from analysis.inputs.errors import InputError
from analysis.inputs.paths import DATA_DIR
from analysis.inputs.schemas import LineListsSpec, ProductListRowSpec, validated
from analysis.inputs.table_schema import validated_columns
from analysis.inputs.validate import mapping, read_yaml

LISTS_FILE = "product_lists.csv"
# Lists kept in files of their own, read with LISTS_FILE when the manifest has them: the 2026
# country measures (Section 338 on Canada, Section 301 on Brazil; SOURCES.md section 19).
EXTRA_LISTS_FILES = ("product_lists_2026.csv",)
# The metal share of value of the 2025 Section 232 derivative lines (SOURCES.md section 22),
# read when the manifest has it.
CONTENT_FILE = "metal_content_2025.csv"


@dataclass(frozen=True)
class LineLists:
    """A measure's lists: scope (replaces sector shares), exemptions, list rates."""

    scope: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    # General-purpose provisions on the legal list (e.g. heading 8471 on the auto-parts list):
    # only part of their trade is in scope, so they take the measure's sector share.
    shared: tuple[str, ...] = ()
    rates_from_list: bool = False
    # Share of a good's value exempt when it enters under USMCA (1.0: the whole good; 0.4:
    # the US content of a qualifying vehicle); None: the measure's own partner share.
    usmca_exempt: float | None = None
    # Census country code -> lists exempt for that country only (e.g. a deal's exemptions).
    country_exempt: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Section 232 on metal content: a line of CONTENT_FILE pays only on its metal share of
    # value (``ProductLists.content_on``); until ``whole_article_until`` the whole good still
    # leaves the reciprocal-type layers, from the next day only that share does.
    metal_content: bool = False
    whole_article_until: dt.date | None = None
    # list -> a reader's name for its goods (the legal text's words), where one is given.
    titles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductLists:
    """Every list as a mask over the HS10 products of the line data."""

    path: Path
    masks: Mapping[str, np.ndarray]  # list -> (products,) bool
    # list -> (start, (products,) rate) tranches, for lists that set rates; NaN = not listed.
    tranches: Mapping[str, tuple[tuple[dt.date, np.ndarray], ...]]
    measures: Mapping[str, LineLists] = field(default_factory=dict)
    # list -> (products,) the first day (ordinal) a line is on the list; unlisted lines carry
    # the largest ordinal. Lists without start dates are on from their measure's start.
    since: Mapping[str, np.ndarray] = field(default_factory=dict)
    # (start, (products,) metal share of value) tranches of CONTENT_FILE; NaN = not given.
    content: tuple[tuple[dt.date, np.ndarray], ...] = ()

    def content_on(self, day: dt.date) -> np.ndarray:
        """(products,) the share of value a metal-content measure taxes on ``day``: the
        latest tranche's share that gives the line one, else 1 (the full value)."""
        out = np.ones(next(iter(self.masks.values())).size)
        for start, share in self.content:
            if start <= day:
                out = np.where(np.isnan(share), out, share)
        return out

    def mask(self, name: str) -> np.ndarray:
        """(products,) bool: on the list at any date."""
        return self.masks[name]

    def mask_on(self, name: str, day: dt.date) -> np.ndarray:
        """(products,) bool: on the list on ``day``."""
        if name not in self.since:
            return self.masks[name]
        return np.asarray(self.since[name] <= day.toordinal())

    def rate_on(self, name: str, day: dt.date) -> np.ndarray:
        """(products,) the highest rate of the list's tranches in force on ``day``; NaN if none."""
        out = np.full(next(iter(self.masks.values())).size, np.nan)
        for start, rates in self.tranches.get(name, ()):
            if start <= day:
                out = np.fmax(out, rates)
        return out


def _mask(hs10: np.ndarray, prefixes: list[str]) -> np.ndarray:
    """(products,) bool: the sorted codes ``hs10`` starting with any prefix."""
    keys = np.asarray(sorted(set(prefixes)), dtype=str)
    lo = np.searchsorted(hs10, keys, side="left")
    hi = np.searchsorted(hs10, np.char.add(keys, "\uffff"), side="left")
    depth = np.zeros(hs10.size + 1, dtype=np.int64)
    np.add.at(depth, lo, 1)
    np.add.at(depth, hi, -1)
    return np.asarray(np.cumsum(depth)[:-1] > 0)


def _check_rows(path: Path, frame: pd.DataFrame) -> None:
    """Each row as :class:`ProductListRowSpec` declares it; each (list, prefix, start) once."""
    validated_columns(ProductListRowSpec, path, frame, "list")
    dup = frame[frame.duplicated(["list", "hts_prefix", "start"], keep=False)]
    if not dup.empty:
        row = dup.iloc[0]
        raise InputError(path, f"{row['list']}.hts_prefix", "each line once", row["hts_prefix"])


def _tranches(
    hs10: np.ndarray, group: pd.DataFrame, day0: dt.date
) -> tuple[tuple[dt.date, np.ndarray], ...]:
    out = []
    starts = group["start"].fillna("").replace("", day0.isoformat())
    for start, rows in group.assign(start=starts).groupby("start"):
        rates = np.full(hs10.size, np.nan)
        for rate, prefixes in rows.groupby("rate")["hts_prefix"]:
            rates[_mask(hs10, list(prefixes))] = float(rate)
        out.append((dt.date.fromisoformat(str(start)), rates))
    return tuple(out)


def _measures(path: Path, known_lists: set[str], measures: set[str]) -> dict[str, LineLists]:
    doc = mapping(path, "(top level)", read_yaml(path) or {})
    out = {}
    for mid, raw in doc.items():
        if mid not in measures:
            raise InputError(path, mid, "a measure id of params/measures", mid)
        spec = validated(LineListsSpec, path, raw, str(mid))  # the shape; the names below
        lists = {}
        for key in ("scope", "exempt", "shared"):
            names = getattr(spec, key) or []
            if not all(n in known_lists for n in names):
                raise InputError(path, f"{mid}.{key}", "names of product_lists.csv", names)
            lists[key] = tuple(names)
        by_country = _country_exempt(path, mid, spec.country_exempt, known_lists)
        titles = {str(k): str(v) for k, v in (spec.titles or {}).items()}
        if not set(titles) <= set(lists["scope"]) | set(lists["exempt"]):
            raise InputError(path, f"{mid}.titles", "names of the measure's lists", titles)
        out[str(mid)] = LineLists(
            lists["scope"],
            lists["exempt"],
            lists["shared"],
            spec.rates_from_list,
            spec.usmca_exempt,
            by_country,
            spec.metal_content,
            spec.whole_article_until,
            titles,
        )
    return out


def _country_exempt(
    path: Path, mid: str, raw: Mapping[str | int, list[str]] | None, known_lists: set[str]
) -> dict[str, tuple[str, ...]]:
    out = {}
    for code, names in (raw or {}).items():
        key = f"{mid}.country_exempt.{code}"
        if not str(code).isdigit():
            raise InputError(path, key, "a Census country code (digits)", code)
        if not all(n in known_lists for n in names):
            raise InputError(path, key, "names of product_lists.csv", names)
        out[str(code)] = tuple(names)
    return out


def _since(hs10: np.ndarray, group: pd.DataFrame) -> np.ndarray:
    """(products,) the first day (ordinal) each line is on a list with dated rows."""
    never = dt.date.max.toordinal()
    since = np.full(hs10.size, never, dtype=np.int64)
    for start, rows in group.groupby("start"):
        first = dt.date.fromisoformat(str(start)).toordinal() if start else 0
        on = _mask(hs10, list(rows["hts_prefix"]))
        since[on] = np.minimum(since[on], first)
    return since


def _read_lists(data_dir: Path, manifest: dict[str, Any] | None) -> pd.DataFrame:
    """The rows of LISTS_FILE and of the EXTRA_LISTS_FILES the manifest has, each checked; a
    list named in two files is an error."""
    files = manifest if manifest is not None else data_checksums(data_dir)
    frames: list[pd.DataFrame] = []
    for name in (LISTS_FILE, *(n for n in EXTRA_LISTS_FILES if n in files)):
        frame = read_checked_csv(name, data_dir, manifest)
        frame = frame.assign(hts_prefix=frame["hts_prefix"].astype(str))
        _check_rows(data_dir / name, frame)
        seen = {str(n) for f in frames for n in f["list"].unique()}
        again = sorted(seen & {str(n) for n in frame["list"].unique()})
        if again:
            raise InputError(data_dir / name, "list", "lists not in another list file", again[0])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _content(
    hs10: np.ndarray, data_dir: Path, manifest: dict[str, Any] | None
) -> tuple[tuple[dt.date, np.ndarray], ...]:
    """The tranches of CONTENT_FILE (checked) over ``hs10``, by start (blank: 12 Mar 2025)."""
    files = manifest if manifest is not None else data_checksums(data_dir)
    if CONTENT_FILE not in files:
        return ()
    frame = read_checked_csv(CONTENT_FILE, data_dir, manifest)
    bad = frame[(frame["metal_share"] < 0) | (frame["metal_share"] > 1)]
    if not bad.empty:
        path = data_dir / CONTENT_FILE
        raise InputError(path, "metal_share", "a share in [0, 1]", bad["metal_share"].iloc[0])
    starts = frame["start"].fillna("").replace("", "2025-03-12")
    out = []
    for start, rows in frame.assign(start=starts).groupby("start"):
        share = np.full(hs10.size, np.nan)
        at = np.searchsorted(hs10, rows["hs10"].to_numpy(dtype=str))
        found = (at < hs10.size) & (hs10[np.minimum(at, hs10.size - 1)] == rows["hs10"])
        share[at[found]] = rows["metal_share"].to_numpy(dtype=float)[found]
        out.append((dt.date.fromisoformat(str(start)), share))
    return tuple(out)


def load_product_lists(
    hs10: np.ndarray,
    measures_file: Path,
    measure_ids: set[str],
    data_dir: Path = DATA_DIR,
    manifest: dict[str, Any] | None = None,
) -> ProductLists:
    """Read the lists (checked) as masks over ``hs10`` (sorted), and the measures' lists."""
    path = data_dir / LISTS_FILE
    frame = _read_lists(data_dir, manifest)
    masks = {str(n): _mask(hs10, list(g["hts_prefix"])) for n, g in frame.groupby("list")}
    rated = frame[frame["rate"].notna()]
    day0 = dt.date(2018, 7, 6)  # a list without a start date is in force with its measure
    tranches = {str(n): _tranches(hs10, g, day0) for n, g in rated.groupby("list")}
    by_measure = _measures(measures_file, set(masks), measure_ids)
    for mid, lists in by_measure.items():
        seen = np.zeros(hs10.size, dtype=bool)
        for name in lists.scope:
            if (seen & masks[name]).any():
                line = hs10[seen & masks[name]][0]
                raise InputError(measures_file, f"{mid}.scope", "lists without common lines", line)
            seen |= masks[name]
        if lists.rates_from_list and not all(n in tranches for n in lists.scope):
            raise InputError(measures_file, f"{mid}.rates_from_list", "lists with rates", False)
    unrated = frame[frame["rate"].isna()].assign(start=lambda f: f["start"].fillna(""))
    dated = unrated.groupby("list").filter(lambda g: bool((g["start"] != "").any()))
    since = {str(n): _since(hs10, g) for n, g in dated.groupby("list")}
    content = _content(hs10, data_dir, manifest)
    return ProductLists(
        path, MappingProxyType(masks), MappingProxyType(tranches), by_measure, since, content
    )
