"""The model's sources as a partition of countries: the 8 regions, with any country standing
alone (issue 16 item 5).

A country split out of its region (``--focus KOR``, ``partner: KOR`` in a report run) becomes
one more source of the model: its 2024 imports by sector and its tariff rates come from its
HS10 lines (:mod:`analysis.policy.line_regimes`), and its region keeps the rest. A split
country takes its region's supply elasticities (no country-level estimate is shipped) and its
name from the country table. Its car supply response is therefore the scenario's horizon's:
in a long-run scenario (the default, :mod:`analysis.questions.evidence`) every partner's cars,
a split country's included, take the literature's long-run elasticity; in a short-run one
(the law of 2025) only Japan has a fit to 2025, and a split country's cars take its region's
economy-wide 2025 default. Nothing else changes: the total of imports is the same, and with
no split the data are the 8 regions'.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from analysis.inputs.countries import CountryTable
from analysis.inputs.datasets import TradeData
from analysis.policy.stacking import TariffSchedule
from analysis.questions.us_market import Elasticities


def split_for(partner: str, data: TradeData, countries: CountryTable) -> tuple[str, ...]:
    """The countries to split out so ``partner`` is a source: none for a region, else the
    country (an ISO3 code, a Census code or a name), by its key in the country table."""
    if partner in data.partners:
        return ()
    found = countries.resolve(partner, "focus.partner")
    if isinstance(found, str):
        return ()
    return (found.key,)


def split_data(data: TradeData, schedule: TariffSchedule, countries: CountryTable) -> TradeData:
    """The trade data with the sources of ``schedule`` (its regions and split countries):
    imports by sector from the lines; the baseline rate the 2024 applied rate."""
    if schedule.partners == data.partners:
        return data
    names = dict(data.partner_names)
    by_key = {c.key: c for c in countries.countries}
    extra = schedule.partners[len(data.partners) :]
    for key in extra:
        names[key] = by_key[key].short_name
    basis = np.hstack(
        [data.mfn_rate_basis, np.full((len(data.sectors), len(extra)), "lines", dtype=object)]
    )
    return replace(
        data,
        partners=schedule.partners,
        imports_usd=schedule.imports_usd,
        mfn_tariff_rate=schedule.mfn_tariff_rate,
        mfn_rate_basis=basis,
        partner_names=names,
    )


def split_elasticities(
    elasticities: Elasticities, data: TradeData, split: TradeData, countries: CountryTable
) -> Elasticities:
    """Supply elasticities for the sources of ``split``: a split country takes its region's."""
    if split.partners == data.partners:
        return elasticities
    by_key = {c.key: c for c in countries.countries}
    supply = elasticities.supply_elasticity
    columns = [supply[..., : len(data.partners)]]
    for key in split.partners[len(data.partners) :]:
        j = data.partners.index(by_key[key].region)
        columns.append(supply[..., j : j + 1])
    columns.append(supply[..., len(data.partners) :])  # US producers, last
    return replace(elasticities, supply_elasticity=np.concatenate(columns, axis=-1))
