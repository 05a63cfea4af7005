"""Country names a user may type, resolved against analysis/data/countries.csv."""

from __future__ import annotations

import pytest

from analysis.inputs.catalog import PARTNERS
from analysis.inputs.countries import Country, country_table
from analysis.inputs.errors import InputError

TABLE = country_table(PARTNERS)


@pytest.mark.parametrize(
    ("text", "iso3", "region"),
    [
        ("KOR", "KOR", "ftrow"),
        ("kor", "KOR", "ftrow"),
        ("South Korea", "KOR", "ftrow"),
        ("Korea", "KOR", "ftrow"),
        ("Vietnam", "VNM", "row"),
        ("Viet Nam", "VNM", "row"),
        ("taiwan", "TWN", "row"),
        ("SWITZERLAND", "CHE", "row"),
        ("Germany", "DEU", "eu"),
        ("Federal Republic of Germany", "DEU", "eu"),
        ("  india ", "IND", "row"),
        ("BRA", "BRA", "row"),
        ("CHN", "CHN", "china"),
    ],
)
def test_a_country_by_code_name_or_common_name(text: str, iso3: str, region: str) -> None:
    found = TABLE.resolve(text)
    assert isinstance(found, Country)
    assert (found.iso3, found.region) == (iso3, region)


def test_a_region_id_is_a_region() -> None:
    assert TABLE.resolve("ftrow") == "ftrow"
    assert TABLE.resolve("Japan") == "japan"  # a one-country region answers as the region


def test_the_table_has_every_country_once_with_its_region() -> None:
    assert len(TABLE.countries) == 233  # SOURCES.md section 12
    isos = [c.iso3 for c in TABLE.countries if c.iso3]
    assert len(isos) == len(set(isos)) == 232  # the Gaza Strip has no code of its own
    eu = [c for c in TABLE.countries if c.region == "eu"]
    assert len(eu) == 27


def test_an_unknown_name_suggests_the_nearest_ones() -> None:
    with pytest.raises(InputError) as err:
        TABLE.resolve("Swizerland")
    message = str(err.value)
    assert "switzerland" in message and "Swizerland" in message and "\n" not in message


def test_an_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(InputError, match="United Arab Emirates, United Kingdom"):
        TABLE.resolve("united")
