"""Thin notebooks: no figure is typed by hand into a notebook's prose (issue 19, item 5).

A figure in a report's text ("85%", "51.8 bn", "1,388,330 units") must come from the inputs
or from computed values, or it goes stale when the data or the law change. This test reads
every notebook's prose, its markdown cells and the string literals of its code (the text of
f-strings, not their format specs such as ``:.1%``), and refuses any number left once the
allowed kinds below are taken out. Each allowed kind names something, not a result:

* years (``2024 imports``, ``2025-2026``, ``the 1980s``) and ISO dates (parameter defaults such as
  ``2025-01-01``): the data's base year and the law's calendar;
* HS codes (``HS 8703``), legal instruments (``Section 232``, ``section 122``) and the
  sections of ``SOURCES.md`` a text cites: names;
* a markdown heading's number (``## 1. One sector``);
* the percentile labels of the Monte Carlo bands (``10th``, ``90th``, ``80% band``): the names
  of the columns ``p10``/``p90`` the notebook reads from ``MonteCarlo.percentiles()``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analysis.inputs.paths import PROJECT_DIR

NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.py"))

ALLOWED = [
    re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b"),  # an ISO date
    re.compile(r"\b(19|20)\d\d(-(19|20)\d\d|s)?\b"),  # a year, a range of years, a decade
    re.compile(r"\bHS \d{2,10}\b|\bHS(2|4|6|8|10)\b"),  # an HS code, the HS levels
    re.compile(r"\b[Ss]ection (122|201|232|301)\b"),  # the legal authorities
    re.compile(r"\bSOURCES\.md section \d+\b"),  # a citation of the sources
    re.compile(r"^#+ \d+\. "),  # a numbered markdown heading
    re.compile(r"\b[1-9]0th\b|\b80% (band|range)\b"),  # the Monte Carlo percentile labels
]
NUMBER = re.compile(r"\d")
#: Code, not prose: a name (a scenario ``july_2025``, a column ``imports_2024_usd``) or a
#: format for a chart's axis (``",.0f"``, ``".1%"``).
CODE = re.compile(r"[A-Za-z_]\w*|(?=.*[$,.])\$?[,+]?(\.\d+)?~?[%fdse]")


def prose(source: str) -> list[tuple[int, str]]:
    """(line, text) of a notebook's markdown lines and of its code's string literals."""
    found: list[tuple[int, str]] = []
    markdown = False
    for number, line in enumerate(source.splitlines(), 1):
        if line.startswith("# %%"):
            markdown = "[markdown]" in line
        elif markdown and line.startswith("#"):
            found.append((number, line.lstrip("#").strip() if line.startswith("# #") else line[1:]))
    tree = ast.parse(source)
    specs = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None
        for part in ast.walk(node.format_spec)
    }
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in specs and not CODE.fullmatch(text):
            found.append((node.lineno, text))
    return found


def hand_typed_numbers(source: str) -> list[str]:
    """Every piece of prose holding a number none of the allowed kinds explains."""
    bad = []
    for line, text in prose(source):
        rest = text
        for pattern in ALLOWED:
            rest = pattern.sub("", rest)
        if NUMBER.search(rest):
            bad.append(f"line {line}: {text.strip()[:100]!r}")
    return bad


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_figure_is_typed_by_hand_in_a_notebooks_prose(notebook: Path) -> None:
    assert hand_typed_numbers(notebook.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('x = f"exports fall by 51.8 bn"\n', True),
        ('x = f"{share:.1%} of imports"\n', False),  # a format spec, not a figure
        ('x = f"about 85% of the cars"\n', True),
        ('x = f"1,388,330 units"\n', True),
        ("# %% [markdown]\n# Tariffs of 6% on average\n", True),
        ("# %% [markdown]\n# ## 2. Your own market, 2024 imports (HS 8703)\n", False),
        ('x = "Section 232 and section 122 since 2025-01-01"\n', False),
        ("# a code comment with 42 is not prose\n", False),
        ('simulate(inputs, "july_2025")\nchart(fmt=",.0f")\n', False),  # names, formats
        ('key = "85%"\n', True),
    ],
)
def test_the_check_finds_hand_typed_figures_and_only_them(source: str, flagged: bool) -> None:
    assert bool(hand_typed_numbers(source)) is flagged
