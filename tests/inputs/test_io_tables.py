"""The input-output tables: the PCE bridge against the use table, and bad input."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.inputs.datasets import load_trade_data
from analysis.inputs.errors import InputError
from analysis.inputs.io_tables import IOTables, load_io_assumptions, load_io_tables
from analysis.inputs.paths import DATA_DIR

PARAMS = Path(__file__).resolve().parents[2] / "params" / "consumer_prices.yaml"


@pytest.fixture(scope="module")
def sectors() -> tuple[str, ...]:
    return load_trade_data().sectors


@pytest.fixture(scope="module")
def tables(sectors: tuple[str, ...]) -> IOTables:
    return load_io_tables(sectors)


def test_pce_bridge_sums_to_total_pce(tables: IOTables) -> None:
    # The bridge's purchasers' values add up to the use table's PCE column (F010), a separate
    # BEA table: $19,896.0 bn in 2024 (BEA rounds each of the 297 rows to the $ million).
    assert tables.total_pce_usd == pytest.approx(19_896_006e6, abs=297 * 0.5e6)
    assert tables.total_pce_usd == pytest.approx(tables.pce_use_table_usd.sum(), abs=297 * 0.5e6)
    np.testing.assert_allclose(tables.pce_purchasers_value_usd, tables.pce_use_table_usd, atol=10e6)
    # Each row: producers' value + transport + wholesale + retail = purchasers' value.
    b = tables.bridge
    parts = b[["producers_value_musd", "transportation_musd", "wholesale_musd", "retail_musd"]]
    np.testing.assert_allclose(parts.sum(axis=1), b["purchasers_value_musd"], atol=2.0)


def test_shapes_codes_and_crosswalk(tables: IOTables, sectors: tuple[str, ...]) -> None:
    assert (len(tables.commodities), len(tables.industries)) == (73, 71)
    assert tables.use_usd.shape == tables.import_use_usd.shape == (73, 71)
    assert tables.domestic_requirements.shape == (71, 73)
    assert set(sectors) <= set(tables.sector_commodities)
    assert tables.sector_commodities["mvh"] == ("3361MV",)
    assert set(tables.sector_commodities["ppp"]) == {"322", "323"}
    # 2024 farm products absorbed at home: $813.3 bn, $60.6 bn of it imported (Tariff-Model's
    # bea_commodity_use_totals.csv: import_total 60583, domestic_total 752670, $ millions).
    farms = tables.commodities.index("111CA")
    assert tables.import_absorption_usd[farms] == pytest.approx(60_583e6)
    assert tables.absorption_usd[farms] == pytest.approx((60_583 + 752_670) * 1e6)


def _copy_with(tmp_path: Path, name: str, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
    """The shipped data with one file edited and its manifest checksum updated."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / name
    edit(pd.read_csv(path, dtype=str, keep_default_na=False)).to_csv(path, index=False)
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text())
    manifest["files"][name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


def _set(frame: pd.DataFrame, where: dict[str, str], column: str, value: str) -> pd.DataFrame:
    mask = np.logical_and.reduce([frame[k] == v for k, v in where.items()])
    frame.loc[mask, column] = value
    return frame


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "io_use_2024_summary.csv",
            lambda f: f[~((f["commodity"] == "334") & (f["industry"] == "333"))],
            "complete grid",
        ),
        (
            "io_domestic_requirements_2024_summary.csv",
            lambda f: f[f["industry"] != "GFE"],
            "industry: expected the 71 codes of the use table, found 'missing GFE'",
        ),
        (
            "io_use_2024_summary.csv",
            lambda f: _set(f, {"commodity": "334", "industry": "333"}, "import_use_musd", "-100"),
            "334.333.import_use_musd: expected >= 0",
        ),
        (
            "io_industries_2024_summary.csv",
            lambda f: _set(f, {"industry": "334"}, "output_musd", "0"),
            "334.output_musd: expected > 0",
        ),
        (
            "gtap_bea_crosswalk.csv",
            lambda f: f[f["sector"] != "mvh"],
            "sector mvh: expected a BEA commodity for every goods sector, found 'unmapped'",
        ),
        (
            "pce_bridge_2024_summary.csv",
            lambda f: _set(f, {"commodity": "3361MV", "nipa_line": "5"}, "commodity", "3361XX"),
            "commodity: expected a commodity of the use table, found '3361XX'",
        ),
    ],
)
def test_bad_tables_give_one_line(
    tmp_path: Path,
    sectors: tuple[str, ...],
    name: str,
    edit: Callable[[pd.DataFrame], pd.DataFrame],
    message: str,
) -> None:
    folder = _copy_with(tmp_path, name, edit)
    with pytest.raises(InputError) as caught:
        load_io_tables(sectors, folder)
    text = str(caught.value)
    assert name in text and message in text and "\n" not in text


def test_assumptions_give_the_budget_labs_scale() -> None:
    assumptions = load_io_assumptions(PARAMS)
    assert assumptions.response_scale == pytest.approx(1.326)
    assert assumptions.consumption_dollar_year == 2024


def test_bad_assumptions_name_the_key(tmp_path: Path) -> None:
    doc = yaml.safe_load(PARAMS.read_text())
    doc["usd_offset"] = 1.5
    path = tmp_path / "consumer_prices.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match=r"usd_offset: expected a number between 0\.0 and 1\.0"):
        load_io_assumptions(path)
