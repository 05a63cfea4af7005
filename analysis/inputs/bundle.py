"""Load once, pass explicitly: every input of the model in one frozen bundle.

``load_inputs(params_dir)`` reads and validates, in this order (each step checks names
against what the steps before it loaded), each file from the highest params layer that has it
(the user's folder over the shipped ``params/``: :mod:`analysis.inputs.paths`):

1. the shipped data (``analysis/data``, checksums in ``manifest.yaml``) -> the sectors;
2. the measures (``params/measures/*.yaml``), with member-country rates weighted into cells
   and exemptions on product lists turned into trade shares;
3. the scenarios (``params/scenarios/*.yaml``), against the measures (a broken user's
   scenario is kept as its error, raised only when it is asked for);
4. the elasticities (``params/elasticities.yaml``), against the scenarios;
5. the countries of the line data (``countries.csv``); the HS10 x country lines themselves are
   read on first use (:class:`analysis.inputs.lines.LazyLines`);
6. what is known of the law (``params/law_status.yaml``: refunds, measures not modelled) and
   the published rates ours are compared with (``params/published_rates.yaml``);
7. the BEA input-output tables (``analysis/data/io_*``) and the consumer price model's
   assumptions (``params/consumer_prices.yaml``).

Nothing is cached between calls: a caller that needs the inputs twice keeps the bundle. In a
build, the kernels' ``load_inputs()`` of the build's own private copy is read once and shared
(``analysis.inputs.shared``): the first kernel to load stores the bundle (pickled, with its
checksum, keyed by the SHA-256 of all the copy's bytes and its paths), the others read it back,
each a copy of its own; the line data likewise, each part when first used. The builder, which
loads the same copy to check the runs before any kernel starts, stores its load there first
(:func:`hand_over`), so that no kernel reads the files again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from analysis.inputs import shared
from analysis.inputs.catalog import Catalog
from analysis.inputs.countries import CountryTable, country_table
from analysis.inputs.datasets import TradeData, load_trade_data
from analysis.inputs.errors import InputError
from analysis.inputs.exempt_lists import resolve_exempt_lists
from analysis.inputs.focus import PASSENGER_CARS_SECTOR
from analysis.inputs.io_tables import IOAssumptions, IOTables, load_io_assumptions, load_io_tables
from analysis.inputs.law_checks import cross_check
from analysis.inputs.law_status import LawStatus, load_law_status
from analysis.inputs.lines import LazyLines
from analysis.inputs.measures import Measure, load_measures
from analysis.inputs.members import resolve_member_rates
from analysis.inputs.parameters import ModelParameters, load_parameters
from analysis.inputs.paths import data_folder, params_dir, params_file, params_files
from analysis.inputs.published import (
    PublishedCost,
    PublishedRate,
    load_published_costs,
    load_published_rates,
)
from analysis.inputs.scenarios import Scenario, load_scenario_file, load_scenario_layers


@dataclass(frozen=True)
class Inputs:
    """The validated inputs: data, measures, scenarios and model parameters."""

    params_dir: Path
    data: TradeData = field(repr=False)
    measures: Mapping[str, Measure] = field(repr=False)
    scenarios: Mapping[str, Scenario] = field(repr=False)
    parameters: ModelParameters = field(repr=False)
    catalog: Catalog = field(repr=False)
    law_status: LawStatus = field(repr=False)
    published_rates: tuple[PublishedRate, ...] = field(repr=False)
    published_costs: tuple[PublishedCost, ...] = field(repr=False)
    # The countries of the line data (ISO3, names, regions), and the lines, read on first use.
    countries: CountryTable = field(repr=False)
    lines: LazyLines = field(repr=False, compare=False)
    # The BEA input-output tables and the Budget Lab's assumptions (consumer price level).
    io_tables: IOTables = field(repr=False)
    io_assumptions: IOAssumptions = field(repr=False)
    # The user's scenarios that failed validation, by name: they fail only what uses them.
    scenario_errors: Mapping[str, InputError] = field(
        repr=False, default_factory=lambda: MappingProxyType({})
    )

    def scenario(self, name: str) -> Scenario:
        """A scenario by name; its own error if it is a broken user's file; an error naming
        the known ones if there is none."""
        if name in self.scenario_errors:
            raise self.scenario_errors[name]
        if name not in self.scenarios:
            folder = self.params_dir / "scenarios"
            raise InputError(folder, "scenario", f"one of {sorted(self.scenarios)}", name)
        return self.scenarios[name]

    def scenario_file(self, path: Path) -> Scenario:
        """A scenario file outside ``params/scenarios`` (a user's), validated like the rest."""
        return load_scenario_file(path, self.measures, self.catalog)


def load_inputs(params: Path | None = None, data_dir: Path | None = None) -> Inputs:
    """Read and validate every input; ``params`` defaults to :func:`params_dir`."""
    folder = (params if params is not None else params_dir()).resolve()
    the_builds = params is None and data_dir is None  # a build's kernels share its results
    data_dir = data_dir if data_dir is not None else data_folder()
    if not the_builds:
        return _read_inputs(folder, data_dir)
    data = data_dir.resolve()
    key = shared.inputs_key(folder, data)

    def read() -> Inputs:
        return _read_inputs(folder, data_dir)

    inputs = read() if key is None else shared.remember(key, read, own=True)
    if shared.folder() is not None:
        scope = shared.scope_for(folder, data)
        if key is not None:  # the build's own copy: its line data are shared too
            inputs.lines.share_as(scope)
        shared.register(scope, inputs.data, inputs.measures, inputs.lines)
    return inputs


def hand_over(inputs: Inputs, digest: str, data: Path, own: Path) -> bool:
    """Store ``inputs``, the builder's load of the build's private copy (``inputs.params_dir``
    and ``data``, both resolved, whose bytes hash to ``digest``), in the build's own folder
    ``own``, under the key its kernels' ``load_inputs()`` of that copy looks for: the first
    kernel reads it back instead of loading the inputs again. False if it was not stored."""
    key = shared.own_inputs_key(digest, inputs.params_dir, data)
    return shared.store(own, key, inputs)


def hand_over_lines(inputs: Inputs, law_digest: str, own: Path) -> bool:
    """Read the line data of ``inputs`` (handed over by :func:`hand_over`) and store each part
    where the kernels' load of the copy, scoped by ``law_digest``, looks for it; False if they
    could not be read (a kernel that needs them then reads them, and reports why not)."""
    try:
        inputs.lines.hand_over(shared.content_scope(law_digest), own)
    except Exception:
        return False
    return True


def _read_inputs(folder: Path, data_dir: Path) -> Inputs:
    """Every input read from ``folder`` (params) and ``data_dir``, in the order above."""

    def file(relative: str) -> Path:
        return params_file(relative, folder)

    data = load_trade_data(data_dir)
    countries = country_table(data.partners, data_dir)
    units = {
        (p, PASSENGER_CARS_SECTOR): data.sector_units_2024(p, PASSENGER_CARS_SECTOR)
        for p in data.partners
    }
    catalog = Catalog(partners=data.partners, sectors=data.sectors, units_2024=units)
    measures = load_measures(params_files("measures", folder), catalog)
    measures = resolve_exempt_lists(resolve_member_rates(measures, data), data)
    cross_check(measures)
    scenarios, broken = load_scenario_layers(params_files("scenarios", folder), measures, catalog)
    # A broken user's scenario keeps its name: what names it fails with the scenario's error.
    catalog = Catalog(data.partners, data.sectors, frozenset(scenarios) | frozenset(broken), units)
    parameters = load_parameters(file("elasticities.yaml"), catalog)
    return Inputs(
        params_dir=folder,
        data=data,
        measures=MappingProxyType(measures),
        scenarios=MappingProxyType(scenarios),
        parameters=parameters,
        catalog=catalog,
        law_status=load_law_status(
            file("law_status.yaml"), frozenset(c.key for c in countries.countries)
        ),
        published_rates=load_published_rates(
            file("published_rates.yaml"), data.partners, frozenset(measures)
        ),
        published_costs=load_published_costs(file("published_costs.yaml")),
        countries=countries,
        lines=LazyLines(data, countries, data_dir, file("line_lists.yaml"), frozenset(measures)),
        io_tables=load_io_tables(data.sectors, data_dir),
        io_assumptions=load_io_assumptions(file("consumer_prices.yaml")),
        scenario_errors=MappingProxyType(broken),
    )
