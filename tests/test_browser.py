"""Rendered reports draw every chart in a real, offline Chromium, with no network requests.

By default this checks the demo report built by ``conftest.demo_report_dir``; point it at real
reports with ``pytest -m browser --reports-dir reports`` (or ``$TARIFF_REPORTS_HTML_DIR``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import OfflinePage
from helpers import parametrize_pages

from analysis.inputs.paths import PROJECT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEFAULT_PAGES = ["demo.html", "index.html"]  # inside the demo build's output folder
RENDER_TIMEOUT_MS = 15_000


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The demo fixture, and every real notebook built with its default parameters, and the index.
    parametrize_pages(metafunc, DEFAULT_PAGES, with_index=True)


def expected_charts(html: str) -> int:
    """Chart outputs in the page source: ours, plus any from Altair's default renderer."""
    return html.count('class="jp-RenderedVegaCommon vega-offline"') + html.count(
        '<div id="altair-viz-'
    )


# Marks drawn per view: SVG items under a mark group, or a canvas (vega's other renderer).
_MARKS_PER_VIEW = """() => Array.from(document.querySelectorAll('.vega-embed')).map(v =>
    v.querySelector('canvas') ? 1 : v.querySelectorAll('svg.marks .role-mark > *').length)"""


def test_charts_draw_offline(offline_page: OfflinePage, report_html: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    expected = expected_charts(report_html.read_text(encoding="utf-8"))
    page = offline_page.page
    page.goto(report_html.resolve().as_uri(), wait_until="load")
    if expected:
        try:
            page.wait_for_function(
                f"""() => {{
                    const views = document.querySelectorAll('.vega-embed');
                    return views.length >= {expected} && Array.from(views).every(
                        v => v.querySelector('svg.marks .role-mark > *, canvas'));
                }}""",
                timeout=RENDER_TIMEOUT_MS,
            )
        except PlaywrightTimeout:
            pytest.fail(
                f"{expected} chart(s) did not draw; page errors: {offline_page.errors}, "
                f"blocked requests: {offline_page.external}"
            )
    marks = page.evaluate(_MARKS_PER_VIEW)
    assert len(marks) == expected, "every chart output must become one vega-embed view"
    assert all(n > 0 for n in marks), f"a chart drew no marks: {marks}"
    assert page.locator(".vega-offline-error").count() == 0
    assert offline_page.errors == []
    assert offline_page.external == []


def test_demo_charts_are_interactive(offline_page: OfflinePage, demo_report_dir: Path) -> None:
    page = offline_page.page
    page.goto((demo_report_dir / "demo.html").as_uri(), wait_until="load")
    page.wait_for_selector(".vega-embed >> nth=1 >> .mark-line path", timeout=RENDER_TIMEOUT_MS)
    layered = page.locator(".vega-embed").nth(1)
    # 3 categories x 8 steps (n_points in the demo run spec).
    points = layered.locator(".mark-symbol.role-mark path")
    assert points.count() == 24

    box = points.nth(5).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".vg-tooltip.visible", timeout=5_000)
    assert "category" in page.locator(".vg-tooltip.visible").inner_text()

    legend = layered.locator(".role-legend-symbol path").nth(1).bounding_box()
    assert legend is not None
    page.mouse.click(legend["x"] + legend["width"] / 2, legend["y"] + legend["height"] / 2)
    page.wait_for_timeout(300)
    lines = layered.locator(".mark-line path")
    opacities = [lines.nth(i).get_attribute("opacity") for i in range(lines.count())]
    assert sorted(opacities) == ["0.15", "0.15", "1"], opacities
    assert offline_page.errors == [] and offline_page.external == []


