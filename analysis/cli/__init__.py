"""The ``tariff-reports`` command line: one parser, one error handler (``analysis.cli.app``).

This package's import is the command's first step (the console script imports :func:`main`
from here; ``python -m analysis`` too), so it is kept thin: a local build's fork server starts
here, before anything heavy is imported, and the command line itself (``app``) and the modules
of the subcommand that runs are imported only when :func:`main` is called. The build's workers
import the console script again (multiprocessing runs the parent's main script in each child
of its fork server), which therefore costs them nothing either.
"""

import sys
from collections.abc import Sequence

from analysis.cli.early import quiet_interrupts_while_starting, start_fork_server_if_building

quiet_interrupts_while_starting(sys.argv)  # a Ctrl-C during the imports below: one line
start_fork_server_if_building(sys.argv)  # a local build: warm its kernels from the start


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit code."""
    from analysis.cli.app import main as run

    return run(argv)


__all__ = ["main"]
