"""The user's own inputs on the command line: a scenario file from anywhere (``--scenario-file``),
one-off rates with no file (``--set MEASURE.rate=VALUE``, with ``--reason``) and a params folder
layered over the shipped one (``--params-dir``, or ``$TARIFF_REPORTS_PARAMS``).

A rate the user sets needs a reason, not a citation; every output marks it "user assumption".
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.paths import PARAMS_ENV
from analysis.inputs.scenarios import Scenario, with_settings

DEFAULT_REASON = "set on the command line (--set)"


def add_params_dir(parser: Any, suppress: bool = True) -> None:
    """``--params-dir DIR``: the user's params folder, layered over the shipped ``params/``."""
    parser.add_argument(
        "--params-dir",
        dest="user_params_dir",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress else None,
        help="your own params folder, layered over the shipped params/: its files replace the "
        "shipped ones of the same path and add new scenarios, measures and markets "
        f"(default: ${PARAMS_ENV})",
    )


def use_params_dir(args: argparse.Namespace) -> None:
    """Make ``--params-dir`` the params layer of this process and of what it starts."""
    folder = getattr(args, "user_params_dir", None)
    if folder is None:
        return
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise InputError("(command line)", "--params-dir", "an existing folder", str(folder))
    os.environ[PARAMS_ENV] = str(path.resolve())


def add_scenario_arguments(parser: Any, which: Any) -> None:
    """``--scenario-file`` (in the ``which`` group, beside ``--scenario``), ``--set``,
    ``--reason``."""
    which.add_argument(
        "--scenario-file",
        metavar="PATH",
        help="a scenario YAML file anywhere (format: docs/formats.md); its rates need a reason, "
        "not a citation",
    )
    parser.add_argument(
        "--set",
        dest="settings",
        metavar="MEASURE.rate=VALUE",
        action="append",
        default=[],
        help="a one-off rate for a measure, applied after the scenario's changes (repeatable; "
        "e.g. --set ieepa_reciprocal_japan.rate=0.20 or =20%%); marked 'user assumption' in "
        "every output",
    )
    parser.add_argument(
        "--reason", default=DEFAULT_REASON, help="why the --set rates (shown with them)"
    )
    add_params_dir(parser)


def chosen_scenario(args: argparse.Namespace, inputs: Inputs) -> Scenario | None:
    """The scenario the arguments name (``--scenario`` or ``--scenario-file``), with the
    ``--set`` rates applied; None when neither is given (and no ``--set``)."""
    if getattr(args, "scenario_file", None):
        scenario = inputs.scenario_file(Path(args.scenario_file).expanduser())
    elif args.scenario:
        scenario = inputs.scenario(args.scenario)
    elif args.settings:
        raise InputError(
            "(command line)", "--set", "a scenario to change (--scenario or --scenario-file)", None
        )
    else:
        return None
    if not args.reason.strip():
        raise InputError("(command line)", "--reason", "non-empty text", args.reason)
    return with_settings(scenario, args.settings, inputs.measures, args.reason.strip())


def assumption_lines(*scenarios: Scenario) -> list[str]:
    """``user assumption: ...`` lines for a text output, one per uncited user's rate."""
    return [f"user assumption: {line}" for s in scenarios for line in s.user_assumptions]
