"""Curation step (run by a maintainer, never at run time): the trade-weighted Section 301 rate
on China by GTAP sector, for each date a tranche of the 2024 four-year review took effect.

Each HS10 line from China takes the highest in-force Section 301 rate of its HTS8 line (the
2024 review's increases replace the earlier rate: "increase the rate to ..."), List 4B
suspended (0); the sector's rate is the import-weighted mean over all of its lines, weights =
2024 US imports from China (Census IMDB via Tariff-Model, analysis/data/SOURCES.md section 10).

Lists: the tracker's ``resources/s301_product_lists.csv`` (MIT; HTSUS notes 20 and 31).
Rates (HTSUS Rev 6, docs/research/law_2025_gaps.md section 1a): Lists 1, 2, 3 and 3-additional
25%; 4A 7.5%; 4B suspended; 9903.91.01 25%, .02 50%, .03 100% and 9903.92.10 (cranes) 25% from
27 Sep 2024; .05 50% and .11 25% from 1 Jan 2025; .06 25%, .07 50%, .08 100% from 1 Jan 2026.

Usage (``pip install -e .[curation]``)::

    python data_build/china_section301.py WEIGHTS.rds S301_LISTS.csv

prints the ``rate_by_sector`` blocks of params/measures/section301_china_lists.yaml.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

RATES = {"1": 0.25, "2": 0.25, "3": 0.25, "3_addl": 0.25, "4A": 0.075, "4B": 0.0}
RATES |= {"biden_25": 0.25, "biden_50": 0.50, "biden_100": 1.00, "cranes_301": 0.25}
RATES |= {"biden_50_jan25": 0.50, "biden_25_jan25": 0.25}
JAN_2026 = {"9903.91.06": 0.25, "9903.91.07": 0.50, "9903.91.08": 1.00}
STARTS = {"biden_50_jan25": "2025-01-01", "biden_25_jan25": "2025-01-01"}
STARTS |= {"biden_jan26": "2026-01-01"}
DATES = ("2024-09-27", "2025-01-01", "2026-01-01")
#: Lithium-ion batteries, where the tracker's list departs from the law (it puts 8507.60.00 on
#: the suspended List 4B, so the line paid nothing before 2026). In law the subheading was on
#: List 4A (HTSUS note 20(s)(i), heading 9903.88.15, 7.5% from 14 Feb 2020, 85 FR 3741): the
#: exclusions of note 20(bbb)(17) and 20(fff)(45) take particular lithium-ion batteries of
#: 8507.60.0020 out of "the additional duties provided for in heading 9903.88.15". The 2024
#: four-year review (89 FR 76581, 18 Sep 2024) raised EV batteries, 8507.60.0010, to 25% from
#: 27 Sep 2024 (heading 9903.91.01) and the whole subheading to 25% from 1 Jan 2026 (heading
#: 9903.91.06, note 31(g)(5), kept from the tracker's list). HTSUS 2026 no longer lists
#: 8507.60.00 in note 20(s)(i) nor 8507.60.0010 in note 31(b): the 2026 heading covers both.
S301_BY_LAW = (("85076000", 0.075, ""), ("8507600010", 0.25, "2024-09-27"))


def main(weights: str, lists_csv: str) -> None:
    import pyreadr  # type: ignore[import-not-found]  # curation-only dependency

    frame = next(iter(pyreadr.read_r(weights).values()))
    china = frame[frame["cty_code"] == "5700"].copy()
    lists = pd.read_csv(lists_csv, dtype=str)
    lists["rate"] = [
        JAN_2026[code] if name == "biden_jan26" else RATES[name]
        for name, code in zip(lists["list"], lists["ch99_code"], strict=True)
    ]
    lists["start"] = lists["list"].map(STARTS).fillna(DATES[0])
    for day in DATES:
        best = lists[lists["start"] <= day].groupby("hts8")["rate"].max()
        china["rate"] = china["hs10"].str[:8].map(best).fillna(0.0)
        for prefix, rate, since in S301_BY_LAW:  # the law where the tracker's list errs
            on = china["hs10"].str.startswith(prefix) & (since <= day)
            china.loc[on, "rate"] = np.maximum(china.loc[on, "rate"], rate)
        china["paid"] = china["rate"] * china["imports"]
        sums = china.groupby("gtap_code")[["paid", "imports"]].sum()
        total = china["paid"].sum() / china["imports"].sum()
        print(f"# from {day}: all imports from China {total:.4f}")
        for sector, row in sums.iterrows():
            print(f"      {sector}: {row.paid / row.imports:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
