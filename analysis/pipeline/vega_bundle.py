"""nbconvert preprocessor that hands the offline template the Vega bundle, once per page.

Registered by ``templates/offline/conf.json``; kept apart from ``render`` so that importing
``analysis.report`` in a notebook kernel does not import nbconvert.
"""

from __future__ import annotations

import json
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

from analysis.report.charts import VL_MIME, vegalite_version

# Marker of Altair's *default* HTML renderer output: those charts can use the bundle too.
_DEFAULT_RENDERER_MARK = "vega-embed"


def has_chart(nb: NotebookNode) -> bool:
    """True if any output holds a Vega-Lite chart, ours or Altair's default HTML snippet."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VL_MIME in data or _DEFAULT_RENDERER_MARK in str(data.get("text/html", "")):
                return True
    return False


def vega_resources() -> dict[str, str]:
    """The bundle (vl-convert caches it after ~1.4 s the first time) and Altair's versions."""
    import altair as alt
    import vl_convert as vlc

    return {
        # The stub marks `snippet` required; at run time it defaults to "export to window".
        "vega_bundle": vlc.javascript_bundle(vl_version=vegalite_version()),  # type: ignore[call-arg]
        # Altair's default snippet checks VEGA_DEBUG before appending CDN <script> tags.
        "vega_debug": json.dumps(
            {
                "vega_version": alt.VEGA_VERSION,
                "vegalite_version": alt.VEGALITE_VERSION,
                "vegaembed_version": alt.VEGAEMBED_VERSION,
            }
        ),
    }


class VegaBundlePreprocessor(Preprocessor):
    """Add ``vega_bundle``/``vega_debug`` to the resources when the notebook has a chart."""

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if has_chart(nb):
            resources.update(vega_resources())
        return nb, resources
