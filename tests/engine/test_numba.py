"""The numba backend equals the NumPy backend, is cached on disk, and is the default.

Every model under ``tests/models`` and the project model is run by both backends with the
model's defaults, with random in-range parameter sets (one per run), with time series inputs and
with accumulated flows at monthly save points; every returned value must agree to a relative
1e-12, and bit for bit when every function the model uses is computed by the kernel with
NumPy's own routine (:mod:`sdmodel.engine.compiler.kernel_math`: EXP, LN and the trigonometric
functions where NumPy's SVML or C-library routine was found; not TANH, nor POWER with an exponent
other than 2, 0.5, 1, 0 or -1, which NumPy computes with code numba cannot call).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sdmodel.engine import batch_numba
from sdmodel.engine.batch import BatchModel, ParameterError, fastest_backend
from sdmodel.engine.compiler import kernel_math
from sdmodel.engine.compiler.scalar import FAST_POWERS
from sdmodel.paths import cache_dir

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "tests" / "models").glob("*.mdl")) + [ROOT / "models" / "asielketen.mdl"]
RTOL = 1e-12


def bits_expected(model: BatchModel) -> bool:
    """Whether the kernel computes every function of the model's equations as NumPy does."""
    codes = [p["code"] for v in model._spec["vars"].values() for p in v.get("pieces", [])]
    codes += [p["code"] for s in model._spec["statefuls"].values() for p in s["parts"].values()]
    for code in codes:
        for node in ast.walk(ast.parse(code, mode="eval")):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
                power = node.right
                if isinstance(power, ast.UnaryOp) and isinstance(power.operand, ast.Constant):
                    power = ast.Constant(-power.operand.value)
                if not (isinstance(power, ast.Constant) and float(power.value) in FAST_POWERS):
                    return False
            if (isinstance(node, ast.Attribute) and node.attr in kernel_math.FUNCTIONS
                    and kernel_math.origin(node.attr) == "libm (differs from NumPy)"):
                return False
    return True


def assert_close(numba_ds: xr.Dataset, numpy_ds: xr.Dataset, label: str, *,
                 exact: bool = False) -> None:
    """Same variables, dims, coords and values (to RTOL, or bit for bit with ``exact``)."""
    assert list(numba_ds.data_vars) == list(numpy_ds.data_vars), label
    for name in numpy_ds.data_vars:
        a, b = numba_ds[name], numpy_ds[name]
        assert a.dims == b.dims and a.shape == b.shape, f"{label} {name}"
        got, want = a.to_numpy(), b.to_numpy()
        if exact:
            assert np.array_equal(got, want, equal_nan=True), f"{label} {name}: bits differ"
            continue
        assert np.array_equal(np.isnan(got), np.isnan(want)), f"{label} {name}: NaN differ"
        finite = np.isfinite(want)
        assert np.array_equal(got[~finite & ~np.isnan(want)], want[~finite & ~np.isnan(want)])
        scale = np.max(np.abs(want[finite]), initial=0.0)
        err = np.abs(got[finite] - want[finite]) / np.maximum(np.abs(want[finite]),
                                                             max(scale * 1e-9, 1e-300))
        worst = np.max(err, initial=0.0)
        assert worst <= RTOL, f"{label} {name}: relative difference {worst:.3g}"
    for coord in numpy_ds.coords:
        np.testing.assert_array_equal(numba_ds[coord].values, numpy_ds[coord].values)


def random_params(model: BatchModel, n: int, seed: int) -> dict[str, np.ndarray]:
    """Per-run values of every scalar constant: its default times U(0.8, 1.2), within limits."""
    rng = np.random.default_rng(seed)
    params = {}
    structural = set(model._spec["structural"])
    for name, default in model.constants.items():
        if np.ndim(default) or model.identifier(name) in structural:
            continue
        lo, hi = model.info(name)["limits"]
        values = default * rng.uniform(0.8, 1.2, n) if default else rng.uniform(0, 1, n)
        params[name] = np.clip(values, -np.inf if lo is None else lo, np.inf if hi is None else hi)
    return params


