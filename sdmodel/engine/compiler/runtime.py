"""Turn a run request into what a compiled simulator reads: time grid, save points, inputs.

The time grid is built exactly as PySD builds it (time advances by repeated addition of TIME
STEP while ``t + dt * 1e-5 < FINAL TIME``), so times, and everything that depends on them,
are bit-for-bit those of PySD.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from sdmodel.errors import AsielketenError

RPREC = 1e-5  # PySD's relative precision of final and save times


class ParameterError(AsielketenError, ValueError):
    """A run option or parameter value has the wrong shape, type or range."""


def integration_times(initial: float, final: float, dt: float) -> np.ndarray:
    """Return the Euler grid as PySD walks it (repeated addition of ``dt``)."""
    if not dt > 0:
        raise ParameterError(f"TIME STEP is {dt}; it must be positive")
    times, t = [initial], initial
    while t + dt * RPREC < final:
        t = t + dt
        times.append(t)
    return np.array(times)


def save_positions(times: np.ndarray, *, dt: float, saveper: float,
                   return_timestamps: Sequence[float] | None) -> np.ndarray:
    """Return, per integration time, its index among the saved times or -1.

    Without ``return_timestamps`` the times ``initial + k * saveper`` are saved (PySD's test,
    to within ``dt * 1e-5``); otherwise each requested time must lie on the integration grid.

    Raises
    ------
    ParameterError
        If a requested time is not on the grid.
    """
    prec = dt * RPREC
    if return_timestamps is None:
        d = times - times[0]
        keep = (np.mod(d, saveper) < prec) | (np.mod(-d, saveper) < prec)
    else:  # the first grid time np.isclose(time, ts, rtol=prec) to each requested time
        keep = np.zeros(len(times), dtype=bool)
        wanted = np.unique(np.asarray(return_timestamps, dtype=float))
        tol = 1e-8 + prec * np.abs(wanted)  # np.isclose's atol + rtol * |ts|
        first = np.searchsorted(times, wanted - tol, side="left")
        hit = np.full(len(wanted), -1)
        for offset in (1, 0, -1):  # the lowest close index wins
            k = np.clip(first + offset, 0, len(times) - 1)
            hit = np.where(np.abs(times[k] - wanted) <= tol, k, hit)
        missing = wanted[hit < 0]
        if len(missing):
            raise ParameterError(
                f"return timestamp {missing[0]} is not a time of the integration grid "
                f"({times[0]} to {times[-1]} by {dt}); choose multiples of TIME STEP")
        keep[hit] = True
    pos = np.full(len(times), -1)
    pos[keep] = np.arange(keep.sum())
    return pos


def regrid(values: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Linearly interpolate ``values`` (time first) from times ``src`` onto times ``dst``."""
    j = np.clip(np.searchsorted(src, dst, side="right") - 1, 0, max(len(src) - 2, 0))
    if len(src) == 1:
        return np.repeat(values[:1], len(dst), axis=0)
    w = ((dst - src[j]) / (src[j + 1] - src[j])).reshape((-1,) + (1,) * (values.ndim - 1))
    w = np.clip(w, 0.0, 1.0)
    return values[j] + w * (values[j + 1] - values[j])


@dataclass
class Inputs:
    """Inputs for one run: the dicts the generated ``simulate`` reads and how to slice them."""

    P: dict = field(default_factory=dict)
    S: dict = field(default_factory=dict)
    L: dict = field(default_factory=dict)
    modes: dict = field(default_factory=dict)
    n: int | None = None
    per_run: set = field(default_factory=set)  # keys "P:x", "S:x", "L:x" with a run axis of n

    def runs(self, length: int, what: str) -> None:
        """Record (and check) the batch size implied by an input."""
        if self.n is None:
            self.n = length
        elif self.n != length:
            raise ParameterError(f"{what} has {length} runs but other inputs have {self.n}; "
                                 "give every per-run input the same length")


def _per_element(value: xr.DataArray, dims: list[str], shape: tuple, name: str) -> np.ndarray:
    extra = [d for d in value.dims if d not in dims and d != "run"]
    if extra:
        raise ParameterError(f"value for '{name}' has dimension(s) {extra}; "
                             f"use the subscripts {dims} and optionally 'run'")
    order = [d for d in dims if d in value.dims] + (["run"] if "run" in value.dims else [])
    arr = value.transpose(*order).values.astype(float)
    for axis, d in enumerate(dims):
        if d not in value.dims:
            arr = np.expand_dims(arr, axis)
    if "run" not in value.dims:
        arr = arr[..., None]
    return np.broadcast_to(arr, shape + arr.shape[-1:])


