"""Executed notebook → offline, self-contained HTML report (code hidden, charts interactive).

nbconvert's ``HTMLExporter`` deep-copies the notebook, renders it, then parses the whole page
again with BeautifulSoup to give images without alternative text one and to make input and
output areas focusable (``tabindex="0"``), and writes the page out as BeautifulSoup prints it.
Ours (:func:`exporter`) does the same two things with one scan of the rendered page
(:func:`accessible`), which adds those attributes and leaves every other byte as the template
wrote it, but for tags the template closes with "/>" (``<a class="anchor-link" ... />``),
which it closes as the parser reads them (``<a ...></a>``: a browser would read an ``a`` that
runs on); and a notebook given to :func:`render_string` is copied once (by us, or not at all
when the caller hands it over: ``consume``), not twice. The page differs from nbconvert's only
in how BeautifulSoup would have printed the same elements (attributes in alphabetical order,
``'`` for ``&#39;``, fewer blank lines...): BeautifulSoup's printing of our page is
nbconvert's page, byte for byte (``tests/pipeline/test_render.py``), and Chromium builds the
same document from both (``benchmarks/compare_render.py``).
"""

from __future__ import annotations

import contextlib
import copy
import html
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from analysis.atomic import atomic_write_text
from analysis.report.charts import VL_MIME

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "offline"

# nbconvert silently drops outputs whose mimetype is not listed here, so our chart mimetype must
# be; listed first, it beats the SVG fallback stored in the same output.
DISPLAY_PRIORITY = [
    VL_MIME,
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]

# Cell tags authors can use to keep setup noise out of a report (Jupyter Book's names).
REMOVE_CELL_TAGS = {"remove-cell", "remove_cell"}
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output"}

#: nbconvert's text for an image that has none (``HTMLExporter.from_notebook_node``).
MISSING_ALT = "No description has been provided for this image"
#: The areas nbconvert makes focusable, inside the page's ``.jp-Notebook`` element.
FOCUSABLE_CLASSES = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})

# What the scan looks at, as Python's html.parser (BeautifulSoup's parser here) reads it:
# comments, and script and style elements, whose text is not markup (skipped whole); the start
# tags of body, div and img; body's end tag; and tags closed by "/>". A quoted attribute value
# may hold ">".
_NEXT = re.compile(r"<(?:!--|script|style|body|/body|div|img)|/>", re.IGNORECASE)
_START_TAG = re.compile(
    r"""<(script|style|body|div|img)(?=[\s/>])((?:"[^"]*"|'[^']*'|[^'">])*)>""", re.IGNORECASE
)
_ANY_START_TAG = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9:-]*)(?=[\s/>])((?:"[^"]*"|'[^']*'|[^'">])*)>"""
)
#: Elements that have no end tag: "<br/>" is "<br>" (BeautifulSoup's list, bs4.builder).
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem"}
    | {"meta", "param", "source", "track", "wbr", "basefont", "bgsound", "command", "frame"}
    | {"image", "isindex", "nextid", "spacer"}
)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_RAW_END = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}
_ATTRIBUTE = re.compile(
    r"""([^\s/>"'=][^\s/>=]*)(?:\s*=+\s*("[^"]*"|'[^']*'|[^\s>]*))?""", re.DOTALL
)


def _attributes(text: str) -> dict[str, str]:
    """A start tag's attributes as the parser reads them: names in lower case, values
    unescaped, the last of a repeated name winning."""
    found: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(text):
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        found[name.lower()] = html.unescape(value)
    return found


def _with_attribute(tag: str, attrs: str, name: str, value: str) -> str:
    """``tag`` (whose attribute text is ``attrs``) with ``name="value"`` set, last if new."""
    if name not in _attributes(attrs):
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end]} {name}="{html.escape(value)}"{tag[end:]}'
    merged = _attributes(attrs) | {name: value}
    element = re.match(r"<\w+", tag)
    assert element is not None  # the scan matched a start tag
    return element.group() + "".join(f' {k}="{html.escape(v)}"' for k, v in merged.items()) + ">"


