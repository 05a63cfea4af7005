"""Offline HTML rendering, checked statically (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from helpers import BAR_SPEC

from analysis.pipeline.render import accessible, render_html, render_string
from analysis.report.charts import VL_MIME

CDN_HOSTS = ("cdn.jsdelivr", "cdnjs", "unpkg")


BUNDLE_MARK = "window.vegaEmbed="  # the bundle's export statement, once per bundle copy


def chart_nb(n_charts: int = 1, source: str = "secret_code_marker = 1") -> nbformat.NotebookNode:
    """A notebook with ``n_charts`` outputs as our renderer makes them, no kernel needed."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Heading"))
    for _ in range(n_charts):
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [
            nbformat.v4.new_output("display_data", data={VL_MIME: BAR_SPEC, "text/plain": "c"})
        ]
        nb.cells.append(cell)
    return nb


def tags(html: str, name: str) -> list[str]:
    return re.findall(rf"<{name}\b[^>]*>", html, flags=re.IGNORECASE)


@pytest.fixture(scope="module")
def demo_html(demo_report_dir: Path) -> str:
    return (demo_report_dir / "demo.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_demo_report_loads_nothing_from_the_network(demo_html: str) -> None:
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", demo_html, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", demo_html, re.IGNORECASE)
    for tag in tags(demo_html, "script") + tags(demo_html, "link"):
        assert not any(host in tag for host in CDN_HOSTS), tag
    # require.js and MathJax loaders of the lab template are gone.
    assert "require.min.js" not in demo_html and "MathJax" not in demo_html


@pytest.mark.slow
def test_demo_report_inlines_the_bundle_once_and_both_charts(demo_html: str) -> None:
    assert demo_html.count(BUNDLE_MARK) == 1
    assert demo_html.count('class="jp-RenderedVegaCommon vega-offline"') == 2
    # Charts go through our mimetype, not the SVG fallback stored beside it.
    body = demo_html.split("<body", 1)[1]
    assert "jp-RenderedSVG" not in body and "<svg" not in body


@pytest.mark.slow
def test_demo_report_hides_code_and_prompts(demo_html: str) -> None:
    body = demo_html.split("<body", 1)[1]
    assert "enable_offline_charts" not in body and "alt.Chart" not in body
    assert "jp-InputArea-editor" not in body
    assert not re.search(r"\[\d+\]:", body), "execution-count prompts must be hidden"
    assert "Totals by category" in body  # markdown stays
    assert "¶" not in body  # heading anchor links


@pytest.mark.slow
def test_demo_report_title_is_escaped(demo_html: str) -> None:
    assert "<title>Demo &lt;script&gt;alert('x')&lt;/script&gt; &amp; co</title>" in demo_html
    assert "<script>alert(" not in demo_html


def test_title_is_escaped_and_code_hidden(tmp_path: Path) -> None:
    out = render_html(chart_nb(), tmp_path / "r.html", title='<script>x()</script> "q" & a')
    html = out.read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;x()&lt;/script&gt;" in html and "&amp; a" in html
    assert "<script>x()" not in html
    assert "secret_code_marker" not in html


def test_two_charts_share_one_bundle(tmp_path: Path) -> None:
    html = render_string(chart_nb(n_charts=3), "three charts")
    assert html.count(BUNDLE_MARK) == 1
    # One embedding script per chart (its laptop call draws the spec as it stands).
    assert html.count("vegaEmbed(el, spec,") == 3


def test_page_without_charts_has_no_bundle() -> None:
    nb = chart_nb(n_charts=0)
    html = render_string(nb, "text only")
    assert BUNDLE_MARK not in html
    assert len(html) < 400_000


def test_render_accepts_a_path_and_does_not_modify_the_node(tmp_path: Path) -> None:
    nb = chart_nb()
    nbformat.write(nb, tmp_path / "in.ipynb")
    render_html(tmp_path / "in.ipynb", tmp_path / "a.html", title="A")
    render_html(nb, tmp_path / "b.html", title="B")
    assert "title" not in nb.metadata
    assert "<title>A</title>" in (tmp_path / "a.html").read_text()