def both(model: BatchModel, params: dict | None = None, **kwargs) -> tuple[xr.Dataset, ...]:
    return (model.run(params, engine="numba", **kwargs),
            model.run(params, engine="numpy", **kwargs))


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_numba_equals_numpy(path: Path) -> None:
    model = BatchModel.from_mdl(path)
    exact = bits_expected(model)
    if path.stem != "batch_functions":  # TANH and POWER: the one model that may differ
        assert exact, f"{path.stem}: the kernel should give NumPy's bits"
    assert_close(*both(model), f"{path.stem} defaults", exact=exact)
    params = random_params(model, 6, seed=3)
    assert_close(*both(model, params), f"{path.stem} random", exact=exact)

    # time series inputs (per run) for two constants, and flows accumulated between months
    grid = model.time_grid()
    ramp = 1.0 + 0.1 * np.sin(grid / 7.0)[:, None] * np.linspace(-1, 1, 6)
    scalars = [k for k, v in params.items() if np.ndim(model.constants[k]) == 0]
    series = dict(params, **{k: params[k][None, :] * ramp for k in scalars[:2]})
    months = np.arange(grid[0], grid[-1] + 1e-9, 1.0)
    flows = [v for v in model.variables if model.info(v)["kind"] == "aux"][:4]
    kwargs = {"return_timestamps": months, "accumulate": flows,
              "return_columns": model.stocks[:3] + flows[:1]}
    assert_close(*both(model, series, **kwargs), f"{path.stem} series", exact=exact)


@pytest.mark.parametrize("name", sorted(kernel_math.FUNCTIONS))
def test_kernel_math_gives_numpys_bits(name: str) -> None:
    """Each routine the kernel calls for ``np.<name>`` gives NumPy's bits on arguments other
    than those it was chosen on, unless it reports that it differs."""
    rng = np.random.default_rng(99)
    args = {"arcsin": rng.uniform(-1, 1, 2000), "arccos": rng.uniform(-1, 1, 2000),
            "log": 10.0 ** rng.uniform(-8, 8, 2000)}.get(name, rng.uniform(-30, 30, 2000))
    routine = kernel_math.routine(name)
    got = np.array([routine(float(x)) for x in args])
    with np.errstate(all="ignore"):
        want = getattr(np, name)(args)
    if kernel_math.origin(name) == "libm (differs from NumPy)":
        np.testing.assert_allclose(got, want, rtol=1e-14)
    else:
        np.testing.assert_array_equal(got, want)


def test_numba_outputs_have_the_numpy_layout() -> None:
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "batch_subscripts.mdl")
    caps = xr.DataArray(np.array([[100.0, 120.0], [200, 220], [150, 170], [50, 70]]),
                        {"region": model.subscripts["region"]}, ["region", "run"])
    a, b = both(model, {"capacity": caps}, return_columns=["population", "total population"])
    assert_close(a, b, "subscripted", exact=True)
    assert a["population"].dims == ("time", "region", "run")
    frames = [model.run({"capacity": caps}, output="frame", engine=e) for e in ("numba", "numpy")]
    pd.testing.assert_frame_equal(*frames)
    parts = model.run({"capacity": caps}, engine="numba", chunk_size=1,
                      return_columns=["population", "total population"])
    xr.testing.assert_identical(parts, a)


def test_numba_lookup_tables_per_run_and_shared() -> None:
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "batch_functions.mdl")
    tables = pd.DataFrame({0: [0.0, 10.0, 10.0], 1: [5.0, 5.0, 1.0]}, index=[0.0, 10.0, 20.0])
    assert_close(*both(model, {"response": tables}), "per-run tables")
    shared = pd.Series([0.0, 2.0, 2.5, 7.0], index=[-1.0, 1.0, 4.0, 12.0])
    assert_close(*both(model, {"response": shared}), "shared table")
    assert_close(*both(model, {"response": np.array([1.0, 2.0])}), "one number per run")


def test_per_run_delay_orders() -> None:
    """Delay times below order * TIME STEP lower each run's order in both backends."""
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "batch_stateful.mdl")
    params = {"delay time": np.array([0.5, 0.6, 0.74, 3.0])}
    assert_close(*both(model, params), "delay orders", exact=True)


