"""The exact model against the linearised WITS/SMART formulas, on the same scenario.

SMART sees imports only, so its import-demand elasticity stands for everything the exact
model does with US producers and the composite demand. We use
``E_m = eta * m + sigma * (1 - m)`` with ``m`` the import share of the sector's US market:
the elasticity of total import demand in the exact model at the base point if US supply were
perfectly elastic and tariffs zero (an approximation: US supply is upward sloping here),
the substitution elasticity ``E_s = sigma``, and infinite export supply (SMART needs one
supply elasticity per market; the calibrated exceptions of the exact model are not used).
For small tariff changes the two agree to first order; for large ones SMART's straight
lines miss the curvature of constant-elasticity demand and overstate the fall in imports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model.smart import smart_effects
from analysis.questions.simulate import SimulationResult


def smart_comparison(result: SimulationResult) -> pd.DataFrame:
    """Per partner: change in imports (customs value) by the exact model and by SMART."""
    market = result.market
    imports = market.base_value_usd[:, :-1]
    total = market.base_value_usd.sum(axis=1)
    import_share = np.divide(imports.sum(axis=1), total, out=np.zeros_like(total), where=total > 0)
    sigma = result.elasticities.substitution_elasticity
    eta = result.elasticities.demand_elasticity
    smart = smart_effects(
        base_import_value_usd=imports,
        base_tariff_rate=market.base_tariff_rate[:, :-1],
        new_tariff_rate=market.new_tariff_rate[:, :-1],
        import_demand_elasticity=eta * import_share + sigma * (1 - import_share),
        substitution_elasticity=sigma,
    )
    exact_change = result.solution.new_value_usd[:, :-1] - imports
    frame = pd.DataFrame(
        {
            "partner": result.data.partners,
            "base_imports_usd": imports.sum(axis=0),
            "exact_imports_change_usd": exact_change.sum(axis=0),
            "smart_imports_change_usd": smart.import_value_change_usd.sum(axis=0),
            "smart_creation_effect_usd": smart.creation_effect_usd.sum(axis=0),
            "smart_diversion_effect_usd": smart.diversion_effect_usd.sum(axis=0),
        }
    )
    frame["exact_imports_change"] = frame["exact_imports_change_usd"] / frame["base_imports_usd"]
    frame["smart_imports_change"] = frame["smart_imports_change_usd"] / frame["base_imports_usd"]
    frame["difference_usd"] = frame["smart_imports_change_usd"] - frame["exact_imports_change_usd"]
    return frame
