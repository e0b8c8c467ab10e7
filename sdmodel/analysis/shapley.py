"""Exact Shapley values, and each player alone and left out, from the values of every coalition.

A game of ``k`` players is given by its values ``v`` over all ``2**k`` coalitions: coalition
``S`` sits at index ``sum(2**i for i in S)`` (bit ``i`` set: player ``i`` is in), so ``v[0]`` is
the reference (nobody) and ``v[-1]`` the whole scenario (everybody). Trailing axes are carried
along (one value per future, per KPI).

- Shapley value of ``i``: the average over every order of adding the players of what ``i``
  adds when it joins, ``sum_S |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S))`` over the ``S``
  without ``i``; the values add up to ``v[-1] - v[0]`` exactly (efficiency);
- alone: ``v({i}) - v({})``, what ``i`` adds to the reference;
- without: ``v(all) - v(all - i)``, what is lost when ``i`` is left out of the scenario.

For a player that interacts with no other, all three are equal. The difference between the
total and the sum of the ``alone`` values is the interaction of the measures.
"""

from __future__ import annotations

from math import factorial

import numpy as np

from sdmodel.errors import AsielketenError

MAX_PLAYERS = 12
"""Most players decomposed exactly (2**12 = 4,096 runs)."""


def coalition_sizes(k: int) -> np.ndarray:
    """Number of players in each coalition, by index (shape ``(2**k,)``)."""
    index = np.arange(2 ** k)
    return np.array([bin(i).count("1") for i in index])


def members(k: int) -> np.ndarray:
    """``members(k)[i, S]``: player ``i`` is in coalition ``S`` (shape ``(k, 2**k)``)."""
    return (np.arange(2 ** k)[None, :] >> np.arange(k)[:, None]) & 1 == 1


def shapley_matrix(k: int) -> np.ndarray:
    """The weights ``W`` with Shapley values ``W @ v`` (shape ``(k, 2**k)``).

    Raises
    ------
    AsielketenError
        If ``k`` is below 1 or above :data:`MAX_PLAYERS`.
    """
    if not 1 <= k <= MAX_PLAYERS:
        raise AsielketenError(f"{k} players: the exact decomposition takes 1 to {MAX_PLAYERS}")
    size = coalition_sizes(k)
    inside = members(k)
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    out = np.zeros((k, 2 ** k))
    for i in range(k):
        joined = inside[i]
        out[i, joined] = weight[size[joined] - 1]  # v(S + i): S has |S + i| - 1 players
        out[i, ~joined] = -weight[size[~joined]]    # - v(S)
    return out


def shapley(values: np.ndarray) -> np.ndarray:
    """Shapley values of every player: shape ``(k, ...)`` for values ``(2**k, ...)``."""
    values = np.asarray(values, dtype=float)
    k = _players(values)
    return np.tensordot(shapley_matrix(k), values, axes=1)


def alone(values: np.ndarray) -> np.ndarray:
    """``v({i}) - v({})`` for every player ``i``: shape ``(k, ...)``."""
    values = np.asarray(values, dtype=float)
    k = _players(values)
    return values[2 ** np.arange(k)] - values[0]


def without(values: np.ndarray) -> np.ndarray:
    """``v(all) - v(all - i)`` for every player ``i``: shape ``(k, ...)``."""
    values = np.asarray(values, dtype=float)
    k = _players(values)
    return values[-1] - values[(2 ** k - 1) ^ (2 ** np.arange(k))]


def _players(values: np.ndarray) -> int:
    count = values.shape[0]
    k = count.bit_length() - 1
    if count < 2 or 2 ** k != count:
        raise AsielketenError(f"{count} coalition values: a game of k players has 2**k")
    return k
