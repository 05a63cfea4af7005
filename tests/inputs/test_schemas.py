"""The file formats declared once: the schemas validate, word the one-line errors and write the
format reference in docs/formats.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR
from analysis.inputs.schemas import (
    ChangeSpec,
    LineListsSpec,
    MarketSpec,
    MeasureSpec,
    RunSpec,
    ScenarioSpec,
    format_reference,
    keys,
    validated,
)

MARKET = {
    "substitution_elasticity": 4.0,
    "demand_elasticity": 1.0,
    "sources": [{"name": "japan", "base_value_usd": 5.0e9, "new_tariff_rate": 0.15}],
}


def test_the_format_reference_is_up_to_date() -> None:
    doc = (PROJECT_DIR / "docs" / "formats.md").read_text(encoding="utf-8")
    assert doc == format_reference(), (
        "docs/formats.md is stale: python -m analysis.inputs.schemas > docs/formats.md"
    )
    for name in keys(ChangeSpec) | keys(MarketSpec):
        assert f"| `{name}` |" in doc


def test_a_valid_market_keeps_its_values_and_defaults() -> None:
    spec = validated(MarketSpec, Path("m.yaml"), MARKET)
    (source,) = spec.sources
    assert (source.base_value_usd, source.base_tariff_rate, source.new_tariff_rate) == (
        5.0e9,
        0.0,
        0.15,
    )
    assert source.supply_elasticity == float("inf") and source.domestic is False


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            {"sources": [{"name": "j", "base_value_usd": 1, "colour": "red"}]},
            "m.yaml: sources[0].colour: expected one of ['base_tariff_rate', 'base_value_usd', "
            "'domestic', 'name', 'new_tariff_rate', 'quantity_cap', 'supply_elasticity'], "
            "found 'an unknown key'",
        ),
        (
            {"sources": [{"name": "j", "base_value_usd": "5 bn"}]},
            "m.yaml: sources[0].base_value_usd: expected a number, found '5 bn'",
        ),
        (
            {"sources": [{"name": "j", "base_value_usd": 1, "new_tariff_rate": 12}]},
            "m.yaml: sources[0].new_tariff_rate: expected a number <= 10.0, found 12",
        ),
        (
            {"sources": [{"name": "j", "base_value_usd": True}]},
            "m.yaml: sources[0].base_value_usd: expected a number, found True",
        ),
        ({"sources": []}, "m.yaml: sources: expected a non-empty list, found []"),
        (
            {"demand_elasticity": None},
            "m.yaml: demand_elasticity: expected a number, found None",
        ),
        (
            {"sources": [{"name": " ", "base_value_usd": 1}]},
            "m.yaml: sources[0].name: expected non-empty text, found ' '",
        ),
    ],
)
def test_a_bad_market_is_one_line_naming_file_key_expected_found(
    edit: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError) as err:
        validated(MarketSpec, Path("m.yaml"), MARKET | edit)
    assert str(err.value) == message


def test_a_missing_key_and_a_wrong_top_level_are_named() -> None:
    with pytest.raises(
        InputError, match=r"^s.yaml: regime_date: expected a value, found 'missing'$"
    ):
        validated(
            ScenarioSpec, Path("s.yaml"), {"title": "t", "description": "d", "references": [{}]}
        )
    with pytest.raises(InputError, match=r"expected a mapping, found 'list'"):
        validated(ScenarioSpec, Path("s.yaml"), [1, 2])


def test_every_shipped_scenario_and_market_fits_its_schema() -> None:
    import yaml

    folders = (("scenarios", ScenarioSpec), ("markets", MarketSpec), ("measures", MeasureSpec))
    for folder, model in folders:
        for path in sorted((PROJECT_DIR / "params" / folder).glob("*.yaml")):
            validated(model, path, yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"title": "t"}, "r.yaml: notebook: expected a value, found 'missing'"),
        (
            {"title": "t", "notebook": "x", "parameters": [1]},
            "r.yaml: parameters: expected a mapping",
        ),
        ({"title": " ", "notebook": "x"}, "r.yaml: title: expected non-empty text, found ' '"),
        (["title"], "r.yaml: (top level): expected a mapping, found 'list'"),
    ],
)
def test_a_run_spec_is_checked_by_its_schema(doc: object, message: str) -> None:
    with pytest.raises(InputError) as err:
        validated(RunSpec, Path("r.yaml"), doc)
    assert str(err.value).startswith(message), str(err.value)


def test_a_record_inside_a_file_is_named_by_where_it_is() -> None:
    with pytest.raises(InputError) as err:
        validated(LineListsSpec, Path("l.yaml"), {"usmca_exempt": -1}, at="section232_x")
    assert str(err.value) == "l.yaml: section232_x.usmca_exempt: expected a number >= 0.0, found -1"
