"""The project's Altair renderer: interactive charts in offline HTML reports.

Altair's default renderer writes an HTML snippet that loads Vega from a CDN, so charts stay blank
offline. Ours stores only the Vega-Lite spec under a mimetype that our nbconvert template turns
into a ``vegaEmbed`` call against a bundle inlined once per page (see ``templates/offline``).
An SVG rendering goes into the same output so that JupyterLab (which has no Vega-Lite 6 renderer)
and GitHub previews still show the chart.

In a build's kernels (``$TARIFF_REPORTS_DEFERRED_SVG`` set to ``1``) the SVG is left to the
build: the output holds :data:`DEFERRED_SVG` in its place, and the build draws the SVG from the
spec stored beside it (``analysis.pipeline.svg``), with one renderer for all its reports,
instead of starting vl-convert's JavaScript engine in every kernel (~0.7 s of CPU each). The
executed notebook is the same, byte for byte. Where the build names a folder
(``$TARIFF_REPORTS_DEFERRED_SPECS``), the kernel also leaves each such chart's spec there, so
that the build draws it while the kernel runs on, not after the notebook ends.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

RENDERER_NAME = "tariff_offline"

# Altair 6.3 itself uses "application/vnd.vegalite.v6.json", which nbformat rejects for dict data
# (papermill then fails validation); the "+json" spelling is valid and is what the template reads.
VL_MIME = "application/vnd.vegalite.v6+json"
SVG_MIME = "image/svg+xml"
TEXT_MIME = "text/plain"
DEFERRED_SVG_ENV = "TARIFF_REPORTS_DEFERRED_SVG"
#: What a build's kernel stores in place of a chart's SVG; the build replaces it.
DEFERRED_SVG = "<!-- tariff-reports: this chart's SVG is drawn by the build -->"
#: Where a build's kernel leaves each deferred chart's spec (a folder), for the build to draw.
DEFERRED_SPECS_ENV = "TARIFF_REPORTS_DEFERRED_SPECS"
_LEFT = itertools.count()


def vegalite_version() -> str:
    """Vega-Lite minor version Altair targets, as vl-convert wants it (``'v6.4.1'`` → ``'6.4'``)."""
    import altair as alt

    return str(alt.SCHEMA_VERSION).lstrip("v").rsplit(".", 1)[0]


#: Room for a legend's labels and title (Vega cuts them at 160 px with an ellipsis, which
#: turned "Quota rent kept by exporters ($ bn)" into "Quota rent kept by exp...").
LEGEND_LABEL_PX = 360


def with_readable_legends(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with legend labels and titles allowed :data:`LEGEND_LABEL_PX` (unless the
    spec sets its own limit)."""
    config = dict(spec.get("config") or {})
    legend = dict(config.get("legend") or {})
    legend.setdefault("labelLimit", LEGEND_LABEL_PX)
    legend.setdefault("titleLimit", LEGEND_LABEL_PX)
    return {**spec, "config": {**config, "legend": legend}}


#: Said of every chart after its title, to whoever cannot see it (its accessible name).
DATA_BESIDE = "Its data are in the CSV file linked below the chart."


def _words(title: Any) -> str:
    """A Vega-Lite title (text, lines, or ``{"text", "subtitle"}``) as one sentence."""
    if isinstance(title, dict):
        parts = [_words(title.get("text")), _words(title.get("subtitle"))]
        return ": ".join(p for p in parts if p)
    if isinstance(title, list):
        return " ".join(str(line) for line in title)
    return "" if title is None else str(title)


def _title_of(spec: dict[str, Any]) -> str:
    """The chart's own title, else the first title of its layers or panels."""
    own = _words(spec.get("title"))
    if own:
        return own
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key) or ():
            found = _title_of(part) if isinstance(part, dict) else ""
            if found:
                return found
    return ""


