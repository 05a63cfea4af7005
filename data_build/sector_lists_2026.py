"""Curation step (run by a maintainer, never at run time): the product lists of the 2026
country measures, written into ``analysis/data/product_lists_2026.csv`` (same columns as
``product_lists.csv``; read with it by analysis/inputs/product_lists.py). SOURCES.md section 19.

Section 338 on Canada (HTSUS subchapter III U.S. note 51, headings 9903.03.12-.16; Proclamations
11046, 11047, 11048 and 11056, from 22 Aug 2026; 11064 and 11065 from 15 Sep 2026):

* ``s338_alcohol_rev17`` (51(b)(1), 9903.03.12: 63 provisions), ``s338_dairy`` (51(b)(2),
  9903.03.13: 52) and ``s338_basket_rev17`` (51(b)(3), 9903.03.14: 439): the HTS8 lists of the
  SAIL-Engineering fork of the Budget Lab tracker, ``resources/s338_products.csv`` @ b45e489b
  (MIT), which gives 63 / 52 / 439 = 554 provisions, the counts of note 51(b) in HTSUS 2026
  Rev 17 as a second, independent transcription of the note reports them;
* ``s338_alcohol_rev19`` and ``s338_basket_rev19``: the lists from 15 Sep 2026 (HTSUS 2026
  Rev 19; Proclamations 11064, 11065): the Rev 17 lists with the changes enumerated line by
  line in that transcription (REV19_* below). Its additions given only as ranges (23 cheese
  provisions of 0406, ten of 4802.61-.69, three of 7604, sixteen of 8307-8311, 32 seats and
  furniture provisions of 9401/9403/9404, six lamps of 9405.21/.29) are left out: the build
  prints the 2024 imports from Canada they could reach;
* ``s338_alcohol_rev19``, ``s338_dairy_rev19`` and ``s338_basket_rev19`` carry each line's rate
  (``rates_from_list`` of section338_canada_rev19): 50%, and on the dairy list 1000% from 29
  Sep 2026, the import ban of Proclamation 11062 taken to cover the whole note 51(b)(2) list
  (secondary sources only; a ban is a prohibitive 1000% in this package);
* ``civil_aircraft_gn6``: the civil aircraft provisions of general note 6, read from the legal
  text itself: HTSUS 2026 Rev 6 chapter 99 note 2(aa)(iv) (heading 9903.03.05), the list
  that notes 50(a)(iv) (Brazil) and 51(d) (Canada, 9903.03.16) repeat; the build checks it is
  the fork's Brazil aircraft list code for code. As for the deals' aircraft lists
  (SOURCES.md section 14), only the aircraft goods of the list are kept (HS ch. 88, 8411,
  8407.10, 8409.10, 9014.20): the general provisions it names (tubes, gaskets, motors,
  bearings, seats) are exempt only when certified for civil aircraft, a share not in the data,
  so none of them is exempted (an understatement of the exemption).

Section 301 on Brazil (U.S. note 50, headings 9903.05.01-.09; USTR, 91 FR 45516, from 22 Jul
2026): ``s301br_exempt`` (50(a)(ii) and (iii): 875 HTS8 exempt outright) and
``s301br_pharma_use`` (50(a)(v): 705 HTS8 exempt when for pharmaceutical use), the fork's
``resources/s301_brazil_exempt_products.csv`` and ``s301_brazil_pharma_products.csv`` @
2389f842 (MIT, extracted by the fork from the final notice's annex); with the 546 aircraft-use
provisions (50(a)(iv)) they make the 2,126 provisions of the annex.

Section 232 on polysilicon and its derivatives (Proclamation 11052 of 6 Aug 2026, from 4 Dec
2026; Annex I): ``s232_polysilicon``, the solar cells 8541.42.00.10/.80 and modules
8541.43.00.10/.80 of the additional ad valorem duty (9903.45.30-.32), as a maintainer's review
of the proclamation and its Annex I (a fork's plan of 7 Aug 2026, secondary) lists them. The
ingots and wafers (3818.00.00.20/.40/.45/.50/.91) are left out: those statistical numbers are
not the 2024 ones (3818.00.00.10/.90, mostly wafers for integrated circuits), and raw
polysilicon (2804.61) pays only a minimum import price (a specific duty; not modelled).

Section 232 on unmanned aircraft systems (Proclamation 11055, HTSUS note 43, from 3 Sep 2026):
``s232_uas_large``, the provisions of note 43(c)(1) always under 9903.08.21 (100%: 8806.24,
.29, .94, .99), and ``s232_uas_small``, those of 43(c)(3)-(4) under 9903.08.22 (25% unless the
drone carries a thermal imager, then 100%; the share is not in the data, so 25%: 8806.21-.23,
.91-.93), as a third-party engine's transcription of note 43 (HTSUS 2026 Rev 18) gives them.
Docking stations and parts under general-purpose provisions (8504.40.95.80, 8537.10.91.70,
8807) are taxed only for UAS use (not modelled).

Usage (the fork's ``resources/`` folder and the Budget Lab tracker's
``data/us_notes/chapter99_2026_rev_6.txt`` @ 8315fffd)::

    python data_build/sector_lists_2026.py SAIL_RESOURCES_DIR CHAPTER99_REV6.txt analysis/data
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pandas as pd

OUT = "product_lists_2026.csv"
SHA256 = {  # the fork's files as read (commits b45e489b and 2389f842)
    "s338_products.csv": "9d49769738a98d5596e1bee2434a74e1ddf5eae1b0404cd036a7966449a4dfa6",
    "s301_brazil_exempt_products.csv": (
        "077e763ba3e2a8cfd8bf56a52dc2f04f5bafdf8eef53dd771ca9099386623898"
    ),
    "s301_brazil_aircraft_products.csv": (
        "5268dc619bca936b7f87625c96369516d7074066960d38d4319e72a1acca84cd"
    ),
    "s301_brazil_pharma_products.csv": (
        "322c0f562649cce35674df0d7c34ee7d5d4ada381784ba3873ec564100bcdab7"
    ),
}
# HTSUS 2026 Rev 19, note 51(b)(1) and (b)(3) from 15 Sep 2026: the changes the transcription
# enumerates (a provision narrowed to statistical numbers is removed and its numbers added).
REV19_ALCOHOL_OUT = ("22083060", "22087000")
REV19_ALCOHOL_IN = (
    "15180040",
    "2208306020",
    "2208306040",
    "2208306055",
    "2208306065",
    "2208306075",
    "2208700030",
    "41015010",
    "41019010",
    "41071150",
    "43016060",
    "43021930",
    "43021945",
    "43021960",
    "89033100",
    "89033200",
    "89039320",
)
REV19_BASKET_OUT = (
    "25010000",
    "25232900",
    "29400060",
    "48030040",
    "78011000",
    "48189000",
    "85371091",
    "95071000",
)
REV19_BASKET_IN = (
    "04069099",
    "73089030",
    "73089060",
    "73089095",
    "76081000",
    "76082000",
    "8537109130",
    "8537109150",
    "8537109160",
    "8537109170",
    "87031050",
    "87032101",
    "89039921",
    "4818900020",
    "9507100040",
)
# The Rev 19 additions given only as ranges (not listed): HS prefixes they fall in.
REV19_RANGES = ("0406", "480261", "480262", "480269", "7604", "8307", "8308", "8309", "8310")
REV19_RANGES += ("8311", "94014", "94015", "94016", "94017", "94018", "94019", "94033")
REV19_RANGES += ("94034", "94035", "94036", "94037", "94038", "940410", "940421", "940429")
REV19_RANGES += ("940521", "940529")
AIRCRAFT_GOODS = ("88", "8411", "840710", "840910", "901420")
CODE = re.compile(r"\b(\d{4})\.(\d{2})\.(\d{2})\b")


def checked(folder: Path, name: str) -> pd.DataFrame:
    """One of the fork's files, after checking it is the version read."""
    path = folder / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256[name]:
        raise SystemExit(f"{path}: sha256 {digest}, expected {SHA256[name]}")
    return pd.read_csv(path, dtype=str)


