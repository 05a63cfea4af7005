"""The charts' SVG drawn by the builder: the same notebook bytes as a kernel drawing its own."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import nbformat
import pytest
from helpers import BAR_SPEC

from analysis.pipeline import svg
from analysis.report.charts import (
    DEFERRED_SPECS_ENV,
    DEFERRED_SVG,
    DEFERRED_SVG_ENV,
    SVG_MIME,
    VL_MIME,
    offline_renderer,
)


def _notebook(bundles: list[dict[str, object]]) -> nbformat.NotebookNode:
    outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
    cell = nbformat.v4.new_code_cell(outputs=outputs, id="charts")
    return nbformat.v4.new_notebook(cells=[cell])


OTHER_SPEC = {**BAR_SPEC, "mark": "point"}


@pytest.fixture(autouse=True)
def _fresh_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svg, "_DRAWN", {})


def test_a_notebook_with_svgs_drawn_later_is_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a kernel drawing its own SVGs writes it...
    monkeypatch.delenv(DEFERRED_SVG_ENV, raising=False)
    drawn_here = [offline_renderer(BAR_SPEC), offline_renderer(OTHER_SPEC)]
    nbformat.write(_notebook(drawn_here), tmp_path / "kernel.ipynb")
    # ... and as a build's kernel writes it, then the builder draws them.
    monkeypatch.setenv(DEFERRED_SVG_ENV, "1")
    deferred = [offline_renderer(BAR_SPEC), offline_renderer(OTHER_SPEC)]
    assert all(b[SVG_MIME] == DEFERRED_SVG for b in deferred)
    nbformat.write(_notebook(deferred), tmp_path / "build.ipynb")
    svg.draw_deferred(tmp_path / "build.ipynb")
    assert (tmp_path / "build.ipynb").read_bytes() == (tmp_path / "kernel.ipynb").read_bytes()
    assert DEFERRED_SVG not in (tmp_path / "build.ipynb").read_text()


def test_a_notebook_without_deferred_svgs_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook([{VL_MIME: BAR_SPEC, SVG_MIME: "<svg/>"}]), path)
    before = path.stat().st_mtime_ns, path.read_bytes()
    svg.draw_deferred(path)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    svg.draw_deferred(tmp_path / "never-written.ipynb")  # publishing reports it, not this


def test_the_key_is_the_specs_content_not_its_order() -> None:
    reordered = dict(reversed(list(BAR_SPEC.items())))
    assert svg.svg_key(reordered) == svg.svg_key(BAR_SPEC)
    changed = copy.deepcopy(BAR_SPEC)
    changed["data"]["values"][1]["b"] = 3  # one number of the data
    assert svg.svg_key(changed) != svg.svg_key(BAR_SPEC)
    assert svg.svg_of(changed) != svg.svg_of(BAR_SPEC)


def _stored(body: str) -> bytes:
    data = body.encode()
    return hashlib.sha256(data).hexdigest().encode() + b"\n" + data


def test_a_stored_svg_is_read_back_and_a_damaged_one_is_drawn_again(tmp_path: Path) -> None:
    key = svg.svg_key(BAR_SPEC)
    path = tmp_path / f"{key}.svg"
    path.write_bytes(_stored("<svg>stored</svg>"))  # not what vl-convert draws: read, not drawn
    assert svg.svg_for(BAR_SPEC, tmp_path) == "<svg>stored</svg>"
    svg._DRAWN.clear()
    path.write_bytes(_stored("<svg>stored</svg>").replace(b"stored", b"changed"))
    drawn = svg.svg_for(BAR_SPEC, tmp_path)
    assert drawn == svg.svg_of(BAR_SPEC) and drawn.lstrip().startswith("<svg")
    assert path.read_bytes() == _stored(drawn)  # rewritten
    svg._DRAWN.clear()
    assert svg.svg_for(OTHER_SPEC, tmp_path) == svg.svg_of(OTHER_SPEC)  # another key: drawn


def _gradient_spec(field: str) -> dict[str, object]:
    """A chart with a colour gradient legend (an SVG gradient) whose marks are clipped."""
    return {
        "data": {"values": [{"a": 1, field: 2}, {"a": 3, field: 5}]},
        "mark": {"type": "point", "clip": True},
        "encoding": {
            "x": {"field": "a", "type": "quantitative", "scale": {"domain": [0, 2]}},
            "color": {"field": field, "type": "quantitative"},
        },
    }


def _drawn(specs: list[dict[str, object]]) -> nbformat.NotebookNode:
    nb = _notebook([{VL_MIME: s, SVG_MIME: DEFERRED_SVG} for s in specs])
    svg.fill_deferred(nb)
    return nb


def test_a_charts_ids_do_not_depend_on_what_the_builder_drew_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _drawn([_gradient_spec("b")])
    svg_of_other = svg.svg_for(_gradient_spec("c"))  # Vega's counters move on
    assert 'id="gradient_' in svg_of_other and 'id="clip' in svg_of_other
    monkeypatch.setattr(svg, "_DRAWN", {})
    again = _drawn([_gradient_spec("b")])
    assert again == first  # as a kernel drawing its own charts numbers them
    text = first.cells[0].outputs[0].data[SVG_MIME]
    assert 'id="gradient_0"' in text and 'fill="url(#gradient_0)"' in text
    assert 'id="clip1"' in text and 'clip-path="url(#clip1)"' in text
    # Two charts of one notebook keep distinct ids, numbered in order.
    both = [
        o.data[SVG_MIME]
        for o in _drawn([_gradient_spec("b"), _gradient_spec("c")]).cells[0].outputs
    ]
    assert 'id="gradient_0"' in both[0] and 'id="gradient_1"' in both[1]
    assert 'id="clip1"' in both[0] and 'id="clip2"' in both[1]
    assert 'id="gradient_0"' not in both[1] and 'id="clip1"' not in both[1]


def test_the_specs_a_kernel_leaves_are_drawn_before_its_notebook_is_filled_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel leaves each deferred chart's spec in the build's folder as it displays it...
    specs = tmp_path / "specs"
    specs.mkdir()
    monkeypatch.setenv(DEFERRED_SVG_ENV, "1")
    monkeypatch.setenv(DEFERRED_SPECS_ENV, str(specs))
    bundles = [offline_renderer(BAR_SPEC), offline_renderer(OTHER_SPEC)]
    assert len(list(specs.glob("*.json"))) == 2
    (specs / "torn.json").write_text('{"mark": ')  # never read as a spec
    # ... the builder draws them meanwhile (each file read once, then removed) ...
    drawn: list[object] = []
    real = svg.svg_of
    monkeypatch.setattr(svg, "svg_of", lambda spec: drawn.append(spec) or real(spec))
    assert svg.draw_left(specs) == 2
    assert sorted(p.name for p in specs.iterdir()) == ["torn.json"]
    assert svg.draw_left(specs) == 0
    # ... so that filling the notebook in draws nothing more, and writes what a kernel would.
    nb = _notebook(bundles)
    assert svg.fill_deferred(nb) == 2
    assert len(drawn) == 2
    monkeypatch.delenv(DEFERRED_SVG_ENV)
    assert nb == _notebook([offline_renderer(BAR_SPEC), offline_renderer(OTHER_SPEC)])


def test_a_kernel_leaves_no_spec_where_the_build_names_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEFERRED_SVG_ENV, "1")
    monkeypatch.delenv(DEFERRED_SPECS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert offline_renderer(BAR_SPEC)[SVG_MIME] == DEFERRED_SVG
    assert list(tmp_path.iterdir()) == []
    # A folder that is gone: the chart is still deferred, drawn from the notebook later.
    monkeypatch.setenv(DEFERRED_SPECS_ENV, str(tmp_path / "gone"))
    assert offline_renderer(BAR_SPEC)[SVG_MIME] == DEFERRED_SVG
