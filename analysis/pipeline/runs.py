"""Report-run specs: ``params/reports/<run>.yaml``, validated before any kernel starts.

A spec (:class:`analysis.inputs.schemas.RunSpec`, documented in ``docs/formats.md``) names a
notebook (``notebooks/<stem>.py``, jupytext percent) and the parameters to run it with::

    title: "Japan: 25% on vehicles"
    notebook: scenario_report
    description: optional free text
    parameters:
      scenario: japan_autos_25
      partner: japan

Every parameter must be declared in the notebook's ``parameters`` cell, match its annotation and lie
in the domain the annotation declares (:mod:`analysis.report.parameters`: a known scenario,
partner or sector, a date in the window, an integer in the notebook's range, an existing and
valid market file).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PROJECT_DIR, params_dir
from analysis.inputs.schemas import RunSpec, validated
from analysis.inputs.validate import read_text, read_yaml, yaml_value
from analysis.pipeline.layout import RESERVED_NAMES, is_run_name
from analysis.pipeline.nbparams import DeclaredParameter, declared_parameters
from analysis.report.parameters import check_parameters, domain_of, type_name, user_file_name

NOTEBOOKS_ENV = "TARIFF_REPORTS_NOTEBOOKS"


@dataclass(frozen=True)
class ReportRun:
    """One validated report run. ``parameters`` must be treated as read-only."""

    name: str  # the spec's file stem; output files are <out_dir>/<name>.{html,ipynb}
    spec_path: Path
    title: str
    notebook: str  # notebook stem
    notebook_path: Path
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)
    description: str | None = None
    # Every declared parameter with the value the run gives it (its default if not set): what
    # the report was computed from, and what its stamp's parameters_sha256 is the hash of.
    effective_parameters: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # The user's files its parameters name (a scenario file outside the project), as read once
    # by the check: the build's snapshot holds them, and its kernel reads that private copy.
    user_files: Mapping[str, bytes] = field(default_factory=dict, hash=False)


def notebooks_dir() -> Path:
    """``$TARIFF_REPORTS_NOTEBOOKS`` if set, else the repository's ``notebooks/``."""
    override = os.environ.get(NOTEBOOKS_ENV)
    return Path(override).resolve() if override else PROJECT_DIR / "notebooks"


def _notebook_path(path: Path, stem: str, nb_dir: Path) -> Path:
    candidate = nb_dir / f"{stem}.py"
    # A stem like "../x" would escape the notebooks folder.
    if "/" in stem or "\\" in stem or not candidate.is_file():
        available = sorted(p.stem for p in nb_dir.glob("*.py") if not p.name.startswith("_"))
        expected = f"a notebook stem in {nb_dir} (one of: {', '.join(available) or 'none'})"
        raise InputError(path, "notebook", expected, stem)
    return candidate.resolve()


@dataclass(frozen=True)
class _Checked:
    effective: dict[str, Any]  # every declared parameter, a user's file by its absolute path
    user_files: dict[str, bytes]  # the private copies' names -> the files as read


def _read_user_files(
    source: Path, declared: Mapping[str, DeclaredParameter], values: dict[str, Any], base: Path
) -> tuple[dict[str, str], dict[str, bytes]]:
    """Read each file a parameter names (a scenario file), once; its value becomes the file's
    absolute path (``base``: the folder a relative path is relative to)."""
    texts: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name, spec in declared.items():
        domain = domain_of(spec.type)[0]
        value = values.get(name)
        if domain is None or domain.kind != "scenario_file" or not isinstance(value, str):
            continue
        if not value.strip():
            continue  # refused by the domain check, with the parameter's key
        try:
            where = (base / Path(value).expanduser()).resolve()
        except (OSError, ValueError, RuntimeError):  # a NUL byte, an unknown ~user
            raise InputError(source, f"parameters.{name}", "a file's path", value) from None
        texts[name] = read_text(where)
        files[user_file_name(where)] = texts[name].encode("utf-8")
        values[name] = str(where)
    return texts, files


def _check_parameters(
    path: Path,
    notebook: Path,
    parameters: dict[str, Any],
    inputs: Inputs | Callable[[], Inputs] | None,
    base: Path | None = None,
) -> _Checked:
    """Check the run's parameters (names, types, domains, files they name); return every
    declared parameter with its effective value (its default where the run sets none), and
    the user's files they name, as read. A relative file name in ``parameters`` is made
    absolute (``base``: the current folder by default). ``inputs``: what the values are
    checked against, or what loads it, called only if a parameter's domain needs it (default:
    a load of the params folder)."""
    declared = declared_parameters(notebook)
    for name, value in parameters.items():
        key = f"parameters.{name}"
        spec = declared.get(str(name))
        if spec is None:
            names = ", ".join(declared) or "none"
            raise InputError(path, key, f"a parameter declared in {notebook.name} ({names})", name)
        if not spec.check(value):
            raise InputError(path, key, f"a value of type {type_name(spec.type)}", value)
    texts, files = _read_user_files(path, declared, parameters, base or Path.cwd())
    effective = {name: spec.default for name, spec in declared.items()} | dict(parameters)
    contract = {name: spec.type for name, spec in declared.items()}
    if any(domain_of(kind)[0] is not None for kind in contract.values()):
        loaded = inputs() if callable(inputs) else inputs
        check_parameters(loaded or load_inputs(), contract, effective, path, texts)
    return _Checked(effective, files)


