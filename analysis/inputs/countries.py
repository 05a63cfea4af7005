"""The countries of the 2024 import data, and how a user names one.

``analysis/data/countries.csv`` (SOURCES.md section 13) gives each Census country code its
ISO 3166-1 alpha-3 code, its name and its region (one of the 8 partner regions). A user may
name a country by ISO3 code, by its Census name (case-insensitive, with or without the
parenthesised long form: "South Korea (Republic of Korea)", "South Korea", "Republic of Korea")
or by a common name listed in :data:`COMMON_NAMES`; or name a whole region by its id. An unknown
or ambiguous name is an :class:`InputError` that suggests the nearest names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from analysis.inputs.datasets import read_checked_csv
from analysis.inputs.errors import InputError
from analysis.inputs.paths import DATA_DIR

# Names in common use that are not a Census name (nor its parenthesised long form).
COMMON_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "korea": "KOR",
        "republic of korea": "KOR",
        "viet nam": "VNM",
        "usa": "USA",
        "uk": "GBR",
        "britain": "GBR",
        "great britain": "GBR",
        "holland": "NLD",
        "czechia": "CZE",
        "turkiye": "TUR",
        "russia": "RUS",
        "hong kong": "HKG",
        "ivory coast": "CIV",
        "burma": "MMR",
    }
)


@dataclass(frozen=True)
class Country:
    """One Census country: code, ISO3 (empty where none exists), name, partner region."""

    cty_code: str
    iso3: str
    name: str
    region: str

    @property
    def short_name(self) -> str:
        """The Census name without its parenthesised long form ("South Korea")."""
        return re.sub(r"\s*\(.*\)\s*$", "", self.name)

    @property
    def key(self) -> str:
        """The id a table keys this country by: ISO3, else the Census code."""
        return self.iso3 or self.cty_code


@dataclass(frozen=True)
class CountryTable:
    """All countries, with the names each can be found by."""

    countries: tuple[Country, ...]
    regions: tuple[str, ...]
    path: Path
    by_name: MappingProxyType[str, Country]

    def by_code(self) -> dict[str, Country]:
        return {c.cty_code: c for c in self.countries}

    def resolve(self, text: str, key: str = "partner") -> Country | str:
        """A country (or a region id, returned as a string) from a user's name for it."""
        name = " ".join(str(text).split()).casefold()
        if name in self.regions:
            return name
        if name in self.by_name:
            return self.by_name[name]
        hits = [c for n, c in self.by_name.items() if name and n.startswith(name)]
        if len({c.cty_code for c in hits}) == 1:
            return hits[0]
        choices = sorted({c.short_name for c in hits})
        if len(choices) > 1:
            expected = f"one country ({name!r} matches {', '.join(choices[:6])})"
            raise InputError(self.path, key, expected, text)
        near = difflib.get_close_matches(name, list(self.by_name) + list(self.regions), n=4)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        raise InputError(self.path, key, f"an ISO3 code, a country name or a region{hint}", text)


def _names(country: Country) -> set[str]:
    names = {country.name.casefold(), country.short_name.casefold(), country.cty_code}
    if country.iso3:
        names.add(country.iso3.casefold())
    inner = re.search(r"\((.*)\)", country.name)
    if inner:
        names.add(inner.group(1).casefold())
    return names


def country_table(
    regions: tuple[str, ...], data_dir: Path = DATA_DIR, manifest: dict[str, Any] | None = None
) -> CountryTable:
    """Read ``countries.csv`` (checksum-checked) and index every name a country goes by."""
    path = data_dir / "countries.csv"
    frame = read_checked_csv(path.name, data_dir, manifest)
    countries = []
    for code, iso3, name, region in frame.itertuples(index=False):
        if region not in regions:
            raise InputError(path, f"region of {code}", f"one of {', '.join(regions)}", region)
        iso3 = "" if iso3 is None or iso3 is pd.NA else str(iso3)
        countries.append(Country(str(code), iso3, str(name), str(region)))
    by_name: dict[str, Country] = {}
    clashes: set[str] = set()
    for country in countries:
        for name in _names(country):
            if name in by_name and by_name[name] != country:
                clashes.add(name)
            by_name[name] = country
    iso = {c.iso3: c for c in countries if c.iso3}
    for name, iso3 in COMMON_NAMES.items():
        if iso3 in iso:
            by_name.setdefault(name, iso[iso3])
    for name in clashes:  # a name two countries share resolves to neither
        del by_name[name]
    return CountryTable(tuple(countries), regions, path, MappingProxyType(by_name))
