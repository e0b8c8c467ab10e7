"""The BatchModel API: names, inputs, outputs, caching and memory-bounded runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sdmodel.engine.batch import BatchModel, ParameterError
from sdmodel.engine.translate import file_sha256
from sdmodel.errors import ModelFileError, UnknownVariableError
from sdmodel.paths import cache_dir

MODELS = Path(__file__).resolve().parents[1] / "models"
STATEFUL = MODELS / "batch_stateful.mdl"
SUBSCRIPTS = MODELS / "batch_subscripts.mdl"


@pytest.fixture(scope="module")
def model() -> BatchModel:
    return BatchModel.from_mdl(STATEFUL)


def test_compiled_module_is_cached_by_sha256(model: BatchModel) -> None:
    cached = cache_dir() / "batch" / f"{file_sha256(STATEFUL)}.py"
    assert cached.exists()
    assert Path(model._default.__file__) == cached
    assert not list(MODELS.glob("*.py"))  # nothing written next to the models
    again = BatchModel.from_mdl(STATEFUL)
    assert again._default.__file__ == model._default.__file__


def test_introspection(model: BatchModel) -> None:
    assert model.stocks == ["waiting", "housed"]
    assert model.constants["processing capacity"] == 90
    assert model.control == {"initial_time": 0.0, "final_time": 24.0, "time_step": 0.25,
                             "saveper": 0.25}
    grid = model.time_grid()
    assert grid[0] == 0 and grid[-1] == 24 and len(grid) == 97
    assert len(model.time_grid(final_time=6)) == 25
    assert model.info("Processing Capacity")["limits"] == [10.0, 200.0]
    assert model.identifier("processing_capacity") == "processing_capacity"
    assert "arrival rate" in model.variables


def test_unknown_name_suggests_close_names(model: BatchModel) -> None:
    with pytest.raises(UnknownVariableError, match=r"did you mean 'processing capacity'"):
        model.run({"processing capacty": 3})
    with pytest.raises(UnknownVariableError, match="is not a variable"):
        model.run(return_columns=["nonsense"])


def test_names_are_vensim_or_python(model: BatchModel) -> None:
    a = model.run({"processing capacity": 70}, return_columns=["waiting"])
    b = model.run({"processing_capacity": 70}, return_columns=["Waiting"])
    xr.testing.assert_equal(a, b)


def test_per_run_values_match_single_runs(model: BatchModel) -> None:
    caps = np.array([60.0, 90.0, 120.0])
    ds = model.run({"processing capacity": caps}, return_columns=["waiting", "housed"])
    assert ds["waiting"].dims == ("time", "run") and ds.sizes == {"time": 97, "run": 3}
    for i, cap in enumerate(caps):
        one = model.run({"processing capacity": cap}, return_columns=["waiting", "housed"])
        np.testing.assert_array_equal(ds["waiting"][:, i], one["waiting"][:, 0])


def test_chunks_do_not_change_results(model: BatchModel) -> None:
    params = {"average stay": np.linspace(2, 6, 7), "delay time": np.linspace(0.5, 4, 7)}
    whole = model.run(params, return_columns=["housed", "delayed 3", "nested"])
    parts = model.run(params, return_columns=["housed", "delayed 3", "nested"], chunk_size=2)
    xr.testing.assert_equal(whole, parts)


def test_only_requested_columns_are_stored(model: BatchModel) -> None:
    ds = model.run(n=5, return_columns=["housed", "processing capacity"])
    assert list(ds.data_vars) == ["housed", "processing capacity"]
    assert ds["processing capacity"].values.base is not None  # a broadcast view, not a copy
    assert (ds["processing capacity"] == 90).all()


def test_return_timestamps_and_final_time(model: BatchModel) -> None:
    full = model.run(return_columns=["housed"])
    monthly = model.run(return_columns=["housed"], return_timestamps=np.arange(0, 25, 1.0))
    np.testing.assert_array_equal(monthly["time"], np.arange(0, 25, 1.0))
    np.testing.assert_array_equal(monthly["housed"], full["housed"].sel(time=monthly["time"]))
    short = model.run(return_columns=["housed", "FINAL TIME"], final_time=6)
    assert short["time"][-1] == 6 and (short["FINAL TIME"] == 6).all()
    until = model.run(return_columns=["housed"], return_timestamps=[2, 4.5])
    assert until["time"].values.tolist() == [2.0, 4.5]
    with pytest.raises(ParameterError, match="not a time of the integration grid"):
        model.run(return_timestamps=[1.1])


def test_accumulated_flows_add_up_to_stock_changes(model: BatchModel) -> None:
    months = np.arange(0, 25, 1.0)
    ds = model.run({"average stay": np.array([3.0, 5.0])}, return_columns=["housed"],
                   accumulate=["processing", "leaving"], return_timestamps=months)
    net = ds["processing (accumulated)"] - ds["leaving (accumulated)"]
    change = ds["housed"].diff("time")
    np.testing.assert_allclose(net[1:], change, rtol=1e-9, atol=1e-9 * float(abs(change).max()))
    assert (ds["processing (accumulated)"][0] == 0).all()


def test_time_series_inputs(model: BatchModel) -> None:
    grid = model.time_grid()
    saved = model.run(n=1, return_columns=["arrival rate"])["time"].values
    steps = np.where(grid < 10, 100.0, 150.0)[:, None] * np.array([1.0, 2.0])
    ds = model.run({"arrival rate": steps}, return_columns=["arrival rate", "waiting"])
    np.testing.assert_array_equal(ds["arrival rate"].values, steps)
    series = pd.Series([100.0, 200.0], index=[0.0, 24.0])
    one = model.run({"arrival rate": series}, return_columns=["arrival rate"])
    np.testing.assert_allclose(one["arrival rate"][:, 0], 100 + 100 * saved / 24)
    frame = pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 4.0]}, index=[0.0, 24.0])
    two = model.run({"average stay": frame}, return_columns=["leaving"])
    assert two.sizes["run"] == 2
    coarse = np.ones((25, 3)) * np.array([50.0, 100.0, 150.0])  # on a monthly save grid
    monthly = model.run({"arrival rate": coarse}, return_timestamps=np.arange(0, 25.0),
                        return_columns=["arrival rate"])
    np.testing.assert_array_equal(monthly["arrival rate"][-1], [50.0, 100.0, 150.0])


def test_lookup_tables_per_run() -> None:
    model = BatchModel.from_mdl(MODELS / "batch_functions.mdl")
    tables = pd.DataFrame({0: [0.0, 10.0], 1: [5.0, 5.0]}, index=[0.0, 10.0])
    ds = model.run({"response": tables}, return_columns=["looked up"])
    single = model.run({"response": pd.Series([0.0, 10.0], index=[0.0, 10.0])},
                       return_columns=["looked up"])
    np.testing.assert_array_equal(ds["looked up"][:, 0], single["looked up"][:, 0])
    assert model.lookups["response"][1].tolist() == [1.0, 3.0, 4.0, 9.0]
    with pytest.raises(ParameterError, match="is a lookup table"):
        model.run(return_columns=["response"])


def test_subscripted_outputs_and_inputs() -> None:
    model = BatchModel.from_mdl(SUBSCRIPTS)
    caps = xr.DataArray(np.array([[100.0, 120.0], [200, 220], [150, 170], [50, 70]]),
                        {"region": model.subscripts["region"]}, ["region", "run"])
    ds = model.run({"capacity": caps}, return_columns=["population", "total population"])
    assert ds["population"].dims == ("time", "region", "run")
    np.testing.assert_allclose(ds["population"].sum("region"), ds["total population"])
    frame = model.run(n=2, return_columns=["population"], output="frame")
    assert "population[north]" in frame.columns and len(frame) == 2 * 13


def test_frame_output(model: BatchModel) -> None:
    frame = model.run({"average stay": np.array([3.0, 5.0])}, output="frame",
                      return_columns=["housed", "leaving"])
    assert list(frame.columns) == ["run", "time", "housed", "leaving"]
    assert len(frame) == 2 * 97


def test_bad_inputs_are_reported(model: BatchModel) -> None:
    with pytest.raises(ParameterError, match="runs but other inputs have"):
        model.run({"average stay": np.ones(3), "delay time": np.ones(4)})
    with pytest.raises(ParameterError, match="control variable"):
        model.run({"TIME STEP": 1})
    with pytest.raises(ParameterError, match="a time series needs"):
        model.run({"average stay": np.ones((5, 2))})
    with pytest.raises(ParameterError, match="output="):
        model.run(output="csv")
    with pytest.raises(ParameterError, match="before INITIAL TIME"):
        model.run(final_time=-1)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="not found"):
        BatchModel.from_mdl(tmp_path / "missing.mdl")


def test_threads_do_not_change_results(model: BatchModel) -> None:
    params = {"average stay": np.linspace(2, 6, 9)}
    serial = model.run(params, return_columns=["housed", "smoothed 3"], chunk_size=2)
    threaded = model.run(params, return_columns=["housed", "smoothed 3"], chunk_size=2,
                         workers=2)
    xr.testing.assert_equal(serial, threaded)
