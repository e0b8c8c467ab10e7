"""Run a batch on the numba kernel; return what the NumPy simulator returns, in its layout.

The NumPy simulator's ``_simulate`` returns ``{"out": ..., "acc": ..., "const": ...}`` with
arrays shaped ``(saved times,) + subscripts + (runs,)``; so does :func:`simulate`. The kernel
writes one run-major array ``(runs, columns, saved times)`` (each run's results contiguous); the
arrays returned are views of it with the NumPy layout's shape, so nothing is copied.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from sdmodel.engine.compiler.kernel import compiled_now
from sdmodel.engine.compiler.runtime import Inputs

PARALLEL_FROM = 32  # runs per chunk from which the runs are shared among the threads
_PARALLEL = threading.Lock()
"""One parallel kernel at a time per process: numba's default threading layer (workqueue)
aborts the process when two threads launch parallel regions at once (threads of a Dask worker,
or of the caller)."""


def _report_compiled(module: ModuleType, seconds: float, source: str) -> None:
    """Print one line to stderr for each kernel compiled (not loaded from the cache) by this
    process: the serial and the parallel driver are compiled when first used."""
    new = compiled_now(module) - getattr(module, "REPORTED", set())
    if new:
        module.REPORTED = getattr(module, "REPORTED", set()) | new
        print(f"numba: compiled {source} ({Path(module.__file__).name}: {', '.join(sorted(new))}"
              f") in {seconds:.1f} s; cached for later runs", file=sys.stderr)


def available() -> bool:
    """Whether numba can be imported."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _run_major(value: np.ndarray, runs: int) -> np.ndarray:
    """A time series input ``(T, R)`` as a C-contiguous ``(R, T)`` array: a view when it is
    stored run by run (Fortran order), else a copy."""
    return np.ascontiguousarray(np.asarray(value, dtype=float).reshape(value.shape[0], runs).T)


def _series_args(module: ModuleType, S: dict, shapes: Callable[[str], tuple]) -> list:
    args = []
    for ident in module.SERIES:
        value = np.asarray(S[ident], dtype=float)
        shape = shapes(ident)
        if not shape:
            args.append(_run_major(value, value.shape[-1]))
            continue
        for idx in np.ndindex(*shape):
            args.append(_run_major(value[(slice(None), *idx)], value.shape[-1]))
    return args


def _lookup_args(module: ModuleType, L: dict) -> list:
    args = []
    for ident in module.LOOKUPS:
        xs, ys = L[ident]
        ys = np.asarray(ys, dtype=float)
        shared = ys.ndim == 1
        rows = ys[None, :] if shared else ys.T
        args += [np.ascontiguousarray(xs, dtype=float), np.ascontiguousarray(rows), shared]
    return args


def _view(buffer: np.ndarray, first: int, shape: tuple[int, ...]) -> np.ndarray:
    """Columns ``first...`` of ``(runs, columns, saved)`` as ``(saved,) + shape + (runs,)``."""
    size = int(np.prod(shape, dtype=int))
    part = buffer[:, first:first + size, :].reshape((buffer.shape[0],) + shape
                                                    + (buffer.shape[2],))
    ndim = part.ndim
    return part.transpose((ndim - 1, *range(1, ndim - 1), 0))


def simulate(module: ModuleType, inputs: Inputs, ctl: dict, times: np.ndarray,
             save_pos: np.ndarray, n: int, chunk: int, *, shapes: Callable[[str], tuple],
             part: Callable[[Inputs, int, int], dict], source: str,
             threads: int | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Simulate ``n`` runs with a kernel module of :mod:`sdmodel.engine.compiler.kernel`.

    Parameters
    ----------
    module
        From :func:`sdmodel.engine.compiler.kernel.numba_module`.
    inputs, ctl, times, save_pos, n
        As the NumPy simulator gets them (see :class:`sdmodel.engine.batch.BatchModel`).
    chunk
        Runs initialised per pass (bounds the memory of the NumPy initialisation).
    shapes
        Identifier -> subscript shape.
    part
        ``(inputs, lo, hi) -> {"P": ..., "S": ..., "L": ...}``: the inputs of runs ``lo:hi``.
    source
        The model, named in the one line printed when a kernel is compiled.
    threads
        Threads for the runs (default: numba's, all cores).
    """
    import numba

    n_saved = int((save_pos >= 0).sum())
    out_buf = np.empty((n, module.OUT_COLUMNS["<end>"], n_saved))
    acc_buf = np.empty((n, module.ACC_COLUMNS["<end>"], n_saved))
    consts = {x: np.empty(shapes(x) + (n,)) for x in module.CAPTURE_CONST}
    grid = np.ascontiguousarray(times, dtype=np.float64)
    positions = np.ascontiguousarray(save_pos, dtype=np.int64)
    control = [float(ctl[k]) for k in ("initial_time", "final_time", "time_step", "saveper")]
    started = time.perf_counter()
    hoisted = module.hoisted(grid, *control)
    np_ctl = {k: np.float64(v) for k, v in ctl.items()}  # as the NumPy simulator gets them
    np_times = list(grid.astype(np.float64))
    previous = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(max(1, min(int(threads), numba.config.NUMBA_NUM_THREADS)))
    try:
        for lo in range(0, n, chunk):
            hi = min(lo + chunk, n)
            given = part(inputs, lo, hi)
            *packed, const_out = module.prepare(given["P"], given["S"], given["L"], np_ctl,
                                                np_times, hi - lo)  # C, X, KD, B, BO, KF
            args = (*packed, grid, positions, len(grid) - 1, *control, hoisted,
                    *_series_args(module, given["S"], shapes),
                    *_lookup_args(module, given["L"]), out_buf[lo:hi], acc_buf[lo:hi])
            if hi - lo < PARALLEL_FROM or threads == 1:
                module.simulate_serial(*args)
            else:
                with _PARALLEL:
                    module.simulate(*args)
            for x, value in const_out.items():
                consts[x][..., lo:hi] = value
    finally:
        numba.set_num_threads(previous)
    _report_compiled(module, time.perf_counter() - started, source)
    out = {x: _view(out_buf, module.OUT_COLUMNS[x], shapes(x)) for x in module.CAPTURE_DYNAMIC}
    acc = {x: _view(acc_buf, module.ACC_COLUMNS[x], shapes(x)) for x in module.ACCUMULATE}
    return {"out": out, "acc": acc, "const": consts}
