"""Curation step (run by a maintainer, never at run time): the product lists of the measures,
one row per list and HTS prefix, for the line-level engine (analysis/policy/lines.py).

Each list copies a legal text (analysis/data/SOURCES.md section 13 cites each):

* ``s232_autos``: passenger vehicles 8703.22-.90 and light trucks 8704.21.01, .31.01, .41.00,
  .51.00 (Proclamation 10908 Annex; HTSUS 9903.94.01);
* ``s232_auto_parts``: the parts of Proclamation 10908 Annex I as amended (9903.94.05), the
  tracker's ``resources/s232_auto_parts.txt``;
* ``s232_mhd_vehicles``, ``s232_mhd_parts`` (less the lines on the auto-parts list), ``s232_buses``
  (8702): Proclamation 10984 (9903.74);
* ``s232_steel_aluminum``: HS chapters 72, 73 and 76 (Proclamations 10895 and 10896, 90 FR 9807
  and 9817, which extend the 2018 scope to the derivative articles of chapters 73 and 76; the
  tracker's ``section_232_chapters``);
* ``s232_copper``: the copper articles of HTSUS note 36(b) (9903.78.01), the tracker's
  ``resources/s232_copper_products.csv``;
* ``s232_lumber`` (9903.76.01 softwood) and ``s232_furniture`` (9903.76.02/.03 upholstered
  furniture and kitchen cabinets): Proclamation 10976, prefixes of the tracker's
  ``config/policy_params.yaml``;
* ``s301_china``: HTSUS notes 20 and 31 (Lists 1-4A; the 2024 four-year review tranches), the
  tracker's ``resources/s301_product_lists.csv``, with each heading's rate and start date (the
  rates of data_build/china_section301.py); List 4B (suspended) is left out;
* ``ieepa_annex_ii``: EO 14257 Annex II as amended (HTSUS note 2(v)(iii), 9903.01.32), the
  tracker's ``resources/ieepa_exempt_products.csv``, less the food lines of EO 14360
  (``ag_exclusion_eo14360``, exempt only from 13 Nov 2025);
* ``ita_electronics``, ``ag_exclusion_eo14360``: as data_build/exempt_lists.py;
* ``s122_annex_ii``: Proclamation 11012 Annex II, the tracker's
  ``resources/s122_exempt_products.csv``;
* ``brazil_eo14323_annex_i``, ``brazil_eo14323_from_20251113``: as data_build/member_imports.py.

Usage (tracker files from ``Budget-Lab-Yale/tariff-rate-tracker`` @ 8315fffd)::

    python data_build/product_lists.py TRACKER_RESOURCES_DIR PRODUCTS.csv OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from china_section301 import JAN_2026, RATES, STARTS
from exempt_lists import EO14360_CHAPTERS, ITA_ELECTRONICS
from section232_vehicles import AUTOS, BUSES, MHD

LUMBER = ("44031100", "44032101", "44032201", "44032301", "44032401", "44032501", "44032601")
LUMBER += ("44039901", "44061100", "44069100", "44071100", "44071200", "44071300", "44071400")
LUMBER += ("44071900",)
FURNITURE = ("9401614011", "9401614031", "9401616011", "9401616031")
FURNITURE += ("9403409060", "9403608093", "9403910080")


def _lines(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8").splitlines()
    return tuple(s.strip() for s in text if s.strip() and not s.startswith("#"))


def _digits(series: pd.Series) -> pd.Series:
    return series.astype(str).str.replace(".", "", regex=False).str.strip()


def _s301(path: Path) -> pd.DataFrame:
    lists = pd.read_csv(path, dtype=str)
    lists = lists[lists["list"] != "4B"]
    rate = [
        JAN_2026[code] if name == "biden_jan26" else RATES[name]
        for name, code in zip(lists["list"], lists["ch99_code"], strict=True)
    ]
    start = lists["list"].map(STARTS).fillna("2024-09-27")
    start = start.where(lists["list"].str.startswith(("biden", "cranes")), "")
    frame = pd.DataFrame({"hts_prefix": lists["hts8"], "rate": rate, "start": start})
    # A line on two lists of one date pays the highest (HTSUS note 20: the later list's rate).
    frame = frame.groupby(["hts_prefix", "start"], as_index=False)["rate"].max()
    return frame.assign(list="s301_china")


def main(resources: str, products: str, out: str) -> None:
    res = Path(resources)
    hs10 = pd.read_csv(products, dtype=str)["hs10"]
    annex = _digits(pd.read_csv(res / "ieepa_exempt_products.csv", dtype=str)["hts10"])
    # The tracker writes 8505.11.0070 (note 2(v)(iii)(a)) as the 12-digit 850511007000.
    annex = annex.where(annex.str.len() <= 10, annex.str[:10])
    ag = tuple(annex[annex.str[:2].isin(EO14360_CHAPTERS)])
    auto_parts = _lines(res / "s232_auto_parts.txt")
    on_parts = hs10[hs10.str.startswith(auto_parts)]
    mhd_parts = tuple(p for p in _lines(res / "s232_mhd_parts.txt") if p not in auto_parts)
    mhd_parts = tuple(p for p in mhd_parts if not on_parts.str.startswith(p).all())
    eo = pd.read_csv(res / "country_eo_exempt_products.csv", comment="#", dtype=str)
    eo = eo[eo["ch99_code"] == "9903.01.77"]
    lists = {
        "s232_autos": AUTOS,
        "s232_auto_parts": auto_parts,
        "s232_mhd_vehicles": MHD,
        "s232_mhd_parts": mhd_parts,
        "s232_buses": BUSES,
        "s232_steel_aluminum": ("72", "73", "76"),
        "s232_copper": tuple(_digits(pd.read_csv(res / "s232_copper_products.csv")["hts10"])),
        "s232_lumber": LUMBER,
        "s232_furniture": FURNITURE,
        "ieepa_annex_ii": tuple(a for a in annex if a not in set(ag)),
        "ag_exclusion_eo14360": ag,
        "ita_electronics": ITA_ELECTRONICS,
        "s122_annex_ii": tuple(_digits(pd.read_csv(res / "s122_exempt_products.csv")["hts8"])),
        "brazil_eo14323_annex_i": tuple(
            _digits(eo.loc[eo["effective_date_start"] == "2025-08-06", "hts10"])
        ),
        "brazil_eo14323_from_20251113": tuple(_digits(eo["hts10"])),
    }
    rows = [
        pd.DataFrame({"list": name, "hts_prefix": sorted(set(p)), "rate": None, "start": ""})
        for name, p in lists.items()
    ]
    frame = pd.concat([*rows, _s301(res / "s301_product_lists.csv")], ignore_index=True)
    frame = frame[["list", "hts_prefix", "rate", "start"]]
    bad = frame[~frame["hts_prefix"].str.fullmatch(r"\d{2,10}")]
    if not bad.empty:
        raise SystemExit(f"bad prefixes: {bad.head()}")
    frame.to_csv(out, index=False)
    for name, group in frame.groupby("list", sort=False):
        hit = hs10.str.startswith(tuple(group["hts_prefix"])).sum()
        print(f"{name}: {len(group)} prefixes, {hit} HS10 lines of the 2024 data")


if __name__ == "__main__":
    main(*sys.argv[1:4])
