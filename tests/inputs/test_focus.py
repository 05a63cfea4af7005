"""The focus of a question: a partner and a sector the data know, Japan's cars by default."""

from __future__ import annotations

import pytest

from analysis.inputs.errors import InputError
from analysis.inputs.focus import DEFAULT_FOCUS, Focus, checked_focus

PARTNERS = ("china", "japan", "eu")
SECTORS = ("mvh", "ele")


def test_defaults_and_a_chosen_partner() -> None:
    assert checked_focus(PARTNERS, SECTORS) == DEFAULT_FOCUS == Focus("japan", "mvh")
    assert checked_focus(PARTNERS, SECTORS, "eu") == Focus("eu", "mvh")
    assert checked_focus(PARTNERS, SECTORS, "china", "ele") == Focus("china", "ele")


@pytest.mark.parametrize(
    ("partner", "sector", "key"), [("kor", None, "focus.partner"), ("eu", "wheat", "focus.sector")]
)
def test_an_unknown_name_is_one_error_naming_the_key(
    partner: str, sector: str | None, key: str
) -> None:
    with pytest.raises(InputError) as err:
        checked_focus(PARTNERS, SECTORS, partner, sector, where="run.yaml")
    assert f"run.yaml: {key}: expected" in str(err.value)
