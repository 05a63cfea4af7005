"""Curation step (run by a maintainer, never at run time): the monthly share of each HS10
line's imports from Canada and Mexico entered under USMCA (claimed preference), 2025-01 to
2026-02, as one Parquet file (analysis/data/SOURCES.md section 14).

Source: ``resources/usmca_product_shares_YYYY_MM.csv`` of ``Budget-Lab-Yale/tariff-rate-tracker``
@ 8315fffd (MIT; built by the tracker from Census IMDB imports by rate provision: value entered
under the USMCA special programme indicator over the month's customs value). Rows with no
imports in the month are dropped.

Usage (``pip install -e .[curation]``)::

    python data_build/usmca_shares.py TRACKER_RESOURCES_DIR OUT.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def main(resources: str, out: str) -> None:
    files = sorted(Path(resources).glob("usmca_product_shares_20[0-9][0-9]_[0-9][0-9].csv"))
    frames = []
    for path in files:
        month = path.stem[-7:].replace("_", "-")
        frame = pd.read_csv(path, dtype={"hts10": str, "cty_code": str})
        frames.append(frame[frame["total_value"] > 0].assign(month=month))
    data = pd.concat(frames).sort_values(["month", "cty_code", "hts10"])
    table = pa.table(
        {
            "month": pa.array(data["month"]).dictionary_encode(),
            "hs10": pa.array(data["hts10"]).dictionary_encode(),
            "cty_code": pa.array(data["cty_code"]).dictionary_encode(),
            "usmca_share": pa.array(data["usmca_share"].astype("float32")),
        }
    )
    pq.write_table(table, out, compression="zstd", compression_level=19)
    for month, group in data.groupby(["month", "cty_code"]):
        share = group["usmca_value"].sum() / group["total_value"].sum()
        print(month, f"{share:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
