"""``simulate`` and ``market``: the model on a shipped scenario or on a user's own market.

Text output is a reader's table (labels with units from the outcomes registry, partner names
from the data); ``--json`` and ``--csv`` keep the code names and full-precision values.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.cli.text import Column, frame_text, outcomes_text, registered, write_csv
from analysis.cli.user_inputs import add_scenario_arguments, assumption_lines, chosen_scenario
from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.inputs.focus import checked_focus
from analysis.inputs.markets import load_market
from analysis.inputs.scenarios import Scenario

if TYPE_CHECKING:  # the model (scipy) is imported by the commands that solve it, not by `build`
    from analysis.questions.custom_market import CustomMarketResult
    from analysis.questions.simulate import SimulationResult

#: The per-partner columns of ``simulate`` (all registered outcomes).
PARTNER_COLUMNS = (
    "exports_value_change_usd",
    "exports_value_change",
    "exports_volume_change",
    "tariff_revenue_usd",
)


def cmd_simulate(args: argparse.Namespace) -> int:
    inputs = load_inputs()
    focus = None
    if args.focus or args.focus_sector:
        data = inputs.data
        partner = args.focus
        if partner and partner not in data.partners:  # a country: the model splits it out
            found = inputs.countries.resolve(partner, "focus.partner")
            partner = found if isinstance(found, str) else found.key
        focus = checked_focus(
            (*data.partners, *([partner] if partner else [])),
            data.sectors,
            partner,
            args.focus_sector,
        )
    scenario = _scenario_of(args, inputs)
    from analysis.questions.simulate import simulate

    result = simulate(inputs, scenario, args.baseline, focus=focus)
    payload = result.payload()
    if args.json:
        json.dump(payload, sys.stdout, indent=2)
        print()
    elif args.csv:
        write_csv(simulation_rows(result, payload))
    else:
        print(simulation_text(result, payload))
    return 0


def _scenario_of(args: argparse.Namespace, inputs: Inputs) -> Scenario:
    """``--scenario NAME`` or ``--scenario-file PATH`` (with any ``--set``), or ``--date D``:
    the law in force on D, as a scenario without changes (argparse allows one of them)."""
    chosen = chosen_scenario(args, inputs)
    if chosen is not None:
        return chosen
    if not args.date:
        raise InputError(
            "(command line)", "--scenario", "--scenario, --scenario-file or --date", None
        )
    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError:
        raise InputError("(command line)", "--date", "a date YYYY-MM-DD", args.date) from None
    return Scenario(
        name=f"law_{day.isoformat()}",
        path=Path("(command line)"),
        title=f"The law in force on {day.isoformat()}",
        description=f"Every measure in force on {day.isoformat()} (law as later corrected).",
        regime_date=day,
        changes=(),
        quotas=(),
        references=(),
    )


def simulation_rows(result: SimulationResult, payload: dict[str, Any]) -> pd.DataFrame:
    """Long table for ``--csv``: one row per total and per partner outcome, with its unit."""
    rows = [
        ("totals", result.focus.partner, name, payload["units"][name]["unit"], value)
        for name, value in payload["totals"].items()
    ]
    for partner, values in payload["partners"].items():
        for name, value in values.items():
            rows.append(("partners", partner, name, _unit(name), value))
    frame = pd.DataFrame(rows, columns=["table", "partner", "outcome", "unit", "value"])
    return frame.set_index("table")


def _unit(name: str) -> str:
    from analysis.questions.outcomes import OUTCOMES

    return OUTCOMES[name].unit


def simulation_text(result: SimulationResult, payload: dict[str, Any]) -> str:
    """The headline outcomes and the partners' table as a reader sees them."""
    partner, sector = result.focus_names()
    labels = result.labels()  # the focus sector's figures name their supply response
    columns = [
        replace(registered(name, partner, sector), header=labels[name]["label"])
        if name in labels
        else registered(name, partner, sector)
        for name in payload["totals"]
    ]
    by_partner = pd.DataFrame(payload["partners"]).T
    by_partner.index = [result.data.partner_name(p) for p in by_partner.index]
    lines = [
        f"{result.scenario.title}",
        f"against: {result.baseline.title}",
        f"focus: {partner}, {sector}",
        "",
        outcomes_text(payload["totals"], columns),
        "",
        frame_text(by_partner, "Partner", [registered(n) for n in PARTNER_COLUMNS]),
    ]
    if any(v is None for v in payload["totals"].values()):
        lines += ["", f"n/a: not available for {partner} (no cited GDP or unit count)."]
    if "revenue" in payload:
        lines += ["", *_revenue_lines(payload["revenue"])]
    lines += ["", *(f"note: {note}" for note in payload["notes"])]
    lines += assumption_lines(result.baseline, result.scenario)
    return "\n".join(lines)


