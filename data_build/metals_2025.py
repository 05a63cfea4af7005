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
* ``s232_2025_derivatives``: every derivative provision, with the day it joins:

  - steel note 16(l) (9903.81.89), the 2020 derivatives of Proclamation 9980: nails
    7317.00.30/.55/.65/.75, bumper and body stampings 8708.10.30, 8708.29.21; 12 Mar 2025;
  - steel note 16(m) (9903.81.90) and 16(n) item (1) (9903.81.91), 12 Mar 2025: the text was
    not found; the trade press counts 155 chapter 73 subheadings and 12 items of chapters 84,
    85 and 94. The chapter 73 part is reconstructed from the 2026 annexes
    (:func:`chapter73_from_2026`); of the others, the copy's two (prefabricated buildings
    9406) and the 2026 annex provisions that match the press's descriptions
    (:data:`MARCH_STEEL_OTHER`);
  - steel note 16(n) item (2), 23 Jun 2025: household appliances (:data:`APPLIANCES`);
  - aluminium note 19(i), (j), (k) (9903.85.04, .07, .08) read from HTSUS 2026 Rev 6: from
    12 Mar 2025, but beer and empty cans from 4 Apr 2025 (:data:`BEER_CANS`) and the
    provisions FR Doc 2025-15819 adds from 18 Aug 2025;
  - FR Doc 2025-15819 (Annex I, read from the notice itself): note 16(m) additions and note
    16(n) item (3) (9903.81.91), from 18 Aug 2025.

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
* ``FR_2025_15819_PDF``: the BIS notice of 19 Aug 2025 (90 FR 40326), the PDF the Budget Lab
  tracker keeps as ``docs/federal-register/2025-15819.pdf`` @ c921e6d: its Annex I is read;
* ``INCLUSIONS``: the tracker's copy of the same inclusions (@ 33e5bca,
  ``resources/s232_derivative_products.csv`` before its codes were cut to 8 digits; MIT),
  compared only;
* ``BEA``: ``resources/metal_content_shares_bea_hs10.csv`` (Budget Lab tracker @ 279b4b9, MIT;
  BEA input-output tables, public domain).

Usage::

    python data_build/metals_2025.py CHAPTER99_REV6 ANNEXES_TEXT FR_2025_15819_PDF \\
        MARCH_STEEL MARCH_ALU INCLUSIONS BEA analysis/data
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

import pandas as pd
from metals_2026 import annex_codes  # the same directory (run as a script)

INCLUSIONS_START = "2025-08-18"
APPLIANCES_START = "2025-06-23"
# Note 16(n) item (1), 12 Mar 2025: of the 12 steel derivatives outside chapter 73 the trade
# press describes (bulldozer blades, parts of escalators and elevators, backhoe and front-loader
# attachments, plows, steel shelving, modular buildings, lighting fixtures), the provisions of
# Proclamation 11021's annexes that match those descriptions and are on no other 2025 list
# (the text of the March list was not found): 8431.42, 8431.31, 8431.49.10/.90, 8432.10 and
# its parts 8432.90, 9405.99.20; the copy's 9406 lines are added with the copy.
MARCH_STEEL_OTHER = (
    "84313100",
    "84314200",
    "84314910",
    "84314990",
    "84321000",
    "84329000",
    "94059920",
)
# Beer (2203.00.00, note 19(k)) and empty aluminium cans (7612.90.10, note 19(j)) joined the
# aluminium derivatives on 4 Apr 2025 (BIS; as ST&R and Mohawk Global report it; the notice's
# text was not found here).
BEER_CANS_START = "2025-04-04"
BEER_CANS = ("22030000", "76129010")
# Note 16(n) item (2): the steel derivative appliances BIS added from 23 Jun 2025 (FR Doc
# 2025-11067; the text was not found here: the codes as three customs brokers list them, and
# FR Doc 2025-15819 confirms that item (2) ends with 9403.99.9020).
APPLIANCES = (
    "84181000",
    "84183000",
    "84184000",
    "84512100",
    "84512900",
    "84501100",
    "84502000",
    "84221100",
    "85166040",
    "85098020",
    "9403999020",
)
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


def fr_text(pdf: Path) -> str:
    """The text of a Federal Register PDF (its Flate streams' text-showing operators), one
    space between words."""
    data = pdf.read_bytes()
    words: list[bytes] = []
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            stream = zlib.decompress(data[match.end() : end])
        except zlib.error:
            continue
        for shown, array in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj|\[(.*?)\]\s*TJ", stream, re.S):
            parts = [shown] if shown else re.findall(rb"\((.*?)(?<!\\)\)", array, re.S)
            words.append(b"".join(parts))
    return " ".join(b" ".join(words).decode("latin-1").split())


def inclusions(pdf: Path) -> dict[str, list[str]]:
    """The provisions FR Doc 2025-15819 (Annex I) adds from 18 Aug 2025: note 16(m), note
    16(n) item (3) (after "9403.99.9020", the last provision of item (2)), note 19(j), (k)."""
    text = fr_text(pdf).replace("\\(", "(").replace("\\)", ")")
    marks = {
        "m": "a. By amending subdivision (m) to note 16",
        "n": "b. By amending subdivision (n) to note 16",
        "j": "e. By amending subdivision (j) to note 19",
        "k": "f. By amending subdivision (k) to note 19",
    }
    ends = {"m": "b. By amending", "n": "c. By amending", "j": "f. By amending", "k": "g. By"}
    out = {}
    for key, mark in marks.items():
        lo = text.index(mark)
        body = text[lo : text.index(ends[key], lo + len(mark))]
        if key == "n":
            body = body[body.index("(3)") :]
        out[key] = list(dict.fromkeys(_provision(c) for c in CODE.findall(body)))
        out[key] = [c for c in out[key] if not c.startswith("99") and c != "9403999020"]
    return out