def _tags(page: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, element, attribute text) of each body, ``/body``, div and img tag of
    ``page`` and of each other tag closed by "/>", outside comments, scripts and styles."""
    pos = 0
    while (found := _NEXT.search(page, pos)) is not None:
        pos = found.start()
        if page.startswith("/>", pos):  # the end of a tag not yet seen, or text
            pos += 2
            tag = _ANY_START_TAG.match(page, max(page.rfind("<", 0, pos - 2), 0))
            if tag is not None and tag.end() == pos:
                yield tag.start(), pos, tag.group(1).lower(), tag.group(2)
        elif page.startswith("<!--", pos):
            end = page.find("-->", pos + 4)
            pos = len(page) if end < 0 else end + 3
        elif (end_tag := _BODY_END.match(page, pos)) is not None:
            yield pos, end_tag.end(), "/body", ""
            pos = end_tag.end()
        elif (tag := _START_TAG.match(page, pos)) is None:
            pos += 1  # "<divx", "<img" never closed: not an element the scan looks at
        else:
            element = tag.group(1).lower()
            pos = tag.end()
            if element in _RAW_END:  # its text runs to its end tag
                raw_end = _RAW_END[element].search(page, pos)
                pos = len(page) if raw_end is None else raw_end.end()
            else:
                yield tag.start(), tag.end(), element, tag.group(2)


def _closed(tag: str, element: str) -> str:
    """A start tag ending in "/>" as the parser reads it: ``<a href=x/>`` is an empty a
    element, ``<a href=x></a>`` (a browser would read an a element that runs on)."""
    if element in VOID_ELEMENTS or not tag.endswith("/>"):
        return tag
    return f"{tag[:-2].rstrip()}></{element}>"


def accessible(page: str) -> tuple[str, int]:
    """``page`` with what nbconvert's exporter adds for screen readers and keyboards: an
    ``alt`` on every image without one, ``tabindex="0"`` on every input and output area of
    the ``.jp-Notebook`` body; and how many images had no alternative text."""
    parts: list[str] = []
    done = 0
    in_notebook = False
    missing_alt = 0
    for start, end, element, attrs in _tags(page):
        tag = new = page[start:end]
        if element == "/body":
            in_notebook = False
        elif element == "body":
            in_notebook = "jp-Notebook" in _attributes(attrs).get("class", "").split()
        elif element == "img" and "alt" not in _attributes(attrs):
            missing_alt += 1
            new = _with_attribute(tag, attrs, "alt", MISSING_ALT)
        elif element == "div" and in_notebook:
            found = _attributes(attrs)
            focusable = set(found.get("class", "").split()) & FOCUSABLE_CLASSES
            if focusable and found.get("tabindex") != "0":
                new = _with_attribute(tag, attrs, "tabindex", "0")
        new = _closed(new, element)
        if new is not tag:
            parts += [page[done:start], new]
            done = end
    parts.append(page[done:])
    return "".join(parts), missing_alt


@cache
def _exporter_class() -> type[HTMLExporter]:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OfflineHTMLExporter(HTMLExporter):
        """nbconvert's HTMLExporter (7.17) with :func:`accessible` for its BeautifulSoup
        pass."""

        def _create_environment(self) -> Any:
            environment = super()._create_environment()  # type: ignore[no-untyped-call]
            environment.bytecode_cache = template_bytecode_cache()
            return environment

        def from_notebook_node(  # type: ignore[override]
            self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            # HTMLExporter.from_notebook_node's steps before its BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code",
                Highlight2HTML(pygments_lexer=lexer, parent=self),  # type: ignore[no-untyped-call]
            )
            resources = self._init_resources(resources)  # type: ignore[no-untyped-call]
            filter_data_type = WidgetsDataTypeFilter(  # type: ignore[no-untyped-call]
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)  # type: ignore[no-untyped-call]
            self.register_filter("filter_data_type", filter_data_type)  # type: ignore[no-untyped-call]
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            page, missing_alt = accessible(page)
            if missing_alt:
                self.log.warning("Alternative text is missing on %s image(s).", missing_alt)
            return page, resources

    return OfflineHTMLExporter


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's folder of compiled templates, which never fails a render: an entry it cannot
    read (torn, foreign) is compiled again, one it cannot write is not kept."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_bytecode_cache() -> TemplateCache | None:
    """Where Jinja keeps the page templates compiled (~0.1-0.2 s of CPU to compile them, in
    every process that renders): a folder of the assets folder (``vega_bundle.assets_dir``),
    named by the versions of Jinja and nbconvert (which make the environment that compiles
    them); None when the assets folder is ``off`` or cannot be made. Jinja reads a template's
    code back only if the template's source is the one it was compiled from (the entry holds
    its SHA-1) and it was compiled by this Jinja for this Python; else it compiles it again."""
    from importlib.metadata import version

    from analysis.pipeline.vega_bundle import assets_dir

    folder = assets_dir()
    if folder is None:
        return None
    cache = folder / f"jinja{version('jinja2')}-nbconvert{version('nbconvert')}"
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return TemplateCache(str(cache))


def exporter_config() -> Any:
    """The exporter's configuration (traitlets ``Config``)."""
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.anchor_link_text = ""
    # Markdown <img src="figure.png"> would break once the HTML is moved; inline it as data: URI.
    c.HTMLExporter.embed_images = True
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    # The notebook is checked against its schema once, after all the preprocessors, not after
    # each of nbconvert's 13 (most of them disabled, each check of the whole notebook ~5 ms): a
    # notebook that fails fails the same way, and a page is the same bytes.
    c.HTMLExporter.optimistic_validation = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    c.TagRemovePreprocessor.remove_all_outputs_tags = REMOVE_OUTPUT_TAGS
    return c


