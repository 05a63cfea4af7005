"""Curation step (run by a maintainer, never at run time): the product lists of the 2026
Section 232 metals regime, read from the legal text, written into
``analysis/data/product_lists.csv`` (its other lists are kept).

The law (SOURCES.md section 14): Proclamation 11021 of 2 Apr 2026, "Adjusting Imports of
Aluminum, Steel, and Copper Into the United States" (91 FR 18201), effective 6 Apr 2026,
replaces U.S. note 16 to subchapter III of chapter 99 and headings 9903.82.02-.17. Its annexes
list the articles (Annex I-A: 50% on the full value; Annex I-B: 25%; Annex II: removed from
scope; Annex III: a temporary all-in 15% to 31 Dec 2027; Annex IV: the HTSUS changes). Two
copies of the lists are read and must agree:

* ``annexes``: the text of the proclamation's annexes (the tracker's pdftotext copy of
  ``docs/s232/Metals-ANNEXES-I-A-I-B-II-III-IV.pdf``, ``docs/s232/annexes_text.txt``): the
  codes of each annex, from its title ("Annex I-A: ...") to the next; only lines made of
  HTS codes (after a list label such as "Steel Derivatives") are read, so that a number in a
  description ("of heading 8471") is never taken for a listed provision;
* ``note16``: U.S. note 16(c)(i)-(x) as compiled in HTSUS 2026 Revision 6 (the tracker's
  ``data/us_notes/chapter99_2026_rev_6.txt``): every code between "(c) Headings" and "(d)
  Headings". Its columns interleave the subdivisions, so only the union is compared: it must
  equal the union of Annexes I-A, I-B and III.

Lists written (HTS prefixes; a prefix covers every 2024 HS10 line under it):

* ``s232_2026_annex_ia``: Annex I-A, steel and aluminium (note 16(c)(i)-(iv), 9903.82.02;
  UK 9903.82.04), i.e. every I-A provision outside chapter 74;
* ``s232_2026_annex_ib``: Annex I-B, steel and aluminium derivatives (note 16(c)(vi)-(vii),
  9903.82.09; UK 9903.82.05): every I-B provision but the four copper ones; and, from
  1 Jan 2028, the Annex III provisions (Annex IV part B moves (c)(ix)-(x) into (vi)-(vii));
* ``s232_2026_annex_iii``: Annex III (note 16(c)(ix)-(x), 9903.82.10/.11);
* ``s232_2026_copper``: articles of copper, rate by line: Annex I-A chapter 74 (note
  16(c)(v)) 50%, Annex I-B 8544.42.10/.20/.90 and 8544.49.10 (note 16(c)(viii)) 25%.

* ``s232_2026_annex_ic``: Annex I-C of Proclamation 11032 (91 FR 34085, effective 8 Jun
  2026; note 16(c)(xi)): mobile industrial equipment (forklifts, bulldozers, graders, their
  parts, tractors, crane lorries), 28 provisions. No primary text of it is in the store
  (HTSUS 2026 Rev 6 predates it; the Rev 10 text that carries it is missing from every copy
  here): the list is the machine-readable copy in ``resources/s232_annex_products.csv``
  (rows ``1c``) of ``arifshehab/tariff-rate-tracker`` @ ``9919812`` (a fork of the Budget
  Lab tracker, MIT), and each code must lie under an Annex I-B provision.

The Budget Lab tracker's machine-readable copy, ``resources/s232_annex_products.csv``, is
compared and its differences printed; it is not used (SOURCES.md says where it is wrong).

Run it last, after data_build/legal_lists.py (which keeps these lists). It also prints the
cell engine's sector shares of each 2026 measure (the ``sectors`` of its measure file).

Usage::

    python data_build/metals_2026.py ANNEXES_TEXT CHAPTER99_REV6 analysis/data \\
        [TRACKER_ANNEX_CSV [FORK_ANNEX_CSV]]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ANNEXES = ("Annex I-A:", "Annex I-B:", "Annex II:", "Annex III:", "Annex IV")
LABEL = re.compile(
    r"^(Steel Derivatives|Steel|Aluminum Derivatives|Aluminum|Copper Articles|Copper)\s+"
)
CODE = re.compile(r"^\d{4}(\.\d{2}(\.\d{2}|\.\d{4}|\.\d{2}\.\d{2})?)?$")
COPPER_IB = ("85444210", "85444220", "85444290", "85444910")
ANNEX_III_TO_IB = "2028-01-01"  # Proclamation 11021 Annex IV part B
OWN_LISTS = (
    "s232_2026_annex_ia",
    "s232_2026_annex_ib",
    "s232_2026_annex_iii",
    "s232_2026_copper",
    "s232_2026_annex_ic",
)
ANNEX_IC_START = "2026-06-08"  # Proclamation 11032


def code_lines(lines: list[str]) -> list[str]:
    """The HTS codes (dots removed) of the lines made only of codes, after a list label."""
    out: list[str] = []
    for line in lines:
        text = LABEL.sub("", line.strip())
        tokens = text.split()
        if tokens and all(CODE.match(t) for t in tokens):
            out.extend(_provision(t.replace(".", "")) for t in tokens)
    return out


def _provision(code: str) -> str:
    """A statistical suffix "00" names the whole subheading (7612.10.00.00 = 7612.10.00)."""
    return code[:8] if len(code) == 10 and code.endswith("00") else code


def annex_codes(path: Path) -> dict[str, list[str]]:
    """Annex title (I-A, I-B, II, III) -> its codes, in the order written, deduplicated."""
    text = path.read_text(encoding="latin-1").splitlines()
    starts = [next(i for i, t in enumerate(text) if t.startswith(a)) for a in ANNEXES]
    out = {}
    for name, lo, hi in zip(("I-A", "I-B", "II", "III"), starts, starts[1:], strict=False):
        out[name] = list(dict.fromkeys(code_lines(text[lo:hi])))
    return out


def note16_codes(path: Path) -> set[str]:
    """Every code of U.S. note 16(c) (HTSUS 2026 Rev 6), subdivisions (i)-(x)."""
    text = path.read_text(encoding="latin-1").splitlines()
    lo = next(i for i, t in enumerate(text) if t.startswith("16. (a)  Except as provided"))
    hi = next(i for i, t in enumerate(text) if i > lo and t.startswith("(d) Headings 9903.82.04"))
    first = next(i for i in range(lo, hi) if "(i) Articles of aluminum:" in text[i])
    marker = re.compile(r"^\s*(U\.S\. Notes \(con\.\))?\s*(\((?:[ivx]+)\) [A-Za-z ]+:)?")
    return set(code_lines([marker.sub("", t) for t in text[first:hi]]))


def lists_2026(annexes: dict[str, list[str]]) -> dict[str, list[tuple[str, float | None, str]]]:
    """The four lists (module docstring) as (prefix, rate, start) rows."""
    ia, ib, iii = annexes["I-A"], annexes["I-B"], annexes["III"]
    copper_ia = [c for c in ia if c.startswith("74")]
    return {
        "s232_2026_annex_ia": [(c, None, "") for c in ia if not c.startswith("74")],
        "s232_2026_annex_ib": [(c, None, "") for c in ib if c not in COPPER_IB]
        + [(c, None, ANNEX_III_TO_IB) for c in iii if c not in ib],
        "s232_2026_annex_iii": [(c, None, "") for c in iii],
        "s232_2026_copper": [(c, 0.50, "") for c in copper_ia]
        + [(c, 0.25, "") for c in ib if c in COPPER_IB],
    }


def annex_ic(path: Path, annexes: dict[str, list[str]]) -> list[tuple[str, float | None, str]]:
    """Annex I-C of Proclamation 11032 (note 16(c)(xi)) as the fork's copy lists it (rows
    ``annex`` 1c): each code must fall under an Annex I-B provision (I-C takes goods out of
    I-B), else the build stops."""
    copy = pd.read_csv(path, dtype=str)
    codes = sorted(set(copy.loc[copy["annex"] == "1c", "hts_prefix"]))
    ib = tuple(annexes["I-B"])
    outside = [c for c in codes if not (c.startswith(ib) or any(p.startswith(c) for p in ib))]
    if outside:
        raise SystemExit(f"Annex I-C codes outside Annex I-B: {outside}")
    print(f"Annex I-C: {len(codes)} provisions, all under Annex I-B provisions")
    return [(c, None, ANNEX_IC_START) for c in codes]


def compare_tracker(path: Path, annexes: dict[str, list[str]]) -> None:
    """Print where the tracker's copy differs from the annexes."""
    tracker = pd.read_csv(path, dtype=str)
    names = {"1a": "I-A", "1b": "I-B", "2": "II", "3": "III"}
    for key, name in names.items():
        theirs = set(tracker.loc[tracker["annex"] == key, "hts_prefix"])
        ours = set(annexes[name])
        print(f"tracker annex {name}: {len(theirs)} codes, the law {len(ours)}")
        print(f"  only in the tracker: {sorted(theirs - ours)}")
        print(f"  missing from the tracker: {sorted(ours - theirs)}")


