"""The headline-result sidecar a report notebook leaves for the index page.

Contract: a notebook calls ``record_summary("one line of text", name=number, ...)`` (at most once
that matters; the last call wins). During ``build_reports`` the worker sets
``$TARIFF_REPORTS_SUMMARY_PATH`` before the kernel starts (the kernel inherits it), and the JSON
``{"text": str, "numbers": {name: int | float}, "figures": {label: {"value", "text"}}}`` is
written there. Run interactively (variable unset), nothing is written and the payload is only
returned.
"""

from __future__ import annotations

import json
import math
import numbers as _numbers
import os
from pathlib import Path
from typing import Any, SupportsFloat

from analysis.atomic import atomic_write_text
from analysis.questions.outcomes import OUTCOMES

SUMMARY_ENV = "TARIFF_REPORTS_SUMMARY_PATH"


def _one_line(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"summary text must be a non-empty string, got {text!r}")
    # The index shows one line per report; newlines from f-strings would break that.
    return " ".join(text.split())


def _plain_number(name: str, value: object) -> int | float:
    # bool is an int subclass but "True" is not a headline number; numpy scalars are accepted.
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"summary number {name!r} must be an int or float, got {value!r}")
    plain: int | float = int(value) if isinstance(value, _numbers.Integral) else float(value)
    if not math.isfinite(plain):
        raise ValueError(f"summary number {name!r} must be finite, got {value!r}")
    return plain


def _check_key_in_words(key: str) -> None:
    """Raise unless the index can put number ``key`` in words by the registry alone."""
    record = OUTCOMES.get(key)
    if record is None or "{" in record.label:
        why = "is not in the outcomes registry" if record is None else "names the focus partner"
        raise ValueError(
            f"summary key {key!r} {why}: the index could not name it in words; record it as a "
            "shared figure (label in words -> value) and give its label as the key"
        )


def record_summary(
    text: str,
    key: str | None = None,
    shared: dict[str, dict[str, float | str]] | None = None,
    **numbers: SupportsFloat,
) -> dict[str, Any]:
    """Record the report's one-line headline (and key numbers) for the index; return the payload.

    ``key`` names the number the index shows for the report (default: the first by name): the
    label of a ``shared`` figure (the index then shows that figure under its label in words, as
    the report does), or one of the ``numbers`` whose registered label says what it is without
    the report's partner or sector ("Exports to the US, change"). A number the registry does not
    know ("worst_focus_exports_value_change") or labels with the focus left generic ("The focus
    partner's exports ...") would reach readers as code or without the partner's name: give it
    as a shared figure under the label its card shows.
    ``shared`` are the shared figures the report shows, label -> value and text
    (:func:`analysis.report.shared_figures.figures_payload`): the same label must carry the
    same number in every report.
    """
    plain = {k: _plain_number(k, v) for k, v in numbers.items()}
    if key is not None and key not in plain and key not in (shared or {}):
        raise ValueError(
            f"summary key {key!r} is not one of the numbers {sorted(plain)} "
            f"or of the shared figures {sorted(shared or {})}"
        )
    if key is not None and key not in (shared or {}):
        _check_key_in_words(key)
    payload: dict[str, Any] = {"text": _one_line(text), "numbers": plain}
    if key is not None:
        payload["key"] = key
    if shared:
        payload["figures"] = {
            label: {"value": _plain_number(label, f["value"]), "text": str(f["text"])}
            for label, f in shared.items()
        }
    target = os.environ.get(SUMMARY_ENV)
    if target:
        atomic_write_text(Path(target), json.dumps(payload, indent=1, sort_keys=True))
    return payload


def read_summary(path: Path) -> dict[str, Any] | None:
    """The payload written by :func:`record_summary`, or None if the notebook recorded none."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(raw)
    return data if isinstance(data, dict) else None
