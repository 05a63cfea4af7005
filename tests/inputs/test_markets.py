"""A user's own market file: validated, errors name file and key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import alias_bomb, without_hanging

from analysis.inputs.errors import InputError
from analysis.inputs.markets import load_market


def test_a_bad_custom_market_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "substitution_elasticity: 3\ndemand_elasticity: 1\n"
        "sources: [{name: a, base_value_usd: -5}]\n"
    )
    with pytest.raises(InputError, match=r"m.yaml: sources\[0\].base_value_usd"):
        load_market(path)


HEAD = "substitution_elasticity: 4\ndemand_elasticity: 1\nsources:\n"


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        # Issue 20, case 13: zero trade everywhere printed a price index of +6.5%.
        (
            "  - {name: japan, base_value_usd: 0, new_tariff_rate: 0.15}\n"
            "  - {name: us, base_value_usd: 0, domestic: true}\n",
            "sources[1].base_value_usd: expected a positive base value for the domestic source "
            "(or no domestic source), found 0.0",
        ),
        (
            "  - {name: japan, base_value_usd: 0, new_tariff_rate: 0.15}\n"
            "  - {name: us, base_value_usd: 10, domestic: true}\n",
            "sources: expected a foreign source with a positive base_value_usd, "
            "found 'no base imports (japan)'",
        ),
        (
            "  - {name: japan, base_value_usd: 0, new_tariff_rate: 0.15}\n",
            "sources: expected a foreign source with a positive base_value_usd, "
            "found 'no base imports (japan)'",
        ),
        (
            "  - {name: us, base_value_usd: 10, domestic: true}\n",
            "sources: expected a foreign source with a positive base_value_usd, "
            "found 'only the domestic source'",
        ),
        (
            "  - {name: japan, base_value_usd: 5, new_tariff_rate: 0.15}\n"
            "  - {name: us, base_value_usd: 0, domestic: true}\n",
            "sources[1].base_value_usd: expected a positive base value for the domestic source "
            "(or no domestic source), found 0.0",
        ),
    ],
)
def test_a_market_without_trade_is_refused(tmp_path: Path, sources: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(HEAD + sources)
    with pytest.raises(InputError) as err:
        load_market(path)
    assert str(err.value) == f"{path}: {message}"


def test_a_market_with_some_trade_loads(tmp_path: Path) -> None:
    # A zero foreign source next to a positive one is a fine market (no domestic source).
    path = tmp_path / "m.yaml"
    path.write_text(
        HEAD + "  - {name: japan, base_value_usd: 5}\n  - {name: korea, base_value_usd: 0}\n"
    )
    assert [s.base_value_usd for s in load_market(path).sources] == [5.0, 0.0]


def test_a_market_fifo_alias_bomb_or_impossible_date_is_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"fifo.yaml: \(file\): expected a regular file"):
        without_hanging(lambda: load_market(fifo), [fifo])
    path = tmp_path / "m.yaml"
    path.write_text(f"title: {alias_bomb()}\n" + HEAD + "  - {name: j, base_value_usd: 5}\n")
    with pytest.raises(InputError) as err:
        load_market(path)
    message = str(err.value)
    assert len(message) < 300 and "line 1: expected at most 1,000,000 values" in message
    path.write_text("title: 2025-02-30\n" + HEAD + "  - {name: j, base_value_usd: 5}\n")
    with pytest.raises(InputError, match=r"line 1: expected a valid YAML value, found 'day is"):
        load_market(path)
