"""Curation step (run by a maintainer, never at run time): the product lists of the 2025
Section 232 steel and aluminium regime (12 Mar 2025 to 5 Apr 2026) and the metal content of
its derivative lines, written into ``analysis/data/product_lists.csv`` (its other lists are
kept) and ``analysis/data/metal_content_2025.csv``.

The law (SOURCES.md section 22): Proclamations 10896 (steel, 90 FR 9817) and 10895
(aluminium, 90 FR 9807) of 10 Feb 2025, from 12 Mar 2025; Proclamation 10947 (90 FR 24199)
from 4 Jun 2025; the BIS inclusions of 18 Aug 2025 (FR Doc 2025-15819, 90 FR 40326). Lists:

* ``s232_2025_steel``: steel articles (heading 9903.81.87, note 16(b)): the HTS ranges of
  Proclamation 9705 clause 1 that Proclamation 10896 keeps (7206.10 through 7216.50, 7216.99
  through 7301.10, 7302.10, 7302.40 through 7302.90, 7304.10 through 7306.90). Pig iron,
  ferro-alloys, scrap and granules (7201-7205) are not steel articles.
* ``s232_2025_aluminum``: aluminium articles (heading 9903.85.02, note 19(g), read from
  HTSUS 2026 Rev 6, which still compiles note 19): 7601, 7604-7609 and the castings and
  forgings of 7616.99.51 (statistical lines 7616.99.51.60 and .70).
* ``s232_2025_derivatives``: every derivative provision, with its start: steel note 16(l)
  (9903.81.89, the 2020 derivatives of Proclamation 9980: nails 7317.00.30/.55/.65/.75, bumper
  and body stampings 8708.10.30, 8708.29.21); steel note 16(m)-(n) (9903.81.90/.91, March
  2025): its text was not found; the trade press counts 155 chapter 73 subheadings and 12
  items of chapters 84, 85 and 94; the chapter 73 part is reconstructed from the 2026
  annexes (:func:`chapter73_from_2026`), the others are the copy's (prefabricated buildings); aluminium note 19(i), (j), (k) (9903.85.04, .07,
  .08) read from HTSUS 2026 Rev 6; (k) lines not on the March 2025 list start on
  2025-08-18; the steel inclusions (9903.81.91, note 16(n)) start on 2025-08-18.

Metal content (``metal_content_2025.csv``, one row per 2024 HS10 line that pays on less than
its full value, and per date its share changes): 1 (full value, no row) for lines of
chapters 72, 73 and 76 (articles of the metal; taken as all metal) and for the 8708 stampings
(note 19(h): the content rule is written for chapter 76 goods only); otherwise the BEA
input-output value share of steel (for a line on a steel list) plus that of aluminium (on an
aluminium list), from ``resources/metal_content_shares_bea_hs10.csv`` of the Budget Lab
tracker (MIT): a proxy for the declared value of the metal content.

Sources (paths of the inputs, all public):

* ``CHAPTER99_REV6``: HTSUS 2026 Rev 6 chapter 99 text (Budget Lab tracker
  ``data/us_notes/chapter99_2026_rev_6.txt`` @ 279b4b9);
* ``ANNEXES_TEXT``: the text of Proclamation 11021's annexes (Budget Lab tracker
  ``docs/s232/annexes_text.txt``), whose chapter 73 provisions stand in for the chapter 73
  part of the March 2025 steel list (:func:`chapter73_from_2026`);
* ``MARCH_STEEL``, ``MARCH_ALU``: the March 2025 derivative lists as copied by
  tradewartracker/trade-war-redux-2025 @ a22d0b5 (``tariff-lists/steel-tariffs.csv``,
  ``alu-tariffs.csv``, MIT), from CBP's March 2025 guidance;
* ``INCLUSIONS``: the 18 Aug 2025 inclusions as copied by the Budget Lab tracker @ 33e5bca
  (``resources/s232_derivative_products.csv`` before its codes were cut to 8 digits; MIT);
* ``BEA``: ``resources/metal_content_shares_bea_hs10.csv`` (Budget Lab tracker @ 279b4b9, MIT;
  BEA input-output tables, public domain).

Usage::

    python data_build/metals_2025.py CHAPTER99_REV6 ANNEXES_TEXT MARCH_STEEL MARCH_ALU \\
        INCLUSIONS BEA analysis/data
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
from metals_2026 import annex_codes  # the same directory (run as a script)

INCLUSIONS_START = "2025-08-18"
STEEL_ARTICLES = (
    *(str(h) for h in range(7206, 7216)),
    "721610",
    "721621",
    "721622",
    "721631",
    "721632",
    "721633",
    "721640",
    "721650",
    "721699",
    *(str(h) for h in range(7217, 7230)),
    "730110",
    "730210",
    "730240",
    "730290",
    "7304",
    "7305",
    "7306",
)
ALUMINUM_ARTICLES = ("7601", "7604", "7605", "7606", "7607", "7608", "7609")
ALUMINUM_CASTINGS = ("7616995160", "7616995170")  # note 19(g)(vii): castings and forgings
STEEL_2020 = ("73170030", "73170055", "73170065", "73170075", "87081030", "87082921")
FULL_VALUE = ("87081030", "87082921")  # stampings of note 16(l) / 19(i): not chapter 76
# The tradewartracker's copy of the March 2025 steel list has two typing errors, and an
# old statistical code (CBP's 9406.90.0030, prefabricated buildings of steel); "73269000"
# (no such subheading) is read as subheading 7326.90 (other articles of iron or steel).
MARCH_STEEL_FIX = {"71229000": "73229000", "94969001": "9406900130", "73269000": "732690"}
MARCH_ALU_FIX = {"8517110000": "8517710000"}  # a typing error (note 19(k): 8517.71.0000)
CODE = re.compile(r"\d{4}\.\d{2}(?:\.\d{2}(?:\.?\d{2})?)?")


def _provision(code: str) -> str:
    """Dots removed; a statistical suffix "00" names the whole subheading."""
    digits = code.replace(".", "")
    return digits[:8] if len(digits) == 10 and digits.endswith("00") else digits


def note19_lists(path: Path) -> dict[str, list[str]]:
    """Note 19 subdivisions (i), (j), (k) of HTSUS 2026 Rev 6: the derivative provisions of
    headings 9903.85.04, .07 and .08 (from the subdivision's first line to the next)."""
    text = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, t in enumerate(text) if t.startswith("19. (a)"))
    marks = {
        "i": "(i) The rates of duty set forth in heading 9903.85.04",
        "j": "(j) The rates of duty set forth in heading 9903.85.07",
        "k": "(k) The rates of duty in heading 9903.85.08",
        "l": "(l) Any importer entering",
    }
    at = {
        k: next(i for i in range(start, len(text)) if text[i].startswith(m))
        for k, m in marks.items()
    }
    out = {}
    for key, nxt in (("i", "j"), ("j", "k"), ("k", "l")):
        body = " ".join(text[at[key] : at[nxt]])
        body = body.split("For any derivative aluminum product")[0]
        codes = (_provision(c) for c in CODE.findall(body))
        out[key] = list(dict.fromkeys(c for c in codes if not c.startswith("99")))
    return out


