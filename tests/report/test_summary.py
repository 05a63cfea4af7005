"""The one-line headline a notebook records for the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.report import record_summary
from analysis.report.summary import SUMMARY_ENV


def test_record_summary_writes_the_sidecar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    target = tmp_path / "x.summary.json"
    monkeypatch.setenv(SUMMARY_ENV, str(target))
    payload = record_summary("Imports fall\n 12%", drop=np.float64(0.12), n=np.int64(3))
    assert json.loads(target.read_text()) == payload
    assert payload == {"text": "Imports fall 12%", "numbers": {"drop": 0.12, "n": 3}}
    assert type(payload["numbers"]["n"]) is int


def test_the_key_number_is_chosen_and_must_be_one_of_the_numbers() -> None:
    key = "exports_value_change"
    assert record_summary("x", key=key, drop=0.1, exports_value_change=0.3)["key"] == key
    assert "key" not in record_summary("x")
    with pytest.raises(ValueError, match="not one of the numbers"):
        record_summary("x", key="other", drop=0.1)


def test_record_summary_without_a_build_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SUMMARY_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert record_summary("interactive")["text"] == "interactive"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "numbers", "error"),
    [
        ("", {}, ValueError),
        ("ok", {"x": "1"}, TypeError),
        ("ok", {"x": True}, TypeError),
        ("ok", {"x": float("nan")}, ValueError),
    ],
)
def test_record_summary_rejects_bad_input(
    text: str, numbers: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        record_summary(text, **numbers)  # type: ignore[arg-type]


def test_shared_figures_are_recorded_by_label_beside_the_numbers() -> None:
    from analysis.report.summary import record_summary

    payload = record_summary(
        "t", figures=3, shared={"US tariff on Japan": {"value": 0.132, "text": "13.2%"}}
    )
    assert payload["numbers"] == {"figures": 3}  # a number may be called "figures"
    assert payload["figures"] == {"US tariff on Japan": {"value": 0.132, "text": "13.2%"}}


def test_the_key_may_be_a_shared_figure_by_its_label() -> None:
    from analysis.report.summary import record_summary

    label = "Additional US tariff on Japan, 28 November 2026, above the MFN or trade-agreement duty"
    shared = {label: {"value": 0.117, "text": "11.7%"}}
    assert record_summary("t", key=label, shared=shared, peak=0.2)["key"] == label
    with pytest.raises(ValueError, match="shared figures"):
        record_summary("t", key="US tariff on Japan", shared=shared, peak=0.2)


@pytest.mark.parametrize(
    "key",
    [
        "worst_focus_exports_value_change",  # not registered: "Worst focus exports value change"
        "focus_exports_value_change",  # registered, generic: "The focus partner's exports ..."
    ],
)
def test_a_key_number_the_index_cannot_name_in_words_is_refused(key: str) -> None:
    """Review 30 read "Worst focus exports value change" and "The focus partner's exports to
    the US, change" as the index's key numbers: such a number is recorded as a shared figure,
    under the words its card shows, and that label is the key."""
    with pytest.raises(ValueError, match="shared figure"):
        record_summary("x", key=key, **{key: -0.41})
    label = "Japan's exports to the US, change: median of the draws"
    shared = {label: {"value": -0.19, "text": "−19.0%"}}
    assert record_summary("x", key=label, shared=shared, **{key: -0.19})["key"] == label
