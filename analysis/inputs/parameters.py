"""Elasticities, their priors and the other cited constants of ``params/elasticities.yaml``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.inputs.catalog import Catalog
from analysis.inputs.errors import InputError
from analysis.inputs.references import Reference, parse_reference
from analysis.inputs.validate import TOP_LEVEL, mapping, number, one_of, read_yaml, record

_ELASTICITIES = (
    "substitution_elasticity",
    "demand_elasticity",
    "foreign_supply_elasticity",
    "domestic_supply_elasticity",
)
_DISTRIBUTIONS = {"triangular": ("low", "mode", "high"), "uniform": ("low", "high"), "fixed": ()}


@dataclass(frozen=True)
class Prior:
    """A distribution for Monte Carlo draws: triangular, uniform or fixed (the default)."""

    distribution: str
    low: float
    mode: float
    high: float

    def draw(self, rng: np.random.Generator, size: int, default: float) -> np.ndarray:
        if self.distribution == "triangular":
            return rng.triangular(self.low, self.mode, self.high, size)
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, size)
        return np.full(size, default)


@dataclass(frozen=True)
class Elasticity:
    name: str
    default: float
    prior: Prior
    source: Reference
    stands_in_for: str


@dataclass(frozen=True)
class Calibration:
    """Evidence a source's supply elasticity is fitted to: an observed exporter-price change
    and, where there is one, an observed volume change, between two scenarios."""

    name: str
    partner: str
    sector: str
    observed_exporter_price_change: float
    base_scenario: str
    scenario: str
    source: Reference
    observed_volume_change: float | None = None
    volume_source: Reference | None = None


@dataclass(frozen=True)
class EconomyWideEvidence:
    """An economy-wide fact of 2025 an elasticity's default and prior are set by: a statistic
    of the model (analysis/questions/incidence.py) observed at ``observed`` (cited range
    ``low`` to ``high``) between two scenarios."""

    name: str
    statistic: str
    parameter: str
    observed: float
    low: float
    high: float
    base_scenario: str
    scenario: str
    source: Reference
    range_source: Reference


@dataclass(frozen=True)
class LongRunSupply:
    """Evidence for the long-run supply elasticity of every foreign source in one sector: the
    tariff equivalents (low, mode, high) published for a quota that capped a source's sales at
    ``cap_share`` of free-trade volume; the elasticity they imply is derived from them through
    the closed form of :mod:`analysis.model.quota` (``analysis.questions.evidence``)."""

    sector: str
    derivation: str
    cap_share: float
    tariff_equivalent_low: float
    tariff_equivalent_mode: float
    tariff_equivalent_high: float
    source: Reference
    range_source: Reference
    caveat: str


@dataclass(frozen=True)
class PartnerGdp:
    """A partner's GDP and the domestic value added share of its gross exports (cited)."""

    gdp_usd: float
    domestic_value_added_share: float
    gdp_source: Reference
    value_added_source: Reference


@dataclass(frozen=True)
class ModelParameters:
    elasticities: dict[str, Elasticity]
    calibrations: tuple[Calibration, ...]
    us_households: float
    households_source: Reference
    # partner -> its GDP and the domestic value added in its exports (first-order GDP effect)
    partner_gdp: Mapping[str, PartnerGdp]
    evidence: tuple[EconomyWideEvidence, ...] = ()
    # sector -> the evidence for its long-run supply elasticity (forward scenarios)
    long_run_supply: Mapping[str, LongRunSupply] = dataclasses.field(default_factory=dict)

    def __getitem__(self, name: str) -> Elasticity:
        return self.elasticities[name]


def _prior(path: Path, key: str, raw: object) -> Prior:
    spec = mapping(path, key, raw)
    dist = spec.get("distribution")
    if dist not in _DISTRIBUTIONS:
        raise InputError(path, f"{key}.distribution", f"one of {list(_DISTRIBUTIONS)}", dist)
    record(path, key, spec, {"distribution", *_DISTRIBUTIONS[str(dist)]})
    values = {f: number(path, f"{key}.{f}", spec.get(f)) for f in _DISTRIBUTIONS[str(dist)]}
    low = values.get("low", 0.0)
    high = values.get("high", 0.0)
    mode = values.get("mode", (low + high) / 2)
    if not low <= mode <= high:
        raise InputError(path, key, "low <= mode <= high", f"{low}, {mode}, {high}")
    return Prior(str(dist), low, mode, high)


