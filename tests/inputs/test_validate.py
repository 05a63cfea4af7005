"""The one YAML reader and the shared checkers: every failure is one line naming the key."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from analysis.inputs.errors import InputError
from analysis.inputs.validate import (
    TOP_LEVEL,
    date_value,
    fraction,
    names,
    number,
    one_of,
    read_yaml,
    record,
    text_value,
)

HERE = Path("f.yaml")


def test_a_duplicated_key_is_refused_with_its_line(tmp_path: Path) -> None:
    # PyYAML alone keeps the last value: a measure's Japan rate could silently double.
    path = tmp_path / "m.yaml"
    path.write_text("rate_by_partner:\n  japan: 0.15\n  japan: 0.30\n")
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert str(err.value) == (
        f"{path}: line 3: expected valid YAML with unique keys, found \"duplicate key 'japan'\""
    )


def test_a_file_that_is_not_utf8_is_one_line_naming_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes("title: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert (
        str(err.value) == f"{path}: (encoding): expected UTF-8 text, found 'byte 0xe9 at offset 10'"
    )


def test_missing_files_folders_and_bad_yaml_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\(file\): expected an existing file, found 'no such"):
        read_yaml(tmp_path / "none.yaml")
    with pytest.raises(InputError, match=r"\(file\): expected a regular file, found 'a directory'"):
        read_yaml(tmp_path)
    (tmp_path / "bad.yaml").write_text("a: [1, 2\n")
    with pytest.raises(InputError, match=r"bad.yaml: line \d+: expected valid YAML"):
        read_yaml(tmp_path / "bad.yaml")


def test_yaml_values_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: 2025-04-05\nb: .inf\nc: [x, y]\n")
    assert read_yaml(path) == {"a": dt.date(2025, 4, 5), "b": math.inf, "c": ["x", "y"]}


def test_record_names_the_first_unknown_key() -> None:
    assert record(HERE, "k", {"a": 1}, {"a", "b"}) == {"a": 1}
    with pytest.raises(InputError, match=r"f.yaml: k.zz: expected one of \['a', 'b'\]"):
        record(HERE, "k", {"a": 1, "zz": 2}, {"a", "b"})
    with pytest.raises(
        InputError, match=r"f.yaml: \(top level\): expected a mapping, found 'list'"
    ):
        record(HERE, TOP_LEVEL, [1], {"a"})


def test_one_of_and_names() -> None:
    assert one_of(HERE, "p", "japan", ("japan", "eu")) == "japan"
    with pytest.raises(InputError, match=r"p: expected one of eu, japan|p: expected one of \["):
        one_of(HERE, "p", "Japan", ("japan", "eu"))
    assert names(HERE, "ps", None, ("japan",)) == ()
    assert names(HERE, "ps", ["japan"], ("japan",)) == ("japan",)
    with pytest.raises(InputError, match="ps: expected a list of names"):
        names(HERE, "ps", "japan", ("japan",))


@pytest.mark.parametrize("raw", [True, "0.1", math.nan, -0.01, 1.01])
def test_fraction_refuses_what_is_not_a_share(raw: object) -> None:
    with pytest.raises(InputError):
        fraction(HERE, "share", raw)


def test_numbers_dates_and_text() -> None:
    assert fraction(HERE, "r", 1.5, upper=1.5) == 1.5
    assert number(HERE, "n", 3, low=1, high=3) == 3.0
    with pytest.raises(InputError, match="expected a number between 1 and 3, found 4"):
        number(HERE, "n", 4, low=1, high=3)
    assert date_value(HERE, "d", "2026-02-24") == dt.date(2026, 2, 24)
    assert date_value(HERE, "d", dt.datetime(2026, 2, 24, 12)) == dt.date(2026, 2, 24)
    with pytest.raises(InputError, match="expected a date YYYY-MM-DD, found '2026-02-30'"):
        date_value(HERE, "d", "2026-02-30")
    assert text_value(HERE, "t", "  x ") == "x"
    with pytest.raises(InputError, match="expected non-empty text"):
        text_value(HERE, "t", "   ")
