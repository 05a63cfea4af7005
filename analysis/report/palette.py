"""One colour per partner and per tariff layer, the same in every chart of every report.

Partners are keyed by their reader's names (:data:`analysis.report.text.PARTNER_LABELS`) and
layers by :data:`analysis.inputs.measures.LAYER_STEMS`, the words every label of the layer
starts with (the measures of a page's law follow in brackets: "Other (IEEPA fentanyl)").
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt

from analysis.inputs.measures import LAYER_STEMS
from analysis.report.text import PARTNER_LABELS

# Colour-blind-safe (Okabe-Ito and Tableau), Japan in the strongest red.
_PARTNER_BY_ID = {
    "japan": "#c8102e",
    "china": "#e69f00",
    "canada": "#56b4e9",
    "mexico": "#009e73",
    "eu": "#0072b2",
    "uk": "#cc79a7",
    "ftrow": "#8c6d31",
    "row": "#7f7f7f",
    "us": "#333333",
    "all": "#000000",
}
PARTNER_COLORS = {PARTNER_LABELS[k]: c for k, c in _PARTNER_BY_ID.items()}

_LAYER_BY_ID = {
    "mfn": "#bab0ac",
    "baseline": "#f28e2b",
    "country": "#e15759",
    "section232": "#4e79a7",
    "section301": "#b07aa1",
    "floor": "#edc948",
    "other": "#76b7b2",
}
LAYER_COLORS = {LAYER_STEMS[k]: c for k, c in _LAYER_BY_ID.items()}

GAIN = "#2166ac"
LOSS = "#b2182b"


def _key(colors: dict[str, str], name: str) -> str | None:
    """The key of ``colors`` a name takes: itself, else the layer whose words it starts with (a
    layer labelled with its measures, "All-in floor (Section 301)", takes its layer's)."""
    if name in colors:
        return name
    stem = name.split(" (")[0]
    return next((k for k in colors if k.split(" (")[0] == stem), None)


def _color(colors: dict[str, str], name: str) -> str:
    key = _key(colors, name)
    return colors[key] if key is not None else "#999999"


def _scale(colors: dict[str, str], present: Iterable[str]) -> alt.Scale:
    """Names in the order of ``colors`` (layers bottom to top), others after them."""
    names = list(dict.fromkeys(str(p) for p in present))
    order = list(colors)

    def rank(name: str) -> int:
        key = _key(colors, name)
        return order.index(key) if key is not None else len(order)

    known = sorted(names, key=rank)
    return alt.Scale(domain=known, range=[_color(colors, n) for n in known])


def partner_scale(present: Iterable[str]) -> alt.Scale:
    """The colour scale of the partners (reader's names) in a chart, fixed colours."""
    return _scale(PARTNER_COLORS, present)


def is_layer(name: str) -> bool:
    """Whether ``name`` is a tariff layer's label (it takes a layer's colour)."""
    return _key(LAYER_COLORS, name) is not None


def layer_scale(present: Iterable[str]) -> alt.Scale:
    """The colour scale of the tariff layers (reader's labels) in a chart, fixed colours."""
    return _scale(LAYER_COLORS, present)
