"""Citations: title, link and date, or a one-line error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis.inputs.errors import InputError
from analysis.inputs.references import parse_reference

FR = "https://www.federalregister.gov/d/2025-06063"


def test_a_reference_is_title_link_and_date() -> None:
    ref = parse_reference(
        Path("m.yaml"), "ref", {"title": "EO 14257", "url": FR, "date": "2025-04-07"}
    )
    assert (ref.title, ref.url, ref.date) == ("EO 14257", FR, dt.date(2025, 4, 7))
    assert ref.as_dict() == {"title": "EO 14257", "url": FR, "date": "2025-04-07"}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"title": "t", "url": "javascript:alert(1)", "date": "2025-01-01"}, "ref.url"),
        ({"title": "t", "url": "ftp://x", "date": "2025-01-01"}, "ref.url"),
        ({"title": "", "url": FR, "date": "2025-01-01"}, "ref.title"),
        ({"title": "t", "url": FR, "date": "soon"}, "ref.date"),
        ({"title": "t", "url": FR, "date": "2025-01-01", "page": 3}, "ref.page"),
        ("just text", "ref"),
    ],
)
def test_bad_references_are_refused_naming_the_key(raw: object, key: str) -> None:
    with pytest.raises(InputError) as err:
        parse_reference(Path("m.yaml"), "ref", raw)
    assert str(err.value).startswith(f"m.yaml: {key}: expected")