def civil_aircraft(chapter99: Path) -> list[str]:
    """The HTS8 provisions of note 2(aa)(iv) (heading 9903.03.05) of HTSUS 2026 Rev 6."""
    text = chapter99.read_text(encoding="latin-1")
    start = text.index("(iv) As provided in heading 9903.03.05")
    end = text.index("(v) As provided in heading 9903.03.06", start)
    codes = {"".join(m) for m in CODE.findall(text[start:end])}
    return sorted(c for c in codes if not c.startswith("99"))


def section338(sail: pd.DataFrame) -> dict[str, list[str]]:
    """The note 51(b) lists of Rev 17 and Rev 19 (module docstring)."""
    by = {p: list(g["hts8"]) for p, g in sail.groupby("program")}
    alcohol, dairy, basket = by["alcohol"], by["dairy"], by["motor_vehicles"]
    print(f"note 51(b) Rev 17: (1) {len(alcohol)}, (2) {len(dairy)}, (3) {len(basket)}")
    assert (len(alcohol), len(dairy), len(basket)) == (63, 52, 439)
    assert set(REV19_ALCOHOL_OUT) <= set(alcohol) and set(REV19_BASKET_OUT) <= set(basket)
    alcohol19 = sorted(set(alcohol) - set(REV19_ALCOHOL_OUT) | set(REV19_ALCOHOL_IN))
    basket19 = sorted(set(basket) - set(REV19_BASKET_OUT) | set(REV19_BASKET_IN))
    return {
        "s338_alcohol_rev17": alcohol,
        "s338_dairy": dairy,
        "s338_basket_rev17": basket,
        "s338_alcohol_rev19": alcohol19,
        "s338_dairy_rev19": dairy,
        "s338_basket_rev19": basket19,
    }


