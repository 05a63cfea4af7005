"""Where the package finds its params: $TARIFF_REPORTS_PARAMS, else the repository's."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs.paths import DATA_DIR, PROJECT_DIR, params_dir


def test_params_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARIFF_REPORTS_PARAMS", raising=False)
    assert params_dir() == PROJECT_DIR / "params"
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(tmp_path))
    assert params_dir() == tmp_path.resolve()


def test_the_data_ships_inside_the_package() -> None:
    assert (DATA_DIR / "manifest.yaml").is_file() and DATA_DIR.parent.name == "analysis"
