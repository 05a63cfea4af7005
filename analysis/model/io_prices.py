r"""The consumer price level through input-output: a Leontief price model with imported inputs.

Notation (C commodities, I industries, one year's flows in dollars):

* :math:`\tau_c` the change in the price of imports of commodity c (a fraction; with full
  pass-through of a tariff, its change in the import-weighted tariff rate);
* :math:`B^M_{ci} = M_{ci} / X_i` the imported intermediate input coefficients: imports of c
  used by industry i per dollar of its output :math:`X_i` (so markups are constant in dollars:
  a cost rise passes into the price one for one, not in proportion);
* :math:`L^D_{ic}` the domestic total requirements (BEA's industry-by-commodity Leontief
  inverse): output of industry i needed, directly and through every round of domestic inputs,
  per dollar of final demand for commodity c;
* :math:`\omega_c` the import share of the domestic absorption of c;
* :math:`w_c` the PCE weight of c: its producers' value in personal consumption over total PCE
  at purchasers' value (the distribution margins stay fixed in dollars).

The model (Barbiero and Stein 2025, as the Budget Lab at Yale implements it):

.. math::

    z &= B^{M\top} \tau  && \text{(each industry's cost rise from imported inputs)} \\
    p^D &= L^{D\top} z  && \text{(price of each commodity's domestic output)} \\
    p_c &= s\,[\omega_c \tau_c + (1 - \omega_c)\, p^D_c]  && \text{(the commodity as used)} \\
    \Pi &= \textstyle\sum_c w_c\, p_c  && \text{(the consumer price level)}

:math:`p^D` solves the Leontief price equations :math:`p^D = B^{D\top} p^D + z` (each domestic
price rises by its imported input costs and by the rise of its domestic inputs' prices), and
:math:`s` is a scale for responses outside the input-output accounts (the Budget Lab's
:math:`1 + \text{domestic pricing} - \text{dollar offset}`; 1 is the pure cost push).
Quantities are held fixed: no substitution between sources, inputs or goods.

Pure numpy; imports nothing else from the package.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IOPriceSystem:
    """The fixed coefficients of the price model (arrays over commodities and industries)."""

    import_coefficients: np.ndarray  # (C, I) B^M: imported input c per dollar of output of i
    domestic_requirements: np.ndarray  # (I, C) L^D: industry i output per dollar of c
    import_share: np.ndarray  # (C,) omega: imports' share of the domestic absorption of c
    pce_weight: np.ndarray  # (C,) w: producers' value in PCE over total PCE (purchasers')

    def __post_init__(self) -> None:
        c, i = np.shape(self.import_coefficients)
        if np.shape(self.domestic_requirements) != (i, c):
            raise ValueError(
                f"domestic requirements must be {(i, c)} (industry x commodity), "
                f"got {np.shape(self.domestic_requirements)}"
            )
        for name in ("import_share", "pce_weight"):
            if np.shape(getattr(self, name)) != (c,):
                raise ValueError(f"{name} must have one entry per commodity ({c})")
        share = np.asarray(self.import_share)
        if (share < 0).any() or (share > 1).any():
            raise ValueError("import shares must lie in [0, 1]")


@dataclass(frozen=True)
class IOPrices:
    """Price changes (fractions) from one vector of import price changes."""

    industry_cost_change: np.ndarray  # (I,) z: direct cost rise from imported inputs
    domestic_price_change: np.ndarray  # (C,) p^D: domestic output, all rounds
    use_price_change: np.ndarray  # (C,) p: the commodity as used (imports and domestic)
    consumer_price_level_change: float  # Pi
    direct_change: float  # the part of Pi from imported goods themselves (omega tau)
    supply_chain_change: float  # the part from domestic goods' imported inputs


def import_coefficients(import_use_usd: np.ndarray, industry_output_usd: np.ndarray) -> np.ndarray:
    """:math:`B^M_{ci} = M_{ci} / X_i`; an industry with no output gets zero coefficients."""
    output = np.asarray(industry_output_usd, dtype=float)
    safe = np.where(output > 0, output, 1.0)
    return np.where(output > 0, np.asarray(import_use_usd, dtype=float) / safe, 0.0)


def pce_weights(producers_value_usd: np.ndarray, total_pce_usd: float) -> np.ndarray:
    """PCE weights with margins fixed in dollars: producers' value over total PCE."""
    if total_pce_usd <= 0:
        raise ValueError("total PCE must be positive")
    return np.asarray(producers_value_usd, dtype=float) / total_pce_usd


def io_prices(
    system: IOPriceSystem,
    import_price_change: np.ndarray,
    response_scale: float = 1.0,
    import_share: np.ndarray | None = None,
) -> IOPrices:
    """Solve the price model for ``import_price_change`` (tau, one entry per commodity).

    ``import_share`` overrides the system's omega (e.g. after buyers substitute away from
    imports); ``response_scale`` is s in the module docstring.
    """
    tau = np.asarray(import_price_change, dtype=float)
    if tau.shape != system.import_share.shape:
        raise ValueError(f"one import price change per commodity ({system.import_share.size})")
    omega = system.import_share if import_share is None else np.asarray(import_share, float)
    if omega.shape != tau.shape or (omega < 0).any() or (omega > 1).any():
        raise ValueError("import shares must be one per commodity, in [0, 1]")
    cost = system.import_coefficients.T @ tau
    domestic = system.domestic_requirements.T @ cost
    direct = response_scale * omega * tau
    chain = response_scale * (1 - omega) * domestic
    weight = system.pce_weight
    return IOPrices(
        industry_cost_change=cost,
        domestic_price_change=domestic,
        use_price_change=direct + chain,
        consumer_price_level_change=float(weight @ (direct + chain)),
        direct_change=float(weight @ direct),
        supply_chain_change=float(weight @ chain),
    )
