"""The reports agree with each other: a figure that appears in two places is the same number.

Builds every notebook with its default parameters (the browser tests' ``real_reports_dir``
build) and reads what a reader sees: the index's key number of each report, each report's
summary cards, its sentences and its tables (every output's text, charts aside). Each report
records the shared figures it shows (label -> number, ``analysis.report.shared_figures``); a
label must carry the same number in every report and on every card that shows it, and the
index's number must be one the report itself shows.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from analysis.pipeline.layout import INDEX_NAME, META_KEY, report_names

pytestmark = pytest.mark.slow


class _Text(HTMLParser):
    """Visible text of an HTML fragment (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    return " ".join(" ".join(parser.parts).split())


def markdown_text(source: str) -> str:
    """Markdown as read: escapes and emphasis markers dropped."""
    plain = re.sub(r"\\(.)", r"\1", source.replace("**", "").replace("\u2060", ""))
    return " ".join(plain.split())


def _joined(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def report_view(path: Path) -> tuple[str, dict[str, str], dict[str, Any]]:
    """(visible text, summary cards label -> value, recorded summary) of an executed notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts: list[str] = []
    cards: dict[str, str] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            texts.append(markdown_text(_joined(cell["source"])))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                fragment = _joined(data["text/html"])
                texts.append(html_text(fragment))
                for label, value in re.findall(
                    r'<div class="tr-key"[^>]*><div[^>]*>(.*?)</div><div[^>]*>(.*?)</div>',
                    fragment,
                ):
                    cards[html.unescape(label)] = html.unescape(value)
            elif "text/markdown" in data:
                texts.append(markdown_text(_joined(data["text/markdown"])))
    summary = nb["metadata"][META_KEY].get("summary") or {}
    return " ".join(texts), cards, summary


def index_keys(index: str) -> dict[str, tuple[str, str]]:
    """Report file name -> (the key number the index shows for it, its label)."""
    rows = re.findall(
        r'<a href="([^"]+)\.html">.*?<span class="key">(.*?)</span><br><small>(.*?)</small>',
        index,
    )
    # A word joiner (U+2060) keeps a sign on its amount's line; it is not part of the number.
    return {
        name: (html.unescape(value).replace("\u2060", ""), html.unescape(label))
        for name, value, label in rows
    }


_STOP = {"with", "from", "under", "above", "after", "before", "their", "this", "that", "today"}


def _stems(words: str) -> set[str]:
    """The content words of a label, by their first five letters ("exports" ~ "export")."""
    found = re.findall(r"[a-z]{4,}", words.lower())
    return {w[:5] for w in found if w not in _STOP}


def shown_with_its_label(value: str, label: str, text: str, cards: dict[str, str]) -> bool:
    """Whether the report shows ``value`` as the figure ``label`` names: on the card of that
    label, else as a whole number (never a piece of another: "1" is not in "12" or "1.5%")
    with a word of the label within a sentence's reach of it."""
    if label in cards:
        return cards[label] == value
    whole = re.compile(r"(?<![\d.,$−+-])" + re.escape(value) + r"(?![\d%]|[.,]\d)")
    stems = _stems(label)
    for match in whole.finditer(text):
        near = text[max(0, match.start() - 120) : match.end() + 120]
        if stems & _stems(near):
            return True
    return False


def test_an_index_number_is_matched_with_its_label_not_as_a_digit() -> None:
    text = (
        "Of 12 rates, 11 are close; 1.5% gap. Japan: 3 of 7 published figures are within a point."
    )
    assert not shown_with_its_label("1", "Figures within one point", text, {})
    assert shown_with_its_label("3", "Figures within one point", text, {})
    assert not shown_with_its_label("7", "Exports to the US, change", text, {})
    assert not shown_with_its_label("11.7%", "Tariff", "tariff 11.7%", {"Tariff": "13.2%"})


def test_markdown_and_html_are_read_as_a_reader_reads_them() -> None:
    assert markdown_text(r"**Japan**: tariff **13.2%**, \$1,036 \(a year\)") == (
        "Japan: tariff 13.2%, $1,036 (a year)"
    )
    assert html_text("<p>US tariff <b>13.2%</b><script>x=1.5</script></p>") == "US tariff 13.2%"
    card = (
        '<div class="tr-keys"><div class="tr-key" style="a"><div style="b">Tariff</div>'
        '<div style="c">13.2%</div></div></div>'
    )
    assert re.findall(r'<div class="tr-key"[^>]*><div[^>]*>(.*?)</div><div[^>]*>(.*?)</div>', card)


def test_each_figure_that_appears_twice_is_the_same_number(real_reports_dir: Path) -> None:
    from analysis.inputs.law_status import load_law_status
    from analysis.inputs.paths import params_dir
    from analysis.report.publication import long_date

    index = index_keys((real_reports_dir / INDEX_NAME).read_text(encoding="utf-8"))
    seen: dict[str, dict[str, str]] = {}  # label -> report -> text
    for name in report_names(real_reports_dir):
        text, cards, summary = report_view(real_reports_dir / f"{name}.ipynb")
        figures: dict[str, dict[str, Any]] = summary.get("figures", {})
        for label, figure in figures.items():
            assert figure["text"] in text, f"{name}: {label} {figure['text']} is not shown"
            if label in cards:
                assert cards[label] == figure["text"], (name, label, cards[label], figure)
            seen.setdefault(label, {})[name] = figure["text"]
        # The index's key number is one the report shows under the same label (its card, or
        # the number itself beside a word of the label), not any digit that happens to match.
        if name in index:
            value, label = index[name]
            assert shown_with_its_label(value, label, text, cards), (
                f"index shows {value} ({label}) for {name}, not in it with its label"
            )
    differ = {label: by for label, by in seen.items() if len(set(by.values())) > 1}
    assert differ == {}, f"one label, two numbers: {differ}"
    # Not vacuous: today's tariff on Japan is shown by several reports, each time the same.
    today = long_date(load_law_status(params_dir() / "law_status.yaml").known_through)
    for label in (
        f"US tariff on Japan, {today}, all duties",
        f"Additional US tariff on Japan, {today}, above the MFN or trade-agreement duty",
    ):
        assert len(seen.get(label, {})) >= 2, (label, sorted(seen))


#: The lead's tariff and its parts as a reader reads them on the page.
_LEAD_PARTS = re.compile(
    r"is (?P<total>\d+\.\d)% \(MFN or trade-agreement duty (?P<mfn>\d+\.\d)% \+ "
    r"(?P<above>\d+\.\d)% above it(?P<note>; rounded separately)?\), against \d+\.\d% under "
    r"those tariffs"
)


def lead_parts_problems(page: str) -> list[str]:
    """What is wrong with a partner report's lead (its HTML): no parts shown, parts that do not
    add to the total within a tenth of a point, or "rounded separately" missing or extra."""
    found = _LEAD_PARTS.search(html_text(page))
    if found is None:
        return ["the lead shows no total with its parts"]
    total, mfn, above = (float(found[k]) for k in ("total", "mfn", "above"))
    off = round(abs(mfn + above - total), 1)
    problems = []
    if off > 0.1:
        problems.append(f"{mfn} + {above} is not {total}")
    if (found["note"] is not None) != (off > 0):
        problems.append(f"'rounded separately' is wrong for {mfn} + {above} against {total}")
    return problems


def test_a_lead_with_parts_that_do_not_add_up_is_caught() -> None:
    bad = (
        "<p>Vietnam's tariff is 14.0% (MFN or trade-agreement duty 3.7% + 10.6% above it), "
        "against 3.9% under those tariffs</p>"
    )
    assert lead_parts_problems(bad) == [
        "3.7 + 10.6 is not 14.0",
        "'rounded separately' is wrong for 3.7 + 10.6 against 14.0",
    ]
    good = bad.replace("10.6% above it)", "10.4% above it; rounded separately)")
    assert lead_parts_problems(good) == []
    assert lead_parts_problems("<p>14.0% (10.4% above MFN; 3.9% under those tariffs)</p>")


def test_every_partner_lead_adds_its_parts_to_its_total(real_reports_dir: Path) -> None:
    # FINDINGS5 #3: read off the built partner pages, not from the formula. This build runs each
    # notebook once with its defaults (one partner page); every shipped partner's lead is
    # checked, without a build, by tests/report's lead tests.
    names = [n for n in report_names(real_reports_dir) if n.startswith("partner_")]
    assert names
    for name in names:
        page = (real_reports_dir / f"{name}.html").read_text(encoding="utf-8")
        assert lead_parts_problems(page) == [], name


def check_validation_entry(reports_dir: Path) -> None:
    """The index's entry for the validation report: its key number is a count "K of N" with
    its words (not a bare "1"), K and N the sums of the two comparisons the report's summary
    records (the Budget Lab and PIIE totals, the tradewartracker's countries), and its
    headline names both."""
    index = (reports_dir / INDEX_NAME).read_text(encoding="utf-8")
    value, label = index_keys(index)["validation"]
    numbers = report_view(reports_dir / "validation.ipynb")[2]["numbers"]
    close = numbers["figures_within_one_point"] + numbers["tracker_figures_within_one_point"]
    same = numbers["figures_same_law"] + numbers["tracker_figures_same_law"]
    assert (value, label.split(" ")[0]) == (f"{close} of {same}", "Published"), (value, label)
    assert "within one point" in label
    row = index[index.index('href="validation.html"') :].split("</tr>")[0]
    assert all(w in row for w in ("Budget Lab", "PIIE", "tradewartracker", "median gap")), row


def test_the_index_entry_of_the_validation_report(real_reports_dir: Path) -> None:
    check_validation_entry(real_reports_dir)
