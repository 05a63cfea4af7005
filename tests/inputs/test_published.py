"""params/published_rates.yaml: every figure cited, partners and measures checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.published import load_published_rates

ENTRY = """\
- publisher: X
  partner: {partner}
  as_of: 2025-04-15
  rate: {rate}
  excluding: [{excluding}]
  explanation: why
  source: {{title: t, url: "https://example.org", date: 2025-04-15}}
"""


def test_the_shipped_figures_load(inputs: Inputs) -> None:
    assert {p.partner for p in inputs.published_rates} >= {"all", "china", "japan"}


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"partner": "korea", "rate": 0.2, "excluding": ""}, "[0].partner"),
        ({"partner": "all", "rate": 28, "excluding": ""}, "[0].rate"),
        ({"partner": "all", "rate": 0.2, "excluding": "ieepa_none"}, "[0].excluding"),
    ],
)
def test_bad_figures_name_the_key(
    inputs: Inputs, tmp_path: Path, fields: dict[str, object], key: str
) -> None:
    path = tmp_path / "published.yaml"
    path.write_text(ENTRY.format(**fields))
    with pytest.raises(InputError) as err:
        load_published_rates(path, inputs.data.partners, frozenset(inputs.measures))
    assert str(err.value).startswith(f"{path}: {key}: expected")


def test_published_household_costs_load_and_refuse_bad_numbers(
    inputs: Inputs, tmp_path: Path
) -> None:
    from analysis.inputs.published import load_published_costs

    assert {c.publisher for c in inputs.published_costs} == {"The Budget Lab at Yale"}
    path = tmp_path / "costs.yaml"
    path.write_text(
        "- {publisher: X, law_of: 2025-09-03, before_substitution_usd: lots,"
        " after_substitution_usd: 1, explanation: y,"
        " source: {title: t, url: 'https://x.org', date: 2025-09-04}}\n"
    )
    with pytest.raises(InputError, match=r"\[0\]\.before_substitution_usd: expected a number"):
        load_published_costs(path)