def check_against_note(annexes: dict[str, list[str]], note: set[str]) -> None:
    listed = set(annexes["I-A"]) | set(annexes["I-B"]) | set(annexes["III"])
    if listed != note:
        raise SystemExit(
            f"annexes and note 16(c) differ: only annexes {sorted(listed - note)}, "
            f"only note {sorted(note - listed)}"
        )
    both = [
        (a, b, sorted(set(annexes[a]) & set(annexes[b])))
        for a, b in (("I-A", "I-B"), ("I-A", "III"), ("I-B", "III"), ("II", "I-B"), ("II", "I-A"))
    ]
    for a, b, common in both:
        print(f"on both Annex {a} and Annex {b}: {common}")
    print(f"annexes I-A, I-B, III = note 16(c): {len(note)} codes")


def report_lines(data: Path, new: dict[str, list[tuple[str, float | None, str]]]) -> None:
    """Print each list's 2024 HS10 lines and imports, and the codes without a 2024 line."""
    hs10 = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})["hs10"]
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    by_line = rows.groupby("hs10")["imports_usd"].sum()
    for name, items in new.items():
        prefixes = tuple(p for p, _, _ in items)
        on = hs10[hs10.str.startswith(prefixes)]
        unmatched = [p for p in prefixes if not hs10.str.startswith(p).any()]
        value = by_line.reindex(on).fillna(0).sum() / 1e9
        print(f"{name}: {len(prefixes)} prefixes, {on.size} HS10 lines, ${value:.1f} bn 2024")
        print(f"  no 2024 HS10 line (HTS revised since 2024): {unmatched}")


