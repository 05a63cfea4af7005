"""The offline Vega bundle goes into a page only when the notebook shows a chart."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import nbformat
import pytest
from helpers import BAR_SPEC

from analysis.pipeline import vega_bundle
from analysis.pipeline.vega_bundle import VegaBundlePreprocessor, has_chart, vega_resources
from analysis.report.charts import VL_MIME


def notebook(*outputs: dict[str, Any]) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title"))
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data) for data in outputs]
    nb.cells.append(cell)
    return nb


def test_our_vega_lite_output_counts_as_a_chart() -> None:
    assert has_chart(notebook({"text/plain": "x"}, {VL_MIME: BAR_SPEC, "text/plain": "c"}))


def test_altairs_default_html_snippet_counts_as_a_chart() -> None:
    chart = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")
    with alt.renderers.enable("html"):
        bundle = chart._repr_mimebundle_()
    html = bundle[0] if isinstance(bundle, tuple) else bundle
    assert has_chart(notebook({"text/html": html["text/html"]}))


def test_text_tables_and_markdown_are_not_charts() -> None:
    assert not has_chart(notebook({"text/plain": "1"}, {"text/html": "<table></table>"}))
    assert not has_chart(notebook())


def test_the_resources_hold_the_bundle_and_altairs_versions() -> None:
    resources = vega_resources()
    assert len(resources["vega_bundle"]) > 100_000
    assert "vegaEmbed" in resources["vega_bundle"]
    assert json.loads(resources["vega_debug"]) == {
        "vega_version": alt.VEGA_VERSION,
        "vegalite_version": alt.VEGALITE_VERSION,
        "vegaembed_version": alt.VEGAEMBED_VERSION,
    }


@pytest.mark.parametrize("with_chart", [True, False])
def test_the_preprocessor_adds_the_bundle_only_to_pages_with_a_chart(
    with_chart: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vega_bundle, "vega_resources", lambda: {"vega_bundle": "B"})
    nb = notebook({VL_MIME: BAR_SPEC} if with_chart else {"text/plain": "no chart"})
    out, resources = VegaBundlePreprocessor().preprocess(nb, {"title": "t"})
    assert out is nb
    expected = {"title": "t", "vega_bundle": "B"} if with_chart else {"title": "t"}
    assert resources == expected


def _fresh_bundle(monkeypatch: pytest.MonkeyPatch, folder: object) -> list[str]:
    """Point the assets folder at ``folder``; record each real build of the bundle."""
    monkeypatch.setenv(vega_bundle.ASSETS_ENV, str(folder))
    vega_bundle.javascript_bundle.cache_clear()
    built: list[str] = []
    real = vega_bundle._build_bundle

    def build(vl_version: str) -> str:
        built.append(vl_version)
        return real(vl_version)

    monkeypatch.setattr(vega_bundle, "_build_bundle", build)
    return built


def test_the_bundle_is_kept_and_read_back_identical(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert as vlc

    from analysis.report.charts import vegalite_version

    built = _fresh_bundle(monkeypatch, tmp_path)
    first = vega_bundle.javascript_bundle()
    vega_bundle.javascript_bundle.cache_clear()  # as a new process would
    second = vega_bundle.javascript_bundle()
    assert built == [vegalite_version()]  # built once, read back the second time
    assert second == first == vlc.javascript_bundle(vl_version=vegalite_version())
    vega_bundle.javascript_bundle.cache_clear()


def test_a_kept_bundle_that_fails_its_checksum_is_built_again(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _fresh_bundle(monkeypatch, tmp_path)
    good = vega_bundle.javascript_bundle()
    [kept] = [p for p in tmp_path.iterdir() if p.suffix == ".js"]
    kept.write_text("window.vegaEmbed = 'tampered';", encoding="utf-8")
    vega_bundle.javascript_bundle.cache_clear()
    assert vega_bundle.javascript_bundle() == good
    assert len(built) == 2
    assert kept.read_text(encoding="utf-8") == good  # replaced
    vega_bundle.javascript_bundle.cache_clear()


def test_assets_off_keeps_nothing(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _fresh_bundle(monkeypatch, "off")
    monkeypatch.chdir(tmp_path)
    vega_bundle.javascript_bundle()
    assert len(built) == 1 and vega_bundle.assets_dir() is None
    assert list(tmp_path.iterdir()) == []
    vega_bundle.javascript_bundle.cache_clear()
