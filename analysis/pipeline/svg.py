"""The charts' SVG copies in a build's reports, drawn by the builder: one renderer, each once.

A report's chart is stored in its executed notebook as a Vega-Lite spec (what the HTML page
draws) and an SVG copy (what JupyterLab and GitHub previews show). Drawing the SVG starts
vl-convert's JavaScript engine, ~0.7 s of CPU, once per process: in every kernel, once per
report. So a build's kernels leave :data:`~analysis.report.charts.DEFERRED_SVG` in its place
(``$TARIFF_REPORTS_DEFERRED_SVG``) and the builder, whose engine is started once, draws each
SVG from the spec stored beside it (:func:`fill_deferred`, on the notebook that publishing reads,
``pipeline.publish.finish``; :func:`draw_deferred` for a file), before the execution is cached or
published. The kernels also leave each such spec in a folder of the build as they display it
(``report.charts.leave_spec``), where the builder draws it while they run on
(:func:`draw_left`), so that filling a finished notebook in finds its SVGs drawn (by key: a
spec that differs, or was not left, is drawn then). The executed notebook is the one a kernel
drawing its own SVGs writes, byte for byte (the spec read back from the notebook draws the same
SVG; ``tests/pipeline/test_svg.py``).

An SVG is a pure function of its spec, the Vega-Lite version and vl-convert's version (its
text is measured with the font vl-convert embeds, not the machine's fonts:
``charts.use_embedded_fonts``), so it is kept by the SHA-256 of exactly those
(:func:`svg_key`): in this process for the build (a chart
that several reports draw alike is drawn once), and, where the results cache has a folder, in
``svg/`` under it, for the next builds (one file per key, written atomically, whose first line
is the SHA-256 of the rest: a file that does not match is drawn again and rewritten; the
results cache's size cap counts them, least recently used first out).

Vega numbers the gradients (``gradient_0``, ...) and clip paths (``clip1``, ...) of the SVGs it
draws with counters that run for the life of the process, so the same chart drawn after other
charts has other ids: the builder, drawing every report's charts, would write numbers that
depend on the order in which the reports finished. :func:`fill_deferred` therefore numbers
them within each notebook, in the order of its charts, from the counters' first values: as a
kernel drawing its own charts numbers them, whatever the builder drew before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_write_bytes
from analysis.report.charts import DEFERRED_SVG, SVG_MIME, VL_MIME, svg_of, vegalite_version

#: The SVGs' folder under the results cache's.
FOLDER = "svg"
_DRAWN: dict[str, str] = {}
# One drawing at a time: the build draws the specs its kernels leave in a thread
# (:func:`draw_left`) while it fills in finished notebooks (:func:`fill_deferred`).
_DRAWING = threading.Lock()
#: Vega's per-process counters of SVG element ids: the prefix and the counter's first value.
COUNTED_IDS = {"gradient_": 0, "clip": 1}
_COUNTED_ID = re.compile(r'(id="|url\(#)(gradient_|clip)(\d+)(?=[")])')


def svg_key(spec: dict[str, Any]) -> str:
    """The SHA-256 of everything the SVG of ``spec`` depends on: the spec's content (keys
    sorted: a mapping's order is not part of it), the Vega-Lite version and vl-convert's (its
    text measured with the font vl-convert embeds, ``charts.use_embedded_fonts``: since
    ``svg-2``; before, with the machine's fonts)."""
    try:
        converter = metadata.version("vl-convert-python")
    except metadata.PackageNotFoundError:
        converter = "-"
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    head = f"tariff-reports-svg-2\0vega-lite {vegalite_version()}\0vl-convert {converter}\0"
    return hashlib.sha256((head + text).encode("utf-8")).hexdigest()


def _read_stored(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, _, body = data.partition(b"\n")
    if checksum.decode("ascii", "replace") != hashlib.sha256(body).hexdigest():
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last (the results cache's cap covers them)
    return body.decode("utf-8")


def _store(path: Path, svg: str) -> None:
    body = svg.encode("utf-8")
    with contextlib.suppress(OSError):  # a read-only or full cache only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(body).hexdigest().encode("ascii")  # checked when read
        atomic_write_bytes(path, digest + b"\n" + body, durable=False)


def svg_for(spec: dict[str, Any], folder: Path | None = None) -> str:
    """The SVG of ``spec``: drawn once per process, read from ``folder`` (``<key>.svg``) if
    drawn there before, else drawn and stored there."""
    key = svg_key(spec)
    with _DRAWING:
        svg = _DRAWN.get(key)
        if svg is None and folder is not None:
            svg = _read_stored(folder / f"{key}.svg")
        if svg is None:
            svg = svg_of(spec)
            if folder is not None:
                _store(folder / f"{key}.svg", svg)
        _DRAWN[key] = svg
    return svg


def draw_left(specs: Path, folder: Path | None = None) -> int:
    """Draw (:func:`svg_for`) each chart spec a kernel left in ``specs``
    (``report.charts.leave_spec``) and remove its file; return how many were drawn. A file
    that cannot be read is left: the notebook's own spec is drawn when it is filled in."""
    count = 0
    for path in sorted(specs.glob("*.json")):
        try:
            spec = json.loads(path.read_bytes())
            path.unlink()
        except (OSError, ValueError):
            continue
        if isinstance(spec, dict):
            with contextlib.suppress(Exception):  # as if not left: drawn (and fail) later
                svg_for(spec, folder)
                count += 1
    return count


def renumbered(svg: str, used: dict[str, int]) -> str:
    """``svg`` with Vega's counted ids (:data:`COUNTED_IDS`) numbered on from ``used`` (the
    numbers a notebook's earlier charts took, by prefix; updated), in order of appearance."""
    numbers: dict[tuple[str, str], int] = {}

    def number(match: re.Match[str]) -> str:
        lead, prefix, old = match.groups()
        if (prefix, old) not in numbers:
            numbers[prefix, old] = COUNTED_IDS[prefix] + used.get(prefix, 0)
            used[prefix] = used.get(prefix, 0) + 1
        return f"{lead}{prefix}{numbers[prefix, old]}"

    return _COUNTED_ID.sub(number, svg)


def fill_deferred(nb: Any, folder: Path | None = None) -> int:
    """Replace every deferred SVG in notebook node ``nb`` by the SVG of the spec beside it,
    its counted ids numbered within ``nb`` (:func:`renumbered`); return how many were
    replaced."""
    count = 0
    used: dict[str, int] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if data.get(SVG_MIME) == DEFERRED_SVG and isinstance(data.get(VL_MIME), dict):
                data[SVG_MIME] = renumbered(svg_for(data[VL_MIME], folder), used)
                count += 1
    return count


def draw_deferred(path: Path, folder: Path | None = None) -> None:
    """Draw the deferred SVGs of the executed notebook at ``path`` (rewritten only if it had
    any). A notebook that cannot be read is left as it is: publishing reports it."""
    from analysis.pipeline.nbio import read_nb, write_nb

    try:
        if DEFERRED_SVG.encode("utf-8") not in path.read_bytes():
            return
        nb = read_nb(path)
    except Exception:
        return
    if fill_deferred(nb, folder):
        write_nb(nb, path)


def warm() -> None:
    """Start the renderer's JavaScript engine (its first drawing costs ~0.7 s)."""
    svg_of({"mark": "point", "data": {"values": []}})
