"""The shipped data: checksummed, totals as documented, clear when corrupted."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.datasets import _manifest, read_checked_csv, verify_all
from analysis.inputs.errors import InputError
from analysis.inputs.paths import DATA_DIR
from analysis.inputs.validate import read_yaml


def test_shipped_data_passes_every_check() -> None:
    assert verify_all() == []


def test_import_totals_match_the_documented_checks(inputs: Inputs) -> None:
    data = inputs.data
    # analysis/data/SOURCES.md "Checks": $3,123,773,412,637 in all, $144,863,352,475 from Japan.
    assert data.imports_usd.sum() == 3_123_773_412_637
    assert data.imports_usd[:, data.partner_index("japan")].sum() == 144_863_352_475
    assert data.sector_units_2024("japan", "mvh") == 1_388_330


def test_partner_names_and_units_come_from_the_data(inputs: Inputs) -> None:
    data = inputs.data
    assert data.partner_name("eu") == "European Union"
    assert data.partner_name("japan") == "Japan"
    # No car count is shipped for the EU (only values by member state) nor for other sectors.
    assert np.isnan(data.sector_units_2024("eu", "mvh"))
    assert np.isnan(data.sector_units_2024("japan", "ele"))


def test_a_corrupted_data_file_is_named_in_the_error(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    target = tmp_path / "data" / "us_imports_2024_by_sector_partner.csv"
    target.write_text(target.read_text().replace("48865", "48866", 1))
    with pytest.raises(InputError, match=r"us_imports_2024_by_sector_partner.csv: sha256"):
        read_checked_csv(target.name, tmp_path / "data")


def test_the_manifest_read_again_is_the_file_parsed_afresh(tmp_path: Path) -> None:
    """The parsed manifest kept between calls is the file's own YAML on every call: equal to
    a fresh parse, unharmed by a caller that changes its copy, parsed again once the text
    changes (another entry's checksum here) and for another folder."""
    fresh = read_yaml(DATA_DIR / "manifest.yaml")
    assert isinstance(fresh, dict)
    first = _manifest(DATA_DIR)
    assert first == fresh["files"]
    first["sectors.csv"]["sha256"] = "0" * 64
    first.pop("partners.csv")
    assert _manifest(DATA_DIR) == fresh["files"]
    shutil.copytree(DATA_DIR, tmp_path / "data")
    manifest = tmp_path / "data" / "manifest.yaml"
    old = fresh["files"]["sectors.csv"]["sha256"]
    assert _manifest(tmp_path / "data") == fresh["files"]
    manifest.write_text(manifest.read_text().replace(old, "f" * 64, 1))
    assert _manifest(tmp_path / "data")["sectors.csv"]["sha256"] == "f" * 64
    with pytest.raises(InputError, match=r"sectors.csv: sha256"):
        read_checked_csv("sectors.csv", tmp_path / "data")
    assert _manifest(DATA_DIR) == fresh["files"]
