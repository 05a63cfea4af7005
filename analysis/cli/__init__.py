"""The ``tariff-reports`` command line: one parser, one error handler (``analysis.cli.main``)."""

import sys

from analysis.cli.early import quiet_interrupts_while_starting, start_fork_server_if_building

quiet_interrupts_while_starting(sys.argv)  # a Ctrl-C during the imports below: one line
start_fork_server_if_building(sys.argv)  # a local build: warm its kernels from the start

from analysis.cli.main import main  # noqa: E402

__all__ = ["main"]
