"""Curation step (run by a maintainer, never at run time): the published additional tariff
rate by country of the tradewartracker (``tradewartracker/trade-war-redux-2025`` @ 726c5958,
MIT), to compare ours with (analysis/data/SOURCES.md section 15).

``country-by-time.csv`` gives, for each date the law changed (2025-02-04 to 2026-08-19), each
top-50 partner's ``effective tariff``: the import-weighted rate of the tariff actions taken from
4 Feb 2025 on, in percent, on 2024 HS10 weights, MFN and every measure in force before 2025
excluded (Section 301 on China since 2018 is "captured in 2024 baseline, not in this model", the
notebook ``make-tariff-by-country-by-time.ipynb`` says; it sums ``tariff x share``; its national
figure adds "+2.3 pre-existing MFN baseline" separately). Names are matched to Census codes by the
``CTY_NAME``/``CTY_CODE`` of the same repository's ``data/2024-hs10-imports*.parquet``; the EU
is one row (code 0003, the EU aggregate).

Usage::

    python data_build/published_country_rates.py COUNTRY_BY_TIME.csv TWT_DATA_DIR OUT.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(country_by_time: str, twt_data: str, out: str) -> None:
    codes = {}
    for path in sorted(Path(twt_data).glob("2024-hs10-imports*.parquet")):
        first = pd.read_parquet(path, columns=["CTY_CODE", "CTY_NAME"]).iloc[0]
        codes[str(first["CTY_NAME"])] = str(first["CTY_CODE"])
    frame = pd.read_csv(country_by_time)
    frame["cty_code"] = frame["country_name"].map(codes)
    missing = frame[frame["cty_code"].isna()]["country_name"].unique()
    if len(missing):
        raise SystemExit(f"names without a Census code: {missing}")
    frame["additional_tariff_rate"] = (frame["effective tariff"] / 100).round(6)
    frame = frame.rename(columns={"date": "from_date"})
    frame[["from_date", "cty_code", "country_name", "additional_tariff_rate"]].sort_values(
        ["cty_code", "from_date"]
    ).to_csv(out, index=False)
    print(f"{len(frame)} rows, {frame['cty_code'].nunique()} partners, "
          f"{frame['from_date'].min()} to {frame['from_date'].max()}")  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:4])