def test_render_replaces_atomically_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("old")
    render_html(chart_nb(), target, title="new")
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_remove_tags_drop_cells_and_outputs() -> None:
    nb = chart_nb(n_charts=2)
    nb.cells[1].metadata["tags"] = ["remove-cell"]
    nb.cells[2].metadata["tags"] = ["remove-output"]
    assert "vegaEmbed(el," not in render_string(nb, "t")


PNG = (  # one pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def accessibility_nb() -> nbformat.NotebookNode:
    """Images with and without alternative text, output areas of several kinds, and markup
    inside a script and a comment, which is text, not elements."""
    nb = chart_nb(n_charts=1)
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            f'Raw <img src="data:image/png;base64,{PNG}"> and ![a described figure]'
            f"(data:image/png;base64,{PNG}) and <img alt='kept' src=x.png>\n\n"
            "<!-- <img src=commented.png> <div class='jp-OutputArea-output'> -->"
        )
    )
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a < b & 'c'\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "img"}),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<table><tr><td title="a > b">1</td></tr></table>'
                "<script>var s = '<img src=x>' + '<div class=\"jp-OutputArea-output\">';</script>"
                '<div class="jp-OutputArea-output" tabindex="-1">nested</div>',
                "text/plain": "t",
            },
        ),
    ]
    nb.cells.append(cell)
    return nb


def test_the_page_is_nbconverts_page_as_beautifulsoup_prints_it() -> None:
    """nbconvert's exporter prints its page through BeautifulSoup after adding alt text and
    tabindex; ours adds the same attributes and leaves the rest as the template wrote it: the
    same document, so BeautifulSoup's printing of ours is nbconvert's page, byte for byte."""
    import copy

    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from analysis.pipeline.render import exporter_config

    nb = accessibility_nb()
    node = copy.deepcopy(nb)
    node.metadata["title"] = "T"
    stock, _ = HTMLExporter(config=exporter_config()).from_notebook_node(
        node, resources={"metadata": {"name": "T"}}
    )
    ours = render_string(nb, "T")
    assert str(BeautifulSoup(ours, features="html.parser")) == stock
    # What nbconvert adds, ours has: two images described, the described ones kept, every
    # input and output area focusable (the nested one's -1 made 0), text in scripts and
    # comments untouched.
    missing = 'alt="No description has been provided for this image"'
    assert ours.count(missing) == stock.count(missing) == 2
    assert 'alt="kept"' in ours and 'alt="a described figure"' in ours
    assert ours.count('tabindex="0"') == stock.count('tabindex="0"') >= 5
    assert 'tabindex="-1"' not in ours
    assert "var s = '<img src=x>' + '<div class=\"jp-OutputArea-output\">';" in ours
    assert "<!-- <img src=commented.png> <div class='jp-OutputArea-output'> -->" in ours