POLYSILICON = ("8541420010", "8541420080", "8541430010", "8541430080")
UAS_LARGE = ("88062400", "88062900", "88069400", "88069900")
UAS_SMALL = ("88062100", "88062200", "88062300", "88069100", "88069200", "88069300")
RATED = {"s232_uas_large": "1", "s232_uas_small": "0.25"}
RATE_338 = "0.5"
BAN = ("s338_dairy_rev19", "10", "2026-09-29")  # the dairy ban: prohibitive from its date


def rows_of(lists: dict[str, list[str]]) -> pd.DataFrame:
    """One row per list and code; the Rev 19 lists with their rates (module docstring)."""
    out = []
    for name, codes in lists.items():
        rate = RATE_338 if name.endswith("_rev19") else RATED.get(name, "")
        out += [(name, code, rate, "") for code in codes]
        if name == BAN[0]:
            out += [(name, code, BAN[1], BAN[2]) for code in codes]
    return pd.DataFrame(out, columns=["list", "hts_prefix", "rate", "start"])


def report(lists: dict[str, list[str]], data: Path) -> None:
    """Print each list's 2024 imports from Canada and Brazil, and codes not in the data."""
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    hs10 = pd.Series(sorted(set(rows["hs10"])))
    for name, codes in lists.items():
        hit = hs10[hs10.str.startswith(tuple(codes))]
        missing = [c for c in codes if not hs10.str.startswith(c).any()]
        on = rows["hs10"].isin(hit)
        canada = rows.loc[on & (rows["cty_code"] == "1220"), "imports_usd"].sum()
        brazil = rows.loc[on & (rows["cty_code"] == "3510"), "imports_usd"].sum()
        print(
            f"{name}: {len(codes)} provisions, {hit.size} HS10 lines, {len(missing)} not in"
            f" the 2024 data; 2024 imports from Canada ${canada / 1e9:.2f} bn, Brazil"
            f" ${brazil / 1e9:.2f} bn"
        )
    ranged = rows["hs10"].str.startswith(REV19_RANGES) & (rows["cty_code"] == "1220")
    left_out = rows.loc[ranged, "imports_usd"].sum() / 1e9
    print(f"Rev 19 range additions left out: at most ${left_out:.2f} bn from Canada")


