"""``rates`` and ``validate``: the law in force, and a check of every input file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from analysis.cli.rates_text import print_rates
from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.datasets import verify_all
from analysis.inputs.errors import InputError
from analysis.pipeline.runs import list_runs
from analysis.policy.regimes import schedule_for_date, schedule_for_scenario
from analysis.policy.stacking import TariffSchedule

EXIT_BAD_INPUT = 2


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("(command line)", "--date", "a date YYYY-MM-DD", text) from None


def _rates_payload(schedule: TariffSchedule, label: dict[str, str]) -> dict[str, Any]:
    eff = schedule.effective_rates()
    frame = schedule.sector_frame()
    return {
        **label,
        "partners": {p: {k: float(v) for k, v in row.items()} for p, row in eff.iterrows()},
        "layers": {p: schedule.layer_rates(p).to_dict() for p in schedule.partners}
        | {"all": schedule.layer_rates().to_dict()},
        "measures": [am.measure.id for am in schedule.active],
        "sectors": frame.to_dict(orient="records"),
    }


def cmd_rates(args: argparse.Namespace) -> int:
    inputs = load_inputs()
    data, measures = inputs.data, inputs.measures
    if args.scenario:
        scenario = inputs.scenario(args.scenario)
        schedule = schedule_for_scenario(scenario, data, measures)
        label = {"scenario": scenario.name, "title": scenario.title}
    else:
        day = _iso_date(args.date)
        _warn_outside_known_law(day, inputs.law_status.known_through)
        schedule = schedule_for_date(day, data, measures)
        label = {"date": day.isoformat()}
    if args.json:
        json.dump(_rates_payload(schedule, label), sys.stdout, indent=2)
        print()
        return 0
    heading = label.get("title") or f"Tariffs in force on {label['date']}"
    print_rates(schedule, data, heading, by=args.by, as_csv=args.csv)
    return 0


FIRST_MODELLED_DAY = dt.date(2025, 1, 1)


def _warn_outside_known_law(day: dt.date, known_through: dt.date) -> None:
    """A warning (not an error) for a day the law is not fully known on."""
    if day > known_through:
        print(
            f"warning: {day} is after {known_through}, the last day the law was checked; "
            "changes since then are not known",
            file=sys.stderr,
        )
    elif day < FIRST_MODELLED_DAY:
        print(
            f"warning: {day} is before {FIRST_MODELLED_DAY}; only MFN and the Section 301 "
            "tariffs on China are modelled before 2025",
            file=sys.stderr,
        )


def _stack_every_regime(inputs: Inputs) -> str:
    """Stack each date a measure value starts and each scenario; a summary line."""
    data, measures = inputs.data, inputs.measures
    days = sorted({v.start for m in measures.values() for v in m.values})
    for day in days:
        schedule_for_date(day, data, measures)
    for scenario in inputs.scenarios.values():
        schedule_for_scenario(scenario, data, measures)
    return (
        f"{len(measures)} measures ({len(days)} dated regimes), {len(inputs.scenarios)} scenarios"
    )


def cmd_validate(args: argparse.Namespace) -> int:
    """Every data file, measure, scenario, parameter file and report run, and every regime.

    Stacking is run on each date a measure value starts and for each scenario, so a problem
    that only shows when measures combine (e.g. Section 232 shares above 1) is found here.
    """
    problems = verify_all()
    if not problems:
        try:
            print(_stack_every_regime(load_inputs()))
            list_runs()
        except InputError as exc:
            problems.append(str(exc))
    for problem in dict.fromkeys(problems):
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_BAD_INPUT
    print("all data, measures, scenarios, parameters and report runs are valid")
    return 0


def register(sub: Any) -> None:
    """Add ``rates`` and ``validate``."""
    rates = sub.add_parser("rates", help="effective tariff rates on a date or in a scenario")
    which = rates.add_mutually_exclusive_group(required=True)
    which.add_argument("--scenario", help="scenario name (a file stem in params/scenarios)")
    which.add_argument("--date", help="YYYY-MM-DD: the measures in force on that day")
    output = rates.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument(
        "--csv", action="store_true", help="the table as CSV (ids, full-precision fractions)"
    )
    rates.add_argument(
        "--by",
        choices=("partner", "sector"),
        default="partner",
        help="rows: partners (default) or sectors, tariffs weighted by 2024 imports",
    )
    rates.set_defaults(func=cmd_rates)

    validate = sub.add_parser("validate", help="check every data, measure and scenario file")
    validate.set_defaults(func=cmd_validate)