def parse_parameters(path: Path, doc: object, catalog: Catalog) -> ModelParameters:
    top = record(
        path,
        TOP_LEVEL,
        doc,
        {
            *_ELASTICITIES,
            "calibration",
            "economy_wide_evidence",
            "households",
            "partner_gdp",
            "long_run_supply",
        },
    )
    elasticities = {}
    for name in _ELASTICITIES:
        spec = mapping(path, name, top.get(name))
        elasticities[name] = Elasticity(
            name=name,
            default=number(path, f"{name}.default", spec.get("default")),
            prior=_prior(path, f"{name}.prior", spec.get("prior")),
            source=parse_reference(path, f"{name}.source", spec.get("source")),
            stands_in_for=str(spec.get("stands_in_for", "")),
        )
    if elasticities["substitution_elasticity"].default <= 0:
        raise InputError(path, "substitution_elasticity.default", "> 0", 0)
    calibrations = []
    for name, raw in mapping(path, "calibration", top.get("calibration", {})).items():
        spec = mapping(path, f"calibration.{name}", raw)
        key = f"calibration.{name}"
        one_of(path, f"{key}.partner", spec.get("partner"), catalog.partners)
        one_of(path, f"{key}.sector", spec.get("sector"), catalog.sectors)
        for field in ("base_scenario", "scenario"):
            one_of(path, f"{key}.{field}", spec.get(field), catalog.scenarios)
        change = number(
            path,
            f"{key}.observed_exporter_price_change",
            spec.get("observed_exporter_price_change"),
            low=-0.99,
        )
        volume = spec.get("observed_volume_change")
        calibrations.append(
            Calibration(
                name=str(name),
                partner=str(spec["partner"]),
                sector=str(spec["sector"]),
                observed_exporter_price_change=change,
                base_scenario=str(spec.get("base_scenario")),
                scenario=str(spec.get("scenario")),
                source=parse_reference(path, f"{key}.source", spec.get("source")),
                observed_volume_change=None
                if volume is None
                else number(path, f"{key}.observed_volume_change", volume, low=-0.99),
                volume_source=None
                if volume is None
                else parse_reference(path, f"{key}.volume_source", spec.get("volume_source")),
            )
        )
    households = mapping(path, "households", top.get("households"))
    return ModelParameters(
        elasticities=elasticities,
        calibrations=tuple(calibrations),
        us_households=number(path, "households.us_households", households.get("us_households"), 1),
        households_source=parse_reference(path, "households.source", households.get("source")),
        partner_gdp=_partner_gdp(path, top.get("partner_gdp"), catalog),
        evidence=_economy_wide(path, top.get("economy_wide_evidence"), catalog),
        long_run_supply=_long_run_supply(path, top.get("long_run_supply"), catalog),
    )


_LONG_RUN_KEYS = {
    "derivation",
    "cap_share",
    "tariff_equivalent",
    "source",
    "range_source",
    "caveat",
}


