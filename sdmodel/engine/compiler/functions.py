"""Run-time helpers for the NumPy code that :mod:`sdmodel.engine.compiler.compile` generates.

Every function works on arrays whose last axis is the batch of runs (size ``n`` or 1); leading
axes, if any, are subscript dimensions. Each one reproduces the arithmetic of the matching PySD
function or stateful object (``pysd.py_backend.functions`` and ``statefuls``) operation for
operation, so that batch results equal PySD's to rounding.
"""

from __future__ import annotations

import numpy as np

SMALL_VENSIM = 1e-6  # PySD's threshold for "zero" in XIDZ, ZIDZ, QUANTUM, RAMP and PULSE


def state(value: object, shape: tuple[int, ...], n: int) -> np.ndarray:
    """Return a new float array of shape ``shape + (n,)`` filled by broadcasting ``value``."""
    out = np.empty(shape + (n,))
    out[...] = value
    return out


def stages(value: object, order: int, shape: tuple[int, ...], n: int) -> np.ndarray:
    """Return a new ``(order,) + shape + (n,)`` array for a delay or smooth chain of stages."""
    out = np.empty((order,) + shape + (n,))
    out[...] = value
    return out


def full(value: object, shape: tuple[int, ...]) -> np.ndarray:
    """Broadcast ``value`` to cover the subscript ``shape`` (read-only view, run axis kept)."""
    value = np.asarray(value, dtype=float)
    target = np.broadcast_shapes(value.shape, shape + (1,))
    return np.broadcast_to(value, target)


def lookup(x: object, table: tuple[np.ndarray, np.ndarray]) -> object:
    """Interpolate a lookup table at ``x``, holding the end values outside the x range.

    ``table`` is ``(xs, ys)``; ``ys`` has shape ``(len(xs),)`` (one table for all runs) or
    ``(len(xs), n)`` (one table per run, the run axis last like everywhere else).
    """
    xs, ys = table
    if ys.ndim == 1:
        return np.interp(x, xs, ys)
    x = np.asarray(x, dtype=float)
    if len(xs) == 1:
        return np.broadcast_to(ys[0], np.broadcast_shapes(x.shape, ys[0].shape)).copy()
    x = np.broadcast_to(x, np.broadcast_shapes(x.shape, ys.shape[1:]))
    j = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    runs = np.arange(ys.shape[1])
    y0, y1 = ys[j, runs], ys[j + 1, runs]
    x0, x1 = xs[j], xs[j + 1]
    y = (y1 - y0) / (x1 - x0) * (x - x0) + y0  # np.interp's formula
    y = np.where(x <= xs[0], ys[0], y)
    return np.where(x >= xs[-1], ys[-1], y)


def step(t: float, half_dt: float, value: object, tstep: object) -> object:
    """Vensim STEP: ``value`` from ``tstep`` on (PySD compares ``t + dt/2 > tstep``)."""
    return value * (t + half_dt > tstep)


def ramp(t: float, slope: object, start: object, finish: object) -> object:
    """Vensim RAMP(slope, start, finish)."""
    return (t + SMALL_VENSIM > start) * slope * (np.minimum(finish, t) - start)


def pulse(t: float, start: object, width: object) -> object:
    """Vensim PULSE(start, width): 1 on ``[start, start + width)``."""
    return np.logical_and(start - SMALL_VENSIM <= t, t < start + width) * 1.0


def pulse_train(t: float, start: object, repeat: object, width: object, end: object) -> object:
    """Vensim PULSE TRAIN(start, width, repeat time, end), as PySD's ``pulse``."""
    single = np.logical_and(start - SMALL_VENSIM <= t, t < start + width)
    active = np.logical_and(start <= t, t < end)
    safe = np.where(repeat == 0, 1.0, repeat)
    train = np.logical_and(active, np.mod(t - start + SMALL_VENSIM, safe) < width)
    return np.where(repeat == 0, single, train) * 1.0


def xidz(num: object, den: object, x: object) -> object:
    """Vensim XIDZ: ``num / den``, or ``x`` when ``|den| < 1e-6``."""
    return np.where(np.abs(den) < SMALL_VENSIM, x, num / den)


def zidz(num: object, den: object) -> object:
    """Vensim ZIDZ: ``num / den``, or 0 when ``|den| < 1e-6``."""
    return np.where(np.abs(den) < SMALL_VENSIM, 0.0, num / den)


def quantum(a: object, b: object) -> object:
    """Vensim QUANTUM: ``b * INTEGER(a / b)``, or ``a`` when ``b < 1e-6``."""
    return np.where(b < SMALL_VENSIM, a, b * np.trunc(a / b))


