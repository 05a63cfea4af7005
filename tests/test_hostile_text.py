"""Text from shared files can never become markup: every field that reaches a report is
filled with hostile strings, real reports are built from them, and the pages are parsed."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.inputs.paths import PROJECT_DIR
from analysis.pipeline.build import build_reports
from analysis.pipeline.runs import load_run

pytestmark = pytest.mark.slow

HOSTILE = (
    "<script>alert('x')</script></script><img src=x onerror=alert(1)> "
    "[link](javascript:alert(2)) **b** <iframe src=//evil>"
)
TEXT_KEYS = {"title", "description", "reason", "authority", "note", "basis", "stands_in_for"}


def _poison(value: Any) -> Any:
    """Every free-text field (and every note) prefixed with the hostile string."""
    if isinstance(value, dict):
        return {
            k: f"{HOSTILE} {v}" if k in TEXT_KEYS and isinstance(v, str) else _poison(v)
            for k, v in value.items()
        } | ({"notes": [f"{HOSTILE} {n}" for n in value["notes"]]} if "notes" in value else {})
    if isinstance(value, list):
        return [_poison(v) for v in value]
    return value


def _hostile_params(root: Path) -> Path:
    params = root / "params"
    shutil.copytree(PROJECT_DIR / "params", params)
    for path in [*params.glob("measures/*.yaml"), *params.glob("scenarios/*.yaml")]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(doc), allow_unicode=True), encoding="utf-8")
    path = params / "elasticities.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(_poison(doc), allow_unicode=True), encoding="utf-8")
    return params


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"<{tag} {name}={value!r}>")


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    params = _hostile_params(root)
    runs = []
    for notebook, extra in [
        ("scenario_report", "scenario: ver_cars"),
        ("scenario_comparison", "scenarios: [mfn_only, ver_cars, deal_15]"),
        ("autos", ""),
        ("partner_report", ""),
    ]:
        spec = root / f"{notebook}.yaml"
        spec.write_text(
            yaml.safe_dump({"title": HOSTILE, "description": HOSTILE, "notebook": notebook})
            + (f"parameters:\n  {extra}\n" if extra else "")
        )
        runs.append(spec)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_PARAMS", str(params))
        loaded = [load_run(spec, PROJECT_DIR / "notebooks") for spec in runs]
        results = build_reports(loaded, root / "out", jobs=2)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    return root / "out"


@pytest.mark.parametrize(
    "page",
    ["scenario_report", "scenario_comparison", "autos", "partner_report", "index"],
)
def test_hostile_text_is_shown_as_text(hostile_reports: Path, page: str) -> None:
    html = (hostile_reports / f"{page}.html").read_text(encoding="utf-8")
    parser = _Elements()
    parser.feed(html)
    assert parser.bad == []
    assert not {"img", "iframe", "object", "embed"} & set(parser.tags)
    # ... and the text is there, to be read: the page did show the hostile fields.
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