def load_run(path: Path, nb_dir: Path | None = None, inputs: Inputs | None = None) -> ReportRun:
    """Read and validate one run spec; raise :class:`InputError` naming the file and key."""
    path = Path(path)
    name = path.stem
    if not is_run_name(name):
        expected = "a run file name of letters, digits, '_' or '-' (not 'index')"
        raise InputError(path, "(file name)", expected, name)
    spec = validated(RunSpec, path, read_yaml(path))  # the shape; the values are checked below
    notebook_path = _notebook_path(path, spec.notebook, nb_dir or notebooks_dir())
    parameters: dict[str, Any] = dict(spec.parameters or {})
    # A file a spec names is relative to the spec's folder.
    checked = _check_parameters(path, notebook_path, parameters, inputs, path.parent.resolve())
    return ReportRun(
        name=name,
        spec_path=path.resolve(),
        title=spec.title.strip(),
        notebook=spec.notebook,
        notebook_path=notebook_path,
        parameters=parameters,
        description=spec.description,
        effective_parameters=checked.effective,
        user_files=checked.user_files,
    )


def parse_value(text: str, name: str = "VALUE") -> Any:
    """A ``-p NAME VALUE`` value, YAML-parsed like papermill's ``-y`` (``20`` is an int,
    ``[a, b]`` a list, ``japan`` a string) by the one YAML reader
    (:func:`analysis.inputs.validate.yaml_value`); dates stay text (the notebooks declare them
    as str, YYYY-MM-DD)."""
    return yaml_value(text, "-p", name)


def _slug(value: Any) -> str:
    if isinstance(value, list):
        return "_".join(_slug(v) for v in value)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-") or "x"


def fork_name(notebook: str, parameters: Mapping[str, Any]) -> str:
    """The output name of a notebook run with ``parameters``: letters, digits, ``_``, ``-``
    (``scenario_report-scenario-letter_25``); long names end in a short hash instead."""
    name = "-".join([_slug(notebook), *(f"{_slug(k)}-{_slug(v)}" for k, v in parameters.items())])
    if len(name) > 120:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
        name = f"{name[:100].rstrip('-_')}-{digest}"
    return name if name not in RESERVED_NAMES else f"{name}-report"


def notebook_run(
    notebook: str,
    parameters: Mapping[str, Any],
    nb_dir: Path | None = None,
    inputs: Inputs | None = None,
    load: Callable[[], Inputs] | None = None,
) -> ReportRun:
    """A run of ``notebooks/<notebook>.py`` with ``parameters`` (``build NOTEBOOK -p ...``),
    validated exactly like a run spec's parameters, before any kernel starts (against
    ``inputs``, or what ``load()`` returns if a parameter's domain needs the inputs)."""
    source = Path(f"-p ({notebook})")
    notebook_path = _notebook_path(source, notebook, nb_dir or notebooks_dir())
    given = dict(parameters)  # a file's name as typed; the run gets its absolute path
    checked = _check_parameters(source, notebook_path, given, inputs or load)
    shown = ", ".join(f"{k}={v}" for k, v in parameters.items())
    return ReportRun(
        name=fork_name(notebook, parameters),
        spec_path=notebook_path,
        title=f"{notebook} ({shown})" if shown else notebook,
        notebook=notebook,
        notebook_path=notebook_path,
        parameters=given,
        description="built with tariff-reports build NOTEBOOK -p NAME VALUE",
        effective_parameters=checked.effective,
        user_files=checked.user_files,
    )


def run_specs(params: Path | None = None) -> list[Path]:
    """The run spec files, ``<params>/reports/*.yaml``, sorted by name."""
    return sorted(((params or params_dir()) / "reports").glob("*.yaml"))


def list_runs(params: Path | None = None, nb_dir: Path | None = None) -> list[ReportRun]:
    """Load every run spec under ``<params>/reports`` (default: the project's params folder)."""
    specs = run_specs(params)
    inputs = load_inputs(params) if specs else None
    return [load_run(p, nb_dir, inputs) for p in specs]