def march_lists(steel: Path, alu: Path) -> tuple[list[str], list[str]]:
    read = lambda p: [str(c) for c in pd.read_csv(p, dtype=str)["HTSUS"].dropna()]  # noqa: E731
    s = [MARCH_STEEL_FIX.get(c, c) for c in read(steel)]
    a = [MARCH_ALU_FIX.get(c, c) for c in read(alu)]
    return [_provision(c) for c in s], [_provision(c) for c in a]


def covered(prefixes: list[str], code: str) -> bool:
    return any(code.startswith(p) or p.startswith(code) for p in prefixes)


def chapter73_from_2026(annexes: Path, march_steel: list[str]) -> list[str]:
    """The chapter 73 derivative provisions of 12 Mar 2025 (note 16(m)), reconstructed: the
    chapter 73 provisions of Proclamation 11021's Annexes I-A, I-B, II and III (which re-sort
    the 2025 scope; Annex II lists what it takes out) other than the steel articles. The
    tradewartracker copy of the March list must lie within them (else the build stops)."""
    codes = annex_codes(annexes)
    ch73 = [c for k in ("I-A", "I-B", "II", "III") for c in codes[k] if c.startswith("73")]
    ch73 = [c for c in dict.fromkeys(ch73) if not c.startswith(STEEL_ARTICLES)]
    outside = [c for c in march_steel if c.startswith("73") and not covered(ch73, c)]
    print(f"March 2025 steel copy: chapter 73 codes outside the 2026 annexes: {outside}")
    return ch73


