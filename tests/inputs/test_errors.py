"""InputError: one line naming file, key, expected and found."""

from __future__ import annotations

from pathlib import Path

from helpers import shared_bomb

from analysis.inputs.errors import InputError


def test_the_message_names_file_key_expected_and_found() -> None:
    err = InputError(Path("params/x.yaml"), "values[0].rate", "a fraction", 25)
    assert str(err) == "params/x.yaml: values[0].rate: expected a fraction, found 25"
    assert (err.file, err.key, err.expected, err.found) == (
        "params/x.yaml",
        "values[0].rate",
        "a fraction",
        25,
    )
    assert isinstance(err, ValueError)
    assert "\n" not in str(InputError("f", "k", "e", "two\nlines"))  # found is repr'd


def _found_part(err: InputError) -> str:
    return str(err).split(", found ", 1)[1]


def test_a_long_found_value_is_quoted_in_at_most_80_characters() -> None:
    err = InputError("f.yaml", "title", "non-empty text", "x" * 100_000)
    assert len(_found_part(err)) <= 80
    assert _found_part(err).startswith("'xxxx") and _found_part(err).endswith("...")
    assert err.found == "x" * 100_000  # the value itself is kept for the caller


def test_a_shared_nested_value_is_quoted_without_expanding_it() -> None:
    # Issue 20, case 6: a YAML alias bomb is a small graph of shared lists; the old message was
    # its full repr (10**6 "lol"s here: 7 MB on one line; 2.2 GB for a real bomb). The quote
    # shows a few items to a small depth, so it is the same for 10**6 leaves as for 10**5.
    big = InputError("f.yaml", "title", "non-empty text", shared_bomb(6))
    smaller = InputError("f.yaml", "title", "non-empty text", shared_bomb(5))
    assert str(big) == str(smaller)
    assert len(_found_part(big)) <= 80 and "\n" not in str(big)


def test_a_huge_integer_is_quoted_by_its_size() -> None:
    # repr() refuses integers of more than 4300 digits (ValueError): the message must not.
    err = InputError("f.yaml", "n", "a number", 10**5000)
    assert _found_part(err) == "<an integer of 16610 bits>"


def test_every_part_of_the_message_is_escaped_onto_one_line() -> None:
    # Issue 20, case 13: a run name with a newline forged a second "error:" line.
    err = InputError("run\nerror: forged.yaml", "k\r\x1b[31m", "e\u2028x", "two\nlines\x85")
    text = str(err)
    assert len(text.splitlines()) == 1 and "\x1b" not in text and "\r" not in text
    assert text == (
        "run\\nerror: forged.yaml: k\\r\\x1b[31m: expected e\\u2028x, found 'two\\nlines\\x85'"
    )


def test_shown_and_escape_are_the_one_place_for_quoting() -> None:
    from analysis.inputs.errors import escape, shown

    assert escape("plain text: ok") == "plain text: ok"
    assert escape("a\tb\x00") == "a\\tb\\x00"
    assert shown("short") == "'short'"
    assert shown({"k": ["a\nb"]}) == "{'k': ['a\\nb']}"
    assert shown(b"\x00" * 1000).endswith("...") and len(shown(b"\x00" * 1000)) == 80


def test_long_file_names_and_keys_are_cut_but_keep_the_file_name() -> None:
    err = InputError("/deep" * 200 + "/scenario.yaml", "k" * 1000, "e", "f")
    file, key, _ = str(err).split(": ", 2)
    assert len(file) == 300 and file.startswith("/deep/deep") and file.endswith("/scenario.yaml")
    assert len(key) == 300 and key.endswith("k...")
