"""How a report's charts and tables lay out in a real, offline Chromium, as a reader sees them:
on a phone (390 px) every chart is drawn to the width of its box (no chart to scroll sideways,
the what-if's panels stacked so all three show); on a laptop (1280 px) no word in a table is
split across two lines ("threatene / d").

Like ``test_browser.py``: every real notebook built with its default parameters, or every page
of ``--reports-dir DIR`` (``$TARIFF_REPORTS_HTML_DIR``).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from conftest import OfflinePage
from helpers import parametrize_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RENDER_TIMEOUT_MS = 20_000


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_pages(metafunc)


def _open(offline_page: OfflinePage, report_html: Path, width: int) -> Any:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(report_html.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.vega-offline')).every(
            v => v.querySelector('svg.marks .role-mark > *, canvas, .vega-offline-error'))""",
        timeout=RENDER_TIMEOUT_MS,
    )
    return page


#: Each chart's box and what is drawn in it: [box width, drawing width, first title].
_CHART_FIT = """() => Array.from(document.querySelectorAll('.vega-offline')).map(el => {
  const box = el.getBoundingClientRect();
  const drawn = el.querySelector('svg.marks, canvas');
  const width = drawn ? drawn.getBoundingClientRect().width : -1;
  const title = el.querySelector('.role-title-text');
  return [Math.round(box.width), Math.round(width), title ? title.textContent : ''];
})"""


#: For each what-if chart (the one with sliders): the top and right end of each title (the
#: chart's own and its three panels').
_WHAT_IF_TITLES = """() => Array.from(document.querySelectorAll('.vega-offline'))
  .filter(el => el.querySelector('.vega-bind input[type=range]'))
  .map(el => Array.from(el.querySelectorAll('.role-title-text')).map(t => {
    const r = t.getBoundingClientRect();
    return [Math.round(r.top), Math.round(r.right)];
  }))"""


def _panel_tops(titles: list[list[int]]) -> list[int]:
    """The tops of the three panels' titles (the lowest three titles)."""
    return sorted(top for top, _ in titles)[-3:]


def test_every_chart_fits_its_box_on_a_phone(offline_page: OfflinePage, report_html: Path) -> None:
    """At 390 px each chart's SVG (or canvas) is no wider than its box, so none needs
    sideways scrolling; the what-if's three panels are stacked, each as wide as the others."""
    page = _open(offline_page, report_html, 390)
    charts = page.evaluate(_CHART_FIT)
    wide = [c for c in charts if c[1] > c[0] + 1 or c[1] <= 0]
    assert wide == [], f"charts wider than their box at 390 px [box, drawn, title]: {wide}"
    assert page.locator(".vega-offline-error").count() == 0
    assert offline_page.errors == [], offline_page.errors
    # The what-if's panels: one above the other, every title inside the screen.
    for titles in page.evaluate(_WHAT_IF_TITLES):
        tops = _panel_tops(titles)
        assert len(tops) == 3 and min(b - a for a, b in itertools.pairwise(tops)) > 100, (
            f"the what-if's panels are not stacked: {titles}"
        )
        assert max(right for _, right in titles) <= 391, f"a what-if title is cut off: {titles}"


def test_charts_keep_their_laptop_size(offline_page: OfflinePage, report_html: Path) -> None:
    """At 1280 px the charts are drawn as specified: the what-if's panels side by side."""
    page = _open(offline_page, report_html, 1280)
    charts = page.evaluate(_CHART_FIT)
    assert all(0 < c[1] <= c[0] + 1 for c in charts), charts
    for titles in page.evaluate(_WHAT_IF_TITLES):  # side by side: the panels' titles in a row
        tops = _panel_tops(titles)
        assert len(tops) == 3 and tops[-1] - tops[0] < 20, f"panels not side by side: {titles}"


