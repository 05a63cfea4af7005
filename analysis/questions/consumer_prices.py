"""What do the tariffs do to the consumer price level, and what does that cost a household?

The Budget Lab at Yale's definitions (``Budget-Lab-Yale/Tariff-Model`` ``src/io_price_model.R``,
``src/00a_prepare_rate_inputs.R``, ``config/global_assumptions.yaml``), with the model of
:mod:`analysis.model.io_prices` on the BEA 2024 summary tables:

* **before substitution**: every import's price rises by its statutory tariff change, passed
  through in full. A GTAP sector's change is the 2024-import-weighted mean over partners of
  :math:`t_1 - t_0`; a BEA commodity's is the import-weighted mean over the GTAP sectors the
  crosswalk maps to it (the Budget Lab maps HS10 lines to BEA commodities directly);
* **after substitution**: the simulation's own import prices. A sector's change is the change
  of its duty-paid import price per dollar of 2024 customs value,
  :math:`\\sum_p q_p (1+t_{0p}) \\hat p_p / \\sum_p q_p` with the new quantities :math:`q_p` as
  weights (so it equals the statutory change under full pass-through with no change in
  quantities; exporters' price cuts and the shift to lower-tariff sources lower it), and each
  commodity's import share falls with the simulated share of imports in the sector's
  purchases (the Budget Lab scales its import share by GTAP's ratio the same way);
* import shares are measured at producers' value (see :func:`price_system`), where the
  Budget Lab's summary-level path divides producers'-value imports by purchasers'-value use
  (its default, the 2017 detail tables, is at producers' prices throughout);
* both pass through the same Leontief price model, PCE bridge and the Budget Lab's scale
  :math:`1 + 0.5 - 0.174` (competing US makers add half the cost rise; the dollar's
  appreciation offsets 17.4%), with markups fixed in dollars (its default bound);
* the cost per household is the price change times 2024 PCE per US household (BEA total PCE
  over the households of ``params/elasticities.yaml``), in 2024 dollars. The Budget Lab
  instead multiplies by consumption estimated from CBO's after-tax incomes by decile (about
  $135,400 a household in 2025 dollars, its ``resources/distribution/decile_parameters.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.inputs.datasets import read_checked_csv
from analysis.inputs.io_tables import ADJUSTMENT_COMMODITIES, IOAssumptions, IOTables
from analysis.model.armington import MarketSolution
from analysis.model.io_prices import IOPriceSystem, import_coefficients, io_prices, pce_weights
from analysis.questions.us_market import Market


@dataclass(frozen=True)
class ConsumerPriceChange:
    """The consumer price level change (fractions) and its cost per household."""

    consumer_price_level_change: float
    consumer_price_level_change_after_substitution: float
    household_cost_usd: float
    household_cost_after_substitution_usd: float
    cost_push_only_change: float  # before substitution, without the Budget Lab's scale
    direct_change: float  # before substitution: imported goods themselves
    supply_chain_change: float  # before substitution: domestic goods' imported inputs
    consumption_per_household_usd: float
    households: float
    dollar_year: int
    by_commodity: pd.DataFrame = field(repr=False)

    def totals(self) -> dict[str, float]:
        """The four headline figures, units in the names."""
        return {
            "consumer_price_level_change": self.consumer_price_level_change,
            "consumer_price_level_change_after_substitution": (
                self.consumer_price_level_change_after_substitution
            ),
            "household_cost_usd": self.household_cost_usd,
            "household_cost_after_substitution_usd": self.household_cost_after_substitution_usd,
        }


def price_system(tables: IOTables) -> IOPriceSystem:
    """The price model's coefficients from the tables.

    Import shares are imports over domestic absorption at producers' value, clipped to
    [0, 1], none for BEA's adjustment commodities (as the Budget Lab does). BEA's 2024 summary
    use table values commodities at purchasers' prices while the import matrix is at
    producers' (port) value, so absorption is first brought to producers' value by taking out
    the distribution margins on personal consumption (the PCE bridge's transport, wholesale
    and retail); margins on other uses stay in (no table gives them), so shares stay a little
    low. Without this, apparel's import share is 0.31; with it 0.88, near BEA's own imports
    over imports plus US output (0.89).
    """
    margins = tables.pce_purchasers_value_usd - tables.pce_producers_value_usd
    absorbed = tables.absorption_usd - margins
    share = np.divide(
        tables.import_absorption_usd, absorbed, out=np.zeros_like(absorbed), where=absorbed > 0
    )
    share = np.clip(share, 0.0, 1.0)
    share[[c in ADJUSTMENT_COMMODITIES for c in tables.commodities]] = 0.0
    return IOPriceSystem(
        import_coefficients=import_coefficients(tables.import_use_usd, tables.industry_output_usd),
        domestic_requirements=tables.domestic_requirements,
        import_share=share,
        pce_weight=pce_weights(tables.pce_producers_value_usd, tables.total_pce_usd),
    )


def by_commodity(
    tables: IOTables, by_sector: Mapping[str, float], weight_by_sector: Mapping[str, float]
) -> np.ndarray:
    """GTAP-sector values averaged onto BEA commodities with the sectors' weights (2024
    imports); a plain mean where the weights are all zero, 0 where no sector maps."""
    values: dict[str, list[tuple[float, float]]] = {}
    for sector, value in by_sector.items():
        for commodity in tables.sector_commodities[sector]:
            values.setdefault(commodity, []).append((value, weight_by_sector.get(sector, 0.0)))
    out = np.zeros(len(tables.commodities))
    for k, commodity in enumerate(tables.commodities):
        pairs = values.get(commodity)
        if pairs:
            v, w = np.array(pairs).T
            out[k] = float(v @ w / w.sum()) if w.sum() > 0 else float(v.mean())
    return out


def consumer_price_change(
    tables: IOTables,
    assumptions: IOAssumptions,
    *,
    statutory_change_by_sector: Mapping[str, float],
    import_price_change_by_sector: Mapping[str, float],
    imports_by_sector_usd: Mapping[str, float],
    households: float,
    import_share_ratio_by_sector: Mapping[str, float] | None = None,
) -> ConsumerPriceChange:
    """The consumer price level before and after substitution, and per household."""
    system = price_system(tables)
    scale = assumptions.response_scale
    tau_before = by_commodity(tables, statutory_change_by_sector, imports_by_sector_usd)
    tau_after = by_commodity(tables, import_price_change_by_sector, imports_by_sector_usd)
    share_after = system.import_share
    if import_share_ratio_by_sector is not None:
        mapped = np.zeros(len(tables.commodities), dtype=bool)
        for sector in import_share_ratio_by_sector:
            mapped |= np.isin(tables.commodities, tables.sector_commodities[sector])
        ratio = by_commodity(tables, import_share_ratio_by_sector, imports_by_sector_usd)
        share_after = np.clip(
            np.where(mapped, system.import_share * ratio, system.import_share), 0, 1
        )
    before = io_prices(system, tau_before, scale)
    after = io_prices(system, tau_after, scale, import_share=share_after)
    per_household = tables.total_pce_usd / households
    table = pd.DataFrame(
        {
            "commodity": tables.commodities,
            "description": [tables.commodity_descriptions[c] for c in tables.commodities],
            "import_price_change": tau_before,
            "import_price_change_after_substitution": tau_after,
            "price_change": before.use_price_change,
            "price_change_after_substitution": after.use_price_change,
            "pce_weight": system.pce_weight,
        }
    )
    return ConsumerPriceChange(
        consumer_price_level_change=before.consumer_price_level_change,
        consumer_price_level_change_after_substitution=after.consumer_price_level_change,
        household_cost_usd=before.consumer_price_level_change * per_household,
        household_cost_after_substitution_usd=after.consumer_price_level_change * per_household,
        cost_push_only_change=io_prices(system, tau_before).consumer_price_level_change,
        direct_change=before.direct_change,
        supply_chain_change=before.supply_chain_change,
        consumption_per_household_usd=per_household,
        households=households,
        dollar_year=assumptions.consumption_dollar_year,
        by_commodity=table,
    )


def sector_price_changes(market: Market, solution: MarketSolution) -> dict[str, dict[str, float]]:
    """From a solved market, by GTAP sector: the statutory tariff change, the duty-paid import
    price change with new-quantity weights, the change in imports' share of purchases
    (quantities at base prices) and 2024 imports (the weights). See the module docstring."""
    foreign, us = market.is_foreign, market.is_domestic  # US makers by their flag
    value = market.base_value_usd[:, foreign]
    t0, t1 = market.base_tariff_rate[:, foreign], market.new_tariff_rate[:, foreign]
    growth = 1 + solution.quantity_change
    new_foreign = value * growth[:, foreign]
    imports = value.sum(axis=1)
    safe = np.where(imports > 0, imports, 1.0)
    new_imports = new_foreign.sum(axis=1)
    statutory = (value * (t1 - t0)).sum(axis=1) / safe
    paid = (new_foreign * (1 + t0) * solution.buyer_price_change[:, foreign]).sum(axis=1)
    after = np.where(new_imports > 0, paid / np.where(new_imports > 0, new_imports, 1.0), 0.0)
    domestic = market.base_value_usd[:, us].sum(axis=1)
    share0 = imports / (imports + domestic)
    share1 = new_imports / (new_imports + (market.base_value_usd * growth)[:, us].sum(axis=1))
    ratio = np.divide(share1, share0, out=np.ones_like(share0), where=share0 > 0)
    return {
        "statutory": dict(zip(market.sectors, statutory.tolist(), strict=True)),
        "after": dict(zip(market.sectors, after.tolist(), strict=True)),
        "share_ratio": dict(zip(market.sectors, ratio.tolist(), strict=True)),
        "imports_usd": dict(zip(market.sectors, imports.tolist(), strict=True)),
    }


def consumer_prices(
    market: Market,
    solution: MarketSolution,
    households: float,
    tables: IOTables,
    assumptions: IOAssumptions,
) -> ConsumerPriceChange:
    """The consumer price level change of a solved scenario against its baseline
    (``simulate(...).market`` and ``.solution``; ``households`` as in ``params.us_households``)."""
    sectors = sector_price_changes(market, solution)
    return consumer_price_change(
        tables,
        assumptions,
        statutory_change_by_sector=sectors["statutory"],
        import_price_change_by_sector=sectors["after"],
        imports_by_sector_usd=sectors["imports_usd"],
        households=households,
        import_share_ratio_by_sector=sectors["share_ratio"],
    )


def price_change_by_decile(
    by_commodity: pd.DataFrame, bridge: pd.DataFrame, distribution: pd.DataFrame
) -> pd.DataFrame:
    """The consumer price change of each household income decile.

    Each PCE spending bucket's price change is the commodities' price changes weighted by
    their producers' value in the bucket's NIPA lines over the lines' purchasers' value (the
    PCE bridge; margins fixed in dollars, as the aggregate), so the buckets' changes weighted
    by their BEA purchasers' value give the consumer price level change. A decile's change is
    the buckets' changes weighted by the decile's spending on them (BLS distributional PCE:
    each bucket's total times the decile's share of it). ``by_commodity``: the commodity table
    of :class:`ConsumerPriceChange`; ``bridge``: :attr:`IOTables.bridge`; ``distribution``:
    ``distributional_pce_2023.csv``.
    """
    changes = by_commodity.set_index("commodity")
    columns = ("price_change", "price_change_after_substitution")
    rows = bridge.assign(
        **{c: bridge["producers_value_usd"] * bridge["commodity"].map(changes[c]) for c in columns}
    )
    by_line = rows.groupby("nipa_line")[[*columns, "purchasers_value_usd"]].sum()
    buckets = distribution.drop_duplicates("bucket")
    bucket_change = {}
    for bucket, lines in zip(buckets["bucket"], buckets["nipa_lines"], strict=True):
        ids = [int(x) for x in str(lines).split(";")]
        chosen = by_line[by_line.index.isin(ids)]
        if chosen.empty:
            raise ValueError(f"bucket {bucket}: none of its NIPA lines {ids} is in the bridge")
        bucket_change[bucket] = chosen[list(columns)].sum() / chosen["purchasers_value_usd"].sum()
    spend = distribution.assign(
        spending_usd=distribution["bucket_total_usd"] * distribution["decile_share"]
    )
    out = []
    for decile, own in spend.groupby("decile"):
        total = float(own["spending_usd"].sum())
        changed = {
            c: float(
                sum(
                    s * bucket_change[b][c]
                    for b, s in zip(own["bucket"], own["spending_usd"], strict=True)
                )
            )
            / total
            for c in columns
        }
        out.append(
            {
                "decile": int(decile),
                "spending_usd": total,
                "consumer_price_level_change": changed["price_change"],
                "consumer_price_level_change_after_substitution": changed[
                    "price_change_after_substitution"
                ],
            }
        )
    return pd.DataFrame(out)


def deciles_of(consumer: ConsumerPriceChange, tables: IOTables) -> pd.DataFrame:
    """:func:`price_change_by_decile` of a solved scenario's consumer price change, on the
    shipped BLS distributional PCE 2023 (analysis/data/SOURCES.md section 17)."""
    distribution = read_checked_csv("distributional_pce_2023.csv")
    return price_change_by_decile(consumer.by_commodity, tables.bridge, distribution)
