"""Array helpers of the model: input checks, read-only views, fast row reductions."""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
_ArrayT = TypeVar("_ArrayT", bound=np.ndarray[Any, Any])


def expenditure_shares(value: FloatArray, base_tariff: FloatArray) -> FloatArray:
    """:math:`s_i = (1+t_{0i})V_i / \\sum_j (1+t_{0j})V_j`; equal notional shares if empty."""
    spend = (1.0 + base_tariff) * value
    total = np.sum(spend, axis=-1, keepdims=True)
    n_sources = spend.shape[-1]
    return np.where(total > 0.0, spend / np.where(total > 0.0, total, 1.0), 1.0 / n_sources)


def materialise(a: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """``a`` as a writeable array of exactly ``shape`` (copied only if it is smaller)."""
    if a.shape == shape:
        return a
    return np.broadcast_to(a, shape).copy()


def row_nan_min_max(a: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Row-wise minimum and maximum of a 2-D array ignoring NaN (NaN if the whole row is NaN).

    Reducing the transposed copy over its first axis runs elementwise over long contiguous rows,
    which is several times faster than ``np.fmin.reduce(axis=1)`` when the last axis is short.
    """
    columns = np.ascontiguousarray(a.T)
    with np.errstate(invalid="ignore"):
        return np.fmin.reduce(columns, axis=0), np.fmax.reduce(columns, axis=0)


def row_dot(a: FloatArray, b: FloatArray) -> FloatArray:
    """:math:`\\sum_i a_i b_i` over the last axis, with broadcasting (einsum is much faster than
    ``(a * b).sum(-1)`` for a short last axis)."""
    return np.asarray(np.einsum("...i,...i->...", a, b), dtype=np.float64)


def source_sum(a: FloatArray) -> FloatArray:
    """:math:`\\sum_i a_i` over the last (source) axis. An array broadcast along leading axes
    (a base-year amount repeated for every Monte Carlo draw) is summed once and broadcast back;
    otherwise by einsum (faster than ``sum(axis=-1)`` over a short last axis, and unlike a BLAS
    product with ones each row's sum does not depend on how many rows are summed at once)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim < 2:
        return np.asarray(np.sum(a, axis=-1))
    repeated = tuple(ax for ax in range(a.ndim - 1) if a.strides[ax] == 0 and a.shape[ax] > 1)
    if repeated:
        once = a[tuple(slice(0, 1) if ax in repeated else slice(None) for ax in range(a.ndim))]
        return np.broadcast_to(source_sum(once), a.shape[:-1])
    return np.asarray(np.einsum("...i->...", a))


def expm1_ratio(z: FloatArray) -> FloatArray:
    """:math:`(e^z - 1)/z`, equal to 1 at :math:`z = 0` (so integrals of powers stay exact)."""
    zero = z == 0.0
    return np.where(zero, 1.0, np.expm1(z) / np.where(zero, 1.0, z))


def float_array(name: str, value: npt.ArrayLike) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name}: expected numbers, found {value!r}") from err


def check(value: FloatArray, name: str, *, finite: bool, lower: float, lower_open: bool) -> None:
    if np.any(np.isnan(value)):
        raise ValueError(f"{name}: expected numbers, found NaN")
    if finite and not np.all(np.isfinite(value)):
        raise ValueError(f"{name}: expected finite numbers, found inf")
    too_low = value <= lower if lower_open else value < lower
    if np.any(too_low):
        bound = f"> {lower:g}" if lower_open else f">= {lower:g}"
        raise ValueError(f"{name}: expected values {bound}, found {float(np.min(value)):g}")


def readonly(a: _ArrayT) -> _ArrayT:
    view = a.view()
    view.flags.writeable = False
    return view
