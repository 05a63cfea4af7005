"""Curation step (run by a maintainer, never at run time): the share of each sector x partner
cell's 2024 imports on a product list that exempts goods from a tariff layer.

Lists (see analysis/data/SOURCES.md, section 11):

* ``ita_electronics``: the electronics subheadings of HTSUS note 2(v)(iii)(a) (heading
  9903.01.32; the Presidential Memorandum of 11 Apr 2025, retroactive to 5 Apr 2025), as
  quoted from HTSUS 2026 Rev 6 in the tracker's ``docs/ieepa_exempt_audit_2026-04-28.md``:
  8471, 8473.30, 8486, 8505.11.0070, 8517.13.00, 8517.62.00, 8523.51.00, 8524, 8528.52.00,
  the listed 8541 subheadings and 8542.
* ``ag_exclusion_eo14360``: the lines of the food chapters EO 14360 of 14 Nov 2025 names
  (02, 07, 08, 09, 10, 11, 12, 15, 16, 18, 19, 20, 21, 22, per Crowell's summary) that are
  in the tracker's Annex II list (``resources/ieepa_exempt_products.csv``, HTSUS Rev 6).
  Annex II had no food chapters before (docs/research/law_2025_gaps.md section 6). The
  "additional fertilizers" of chapter 31 cannot be told from the earlier ones and are left
  out, as are the list's lines in chapters the summary does not name (01, 03-06, 13, 14, 23).

Weights: the HS10 x country 2024 imports of ``member_imports.py``.

Usage (``pip install -e .[curation]``)::

    python data_build/exempt_lists.py WEIGHTS.rds PARTNER_MAP.csv ANNEX_II.csv OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ITA_ELECTRONICS = (
    "8471",
    "847330",
    "8486",
    "8505110070",
    "85171300",
    "85176200",
    "85235100",
    "8524",
    "85285200",
    "85411000",
    "85412100",
    "85412900",
    "85413000",
    "85414100",
    "85414910",
    "85414970",
    "85414980",
    "85414995",
    "85415100",
    "85415900",
    "85419000",
    "8542",
)


EO14360_CHAPTERS = (
    "02",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "15",
    "16",
    "18",
    "19",
    "20",
    "21",
    "22",
)


def main(weights: str, partner_map: str, annex_ii: str, out: str) -> None:
    import pyreadr  # type: ignore[import-not-found]  # curation-only dependency

    frame = next(iter(pyreadr.read_r(weights).values()))
    mapping = pd.read_csv(partner_map, dtype=str)
    frame = frame.merge(mapping[["cty_code", "partner"]], on="cty_code", how="left")
    frame["partner"] = frame["partner"].fillna("row")
    listed = pd.read_csv(annex_ii, dtype=str)["hts10"]
    food = set(listed[listed.str[:2].isin(EO14360_CHAPTERS)])
    lists = {
        "ita_electronics": frame["hs10"].str.startswith(ITA_ELECTRONICS),
        "ag_exclusion_eo14360": frame["hs10"].isin(food),
    }
    totals = frame.groupby(["gtap_code", "partner"])["imports"].sum()
    rows = []
    for name, on_list in lists.items():
        hit = frame[on_list].groupby(["gtap_code", "partner"])["imports"].sum()
        for (sector, partner), value in hit.items():
            rows.append((name, sector, partner, round(value), round(totals[(sector, partner)])))
    pd.DataFrame(
        rows,
        columns=["product_list", "sector", "partner", "exempt_imports_usd", "imports_usd"],
    ).to_csv(Path(out) / "exempt_lists_2024_by_sector_partner.csv", index=False)


if __name__ == "__main__":
    main(*sys.argv[1:5])