def _dated(
    codes: list[str], later: list[str], start: str, metal: str
) -> list[tuple[str, str, str]]:
    """(code, start, metal): ``start`` for the codes of ``later``, 12 Mar 2025 ("") else."""
    return [(c, start if c in later else "", metal) for c in codes]


def derivative_rows(
    note19: dict[str, list[str]],
    march_steel: list[str],
    march_alu: list[str],
    fr: dict[str, list[str]],
    ch73: list[str],
) -> pd.DataFrame:
    """(hts_prefix, start, metal) rows of every derivative provision (module docstring)."""
    not_in_k = [c for c in fr["k"] if c not in note19["k"]]
    print(f"FR 2025-15819 note 19(k) codes not in Rev 6 note 19(k): {not_in_k}")
    k_march = [c for c in note19["k"] if c not in fr["k"]]
    copy_only = [c for c in march_alu if not covered(note19["i"] + note19["j"] + note19["k"], c)]
    print(f"March 2025 aluminium copy, codes not in note 19(i)-(k): {copy_only}")
    copy_late = [c for c in march_alu if covered(fr["k"] + fr["j"], c)]
    print(f"March 2025 aluminium copy, codes the FR notice adds in August: {copy_late}")
    missing = [c for c in k_march if not covered(march_alu, c)]
    print(f"note 19(k) March codes missing from the March copy: {missing}")
    rows = [(c, "", "steel") for c in STEEL_2020]
    rows += [(c, "", "steel") for c in march_steel if c not in STEEL_2020 and c[:2] != "73"]
    rows += [(c, "", "steel") for c in MARCH_STEEL_OTHER]
    rows += _dated([c for c in ch73 if c not in STEEL_2020], fr["m"], INCLUSIONS_START, "steel")
    rows += [(c, INCLUSIONS_START, "steel") for c in fr["m"] if c not in ch73]
    rows += [(c, APPLIANCES_START, "steel") for c in APPLIANCES]
    rows += [(c, INCLUSIONS_START, "steel") for c in fr["n"]]
    rows += [(c, "", "aluminum") for c in note19["i"]]
    rows += _dated(note19["j"], fr["j"], INCLUSIONS_START, "aluminum")
    rows += _dated(note19["k"], fr["k"], INCLUSIONS_START, "aluminum")
    rows = [(c, BEER_CANS_START if c in BEER_CANS and not t else t, m) for c, t, m in rows]
    out = pd.DataFrame(rows, columns=["hts_prefix", "start", "metal"]).drop_duplicates()
    primary = (*STEEL_ARTICLES, *ALUMINUM_ARTICLES, *ALUMINUM_CASTINGS)
    dropped = out[out["hts_prefix"].str.startswith(primary)]
    print(f"derivative provisions under a steel or aluminium article: {list(dropped.hts_prefix)}")
    return out[~out["hts_prefix"].str.startswith(primary)]


def compare_steel_copy(incl: Path, fr: dict[str, list[str]]) -> None:
    """Print where the Budget Lab tracker's copy of the steel inclusions differs from the
    FR notice's note 16(n) item (3)."""
    copy = pd.read_csv(incl, dtype=str)
    theirs = {_provision(c) for c in copy.loc[copy["ch99_code"] == "9903.81.91", "hts_prefix"]}
    ours = set(fr["n"])
    print(f"steel inclusions: the notice {len(ours)}, the tracker's copy {len(theirs)}")
    print(f"  only in the copy: {sorted(theirs - ours)}")
    print(f"  missing from the copy: {sorted(ours - theirs)}")


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
    """One row per 2024 HS10 derivative line outside the full-value set from the first date
    it is listed, and one more at each later list date that changes its share: the steel
    share (on a steel list) plus the aluminium share (on an aluminium list) of the BEA table,
    capped at 1."""
    starts = sorted(set(deriv["start"]))  # "" (12 Mar 2025) first
    frames = [_shares_on(deriv, hs10, bea, day).assign(start=day) for day in starts]
    both = pd.concat(frames, ignore_index=True)
    both["metal_share"] = (both["steel_share"] + both["aluminum_share"]).clip(upper=1.0)
    both = both.round({"steel_share": 6, "aluminum_share": 6, "metal_share": 6})
    both = both.sort_values(["hs10", "start"], kind="stable")
    same = both["hs10"].eq(both["hs10"].shift()) & both["metal_share"].eq(
        both["metal_share"].shift()
    )
    cols = ["hs10", "start", "steel_share", "aluminum_share", "metal_share"]
    return both.loc[~same, cols].reset_index(drop=True)


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
    ch99: str,
    annexes: str,
    fr_pdf: str,
    m_steel: str,
    m_alu: str,
    incl: str,
    bea_path: str,
    data_dir: str,
) -> None:
    data = Path(data_dir)
    hs10 = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})["hs10"]
    note19 = note19_lists(Path(ch99))
    for key, codes in note19.items():
        print(f"note 19({key}): {len(codes)} provisions")
    march_steel, march_alu = march_lists(Path(m_steel), Path(m_alu))
    ch73 = chapter73_from_2026(Path(annexes), march_steel)
    fr = inclusions(Path(fr_pdf))
    for key, codes in fr.items():
        print(f"FR 2025-15819 adds to note {'16' if key in 'mn' else '19'}({key}): {len(codes)}")
    compare_steel_copy(Path(incl), fr)
    deriv = derivative_rows(note19, march_steel, march_alu, fr, ch73)
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
    main(*sys.argv[1:9])
