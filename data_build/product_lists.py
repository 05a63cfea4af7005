"""Curation step (run by a maintainer, never at run time): the product lists of the measures,
one row per list and HTS prefix, for the line-level engine (analysis/policy/lines.py).

Each list copies a legal text (analysis/data/SOURCES.md section 13 cites each):

* ``s232_autos``: passenger vehicles 8703.22-.90 and light trucks 8704.21.01, .31.01, .41.00,
  .51.00 (Proclamation 10908 Annex; HTSUS 9903.94.01);
* ``s232_auto_parts``: the parts of Proclamation 10908 Annex I as amended (9903.94.05; HTSUS
  note 33(g)), the tracker's ``resources/s232_auto_parts.txt`` (it matches the note), less
  ``s232_auto_parts_general``: the whole headings the note lists outside chapter 87 (8471,
  automatic data-processing machines: $138.5 bn of 2024 imports), general-purpose provisions
  of which only the automobile parts are in scope (note 33(f): "automobile parts ... include
  engines ..., electrical components, and parts of passenger vehicles");
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
* ``ieepa_annex_ii``: EO 14257 Annex II as amended, read from the legal text itself: the
  subheadings of HTSUS note 2(v)(iii)(a) (heading 9903.01.32) and the particular articles of
  note 2(v)(iii)(b) (9903.02.78) in the Chapter 99 notes of HTSUS 2026 Rev 6 (the tracker's
  ``data/us_notes/chapter99_2026_rev_6.txt``), less the food lines of EO 14360
  (``ag_exclusion_eo14360``, exempt only from 13 Nov 2025). The tracker's own
  ``resources/ieepa_exempt_products.csv`` adds lines the note does not list (civil aircraft of
  chapter 88 among them); the build prints the difference;
* ``informational_materials``: HS chapters 49 and 97, for heading 9903.01.31 (informational
  materials: publications, films, artworks, 50 U.S.C. 1702(b)(3)); whole chapters, as the
  tracker reads it (a few lines, e.g. calendars, may not qualify);
* ``ita_electronics``, ``ag_exclusion_eo14360``: as data_build/exempt_lists.py;
* ``s122_annex_ii``: Proclamation 11012 Annex II, the tracker's
  ``resources/s122_exempt_products.csv``;
* ``brazil_eo14323_annex_i``, ``brazil_eo14323_from_20251113``: as data_build/member_imports.py;
* ``eu_floor_exempt`` (HTSUS 9903.02.74-.77, note 2(v)(xx)-(xxiii): PTAAP goods, civil aircraft
  and their parts, generic pharmaceuticals of the EU; from 1 Sep 2025), ``swiss_floor_exempt``
  (9903.02.84-.86, from 14 Nov 2025), ``korea_floor_exempt`` (civil aircraft, 9903.02.81,
  from 14 Nov 2025), ``japan_floor_exempt`` (civil aircraft, 9903.96.02, from 16 Sep 2025):
  the tracker's ``resources/floor_exempt_products.csv``; each row carries its start date.

Usage (tracker files from ``Budget-Lab-Yale/tariff-rate-tracker`` @ 8315fffd)::

    python data_build/product_lists.py TRACKER_RESOURCES_DIR CHAPTER99_REV6.txt PRODUCTS.csv \
        OUT.csv
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from china_section301 import JAN_2026, RATES, S301_BY_LAW, STARTS
from exempt_lists import EO14360_CHAPTERS, ITA_ELECTRONICS
from section232_vehicles import AUTOS, BUSES, MHD

LUMBER = ("44031100", "44032101", "44032201", "44032301", "44032401", "44032501", "44032601")
LUMBER += ("44039901", "44061100", "44069100", "44071100", "44071200", "44071300", "44071400")
LUMBER += ("44071900",)
FURNITURE = ("9401614011", "9401614031", "9401616011", "9401616031")
FURNITURE += ("9403409060", "9403608093", "9403910080")
# The deals' exemptions from the all-in floors: tracker country group -> (list, legal start).
# Provisions of the civil-aircraft lists that are aircraft goods by their HTS text (aircraft,
# their parts, turbojets, aircraft piston engines and their parts, navigation instruments).
# The lists also name general provisions (plastic tubes, gaskets, motors, bearings ...) that
# are exempt only when certified for civil aircraft (General Note 6): an unknown, likely small,
# part of their trade, taken as none.
AIRCRAFT = ("88", "8411", "840710", "840910", "901420")
FLOOR_LISTS = {
    "eu": ("eu_floor_exempt", "2025-09-01"),
    "swiss": ("swiss_floor_exempt", "2025-11-14"),
    "korea": ("korea_floor_exempt", "2025-11-14"),
    "japan": ("japan_floor_exempt", "2025-09-16"),
}


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
    by_law = pd.DataFrame(S301_BY_LAW, columns=["hts_prefix", "rate", "start"])
    frame = pd.concat([frame, by_law], ignore_index=True)
    # A line on two lists of one date pays the highest (HTSUS note 20: the later list's rate).
    frame = frame.groupby(["hts_prefix", "start"], as_index=False)["rate"].max()
    return frame.assign(list="s301_china")


def _note_codes(chapter99: Path) -> pd.Series:
    """The HTS codes of note 2(v)(iii)(a) and (b) of subchapter III of chapter 99 (Rev 6)."""
    text = chapter99.read_text(encoding="latin-1").splitlines()
    start = next(i for i, t in enumerate(text) if "As provided for in heading 9903.01.32" in t)
    end = next(i for i, t in enumerate(text) if i > start and "As provided in 9903.01.26" in t)
    body = "\n".join(text[start + 3 : end])
    codes = re.findall(r"(?<![\d.])(\d{4}(?:\.\d{2}){0,1}(?:\.\d{2,4}){0,1})(?![\d.])", body)
    codes = [c for c in codes if not c.startswith(("9903", "2026"))]
    return pd.Series(sorted(set(codes))).str.replace(".", "", regex=False)


def _japan_aircraft(chapter99: Path) -> list[str]:
    """The provisions of U.S. note 35(b) to subchapter III (heading 9903.96.02, Japan)."""
    text = chapter99.read_text(encoding="latin-1").splitlines()
    start = next(i for i, t in enumerate(text) if "(b) As provided in heading 9903.96.02" in t)
    end = next(i for i, t in enumerate(text) if i > start and t.startswith("36. "))
    codes = re.findall(r"\d{4}\.\d{2}(?:\.\d{2,4})?", "\n".join(text[start:end]))
    return sorted({c.replace(".", "") for c in codes if not c.startswith("9903")})


def _compare(annex: pd.Series, tracker_file: Path, hs10: pd.Series) -> None:
    tracker = _digits(pd.read_csv(tracker_file, dtype=str)["hts10"]).str[:10]
    legal = hs10[hs10.str.startswith(tuple(annex))]
    theirs = hs10[hs10.str.startswith(tuple(tracker))]
    extra = sorted(set(theirs) - set(legal))
    missing = sorted(set(legal) - set(theirs))
    print(f"Annex II: note {len(set(legal))} HS10 lines; tracker file {len(set(theirs))}")
    print(f"  in the tracker file, not in the note: {len(extra)} (chapters {_chapters(extra)})")
    print(f"  in the note, not in the tracker file: {len(missing)} (chapters {_chapters(missing)})")


def _chapters(lines: list[str]) -> str:
    counts = pd.Series([x[:2] for x in lines]).value_counts().head(8)
    return ", ".join(f"{k}: {v}" for k, v in counts.items())


def main(resources: str, chapter99: str, products: str, out: str) -> None:
    res = Path(resources)
    hs10 = pd.read_csv(products, dtype=str)["hs10"]
    annex = _note_codes(Path(chapter99))
    _compare(annex, res / "ieepa_exempt_products.csv", hs10)
    ag = tuple(annex[annex.str[:2].isin(EO14360_CHAPTERS)])
    auto_parts = _lines(res / "s232_auto_parts.txt")
    general = tuple(p for p in auto_parts if len(p) == 4 and not p.startswith("87"))
    on_parts = hs10[hs10.str.startswith(auto_parts)]
    mhd_parts = tuple(p for p in _lines(res / "s232_mhd_parts.txt") if p not in auto_parts)
    mhd_parts = tuple(p for p in mhd_parts if not on_parts.str.startswith(p).all())
    eo = pd.read_csv(res / "country_eo_exempt_products.csv", comment="#", dtype=str)
    eo = eo[eo["ch99_code"] == "9903.01.77"]
    lists = {
        "s232_autos": AUTOS,
        "s232_auto_parts": tuple(p for p in auto_parts if p not in general),
        "s232_auto_parts_general": general,
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
        "informational_materials": ("49", "97"),
        "s122_annex_ii": tuple(
            _digits(pd.read_csv(res / "s122_exempt_products.csv", dtype=str)["hts8"])
        ),
        "brazil_eo14323_annex_i": tuple(
            _digits(eo.loc[eo["effective_date_start"] == "2025-08-06", "hts10"])
        ),
        "brazil_eo14323_from_20251113": tuple(_digits(eo["hts10"])),
    }
    rows = [
        pd.DataFrame({"list": name, "hts_prefix": sorted(set(p)), "rate": None, "start": ""})
        for name, p in lists.items()
    ]
    floors = pd.read_csv(res / "floor_exempt_products.csv", dtype=str)
    for group, (name, start) in FLOOR_LISTS.items():
        mine = floors[floors["country_group"] == group]
        aircraft = _digits(mine.loc[mine["category"] == "civil_aircraft", "hts8"])
        if group == "japan":
            aircraft = pd.Series(_japan_aircraft(Path(chapter99)))
        other = _digits(mine.loc[mine["category"] != "civil_aircraft", "hts8"])
        prefixes = sorted(set(other) | set(aircraft[aircraft.str.startswith(AIRCRAFT)]))
        rows.append(
            pd.DataFrame({"list": name, "hts_prefix": prefixes, "rate": None, "start": start})
        )
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
    main(*sys.argv[1:5])