def with_description(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with a ``description`` (unless it has one): its title and where its data are.
    Vega gives it to the page as the chart's accessible name, where a screen reader would
    otherwise hear "Vega visualization"."""
    if spec.get("description"):
        return spec
    title = _title_of(spec)
    words = f"Chart: {title.rstrip('.')}. {DATA_BESIDE}" if title else f"Chart. {DATA_BESIDE}"
    return {**spec, "description": words}


#: The fontconfig file vl-convert reads as it starts its font database: it names one font
#: folder, its own, which holds no font (``svg_fonts/fonts.conf``).
FONTS_CONF = Path(__file__).with_name("svg_fonts") / "fonts.conf"
_FONTS_LOCK = threading.Lock()
_fonts_set = False


def use_embedded_fonts() -> None:
    """In this process, vl-convert measures the SVG copies' text with the Liberation Sans it
    embeds only, not with the machine's fonts; once, before its first drawing.

    Vega places a chart's labels, titles and legends by the width of each text, which
    vl-convert 1.9 measures by laying the text out in an SVG of its own, with a font from a
    database it builds once per process from the machine's fonts (fontconfig's folders) and
    the Liberation Sans it embeds. "sans-serif" (Vega's font) is Arial, else Helvetica, else
    Liberation Sans: so the SVG depended on the machine; and a machine's font is a file mapped
    and unmapped again for every text measured (each glyph's outline): ~1.2 ms of CPU and
    ~190 page faults for each text an SVG holds, more than half of the drawing (a build's 76
    charts: 6.3-7.2 s of CPU against 3.3-4.9 s, ``benchmarks/svg_cpu.py``). The embedded
    font is kept in memory. vl-convert reads ``$FONTCONFIG_FILE`` as it builds the database,
    so it is set to :data:`FONTS_CONF` for that moment only (the database is built by
    registering that font folder, where there is none) and put back.

    On a machine whose sans-serif is Liberation Sans (this project's) the SVGs are the same,
    byte for byte; a text in a font the database lacks, or with a character Liberation Sans
    does not have, is measured without the machine's fallback font. If something in this
    process drew with vl-convert before, its database is kept (and the SVGs are those of the
    machine's fonts)."""
    global _fonts_set
    with _FONTS_LOCK:
        if _fonts_set:
            return
        import vl_convert as vlc

        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
        try:
            with contextlib.suppress(Exception):  # then the machine's fonts: only slower
                vlc.register_font_directory(str(FONTS_CONF.parent))
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
            _fonts_set = True


def svg_of(spec: dict[str, Any]) -> str:
    """The chart ``spec`` drawn as SVG (vl-convert, the Vega-Lite version Altair targets), its
    text measured with vl-convert's embedded font (:func:`use_embedded_fonts`)."""
    import vl_convert as vlc

    use_embedded_fonts()
    return str(vlc.vegalite_to_svg(spec, vl_version=vegalite_version()))


def offline_renderer(spec: dict[str, Any], svg_fallback: bool = True) -> dict[str, Any]:
    """Altair renderer: the spec for the report template, plus an SVG for other frontends
    (:data:`DEFERRED_SVG` in a build's kernel, the build draws it)."""
    spec = with_description(with_readable_legends(spec))
    bundle: dict[str, Any] = {VL_MIME: spec, TEXT_MIME: "<Vega-Lite chart>"}
    if svg_fallback:
        deferred = os.environ.get(DEFERRED_SVG_ENV) == "1"
        bundle[SVG_MIME] = DEFERRED_SVG if deferred else svg_of(spec)
        if deferred:
            leave_spec(spec)
    return bundle


#: Values that Altair's deep copy hands back as they are (neither a schema object, a list nor
#: a dict): taken here without a call each.
_ATOMS = frozenset({str, int, float, bool, type(None)})


def _fast_deep_copy(obj: Any, by_ref: set[str]) -> Any:
    """Altair's ``schemapi._deep_copy``: the same copy, made faster.

    Altair copies a chart deeply each time it is layered, concatenated or given parameters or
    properties, and each schema object holds every property of its class, mostly ``Undefined``
    (a ``Chart`` ~50, its encoding ~60): a report's what-if chart alone made ~230,000 calls
    that each handed back ``Undefined``. Here ``Undefined`` and plain values are taken as they
    are without a call, the ``__deepcopy__`` lookup does not raise and catch an
    ``AttributeError`` per object, and Altair's debug mode (which its copy switches off around
    each constructor) is switched off once for the whole copy. Schema objects, lists and dicts
    are copied as Altair copies them (keys in ``by_ref`` by reference).
    """
    from altair.utils import schemapi

    with schemapi.debug_mode(False):
        return _copy_value(obj, by_ref, schemapi.SchemaBase, schemapi.Undefined)


def _copy_value(obj: Any, by_ref: set[str], schema: Any, undefined: object) -> Any:
    atoms = _ATOMS
    if isinstance(obj, list):
        return [
            v if v is undefined or type(v) in atoms else _copy_value(v, by_ref, schema, undefined)
            for v in obj
        ]
    if isinstance(obj, schema):
        if "__deepcopy__" in obj._kwds or hasattr(type(obj), "__deepcopy__"):
            copier: Callable[[Any], Any] = obj.__deepcopy__
            return copier(obj)
        args = [
            v if v is undefined or type(v) in atoms else _copy_value(v, by_ref, schema, undefined)
            for v in obj._args
        ]
        return obj.__class__(*args, **_copy_items(obj._kwds, by_ref, schema, undefined))
    if isinstance(obj, dict):
        return _copy_items(obj, by_ref, schema, undefined)
    return obj


def _copy_items(
    items: dict[str, Any], by_ref: set[str], schema: Any, undefined: object
) -> dict[str, Any]:
    atoms = _ATOMS
    return {
        k: v
        if v is undefined or type(v) in atoms or k in by_ref
        else _copy_value(v, by_ref, schema, undefined)
        for k, v in items.items()
    }


#: Altair's tables of schema hashes to classes, one per set of classes (:func:`_from_dict_init`).
_CLASS_TABLES: dict[tuple[type, ...], dict[int, list[type]]] = {}
#: The Altair whose private ``_deep_copy`` and ``_FromDict.__init__`` the fast chart building
#: replaces, as its tests check them (``tests/report/test_charts.py``).
FAST_ALTAIR = "6.3.0"
#: Altair's own ``_deep_copy`` and ``_FromDict.__init__``, once replaced (the tests compare).
ALTAIR_ORIGINALS: dict[str, Callable[..., Any]] = {}


def _from_dict_init(self: Any, wrapper_classes: Any, /) -> None:
    """Altair's ``_FromDict.__init__`` with its table kept: Altair builds it (a JSON dump and
    a hash of each of ~570 schemas, ~5 ms) for every channel given as a string
    (``x="rate_pct:Q"``); the classes do not change, neither does the table. Each converter
    gets its own copy of the table, as it got its own table."""
    classes = tuple(wrapper_classes)
    table = _CLASS_TABLES.get(classes)
    if table is None:
        ALTAIR_ORIGINALS["from_dict_init"](self, classes)
        _CLASS_TABLES[classes] = {k: list(v) for k, v in self.class_dict.items()}
    else:
        self.class_dict = defaultdict(list, {k: list(v) for k, v in table.items()})


def use_fast_chart_building() -> None:
    """In this process, Altair's deep copies of charts are :func:`_fast_deep_copy` and its
    converter of channels keeps its table (:func:`_from_dict_init`): the same charts, faster.
    Only with the Altair these replacements were checked against (:data:`FAST_ALTAIR`, the
    version ``pyproject.toml`` pins): with another, Altair's own functions are kept."""
    import altair as alt
    from altair.utils import schemapi

    if alt.__version__ != FAST_ALTAIR:
        return
    if not ALTAIR_ORIGINALS:
        ALTAIR_ORIGINALS["deep_copy"] = schemapi._deep_copy
        ALTAIR_ORIGINALS["from_dict_init"] = schemapi._FromDict.__init__
    schemapi._deep_copy = _fast_deep_copy
    schemapi._FromDict.__init__ = _from_dict_init  # type: ignore[method-assign]


def leave_spec(spec: dict[str, Any]) -> None:
    """Write ``spec`` (JSON) into the folder ``$TARIFF_REPORTS_DEFERRED_SPECS`` names, if any,
    under a new name, complete (renamed into place); silently nothing if it cannot: the build
    then draws the chart from the notebook, only later."""
    folder = os.environ.get(DEFERRED_SPECS_ENV)
    if not folder:
        return
    with contextlib.suppress(OSError, TypeError, ValueError):
        path = os.path.join(folder, f"{os.getpid()}-{next(_LEFT)}.json")
        with open(f"{path}.part", "w", encoding="utf-8") as f:
            json.dump(spec, f)
        os.replace(f"{path}.part", path)


def enable_offline_charts(svg_fallback: bool = True) -> None:
    """Register and enable the offline renderer; call once at the top of every report notebook.

    ``svg_fallback=False`` skips the static SVG copy (smaller notebooks, nothing shown in
    JupyterLab); the HTML report is the same either way. Charts are built faster
    (:func:`use_fast_chart_building`): the same charts, the same specs.
    """
    import altair as alt

    use_fast_chart_building()
    alt.renderers.register(RENDERER_NAME, offline_renderer)
    alt.renderers.enable(RENDERER_NAME, svg_fallback=svg_fallback)
