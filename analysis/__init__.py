"""tariff-reports: what US tariffs do to trade, with Japan as the flagship case.

The package is layered; each layer imports only the layers below it (ARCHITECTURE.md; the
import-linter contract in pyproject.toml is checked by ``make test``):

* ``analysis.cli``: the ``tariff-reports`` command line;
* ``analysis.pipeline``: report runs, papermill execution, offline HTML, publishing;
* ``analysis.report``: tables, charts, headline record and stamp for the notebooks;
* ``analysis.questions``: what users ask (simulate, evidence, attribution, uncertainty, cars);
* ``analysis.policy`` (stacking the law) and ``analysis.model`` (the economics, pure numpy);
* ``analysis.inputs``: reading and validating every file, once, into frozen objects.
"""

__version__ = "0.1.0"
