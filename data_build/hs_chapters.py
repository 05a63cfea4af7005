"""Curation step (run by a maintainer, never at run time): the title of each HS chapter, so
that a table of a country's products by HS chapter names them (analysis/data/SOURCES.md
section 23).

The source is ``datasets/harmonized-system`` @ 905e5a0f (``data/harmonized-system.csv``, the
rows of ``level`` 2: one per chapter; the HS 2022 nomenclature of the World Customs
Organization as UN Comtrade publishes it; Open Data Commons Public Domain Dedication and Licence
1.0). The titles are the HS's own, shortened by UN Comtrade ("Iron or steel articles"); the US
tariff schedule (HTSUS) uses the same chapters 01-97 with its own wording. Chapter 77 is
reserved in the HS and has no row; chapter 99 ("Commodities not specified according to kind")
is kept as the source gives it.

Usage::

    python data_build/hs_chapters.py HARMONIZED_SYSTEM.csv OUT.csv
"""

from __future__ import annotations

import sys

import pandas as pd


def main(harmonized_system: str, out: str) -> None:
    frame = pd.read_csv(harmonized_system, dtype=str, keep_default_na=False)
    chapters = frame[frame["level"] == "2"].rename(
        columns={"hscode": "chapter", "description": "chapter_title"}
    )
    two_digit = chapters["chapter"].str.fullmatch(r"\d\d").all()
    if chapters["chapter"].duplicated().any() or not two_digit:
        raise SystemExit("expected one row per two-digit chapter")
    chapters[["chapter", "chapter_title"]].sort_values("chapter").to_csv(out, index=False)
    print(f"{len(chapters)} chapters, {chapters['chapter'].min()} to {chapters['chapter'].max()}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