# For every table at the page's width: wider than its column, headers that are code names,
# numbers in e-notation or written out to the dollar in the billions, addresses left as text.
_READER_CHECKS = """() => {
  const out = {wide: [], code: [], enote: [], dollars: [], raw_urls: [], links: 0, tables: 0};
  const column = (t) => t.closest('.jp-OutputArea-output') || t.closest('.jp-Cell')
      || t.closest('.box') || document.body;
  for (const t of document.querySelectorAll('table')) {
    out.tables += 1;
    const w = t.getBoundingClientRect().width, c = column(t).getBoundingClientRect().width;
    if (w > c + 1) out.wide.push([Math.round(w), Math.round(c), t.innerText.slice(0, 60)]);
    for (const th of t.querySelectorAll('th')) {
      const s = th.innerText.trim();
      if (/^[a-z0-9]+(_[a-z0-9]+)+$/.test(s)) out.code.push(s);
    }
    for (const td of t.querySelectorAll('td')) {
      const s = td.innerText;
      if (/\\d\\.?\\d*e[+-]\\d+/i.test(s)) out.enote.push(s.slice(0, 60));
      if (/\\d{1,3}(,\\d{3}){3,}/.test(s)) out.dollars.push(s.slice(0, 60));
      const url = /(https?:\\/\\/|doi:)\\S+/.test(s);
      if (url && !td.querySelector('a')) out.raw_urls.push(s.slice(0, 80));
    }
  }
  out.links = document.querySelectorAll('a[href^="https:"]').length;
  return out;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_reports_read_like_publications(
    offline_page: OfflinePage, report_html: Path, page_name: str, width: int
) -> None:
    if page_name in DEFAULT_PAGES:
        pytest.skip("the demo fixture is not a reader's report")
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(report_html.resolve().as_uri(), wait_until="load")
    found = page.evaluate(_READER_CHECKS)
    if width == 1280:  # at 390 px a table may scroll inside its box, never past the screen
        assert found["wide"] == [], f"tables wider than their column: {found['wide']}"
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('.tr-table, .box'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"""
    )
    assert overflow == 0, "a table box runs past the screen"
    assert found["code"] == [], f"code names in headers: {found['code']}"
    assert found["enote"] == [], f"e-notation: {found['enote']}"
    assert found["dollars"] == [], f"billions written to the dollar: {found['dollars']}"
    assert found["raw_urls"] == [], f"addresses shown as text: {found['raw_urls']}"
    if report_html.name != "index.html":
        assert found["tables"] > 0 and found["links"] > 0, "a report cites its sources as links"
        assert page.locator(".tr-keys .tr-key").count() >= 3, "a report opens with key numbers"


# A careful reader's checks of a whole page (index or report): what would stop a citation.
_LONG_MONTH = (
    "(January|February|March|April|May|June|July|August|September|October|November|December)"
)
#: Codes that are also English words a report may use ("oil", "gas", "Section 232 autos").
_ENGLISH_CODES = {"oil", "gas", "row", "autos", "timeline", "validation"}


def code_words() -> set[str]:
    """Names only the code knows: sector codes, partner ids, scenario and run names."""
    import csv

    with (PROJECT_DIR / "analysis" / "data" / "sectors.csv").open(encoding="utf-8") as f:
        sectors = {row["sector"] for row in csv.DictReader(f)}
    runs = {p.stem for p in (PROJECT_DIR / "params" / "reports").glob("*.yaml")}
    scenarios = {p.stem for p in (PROJECT_DIR / "params" / "scenarios").glob("*.yaml")}
    return (sectors | runs | scenarios | {"ftrow"}) - _ENGLISH_CODES


_PAGE_TEXT = "() => document.body.innerText"


def reader_problems(text: str, words: set[str]) -> dict[str, list[str]]:
    """What a careful reader objects to in a page's visible text."""
    import re

    tokens = set(re.findall(r"(?<![\w/.-])[a-z][a-z0-9_]*(?![\w/-])", text))
    found = {
        "raw floats": re.findall(r"-?\d+\.\d{5,}", text),
        "code words": sorted(tokens & words),
        "G suffixes": re.findall(r"[−-]?\$?\d+(?:\.\d+)?G\b", text),
        "internal notes": re.findall(r"NO VERIFIED SOURCE|docs/research/\S*", text),
    }
    return {k: v[:5] for k, v in found.items() if v}


def test_reader_problems_finds_what_a_reader_objects_to() -> None:
    words = {"mvh", "escalation_35"}
    text = "Japan's mvh fell -0.19058305450675353 (escalation_35); axis -60G; NO VERIFIED SOURCE"
    found = reader_problems(text, words)
    assert found["code words"] == ["escalation_35", "mvh"]
    assert found["raw floats"] == ["-0.19058305450675353"]
    assert found["G suffixes"] == ["-60G"] and found["internal notes"]
    assert reader_problems("Motor vehicles: −$12.3 bn, +4.2% (28 November 2026)", words) == {}