#: Words (two letters or more) in table cells whose letters fall on two lines.
SPLIT_WORDS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    if (!cell.getClientRects().length) continue;
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.textContent.matchAll(/[A-Za-z\\u00C0-\\u024F]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0] + ' in "' + cell.innerText.slice(0, 50) + '"');
      }
    }
  }
  return out.slice(0, 8);
}"""


def test_no_word_in_a_table_is_split_across_lines(
    offline_page: OfflinePage, report_html: Path
) -> None:
    """At 1280 px every word of every table cell stays on one line (and no table is wider
    than its column, which whole words must not buy)."""
    page = _open(offline_page, report_html, 1280)
    split = page.evaluate(SPLIT_WORDS)
    assert split == [], f"words split across lines at 1280 px: {split}"
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('.tr-table table')).filter(t => {
              const c = t.closest('.jp-OutputArea-output') || document.body;
              return t.getBoundingClientRect().width > c.getBoundingClientRect().width + 1;
            }).map(t => t.innerText.slice(0, 60))"""
    )
    assert wide == [], f"tables wider than their column at 1280 px: {wide}"


def test_the_word_check_finds_a_split_word(offline_page: OfflinePage, tmp_path: Path) -> None:
    """The check itself: a word forced to break in a narrow cell is found; whole words are not."""
    page = offline_page.page
    cell = '<td style="width:40px;{}">threatened on 1 July</td>'
    html = (
        f"<table><tr>{cell.format('overflow-wrap:anywhere')}</tr></table>"
        f"<table><tr>{cell.format('overflow-wrap:break-word;word-break:normal')}</tr></table>"
    )
    page.set_content(f"<html><body style='font:16px sans-serif'>{html}</body></html>")
    found = page.evaluate(SPLIT_WORDS)
    assert len(found) == 1 and found[0].startswith("threatened")


#: Chart labels (axis and legend labels, titles) a reader cannot read: cut by Vega ("Deadwei…")
#: or drawn over another label of the same axis or legend. Rotated labels are left out of the
#: overlap check (their boxes overlap where their letters do not).
CUT_OR_OVERLAPPING_LABELS = """() => {
  const out = [];
  const shown = t => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0'
    && t.textContent.trim() !== '';
  for (const chart of document.querySelectorAll('.vega-offline')) {
    const groups = chart.querySelectorAll(
      '.role-axis-label, .role-legend-label, .role-title, .role-axis-title');
    for (const g of groups) {
      const texts = Array.from(g.querySelectorAll('text')).filter(shown);
      for (const t of texts) {
        if (t.textContent.includes('\\u2026')) out.push('cut: ' + t.textContent);
      }
      const flat = texts.filter(t => !/rotate\\((?!0\\))/.test(t.getAttribute('transform') || ''))
        .map(t => [t.getBoundingClientRect(), t.textContent]);
      for (let i = 0; i < flat.length; i++) for (let j = i + 1; j < flat.length; j++) {
        const [a, ta] = flat[i], [b, tb] = flat[j];
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) out.push('over each other: ' + ta + ' | ' + tb);
      }
    }
  }
  return out.slice(0, 8);
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_chart_label_is_cut_or_drawn_over_another(
    offline_page: OfflinePage, report_html: Path, width: int
) -> None:
    """Every axis label, legend label and title of every chart shows whole and apart from its
    neighbours, on a phone and on a laptop (at 390 px the layers' chart read "Deadwei… loss",
    its outcomes ran into each other, and partner names of the SMART chart likewise; at
    1280 px the heatmap's sector names were cut at Vega's default 180 px)."""
    page = _open(offline_page, report_html, width)
    assert page.evaluate(CUT_OR_OVERLAPPING_LABELS) == []


def test_the_label_check_finds_cut_and_overlapping_labels(offline_page: OfflinePage) -> None:
    """The check itself, on hand-made SVG: a cut label and two labels drawn on top of each
    other are found; labels apart, and rotated ones, are not."""
    page = offline_page.page
    text = '<text x="{}" y="20" transform="{}">{}</text>'
    labels = "".join(
        [
            text.format(0, "", "Deadwei\u2026"),
            text.format(100, "", "Japan's exports"),
            text.format(110, "", "US tariff revenue"),
            text.format(300, "rotate(-30)", "Canada"),
            text.format(305, "rotate(-30)", "Mexico"),
        ]
    )
    svg = f'<svg width="500" height="50"><g class="role-axis-label">{labels}</g></svg>'
    page.set_content(f'<div class="vega-offline">{svg}</div>')
    found = page.evaluate(CUT_OR_OVERLAPPING_LABELS)
    assert found == ["cut: Deadwei\u2026", "over each other: Japan's exports | US tariff revenue"]


#: The what-if's tariff slider: its step (input value), the rate shown beside it and the rate
#: in the chart's sentence ("Tariff 14.1% (all duties), ...").
_TARIFF_SLIDER = """() => {
  const input = document.querySelector('.vega-bind input[type=range][name^=rate]');
  if (!input) return null;
  const chart = input.closest('.vega-offline');
  const line = Array.from(chart.querySelectorAll('text tspan, text'))
    .map(t => t.textContent).find(t => /^Tariff [\\d.]+%/.test(t)) || '';
  return {step: +input.value, last: +input.max, beside: input.nextElementSibling.textContent,
          sentence: (line.match(/^Tariff ([\\d.]+)%/) || [])[1]};
}"""


def _move_tariff_slider(page: Any, step: int, was: str) -> dict[str, Any]:
    """Put the slider on ``step`` as a reader's drag does (an input event), then wait until
    the chart's sentence is no longer at ``was``."""
    page.locator(".vega-bind input[name^=rate]").fill(str(step))
    page.wait_for_function(
        f"() => ({_TARIFF_SLIDER})().sentence !== {was!r}", timeout=RENDER_TIMEOUT_MS
    )
    state: dict[str, Any] = page.evaluate(_TARIFF_SLIDER)
    return state


