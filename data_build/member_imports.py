"""Curation step (run by a maintainer, never at run time): 2024 US imports by member country
inside the ``ftrow`` and ``row`` regions, by GTAP sector, and the part of them on the product
lists that exempt goods from a country-specific IEEPA order.

Sources (see analysis/data/SOURCES.md, section 9):

* HS10 x Census country x GTAP 2024 imports for consumption (Census IMDB, customs value):
  ``resources/rate_aggregation/2024/import_weights_hs10_country_2024.rds``, blob
  ``cf26fb004c2e2f639b0d8e6cee88e97f5444b322`` in ``Budget-Lab-Yale/Tariff-Model``
  (added in 8efb3ed5, removed after 2396bbe0). Census data are public domain; only
  aggregates are shipped.
* Census country codes and names: ``resources/census_codes.csv`` and the partner map
  ``resources/country_partner_mapping.csv`` of ``Budget-Lab-Yale/tariff-rate-tracker`` (MIT).
* Brazil's exemptions from EO 14323 (HTSUS 9903.01.77): ``resources/country_eo_exempt_products.csv``
  of the tracker (MIT), scraped from EO 14323 Annex I (from 2025-08-06) and the EO of
  20 Nov 2025, Annex II (from 2025-11-13).

Usage (needs ``pip install pyreadr``, the ``curation`` extra)::

    python data_build/member_imports.py WEIGHTS.rds CENSUS_CODES.csv PARTNER_MAP.csv \
        COUNTRY_EO_EXEMPT.csv OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def _weights(path: Path, partner_map: Path) -> pd.DataFrame:
    import pyreadr  # type: ignore[import-not-found]  # curation-only dependency

    frame = next(iter(pyreadr.read_r(str(path)).values()))
    mapping = pd.read_csv(partner_map, dtype=str)
    frame = frame.merge(mapping[["cty_code", "partner"]], on="cty_code", how="left")
    frame["partner"] = frame["partner"].fillna("row")
    return frame.rename(columns={"gtap_code": "sector", "imports": "imports_usd"})


def _exempt_lines(path: Path) -> dict[str, tuple[str, ...]]:
    frame = pd.read_csv(path, comment="#", dtype=str)
    frame = frame[frame["ch99_code"] == "9903.01.77"]
    prefix = frame["hts10"].str.replace(".", "", regex=False)
    original = frame["effective_date_start"] == "2025-08-06"
    return {
        "brazil_eo14323_annex_i": tuple(prefix[original]),
        "brazil_eo14323_from_20251113": tuple(prefix),
    }


def main(weights: str, codes: str, partner_map: str, exempt: str, out: str) -> None:
    frame = _weights(Path(weights), Path(partner_map))
    names = pd.read_csv(codes, dtype=str).rename(columns={"Code": "cty_code", "Name": "country"})
    members = frame[frame["partner"].isin(["ftrow", "row"])]
    by_country = (
        members.groupby(["partner", "cty_code", "sector"], as_index=False)["imports_usd"]
        .sum()
        .merge(names, on="cty_code", how="left")
    )
    by_country["imports_usd"] = by_country["imports_usd"].round().astype("int64")
    by_country = by_country[by_country["imports_usd"] > 0]
    by_country[["partner", "cty_code", "country", "sector", "imports_usd"]].sort_values(
        ["partner", "cty_code", "sector"]
    ).to_csv(Path(out) / "member_imports_2024_by_sector_country.csv", index=False)
    rows = []
    brazil = members[members["cty_code"] == "3510"]
    for name, prefixes in _exempt_lines(Path(exempt)).items():
        hit = brazil[brazil["hs10"].str.startswith(prefixes)]
        sums = hit.groupby("sector", as_index=False)["imports_usd"].sum()
        for sector, value in zip(sums["sector"], sums["imports_usd"], strict=True):
            rows.append((name, "3510", sector, round(value)))
    pd.DataFrame(rows, columns=["product_list", "cty_code", "sector", "exempt_imports_usd"]).to_csv(
        Path(out) / "member_exempt_imports_2024.csv", index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