@cache
def exporter() -> HTMLExporter:
    """The HTML exporter, built once per process: building it and the first bundle cost ~1.5 s."""
    return _exporter_class()(config=exporter_config())


def _owned(node: NotebookNode) -> NotebookNode:
    """``node`` as a notebook the exporter may change: its deep copy of the notebook (made
    before its preprocessors edit it) returns the notebook itself."""
    from nbformat import NotebookNode

    class Owned(NotebookNode):
        def __deepcopy__(self, memo: dict[int, Any]) -> Owned:
            return self

    return Owned(node)  # type: ignore[no-untyped-call]


def _as_node(nb: str | Path | NotebookNode, consume: bool) -> NotebookNode:
    from analysis.pipeline.nbio import read_nb

    if isinstance(nb, str | Path):
        return _owned(read_nb(nb))
    # The title goes into the metadata below and the preprocessors edit cells: never change
    # the caller's notebook, unless the caller hands it over.
    return _owned(nb if consume else copy.deepcopy(nb))


def render_string(nb: str | Path | NotebookNode, title: str, *, consume: bool = False) -> str:
    """The report page as a string. ``title`` is escaped by the template (``<title>``). With
    ``consume``, the notebook node ``nb`` is the caller's no more: rendering edits it."""
    node = _as_node(nb, consume)
    # The lab template prefers nb.metadata.title over the resource name; set it so ours wins.
    node.metadata["title"] = title
    resources = {"metadata": {"name": title}}
    if isinstance(nb, str | Path):
        # Lets embed_images resolve markdown images relative to the notebook.
        resources["metadata"]["path"] = str(Path(nb).parent)
    body, _ = exporter().from_notebook_node(node, resources=resources)
    return str(body)


def render_html(nb: str | Path | NotebookNode, out_html: Path, title: str) -> Path:
    """Render an executed notebook (path or node) to ``out_html``, atomically; return the path."""
    return atomic_write_text(Path(out_html), render_string(nb, title))
