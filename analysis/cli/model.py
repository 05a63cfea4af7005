"""``simulate`` and ``market``: the model on a shipped scenario or on a user's own market."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.inputs.bundle import load_inputs
from analysis.inputs.markets import load_market
from analysis.questions.custom_market import solve_custom_market
from analysis.questions.simulate import simulate


def cmd_simulate(args: argparse.Namespace) -> int:
    result = simulate(load_inputs(), args.scenario, args.baseline)
    payload = result.payload()
    if args.json:
        json.dump(payload, sys.stdout, indent=2)
        print()
        return 0
    print(f"{result.scenario.title}  (against: {result.baseline.title})")
    partners = pd.DataFrame(payload["partners"]).T
    with pd.option_context("display.float_format", "{:,.4f}".format):
        print(partners.to_string())
    print()
    for key, value in payload["totals"].items():
        print(f"{key:40s} {value:>20,.4f}")
    for note in payload["notes"]:
        print(f"note: {note}")
    return 0


def cmd_market(args: argparse.Namespace) -> int:
    result = solve_custom_market(load_market(Path(args.file)))
    if args.json:
        json.dump(result.payload(), sys.stdout, indent=2)
        print()
        return 0
    print(result.market.title)
    with pd.option_context("display.float_format", "{:,.4f}".format):
        print(result.table().to_string())
    print(f"price index change: {float(result.solution.price_index_change):.4%}")
    print(f"tariff revenue: {float(result.solution.new_tariff_revenue_usd.sum()):,.0f}")
    return 0


def register(sub: Any) -> None:
    """Add the model commands: ``simulate`` and ``market``."""
    simulate = sub.add_parser("simulate", help="headline outcomes of a scenario")
    simulate.add_argument("--scenario", required=True, help="scenario name")
    simulate.add_argument("--baseline", default="mfn_only", help="baseline scenario (mfn_only)")
    simulate.add_argument("--json", action="store_true", help="machine-readable output")
    simulate.set_defaults(func=cmd_simulate)

    market = sub.add_parser("market", help="solve a custom market from a YAML file")
    market.add_argument(
        "--file", required=True, help="market YAML (see analysis/inputs/markets.py)"
    )
    market.add_argument("--json", action="store_true", help="machine-readable output")
    market.set_defaults(func=cmd_market)
