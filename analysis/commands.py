"""Sub-commands beyond ``rates`` and ``validate``: the model and the report pipeline."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    """Add the model commands (simulate, market) and the report commands (build, list)."""
    from analysis.reporting import cli_commands

    build = sub.add_parser("build", help="run and render report notebooks")
    cli_commands.add_build_arguments(build)
    build.set_defaults(func=cli_commands.cmd_build)
    listing = sub.add_parser("list", help="list the report runs and their parameters")
    cli_commands.add_list_arguments(listing)
    listing.set_defaults(func=cli_commands.cmd_list)
