"""Curation step (run by a maintainer, never at run time): our additional tariff rates as the
package computed them when issue 16 was filed (commit d6ab567 of this repository, 29 Nov 2026,
before the line-level engine), for the days of the issue's closing note, so the validation
report can show the gaps to the tradewartracker then and now (analysis/data/SOURCES.md
section 18).

The package had no country rates then: only its 8 regions (``rates --date D --json``,
``partners``). Japan, China, Mexico, Canada and the United Kingdom are regions of one country;
the other suppliers sat inside ``ftrow``, ``row`` or ``eu``, and the file keeps those regions'
rates, which is what a user could read for them. ``section301_rate`` is the region's Section
301 layer (``layers.<region>.section301``), so China's rate can be put on the tracker's
definition (without the measures in force before 2025).

Usage (a checkout of the commit and a Python with the package's dependencies)::

    git worktree add /tmp/at_filing d6ab567
    python data_build/rates_at_filing.py /tmp/at_filing PYTHON OUT.csv
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd

COMMIT = "d6ab567"
DAYS = ("2025-05-20", "2025-10-01", "2026-01-15", "2026-03-05", "2026-11-28")


def main(checkout: str, python: str, out: str) -> None:
    head = subprocess.run(
        ["git", "-C", checkout, "rev-parse", "--short=7", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if head != COMMIT:
        raise SystemExit(f"{checkout} is at {head}, expected {COMMIT}")
    env = os.environ | {"PYTHONPATH": checkout}
    rows = []
    for day in DAYS:
        answer = subprocess.run(
            [python, "-m", "analysis", "rates", "--date", day, "--json"],
            check=True,
            capture_output=True,
            text=True,
            cwd=checkout,
            env=env,
        ).stdout
        doc = json.loads(answer)
        for region, rates in doc["partners"].items():
            if region == "all":
                continue
            rows.append(
                {
                    "date": day,
                    "region": region,
                    "additional_tariff_rate": round(rates["additional_tariff_rate"], 6),
                    "section301_rate": round(doc["layers"][region].get("section301", 0.0), 6),
                    "commit": COMMIT,
                }
            )
    pd.DataFrame(rows).to_csv(out, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
