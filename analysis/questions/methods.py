"""The exact model against the linearised WITS/SMART formulas, on the same scenario.

SMART sees imports only. Its two elasticities are taken from the exact model at the base
point, so that the two agree to first order (for small tariff changes) partner by partner:

* ``E_m``, the elasticity of total import demand: with :math:`s_M` and :math:`s_d` the
  import and domestic expenditure shares (tariff-inclusive) and :math:`\\varepsilon_d` the US
  supply elasticity, a uniform rise :math:`d` of import prices moves the price index by
  :math:`x = s_M d / (1 - f)` with :math:`f = s_d (\\sigma - \\eta)/(\\varepsilon_d + \\sigma)`,
  so :math:`E_m = \\sigma - (\\sigma - \\eta) s_M / (1 - f)`.
* ``E_s``, SMART's substitution elasticity: the exact model gives
  :math:`\\Delta V_i / V_i = -\\sigma d_i + (\\sigma - E_m)\\, \\bar d` and SMART
  :math:`-(E_m + E_s) d_i + E_s \\bar d`, so :math:`E_s = \\sigma - E_m` (not :math:`\\sigma`).
  Both average :math:`d` with tariff-inclusive spending weights: SMART is given spending
  (:math:`(1+t_0) M`) as its base and its changes are divided by :math:`1+t_0` again.

Export supply is infinitely elastic in SMART as run here (its default). The exact model's
foreign supply is finite (the economy-wide default, set to the 6% foreign share of the 2025
tariffs, and the calibrated sources), so the two differ by a few percent even for small
changes: SMART's change is in import quantities at world prices, the exact model's is in
customs value, which also falls with the exporters' price cuts. The first-order agreement is
tested with infinitely elastic foreign supply on both sides. For
large changes SMART's straight lines miss the curvature of constant-elasticity demand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model.smart import smart_effects
from analysis.questions.simulate import SimulationResult


def implied_smart_elasticities(result: SimulationResult) -> tuple[np.ndarray, np.ndarray]:
    """Per sector, the SMART ``(E_m, E_s)`` implied by the exact model at the base point."""
    market, elasticities = result.market, result.elasticities
    spend = (1 + market.base_tariff_rate) * market.base_value_usd
    total = spend.sum(axis=1)
    imported = spend[:, market.is_foreign].sum(axis=1)
    s_m = np.divide(imported, total, out=np.zeros_like(total), where=total > 0)
    s_d = 1 - s_m
    sigma = elasticities.substitution_elasticity
    eta = elasticities.demand_elasticity
    eps_d = elasticities.supply_elasticity[:, market.domestic_index]
    with np.errstate(divide="ignore", invalid="ignore"):
        feedback = np.where(np.isinf(eps_d), 0.0, s_d * (sigma - eta) / (eps_d + sigma))
    e_m = sigma - (sigma - eta) * s_m / (1 - feedback)
    return e_m, sigma - e_m


def smart_comparison(result: SimulationResult) -> pd.DataFrame:
    """Per partner: change in imports (customs value) by the exact model and by SMART."""
    market = result.market
    foreign = market.is_foreign
    imports = market.base_value_usd[:, foreign]
    base_rate = market.base_tariff_rate[:, foreign]
    e_m, e_s = implied_smart_elasticities(result)
    smart = smart_effects(
        base_import_value_usd=(1 + base_rate) * imports,  # spending weights, as the exact model
        base_tariff_rate=base_rate,
        new_tariff_rate=market.new_tariff_rate[:, foreign],
        import_demand_elasticity=e_m,
        substitution_elasticity=e_s,
    )
    per_value = 1 / (1 + base_rate)  # back from spending to customs value
    exact_change = result.solution.new_value_usd[:, foreign] - imports
    frame = pd.DataFrame(
        {
            "partner": [s for s, f in zip(market.sources, foreign, strict=True) if f],
            "base_imports_usd": imports.sum(axis=0),
            "exact_imports_change_usd": exact_change.sum(axis=0),
            "smart_imports_change_usd": (smart.import_value_change_usd * per_value).sum(axis=0),
            "smart_creation_effect_usd": (smart.creation_effect_usd * per_value).sum(axis=0),
            "smart_diversion_effect_usd": (smart.diversion_effect_usd * per_value).sum(axis=0),
        }
    )
    frame["exact_imports_change"] = frame["exact_imports_change_usd"] / frame["base_imports_usd"]
    frame["smart_imports_change"] = frame["smart_imports_change_usd"] / frame["base_imports_usd"]
    frame["difference_usd"] = frame["smart_imports_change_usd"] - frame["exact_imports_change_usd"]
    return frame
