"""One colour per partner and per layer, keyed by the names readers see."""

from __future__ import annotations

from analysis.inputs.measures import LAYER_LABELS, LAYER_STEMS
from analysis.report.palette import LAYER_COLORS, PARTNER_COLORS, layer_scale, partner_scale
from analysis.report.text import PARTNER_LABELS


def test_every_partner_and_layer_has_its_own_colour() -> None:
    assert set(PARTNER_COLORS) == set(PARTNER_LABELS.values())
    assert set(LAYER_COLORS) == set(LAYER_STEMS.values())
    assert len(set(PARTNER_COLORS.values())) == len(PARTNER_COLORS)
    assert len(set(LAYER_COLORS.values())) == len(LAYER_COLORS)


def test_scales_keep_the_colours_whatever_the_order_of_the_data() -> None:
    a = partner_scale(["Japan", "China"]).to_dict()
    b = partner_scale(["China", "Japan"]).to_dict()
    assert a == b and a["range"][a["domain"].index("Japan")] == PARTNER_COLORS["Japan"]
    unknown = layer_scale(["Something new"]).to_dict()
    assert unknown == {"domain": ["Something new"], "range": ["#999999"]}


def test_a_layer_named_by_its_laws_measures_keeps_its_colour_and_place() -> None:
    # A label is the layer's words and the measures of the page's law ("Other (IEEPA
    # fentanyl)"): its colour is the layer's, and layers keep their order, whatever the law.
    scale = layer_scale(["Other (IEEPA fentanyl)", "Section 232", LAYER_LABELS["baseline"]])
    spec = scale.to_dict()
    assert spec["domain"] == [LAYER_LABELS["baseline"], "Section 232", "Other (IEEPA fentanyl)"]
    assert spec["range"] == [
        LAYER_COLORS[LAYER_STEMS[k]] for k in ("baseline", "section232", "other")
    ]
