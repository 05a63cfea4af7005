"""Measures: every value cited, sorted, not overlapping; errors name file and key."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.measures import load_measures
from analysis.inputs.paths import PROJECT_DIR


def test_every_measure_value_is_cited_with_title_link_and_date(inputs: Inputs) -> None:
    for measure in dict(inputs.measures).values():
        assert measure.authority and measure.description
        for value in measure.values:
            assert value.reference.title
            assert re.match(r"https?://", value.reference.url), measure.id
            assert isinstance(value.reference.date, dt.date)


def test_measure_values_are_sorted_and_do_not_overlap(inputs: Inputs) -> None:
    for measure in dict(inputs.measures).values():
        for status in ("in_force", "announced", "superseded"):
            vals = [v for v in measure.values if v.status == status]
            for prev, cur in itertools.pairwise(vals):
                assert prev.end is not None and prev.end < cur.start, measure.id


def test_overlapping_dates_are_refused_with_file_and_key(inputs: Inputs, tmp_path: Path) -> None:
    folder = tmp_path / "measures"
    shutil.copytree(PROJECT_DIR / "params" / "measures", folder)
    path = folder / "section232_steel_aluminum.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["values"][0]["end"] = "2025-06-10"  # runs past the start of the next value
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as err:
        load_measures(folder, inputs.catalog)
    assert "section232_steel_aluminum.yaml" in str(err.value)
    assert "values[1].start" in str(err.value)


def test_the_annex_ii_exemptions_are_the_same_in_every_reciprocal_measure(inputs: Inputs) -> None:
    # The block is repeated in each reciprocal-type file; this keeps the copies in step.
    # Brazil's order has its own exemption list (EO 14323 Annex I) instead.
    annex_ii = ("oil", "gas", "coa", "p_c", "bph", "nfm")
    measures = dict(inputs.measures)
    own_list = {mid for mid, m in measures.items() if any(v.country_exemptions for v in m.values)}
    assert own_list == {"ieepa_brazil_eo14323"}
    blocks = {
        mid: tuple(m.exempt_sectors[s].share for s in annex_ii)
        for mid, m in measures.items()
        if mid.startswith("ieepa_") and not mid.startswith("ieepa_fentanyl") and mid not in own_list
    }
    assert len(blocks) >= 6
    assert len(set(blocks.values())) == 1, blocks


def test_a_layer_is_named_by_the_measures_of_one_law_in_it() -> None:
    from analysis.inputs.measures import layer_label

    assert layer_label("floor", ["Section 301"]) == "All-in floor (Section 301)"
    assert (
        layer_label("floor", ["IEEPA", "Section 301", "IEEPA"])
        == "All-in floor (IEEPA, Section 301)"
    )
    assert layer_label("section232", ["Section 232"]) == "Section 232"
    # The baseline of one law is one authority's, never "IEEPA, then Section 122" (FINDINGS10 #2).
    assert layer_label("baseline", ["IEEPA"]) == "Baseline 10% (IEEPA)"
    assert layer_label("baseline", ["Section 122"]) == "Baseline 10% (Section 122)"
    assert layer_label("section301", ["Section 301 China lists"]) == "Section 301 (China lists)"
    assert layer_label("other", ["Section 338 Canada"]) == "Other (Section 338 Canada)"
    assert layer_label("floor") == "All-in floor"


def test_each_measure_of_a_mixed_layer_names_itself_in_its_file(inputs: Inputs) -> None:
    # "Other" holds measures of three authorities on five partners: each names its own, those of
    # layers of one authority need no name beyond it.
    measures = dict(inputs.measures)
    other = {m.id: m.layer_name for m in measures.values() if m.layer == "other"}
    assert other["ieepa_fentanyl_canada"] == other["ieepa_fentanyl_china"] == "IEEPA fentanyl"
    assert other["ieepa_brazil_eo14323"] == "IEEPA Brazil"
    assert other["section338_canada_rev19"] == "Section 338 Canada"
    assert measures["section232_copper"].layer_name == "Section 232"
    for m in measures.values():
        assert m.layer_name.startswith(m.authority_name), m.id
        assert "  " not in m.layer_name and "Section3" not in m.layer_name, m.id
