"""Curation step (run by a maintainer, never at run time): the trade-weighted coverage of the
Section 232 vehicle programmes in each sector x partner cell, from 2024 HS10 x country imports.

Product scopes (HTSUS Rev 6 via the Budget Lab at Yale tracker, MIT: config/policy_params.yaml
``section_232_headings`` and resources/s232_auto_parts.txt, resources/s232_mhd_parts.txt):

* ``autos``: passenger vehicles (8703.22-.90) and light trucks (8704.21.01, .31.01, .41.00,
  .51.00), Proclamation 10908, from 3 Apr 2025;
* ``auto_parts``: the parts list of Proclamation 10908 Annex I (as amended), from 3 May 2025;
* ``mhd_vehicles``: medium and heavy trucks, tractors and chassis (Proclamation 10984);
* ``mhd_parts``: their parts list (Proclamation 10984 annex), from 1 Nov 2025;
* ``buses``: 8702 (Proclamation 10984, 10%), from 1 Nov 2025.

A line is counted once, in the first scope it matches in that order. Weights: the Census 2024
imports of analysis/data/SOURCES.md section 10.

Usage (``pip install -e .[curation]``)::

    python data_build/section232_vehicles.py WEIGHTS.rds PARTNER_MAP.csv \
        AUTO_PARTS.txt MHD_PARTS.txt
"""

from __future__ import annotations

import sys

import pandas as pd

AUTOS = ("870322", "870323", "870324", "870331", "870332", "870333", "870334", "870340")
AUTOS += ("870350", "870360", "870370", "870380", "870390")
AUTOS += ("87042101", "87043101", "87044100", "87045100")
MHD = ("87012100", "87012200", "87012300", "87012400", "87012900", "87041010", "87041050")
MHD += ("87042211", "87042251", "87042301", "87043201", "87044200", "87044300", "87045200")
MHD += ("87046000", "87049001", "87054000", "8705900080", "87060003", "8706000520")
MHD += ("8706000575", "87060025", "87060050", "87091100", "87091900")
BUSES = ("8702",)


def _prefixes(path: str) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(s.strip() for s in handle if s.strip() and not s.startswith("#"))


def main(weights: str, partner_map: str, auto_parts: str, mhd_parts: str) -> None:
    import pyreadr  # type: ignore[import-not-found]  # curation-only dependency

    frame = next(iter(pyreadr.read_r(weights).values()))
    mapping = pd.read_csv(partner_map, dtype=str)
    frame = frame.merge(mapping[["cty_code", "partner"]], on="cty_code", how="left")
    frame["partner"] = frame["partner"].fillna("row")
    scopes = {
        "autos": AUTOS,
        "buses": BUSES,
        "mhd_vehicles": MHD,
        "auto_parts": _prefixes(auto_parts),
        "mhd_parts": _prefixes(mhd_parts),
    }
    frame["scope"] = "none"
    for name, prefixes in scopes.items():
        free = frame["scope"] == "none"
        frame.loc[free & frame["hs10"].str.startswith(prefixes), "scope"] = name
    totals = frame.groupby(["gtap_code", "partner"])["imports"].sum()
    covered = frame.groupby(["scope", "gtap_code", "partner"])["imports"].sum()
    for name in scopes:
        shares = (covered[name] / totals).dropna().unstack().fillna(0.0)
        overall = covered[name].groupby("gtap_code").sum() / totals.groupby("gtap_code").sum()
        print(f"# {name}: ${covered[name].sum() / 1e9:.1f} bn")
        for sector in shares.index:
            row = shares.loc[sector]
            if overall[sector] < 0.0005:
                continue
            parts = ", ".join(f"{p}: {v:.4f}" for p, v in row.items())
            print(f"  {sector}: {{share: {overall[sector]:.4f}, by_partner: {{{parts}}}}}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