def derivative_rows(
    note19: dict[str, list[str]],
    march_steel: list[str],
    march_alu: list[str],
    incl: Path,
    ch73: list[str],
) -> pd.DataFrame:
    """(hts_prefix, start, metal) rows of every derivative provision."""
    k_march = [c for c in note19["k"] if covered(march_alu, c)]
    missing = [c for c in march_alu if not covered(note19["i"] + note19["j"] + note19["k"], c)]
    print(f"March 2025 aluminium codes not in note 19(i)-(k) (not used): {missing}")
    steel_incl = pd.read_csv(incl, dtype=str)
    steel_incl = steel_incl.loc[steel_incl["ch99_code"] == "9903.81.91", "hts_prefix"].tolist()
    rows = [(c, "", "steel") for c in STEEL_2020]
    rows += [(c, "", "steel") for c in march_steel if c not in STEEL_2020 and c[:2] != "73"]
    rows += [(c, "", "steel") for c in ch73 if c not in STEEL_2020]
    rows += [(c, "", "aluminum") for c in note19["i"] + note19["j"] + k_march]
    rows += [(c, INCLUSIONS_START, "aluminum") for c in note19["k"] if c not in k_march]
    rows += [(_provision(c), INCLUSIONS_START, "steel") for c in steel_incl]
    out = pd.DataFrame(rows, columns=["hts_prefix", "start", "metal"]).drop_duplicates()
    primary = (*STEEL_ARTICLES, *ALUMINUM_ARTICLES, *ALUMINUM_CASTINGS)
    dropped = out[out["hts_prefix"].str.startswith(primary)]
    print(
        "derivative provisions under a primary provision (counted there):",
        list(dropped.hts_prefix),
    )
    return out[~out["hts_prefix"].str.startswith(primary)]


def _bea_by_line(bea: pd.DataFrame, hs10: pd.Series) -> pd.DataFrame:
    """The BEA shares of every 2024 line: its own, else the mean of its HS8 (then HS6)
    siblings' in the table (a code the table lacks)."""
    own = bea.set_index("hs10")[["steel_share", "aluminum_share"]].reindex(hs10)
    for digits in (8, 6):
        means = bea.groupby(bea["hs10"].str[:digits])[["steel_share", "aluminum_share"]].mean()
        sibling = means.reindex(hs10.str[:digits]).set_axis(own.index)
        own = own.fillna(sibling)
    return own


def _shares_on(deriv: pd.DataFrame, hs10: pd.Series, bea: pd.DataFrame, day: str) -> pd.DataFrame:
    """(hs10, steel_share, aluminum_share) of the lines on the lists on ``day`` ("" = March)."""
    on = (
        deriv[(deriv["start"] == "") | (deriv["start"] <= day)]
        if day
        else deriv[deriv["start"] == ""]
    )
    shares = _bea_by_line(bea, hs10)
    out = pd.DataFrame({"hs10": hs10})
    for metal in ("steel", "aluminum"):
        listed = hs10.str.startswith(tuple(on.loc[on["metal"] == metal, "hts_prefix"]))
        share = shares[f"{metal}_share"].reindex(hs10).to_numpy()
        out[f"{metal}_share"] = listed.to_numpy() * share
        out[f"on_{metal}"] = listed.to_numpy()
    out = out[out["on_steel"] | out["on_aluminum"]]
    out = out[~out["hs10"].str.startswith(("72", "73", "76", *FULL_VALUE))]
    if out[["steel_share", "aluminum_share"]].isna().any().any():
        raise SystemExit(f"no BEA share: {sorted(out.loc[out.isna().any(axis=1), 'hs10'])}")
    return out[["hs10", "steel_share", "aluminum_share"]]


def content_rows(deriv: pd.DataFrame, hs10: pd.Series, bea: pd.DataFrame) -> pd.DataFrame:
    """One row per 2024 HS10 derivative line outside the full-value set (from March 2025),
    and one more from 18 Aug 2025 where the inclusions add the line or change its share: the
    steel share (on a steel list) plus the aluminium share (on an aluminium list) of the BEA
    table, capped at 1."""
    march = _shares_on(deriv, hs10, bea, "").assign(start="")
    august = _shares_on(deriv, hs10, bea, INCLUSIONS_START).assign(start=INCLUSIONS_START)
    both = pd.concat([march, august], ignore_index=True)
    both["metal_share"] = (both["steel_share"] + both["aluminum_share"]).clip(upper=1.0)
    both = both.round({"steel_share": 6, "aluminum_share": 6, "metal_share": 6})
    first = march["hs10"]
    keep = both["start"].eq("") | ~both.duplicated(["hs10", "metal_share"], keep="first")
    kept = both[keep | ~both["hs10"].isin(first)]
    cols = ["hs10", "start", "steel_share", "aluminum_share", "metal_share"]
    return kept[cols].sort_values(["hs10", "start"]).reset_index(drop=True)


