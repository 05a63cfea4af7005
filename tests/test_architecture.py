"""The house rules of ARCHITECTURE.md, checked: layers, no cycles, small pieces, no hidden I/O."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from analysis.inputs.paths import PACKAGE_DIR, PROJECT_DIR

MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_layer_contract_holds() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run(
        [str(lint), "--no-cache"], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout[-2000:]
    assert "0 broken" in out.stdout.split("Contracts:")[-1]


def test_there_is_no_import_cycle() -> None:
    graph = grimp.build_graph("analysis")
    modules = sorted(graph.modules)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in modules}
    # Tarjan-free check: a module may not reach itself through its imports.
    for start in modules:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            module = stack.pop()
            assert module != start, f"import cycle through {start}"
            if module not in seen:
                seen.add(module)
                stack.extend(edges.get(module, ()))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_modules_and_functions_are_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name}: {length} lines"


def test_no_module_below_the_pipeline_caches_anything() -> None:
    # Inputs are loaded once by load_inputs() and passed on; a process-wide cache would ignore
    # TARIFF_REPORTS_PARAMS and hide reloads. (The pipeline may keep its nbconvert exporter.)
    # The one exception is inputs.shared, a build's results keyed by content (also a build's
    # load_inputs() of its private copy, keyed by the SHA-256 of all its bytes and its paths),
    # each caller getting a copy of its own: it uses no cache decorator.
    for path in MODULES:
        if path.parent.name in ("pipeline", "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = {ast.unparse(d) for d in node.decorator_list}
                assert not names & {"cache", "lru_cache", "functools.cache"}, (
                    f"{_module_name(path)}.{node.name} is cached"
                )


#: The process-wide memories below the pipeline, each with why it is not a cache that could
#: hide a reload: what it keeps is named by identity or content, and compared before use.
MEMORIES = {
    "analysis.inputs.shared._REGISTERED": "the loads a build shares, by identity (kept alive)",
    "analysis.inputs.shared._MEMORY": "what a full disk kept from the build's shared folder",
    "analysis.inputs.shared._HOLDING": "the keys this thread is computing (single flight)",
    "analysis.policy.line_steps._TABLES": "the line engine's steps inside shared_steps only",
    "analysis.inputs.datasets._PARSED": (
        "the manifest's last parse, reused only if its path and text are the same bytes"
    ),
    "analysis.questions.country_rates._LAST": (
        "the last day's line law, given again only for the same lines and measure objects "
        "(by identity) and day; in a build it is read from the day's shared stacking anyway"
    ),
    "analysis.report.charts._CLASS_TABLES": (
        "Altair's schema-hash tables, one per set of its own classes (library constants)"
    ),
    "analysis.report.charts.ALTAIR_ORIGINALS": (
        "Altair's own functions, kept once the fast chart building replaces them"
    ),
}


def test_the_memories_below_the_pipeline_are_the_named_ones() -> None:
    # A module-level empty list, dict, set or thread-local below the pipeline is a memory
    # kept for the process's life: each must be named, with its reason, in MEMORIES.
    found = set()
    for path in MODULES:
        if path.parent.name in ("pipeline", "cli"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target, value = (
                (node.targets[0], node.value)
                if isinstance(node, ast.Assign)
                else (node.target, node.value)
                if isinstance(node, ast.AnnAssign)
                else (None, None)
            )
            if target is None or value is None:
                continue
            empty = isinstance(value, ast.List | ast.Set) and not value.elts
            empty |= isinstance(value, ast.Dict) and not value.keys
            made = isinstance(value, ast.Call) and ast.unparse(value.func) in {
                "dict",
                "list",
                "set",
                "threading.local",
                "collections.OrderedDict",
            }
            if empty or made:
                found.add(f"{_module_name(path)}.{ast.unparse(target)}")
    assert found == set(MEMORIES), found ^ set(MEMORIES)


def test_tests_mirror_the_package() -> None:
    # Every module with logic (a function or a method) has tests/<layer>/test_<module>.py.
    missing = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        has_logic = any(isinstance(n, ast.FunctionDef) for n in ast.walk(tree))
        if not has_logic or path.name.startswith("__"):
            continue
        rel = path.relative_to(PACKAGE_DIR)
        expected = PROJECT_DIR / "tests" / rel.parent / f"test_{rel.stem}.py"
        if not expected.is_file():
            missing.append(str(expected.relative_to(PROJECT_DIR)))
    assert not missing, missing


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_model_uses_numpy_scipy_and_the_standard_library_only() -> None:
    for path in (PACKAGE_DIR / "model").glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            allowed = top in sys.stdlib_module_names | {"numpy", "scipy"}
            assert allowed or name.startswith("analysis.model"), f"{path.name} imports {name}"


def test_notebooks_import_only_the_public_layers() -> None:
    lower = {"analysis.inputs.bundle", "analysis.inputs.markets", "analysis.inputs.focus"}
    lower |= {"analysis.policy.regimes"}
    for path in (PROJECT_DIR / "notebooks").glob("*.py"):
        for name in _imports(path):
            if not name.startswith("analysis"):
                continue
            public = name.startswith(("analysis.questions", "analysis.report"))
            assert public or name in lower, f"{path.name} imports {name}"


def test_notebooks_define_no_functions() -> None:
    # Thin notebooks: logic lives in the analysis package, where it is tested (lambdas in a
    # table's assign() are expressions, not definitions).
    for path in (PROJECT_DIR / "notebooks").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [
            n.name
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert not defined, f"{path.name} defines {defined}"


def test_one_yaml_reader() -> None:
    # Only inputs/validate.py calls the YAML loader; everything else goes through read_yaml.
    for path in MODULES:
        if path == PACKAGE_DIR / "inputs" / "validate.py":
            continue
        text = path.read_text(encoding="utf-8")
        for call in ("yaml.safe_load(", "yaml.load(", "yaml.full_load(", "yaml.unsafe_load("):
            assert call not in text, f"{_module_name(path)} calls {call}"


def test_solve_market_steps() -> None:
    armington = _imports(PACKAGE_DIR / "model" / "armington.py")
    steps = {"market_inputs", "supply", "equilibrium", "quota"}
    assert {f"analysis.model.{s}" for s in steps} <= armington
    assert "analysis.model.welfare" not in armington
    assert "analysis.model.welfare" in _imports(PACKAGE_DIR / "questions" / "headline.py")


#: Registered outcomes whose names do not end in their unit, and why.
UNIT_EXCEPTIONS = {
    "consumer_price_level_change_after_substitution": "a fraction, qualified after the unit",
    "pass_through": "a fraction: the share of a tariff passed on",
    "focus_sector_units_change": "a count of units (cars), not a fraction",
    "focus_supply_elasticity": "a pure number",
    "rate": "a fraction: a measure's rate",
    "ver_tariff_equivalent": "a fraction: the tariff a quota is worth (named in issue 17)",
    # Columns of the data files beside the reports (analysis.questions.data_outcomes), named
    # by the notebooks; data/<report>/data_dictionary.csv gives each its unit, per file.
    **dict.fromkeys(
        ("value", "p10", "p50", "p90", "start", "end"),
        "in the unit of the row's outcome or the chart's panel (the dictionary says which)",
    ),
    **dict.fromkeys(
        (
            "supply_elasticity",
            "supply elasticity",
            "sigma",
            "low_value",
            "high_value",
            "default",
            "low",
            "high",
            "root mean squared log error",
        ),
        "a pure number (an elasticity, a parameter's value, a fit error)",
    ),
    "draws": "a count of Monte Carlo draws",
    "decile": "a count: the income decile",
}


def test_outcome_names_carry_their_units() -> None:
    from analysis.questions.outcomes import OUTCOMES

    suffixes = {
        "usd": ("_usd",),
        "fraction": ("_change", "_rate", "_share"),
        "usd_bn": ("_busd", "billions"),
        "percent": ("_pct", "percent"),
        "basis_points": ("_basis_points",),
    }
    for name, outcome in OUTCOMES.items():
        if name in UNIT_EXCEPTIONS or name == outcome.unit:  # "usd": dollars, named so
            continue
        assert name.endswith(suffixes.get(outcome.unit, ("?",))), f"{name} ({outcome.unit})"
