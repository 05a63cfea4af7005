"""Curation step (run by a maintainer, never at run time): the BEA 2024 summary input-output
tables, the 2024 PCE bridge and a GTAP -> BEA commodity crosswalk, as compact long CSVs for the
consumer-price model (analysis/model/io_prices.py).

Sources (see analysis/data/SOURCES.md, section 12). Every number is BEA's (US-government work,
public domain); the copies come from ``Budget-Lab-Yale/Tariff-Model`` ``resources/io/`` (a
repository with no licence file), snapshot commit 82cfad3dc1f5d15620469daf230aa6e41a7b9584:

* ``BEA - The Use of Commodities by Industry - Summary - 2024.xlsx``: intermediate use by
  commodity x industry, personal consumption expenditures (F010), total use (T019), industry
  output (T018), total intermediate inputs (T005), compensation of employees (V001);
* ``BEA - Import Matrix, Before Redefinitions - Summary - 2024.xlsx``: imported intermediate use
  and total imports (F050) by commodity;
* ``PCEBridge_Summary.xlsx`` sheet ``2024``: the PCE bridge (producers' value, transport,
  wholesale and retail margins, purchasers' value by NIPA line x commodity);
* ``bea_requirements_domestic.csv``: BEA's industry-by-commodity *domestic* total requirements
  (summary, 2024), as extracted by Tariff-Model from BEA's "TOTAL AND DOMESTIC REQUIREMENTS"
  zip, which is not in the snapshot (its blob is absent); this script checks it against a
  Leontief inverse computed here from the use and import tables (see ``_check_requirements``);
* ``gtap_bea_crosswalk.csv``: GTAP v11 sector -> BEA summary commodity (Tariff-Model's mapping).

The .xlsx files are read with the standard library (zip + XML), so no spreadsheet package is
needed.

Usage::

    python data_build/io_tables.py /work/.mirror/Budget-Lab-Yale+Tariff-Model/repo OUT_DIR
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np

COMMIT = "82cfad3dc1f5d15620469daf230aa6e41a7b9584"
USE = "resources/io/BEA - The Use of Commodities by Industry - Summary - 2024.xlsx"
IMPORTS = "resources/io/BEA - Import Matrix, Before Redefinitions - Summary - 2024.xlsx"
BRIDGE = "resources/io/PCEBridge_Summary.xlsx"
REQUIREMENTS = "resources/io/bea_requirements_domestic.csv"
CROSSWALK = "resources/io/gtap_bea_crosswalk.csv"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
Rows = list[list[str | None]]


def _git_show(git_dir: Path, path: str) -> bytes:
    cmd = ["git", f"--git-dir={git_dir}", "show", f"{COMMIT}:{path}"]
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    n = 0
    for ch in letters.group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(blob: bytes, sheet: str) -> Rows:
    """One sheet of an .xlsx file as rows of cell strings (None where empty)."""
    book = zipfile.ZipFile(io.BytesIO(blob))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        for item in ET.fromstring(book.read("xl/sharedStrings.xml")).findall(f"{_NS}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{_NS}t")))
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): str(r.get("Target")) for r in rels}
    node = next(s for s in workbook.iter(f"{_NS}sheet") if s.get("name") == sheet)
    target = targets[node.get(_REL)].lstrip("/")
    root = ET.fromstring(book.read(target if target.startswith("xl/") else f"xl/{target}"))
    rows: Rows = []
    for row in root.iter(f"{_NS}row"):
        cells: dict[int, str | None] = {}
        for cell in row.findall(f"{_NS}c"):
            value = cell.find(f"{_NS}v")
            text = value.text if value is not None else None
            if cell.get("t") == "s" and text is not None:
                text = shared[int(text)]
            cells[_column(str(cell.get("r")))] = text
        index = int(str(row.get("r"))) - 1
        rows.extend([] for _ in range(index - len(rows) + 1))
        rows[index] = [cells.get(i) for i in range(max(cells) + 1 if cells else 0)]
    return rows


def _number(text: str | None) -> float:
    """BEA writes '---' for a cell it suppresses or that is zero; read it as 0."""
    if text is None or text.strip() in ("", "---", "..."):
        return 0.0
    return float(text)


def _table(rows: Rows, code_row: int) -> tuple[dict[str, int], dict[str, int], Rows]:
    """Column index by code, row index by code, for a BEA table whose codes are in row 6."""
    header = rows[code_row]
    columns = {str(c).strip(): j for j, c in enumerate(header) if c not in (None, "")}
    row_index = {
        str(r[0]).strip(): i for i, r in enumerate(rows) if i > code_row + 1 and r and r[0]
    }
    return columns, row_index, rows


def build(git_dir: Path, out: Path) -> None:
    use_cols, use_rows, use = _table(read_xlsx(_git_show(git_dir, USE), "Table"), 5)
    imp_cols, imp_rows, imp = _table(read_xlsx(_git_show(git_dir, IMPORTS), "Table"), 5)
    industries = [
        c for c in use_cols if use_cols[c] < use_cols["T001"] and c != "Commodities/Industries"
    ]
    commodities = [r for r in use_rows if use_rows[r] < use_rows["T005"]]
    names = {
        r: str(use[use_rows[r]][1]).strip() for r in [*commodities, *industries] if r in use_rows
    }
    ind_names = {c: str(use[6][use_cols[c]]).strip() for c in industries}

    def cell(rows: Rows, r: int, c: int) -> float:
        row = rows[r]
        return _number(row[c] if c < len(row) else None)

    with open(out / "io_use_2024_summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["commodity", "industry", "use_musd", "import_use_musd"])
        for c in commodities:
            for i in industries:
                total = cell(use, use_rows[c], use_cols[i])
                imported = cell(imp, imp_rows[c], imp_cols[i]) if c in imp_rows else 0.0
                w.writerow([c, i, f"{total:.0f}", f"{imported:.0f}"])

    bridge = read_xlsx(_git_show(git_dir, BRIDGE), "2024")
    bridge_rows = [r for r in bridge[5:] if r and r[0] not in (None, "")]
    by_commodity: dict[str, list[float]] = {c: [0.0, 0.0] for c in commodities}
    with open(out / "pce_bridge_2024_summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "nipa_line",
                "pce_category",
                "commodity",
                "producers_value_musd",
                "transportation_musd",
                "wholesale_musd",
                "retail_musd",
                "purchasers_value_musd",
            ]
        )
        for r in bridge_rows:
            code = str(r[2]).strip()
            values = [_number(r[k]) for k in range(4, 9)]
            w.writerow(
                [int(float(str(r[0]))), str(r[1]).strip(), code, *(f"{v:.0f}" for v in values)]
            )
            by_commodity[code][0] += values[0]
            by_commodity[code][1] += values[4]

    # Domestic absorption as Tariff-Model's extract_bea_totals.py measures it: intermediate use
    # plus every final-demand column except exports (F040) and the import entry (F050).
    def absorbed(columns: dict[str, int]) -> list[int]:
        finals = [j for k, j in columns.items() if k.startswith("F") and k not in ("F040", "F050")]
        return [j for k, j in columns.items() if k in industries] + finals

    use_absorbed, imp_absorbed = absorbed(use_cols), absorbed(imp_cols)
    with open(out / "io_commodities_2024_summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "commodity",
                "description",
                "absorption_musd",
                "import_absorption_musd",
                "pce_musd",
                "pce_producers_value_musd",
                "pce_purchasers_value_musd",
            ]
        )
        for c in commodities:
            total = sum(cell(use, use_rows[c], j) for j in use_absorbed)
            imported = (
                sum(cell(imp, imp_rows[c], j) for j in imp_absorbed) if c in imp_rows else 0.0
            )
            pce = cell(use, use_rows[c], use_cols["F010"])
            prod, purch = by_commodity[c]
            w.writerow([c, names[c], *(f"{v:.0f}" for v in (total, imported, pce, prod, purch))])

    with open(out / "io_industries_2024_summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "industry",
                "description",
                "output_musd",
                "intermediate_inputs_musd",
                "compensation_musd",
            ]
        )
        for i in industries:
            j = use_cols[i]
            values = [cell(use, use_rows[k], j) for k in ("T018", "T005", "V001")]
            w.writerow([i, ind_names[i], *(f"{v:.0f}" for v in values)])

    requirements = list(csv.reader(io.StringIO(_git_show(git_dir, REQUIREMENTS).decode())))
    req_commodities = requirements[0][1:]
    if sorted(req_commodities) != sorted(commodities) or sorted(
        r[0] for r in requirements[1:]
    ) != sorted(industries):
        raise SystemExit("domestic requirements: codes differ from the use table")
    with open(out / "io_domestic_requirements_2024_summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["industry", "commodity", "requirement"])
        for row in requirements[1:]:
            for c, value in zip(req_commodities, row[1:], strict=True):
                w.writerow([row[0], c, value])

    crosswalk = list(csv.DictReader(io.StringIO(_git_show(git_dir, CROSSWALK).decode())))
    with open(out / "gtap_bea_crosswalk.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sector", "commodity", "commodity_description"])
        for row in crosswalk:
            w.writerow([row["gtap_code"].lower(), row["bea_code"], row["bea_description"]])
    _check_requirements(out, commodities, industries)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _check_requirements(out: Path, commodities: list[str], industries: list[str]) -> None:
    """Print how far BEA's domestic requirements are from an industry-technology Leontief
    inverse built here with each industry making only its own commodity (D = I on the 71
    shared codes): a check that the extracted table is the domestic one of these tables,
    not a replacement for it (BEA's uses the make table, which the snapshot lacks)."""
    use = {(r["commodity"], r["industry"]): r for r in _rows(out / "io_use_2024_summary.csv")}
    output = {
        r["industry"]: float(r["output_musd"])
        for r in _rows(out / "io_industries_2024_summary.csv")
    }
    n = len(industries)
    b_dom = np.zeros((n, n))
    for a, c in enumerate(industries):
        for b, i in enumerate(industries):
            r = use[(c, i)]
            b_dom[a, b] = (float(r["use_musd"]) - float(r["import_use_musd"])) / output[i]
    approx = np.linalg.inv(np.eye(n) - b_dom)  # rows: commodity ~ industry, columns: industry
    req = {
        (r["industry"], r["commodity"]): float(r["requirement"])
        for r in _rows(out / "io_domestic_requirements_2024_summary.csv")
    }
    bea = np.array([[req[(i, c)] for c in industries] for i in industries])
    # approx[c, i] is commodity c needed per unit of industry i; BEA's is industry i per
    # unit of commodity c: compare column sums (output multipliers) of the transposes.
    print("output multipliers, BEA vs D=I approximation (first 10):")
    for k in range(10):
        print(f"  {industries[k]:8s} {bea[:, k].sum():.3f} {approx[:, k].sum():.3f}")
    gap = np.abs(bea.sum(axis=0) - approx.sum(axis=0))
    print(f"  max gap {gap.max():.3f}, median {np.median(gap):.3f}")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
