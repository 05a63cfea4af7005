"""Trade creation and diversion: one rule for the exact model and for SMART."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analysis.model.arrays import FloatArray


def trade_creation_and_diversion(
    *,
    value_change_usd: npt.ArrayLike,
    base_value_usd: npt.ArrayLike,
    is_foreign: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Split import changes into creation (market total) and diversion (between sources).

    .. math::

        \\mathrm{creation} = \\sum_{i\\,\\mathrm{foreign}} \\Delta V_i, \\qquad
        \\mathrm{diversion}_i = \\Delta V_i - m_i \\, \\mathrm{creation}, \\quad
        m_i = V_i \\Big/ \\sum_{j\\,\\mathrm{foreign}} V_j

    Diversion is what a source gains or loses beyond its base share of the change in total
    imports, so it sums to zero over foreign sources; it is 0 for the domestic source. The same
    rule is used for the exact model and for SMART (:mod:`analysis.model.smart`), so the two are
    comparable. A market with no base imports has zero shares, so its diversion equals
    :math:`\\Delta V_i` (which is 0 there).

    Parameters
    ----------
    value_change_usd, base_value_usd
        ``(..., m, i)``.
    is_foreign
        Boolean mask broadcastable to ``(..., m, i)`` (usually ``(n_sources,)``).

    Returns
    -------
    creation_usd, diversion_usd
        Shapes ``(..., m)`` and ``(..., m, i)``.
    """
    dv = np.asarray(value_change_usd, dtype=np.float64)
    v = np.asarray(base_value_usd, dtype=np.float64)
    foreign = np.asarray(is_foreign, dtype=bool)
    v_foreign = np.where(foreign, v, 0.0)
    if foreign.ndim == 1:
        # A matrix product with the 0/1 mask is a fast masked sum over the short last axis.
        mask = foreign.astype(np.float64)
        creation = dv @ mask
        dv_foreign = dv * mask
    else:
        dv_foreign = np.where(foreign, dv, 0.0)
        creation = np.sum(dv_foreign, axis=-1)
    total = np.sum(v_foreign, axis=-1, keepdims=True)
    import_share = np.divide(v_foreign, total, out=np.zeros_like(v_foreign), where=total > 0.0)
    shift = import_share * creation[..., None]
    if shift.shape == dv_foreign.shape:
        dv_foreign -= shift  # in place: saves one array of the full size
        diversion = dv_foreign
    else:
        diversion = dv_foreign - shift
    return np.asarray(creation, dtype=np.float64), np.asarray(diversion, dtype=np.float64)
