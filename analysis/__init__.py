"""tariff-reports: what US tariffs do to trade, with Japan as the flagship case.

The package is layered so that the economics stays pure:

* ``analysis.datasets``, ``analysis.measures``, ``analysis.scenarios``: read and validate the
  shipped data and the YAML parameter files into frozen objects (the only I/O boundary).
* ``analysis.stacking``: which tariff applies to what, on a date or in a scenario.
* ``analysis.armington`` and friends: the partial-equilibrium model (pure numpy).
* ``analysis.reporting``: papermill runs and offline HTML rendering.
* ``analysis.cli``: the ``tariff-reports`` command line.
"""

__version__ = "0.1.0"
