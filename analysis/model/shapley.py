r"""Exact Shapley attribution of an outcome to a few "players" (for example tariff layers).

When several tariff layers (MFN, Section 232, reciprocal, fentanyl...) stack on the same goods,
the effect of each layer depends on which others are already in place, because the model is
non-linear. The Shapley value assigns each layer its marginal effect averaged over every order in
which the layers could have been added:

.. math::

    \phi_i = \sum_{S \subseteq N \setminus \{i\}}
        \frac{|S|!\,(n - |S| - 1)!}{n!}\,\big[v(S \cup \{i\}) - v(S)\big]

It is the only attribution that is efficient (:math:`\sum_i \phi_i = v(N) - v(\varnothing)`),
symmetric, additive, and gives zero to a player that never changes the outcome (Shapley, 1953,
"A value for n-person games", *Contributions to the Theory of Games* II).

The value function is called once for each of the :math:`2^n` coalitions (cached), so this is
meant for small games: at most :data:`MAX_PLAYERS` players.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

GameValue: TypeAlias = float | npt.NDArray[np.float64]

#: 2^16 = 65,536 evaluations of the value function; beyond this use a sampling method.
MAX_PLAYERS = 16


def shapley_values(
    players: Sequence[str], value: Callable[[frozenset[str]], GameValue]
) -> dict[str, GameValue]:
    """Exact Shapley values of ``players`` in the game ``value``.

    .. math::

        \\phi_i = \\sum_{S \\subseteq N \\setminus \\{i\\}}
            \\frac{|S|!\\,(n-|S|-1)!}{n!}\\,[v(S \\cup \\{i\\}) - v(S)],
        \\qquad \\sum_i \\phi_i = v(N) - v(\\varnothing)

    Parameters
    ----------
    players
        Distinct names, at most :data:`MAX_PLAYERS` of them.
    value
        :math:`v(S)` for a coalition ``S`` (a frozenset of player names): a float or an array
        (for example one number per market or per Monte Carlo draw). Arrays must have the same
        shape for every coalition. Each coalition is evaluated exactly once.

    Returns
    -------
    dict
        Player name to :math:`\\phi_i`, in the order of ``players``; a float if ``value``
        returns scalars, else an array of the same shape as ``value``'s.

    Raises
    ------
    ValueError
        Duplicate names, too many players, or values of differing shapes.
    """
    names = list(players)
    n = len(names)
    if len(set(names)) != n:
        raise ValueError(f"players: expected distinct names, found {names}")
    if n > MAX_PLAYERS:
        raise ValueError(
            f"players: exact Shapley values need 2^n evaluations; expected at most "
            f"{MAX_PLAYERS} players, found {n}"
        )
    if n == 0:
        return {}

    # Coalitions are bit masks; evaluate each once, in order of the mask.
    values: list[npt.NDArray[np.float64]] = []
    shape: tuple[int, ...] | None = None
    for mask in range(1 << n):
        coalition = frozenset(names[j] for j in range(n) if mask >> j & 1)
        result = np.asarray(value(coalition), dtype=np.float64)
        if shape is None:
            shape = result.shape
        elif result.shape != shape:
            raise ValueError(
                f"value: expected the same shape for every coalition, found {shape} for the "
                f"empty coalition and {result.shape} for {sorted(coalition)}"
            )
        values.append(result)

    # The weight of a coalition of size s that excludes player i: s!(n - s - 1)!/n!.
    weight = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    out: dict[str, GameValue] = {}
    for i, name in enumerate(names):
        bit = 1 << i
        total = np.zeros(shape if shape is not None else (), dtype=np.float64)
        for mask in range(1 << n):
            if mask & bit:
                continue
            total = total + weight[mask.bit_count()] * (values[mask | bit] - values[mask])
        out[name] = float(total) if total.ndim == 0 else total
    return out
