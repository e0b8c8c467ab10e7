"""Scalar run-time helpers for the numba kernels of :mod:`sdmodel.engine.compiler.kernel`.

Each function is the one-run, one-element counterpart of a helper in
:mod:`sdmodel.engine.compiler.functions` (or of the NumPy function the NumPy simulator calls) and
does the same floating-point operations in the same order, so that both backends give the same
bits:
``minimum``/``maximum`` propagate NaN like ``np.minimum``/``np.maximum``, :func:`interp` is NumPy's
``np.interp`` algorithm, :func:`lookup_per_run` the per-run table formula of
:func:`sdmodel.engine.compiler.functions.lookup`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

SMALL_VENSIM = 1e-6  # as in sdmodel.engine.compiler.functions

_jit = njit(cache=False, nogil=True, error_model="numpy")


@_jit
def minimum(a: float, b: float) -> float:
    """``np.minimum`` of two numbers: NaN if either is NaN."""
    return a if (a <= b or a != a) else b


@_jit
def maximum(a: float, b: float) -> float:
    """``np.maximum`` of two numbers: NaN if either is NaN."""
    return a if (a >= b or a != a) else b


@_jit
def land(a: float, b: float) -> bool:
    """``np.logical_and`` (NaN counts as true, like any non-zero number)."""
    return (a != 0) and (b != 0)


@_jit
def lor(a: float, b: float) -> bool:
    """``np.logical_or``."""
    return (a != 0) or (b != 0)


@_jit
def lnot(a: float) -> bool:
    """``np.logical_not``."""
    return a == 0


@_jit
def xidz(num: float, den: float, x: float) -> float:
    """Vensim XIDZ: ``num / den``, or ``x`` when ``|den| < 1e-6``."""
    return x if abs(den) < SMALL_VENSIM else num / den


@_jit
def zidz(num: float, den: float) -> float:
    """Vensim ZIDZ: ``num / den``, or 0 when ``|den| < 1e-6``."""
    return 0.0 if abs(den) < SMALL_VENSIM else num / den


@_jit
def quantum(a: float, b: float) -> float:
    """Vensim QUANTUM: ``b * INTEGER(a / b)``, or ``a`` when ``b < 1e-6``."""
    return a if b < SMALL_VENSIM else b * np.trunc(a / b)


@_jit
def modulo(x: float, m: float) -> float:
    """Vensim MODULO as PySD computes it: ``x - QUANTUM(x, m)``."""
    return x - quantum(x, m)


@_jit
def mod(a: float, b: float) -> float:
    """``np.mod`` of two numbers (the sign of the divisor, as NumPy's ``npy_divmod``)."""
    rest = np.fmod(a, b)
    if b == 0:
        return rest
    if rest != 0:
        if (b < 0) != (rest < 0):
            rest += b
    else:
        rest = math.copysign(0.0, b)
    return rest


@_jit
def step(t: float, half_dt: float, value: float, tstep: float) -> float:
    """Vensim STEP (PySD compares ``t + dt/2 > tstep``)."""
    return value * (1.0 if t + half_dt > tstep else 0.0)


@_jit
def ramp(t: float, slope: float, start: float, finish: float) -> float:
    """Vensim RAMP(slope, start, finish)."""
    return ((1.0 if t + SMALL_VENSIM > start else 0.0) * slope) * (minimum(finish, t) - start)


@_jit
def pulse(t: float, start: float, width: float) -> float:
    """Vensim PULSE(start, width): 1 on ``[start, start + width)``."""
    return 1.0 if (start - SMALL_VENSIM <= t and t < start + width) else 0.0


@_jit
def pulse_train(t: float, start: float, repeat: float, width: float, end: float) -> float:
    """Vensim PULSE TRAIN, as :func:`sdmodel.engine.compiler.functions.pulse_train`."""
    if repeat == 0:
        return 1.0 if (start - SMALL_VENSIM <= t and t < start + width) else 0.0
    active = start <= t and t < end
    return 1.0 if (active and mod(t - start + SMALL_VENSIM, repeat) < width) else 0.0


@_jit
def last_at_or_below(x: float, xs: np.ndarray) -> int:
    """Index of the last ``xs[j] <= x`` (-1 if none): ``searchsorted(xs, x, 'right') - 1``."""
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) >> 1
        if xs[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@_jit
def interp(x: float, xs: np.ndarray, ys: np.ndarray) -> float:
    """``np.interp(x, xs, ys)`` for one number, with NumPy's arithmetic and end values."""
    m = len(xs)
    if m == 1:  # NumPy: the left, right or only value, all ys[0]
        return ys[0]
    if x != x:
        return x
    if x > xs[m - 1]:
        return ys[m - 1]
    if x < xs[0]:
        return ys[0]
    j = last_at_or_below(x, xs)
    if j == m - 1 or xs[j] == x:
        return ys[j]
    slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j])
    y = slope * (x - xs[j]) + ys[j]
    if y != y:
        y = slope * (x - xs[j + 1]) + ys[j + 1]
        if y != y and ys[j] == ys[j + 1]:
            y = ys[j]
    return y


@_jit
def lookup_per_run(x: float, xs: np.ndarray, ys: np.ndarray) -> float:
    """A run's own lookup table (see :func:`sdmodel.engine.compiler.functions.lookup`)."""
    m = len(xs)
    if m == 1:
        return ys[0]
    j = min(max(last_at_or_below(x, xs), 0), m - 2)
    y = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]) * (x - xs[j]) + ys[j]
    if x <= xs[0]:
        y = ys[0]
    if x >= xs[m - 1]:
        y = ys[m - 1]
    return y


@_jit
def lookup(x: float, xs: np.ndarray, ys: np.ndarray, shared: bool) -> float:
    """A lookup table given as an input: one for all runs (``np.interp``) or one per run."""
    return interp(x, xs, ys) if shared else lookup_per_run(x, xs, ys)