EARLIER_232 = (
    "s232_autos",
    "s232_auto_parts",
    "s232_auto_parts_general",
    "s232_mhd_vehicles",
    "s232_mhd_parts",
    "s232_buses",
)
ENGINE_ORDER = (  # the engine counts a line once, in measure-file order
    "s232_2026_annex_ic",
    "s232_2026_copper",
    "s232_2026_annex_ia",
    "s232_2026_annex_ib",
    "s232_2026_annex_iii",
)


def sector_shares(data: Path, lists: pd.DataFrame) -> None:
    """Print the cell engine's ``sectors`` shares of each measure: 2024 imports on its list,
    net of the lines on lists counted before it, over the sector's imports, by partner."""
    products = pd.read_csv(data / "hs10_products_2024.csv", dtype={"hs10": str})
    countries = pd.read_csv(data / "countries.csv", dtype=str)[["cty_code", "region"]]
    rows = pd.read_parquet(data / "us_imports_2024_hs10_country.parquet")
    rows = rows.merge(products[["hs10", "sector"]], on="hs10").merge(countries, on="cty_code")

    def on(name: str) -> pd.Series:
        group = lists[lists["list"] == name]
        if name != "s232_2026_annex_ic":
            group = group[group["start"].fillna("") == ""]
        return rows["hs10"].str.startswith(tuple(group["hts_prefix"]))

    taken = pd.Series(False, index=rows.index)
    for name in EARLIER_232:
        taken |= on(name)
    cell_total = rows.groupby(["sector", "region"])["imports_usd"].sum()
    sector_total = rows.groupby("sector")["imports_usd"].sum()
    for name in ENGINE_ORDER:
        mine = on(name) & ~taken
        taken |= on(name)
        cells = rows[mine].groupby(["sector", "region"])["imports_usd"].sum() / cell_total
        whole = rows[mine].groupby("sector")["imports_usd"].sum() / sector_total
        print(f"{name}: sector shares (by partner)")
        for sector, share in whole[whole >= 0.0003].sort_values(ascending=False).items():
            by = cells[sector].round(4).to_dict()
            print(f"  {sector}: {share:.4f} {by}")


def main(
    annexes_text: str, chapter99: str, data_dir: str, tracker: str = "", fork: str = ""
) -> None:
    data = Path(data_dir)
    annexes = annex_codes(Path(annexes_text))
    for name, codes in annexes.items():
        print(f"Annex {name}: {len(codes)} provisions")
    check_against_note(annexes, note16_codes(Path(chapter99)))
    if tracker:
        compare_tracker(Path(tracker), annexes)
    new = lists_2026(annexes)
    if fork:
        new["s232_2026_annex_ic"] = annex_ic(Path(fork), annexes)
    report_lines(data, new)
    lists = pd.read_csv(data / "product_lists.csv", dtype={"hts_prefix": str, "start": str})
    frames = [lists[~lists["list"].isin(OWN_LISTS)]]
    for name, items in new.items():
        frame = pd.DataFrame(items, columns=["hts_prefix", "rate", "start"]).assign(list=name)
        frames.append(frame.drop_duplicates(["hts_prefix", "start"]))
    out = pd.concat(frames, ignore_index=True)[["list", "hts_prefix", "rate", "start"]]
    out.to_csv(data / "product_lists.csv", index=False)
    sector_shares(data, out)


if __name__ == "__main__":
    main(*sys.argv[1:6])
