"""Fixtures for the report pipeline tests: a demo report built once, and an offline browser.

Browser checks run against every ``*.html`` of ``--reports-dir DIR`` (or
``$TARIFF_REPORTS_HTML_DIR``) when given, else against the demo report built here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_RUN = """\
title: "Demo <script>alert('x')</script> & co"
notebook: demo
description: fixture report
parameters:
  scenario: demo
  partner: japan
  n_points: 8
  scale: 2
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reports-dir",
        default=None,
        help="browser-check every *.html in this folder instead of the demo report",
    )


PROJECT_PARAMS = Path(__file__).resolve().parent.parent / "params"


@pytest.fixture(scope="session", autouse=True)
def _private_results_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in the tests use a cache of their own, never the user's ~/.cache (results and
    built assets such as the Vega bundle)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_CACHE", str(tmp_path_factory.mktemp("results_cache")))
        mp.setenv("TARIFF_REPORTS_ASSETS", str(tmp_path_factory.mktemp("assets")))
        yield


def write_params(root: Path, runs: dict[str, str], scenarios: tuple[str, ...] = ("demo",)) -> Path:
    """A complete params folder: the project's measures, scenarios and elasticities, plus
    ``scenarios/<name>.yaml`` (copies of ``mfn_only``) and ``reports/<run>.yaml`` specs."""
    shutil.copytree(PROJECT_PARAMS / "measures", root / "measures", dirs_exist_ok=True)
    shutil.copytree(PROJECT_PARAMS / "markets", root / "markets", dirs_exist_ok=True)
    shutil.copy(PROJECT_PARAMS / "elasticities.yaml", root / "elasticities.yaml")
    shutil.copy(PROJECT_PARAMS / "law_status.yaml", root / "law_status.yaml")
    shutil.copy(PROJECT_PARAMS / "published_rates.yaml", root / "published_rates.yaml")
    shutil.copy(PROJECT_PARAMS / "published_costs.yaml", root / "published_costs.yaml")
    shutil.copy(PROJECT_PARAMS / "consumer_prices.yaml", root / "consumer_prices.yaml")
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(parents=True, exist_ok=True)
    for path in (PROJECT_PARAMS / "scenarios").glob("*.yaml"):
        shutil.copy(path, root / "scenarios" / path.name)
    stub = (PROJECT_PARAMS / "scenarios" / "mfn_only.yaml").read_text(encoding="utf-8")
    for name in scenarios:
        (root / "scenarios" / f"{name}.yaml").write_text(stub, encoding="utf-8")
    for name, text in runs.items():
        (root / "reports" / f"{name}.yaml").write_text(text)
    return root


@pytest.fixture(scope="session")
def demo_report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output folder of a real build of the demo run (``demo.html``, ``demo.ipynb``, index)."""
    from analysis.pipeline.build import build_reports
    from analysis.pipeline.runs import load_run

    root = tmp_path_factory.mktemp("demo_build")
    params = write_params(root / "params", {"demo": DEMO_RUN})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TARIFF_REPORTS_PARAMS", str(params))
        run = load_run(params / "reports" / "demo.yaml", FIXTURE_NOTEBOOKS)
        [result] = build_reports([run], root / "out", jobs=1)
    assert result.status == "ok", result.error
    return root / "out"


@pytest.fixture(scope="session")
def real_reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every notebook in ``notebooks/`` built with its default parameters on the real data."""
    from analysis.inputs.paths import PROJECT_DIR
    from analysis.pipeline.build import build_reports
    from analysis.pipeline.runs import load_run

    root = tmp_path_factory.mktemp("real_build")
    specs = root / "specs"
    specs.mkdir()
    runs = []
    for notebook in sorted((PROJECT_DIR / "notebooks").glob("*.py")):
        spec = specs / f"{notebook.stem}.yaml"
        spec.write_text(
            f"title: {notebook.stem.replace('_', ' ').capitalize()} (default parameters)\n"
            f"notebook: {notebook.stem}\n"
            "parameters: {}\n"
        )
        runs.append(load_run(spec, PROJECT_DIR / "notebooks"))
    results = build_reports(runs, root / "out", jobs=2)
    failed = {r.run.name: r.error for r in results if r.status != "ok"}
    assert not failed, failed
    return root / "out"


@pytest.fixture
def report_html(page_name: str, request: pytest.FixtureRequest) -> Path:
    """The page a browser test reads (``page_name`` from ``helpers.parametrize_pages``)."""
    from helpers import report_page_path

    return report_page_path(page_name, request)


@dataclass
class OfflinePage:
    """A page in an offline context; records blocked requests and JS errors."""

    page: Any
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no downloaded browser); skipped if unusable."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.skip(f"chromium at {executable} cannot launch: {str(exc).splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture
def offline_page(chromium: Any) -> Iterator[OfflinePage]:
    context = chromium.new_context(offline=True, viewport={"width": 1200, "height": 1600})
    page = context.new_page()
    checked = OfflinePage(page)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            checked.external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: checked.errors.append(str(e)))
    yield checked
    context.close()


@pytest.fixture
def build_params(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A params folder with a good (demo), a failing (broken) and a fixed run."""
    from helpers import BROKEN_RUN, FIXED_RUN

    root = write_params(
        tmp_path / "params", {"demo": DEMO_RUN, "broken": BROKEN_RUN, "fixed": FIXED_RUN}
    )
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(root))
    monkeypatch.setenv("TARIFF_REPORTS_NOTEBOOKS", str(FIXTURE_NOTEBOOKS))
    return root


@pytest.fixture(scope="session")
def inputs() -> Any:
    """The shipped inputs (data, measures, scenarios, elasticities), loaded once."""
    from analysis.inputs.bundle import load_inputs

    return load_inputs()
