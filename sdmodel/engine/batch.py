"""Run many parameter sets of a Vensim model at once with a simulator compiled from the .mdl.

>>> model = BatchModel.from_mdl("models/asielketen.mdl")            # doctest: +SKIP
>>> ds = model.run({"regular COA capacity": np.linspace(2e4, 6e4, 1000)},
...                return_columns=["COA occupancy"])                  # doctest: +SKIP

Results equal PySD's (same Euler scheme, grid and functions; see
:mod:`sdmodel.engine.compiler.compile`).
Every variable is an array over the runs; time series inputs are arrays over (time, run).
Two backends run the same generated equations: ``"numba"`` (a compiled kernel, one run per
thread, :mod:`sdmodel.engine.compiler.kernel` run by :mod:`sdmodel.engine.batch_numba`; the default
when numba is installed) and ``"numpy"`` (vectorised over the runs,
:mod:`sdmodel.engine.compiler.codegen`; the reference and the fallback).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Literal, get_args

import numpy as np
import pandas as pd
import xarray as xr

from sdmodel.engine import Backend
from sdmodel.engine.compiler.codegen import variant_module
from sdmodel.engine.compiler.compile import compile_mdl, module_from_spec
from sdmodel.engine.compiler.runtime import (
    RPREC,
    Inputs,
    ParameterError,
    add_value,
    integration_times,
    resolve_params,
    save_positions,
)
from sdmodel.errors import UnknownVariableError, did_you_mean

__all__ = ["BACKENDS", "Backend", "BatchModel", "ParamValue", "ParameterError", "fastest_backend",
           "series_order"]

ParamValue = float | np.ndarray | pd.Series | pd.DataFrame | xr.DataArray
BACKENDS: tuple[Backend, ...] = get_args(Backend)


def fastest_backend() -> Backend:
    """``"numba"`` when numba can be imported, else ``"numpy"``."""
    from sdmodel.engine.batch_numba import available

    return "numba" if available() else "numpy"


def series_order() -> Literal["C", "F"]:
    """The memory order of ``(T, n)`` time series inputs that the default backend reads best.

    ``"F"`` (each run's series contiguous) for numba, which then reads them without a copy;
    ``"C"`` (each time step's values contiguous) for NumPy. Either order gives the same results.
    """
    return "F" if fastest_backend() == "numba" else "C"


DEFAULT_CHUNK = 8192  # runs per pass: keeps the working set of one time step in cache


@functools.lru_cache(maxsize=64)
def _grid(initial: float, final: float, dt: float) -> np.ndarray:
    """:func:`integration_times`, remembered (its Python loop is slow next to a small run)."""
    return integration_times(initial, final, dt)


def _unpickle(spec: dict, engine: Backend | None) -> BatchModel:
    """Rebuild a pickled :class:`BatchModel` (see its docstring)."""
    return BatchModel(module_from_spec(spec), source=Path(spec["source"]), engine=engine)


def _clean(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").split())


class BatchModel:
    """A compiled Vensim model that simulates ``n`` parameter sets in one vectorised pass.

    Build it with :meth:`from_mdl`. Names are the Vensim names as written in the .mdl; PySD's
    Python names and case/underscore variants are accepted too. ``engine`` is the backend
    :meth:`run` uses when it is not given one (``None``: :func:`fastest_backend`).

    A model pickles as its spec (plain data, about 100 kB for the project's model): unpickled,
    e.g. on a Dask worker, it is rebuilt from the compiled simulator in the cache (generated
    there from the spec if missing); the numba kernels come from their own disk cache.
    """

    def __init__(self, module: ModuleType, *, source: Path | None = None,
                 engine: Backend | None = None) -> None:
        self.engine = engine
        self._spec = dict(module.SPEC, source=str(source or module.SPEC["source"]))
        self._default = module
        self._vars = self._spec["vars"]
        self._names: dict[str, str] = {}
        for ident, info in self._vars.items():
            for key in (ident, info["name"], _clean(info["name"])):
                self._names.setdefault(key, ident)

    def __reduce__(self) -> tuple:
        return _unpickle, (self._spec, self.engine)

    @classmethod
    def from_mdl(cls, path: str | Path, *, recompile: bool = False,
                 engine: Backend | None = None) -> BatchModel:
        """Compile (or load from the cache) the Vensim model at ``path``; ``engine`` is the
        default backend of :meth:`run`.

        Raises
        ------
        ModelFileError
            If the file is missing, cannot be parsed or uses an unsupported function.
        """
        return cls(compile_mdl(Path(path), force=recompile), source=Path(path), engine=engine)

    # -- introspection -----------------------------------------------------------------------
    @property
    def source(self) -> Path:
        """The .mdl file the model was compiled from."""
        return Path(self._spec["source"])

    @property
    def variables(self) -> list[str]:
        """Names of all variables that can be returned (everything but lookup tables)."""
        return [v["name"] for v in self._vars.values() if v["kind"] != "lookup"]

    @property
    def stocks(self) -> list[str]:
        """Names of the stocks (variables defined with INTEG)."""
        idents = {s["var"] for s in self._spec["statefuls"].values()
                  if s["kind"] in ("integ", "integ_nn")}
        return [self._vars[i]["name"] for i in self._vars if i in idents]

    @property
    def constants(self) -> dict[str, float | np.ndarray]:
        """Model constants and their values in the .mdl (arrays for subscripted constants)."""
        out: dict[str, float | np.ndarray] = {}
        for info in self._vars.values():
            if info["kind"] == "constant":
                value = np.asarray(info["default"], dtype=float)
                out[info["name"]] = float(value) if value.ndim == 0 else value
        return out

    @property
    def lookups(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Stand-alone lookup tables: name -> (x, y) as in the .mdl."""
        return {self._vars[i]["name"]: (np.array(t["x"]), np.array(t["y"]))
                for i, t in self._spec["lookups"].items()}

    @property
    def control(self) -> dict[str, float]:
        """INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER from the .mdl (Python names)."""
        return dict(self._spec["control"])

    @property
    def subscripts(self) -> dict[str, list[str]]:
        """Subscript ranges and their elements."""
        return {k: list(v) for k, v in self._spec["subscripts"].items()}

    def info(self, name: str) -> dict:
        """Return ``name``, ``kind``, ``dims``, ``units``, ``doc`` and ``limits`` of a variable."""
        info = self._vars[self.identifier(name)]
        return {k: info[k] for k in ("name", "kind", "dims", "units", "doc", "limits")}

    def identifier(self, name: str) -> str:
        """Return PySD's Python name of variable ``name``.

        Raises
        ------
        UnknownVariableError
            If no variable has that name (the message suggests close names).
        """
        ident = self._names.get(name) or self._names.get(_clean(name))
        if ident is None:
            raise UnknownVariableError(
                f"'{name}' is not a variable of {self.source}"
                + did_you_mean(name, [v["name"] for v in self._vars.values()]))
        return ident

    def time_grid(self, *, final_time: float | None = None) -> np.ndarray:
        """Return the integration times (as PySD computes them)."""
        c = self._spec["control"]
        final = c["final_time"] if final_time is None else float(final_time)
        if final < c["initial_time"]:
            raise ParameterError(f"final_time {final} is before INITIAL TIME "
                                 f"{c['initial_time']}; give a later final time")
        return _grid(c["initial_time"], final, c["time_step"]).copy()

    # -- running -----------------------------------------------------------------------------
    def run(self, params: Mapping[str, ParamValue] | None = None, *, n: int | None = None,
            final_time: float | None = None, return_columns: Sequence[str] | None = None,
            return_timestamps: Sequence[float] | None = None, saveper: float | None = None,
            accumulate: Sequence[str] | None = None, output: str = "xarray",
            chunk_size: int = DEFAULT_CHUNK, workers: int | None = None,
            engine: Backend | None = None) -> xr.Dataset | pd.DataFrame | dict[str, np.ndarray]:
        """Simulate ``n`` runs at once.

        Parameters
        ----------
        params
            Variable name -> value. A number applies to all runs; a 1-D array of length ``n``
            gives one value per run; a 2-D ``(T, n)`` array is a time series per run, on the
            integration grid (``T == len(time_grid())``) or on the saved grid (interpolated
            linearly); a pandas Series indexed by model time is one series for all runs and a
            DataFrame (index time, one column per run) one per run, interpolated with
            ``np.interp`` like PySD. Constants, auxiliaries and stocks can be replaced.
            For a lookup table: a number, one number per run, a Series (x -> y) or a
            DataFrame (x -> y per run). For subscripted variables: an ``xarray.DataArray``
            over the subscripts (and optionally ``run``).
        n
            Number of runs; inferred from per-run values when omitted (1 without any).
        final_time
            Replaces FINAL TIME (default: the model's, or the last of ``return_timestamps``).
        return_columns
            Variables to return (default: all). Only these are stored, so memory is
            ``len(return_columns) * saved times * n * 8`` bytes.
        return_timestamps
            Save only these times (each must be on the integration grid) instead of every
            SAVEPER.
        saveper
            Replaces SAVEPER (ignored with ``return_timestamps``).
        accumulate
            Variables (typically flows) whose ``value * TIME STEP`` is summed over the Euler
            steps since the previous saved time (for the first one: since INITIAL TIME);
            returned as ``"<name> (accumulated)"``. At a saved time ``t_k`` it covers the steps
            ``t_{k-1} <= t < t_k``, so a stock's change between saved times equals its
            accumulated net flow. With monthly ``return_timestamps`` these are monthly totals.
        output
            ``"xarray"``: a Dataset with dims (time, [subscripts], run) and variables named by
            their Vensim names; ``"frame"``: a DataFrame with columns run, time and one per
            variable (subscripted ones flattened as ``name[element]``); ``"arrays"``: the
            Dataset's arrays without the Dataset (name -> array over (time, [subscripts],
            run)), for callers that run many small batches.
        chunk_size
            Runs simulated per pass (memory/cache trade-off; the result does not change).
        workers
            Threads: for ``"numpy"`` the chunks simulated in parallel (default 1; NumPy
            releases the GIL in its loops), for ``"numba"`` the runs (default: all cores).
            The result does not change.
        engine
            ``"numba"`` or ``"numpy"``; default the model's ``engine``, else
            :func:`fastest_backend`. Both give the same bits, EXP, LN and the trigonometric
            functions included (the kernel calls NumPy's own routines,
            :mod:`sdmodel.engine.compiler.kernel_math`), except TANH and POWER with an exponent
            other than 2, 0.5, 1, 0 or -1, which may differ in the last bits.

        Raises
        ------
        UnknownVariableError
            For a name that is not a variable of the model.
        ParameterError
            For values of the wrong shape, control variables, or bad options.
        """
        if output not in ("xarray", "frame", "arrays"):
            raise ParameterError(f"output={output!r}; use 'xarray', 'frame' or 'arrays'")
        engine = engine or self.engine or fastest_backend()
        if engine not in BACKENDS:
            raise ParameterError(f"engine={engine!r}; use one of {', '.join(BACKENDS)}")
        c = self._spec["control"]
        if final_time is None and return_timestamps is not None and len(return_timestamps):
            final_time = float(np.max(return_timestamps))
        times = self.time_grid(final_time=final_time)
        ctl = dict(c, final_time=c["final_time"] if final_time is None else float(final_time))
        if saveper is not None:
            if not saveper > 0:
                raise ParameterError(f"saveper={saveper}; it must be positive")
            ctl["saveper"] = float(saveper)
        save_pos = save_positions(times, dt=c["time_step"], saveper=ctl["saveper"],
                                  return_timestamps=return_timestamps)
        saved = times[save_pos >= 0]
        inputs = self._inputs(params, times, saved)
        if n is not None:
            if int(n) < 1:
                raise ParameterError(f"n={n}; give at least one run")
            inputs.runs(int(n), "n")
        n = inputs.n or 1
        capture = self._columns(return_columns)
        acc = [self.identifier(a) for a in (accumulate or [])]
        for ident in acc:
            if self._vars[ident]["kind"] == "lookup":
                raise ParameterError(f"'{self._vars[ident]['name']}' is a lookup table")
        chunk = max(int(chunk_size), 1)
        if engine == "numba":
            from sdmodel.engine import batch_numba
            from sdmodel.engine.compiler.kernel import numba_module

            module = numba_module(self._spec, modes=inputs.modes, capture=capture,
                                  accumulate=acc)
            data = batch_numba.simulate(module, inputs, ctl, times, save_pos, n, chunk,
                                        shapes=self._shape, part=self._part,
                                        source=str(self.source), threads=workers)
            return self._format(data, capture, acc, saved, n, output)
        module = (self._default if not inputs.modes and not acc
                  and set(capture) == set(self._default.CAPTURE_DYNAMIC
                                          + self._default.CAPTURE_CONST)
                  else variant_module(self._spec, modes=inputs.modes, capture=capture,
                                      accumulate=acc))
        data = self._simulate(module, inputs, ctl, times, save_pos, n, chunk,
                              1 if workers is None else int(workers))
        return self._format(data, capture, acc, saved, n, output)

    def _inputs(self, params: Mapping[str, ParamValue] | None, times: np.ndarray,
                saved: np.ndarray) -> Inputs:
        inputs = Inputs()
        for ident, info in self._vars.items():
            if info["kind"] == "constant":
                value = np.asarray(info["default"], dtype=float)
                inputs.P[ident] = value[()] if value.ndim == 0 else value[..., None]
        for ident, t in self._spec["lookups"].items():
            inputs.L[ident] = (np.array(t["x"]), np.array(t["y"]))
        for ident, (_, value) in resolve_params(params, self._names, self._spec).items():
            info = self._vars[ident]
            shape = tuple(len(self._spec["subscripts"][d]) for d in info["dims"])
            add_value(inputs, info, ident, value, shape=shape, times=times, saved=saved)
        return inputs

    def _columns(self, return_columns: Sequence[str] | None) -> list[str]:
        if return_columns is None:
            return [i for i, v in self._vars.items() if v["kind"] != "lookup"]
        if isinstance(return_columns, str):
            raise ParameterError("return_columns must be a list of names, not one string")
        out = []
        for name in return_columns:
            ident = self.identifier(name)
            if self._vars[ident]["kind"] == "lookup":
                raise ParameterError(f"'{name}' is a lookup table; it has no values over time")
            if ident not in out:
                out.append(ident)
        return out

    def _shape(self, ident: str) -> tuple[int, ...]:
        return tuple(len(self._spec["subscripts"][d]) for d in self._vars[ident]["dims"])

    def _simulate(self, module: ModuleType, inputs: Inputs, ctl: dict, times: np.ndarray,
                  save_pos: np.ndarray, n: int, chunk: int, workers: int
                  ) -> dict[str, np.ndarray]:
        n_saved = int((save_pos >= 0).sum())
        out = {x: np.empty((n_saved,) + self._shape(x) + (n,)) for x in module.CAPTURE_DYNAMIC}
        acc = {x: np.empty((n_saved,) + self._shape(x) + (n,)) for x in module.ACCUMULATE}
        consts = {x: np.empty(self._shape(x) + (n,)) for x in module.CAPTURE_CONST}
        # NumPy scalars (not Python floats): division by zero gives inf/nan like arrays do
        times_list, pos_list = list(times.astype(np.float64)), [int(p) for p in save_pos]
        ctl = {k: np.float64(v) for k, v in ctl.items()}

        def one_chunk(lo: int) -> None:
            hi = min(lo + chunk, n)
            part = self._part(inputs, lo, hi)
            # series stored run by run (for the numba backend) are read here one time step at
            # a time: a C-order copy per chunk is much cheaper than strided reads at each step
            part["S"] = {k: np.ascontiguousarray(v) for k, v in part["S"].items()}
            const_out: dict = {}
            module.simulate(part["P"], part["S"], part["L"], ctl, times_list, pos_list, hi - lo,
                            {x: a[..., lo:hi] for x, a in out.items()},
                            {x: a[..., lo:hi] for x, a in acc.items()}, const_out)
            for x, value in const_out.items():
                consts[x][..., lo:hi] = value

        starts = range(0, n, chunk)
        if workers > 1 and len(starts) > 1:  # NumPy releases the GIL inside its loops
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(one_chunk, starts))
        else:
            for lo in starts:
                one_chunk(lo)
        return {"out": out, "acc": acc, "const": consts}

    def _part(self, inputs: Inputs, lo: int, hi: int) -> dict[str, dict]:
        """The inputs ``P``, ``S`` and ``L`` of runs ``lo:hi``."""
        return {store: {k: self._slice(v, lo, hi) if f"{store}:{k}" in inputs.per_run else v
                        for k, v in getattr(inputs, store).items()}
                for store in ("P", "S", "L")}

    @staticmethod
    def _slice(value: object, lo: int, hi: int) -> object:
        if isinstance(value, tuple):  # lookup table (xs, ys per run)
            return value[0], value[1][:, lo:hi]
        return value[..., lo:hi]

    def _format(self, data: dict, capture: list[str], acc: list[str], saved: np.ndarray,
                n: int, output: str) -> xr.Dataset | pd.DataFrame | dict[str, np.ndarray]:
        dt = self._spec["control"]["time_step"]
        time = np.round(saved, -int(np.log10(dt * RPREC)))
        arrays: dict[str, tuple[list[str], np.ndarray]] = {}
        for ident in capture:
            info = self._vars[ident]
            if ident in data["out"]:
                arr = data["out"][ident]
            else:
                arr = np.broadcast_to(data["const"][ident], (len(saved),) + self._shape(ident)
                                      + (n,))
            arrays[info["name"]] = (info["dims"], arr)
        for ident in acc:
            info = self._vars[ident]
            arrays[info["name"] + " (accumulated)"] = (info["dims"], data["acc"][ident])
        if output == "arrays":
            return {name: arr for name, (_, arr) in arrays.items()}
        if output == "frame":
            return self._frame(arrays, time, n)
        coords = {"time": time, "run": np.arange(n)}
        for dims, _ in arrays.values():
            coords.update({d: self._spec["subscripts"][d] for d in dims})
        attrs = {self._vars[i]["name"]: {"units": self._vars[i]["units"],
                                         "doc": self._vars[i]["doc"]} for i in capture}
        ds = xr.Dataset({name: xr.Variable(["time", *dims, "run"], arr, attrs.get(name))
                         for name, (dims, arr) in arrays.items()}, coords=coords)
        ds.attrs.update(source=str(self.source), time_step=dt)
        return ds

    def _frame(self, arrays: dict, time: np.ndarray, n: int) -> pd.DataFrame:
        columns = {"run": np.repeat(np.arange(n), len(time)), "time": np.tile(time, n)}
        for name, (dims, arr) in arrays.items():
            if not dims:
                columns[name] = np.ascontiguousarray(arr.T).reshape(-1)
                continue
            coords = [self._spec["subscripts"][d] for d in dims]
            for idx in np.ndindex(*arr.shape[1:-1]):
                label = ",".join(c[i] for c, i in zip(coords, idx, strict=True))
                columns[f"{name}[{label}]"] = np.ascontiguousarray(arr[(slice(None), *idx)].T
                                                                   ).reshape(-1)
        return pd.DataFrame(columns)