EARLIER_232 = (  # lists of the Section 232 measures the engine counts first (file order)
    "s232_autos",
    "s232_auto_parts",
    "s232_auto_parts_general",
    "s232_mhd_vehicles",
    "s232_mhd_parts",
    "s232_buses",
    "s232_copper",
)


def sector_shares(data: Path, lists: pd.DataFrame, content: pd.DataFrame) -> None:
    """Print the cell engine's ``sectors`` shares of section232_steel_aluminum: 2024 imports
    on its lists (from 18 Aug 2025, net of the lines on earlier Section 232 lists) times the
    share that pays (the metal content), over the sector's imports, by partner."""
    products = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})
    countries = pd.read_csv(data / "countries.csv", dtype=str)[["cty_code", "region"]]
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    rows = rows.merge(products[["hs10", "sector"]], on="hs10").merge(countries, on="cty_code")

    def on(names: tuple[str, ...]) -> pd.Series:
        prefixes = tuple(lists.loc[lists["list"].isin(names), "hts_prefix"])
        return rows["hs10"].str.startswith(prefixes)

    mine = on(("s232_2025_steel", "s232_2025_aluminum", "s232_2025_derivatives"))
    mine &= ~on(EARLIER_232)
    share = content.drop_duplicates("hs10", keep="last").set_index("hs10")["metal_share"]
    paying = rows["imports_usd"] * mine * rows["hs10"].map(share).fillna(1.0)
    cells = paying.groupby([rows["sector"], rows["region"]]).sum()
    cells /= rows.groupby(["sector", "region"])["imports_usd"].sum()
    whole = paying.groupby(rows["sector"]).sum() / rows.groupby("sector")["imports_usd"].sum()
    for sector, value in whole[whole >= 0.0003].sort_values(ascending=False).items():
        print(f"  {sector}: {value:.4f} {cells[sector].round(4).to_dict()}")


def main(
    ch99: str, annexes: str, m_steel: str, m_alu: str, incl: str, bea_path: str, data_dir: str
) -> None:
    data = Path(data_dir)
    hs10 = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})["hs10"]
    note19 = note19_lists(Path(ch99))
    for key, codes in note19.items():
        print(f"note 19({key}): {len(codes)} provisions")
    march_steel, march_alu = march_lists(Path(m_steel), Path(m_alu))
    ch73 = chapter73_from_2026(Path(annexes), march_steel)
    deriv = derivative_rows(note19, march_steel, march_alu, Path(incl), ch73)
    bea = pd.read_csv(bea_path, dtype={"hs10": str})
    content = content_rows(deriv, hs10, bea)
    lists = {
        "s232_2025_steel": pd.DataFrame({"hts_prefix": STEEL_ARTICLES, "start": ""}),
        "s232_2025_aluminum": pd.DataFrame(
            {"hts_prefix": (*ALUMINUM_ARTICLES, *ALUMINUM_CASTINGS), "start": ""}
        ),
        "s232_2025_derivatives": deriv[["hts_prefix", "start"]].drop_duplicates(),
    }
    for name, frame in lists.items():
        on = hs10[hs10.str.startswith(tuple(frame["hts_prefix"]))]
        unmatched = [p for p in frame["hts_prefix"] if not hs10.str.startswith(p).any()]
        print(f"{name}: {len(frame)} rows, {on.size} HS10 lines; no 2024 line: {unmatched}")
    old = pd.read_csv(data / "product_lists.csv", dtype={"hts_prefix": str, "start": str})
    frames = [old[~old["list"].isin(list(lists))]]
    for name, frame in lists.items():
        frames.append(frame.assign(list=name, rate=float("nan")))
    out = pd.concat(frames, ignore_index=True)[["list", "hts_prefix", "rate", "start"]]
    out.to_csv(data / "product_lists.csv", index=False)
    content.to_csv(data / "metal_content_2025.csv", index=False)
    print(f"metal_content_2025.csv: {len(content)} rows, {content.hs10.nunique()} lines")
    sector_shares(data, out, content)


if __name__ == "__main__":
    main(*sys.argv[1:8])
