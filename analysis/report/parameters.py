"""The domain of every report parameter, in one table.

The pipeline checks a run's parameters against :data:`DOMAINS` before any kernel starts
(:mod:`analysis.pipeline.runs`), and each notebook calls :func:`check_parameters` right after
its ``parameters`` cell, so a notebook run by hand gets the same one-line error. Files named by
a parameter (a custom market) are loaded and validated here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analysis.inputs.bundle import Inputs
from analysis.inputs.errors import InputError
from analysis.inputs.markets import load_market
from analysis.inputs.paths import params_file, params_files
from analysis.questions.outcomes import MARKET_OUTCOMES

Kind = Literal["scenario", "partner", "sector", "outcome", "market_file", "date", "integer", "rate"]

#: The highest all-in rate the what-if grid covers (its slider runs from 0 to 50%).
MAX_WHAT_IF_RATE = 0.5
#: Dates a report may ask about: the law is known from here ...
FIRST_DATE = dt.date(2025, 1, 1)
#: ... to the end of the scheduled measures.
LAST_DATE = dt.date(2026, 12, 31)
#: A date parameter's word for the last day the law was checked (``known_through`` of
#: ``params/law_status.yaml``), so no notebook types today's date.
TODAY = "today"


@dataclass(frozen=True)
class Domain:
    """What a parameter may be: a known name, a date in the window, an integer in a range."""

    kind: Kind
    many: bool = False  # a list of such values
    low: int = 0
    high: int = 0

    def describe(self, inputs: Inputs) -> str:
        """The allowed values in words (for errors and ``tariff-reports params``)."""
        if self.kind == "date":
            return (
                f"a date YYYY-MM-DD from {FIRST_DATE} to {LAST_DATE}, or {TODAY!r} (the last "
                "day the law was checked)"
            )
        if self.kind == "integer":
            return f"an integer from {self.low:,} to {self.high:,}"
        if self.kind == "rate":
            return f"a rate from 0 to {MAX_WHAT_IF_RATE} (a fraction: 0.2 is 20%)"
        if self.kind == "market_file":
            return (
                "a market file params/markets/<name>.yaml ("
                + ", ".join(sorted(market_files(inputs)))
                + ")"
            )
        if self.kind == "partner":  # the regions, or any of about 230 countries by ISO3 code
            regions = ", ".join(sorted(inputs.data.partners))
            return f"one of {regions}, or a country's ISO3 code (e.g. KOR, VNM, DEU)"
        return "one of " + ", ".join(sorted(choices(self.kind, inputs)))


DOMAINS: Mapping[str, Domain] = {
    "scenario": Domain("scenario"),
    "baseline": Domain("scenario"),
    "ver_scenario": Domain("scenario"),
    "tariff_scenario": Domain("scenario"),
    "scenarios": Domain("scenario", many=True),
    "partner": Domain("partner"),
    "partners": Domain("partner", many=True),
    "sector": Domain("sector"),
    "sectors": Domain("sector", many=True),
    "tornado_outcome": Domain("outcome"),
    "market_file": Domain("market_file"),
    "start_date": Domain("date"),
    "end_date": Domain("date"),
    "top_n": Domain("integer", low=1, high=45),
    "n_draws": Domain("integer", low=1, high=1_000_000),
    "seed": Domain("integer", low=0, high=2**32 - 1),
    "what_if_rate": Domain("rate"),
}


def choices(kind: Kind, inputs: Inputs) -> frozenset[str]:
    """The names a parameter of this kind may take, from the loaded inputs."""
    named: dict[str, frozenset[str]] = {
        "scenario": frozenset(inputs.scenarios),
        # a region, or a country (ISO3) the model splits out of its region
        "partner": frozenset(inputs.data.partners)
        | frozenset(c.key for c in inputs.countries.countries),
        "sector": frozenset(inputs.data.sectors),
        "outcome": frozenset(MARKET_OUTCOMES),
    }
    return named[kind]


def market_files(inputs: Inputs) -> frozenset[str]:
    """Custom markets a report may read: ``params/markets/*.yaml`` of the params folder."""
    files = params_files("markets", inputs.params_dir)  # the user's layered over the shipped
    return frozenset(f"params/markets/{p.name}" for p in files)


def market_path(inputs: Inputs, value: str) -> Path:
    """Where the market file named ``params/markets/<name>.yaml`` is (in the params folder)."""
    return params_file(f"markets/{Path(value).name}", inputs.params_dir)


def check_value(inputs: Inputs, source: str | Path, name: str, value: object) -> None:
    """``value`` is in the domain of parameter ``name``; else a one-line :class:`InputError`."""
    domain = DOMAINS.get(name)
    if domain is None:
        return
    key = f"parameters.{name}"
    values = value if domain.many and isinstance(value, list) else [value]
    for item in values:
        if not _in_domain(domain, inputs, item):
            raise InputError(source, key, domain.describe(inputs), item)
    if domain.kind == "market_file":
        load_market(market_path(inputs, str(value)))  # the file itself must be valid


def _in_domain(domain: Domain, inputs: Inputs, value: object) -> bool:
    if domain.kind == "integer":
        ok_type = isinstance(value, int) and not isinstance(value, bool)
        return ok_type and domain.low <= value <= domain.high  # type: ignore[operator]
    if domain.kind == "rate":
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and 0.0 <= value <= MAX_WHAT_IF_RATE  # type: ignore[operator]
    if not isinstance(value, str):
        return False
    if domain.kind == "date":
        try:
            return FIRST_DATE <= resolve_date(inputs, value) <= LAST_DATE
        except ValueError:
            return False
    if domain.kind == "market_file":
        return value in market_files(inputs)
    return value in choices(domain.kind, inputs)


def check_parameters(inputs: Inputs, source: str | Path = "(notebook)", **values: object) -> None:
    """Every named parameter in its domain, and a start date no later than the end date."""
    for name, value in values.items():
        check_value(inputs, source, name, value)
    start, end = values.get("start_date"), values.get("end_date")
    if (
        isinstance(start, str)
        and isinstance(end, str)
        and resolve_date(inputs, start) > resolve_date(inputs, end)
    ):
        raise InputError(source, "parameters.end_date", f"a date on or after {start}", end)


def resolve_date(inputs: Inputs, value: str) -> dt.date:
    """A date parameter as a date: ``"today"`` is the last day the law was checked."""
    return inputs.law_status.known_through if value == TODAY else dt.date.fromisoformat(value)
