"""The ``tariff-reports`` command line: one parser, one error handler (``analysis.cli.main``)."""

from analysis.cli.main import main

__all__ = ["main"]
