"""The summary every report opens with: 3-5 key numbers as cards, and sentences from numbers.

Numbers are written by the outcomes registry (:func:`analysis.questions.outcomes.say`), so a
zero reads "no change", never "+0" or "-0.0%"; every string is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.questions.outcomes import say
from analysis.report.text import html_text, signs_joined

_GRID = (
    "display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;"
    "margin:0.6em 0 1em 0"
)
_CARD = "border:1px solid #ddd;border-radius:6px;padding:10px 12px;background:#fafafa"
_VALUE = "font-size:1.6em;font-weight:700;line-height:1.2;margin:2px 0"
_LABEL = "font-size:0.9em;color:#333"
_NOTE = "font-size:0.8em;color:#666"


@dataclass(frozen=True)
class KeyNumber:
    """One card: what (label), the number as text, and a short note (a range, a baseline)."""

    label: str
    value: str
    note: str = ""


class KeyNumbers:
    """The cards of a report's summary; displays as HTML (3 to 5 of them)."""

    def __init__(self, numbers: Sequence[KeyNumber]) -> None:
        if not 3 <= len(numbers) <= 5:
            raise ValueError(f"a summary shows 3 to 5 key numbers, got {len(numbers)}")
        self.numbers = tuple(numbers)

    def to_html(self) -> str:
        cards = "".join(
            f'<div class="tr-key" style="{_CARD}"><div style="{_LABEL}">{html_text(n.label)}</div>'
            f'<div style="{_VALUE}">{html_text(n.value)}</div>'
            + (f'<div style="{_NOTE}">{html_text(n.note)}</div>' if n.note else "")
            + "</div>"
            for n in self.numbers
        )
        return f'<div class="tr-keys" style="{_GRID}">{cards}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()


def key_numbers(*numbers: KeyNumber) -> KeyNumbers:
    """The summary cards, in the order given."""
    return KeyNumbers(numbers)


def outcome_card(label: str, name: str, value: float, note: str = "") -> KeyNumber:
    """A card for a registered outcome, its number written in its unit."""
    return KeyNumber(label, say(name, value), note)


def band(name: str, low: float, high: float, share: int = 80) -> str:
    """``"80% range −$14.1 bn to −$9.8 bn"`` (Monte Carlo percentiles)."""
    return f"{share}% range {say(name, low)} to {say(name, high)}"


def percent(value: float, signed: bool = False) -> str:
    """A fraction as a percentage for a sentence: ``15.0%``; ``no change`` for a signed 0."""
    text = f"{value * 100:{'+' if signed else ''}.1f}%".replace("-", "−")
    if signed and text.lstrip("+−") == "0.0%":
        return "no change"
    return text.replace("+0.0%", "0.0%")


class Markdown:
    """Markdown text for ``display`` (Jupyter renders ``_repr_markdown_``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text


def markdown(text: str) -> Markdown:
    """``text`` (already safe Markdown) for ``display``: every ``$`` shown as a dollar sign,
    not read as the start of a formula (Jupyter's Markdown treats ``$...$`` as math), and a
    sign joined to the dollar amount after it (a word joiner, U+2060)."""
    # A sign stays with its amount when a line wraps ("−$24.9 bn", never "−" / "$24.9 bn").
    return Markdown(signs_joined(text).replace("$", "\\$"))
