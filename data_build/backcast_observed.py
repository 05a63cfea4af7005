"""Curation step (run by a maintainer, never at run time): what 2025 showed, for the backcast of
the validation report (issue 17 item 3; analysis/data/SOURCES.md section 17).

Writes five compact files into the output folder:

* ``customs_receipts_monthly.csv``: the Treasury's monthly customs duties (Monthly Treasury
  Statement, "Customs Duties", net of refunds) and Census monthly goods imports (general
  imports, customs value, not seasonally adjusted), 2024-01 to 2026-03. Read from
  ``Budget-Lab-Yale/tariff-etr-eval`` ``resources/treasury_revenue.csv`` @ 5c53e393 (MIT; a
  verbatim copy of the Budget Lab tariff-impact-tracker's ``output/tariff_revenue.csv``, Haver
  series FTRU@GOVFIN and TMMCN@USINT, $ millions).
* ``us_imports_by_partner_monthly.csv``: Census monthly imports from Canada, Mexico, China,
  the EU and the world, 2024-01 to 2026-01, $ millions, from ``Budget-Lab-Yale/
  tariff-impact-tracker`` ``output/import_shares.csv`` @ 0911eb11 (Haver series M156Z0,
  M273Z0, M924Z0, M997Z0, M001Z0 @USTRADE; the repository has no licence file, the figures are
  Census's, public domain).
* ``japan_exports_to_us_2025.csv``: Japan's Ministry of Finance trade statistics for 2025,
  hand-transcribed below from the press copies named in each row.
* ``published_incidence.csv``: the published shares of the 2025 (and 2018) tariffs borne by
  foreign exporters, hand-transcribed below.
* ``distributional_pce_2023.csv``: BLS distributional PCE 2023 (each PCE spending bucket's
  total and its split across income deciles, percent) with the NIPA PCE lines of each bucket,
  from ``Budget-Lab-Yale/Tariff-Model`` ``resources/distribution/distributional_pce_2023.csv``
  and ``nipa_pce_to_distributional_bucket.csv`` @ 82cfad3d (no licence file; BLS figures,
  public domain).

Usage::

    python data_build/backcast_observed.py ETR_EVAL IMPACT_TRACKER TARIFF_MODEL OUT_DIR

where each repository argument is a git directory (a ``fetch`` mirror); files are read with
``git show`` at the commits above.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

ETR_EVAL_COMMIT = "5c53e393348aa73e8f1b11da9608c3603945a13a"
TRACKER_COMMIT = "0911eb116dca88d3845bc524aeb40b06a7e9e2f6"
TARIFF_MODEL_COMMIT = "82cfad3dc1f5d15620469daf230aa6e41a7b9584"
MILLION = 1_000_000

#: Japan's Ministry of Finance trade statistics (preliminary), as the press reported them.
JIJI_2026_01_22 = (
    "Jiji Press, 'Japan Logs Trade Deficit of 2.6 T. Yen in 2025', 22 Jan 2026 (Ministry of "
    "Finance preliminary trade statistics for calendar 2025)",
    "https://english.adnkronos.com/2026/01/22/japan-logs-trade-deficit-of-2-6-t-yen-in-2025",
    "2026-01-22",
)
KYODO_2025_10_22 = (
    "Kyodo via Qazinform, 'Japan exports to U.S. down 10.2% in April-September amid higher "
    "tariffs', 22 Oct 2025 (Ministry of Finance preliminary, first half of fiscal 2025)",
    "https://qazinform.com/amp/japan-exports-to-us-down-102-in-april-september-amid-higher-tariffs-f26f11",
    "2025-10-22",
)
JAPAN_ROWS = [
    # item, period, value, unit, change from the same period a year earlier (fraction), source
    ("exports_to_us", "2025", 20_414e9, "JPY", -0.041, JIJI_2026_01_22),
    ("car_exports_to_us_value", "2025", 5_340.9e9, "JPY", -0.114, JIJI_2026_01_22),
    ("car_exports_to_us_units", "2025", None, "vehicles", -0.011, JIJI_2026_01_22),
    ("exports_to_us", "2025-04/2025-09", 9.71e12, "JPY", -0.102, KYODO_2025_10_22),
    ("car_exports_to_us_value", "2025-04/2025-09", None, "JPY", -0.227, KYODO_2025_10_22),
]

#: Foreign exporters' share of the tariff (1 - pass-through to US import prices at the border).
INCIDENCE_ROWS = [
    # study, period covered, foreign share, what it measures, title, url, date
    (
        "NY Fed (Amiti, Flanagan, Heise, Weinstein), Feb 2026",
        "2025-01/2025-08",
        0.06,
        "a 10% tariff lowered foreign export prices 0.6 points: 94% borne in the US",
        "Liberty Street Economics, 'Who Is Paying for the 2025 U.S. Tariffs?', 12 Feb 2026 "
        "(quoted in consistent reposts; the page itself was not read offline)",
        "https://libertystreeteconomics.newyorkfed.org/2026/02/who-is-paying-for-the-2025-u-s-tariffs/",
        "2026-02-12",
    ),
    (
        "NY Fed, Nov 2025 estimate (same post)",
        "2025-01/2025-08",
        0.14,
        "earlier estimate: a 10% tariff with a 1.4% fall in foreign export prices",
        "Liberty Street Economics, same post, quoting the November 2025 estimate",
        "https://libertystreeteconomics.newyorkfed.org/2026/02/who-is-paying-for-the-2025-u-s-tariffs/",
        "2026-02-12",
    ),
    (
        "Kiel Institute (Hinz et al.), Jan 2026",
        "2025-01/2025-12",
        0.039,
        "shipment-level: a 10-point tariff rise lowered export prices 0.39%",
        "Kiel Institute study via sgieurope, 'Study: US consumers bear most Trump tariff costs', "
        "Jan 2026 (dated to the month; secondary)",
        "https://www.sgieurope.com/sourcing/study-us-consumers-bear-most-trump-tariff-costs/119118.article",
        "2026-01-01",
    ),
    (
        "Amiti, Redding and Weinstein (2019), the 2018 tariffs",
        "2018-01/2018-12",
        0.0,
        "complete pass-through of the 2018 tariffs to duty-inclusive import prices",
        "Amiti, Redding and Weinstein, 'The Impact of the 2018 Tariffs on Prices and Welfare', "
        "Journal of Economic Perspectives 33(4):187-210",
        "https://ideas.repec.org/a/aea/jecper/v33y2019i4p187-210.html",
        "2019-11-01",
    ),
]


def _git_csv(repo: str, commit: str, path: str) -> pd.DataFrame:
    text = subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:{path}"], check=True, capture_output=True, text=True
    ).stdout
    return pd.read_csv(io.StringIO(text), comment="#")


def receipts(etr_eval: str) -> pd.DataFrame:
    raw = _git_csv(etr_eval, ETR_EVAL_COMMIT, "resources/treasury_revenue.csv")
    raw = raw[raw["date"] >= "2024-01-01"]
    return pd.DataFrame(
        {
            "month": raw["date"].str[:7],
            "customs_duties_usd": (raw["customs_duties"] * MILLION).round().astype("int64"),
            "general_imports_usd": (raw["imports_value"] * MILLION).round().astype("int64"),
        }
    )


def imports_by_partner(tracker: str) -> pd.DataFrame:
    raw = _git_csv(tracker, TRACKER_COMMIT, "output/import_shares.csv")
    raw = raw[raw["date"] >= "2024-01-01"]
    names = {"m_canada": "canada", "m_mexico": "mexico", "m_china": "china", "m_eu": "eu"}
    names["m_world"] = "all"
    long = raw.melt(id_vars="date", value_vars=list(names), var_name="series", value_name="musd")
    return pd.DataFrame(
        {
            "month": long["date"].str[:7],
            "partner": long["series"].map(names),
            "imports_usd": (long["musd"] * MILLION).round().astype("int64"),
        }
    ).sort_values(["partner", "month"], ignore_index=True)


def distributional_pce(tariff_model: str) -> pd.DataFrame:
    folder = "resources/distribution"
    shares = _git_csv(tariff_model, TARIFF_MODEL_COMMIT, f"{folder}/distributional_pce_2023.csv")
    lines = _git_csv(
        tariff_model, TARIFF_MODEL_COMMIT, f"{folder}/nipa_pce_to_distributional_bucket.csv"
    )
    by_bucket = lines.groupby("pce_mp")["nipa_line"].apply(lambda s: ";".join(map(str, s)))
    long = shares.melt(
        id_vars=["pce_mp", "pce_title", "total_billions"],
        value_vars=[f"d{d}" for d in range(1, 11)],
        var_name="decile",
        value_name="percent",
    )
    return pd.DataFrame(
        {
            "bucket": long["pce_mp"],
            "bucket_title": long["pce_title"],
            "nipa_lines": long["pce_mp"].map(by_bucket),
            "bucket_total_usd": (long["total_billions"] * 1e9).round().astype("int64"),
            "decile": long["decile"].str[1:].astype(int),
            "decile_share": (long["percent"] / 100).round(6),
        }
    ).sort_values(["bucket", "decile"], ignore_index=True)


def main(etr_eval: str, tracker: str, tariff_model: str, out_dir: str) -> None:
    out = Path(out_dir)
    receipts(etr_eval).to_csv(out / "customs_receipts_monthly.csv", index=False)
    imports_by_partner(tracker).to_csv(out / "us_imports_by_partner_monthly.csv", index=False)
    japan = pd.DataFrame(
        [(i, p, v, u, c, *src) for i, p, v, u, c, src in JAPAN_ROWS],
        columns=["item", "period", "value", "unit", "change", "source", "url", "date"],
    )
    japan.to_csv(out / "japan_exports_to_us_2025.csv", index=False)
    incidence = pd.DataFrame(
        INCIDENCE_ROWS,
        columns=["study", "period", "foreign_share", "measure", "source", "url", "date"],
    )
    incidence.to_csv(out / "published_incidence.csv", index=False)
    distributional_pce(tariff_model).to_csv(out / "distributional_pce_2023.csv", index=False)
    fy2025 = receipts(etr_eval).set_index("month").loc["2024-10":"2025-09", "customs_duties_usd"]
    print(f"FY2025 customs duties (Oct 2024 - Sep 2025): ${fy2025.sum() / 1e9:.3f} bn")


if __name__ == "__main__":
    main(*sys.argv[1:5])
