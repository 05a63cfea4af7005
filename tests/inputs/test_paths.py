"""Where the package finds its params: $TARIFF_REPORTS_PARAMS, else the repository's."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs.paths import DATA_DIR, PROJECT_DIR, params_dir, params_layers


def test_params_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARIFF_REPORTS_PARAMS", raising=False)
    assert params_dir() == PROJECT_DIR / "params"
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(tmp_path))
    assert params_dir() == tmp_path.resolve()


def test_the_data_ships_inside_the_package() -> None:
    assert (DATA_DIR / "manifest.yaml").is_file() and DATA_DIR.parent.name == "analysis"


def test_params_layers_put_the_users_files_over_the_shipped_ones(tmp_path: Path) -> None:
    from analysis.inputs.paths import SHIPPED_PARAMS_DIR, params_file, params_files

    assert params_layers(SHIPPED_PARAMS_DIR) == (SHIPPED_PARAMS_DIR.resolve(),)
    assert params_layers(tmp_path) == (SHIPPED_PARAMS_DIR, tmp_path.resolve())
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "zz_mine.yaml").write_text("x")
    (tmp_path / "scenarios" / "current.yaml").write_text("x")
    files = params_files("scenarios", tmp_path)
    names = [p.name for p in files]
    assert names == sorted(names) and len(names) == len(set(names))
    assert tmp_path.resolve() / "scenarios" / "current.yaml" in files
    assert SHIPPED_PARAMS_DIR / "scenarios" / "mfn_only.yaml" in files
    assert files[-1] == tmp_path.resolve() / "scenarios" / "zz_mine.yaml"
    assert params_file("elasticities.yaml", tmp_path) == SHIPPED_PARAMS_DIR / "elasticities.yaml"
    (tmp_path / "elasticities.yaml").write_text("x")
    assert params_file("elasticities.yaml", tmp_path) == tmp_path.resolve() / "elasticities.yaml"
