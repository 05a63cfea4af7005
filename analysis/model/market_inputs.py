"""The inputs of :func:`analysis.model.armington.solve_market`, checked and broadcast."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.model.arrays import BoolArray, FloatArray, check, float_array


@dataclass(frozen=True)
class MarketInputs:
    """Checked inputs of :func:`solve_market` and their common shapes."""

    value: FloatArray
    t0: FloatArray
    t1: FloatArray
    sig: FloatArray
    et: FloatArray
    eps: FloatArray
    cap: FloatArray | None
    shape: tuple[int, ...]
    is_domestic: BoolArray

    @property
    def market_shape(self) -> tuple[int, ...]:
        return self.shape[:-1]

    @property
    def n_rows(self) -> int:
        return int(np.prod(self.market_shape, dtype=np.int64))

    def rows_of(self, a: FloatArray) -> FloatArray:
        """``a`` as the ``(rows, sources)`` array the scalar solver works on."""
        return np.broadcast_to(a, self.shape).reshape(self.n_rows, self.shape[-1])


def validated_inputs(
    base_value_usd: npt.ArrayLike,
    base_tariff_rate: npt.ArrayLike,
    new_tariff_rate: npt.ArrayLike,
    sigma: npt.ArrayLike,
    eta: npt.ArrayLike,
    supply_elasticity: npt.ArrayLike,
    quantity_cap: npt.ArrayLike | None,
    domestic_index: int | None,
) -> MarketInputs:
    """Inputs as float arrays, range-checked, with their broadcast shape (ValueError if bad)."""
    value = float_array("base_value_usd", base_value_usd)
    t0 = float_array("base_tariff_rate", base_tariff_rate)
    t1 = float_array("new_tariff_rate", new_tariff_rate)
    sig = float_array("sigma", sigma)
    et = float_array("eta", eta)
    eps = float_array("supply_elasticity", supply_elasticity)
    check(value, "base_value_usd", finite=True, lower=0.0, lower_open=False)
    check(t0, "base_tariff_rate", finite=True, lower=-1.0, lower_open=True)
    check(t1, "new_tariff_rate", finite=True, lower=-1.0, lower_open=True)
    check(sig, "sigma", finite=True, lower=0.0, lower_open=True)
    check(et, "eta", finite=True, lower=0.0, lower_open=False)
    check(eps, "supply_elasticity", finite=False, lower=0.0, lower_open=False)
    cap = _caps(quantity_cap)
    per_source = [value, t0, t1, eps] + ([] if cap is None else [cap])
    try:
        shape = np.broadcast_shapes(*(a.shape for a in per_source), (*sig.shape, 1), (*et.shape, 1))
    except ValueError as err:
        raise ValueError(
            "inputs do not broadcast: per-source arrays are (..., n_markets, n_sources), sigma "
            f"and eta are (..., n_markets); found {[a.shape for a in per_source]}, sigma "
            f"{sig.shape}, eta {et.shape}"
        ) from err
    if max(a.ndim for a in per_source) == 0:
        raise ValueError("base_value_usd: expected at least one source (a last axis)")
    is_domestic = _domestic_mask(domestic_index, shape, t0, t1, cap)
    return MarketInputs(value, t0, t1, sig, et, eps, cap, shape, is_domestic)


def _caps(quantity_cap: npt.ArrayLike | None) -> FloatArray | None:
    """Quantity caps with ``inf`` read as no cap (NaN); None when no cap is set at all."""
    if quantity_cap is None:
        return None
    cap = float_array("quantity_cap", quantity_cap)
    if np.any(cap[~np.isnan(cap)] <= 0.0):
        raise ValueError("quantity_cap: expected > 0 or NaN (no cap); found a value <= 0")
    cap = np.where(np.isinf(cap), np.nan, cap)
    return None if np.all(np.isnan(cap)) else cap


def _domestic_mask(
    domestic_index: int | None,
    shape: tuple[int, ...],
    t0: FloatArray,
    t1: FloatArray,
    cap: FloatArray | None,
) -> BoolArray:
    """The domestic source as a mask; it pays no tariff and takes no cap."""
    n_sources = shape[-1]
    is_domestic = np.zeros(n_sources, dtype=bool)
    if domestic_index is None:
        return is_domestic
    if not -n_sources <= domestic_index < n_sources:
        raise ValueError(
            f"domestic_index: expected an index into {n_sources} sources, found {domestic_index}"
        )
    is_domestic[domestic_index] = True
    for rate in (t0, t1):
        if np.any(np.broadcast_to(rate, shape)[..., is_domestic] != 0.0):
            raise ValueError("base/new_tariff_rate: the domestic source must have a zero tariff")
    if cap is not None and np.any(~np.isnan(np.broadcast_to(cap, shape)[..., is_domestic])):
        raise ValueError("quantity_cap: a cap applies to imports, not the domestic source")
    return is_domestic
