"""InputError: one line naming file, key, expected and found."""

from __future__ import annotations

from pathlib import Path

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
