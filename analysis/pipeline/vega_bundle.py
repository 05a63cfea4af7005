"""nbconvert preprocessor that hands the offline template the Vega bundle, once per page.

Registered by ``templates/offline/conf.json``; kept apart from ``render`` so that importing
``analysis.report`` in a notebook kernel does not import nbconvert.

The bundle (~0.9 MB of JavaScript) is a function of the installed vl-convert and the Vega-Lite
version alone, but vl-convert builds it anew in every process (~2.2 s of CPU). It is kept in
the assets folder (``$TARIFF_REPORTS_ASSETS``, else ``<user cache>/tariff-reports/assets``;
``off`` keeps nothing), named by both versions, with its SHA-256 beside it: a file that does not
match its checksum is built again and replaced. Unlike the results cache, this folder holds no
report's numbers, so it is used with the results cache off too.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

from analysis.atomic import atomic_write_bytes
from analysis.report.charts import VL_MIME, vegalite_version

ASSETS_ENV = "TARIFF_REPORTS_ASSETS"
_OFF = {"off", "0", "no", "false", "none", ""}

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


def assets_dir() -> Path | None:
    """The folder of built assets, or None when ``$TARIFF_REPORTS_ASSETS`` is ``off``."""
    value = os.environ.get(ASSETS_ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "tariff-reports" / "assets"


def _build_bundle(vl_version: str) -> str:
    import vl_convert as vlc

    # The stub marks `snippet` required; at run time it defaults to "export to window".
    return str(vlc.javascript_bundle(vl_version=vl_version))  # type: ignore[call-arg]


@cache
def javascript_bundle() -> str:
    """vl-convert's Vega bundle for Altair's Vega-Lite version, from the assets folder when a
    copy there matches its checksum, else built (and kept there; a folder that refuses is
    skipped)."""
    from importlib.metadata import version

    vl_version = vegalite_version()
    folder = assets_dir()
    if folder is None:
        return _build_bundle(vl_version)
    path = folder / f"vega-bundle-vlc{version('vl-convert-python')}-vl{vl_version}.js"
    checksum = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() == checksum.read_text(encoding="ascii").strip():
            return data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    bundle = _build_bundle(vl_version)
    data = bundle.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        atomic_write_bytes(checksum, hashlib.sha256(data).hexdigest().encode("ascii"))
    except OSError:
        pass
    return bundle


def vega_resources() -> dict[str, str]:
    """The bundle (:func:`javascript_bundle`) and Altair's versions."""
    import altair as alt

    return {
        "vega_bundle": javascript_bundle(),
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