def test_accessible_only_touches_what_nbconvert_would() -> None:
    page = (
        '<html><head><style>div.jp-OutputArea-output{}</style></head><div class="jp-Cell-'
        'inputWrapper">outside the notebook</div><body class="x jp-Notebook">'
        "<img src=a.png/><IMG SRC='b.png' ALT=''><div class='jp-OutputArea-output big'>o</div>"
        '<div data-x="a > b" class="jp-Cell-inputWrapper">i</div><divx class="jp-OutputArea-'
        'output"></divx><a class="anchor-link" href="#h" /><br/><svg><path d="M0"/></svg>'
        '<div class="jp-OutputArea-output"/></body><div class="jp-OutputArea-output">after</div>'
        "</html>"
    )
    out, missing_alt = accessible(page)
    assert missing_alt == 1
    assert out == (
        '<html><head><style>div.jp-OutputArea-output{}</style></head><div class="jp-Cell-'
        'inputWrapper">outside the notebook</div><body class="x jp-Notebook">'
        '<img src=a.png alt="No description has been provided for this image"/>'
        "<IMG SRC='b.png' ALT=''><div class='jp-OutputArea-output big' tabindex=\"0\">o</div>"
        '<div data-x="a > b" class="jp-Cell-inputWrapper" tabindex="0">i</div><divx class="jp-'
        'OutputArea-output"></divx><a class="anchor-link" href="#h"></a><br/>'
        '<svg><path d="M0"></path></svg><div class="jp-OutputArea-output" tabindex="0"></div>'
        '</body><div class="jp-OutputArea-output">after</div></html>'
    )
    # As the parser reads them (BeautifulSoup prints them so): a non-void element closed by
    # "/>" is empty (a browser would read "<a .../>" as an a element that runs on).


def test_a_consumed_notebook_is_rendered_without_a_copy() -> None:
    nb = chart_nb()
    kept = render_string(nb, "kept")
    assert "title" not in nb.metadata  # copied: the caller's notebook is unchanged
    consumed = render_string(nb, "kept", consume=True)
    assert consumed == kept
    assert nb.metadata["title"] == "kept"  # handed over: rendered in place


def test_the_notebook_is_checked_once_and_a_broken_one_still_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The schema check runs once, after every preprocessor (not after each), and the page
    is the one checked after each preprocessor, byte for byte; a notebook that breaks the
    schema fails as before."""
    import copy

    from analysis.pipeline import render

    nb = accessibility_nb()
    checked = []
    real = nbformat.validate

    def counting(*args: object, **kwargs: object) -> None:
        checked.append(1)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(nbformat, "validate", counting)
    ours = render_string(nb, "T")
    assert len(checked) == 1
    config = render.exporter_config()
    config.HTMLExporter.optimistic_validation = False  # nbconvert's default: after each
    node = copy.deepcopy(nb)
    node.metadata["title"] = "T"
    each, _ = render._exporter_class()(config=config).from_notebook_node(
        node, resources={"metadata": {"name": "T"}}
    )
    assert len(checked) > 5 and each == ours
    broken = copy.deepcopy(nb)
    broken.cells[1].outputs[0]["output_type"] = "not an output"
    with pytest.raises(nbformat.ValidationError):
        render_string(broken, "T")


def test_the_templates_compiled_once_are_read_back_and_render_the_same_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh exporter reads the templates' code that an earlier one compiled (no template
    compiled again) and renders the same page, byte for byte; a torn entry is compiled again;
    without an assets folder nothing is kept."""
    import copy

    import jinja2

    from analysis.pipeline import render
    from analysis.pipeline.vega_bundle import ASSETS_ENV

    monkeypatch.setenv(ASSETS_ENV, str(tmp_path / "assets"))
    compiled: list[str | None] = []
    real_compile = jinja2.Environment.compile

    def compile_(
        self: jinja2.Environment, source: object, name: str | None = None, *a: object, **k: object
    ) -> object:
        if name is not None:  # a template file (not an expression given as a string)
            compiled.append(name)
        return real_compile(self, source, name, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)

    nb = chart_nb(2)

    def page() -> str:
        fresh = render._exporter_class()(config=render.exporter_config())
        node = copy.deepcopy(nb)
        body, _ = fresh.from_notebook_node(node, resources={"metadata": {"name": "T"}})
        return str(body)

    first = page()
    entries = sorted((tmp_path / "assets").glob("jinja*/*.cache"))
    assert len(entries) == len(set(compiled)) >= 5  # index.html.j2 and every base it extends
    compiled.clear()
    assert page() == first
    assert compiled == []
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # torn: compiled again, same page
    assert page() == first
    assert len(compiled) == 1
    monkeypatch.setenv(ASSETS_ENV, "off")
    assert render.template_bytecode_cache() is None