def main(sail_dir: str, chapter99: str, data_dir: str) -> None:
    folder, data = Path(sail_dir), Path(data_dir)
    lists = section338(checked(folder, "s338_products.csv"))
    aircraft = civil_aircraft(Path(chapter99))
    fork_aircraft = sorted(checked(folder, "s301_brazil_aircraft_products.csv")["hts8"])
    same = aircraft == fork_aircraft
    print(f"note 2(aa)(iv): {len(aircraft)} provisions; the fork's 50(a)(iv) list equal: {same}")
    assert aircraft == fork_aircraft
    lists["civil_aircraft_gn6"] = [c for c in aircraft if c.startswith(AIRCRAFT_GOODS)]
    lists["s301br_exempt"] = sorted(checked(folder, "s301_brazil_exempt_products.csv")["hts8"])
    lists["s301br_pharma_use"] = sorted(checked(folder, "s301_brazil_pharma_products.csv")["hts8"])
    lists["s232_polysilicon"] = list(POLYSILICON)
    lists["s232_uas_large"] = list(UAS_LARGE)
    lists["s232_uas_small"] = list(UAS_SMALL)
    union = set(aircraft) | set(lists["s301br_exempt"]) | set(lists["s301br_pharma_use"])
    print(f"note 50(a)(ii)-(v): {len(union)} provisions (the annex lists 2,126)")
    report(lists, data)
    rows_of(lists).to_csv(data / OUT, index=False)
    print_cell_shares(data, lists)


def cell_shares(data: Path, codes: list[str], countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """The share of each sector x region's 2024 imports on ``codes`` (of the Census codes
    ``countries`` only, if given): the cell engine's fallback ``sectors`` (or
    ``exempt_sectors``) of a measure (params/measures), printed for the maintainer to copy."""
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    products = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})
    regions = pd.read_csv(data / "countries.csv", dtype=str)[["cty_code", "region"]]
    rows = rows.merge(products[["hs10", "sector"]], on="hs10").merge(regions, on="cty_code")
    if countries:
        rows = rows[rows["cty_code"].isin(countries)]
    on = rows["hs10"].str.startswith(tuple(codes))
    total = rows.groupby(["sector", "region"])["imports_usd"].sum()
    hit = rows[on].groupby(["sector", "region"])["imports_usd"].sum()
    return (hit / total).dropna().round(4).rename("share").reset_index()


def print_cell_shares(data: Path, lists: dict[str, list[str]]) -> None:
    """The fallback sector shares of the new measures (module docstring)."""
    groups = {
        "section338_canada": (["s338_alcohol_rev17", "s338_dairy", "s338_basket_rev17"], ("1220",)),
        "section338_canada_rev19": (
            ["s338_alcohol_rev19", "s338_dairy_rev19", "s338_basket_rev19"],
            ("1220",),
        ),
        "section232_drones": (["s232_uas_large", "s232_uas_small"], ()),
        "section232_polysilicon": (["s232_polysilicon"], ()),
        "section301_brazil_2026 (exempt)": (["s301br_exempt", "civil_aircraft_gn6"], ("3510",)),
    }
    for measure, (names, countries) in groups.items():
        codes = [c for n in names for c in lists[n]]
        shares = cell_shares(data, codes, countries)
        print(measure, shares[shares["share"] > 0].to_dict("records"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