def _long_run_supply(path: Path, raw: object, catalog: Catalog) -> dict[str, LongRunSupply]:
    """``long_run_supply``: per sector, the published tariff equivalents of a quota (cited)."""
    out = {}
    for sector, item in mapping(path, "long_run_supply", raw or {}).items():
        key = f"long_run_supply.{sector}"
        one_of(path, key, sector, catalog.sectors)
        spec = record(path, key, item, _LONG_RUN_KEYS)
        one_of(path, f"{key}.derivation", spec.get("derivation"), ("ver_tariff_equivalent",))
        cap = number(path, f"{key}.cap_share", spec.get("cap_share"), 0.0)
        if not 0 < cap < 1:
            raise InputError(path, f"{key}.cap_share", "a share in (0, 1)", cap)
        te = record(
            path, f"{key}.tariff_equivalent", spec.get("tariff_equivalent"), {"low", "mode", "high"}
        )
        low, mode, high = (
            number(path, f"{key}.tariff_equivalent.{f}", te.get(f), 0.0)
            for f in ("low", "mode", "high")
        )
        if not 0 < low <= mode <= high:
            raise InputError(
                path,
                f"{key}.tariff_equivalent",
                "0 < low <= mode <= high",
                f"{low}, {mode}, {high}",
            )
        out[str(sector)] = LongRunSupply(
            sector=str(sector),
            derivation=str(spec["derivation"]),
            cap_share=cap,
            tariff_equivalent_low=low,
            tariff_equivalent_mode=mode,
            tariff_equivalent_high=high,
            source=parse_reference(path, f"{key}.source", spec.get("source")),
            range_source=parse_reference(path, f"{key}.range_source", spec.get("range_source")),
            caveat=str(spec.get("caveat", "")),
        )
    return out


def _partner_gdp(path: Path, raw: object, catalog: Catalog) -> dict[str, PartnerGdp]:
    """``partner_gdp``: per partner id, its GDP and domestic value added share, cited."""
    out = {}
    for partner, entry in mapping(path, "partner_gdp", raw).items():
        key = f"partner_gdp.{partner}"
        if partner not in catalog.partners:
            raise InputError(path, key, f"a partner of {list(catalog.partners)}", partner)
        spec = record(
            path,
            key,
            entry,
            {"gdp_usd", "domestic_value_added_share", "source", "value_added_source"},
        )
        share = number(
            path, f"{key}.domestic_value_added_share", spec.get("domestic_value_added_share")
        )
        if share > 1:
            raise InputError(path, f"{key}.domestic_value_added_share", "a share <= 1", share)
        out[str(partner)] = PartnerGdp(
            gdp_usd=number(path, f"{key}.gdp_usd", spec.get("gdp_usd"), 1),
            domestic_value_added_share=share,
            gdp_source=parse_reference(path, f"{key}.source", spec.get("source")),
            value_added_source=parse_reference(
                path, f"{key}.value_added_source", spec.get("value_added_source")
            ),
        )
    return out


#: Statistics of the model an economy-wide fact can be compared with, and the elasticity each
#: one disciplines (analysis/questions/incidence.py computes them).
STATISTICS = {
    "foreign_incidence": "foreign_supply_elasticity",
    "domestic_import_price_ratio": "domestic_supply_elasticity",
}
_EVIDENCE_KEYS = {
    "statistic",
    "observed",
    "low",
    "high",
    "base_scenario",
    "scenario",
    "source",
    "range_source",
}


def _economy_wide(path: Path, raw: object, catalog: Catalog) -> tuple[EconomyWideEvidence, ...]:
    out = []
    for name, item in mapping(path, "economy_wide_evidence", raw or {}).items():
        key = f"economy_wide_evidence.{name}"
        spec = record(path, key, item, _EVIDENCE_KEYS)
        statistic = one_of(path, f"{key}.statistic", spec.get("statistic"), STATISTICS)
        low, observed, high = (
            number(path, f"{key}.{f}", spec.get(f), 0.0) for f in ("low", "observed", "high")
        )
        if not low <= observed <= high:
            raise InputError(path, key, "low <= observed <= high", f"{low}, {observed}, {high}")
        for field in ("base_scenario", "scenario"):
            one_of(path, f"{key}.{field}", spec.get(field), catalog.scenarios)
        out.append(
            EconomyWideEvidence(
                name=str(name),
                statistic=str(statistic),
                parameter=STATISTICS[str(statistic)],
                observed=observed,
                low=low,
                high=high,
                base_scenario=str(spec["base_scenario"]),
                scenario=str(spec["scenario"]),
                source=parse_reference(path, f"{key}.source", spec.get("source")),
                range_source=parse_reference(path, f"{key}.range_source", spec.get("range_source")),
            )
        )
    return tuple(out)


def load_parameters(path: Path, catalog: Catalog) -> ModelParameters:
    """``params/elasticities.yaml``, checked against the loaded scenarios and data."""
    return parse_parameters(path, read_yaml(path), catalog)