def modulo(x: object, m: object) -> object:
    """Vensim MODULO as PySD computes it: ``x - QUANTUM(x, m)``."""
    return x - quantum(x, m)


def delay_order(order: int, dt: float, delay_time: object, ndims: int) -> object:
    """Return the order each run uses: PySD lowers it while ``order * dt > min(delay time)``.

    Returns ``None`` when every run keeps ``order`` (the fast path), else an int array over the
    runs. Runs whose order would drop to 0 (PySD fails on them) keep order 1.
    """
    d = np.asarray(delay_time, dtype=float)
    if d.ndim > ndims:  # per-run values: the minimum over the subscript axes
        d = d.reshape(-1, d.shape[-1]).min(axis=0) if d.ndim > 1 else d
    else:
        d = np.asarray(d.min())
    k = np.full(d.shape, order)
    for _ in range(order):
        k = np.where(k * dt > d, k - 1, k)
    if np.all(k == order):
        return None
    return np.maximum(k, 1)


def delay_output(stages_: np.ndarray, k: object) -> np.ndarray:
    """Return the last stage, or per run the stage ``k - 1`` when orders differ."""
    if k is None:
        return stages_[-1]
    runs = np.arange(stages_.shape[-1])
    moved = np.moveaxis(stages_, 0, -2)  # (..., order, n)
    return moved[..., k - 1, runs]


def delay_ddt(stages_: np.ndarray, inp: object, delay_time: object, k: object,
              order: int) -> np.ndarray:
    """Derivative of a DELAY1/DELAY3 chain (PySD ``Delay.ddt``)."""
    outflows = stages_ / delay_time
    return (_shift_in(outflows, inp) - outflows) * (order if k is None else k)


def _shift_in(stages_: np.ndarray, first: object) -> np.ndarray:
    """``np.roll(stages_, 1, axis=0)`` with ``first`` in place of the wrapped-around stage."""
    out = np.empty(np.broadcast_shapes(stages_.shape, np.shape(first)))
    out[0] = first
    out[1:] = stages_[:-1]
    return out


def delayn_ddt(stages_: np.ndarray, times: np.ndarray, inp: object, delay_time: object,
               k: object, order: int) -> np.ndarray:
    """Derivative of a DELAY N chain (PySD ``DelayN.ddt``); shifts ``times`` in place."""
    times[1:] = times[:-1].copy()
    times[0] = delay_time
    outflows = stages_ / times
    return (_shift_in(outflows, inp) - outflows) * (order if k is None else k)


def smooth_ddt(stages_: np.ndarray, inp: object, smooth_time: object, order: int) -> np.ndarray:
    """Derivative of a SMOOTH chain (PySD ``Smooth.ddt``)."""
    return (_shift_in(stages_, inp) - stages_) * order / smooth_time


def fixed_delay_order(dt: float, delay_time: object) -> object:
    """Return the pipeline length of DELAY FIXED (PySD ``DelayFixed.initialize``).

    ``round(max(delay / dt, 1) + SMALL_VENSIM)``: an int when every run has the same delay time
    (the fast path), else an int array over the runs.
    """
    d = np.asarray(delay_time, dtype=float)
    k = np.floor(np.maximum(d / dt, 1.0) + SMALL_VENSIM + 0.5).astype(int)
    if k.ndim and np.all(k == k.flat[0]):
        return int(k.flat[0])
    return int(k) if k.ndim == 0 else k


def fixed_delay_pipe(value: np.ndarray, k: object) -> np.ndarray:
    """Return the pipeline of a DELAY FIXED, every slot holding the initial ``value``."""
    size = int(np.max(k))
    return np.repeat(np.asarray(value, dtype=float)[None], size, axis=0)


def fixed_delay_step(pipe: np.ndarray, k: object, i: int, inp: object) -> np.ndarray:
    """Store the input of update ``i`` and return the new output (PySD ``DelayFixed.update``).

    The slot written at update ``i`` is ``i % k`` and the output is the slot ``(i + 1) % k``,
    the input of ``k`` updates ago (or the initial value). With per-run ``k`` the slots differ
    by run (the run axis is last).
    """
    value = np.broadcast_to(np.asarray(inp, dtype=float), pipe.shape[1:])
    if isinstance(k, int):
        pipe[i % k] = value
        return pipe[(i + 1) % k].copy()
    runs = np.arange(pipe.shape[-1])
    moved = np.moveaxis(pipe, 0, -2)  # (..., slots, n): a view, writes go to ``pipe``
    moved[..., i % k, runs] = value
    return moved[..., (i + 1) % k, runs].copy()
