"""The one YAML reader and the shared checkers: every failure is one line naming the key."""

from __future__ import annotations

import datetime as dt
import math
import os
import socket
from pathlib import Path

import pytest
from helpers import alias_bomb, without_hanging

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
    yaml_value,
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


def _one_line(err: InputError) -> str:
    text = str(err)
    assert len(text.splitlines()) == 1 and len(text) < 400, text[:1000]
    return text


def test_an_alias_bomb_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    # Issue 20, case 6: "billion laughs", 9 levels of 9 (9**9 copies of lol). PyYAML builds it
    # as shared lists in no time; a checker quoting it printed gigabytes.
    path = tmp_path / "s.yaml"
    path.write_text(f"title: ok\ndescription: {alias_bomb(levels=9, width=9)}\n")
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert _one_line(err.value) == (
        f"{path}: line 2: expected at most 1,000,000 values and characters once aliases are "
        "expanded, found 'more (an alias bomb?)'"
    )


def test_a_recursive_alias_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("title: ok\nloop: &a [x, *a]\n")
    with pytest.raises(InputError, match=r"line 2: expected aliases that do not refer to"):
        read_yaml(path)
    path.write_text("deep: " + "[" * 150 + "]" * 150 + "\n")
    with pytest.raises(InputError, match=r"line 1: expected collections nested at most 100 deep"):
        read_yaml(path)


def test_anchors_and_aliases_within_reason_still_load(tmp_path: Path) -> None:
    # The shipped measures share a reference block this way (``reference: *hts301``).
    path = tmp_path / "m.yaml"
    path.write_text("a: &ref {title: t, date: 2025-04-02}\nb: *ref\nc: {<<: *ref, title: u}\n")
    ref = {"title": "t", "date": dt.date(2025, 4, 2)}
    assert read_yaml(path) == {"a": ref, "b": ref, "c": {**ref, "title": "u"}}


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2025-02-30", "day is out of range for month"),
        ("2025-02-29", "day is out of range for month"),
        ("2025-13-01", "month must be in 1..12"),
    ],
)
def test_an_impossible_date_is_one_line_naming_its_line(
    tmp_path: Path, day: str, reason: str
) -> None:
    # Issue 20, case 8: PyYAML's timestamp constructor raises ValueError, not YAMLError.
    path = tmp_path / "s.yaml"
    path.write_text(f"title: t\nvalues:\n  - start: {day}\n")
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert _one_line(err.value) == (
        f"{path}: line 3: expected a valid YAML value, found '{reason}: {day}'"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("? [a, b]\n: 1\n", "found unhashable key"),
        ("n: " + "9" * 5000 + "\n", "Exceeds the limit (4300 digits) for integer string"),
        ("b: !!binary AAA\n", "failed to decode base64 data"),
    ],
)
def test_any_other_loader_exception_is_one_line(tmp_path: Path, text: str, found: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_yaml(path)
    assert f"{path}: line 1: expected" in _one_line(err.value) and found in str(err.value)


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    # Issue 20, case 7: reading a FIFO waits for a writer for ever.
    fifo = tmp_path / "s.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:
        without_hanging(lambda: read_yaml(fifo), [fifo])
    assert str(err.value) == f"{fifo}: (file): expected a regular file, found 'a FIFO (named pipe)'"
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    with pytest.raises(InputError, match=r"expected a regular file, found 'a FIFO"):
        without_hanging(lambda: read_yaml(link), [fifo])


def test_sockets_and_devices_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputError, match=r"expected a regular file, found 'a socket'"):
            read_yaml(path)
    # /dev/null read as an empty document (None) and went on; /dev/zero never ends.
    with pytest.raises(InputError, match=r"expected a regular file, found 'a character device'"):
        read_yaml(Path("/dev/null"))
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match=r"expected a regular file, found 'a character device'"):
        read_yaml(link)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-02-30", "2025-02-30"),  # dates stay text, impossible ones too (the domain says)
        ("[2025-04-01, 2025-13-01]", ["2025-04-01", "2025-13-01"]),
        ("[unclosed", "[unclosed"),  # not YAML at all: text, like papermill -y
        ("{a: &x [1], b: *x}", {"a": [1], "b": [1]}),
        ("", ""),
    ],
)
def test_a_command_line_value_is_read_by_the_one_reader(text: str, value: object) -> None:
    assert yaml_value(text, "-p", "start_date") == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (alias_bomb(levels=9, width=9), "more (an alias bomb?)"),
        ("{a: 1, a: 2}", "duplicate key 'a'"),
        ("9" * 5000, "Exceeds the limit"),
        ("&a [*a]", "a recursive alias"),
    ],
)
def test_a_bad_command_line_value_is_one_line(text: str, found: str) -> None:
    with pytest.raises(InputError) as err:
        yaml_value(text, "-p", "scenarios")
    assert _one_line(err.value).startswith("-p: scenarios: expected ") and found in str(err.value)
