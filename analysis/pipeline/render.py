"""Executed notebook → offline, self-contained HTML report (code hidden, charts interactive)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

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


@cache
def exporter() -> HTMLExporter:
    """The HTML exporter, built once per process: building it and the first bundle cost ~1.5 s."""
    from nbconvert import HTMLExporter
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
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    c.TagRemovePreprocessor.remove_all_outputs_tags = REMOVE_OUTPUT_TAGS
    return HTMLExporter(config=c)  # type: ignore[no-untyped-call]


def _as_node(nb: str | Path | NotebookNode) -> NotebookNode:
    from analysis.pipeline.nbio import read_nb

    if isinstance(nb, str | Path):
        return read_nb(nb)
    # The title goes into the metadata below; never change the caller's notebook.
    return copy.deepcopy(nb)


def render_string(nb: str | Path | NotebookNode, title: str) -> str:
    """The report page as a string. ``title`` is escaped by the template (``<title>``)."""
    node = _as_node(nb)
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
