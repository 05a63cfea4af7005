"""Rendered reports draw every chart in a real, offline Chromium, with no network requests.

By default this checks the demo report built by ``conftest.demo_report_dir``; point it at real
reports with ``pytest -m browser --reports-dir reports`` (or ``$TARIFF_REPORTS_HTML_DIR``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import OfflinePage

from analysis.inputs.paths import PROJECT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEFAULT_PAGES = ["demo.html", "index.html"]  # inside the demo build's output folder
RENDER_TIMEOUT_MS = 15_000


def _pages(config: pytest.Config) -> list[str]:
    folder = config.getoption("--reports-dir") or os.environ.get("TARIFF_REPORTS_HTML_DIR")
    if not folder:
        # The demo fixture, and every real notebook built with its default parameters.
        real = sorted(p.stem for p in (PROJECT_DIR / "notebooks").glob("*.py"))
        return DEFAULT_PAGES + [f"real:{name}.html" for name in [*real, "index"]]
    return [str(p) for p in sorted(Path(folder).glob("*.html")) if not p.name.startswith(".")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_name" in metafunc.fixturenames:
        pages = _pages(metafunc.config)
        metafunc.parametrize("page_name", pages, ids=[Path(p).name for p in pages])


@pytest.fixture
def report_html(page_name: str, request: pytest.FixtureRequest) -> Path:
    if Path(page_name).is_absolute():
        return Path(page_name)
    if page_name.startswith("real:"):
        real: Path = request.getfixturevalue("real_reports_dir")
        return real / page_name.removeprefix("real:")
    folder: Path = request.getfixturevalue("demo_report_dir")
    return folder / page_name


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