def _lookup_value(inputs: Inputs, ident: str, name: str, value: object) -> None:
    if isinstance(value, pd.Series):
        xs = np.asarray(value.index, dtype=float)
        order = np.argsort(xs)
        inputs.L[ident] = (xs[order], np.asarray(value.values, dtype=float)[order])
    elif isinstance(value, pd.DataFrame):
        xs = np.asarray(value.index, dtype=float)
        order = np.argsort(xs)
        inputs.L[ident] = (xs[order], value.to_numpy(dtype=float)[order])
        inputs.runs(value.shape[1], f"table for '{name}'")
        inputs.per_run.add("L:" + ident)
    else:
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1:
            raise ParameterError(f"value for lookup '{name}' has shape {arr.shape}; give a "
                                 "number, one number per run, a pandas Series (x -> y) or a "
                                 "DataFrame (x -> y, one column per run)")
        inputs.L[ident] = (np.zeros(1), arr.reshape(1, -1) if arr.ndim else arr.reshape(1))
        if arr.ndim:
            inputs.runs(len(arr), f"value for '{name}'")
            inputs.per_run.add("L:" + ident)


def add_value(inputs: Inputs, info: dict, ident: str, value: object, *, shape: tuple,
              times: np.ndarray, saved: np.ndarray) -> None:
    """Store one parameter value in ``inputs`` as a constant, per-run or time series input.

    A number is used by all runs; a 1-D array (length ``n``) gives one value per run; a 2-D
    ``(T, n)`` array is a time series per run, on the integration grid (``T == len(times)``) or
    on the saved grid (``T == len(saved)``, interpolated linearly onto the integration grid); a
    pandas Series (index: time) is one time series for all runs and a DataFrame (index: time,
    one column per run) one per run, both interpolated like PySD does (``np.interp``). For a
    subscripted variable, an ``xarray.DataArray`` over its subscripts (and ``run``) sets values
    per element.
    """
    name = info["name"]
    if info["kind"] == "lookup":
        _lookup_value(inputs, ident, name, value)
        return
    dims = info["dims"]
    if isinstance(value, pd.Series | pd.DataFrame):
        index = np.asarray(value.index, dtype=float)
        data = value.to_numpy(dtype=float).reshape(len(index), -1)
        arr = np.stack([np.interp(times, index, data[:, j]) for j in range(data.shape[1])], 1)
        if isinstance(value, pd.DataFrame):
            inputs.runs(arr.shape[1], f"DataFrame for '{name}'")
        series = arr
    elif isinstance(value, xr.DataArray) and dims:
        inputs.P[ident] = _per_element(value, dims, shape, name)
        inputs.modes[ident] = "const"
        if inputs.P[ident].shape[-1] > 1:
            inputs.runs(inputs.P[ident].shape[-1], f"value for '{name}'")
            inputs.per_run.add("P:" + ident)
        return
    else:
        arr = np.asarray(value, dtype=float)
        if arr.ndim == 0:
            inputs.P[ident] = arr[()] if not dims else np.full(shape + (1,), float(arr))
            inputs.modes[ident] = "const"
            return
        if arr.ndim == 1 or (dims and arr.shape[:-1] == shape and arr.ndim == len(dims) + 1):
            inputs.runs(arr.shape[-1], f"value for '{name}'")
            inputs.P[ident] = np.broadcast_to(arr, shape + arr.shape[-1:]) if dims else arr
            inputs.modes[ident] = "const"
            inputs.per_run.add("P:" + ident)
            return
        if arr.shape[0] == len(times):
            series = arr
        elif arr.shape[0] == len(saved):
            series = regrid(arr, saved, times)
        else:
            raise ParameterError(
                f"value for '{name}' has shape {arr.shape}; a time series needs "
                f"{len(times)} rows (integration times) or {len(saved)} (saved times)")
        inputs.runs(series.shape[-1], f"time series for '{name}'")
    if dims:
        if series.ndim == 2:  # one series for all elements
            series = series.reshape((series.shape[0],) + (1,) * len(dims) + series.shape[1:])
        series = np.broadcast_to(series, series.shape[:1] + shape + series.shape[-1:])
    inputs.S[ident] = series
    inputs.modes[ident] = "series"
    if series.shape[-1] > 1:
        inputs.per_run.add("S:" + ident)


def resolve_params(params: Mapping[str, object] | None, names: Mapping[str, str],
                   spec: dict) -> dict[str, tuple[str, object]]:
    """Map parameter keys (Vensim or Python names) to identifiers; check they may be set."""
    from sdmodel.errors import UnknownVariableError, did_you_mean

    out: dict[str, tuple[str, object]] = {}
    for key, value in (params or {}).items():
        ident = names.get(key) or names.get(" ".join(str(key).lower().replace("_", " ").split()))
        if ident is None:
            choices = [v["name"] for v in spec["vars"].values()]
            raise UnknownVariableError(
                f"'{key}' is not a variable of {spec['source']}" + did_you_mean(key, choices))
        info = spec["vars"][ident]
        if info["kind"] == "control":
            raise ParameterError(f"'{info['name']}' is a control variable; pass final_time= "
                                 "to run() or edit the model for the others")
        if ident in spec["structural"]:
            raise ParameterError(f"'{info['name']}' sets a delay/smooth order or a control "
                                 "variable, which must be the same for all runs; edit the model")
        out[ident] = (key, value)
    return out
