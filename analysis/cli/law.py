"""``rates`` and ``validate``: the law in force, and a check of every input file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Any

from analysis.cli.user_inputs import (
    add_params_dir,
    add_scenario_arguments,
    assumption_lines,
    chosen_scenario,
)
from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError

if TYPE_CHECKING:  # the law's engine (the line tables, scipy) is imported by these commands
    from analysis.inputs.countries import Country
    from analysis.inputs.scenarios import Scenario
    from analysis.policy.stacking import TariffSchedule

EXIT_BAD_INPUT = 2


def _iso_date(text: str, flag: str = "--date") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("(command line)", flag, "a date YYYY-MM-DD", text) from None


def _rates_payload(schedule: TariffSchedule, label: dict[str, Any]) -> dict[str, Any]:
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
    from analysis.cli import lines
    from analysis.policy.regimes import schedule_for_date, schedule_for_scenario

    inputs = load_inputs()
    data, measures = inputs.data, inputs.measures
    line_args = [f for f in ("partner", "from_", "to", "hts") if getattr(args, f)]
    scenario = chosen_scenario(args, inputs)
    if scenario is not None:
        if line_args:
            expected = "--date (countries and products are for a date, not a scenario)"
            raise InputError("(command line)", "--scenario", expected, scenario.name)
        schedule = schedule_for_scenario(scenario, data, measures, inputs.lines)
        return _print_rates(args, schedule, None, inputs, scenario)
    if args.from_ or args.to or args.by_country:
        return _series(args, inputs)
    day = _iso_date(args.date) if args.date else inputs.law_status.known_through
    if not args.date:
        print(f"note: no --date; the law on {day}, the last day checked", file=sys.stderr)
    _warn_outside_known_law(day, inputs.law_status.known_through)
    partner = lines.resolve_partner(inputs, args.partner) if args.partner else None
    if args.hts:
        lines.hts_products(inputs.lines.get(), args.hts)  # a bad code fails before any output
    schedule = schedule_for_date(day, data, measures, inputs.lines)
    return _print_rates(args, schedule, (day, partner), inputs)


def _series(args: argparse.Namespace, inputs: Inputs) -> int:
    from analysis.cli import lines

    """``rates --from D1 --to D2 [--partner P] --csv``: the daily series."""
    for flag, value in (("--from", args.from_), ("--to", args.to)):
        if not value:
            raise InputError("(command line)", flag, "a date YYYY-MM-DD (with --from, --to)", None)
    if not args.csv or args.json or args.date:
        raise InputError("(command line)", "--csv", "--from D1 --to D2 --csv (no --date)", None)
    first, last = _iso_date(args.from_, "--from"), _iso_date(args.to, "--to")
    if args.by_country and args.partner:
        raise InputError("(command line)", "--by-country", "no --partner with it", args.partner)
    partner = lines.resolve_partner(inputs, args.partner) if args.partner else None
    by = "country" if args.by_country else "partner"
    return lines.write_series(inputs, first, last, partner, sys.stdout, by)


def _print_rates(
    args: argparse.Namespace,
    schedule: TariffSchedule,
    on: tuple[dt.date, Country | str | None] | None,
    inputs: Inputs,
    scenario: Scenario | None = None,
) -> int:
    """Print the regional rates (and, for a date, the countries and the partner's products)."""
    from analysis.cli import lines
    from analysis.cli.rates_text import print_rates

    label: dict[str, Any] = {"date": on[0].isoformat()} if on else {}
    if scenario is not None:
        label |= {"scenario": scenario.name, "title": scenario.title}
        if scenario.user_assumptions:
            label["user_assumptions"] = list(scenario.user_assumptions)
    by_line = lines.schedule_on(inputs, on[0]) if on else None
    if args.json:
        payload = _rates_payload(schedule, label)
        if by_line is not None and on is not None:
            payload["countries"] = lines.countries_payload(by_line)
            if on[1] is not None:
                payload |= lines.partner_payload(by_line, on[1])
            if args.hts:
                payload["hts"] = lines.hts_payload(by_line, args.hts, on[1])
        json.dump(payload, sys.stdout, indent=2)
        print()
        return 0
    heading = label.get("title") or f"Tariffs in force on {label['date']}"
    print_rates(schedule, inputs.data, heading, by=args.by, as_csv=args.csv)
    if scenario is not None and not args.csv:
        print("\n".join(assumption_lines(scenario)))
    if by_line is not None and on is not None and not args.csv:
        regions = {p: inputs.data.partner_name(p) for p in inputs.data.partners}
        if args.hts:
            lines.print_hts(lines.hts_payload(by_line, args.hts, on[1]), sys.stdout)
        elif on[1] is not None:
            lines.print_partner(by_line, on[1], sys.stdout, regions)
        else:
            lines.print_countries(by_line, sys.stdout, regions)
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
            f"warning: {day} is before {FIRST_MODELLED_DAY}; only MFN, the Section 301 "
            "tariffs on China and the 2018 Section 232 steel and aluminium tariffs are "
            "modelled before 2025",
            file=sys.stderr,
        )


