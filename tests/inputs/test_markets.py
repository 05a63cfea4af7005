"""A user's own market file: validated, errors name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs.markets import load_market


def test_a_bad_custom_market_names_file_and_key(tmp_path: Path) -> None:
    from analysis.inputs.errors import InputError

    path = tmp_path / "m.yaml"
    path.write_text(
        "substitution_elasticity: 3\ndemand_elasticity: 1\n"
        "sources: [{name: a, base_value_usd: -5}]\n"
    )
    with pytest.raises(InputError, match=r"m.yaml: sources\[0\].base_value_usd"):
        load_market(path)
