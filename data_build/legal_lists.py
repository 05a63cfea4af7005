"""Curation step (run by a maintainer, never at run time): product lists read from the legal
texts themselves, written into ``analysis/data/product_lists.csv`` (its other lists, from
data_build/product_lists.py, are kept) and, for the lists a measure value names in
``exempt_lists``, their 2024 imports by sector x partner into
``analysis/data/exempt_lists_2024_by_sector_partner.csv``.

The 2018 Section 232 scope (SOURCES.md section 14):

* ``s232_steel_2018``: "steel articles, defined at the Harmonized Tariff Schedule (HTS)
  6-digit level as: 7206.10 through 7216.50, 7216.99 through 7301.10, 7302.10, 7302.40
  through 7302.90, and 7304.10 through 7306.90, including any subsequent revisions to these
  HTS classifications" (Proclamation 9705 clause 1, 83 FR 11625, as amended by Proclamation
  9711 clause 8, 83 FR 13361): every 2024 HS10 line whose HS6 lies in those ranges;
* ``s232_aluminum_2018``: "unwrought aluminum (HTS 7601); aluminum bars, rods, and profiles
  (HTS 7604); aluminum wire (HTS 7605); aluminum plate, sheet, strip, and foil (flat rolled
  products) (HTS 7606 and 7607); aluminum tubes and pipes and tube and pipe fittings (HTS
  7608 and 7609); and aluminum castings and forgings (HTS 7616.99.51.60 and 7616.99.51.70)"
  (Proclamation 9704 clause 1, 83 FR 11619);
* ``s232_steel_deriv_2020`` and ``s232_aluminum_deriv_2020``: the derivative articles of
  Proclamation 9980 (85 FR 5281), Annex II (steel: nails, tacks, staples 7317.00.30, .55,
  .65; bumper and body stampings of steel for motor vehicles 8708.10.30, 8708.29.21) and
  Annex I (aluminium: stranded wire, cables 7614.10.50, 7614.90.20, .40, .50; the same
  8708 stampings of aluminium), from 8 Feb 2020. The two 8708 subheadings are in both annexes
  (stampings of steel pay 25%, of aluminium 10%); the 2024 data cannot tell the metal, so they
  are counted on the steel list only (an overstatement where they are aluminium).

The Section 301 product exclusions in force from 2024 (SOURCES.md section 14):

* ``s301_exclusions``: the statistical reporting numbers of HTSUS U.S. note 20(vvv)(i)-(iv)
  (heading 9903.88.69) and 20(www) (9903.88.70), subchapter III of chapter 99, HTSUS 2026 Rev
  6: the 164 exclusions extended by 89 FR 46948 and the 14 solar-equipment exclusions of
  89 FR 76581, extended together to 10 Nov 2026. An exclusion that names a whole statistical
  reporting number (e.g. "(1) 8483.50.9040") exempts the line; one that describes a product
  "described in statistical reporting number ..." exempts only part of it: those lines are
  the separate list ``s301_exclusions_part``, which no measure applies (the part is unknown),
  kept so that its trade can be reported as the bound of what is left out. Only the codes in
  force for 2024 data (lines of the 2024 HS10 table) are kept. The exclusions lift the duties
  of Lists 1-4A only (9903.88.01-.04, .15), not those of the 2024 four-year review (9903.91):
  a line on both is left off the list (the build prints them).

The column-1 rate of the 2018 scope (``hs10_products_2024.csv``): the estimate of
data_build/line_imports.py is the import-weighted median applied rate of the partners that pay
the general rate, but on these lines most of them also paid the 2018 Section 232 duty in 2024
(Taiwan, Vietnam, India, Turkey, ...), so the median carries it (7210.49.00.91, column 1
"Free": 24.8%). On the lines of the four 2018 lists the estimate is therefore the lowest
applied rate among those partners with at least $50,000 of the line (a partner in quota, or an
importer holding an exclusion, pays the column-1 rate; a partner paying the duty on part of
its trade pays more), ``mfn_basis`` ``general_min_s232_2018``. The loader caps the baseline of
every country at it on these lines (analysis/inputs/lines.py), so the 2018 duty is restated by
the measures, not counted in the baseline.

Run it last: after data_build/line_imports.py, product_lists.py and exempt_lists.py, whose
outputs it completes (each of them rewrites its file whole).

Usage (needs pandas and pyarrow)::

    python data_build/legal_lists.py CHAPTER99_REV6.txt analysis/data
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

STEEL_RANGES = (
    ("720610", "721650"),
    ("721699", "730110"),
    ("730210", "730210"),
    ("730240", "730290"),
    ("730410", "730690"),
)
ALUMINUM = ("7601", "7604", "7605", "7606", "7607", "7608", "7609", "7616995160", "7616995170")
STEEL_DERIVATIVES = ("73170030", "73170055", "73170065", "87081030", "87082921")
ALUMINUM_DERIVATIVES = ("76141050", "76149020", "76149040", "76149050")
DERIVATIVES_START = "2020-02-08"
OWN_LISTS = (
    "s232_steel_2018",
    "s232_aluminum_2018",
    "s232_steel_deriv_2020",
    "s232_aluminum_deriv_2020",
    "s301_exclusions",
    "s301_exclusions_part",
)
CODE = re.compile(r"\b(\d{4})\.(\d{2})\.(\d{4})\b")
ITEM = re.compile(r"^\s*\((\d+)\)\s+(.*)$")
SUBDIVISION = re.compile(r"^\s*\((?:i|ii|iii|iv|vvv|www)\)")
PAGE_HEADER = (
    "Harmonized Tariff Schedule",
    "Annotated for Statistical",
    "XXII",
    "99 - III -",
    "U.S. Notes",
)


def steel_2018(hs10: pd.Series) -> list[str]:
    """The HS6 subheadings of the 2024 data inside Proclamation 9705's ranges."""
    hs6 = sorted(set(hs10.str[:6]))
    return [h for h in hs6 if any(lo <= h <= hi for lo, hi in STEEL_RANGES)]


