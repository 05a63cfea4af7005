"""The stacking engine: which tariff applies to each sector x partner, and why.

Pure: takes validated measures and data arrays, returns arrays. For one sector s and
partner p (all rates ad valorem, shares are of the cell's trade value):

* MFN ``m`` always applies.
* Section 232 measure k covers a share ``c_k`` of the cell (its product scope) and adds
  ``c_k (1 - x_k) * r_k`` (``stacking: section232``) or, for an all-in floor f_k,
  ``c_k (1 - x_k) * max(0, f_k - m)`` (``stacking: section232_floor``), where ``x_k`` is an
  exempt share (e.g. the US content of USMCA vehicles). ``C = sum_k c_k``: goods in scope
  stay outside the reciprocal-type layers even where they are exempt from the duty itself.
* A reciprocal-type layer j (``applies_to: non_section232``) applies only where no Section 232
  measure does: ``(1 - C) * e_j * r_j``, with ``e_j`` its covered share after exemptions.
  A floor layer tops up to its floor inclusive of MFN: ``(1 - C) * e_j * max(0, f_j - m)``.
  An exemption tied to a Section 232 measure (``same_goods_as``, e.g. Annex II copper) is
  dropped while that measure is active, since ``C`` already removes those goods.
* A layer with ``applies_to: all`` stacks everywhere: ``e_j * r_j``.
* A measure in force switches off the measures it ``supersedes`` for its partners
  (for example the 15% floor for Japan replaces the 10% baseline).
* Rates can differ by cell: the member-country rates of ``ftrow`` and ``row`` reach this
  module already weighted into one rate per cell (:mod:`analysis.inputs.members`). A dated
  value can exempt more goods while it is in force (``added_exempt``, e.g. the farm goods of
  13 Nov 2025); those shares add to the measure's own exemption, capped at 1.

The total rate is ``m`` plus the sum of the contributions; the contributions are kept per
measure so a report can show what each layer adds. Floors use the cell's average MFN rate,
since line-level rates are not in the data (the floor is convex in MFN, so this can
understate the top-up where MFN rates vary within a cell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs.errors import InputError
from analysis.inputs.measures import Coverage, Measure, MeasureValue
from analysis.inputs.references import Reference

MFN = "mfn"


@dataclass(frozen=True)
class ActiveMeasure:
    """A measure with the rate it takes in one regime, and where it is switched off."""

    measure: Measure
    rate: float
    reference: Reference
    rate_by_partner: Mapping[str, float] = field(default_factory=dict)
    rate_by_sector: Mapping[str, float] = field(default_factory=dict)
    excluded: frozenset[tuple[str, str | None]] = frozenset()  # (partner, sector or None)
    # Cell rates, (partner, sector) -> rate, which win over everything: the member-country
    # rates of ftrow/row weighted on loading, and a scenario's scoped rate changes.
    rate_by_cell: Mapping[tuple[str, str], float] = field(default_factory=dict)
    # Exemptions of the dated value in force (e.g. farm goods from 13 Nov 2025), by sector.
    added_exempt: Mapping[str, Coverage] = field(default_factory=dict)
    # The dated value this regime starts from (None for a measure a scenario switches on).
    value: MeasureValue | None = None
    # Regions whose member-country rates a scenario's change replaced (the line engine
    # drops those countries' ``rate_by_country`` and ``floor_by_country`` there).
    members_dropped: frozenset[str] = frozenset()

    @classmethod
    def of(cls, measure: Measure, value: MeasureValue) -> ActiveMeasure:
        """A measure at one of its dated values (member-country rates already in cells)."""
        return cls(
            measure,
            value.rate,
            value.reference,
            value.rate_by_partner,
            value.rate_by_sector,
            rate_by_cell=dict(value.rate_by_cell),
            added_exempt=dict(value.added_exempt),
            value=value,
        )

    def rate_grid(self, sectors: tuple[str, ...], partners: tuple[str, ...]) -> np.ndarray:
        """(sector, partner) rates: a cell override wins over a sector override, which wins
        over a partner override, which wins over the headline rate."""
        row = [self.rate_by_partner.get(p, self.rate) for p in partners]
        grid: np.ndarray = np.array([row] * len(sectors), dtype=float)
        for i, sector in enumerate(sectors):
            if sector in self.rate_by_sector:
                grid[i, :] = self.rate_by_sector[sector]
        for (partner, sector), rate in self.rate_by_cell.items():
            if partner in partners and sector in sectors:
                grid[sectors.index(sector), partners.index(partner)] = rate
        return grid


@dataclass(frozen=True)
class TariffSchedule:
    """Tariff rates for every sector x partner with their decomposition by measure."""

    sectors: tuple[str, ...]
    partners: tuple[str, ...]
    imports_usd: np.ndarray  # (sector, partner) weights
    mfn_tariff_rate: np.ndarray
    contributions: Mapping[str, np.ndarray]  # measure id -> (sector, partner) added rate
    layers: Mapping[str, str]  # measure id -> layer
    section232_share: np.ndarray  # share of each cell paying a Section 232 duty
    active: tuple[ActiveMeasure, ...] = field(repr=False)

    @property
    def tariff_rate(self) -> np.ndarray:
        """Total ad valorem rate including MFN, (sector, partner)."""
        total = self.mfn_tariff_rate.copy()
        for added in self.contributions.values():
            total += added
        return total

    @property
    def additional_tariff_rate(self) -> np.ndarray:
        return np.asarray(self.tariff_rate - self.mfn_tariff_rate)

    def effective_rates(self) -> pd.DataFrame:
        """Import-weighted rates by partner and for ``all``.

        Columns: effective_tariff_rate (incl. MFN), additional_tariff_rate (excl. MFN),
        imports_usd. Weights are 2024 imports (fixed weights: a Laspeyres-type average).
        """
        weights = self.imports_usd
        total = self.tariff_rate
        rows = {}
        for j, partner in enumerate(self.partners):
            w = weights[:, j]
            rows[partner] = _weighted(total[:, j], self.mfn_tariff_rate[:, j], w)
        rows["all"] = _weighted(total.ravel(), self.mfn_tariff_rate.ravel(), weights.ravel())
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("partner")

    def layer_rates(self, partner: str | None = None) -> pd.Series:
        """Import-weighted contribution of each layer (MFN included), for one partner or all."""
        cols = slice(None) if partner is None else self.partners.index(partner)
        w = self.imports_usd[:, cols]
        out = {MFN: float((self.mfn_tariff_rate[:, cols] * w).sum() / w.sum())}
        for mid, added in self.contributions.items():
            layer = self.layers[mid]
            out[layer] = out.get(layer, 0.0) + float((added[:, cols] * w).sum() / w.sum())
        return pd.Series(out, name="tariff_rate")

    def measure_rates(self, partner: str | None = None) -> pd.Series:
        """Import-weighted contribution of each measure, for one partner or all."""
        cols = slice(None) if partner is None else self.partners.index(partner)
        w = self.imports_usd[:, cols]
        return pd.Series(
            {m: float((a[:, cols] * w).sum() / w.sum()) for m, a in self.contributions.items()},
            name="tariff_rate",
        )

    def sector_frame(self) -> pd.DataFrame:
        """Long table: sector, partner, imports_usd, mfn and total rate, one column per measure."""
        frame = pd.DataFrame(
            {
                "sector": np.repeat(self.sectors, len(self.partners)),
                "partner": np.tile(self.partners, len(self.sectors)),
                "imports_usd": self.imports_usd.ravel(),
                "mfn_tariff_rate": self.mfn_tariff_rate.ravel(),
                "tariff_rate": self.tariff_rate.ravel(),
            }
        )
        for mid, added in self.contributions.items():
            frame[f"rate_{mid}"] = added.ravel()
        return frame


def _weighted(total: np.ndarray, mfn: np.ndarray, w: np.ndarray) -> dict[str, float]:
    imports = float(w.sum())
    if imports == 0:
        return {"effective_tariff_rate": 0.0, "additional_tariff_rate": 0.0, "imports_usd": 0.0}
    eff = float((total * w).sum() / imports)
    return {
        "effective_tariff_rate": eff,
        "additional_tariff_rate": eff - float((mfn * w).sum() / imports),
        "imports_usd": imports,
    }


def active_on(measures: Iterable[Measure], day: dt.date) -> list[ActiveMeasure]:
    """Measures with an in-force value on ``day`` (law as later corrected, e.g. retroactive)."""
    active = []
    for measure in measures:
        if measure.is_mfn:
            continue
        try:
            value = measure.value_on(day)
        except KeyError:
            continue
        active.append(ActiveMeasure.of(measure, value))
    return active


def _coverage(
    am: ActiveMeasure,
    sectors: tuple[str, ...],
    partners: tuple[str, ...],
    excluded: frozenset[tuple[str, str | None]],
    active_ids: frozenset[str],
) -> tuple[np.ndarray, np.ndarray]:
    """(gross, net) share of each cell the measure covers: net = gross x (1 - exempt share).

    Gross coverage is the product scope; for a Section 232 measure it is what takes the goods
    out of the reciprocal-type layers, even where an exemption (e.g. USMCA content) lowers the
    Section 232 duty itself. An exemption whose ``same_goods_as`` measure is active is skipped:
    those goods are already out of scope through that measure. The dated value's own
    exemptions (``added_exempt``) add to the measure's (different goods; capped at 1).
    """
    measure = am.measure
    gross = np.zeros((len(sectors), len(partners)))
    net = np.zeros_like(gross)
    for j, partner in enumerate(partners):
        if partner not in measure.partners or (partner, None) in excluded:
            continue
        for i, sector in enumerate(sectors):
            spec = measure.sectors.get(sector)
            if spec is None or (partner, sector) in excluded:
                continue
            gross[i, j] = spec.for_partner(partner)
            exempt = measure.exempt_sectors.get(sector)
            exempt_share = 0.0
            if exempt is not None and exempt.same_goods_as not in active_ids:
                exempt_share = exempt.for_partner(partner)
            added = am.added_exempt.get(sector)
            if added is not None:
                exempt_share = min(1.0, exempt_share + added.for_partner(partner))
            net[i, j] = gross[i, j] * (1.0 - exempt_share)
    return gross, net


def stack(
    active: Iterable[ActiveMeasure],
    *,
    sectors: tuple[str, ...],
    partners: tuple[str, ...],
    mfn_tariff_rate: np.ndarray,
    imports_usd: np.ndarray,
) -> TariffSchedule:
    """Apply the stacking rules (module docstring) to the measures of one regime."""
    active = list(active)
    # Supersession: a measure in force switches off the ones it supersedes, for its partners.
    off: dict[str, set[str]] = {}
    for am in active:
        for other in am.measure.supersedes:
            off.setdefault(other, set()).update(am.measure.partners)
    coverage = {}
    for am in active:
        excluded = set(am.excluded) | {(p, None) for p in off.get(am.measure.id, ())}
        coverage[am.measure.id] = _coverage(
            am,
            sectors,
            partners,
            frozenset(excluded),
            frozenset(
                {a.measure.id for a in active if a.measure.is_section232}
                | {o for a in active if a.measure.is_section232 for o in a.measure.supersedes}
            ),
        )

    rate_grid = {am.measure.id: am.rate_grid(sectors, partners) for am in active}
    in_scope_232 = np.zeros(mfn_tariff_rate.shape)  # gross product scope of Section 232
    s232 = np.zeros(mfn_tariff_rate.shape)  # share actually paying a Section 232 duty
    contributions: dict[str, np.ndarray] = {}
    for am in active:
        m = am.measure
        if not m.is_section232:
            continue
        gross, net = coverage[m.id]
        in_scope_232 += gross
        s232 += net
        if (in_scope_232 > 1.0 + 1e-9).any():
            i, j = np.argwhere(in_scope_232 > 1.0 + 1e-9)[0]
            raise InputError(
                m.path,
                f"sectors.{sectors[i]}",
                f"Section 232 shares of {sectors[i]} x {partners[j]} summing to at most 1",
                round(float(in_scope_232[i, j]), 4),
            )
        if m.stacking == "section232":
            contributions[m.id] = net * rate_grid[m.id]
        else:
            contributions[m.id] = net * np.maximum(0.0, rate_grid[m.id] - mfn_tariff_rate)
    outside_232 = 1.0 - in_scope_232
    for am in active:
        m = am.measure
        if m.is_section232:
            continue
        net = coverage[m.id][1]
        base = net * (outside_232 if m.applies_to == "non_section232" else 1.0)
        if m.stacking == "floor":
            contributions[m.id] = base * np.maximum(0.0, rate_grid[m.id] - mfn_tariff_rate)
        else:
            contributions[m.id] = base * rate_grid[m.id]
    return TariffSchedule(
        sectors=sectors,
        partners=partners,
        imports_usd=imports_usd,
        mfn_tariff_rate=mfn_tariff_rate,
        contributions=contributions,
        layers={am.measure.id: am.measure.layer for am in active},
        section232_share=s232,
        active=tuple(active),
    )