@pytest.mark.parametrize("width", [1280, 390])
def test_the_what_if_slider_comes_back_to_the_laws_rate(
    offline_page: OfflinePage, report_html: Path, width: int
) -> None:
    """The tariff slider starts at the law's rate with the same rate beside its thumb as in
    the sentence; moved to its last step and back, it shows the law's rate again (before, its
    2.5-point steps missed the law's 14.13%: the thumb sat at 15 while the label said 14.13,
    and once moved the law's rate could not be had back)."""
    page = _open(offline_page, report_html, width)
    start = page.evaluate(_TARIFF_SLIDER)
    if start is None:
        pytest.skip("no what-if tariff slider on this page")
    assert start["sentence"] and start["beside"] == start["sentence"], start
    moved = _move_tariff_slider(page, start["last"], start["sentence"])
    assert moved["beside"] == moved["sentence"] != start["sentence"], moved
    back = _move_tariff_slider(page, start["step"], moved["sentence"])
    assert back["beside"] == back["sentence"] == start["sentence"], back
    assert offline_page.errors == []


#: Where a reader's first screens go: the title's top, the key numbers' top, and whether the
#: methods box is open.
_FIRST_SCREEN = """() => {
  const title = document.querySelector('h1');
  const keys = document.querySelector('.tr-keys');
  const box = document.querySelector('.tr-methods details');
  return {title: title ? title.getBoundingClientRect().top : null,
          keys: keys ? keys.getBoundingClientRect().top : null,
          open: box ? box.open : null};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_key_numbers_come_within_a_screen_and_a_half(
    offline_page: OfflinePage, report_html: Path, width: int
) -> None:
    """The title starts at the top (no blank band of empty cells above it), and the key
    numbers follow within a screen and a half: on a phone the methods box starts closed
    (its list of 12 measures put Japan's cards 2,450 px down), on a laptop open."""
    page = _open(offline_page, report_html, width)
    first = page.evaluate(_FIRST_SCREEN)
    assert first["title"] is not None and first["title"] < 60, first
    if first["keys"] is not None:
        assert first["keys"] < 1.5 * 900, first
    if first["open"] is not None:
        assert first["open"] is (width >= 600), first


#: On a phone, per table row taller than 100 px: the share of its area on the screen that its
#: cells' text covers (a card's cell counts whole, label and value; a table cell by its lines
#: of text), and any cell text past the screen's edge that is not inside a box scrolling
#: sideways (a table of numbers).
_TABLE_ROWS = """() => {
  const out = {sparse: [], off: []};
  const width = window.innerWidth;
  const seen = r => Math.max(0, Math.min(r.right, width) - Math.max(r.left, 0)) * r.height;
  for (const tr of document.querySelectorAll('.tr-table tbody tr')) {
    const row = tr.getBoundingClientRect();
    if (!row.height) continue;
    const box = tr.closest('.tr-table');
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
      && box.scrollWidth > box.clientWidth + 1;
    let covered = 0;
    for (const td of tr.querySelectorAll('td')) {
      if (!td.textContent.trim() || !td.getClientRects().length) continue;
      const range = document.createRange();
      range.selectNodeContents(td);
      const lines = Array.from(range.getClientRects()).filter(b => b.width > 0);
      for (const b of lines) {
        if (!scrolls && (b.right > width + 1 || b.left < -1)) {
          out.off.push(td.textContent.trim().slice(0, 40));
        }
      }
      covered += getComputedStyle(td).display === 'table-cell'
        ? lines.reduce((sum, b) => sum + seen(b), 0) : seen(td.getBoundingClientRect());
    }
    if (row.height > 100 && covered < 0.3 * seen(row)) {  // a tall row, mostly blank
      out.sparse.push([Math.round(row.height), tr.textContent.trim().slice(0, 40)]);
    }
  }
  return {sparse: out.sparse.slice(0, 5), off: out.off.slice(0, 5)};
}"""


def test_wide_tables_are_cards_on_a_phone(offline_page: OfflinePage, report_html: Path) -> None:
    """At 390 px a table with a column of long text (a reason, a citation) is a list of
    cards: every cell's text on the screen, and no row mostly blank (the validation report's
    first table had rows 750 px tall, its reasons off-screen to the right); a table of numbers
    wider than the screen scrolls inside its own box."""
    page = _open(offline_page, report_html, 390)
    rows = page.evaluate(_TABLE_ROWS)
    assert rows["off"] == [], f"table text off-screen at 390 px: {rows['off']}"
    assert rows["sparse"] == [], f"rows mostly blank at 390 px [height, row]: {rows['sparse']}"


def test_the_row_check_finds_a_blank_row_and_text_off_screen(offline_page: OfflinePage) -> None:
    """The check itself, on a hand-made table: a row made tall by a narrow long-text cell
    beside a short one, its last cell past the screen, is found as both."""
    page = offline_page.page
    page.set_viewport_size({"width": 390, "height": 900})
    long = "word " * 120
    cells = (
        f'<td>2025</td><td style="width:80px">{long}</td><td style="padding-left:600px">far</td>'
    )
    page.set_content(f'<div class="tr-table"><table><tbody><tr>{cells}</tr></tbody></table></div>')
    found = page.evaluate(_TABLE_ROWS)
    assert found["off"] == ["far"] and len(found["sparse"]) == 1


#: The what-if's sliders: font, whether the value sits on the slider's line, what a screen
#: reader hears, and the tariff slider's rate at its first step.
_SLIDERS = """() => Array.from(document.querySelectorAll('.vega-bind input[type=range]')).map(i => {
  const shown = i.nextElementSibling;
  return {name: i.name, font: getComputedStyle(i.closest('.vega-bind')).fontFamily,
          line: Math.abs(shown.getBoundingClientRect().top - i.getBoundingClientRect().top) < 12,
          beside: shown.textContent, aria: i.getAttribute('aria-valuetext')};
})"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_what_if_sliders_read_as_rates_in_the_pages_font(
    offline_page: OfflinePage, report_html: Path, width: int
) -> None:
    """The sliders are in the page's sans-serif with their value on the slider's line (at
    390 px "13.9" wrapped under its label, in serif); the tariff slider's accessible value is
    the rate ("13.9%"), not its step's index; at its first step the rate is above 0% (the
    partner's MFN duty: no law gives less)."""
    page = _open(offline_page, report_html, width)
    sliders = page.evaluate(_SLIDERS)
    if not sliders:
        pytest.skip("no what-if slider on this page")
    assert all("sans-serif" in s["font"] and s["line"] for s in sliders), sliders
    tariff = [s for s in sliders if s["name"].startswith("rate")]
    assert len(tariff) == 1 and tariff[0]["aria"] == tariff[0]["beside"] + "%", sliders
    start = page.evaluate(_TARIFF_SLIDER)
    first = _move_tariff_slider(page, 0, start["sentence"])
    assert (
        float(first["beside"]) > 0 and page.evaluate(_SLIDERS)[0]["aria"] == first["beside"] + "%"
    )


#: Each table box: whether its table is wider than it (it scrolls sideways) and than the
#: screen, the line of text shown above it (if any), whether its right edge fades and whether
#: a keyboard reaches it.
_SCROLL_HINTS = """() => Array.from(document.querySelectorAll('.tr-table')).map(box => {
  const hint = box.previousElementSibling;
  const shown = !!hint && hint.classList.contains('tr-scroll-hint') && !hint.hidden
    && getComputedStyle(hint).display !== 'none';
  return {scrolls: box.scrollWidth > box.clientWidth + 1,
          wider: box.scrollWidth > window.innerWidth, hint: shown ? hint.textContent : '',
          fade: getComputedStyle(box).maskImage !== 'none', keyboard: box.tabIndex === 0,
          name: box.getAttribute('aria-label') || ''};
})"""

#: A table of numbers 1,000 px wide in a report's box, added at the page's end.
_ADD_WIDE_TABLE = """() => {
  const box = document.createElement('div');
  box.className = 'tr-table';
  box.style.cssText = 'max-width:100%;overflow-x:auto';
  box.innerHTML = '<table><caption>Added</caption>'
    + '<tr><td><div style="width:1000px">1.0</div></td></tr></table>';
  document.querySelector('main').appendChild(box);
  window.dispatchEvent(new Event('resize'));
}"""


def _hint_problems(boxes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The boxes that scroll with no hint (line, fade, keyboard) or have one and do not."""
    said = "Scroll sideways for more columns"
    return [
        b
        for b in boxes
        if (b["scrolls"] and not (b["hint"].startswith(said) and b["fade"] and b["keyboard"]))
        or (not b["scrolls"] and (b["hint"] or b["fade"] or b["keyboard"]))
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_table_that_scrolls_sideways_says_so(
    offline_page: OfflinePage, report_html: Path, width: int
) -> None:
    """A table wider than its box (at 390 px the sensitivity's tornado table, 609 px in a
    305 px box) has a line above it saying it scrolls sideways, a fading right edge and is
    reached by keyboard (review 30 found no sign of it); a table that fits has none of these
    (every table at 1280 px). On paper there is no hint and no fade."""
    page = _open(offline_page, report_html, width)
    boxes = page.evaluate(_SCROLL_HINTS)
    assert _hint_problems(boxes) == []
    if width == 1280:
        assert not any(b["hint"] or b["fade"] for b in boxes), boxes
        return
    if not page.evaluate("() => !!document.querySelector('body.jp-Notebook main')"):
        return  # not a report page (the index): its tables are not report tables
    # Not vacuous on any page: a table wider than the screen, added, is marked; scrolled to
    # its end it no longer fades; printed, nothing is shown.
    page.evaluate(_ADD_WIDE_TABLE)
    added = page.evaluate(_SCROLL_HINTS)[-1]
    assert added["wider"] and added["scrolls"] and _hint_problems([added]) == [], added
    assert added["name"].startswith("Added: "), added
    page.evaluate(
        "() => { const b = document.querySelector('main').lastChild; "
        "b.scrollLeft = b.scrollWidth; }"
    )
    page.wait_for_function(
        "() => document.querySelector('main').lastChild.classList.contains('tr-scroll-end')"
    )
    assert page.evaluate(_SCROLL_HINTS)[-1]["fade"] is False
    page.emulate_media(media="print")
    printed = page.evaluate(_SCROLL_HINTS)
    assert not any(b["hint"] or b["fade"] for b in printed), printed
    page.emulate_media(media="screen")
    assert offline_page.errors == []