def exclusion_items(chapter99: Path) -> list[tuple[str, list[str]]]:
    """(item text, its 10-digit codes) for every item of note 20(vvv)(i)-(iv) and (www)."""
    text = chapter99.read_text(encoding="latin-1").splitlines()
    start = next(i for i, t in enumerate(text) if t.startswith("(vvv)  (i) The U.S. Trade"))
    end = next(i for i, t in enumerate(text) if i > start and t.startswith("(21) (a)"))
    items: list[str] = []
    open_item = False
    for line in text[start:end]:
        if any(mark in line for mark in PAGE_HEADER) or not line.strip():
            continue
        match = ITEM.match(line)
        if match:
            items.append(match.group(2).strip())
            open_item = True
        elif SUBDIVISION.match(line):
            open_item = False  # the preamble of the next subdivision
        elif open_item and line.startswith(" "):
            items[-1] += " " + line.strip()
    return [(t, ["".join(c) for c in CODE.findall(t)]) for t in items]


def exclusions(chapter99: Path, hs10: pd.Series, review: set[str]) -> dict[str, list[str]]:
    """Whole-line and part-line exclusions, as 2024 HS10 lines (module docstring)."""
    known = set(hs10)
    whole: set[str] = set()
    part: set[str] = set()
    items = exclusion_items(chapter99)
    for text, codes in items:
        bare = CODE.fullmatch(text.strip()) is not None
        (whole if bare else part).update(c for c in codes if c in known)
    both = sorted((whole | part) & review)
    print(f"note 20(vvv)/(www): {len(items)} items; whole lines {len(whole)}, part {len(part)}")
    print(f"  on a 2024 four-year-review tranche too (left off): {both}")
    return {
        "s301_exclusions": sorted(whole - review),
        "s301_exclusions_part": sorted(part - whole - review),
    }


def _review_lines(lists: pd.DataFrame, hs10: pd.Series) -> set[str]:
    dated = lists[(lists["list"] == "s301_china") & lists["start"].fillna("").ne("")]
    return set(hs10[hs10.str.startswith(tuple(dated["hts_prefix"]))])