@pytest.mark.parametrize("runs", [1, 7, 40], ids=["one run", "serial", "parallel"])
def test_fixed_delays_give_the_same_bits(runs: int) -> None:
    """DELAY FIXED: per-run pipeline lengths (from per-run delay times, read once), lengths
    rounded from 4.4 and shorter than TIME STEP, a delayed stock and a chain of two, with a
    per-run time series upstream; both backends give the same bits in the serial and the
    parallel kernel."""
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "batch_stateful.mdl")
    fixed = ["fixed delayed", "fixed delay of a stock", "fixed delay chained"]
    kinds = {s["var"]: s["kind"] for s in model._spec["statefuls"].values()}
    assert {kinds[model.identifier(name)] for name in fixed} == {"delay_fixed"}
    # pipeline lengths round(max(d / 0.25, 1)): 1, 1, 3, 4, 12, 24 and 9
    delays = np.resize([0.1, 0.3, 0.74, 1.0, 3.0, 5.9, 2.2], runs)
    grid = model.time_grid()
    capacity = 90 + 30 * np.sin(grid[:, None] / 3 + np.arange(runs))
    params = {"delay time": delays, "processing capacity": capacity}
    a, b = both(model, params, n=runs, return_columns=[*fixed, "processing"])
    assert_close(a, b, f"fixed delays, {runs} runs", exact=True)
    out = a["fixed delayed"].to_numpy()
    assert np.all(out[grid < delays.min()] == 40.0)  # the initial value until the delay ends
    processing = a["processing"].to_numpy()
    steps = np.floor(np.maximum(delays / 0.25, 1.0) + 0.5).astype(int)
    for r, k in enumerate(steps):  # the input of k steps ago
        np.testing.assert_array_equal(out[k:, r], processing[:-k, r])


def test_default_is_numba_and_numpy_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "optimize_capacity.mdl")
    assert fastest_backend() == "numba"
    monkeypatch.setattr(batch_numba, "available", lambda: False)
    assert fastest_backend() == "numpy"
    xr.testing.assert_identical(model.run(), model.run(engine="numpy"))
    with pytest.raises(ParameterError, match="engine='fortran'; use one of numba, numpy"):
        model.run(engine="fortran")


def test_kernel_is_cached_on_disk_and_reused_by_a_new_process() -> None:
    path = ROOT / "tests" / "models" / "batch_stateful.mdl"
    BatchModel.from_mdl(path).run(engine="numba")
    assert list((cache_dir() / "numba" / "__pycache__").glob("*.nbi"))
    script = ("import sys; from sdmodel.engine.batch import BatchModel; "
              f"BatchModel.from_mdl({str(path)!r}).run(engine='numba'); "
              "m = [v for k, v in sys.modules.items() if k.startswith('sdmodel_numba_')][0]; "
              "kernels = (m.simulate_serial, m.hoisted); "
              "print(sum(sum(f.stats.cache_hits.values()) for f in kernels))")
    env = dict(os.environ, ASIELKETEN_CACHE=str(cache_dir()))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)
    assert "numba: compiled" not in done.stderr  # loaded, not compiled again
    assert int(done.stdout.strip()) >= 2


def test_arrays_output_and_series_memory_order_change_nothing() -> None:
    """``output="arrays"`` holds the Dataset's values; a (T, n) series stored run by run
    (Fortran order, what :func:`sdmodel.engine.batch.series_order` asks for) or time step by
    time step gives the same bits in both backends."""
    model = BatchModel.from_mdl(ROOT / "tests" / "models" / "batch_stateful.mdl")
    grid = model.time_grid()
    series = np.where(grid < 10, 100.0, 150.0)[:, None] * np.array([1.0, 2.0, 0.5])
    results = []
    for engine in ("numba", "numpy"):
        for layout in ("C", "F"):
            params = {"arrival rate": np.array(series, order=layout)}
            ds = model.run(params, engine=engine, return_columns=["waiting", "housed"])
            arrays = model.run(params, engine=engine, output="arrays",
                               return_columns=["waiting", "housed"])
            for name, values in arrays.items():
                np.testing.assert_array_equal(values, ds[name].to_numpy())
            results.append(ds)
    for other in results[1:]:
        xr.testing.assert_identical(other, results[0])
