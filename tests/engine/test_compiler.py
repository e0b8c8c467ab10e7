"""The compiled batch simulator equals PySD, and unsupported models fail when compiling.

Each model under test is run by PySD (one run per parameter set, reloading the model between
runs because PySD keeps parameters) and by the batch simulator (all sets in one call, as
per-run arrays; both its numba and NumPy backends); every returned variable must agree to a
relative 1e-9.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sdmodel.engine.batch import BatchModel
from sdmodel.engine.compiler.compile import build_spec, find_line
from sdmodel.engine.translate import translated_copy
from sdmodel.errors import ModelFileError

ROOT = Path(__file__).resolve().parents[2]
TEST_MODELS = ROOT / "tests" / "models"
MODELS = [TEST_MODELS / f"batch_{name}.mdl" for name in ("functions", "stateful", "subscripts")]
PROJECT_MODEL = ROOT / "models" / "asielketen.mdl"
RTOL = 1e-9


def pysd_runs(path: Path, param_sets: list[dict | None], **kwargs) -> list[pd.DataFrame]:
    """Run PySD once per parameter set on the cached copy of ``path``, reloading in between."""
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySD warns about extrapolated lookups and such
        model = pysd.read_vensim(str(translated_copy(path)))
        return [model.run(params=p, reload=True, **kwargs) for p in param_sets]


def assert_same(batch: pd.DataFrame, ref: pd.DataFrame, label: str) -> None:
    """Every PySD column equals the batch column to RTOL, with a floor for values near 0."""
    assert len(batch) == len(ref), f"{label}: {len(batch)} rows, PySD {len(ref)}"
    np.testing.assert_allclose(batch["time"].to_numpy(), ref.index.to_numpy(), atol=1e-9)
    missing = [c for c in ref.columns if c not in batch.columns]
    assert not missing, f"{label}: batch lacks {missing}"
    for col in ref.columns:
        got, want = batch[col].to_numpy(float), ref[col].to_numpy(float)
        finite = np.isfinite(want)
        assert np.array_equal(np.isnan(got), np.isnan(want)), f"{label} {col}: NaN differ"
        assert np.array_equal(got[~finite & ~np.isnan(want)], want[~finite & ~np.isnan(want)])
        scale = np.max(np.abs(want[finite]), initial=0.0)
        floor = max(scale * 1e-6, 1e-12)
        err = np.abs(got[finite] - want[finite]) / np.maximum(np.abs(want[finite]), floor)
        worst = np.max(err, initial=0.0)
        assert worst <= RTOL, f"{label} {col}: relative difference {worst:.3g}"


def random_params(model: BatchModel, n: int, seed: int) -> dict[str, np.ndarray]:
    """Per-run values for every scalar constant: the default times U(0.8, 1.2), within limits."""
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


def run_split(model: BatchModel, params: dict, n: int, **kwargs) -> list[pd.DataFrame]:
    frame = model.run(params, n=n, output="frame", **kwargs)
    return [g.drop(columns="run").reset_index(drop=True) for _, g in frame.groupby("run")]


def check_against_pysd(path: Path, n_random: int, seed: int = 1) -> None:
    path = translated_copy(path)  # one snapshot for both simulators
    model = BatchModel.from_mdl(path)
    params = random_params(model, n_random, seed)
    sets = [None] + [{k: float(v[i]) for k, v in params.items()} for i in range(n_random)]
    refs = pysd_runs(path, sets)
    for engine in ("numba", "numpy"):  # both backends of the batch simulator
        label = f"{path.name} {engine}"
        assert_same(model.run(output="frame", engine=engine).drop(columns="run"), refs[0],
                    f"{label} default")
        for i, got in enumerate(run_split(model, params, n_random, engine=engine)):
            assert_same(got, refs[i + 1], f"{label} random set {i}")


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_test_models_equal_pysd(path: Path) -> None:
    check_against_pysd(path, n_random=3)


def test_project_model_equals_pysd() -> None:
    if not PROJECT_MODEL.exists():  # pragma: no cover - the model is part of the repository
        pytest.fail(f"{PROJECT_MODEL} is missing")
    check_against_pysd(PROJECT_MODEL, n_random=2, seed=7)


def test_per_run_delay_order_equals_pysd() -> None:
    """Delay times below order * TIME STEP lower the order per run, as PySD does per model."""
    path = TEST_MODELS / "batch_stateful.mdl"
    model = BatchModel.from_mdl(path)
    times = [0.5, 0.6, 0.74, 3.0]  # orders 2, 2, 2, 3 (and 1 for delay time / 2)
    refs = pysd_runs(path, [{"delay time": t} for t in times])
    for got, ref, t in zip(run_split(model, {"delay time": np.array(times)}, len(times)), refs,
                           times, strict=True):
        assert_same(got, ref, f"delay time {t}")


def test_time_series_and_replacements_equal_pysd() -> None:
    """Series for constants, replaced auxiliaries and lookups, and subscripted values."""
    stateful = TEST_MODELS / "batch_stateful.mdl"
    model = BatchModel.from_mdl(stateful)
    grid = model.time_grid()
    capacity = pd.Series(80 + 20 * np.sin(np.arange(0, 25, 0.5)), index=np.arange(0, 25, 0.5))
    params = {"processing capacity": capacity, "leaving": 12.5, "average stay": 3}
    (ref,) = pysd_runs(stateful, [params])
    assert_same(model.run(params, output="frame").drop(columns="run"), ref, "series")
    # the same series given as a (T, n) array over the integration grid, two runs
    both = np.interp(grid, capacity.index, capacity.values)[:, None] * np.ones(2)
    for got in run_split(model, dict(params, **{"processing capacity": both}), 2):
        assert_same(got, ref, "array series")

    functions = TEST_MODELS / "batch_functions.mdl"
    model = BatchModel.from_mdl(functions)
    table = pd.Series([0.0, 2.0, 2.5, 7.0], index=[-1.0, 1.0, 4.0, 12.0])
    (ref,) = pysd_runs(functions, [{"response": table}])
    assert_same(model.run({"response": table}, output="frame").drop(columns="run"), ref, "lookup")

    subscripts = TEST_MODELS / "batch_subscripts.mdl"
    model = BatchModel.from_mdl(subscripts)
    caps = xr.DataArray([90.0, 210.0, 140.0, 60.0], {"region": model.subscripts["region"]},
                        ["region"])
    (ref,) = pysd_runs(subscripts, [{"capacity": caps, "total inflow": 150}])
    got = model.run({"capacity": caps, "total inflow": 150}, output="frame")
    assert_same(got.drop(columns="run"), ref, "subscripted")


UNSUPPORTED = {
    "made-up function": ("x = FROBNICATE(Time, 2)", "x", "FROBNICATE"),
    "external data": ("x := GET XLS DATA('data.xlsx', 'tab', 'A', 'B2')", "x", "GET XLS"),
    "allocate": ("x = ALLOCATE BY PRIORITY(Time, 1, 1, 1, 1)", "x", "ALLOCATE"),
    "random": ("x = RANDOM UNIFORM(0, 1, 3)", "x", "RANDOM UNIFORM"),
    "sample if true": ("x = SAMPLE IF TRUE(Time > 2, Time, 0)", "x", "SAMPLE IF TRUE"),
}


def write_model(folder: Path, equation: str) -> Path:
    path = folder / "model.mdl"
    path.write_text(
        "{UTF-8}\nrate = 2\n\t~\t1/Month\n\t~\t|\n\nstock = INTEG(rate, 0)\n\t~\t~\t|\n\n"
        f"{equation}\n\t~\t~\t|\n\n"
        "FINAL TIME = 4 ~ Month ~ |\nINITIAL TIME = 0 ~ Month ~ |\n"
        "SAVEPER = 1 ~ Month ~ |\nTIME STEP = 0.5 ~ Month ~ |\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(UNSUPPORTED))
def test_unsupported_function_fails_at_compile_time(tmp_path: Path, case: str) -> None:
    equation, variable, function = UNSUPPORTED[case]
    path = write_model(tmp_path, equation)
    with pytest.raises(ModelFileError) as info:
        BatchModel.from_mdl(path)
    message = str(info.value)
    assert f"{path}:9:" in message  # file and line of the definition
    assert f"'{variable}'" in message and function in message
    assert "\n" not in message


def test_loop_without_stock_fails(tmp_path: Path) -> None:
    path = write_model(tmp_path, "a = b + 1\n\t~\t~\t|\n\nb = a * 2")
    with pytest.raises(ModelFileError, match=r"'a' -> 'b' -> 'a'|'b' -> 'a' -> 'b'"):
        BatchModel.from_mdl(path)


def test_unsupported_subscript_mapping_names_variable(tmp_path: Path) -> None:
    path = tmp_path / "mapping.mdl"
    path.write_text(
        "{UTF-8}\nA: a1, a2 -> B ~~|\nB: b1, b2 ~~|\nx[A] = 1, 2 ~~|\ny[B] = x[A] ~~|\n"
        "FINAL TIME = 1 ~~|\nINITIAL TIME = 0 ~~|\nSAVEPER = 1 ~~|\nTIME STEP = 1 ~~|\n")
    with pytest.raises(ModelFileError, match=r"mapping\.mdl:5: variable 'y' uses subscript"):
        build_spec(path)


def test_find_line_handles_spacing_case_and_subscripts() -> None:
    text = 'a = 1 ~~|\n\n"Odd  Name"[r] =\n 2 ~~|\nmy_lookup(\n[(0,0)],(0,1)) ~~|\n'
    assert find_line(text, "a") == 1
    assert find_line(text, "odd name") == 3
    assert find_line(text, "My Lookup") == 5
    assert find_line(text, "missing") is None


def test_generated_code_is_vectorised(tmp_path: Path) -> None:
    """One Python loop only: over time, never over runs."""
    model = BatchModel.from_mdl(TEST_MODELS / "batch_stateful.mdl")
    source = Path(model._default.__file__).read_text()
    body = source[source.index("def simulate"):]
    assert len(re.findall(r"^\s*for ", body, flags=re.MULTILINE)) == 1
    assert "for i in range(last + 1):" in body