def exempt_cells(data: Path, hs10_on: list[str], name: str) -> pd.DataFrame:
    """2024 imports on the lines by sector x partner, with the cell's total."""
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    products = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})
    countries = pd.read_csv(data / "countries.csv", dtype=str)
    rows = rows.merge(products[["hs10", "sector"]], on="hs10").merge(
        countries[["cty_code", "region"]], on="cty_code"
    )
    totals = rows.groupby(["sector", "region"])["imports_usd"].sum()
    hit = rows[rows["hs10"].isin(hs10_on)].groupby(["sector", "region"])["imports_usd"].sum()
    return pd.DataFrame(
        [(name, s, p, round(v), round(totals[(s, p)])) for (s, p), v in hit.items() if v > 0],
        columns=["product_list", "sector", "partner", "exempt_imports_usd", "imports_usd"],
    )


MIN_IMPORTS_USD = 50_000


def metal_column1(data: Path, prefixes: tuple[str, ...]) -> None:
    """Rewrite the column-1 estimate of the lines under ``prefixes`` (module docstring)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from line_imports import NOT_GENERAL

    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    rows = rows[
        rows["hs10"].str.startswith(prefixes)
        & ~rows["cty_code"].isin(NOT_GENERAL)
        & rows["applied_rate_basis"].isin(["own", "eu_aggregate"])
        & (rows["imports_usd"] >= MIN_IMPORTS_USD)
    ]
    lowest = rows.groupby("hs10")["applied_2024_rate"].min()
    products = pd.read_csv(data / "hs10_products_2024.csv", dtype=str, keep_default_na=False)
    at = products["hs10"].isin(lowest.index)
    before = pd.to_numeric(products.loc[at, "mfn_2024_rate"])
    after = products.loc[at, "hs10"].map(lowest)
    products.loc[at, "mfn_2024_rate"] = after.map(lambda r: f"{r:.6g}")
    products.loc[at, "mfn_basis"] = "general_min_s232_2018"
    print(
        f"column 1 of the 2018 scope: {int(at.sum())} lines, mean {before.mean():.4f} -> "
        f"{after.mean():.4f}"
    )
    products.to_csv(data / "hs10_products_2024.csv", index=False)


def main(chapter99: str, data_dir: str) -> None:
    data = Path(data_dir)
    hs10 = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})["hs10"]
    lists = pd.read_csv(data / "product_lists.csv", dtype={"hts_prefix": str, "start": str})
    lists = lists[~lists["list"].isin(OWN_LISTS)]
    new = {
        "s232_steel_2018": (steel_2018(hs10), ""),
        "s232_aluminum_2018": (list(ALUMINUM), ""),
        "s232_steel_deriv_2020": (list(STEEL_DERIVATIVES), DERIVATIVES_START),
        "s232_aluminum_deriv_2020": (list(ALUMINUM_DERIVATIVES), DERIVATIVES_START),
    }
    for name, codes in exclusions(Path(chapter99), hs10, _review_lines(lists, hs10)).items():
        new[name] = (codes, "")
    frames = [lists]
    for name, (prefixes, start) in new.items():
        hit = int(hs10.str.startswith(tuple(prefixes)).sum())
        print(f"{name}: {len(prefixes)} prefixes, {hit} HS10 lines of the 2024 data")
        frames.append(pd.DataFrame({"list": name, "hts_prefix": prefixes, "start": start}))
    out = pd.concat(frames, ignore_index=True)[["list", "hts_prefix", "rate", "start"]]
    out.to_csv(data / "product_lists.csv", index=False)
    scope = tuple(p for n in OWN_LISTS[:4] for p in new[n][0])
    metal_column1(data, scope)
    cells_file = data / "exempt_lists_2024_by_sector_partner.csv"
    cells = pd.read_csv(cells_file)
    cells = cells[cells["product_list"] != "s301_exclusions"]
    excluded = exempt_cells(data, new["s301_exclusions"][0], "s301_exclusions")
    pd.concat([cells, excluded], ignore_index=True).to_csv(cells_file, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