def _stack_every_regime(inputs: Inputs) -> str:
    """Stack each date a measure value starts and each scenario, from the sector x region
    cells (which check the sector shares, e.g. Section 232 shares summing to at most 1) and
    from the lines; a summary line."""
    from analysis.policy.regimes import schedule_for_date, schedule_for_scenario

    data, measures = inputs.data, inputs.measures
    days = sorted({v.start for m in measures.values() for v in m.values})
    for day in days:
        schedule_for_date(day, data, measures)
        schedule_for_date(day, data, measures, inputs.lines)
    for scenario in inputs.scenarios.values():
        schedule_for_scenario(scenario, data, measures)
        schedule_for_scenario(scenario, data, measures, inputs.lines)
    lines = inputs.lines.get()
    lists = inputs.lines.product_lists()
    inputs.lines.usmca()
    return (
        f"{len(measures)} measures ({len(days)} dated regimes), {len(inputs.scenarios)} "
        f"scenarios, {lines.rows:,} HS10 x country lines, {len(lists.masks)} product lists"
    )


def cmd_validate(args: argparse.Namespace) -> int:
    """Every data file, measure, scenario, parameter file and report run, and every regime.

    Stacking is run on each date a measure value starts and for each scenario, so a problem
    that only shows when measures combine (e.g. Section 232 shares above 1) is found here; the
    line data, the product lists (``params/line_lists.yaml``) and the USMCA shares are read.
    """
    from analysis.inputs.datasets import verify_all
    from analysis.pipeline.runs import list_runs

    problems = verify_all()
    if not problems:
        try:
            inputs = load_inputs()
            # A broken user's scenario fails only what uses it, but validate names it.
            problems += [str(exc) for exc in inputs.scenario_errors.values()]
            if not problems:
                print(_stack_every_regime(inputs))
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
    which = rates.add_mutually_exclusive_group()
    which.add_argument("--scenario", help="scenario name (shipped, or in your --params-dir)")
    which.add_argument(
        "--date", help="YYYY-MM-DD: the measures in force on that day (default: last day checked)"
    )
    add_scenario_arguments(rates, which)
    output = rates.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument(
        "--csv",
        action="store_true",
        help="the table as CSV (ids, full-precision fractions); with --from/--to, the daily series",
    )
    rates.add_argument(
        "--by",
        choices=("partner", "sector"),
        default="partner",
        help="rows: partners (default) or sectors, tariffs weighted by 2024 imports",
    )
    rates.add_argument(
        "--partner",
        help="a country (ISO3 code or name, e.g. KOR, 'South Korea', Vietnam) or a region id: "
        "its rates by HS chapter and sector, from the HS10 x country lines",
    )
    rates.add_argument(
        "--hts", help="an HTS code of 4-10 digits (e.g. 8703, 8703.23.01): its lines' rates"
    )
    rates.add_argument("--from", dest="from_", help="YYYY-MM-DD: first day of a daily series")
    rates.add_argument("--to", help="YYYY-MM-DD: last day of a daily series")
    rates.add_argument(
        "--by-country", action="store_true", help="the daily series for every country (with --csv)"
    )
    rates.set_defaults(func=cmd_rates)

    validate = sub.add_parser("validate", help="check every data, measure and scenario file")
    add_params_dir(validate)
    validate.set_defaults(func=cmd_validate)