def _revenue_lines(revenue: dict[str, Any]) -> list[str]:
    """The scenario's law's year of duties (the same whatever the baseline), $ bn."""
    scalars = {k: v for k, v in revenue.items() if not isinstance(v, dict)}
    out = [
        "A year of duties at this law (whatever the baseline):",
        outcomes_text(scalars, [registered(name) for name in scalars]),
        "by legal authority ($ bn): "
        + ", ".join(f"{k} {v / 1e9:,.1f}" for k, v in revenue["revenue_by_authority_usd"].items()),
    ]
    return out


def cmd_market(args: argparse.Namespace) -> int:
    from analysis.questions.custom_market import solve_custom_market

    result = solve_custom_market(load_market(Path(args.file)))
    if args.json:
        json.dump(result.payload(), sys.stdout, indent=2)
        print()
    elif args.csv:
        write_csv(result.table())
    else:
        print(market_text(result))
    return 0


def market_text(result: CustomMarketResult) -> str:
    """The user's market, one row per source, in readers' units."""
    table = result.table()
    small = table["base_value_usd"].abs().max() < 1e8  # a small market: whole dollars

    def column(name: str) -> Column:
        c = registered(name)
        if small and c.fmt == "usd_bn":
            return Column(name, c.header.replace("($ bn)", "($)"), "usd", c.signed)
        return c

    solution = result.solution
    totals = {
        "price_index_change": float(solution.price_index_change),
        "new_tariff_revenue_usd": float(solution.new_tariff_revenue_usd.sum()),
        "quota_rent_usd": float(solution.quota_rent_usd.sum()),
    }
    summary = [
        Column("price_index_change", "US price index of the good, change (%)", "percent", True),
        column("new_tariff_revenue_usd"),
        column("quota_rent_usd"),
    ]
    return "\n".join(
        [
            result.market.title,
            "",
            frame_text(table, "Source", [column(str(c)) for c in table.columns]),
            "",
            outcomes_text(totals, summary),
        ]
    )


def _output_flags(parser: Any) -> None:
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument(
        "--csv", action="store_true", help="the table as CSV (code names, full precision)"
    )


def register(sub: Any) -> None:
    """Add the model commands: ``simulate`` and ``market``."""
    simulate = sub.add_parser("simulate", help="headline outcomes of a scenario")
    which = simulate.add_mutually_exclusive_group(required=True)
    which.add_argument("--scenario", help="scenario name (shipped, or in your --params-dir)")
    which.add_argument("--date", help="simulate the law in force on this day (YYYY-MM-DD)")
    add_scenario_arguments(simulate, which)
    simulate.add_argument("--baseline", default="mfn_only", help="baseline scenario (mfn_only)")
    simulate.add_argument(
        "--focus",
        metavar="PARTNER",
        help="the partner the headline outcomes are about (default: the scenario's, else japan)",
    )
    simulate.add_argument(
        "--focus-sector",
        metavar="SECTOR",
        help="the focus partner's sector for the sector outcomes (default mvh, motor vehicles)",
    )
    _output_flags(simulate)
    simulate.set_defaults(func=cmd_simulate)

    market = sub.add_parser("market", help="solve a custom market from a YAML file")
    market.add_argument("--file", required=True, help="market YAML (format: docs/formats.md)")
    _output_flags(market)
    market.set_defaults(func=cmd_market)
