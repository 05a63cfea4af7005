"""Every notebook runs on the real data with its defaults, and its HTML is self-contained.

The build itself is the session fixture ``real_reports_dir`` (conftest.py); the offline
browser check of the same pages is in test_reporting_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.nbparams import declared_parameters
from analysis.report.stamp import parameters_sha256

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(p.stem for p in (PROJECT_DIR / "notebooks").glob("*.py"))
BUNDLE_MARK = "window.vegaEmbed="  # the vl-convert bundle's export, once per copy


def test_the_required_notebooks_exist() -> None:
    assert {
        "scenario_report",
        "scenario_comparison",
        "autos",
        "sensitivity",
        "partner_report",
        "adhoc_template",
    } <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes_and_renders_a_self_contained_report(
    real_reports_dir: Path, name: str
) -> None:
    html = (real_reports_dir / f"{name}.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html, re.IGNORECASE)
    assert html.count(BUNDLE_MARK) == 1
    assert html.count('class="jp-RenderedVegaCommon vega-offline"') >= 1
    assert "Traceback" not in html
    for section in ("In brief", "Methods and sources"):
        assert section in html, section
    assert html.count('class="tr-key"') >= 3, "every report opens with 3-5 key numbers"
    nb = json.loads((real_reports_dir / f"{name}.ipynb").read_text(encoding="utf-8"))
    meta = nb["metadata"]["tariff_reports"]
    assert meta["summary"]["text"], "every report records a one-line headline"
    assert meta["stamp"]["git_commit"]
    # One stamp per report: the hash in the HTML is the one in the record, and it is the hash
    # of every declared parameter with its effective value.
    digest = meta["stamp"]["parameters_sha256"]
    assert html.count("Checksum of the parameters (SHA-256)") == 1 and html.count(digest) == 1
    declared = declared_parameters(PROJECT_DIR / "notebooks" / f"{name}.py")
    assert digest == parameters_sha256({k: p.default for k, p in declared.items()})


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_has_a_typed_parameters_cell_and_no_function_definitions(name: str) -> None:
    source = (PROJECT_DIR / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(def|class|lambda)\b", source, re.MULTILINE)
    assert declared_parameters(PROJECT_DIR / "notebooks" / f"{name}.py")


def test_the_index_lists_every_report(real_reports_dir: Path) -> None:
    index = (real_reports_dir / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f"{name}.html" in index