def _open(offline_page: OfflinePage, report_html: Path, width: int) -> Any:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(report_html.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.vega-embed'))
            .every(v => v.querySelector('svg.marks .role-mark > *, canvas'))""",
        timeout=RENDER_TIMEOUT_MS,
    )
    return page


def test_a_careful_reader_finds_nothing_to_object_to(
    offline_page: OfflinePage, report_html: Path, page_name: str
) -> None:
    """No raw float, code word, SI dollar suffix or internal note in the visible text; a
    date in the first lines; no script error, even after clicking every sortable header."""
    import re

    if page_name in DEFAULT_PAGES:
        pytest.skip("the demo fixture is not a reader's report")
    page = _open(offline_page, report_html, 1280)
    text = page.evaluate(_PAGE_TEXT)
    assert reader_problems(text, code_words()) == {}
    top = text[:800]
    assert re.search(rf"\d{{1,2}} {_LONG_MONTH} \d{{4}}", top), f"no date near the top: {top!r}"
    # Each chart's accessible name is its title, not Vega's "Vega visualization".
    names = page.evaluate(
        "() => Array.from(document.querySelectorAll('.vega-embed'),"
        " v => v.getAttribute('aria-label'))"
    )
    assert all(n and n.startswith("Chart: ") for n in names), names
    headers = page.locator("table.sortable th")
    for i in range(headers.count()):
        headers.nth(i).click()
    assert offline_page.errors == [], offline_page.errors


def test_every_table_and_chart_hands_over_its_data(
    offline_page: OfflinePage, report_html: Path, page_name: str
) -> None:
    """Each data table and each chart has a CSV link whose content is its data."""
    import base64
    from urllib.parse import unquote

    if page_name in DEFAULT_PAGES or report_html.name == "index.html":
        pytest.skip("the index lists reports; its rows are links, not data")
    page = _open(offline_page, report_html, 1280)
    missing = page.evaluate(
        """() => Array.from(document.querySelectorAll('.tr-table'))
            .filter(t => !t.querySelector('a.tr-csv')).length"""
    )
    assert missing == 0, f"{missing} table(s) without a CSV"
    charts = page.locator(".vega-offline").count()
    chart_links = page.evaluate(
        """() => Array.from(document.querySelectorAll('.vega-offline'))
            .filter(c => c.nextElementSibling && c.nextElementSibling.classList
                .contains('tr-csv')).length"""
    )
    assert chart_links == charts, f"{charts - chart_links} chart(s) without a CSV"
    for href in page.eval_on_selector_all("a.tr-csv", "as => as.map(a => a.href)"):
        head, body = href.split(",", 1)
        csv_text = base64.b64decode(body).decode() if head.endswith(";base64") else unquote(body)
        lines = csv_text.strip().splitlines()
        assert len(lines) >= 2, f"an empty CSV: {csv_text[:80]!r}"


def test_nothing_is_wider_than_a_phone(
    offline_page: OfflinePage, report_html: Path, page_name: str
) -> None:
    """At 390 px the page never scrolls sideways (a wide chart scrolls inside its box)."""
    if page_name in DEFAULT_PAGES:
        pytest.skip("the demo fixture is not a reader's report")
    page = _open(offline_page, report_html, 390)
    wide = page.evaluate(
        """() => {
          const out = [];
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= window.innerWidth + 1) continue;
            let clipped = false;  // inside a box that scrolls or clips sideways
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
              const o = getComputedStyle(p).overflowX;
              if ((o === 'auto' || o === 'scroll' || o === 'hidden')
                  && p.getBoundingClientRect().right <= window.innerWidth + 1) {
                clipped = true; break;
              }
            }
            if (!clipped) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
          }
          return out.slice(0, 5);
        }"""
    )
    assert wide == [], f"wider than 390 px: {wide}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 391, f"the page scrolls sideways at 390 px ({width} px)"
