"""Curation step (run by a maintainer, never at run time): 2024 US imports for consumption by
HS10 x Census country with the 2024 applied duty rate, the country table and the HS10 product
table (GTAP sector, HS chapter and heading, estimated column-1 rate).

Sources (analysis/data/SOURCES.md, section 12):

* HS10 x Census country x GTAP 2024 imports for consumption (Census IMDB, customs value):
  ``resources/rate_aggregation/2024/import_weights_hs10_country_2024.rds``, blob
  ``cf26fb004c2e2f639b0d8e6cee88e97f5444b322`` in ``Budget-Lab-Yale/Tariff-Model``
  (334,728 rows, 233 countries, $3,123.8 bn; Census data, public domain).
* 2024 calculated duty by HS10 for the top 50 partners and the EU aggregate (code 0003):
  ``data/2024-hs10-imports*.parquet`` of ``tradewartracker/trade-war-redux-2025`` @ 726c5958
  (MIT; Census IMDB ``CAL_DUT_YR``/``CON_VAL_YR``).
* Census code -> ISO 3166-1 alpha-3: ``data/CensusCountryMapping_FRBAtl_short.csv`` of the same
  repository (MIT), completed by hand for the 10 codes it lacks (ISO 3166-1; Kosovo takes the
  user-assigned XKX used by the EU and IMF; Gaza has no code of its own).
* Census names: ``resources/census_codes.csv`` of ``Budget-Lab-Yale/tariff-rate-tracker`` (MIT);
  regions from analysis/data/partner_country_map.csv (every other code is ``row``).

Applied rate of a line x country (``applied_2024_rate``, basis in ``applied_rate_basis``):

* ``own``: the country's own record, calculated duty / customs value;
* ``eu_aggregate``: an EU member without its own record takes the EU aggregate's rate for the
  line (one customs union, one US treatment in 2024). The aggregate is never added to its
  members: Slovakia (4359) has both records and keeps its own; 0003 itself is not a country;
* ``none``: a partner outside the top 50 and the EU ($39.5 bn, 1.3% of the total): the
  loader uses the line's estimated column-1 rate.

Column-1 rate per HS10 (``mfn_2024_rate``): the import-weighted median of the applied rates of
the partners that paid the general rate in 2024 (the top-50 partners without a US free-trade
agreement, other than China (Section 301), Russia (column 2 from 2022), Japan (the 2020 US-Japan
Trade Agreement) and the AGOA beneficiaries Angola, Nigeria and South Africa, with the EU
aggregate); where none of them imported the line, the median over every top-50 partner.

Usage (needs the ``curation`` extra: pyreadr, pyarrow)::

    python data_build/line_imports.py WEIGHTS.rds TWT_DATA_DIR ISO_MAP.csv CENSUS_CODES.csv \
        PARTNER_MAP.csv OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

EU_AGGREGATE = "0003"
EU_MEMBERS = (
    "4330", "4231", "4870", "4791", "4910", "4351", "4099", "4470", "4050", "4279", "4280",
    "4840", "4370", "4190", "4759", "4490", "4510", "4239", "4730", "4210", "4550", "4710",
    "4850", "4359", "4792", "4700", "4010",
)  # fmt: skip
# Top-50 partners whose 2024 duty is not the general rate on most lines.
NOT_GENERAL = {
    "1220", "2010",  # USMCA
    "6021", "5800", "5590", "3370", "3010", "3330", "2230", "2050", "2150", "2190", "2250",
    "2110", "2470", "5250", "5081", "5110", "5230", "7140",  # other FTA partners
    "5700",  # China: Section 301 in the calculated duty
    "4621",  # Russia: column 2 since 2022
    "5880",  # Japan: US-Japan Trade Agreement
    "7620", "7530", "7910",  # AGOA: Angola, Nigeria, South Africa
}  # fmt: skip
# ISO 3166-1 alpha-3 of the Census codes the FRB Atlanta map lacks.
ISO3_ADDED = {
    "1610": "SPM",
    "2390": "CUB",
    "4803": "XKX",  # user-assigned (EU, IMF); Kosovo has no ISO 3166-1 code
    "5082": "",  # Gaza Strip: no code of its own (PSE covers Palestine; given to the West Bank)
    "5083": "PSE",
    "5790": "PRK",
    "6029": "HMD",
    "6413": "WLF",
    "7810": "IOT",
    "7905": "ATF",
}


def _weighted_median(frame: pd.DataFrame) -> pd.Series:
    """Import-weighted median of ``rate`` by ``hs10`` (the lower median at ties)."""
    frame = frame.sort_values(["hs10", "rate"])
    cum = frame.groupby("hs10")["imports"].cumsum()
    half = frame.groupby("hs10")["imports"].transform("sum") / 2.0
    return frame[cum >= half].groupby("hs10")["rate"].first()


def _tracker_duties(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("2024-hs10-imports*.parquet"))
    frame = pd.concat(
        [pd.read_parquet(f, columns=["CTY_CODE", "HS10", "imports", "duty"]) for f in files]
    )
    frame = frame.rename(columns={"CTY_CODE": "cty_code", "HS10": "hs10"})
    frame = frame[frame["imports"] > 0]
    return frame.assign(rate=frame["duty"] / frame["imports"])


def _descriptions(folder: Path) -> pd.DataFrame:
    """Census short descriptions of the lines (``I_COMMODITY_SDESC``; blank where no top-50
    partner imported the line)."""
    files = sorted(folder.glob("2024-hs10-imports*.parquet"))
    frame = pd.concat([pd.read_parquet(f, columns=["HS10", "I_COMMODITY_SDESC"]) for f in files])
    frame = frame.drop_duplicates("HS10")
    return frame.rename(columns={"HS10": "hs10", "I_COMMODITY_SDESC": "description"})


def _mfn_estimate(duties: pd.DataFrame) -> pd.DataFrame:
    general = duties[~duties["cty_code"].isin(NOT_GENERAL)]
    pooled = _weighted_median(general)
    fallback = _weighted_median(duties[duties["cty_code"] != EU_AGGREGATE])
    out = pd.DataFrame({"mfn_2024_rate": pooled, "mfn_basis": "general_partners"})
    extra = fallback[~fallback.index.isin(pooled.index)]
    out = pd.concat([out, pd.DataFrame({"mfn_2024_rate": extra, "mfn_basis": "all_top50"})])
    return out.rename_axis("hs10").reset_index()


def _applied(weights: pd.DataFrame, duties: pd.DataFrame) -> pd.DataFrame:
    own = duties[duties["cty_code"] != EU_AGGREGATE][["hs10", "cty_code", "rate"]]
    eu = duties[duties["cty_code"] == EU_AGGREGATE].set_index("hs10")["rate"]
    frame = weights.merge(own, on=["hs10", "cty_code"], how="left")
    basis = np.where(frame["rate"].notna(), "own", "none").astype(object)
    from_eu = frame["rate"].isna() & frame["cty_code"].isin(EU_MEMBERS)
    eu_rate = frame.loc[from_eu, "hs10"].map(eu)
    frame.loc[from_eu, "rate"] = eu_rate
    basis[from_eu.to_numpy() & frame["rate"].notna().to_numpy()] = "eu_aggregate"
    return frame.assign(applied_rate_basis=basis).rename(columns={"rate": "applied_2024_rate"})


def _countries(weights: pd.DataFrame, iso: Path, codes: Path, regions: Path) -> pd.DataFrame:
    names = pd.read_csv(codes, dtype=str).rename(columns={"Code": "cty_code", "Name": "name"})
    iso3 = pd.read_csv(iso, dtype=str).set_index("CTY_CODE")["ISO3"].to_dict() | ISO3_ADDED
    region = pd.read_csv(regions, dtype=str).set_index("cty_code")["partner"]
    used = sorted(weights["cty_code"].unique())
    table = names[names["cty_code"].isin(used)].copy()
    table["iso3"] = table["cty_code"].map(iso3)
    table["region"] = table["cty_code"].map(region).fillna("row")
    if table["iso3"].isna().any() or len(table) != len(used):
        raise SystemExit(f"country without ISO3 or name: {table[table['iso3'].isna()]}")
    taken = table["iso3"][table["iso3"] != ""]
    if taken.duplicated().any():
        raise SystemExit(f"duplicate ISO3: {taken[taken.duplicated()].tolist()}")
    return table[["cty_code", "iso3", "name", "region"]].sort_values("cty_code")


def main(weights_rds: str, twt: str, iso: str, codes: str, regions: str, out: str) -> None:
    import pyreadr  # type: ignore[import-not-found]  # curation-only dependency

    weights = next(iter(pyreadr.read_r(weights_rds).values()))
    weights = weights.rename(columns={"gtap_code": "sector"})
    duties = _tracker_duties(Path(twt))
    lines = _applied(weights, duties).sort_values(["hs10", "cty_code"]).reset_index(drop=True)
    if len(lines) != len(weights) or lines.duplicated(["hs10", "cty_code"]).any():
        raise SystemExit("the applied-rate join changed the rows")
    table = pa.table(
        {
            "hs10": pa.array(lines["hs10"]).dictionary_encode(),
            "cty_code": pa.array(lines["cty_code"]).dictionary_encode(),
            "imports_usd": pa.array(lines["imports"].round().astype("int64")),
            "applied_2024_rate": pa.array(lines["applied_2024_rate"], type=pa.float64()),
            "applied_rate_basis": pa.array(lines["applied_rate_basis"]).dictionary_encode(),
        }
    )
    out_dir = Path(out)
    pq.write_table(
        table,
        out_dir / "us_imports_2024_hs10_country.parquet",
        compression="zstd",
        compression_level=19,
    )
    products = weights.drop_duplicates("hs10")[["hs10", "sector"]].sort_values("hs10")
    products = products.assign(chapter=products["hs10"].str[:2], heading=products["hs10"].str[:4])
    products = products.merge(_mfn_estimate(duties), on="hs10", how="left")
    products = products.merge(_descriptions(Path(twt)), on="hs10", how="left")
    products["mfn_basis"] = products["mfn_basis"].fillna("sector_column1")
    products.to_csv(out_dir / "hs10_products_2024.csv", index=False, float_format="%.6g")
    _countries(weights, Path(iso), Path(codes), Path(regions)).to_csv(
        out_dir / "countries.csv", index=False
    )
    _report(lines, products)


def _report(lines: pd.DataFrame, products: pd.DataFrame) -> None:
    total = lines["imports"].sum()
    print(f"rows {len(lines):,}  countries {lines['cty_code'].nunique()}  ${total / 1e9:,.1f} bn")
    for basis, value in lines.groupby("applied_rate_basis")["imports"].sum().items():
        print(f"  applied rate {basis}: ${value / 1e9:,.1f} bn ({value / total:.1%})")
    print(products["mfn_basis"].value_counts().to_string())


if __name__ == "__main__":
    main(*sys.argv[1:7])
