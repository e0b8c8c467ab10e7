"""The sensitivity wrapper: designs, value mapping and indices of functions with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdmodel.analysis.sensitivity import (
    analyse,
    check_samples,
    design_runs,
    sample_unit,
    to_values,
)
from sdmodel.analysis.uncertainty import Uncertain
from sdmodel.errors import AsielketenError

# Ishigami (A = 7, B = 0.1) on [-pi, pi]^3: analytical indices (Saltelli et al. 2008, Table 4.1;
# Sobol' and Levitan 1999).
A, B = 7.0, 0.1
_V = A**2 / 8 + B * np.pi**4 / 5 + B**2 * np.pi**8 / 18 + 0.5
_V1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
_V2 = A**2 / 8
_V13 = B**2 * np.pi**8 * (1 / 18 - 1 / 50)
ISHIGAMI_S1 = {"x1": _V1 / _V, "x2": _V2 / _V, "x3": 0.0}
ISHIGAMI_ST = {"x1": (_V1 + _V13) / _V, "x2": _V2 / _V, "x3": _V13 / _V}


def _params(ranges: dict[str, tuple[float, float]]) -> list[Uncertain]:
    return [Uncertain(name, "constant", lo, hi, (lo + hi) / 2, "test") for name, (lo, hi)
            in ranges.items()]


def test_sobol_indices_of_ishigami_are_the_known_ones_within_their_confidence() -> None:
    from SALib.test_functions import Ishigami

    params = _params({f"x{i}": (-np.pi, np.pi) for i in (1, 2, 3)})
    unit = sample_unit(params, "sobol", 1024, seed=7)
    assert unit.shape == (design_runs("sobol", 1024, 3), 3)
    values = to_values(params, unit)
    assert values.min().min() >= -np.pi and values.max().max() <= np.pi
    y = Ishigami.evaluate(values[["x1", "x2", "x3"]].to_numpy())
    indices = analyse(params, "sobol", unit, pd.DataFrame({"ishigami": y}), seed=7)
    assert list(indices.columns) == ["parameter", "kpi", "S1", "S1_conf", "ST", "ST_conf"]
    rows = indices.set_index("parameter")
    for name in ("x1", "x2", "x3"):
        row = rows.loc[name]
        assert 0 < row["S1_conf"] < 0.1 and 0 < row["ST_conf"] < 0.1
        assert abs(row["S1"] - ISHIGAMI_S1[name]) <= row["S1_conf"], name
        assert abs(row["ST"] - ISHIGAMI_ST[name]) <= row["ST_conf"], name


def test_morris_mu_star_of_a_linear_function_is_slope_times_range() -> None:
    params = _params({"a": (0.0, 1.0), "b": (10.0, 12.0), "c": (-5.0, 5.0)})
    unit = sample_unit(params, "morris", 20, seed=3)
    assert unit.shape == (design_runs("morris", 20, 3), 3)
    values = to_values(params, unit)
    y = 3 * values["a"] - 1.5 * values["b"] + 0 * values["c"]
    indices = analyse(params, "morris", unit, pd.DataFrame({"y": y}), seed=3)
    assert list(indices.columns) == ["parameter", "kpi", "mu_star", "mu_star_conf", "sigma"]
    rows = indices.set_index("parameter")
    assert rows.loc["a", "mu_star"] == pytest.approx(3.0)
    assert rows.loc["b", "mu_star"] == pytest.approx(3.0)  # |-1.5| x a range of 2
    assert rows.loc["c", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert rows["sigma"].max() == pytest.approx(0.0, abs=1e-9)


def test_a_kpi_that_does_not_vary_has_no_indices() -> None:
    params = _params({"a": (0.0, 1.0), "b": (0.0, 1.0)})
    unit = sample_unit(params, "sobol", 16, seed=1)
    outputs = pd.DataFrame({"flat": np.full(len(unit), 5.0), "moves": unit[:, 0]})
    indices = analyse(params, "sobol", unit, outputs, seed=1)
    assert indices[indices["kpi"] == "flat"][["S1", "ST"]].isna().all().all()
    assert indices[indices["kpi"] == "moves"]["ST"].notna().all()


def test_the_calibration_factor_draws_whole_bootstrap_rows() -> None:
    params = [Uncertain("calibration (bootstrap row)", "calibration", 0, 199, np.nan, "x"),
              Uncertain("a", "constant", 2.0, 4.0, 3.0, "x")]
    unit = np.array([[0.0, 0.0], [0.999999, 1.0], [0.5, 0.25]])
    values = to_values(params, unit)
    assert values["calibration (bootstrap row)"].tolist() == [0, 199, 100]
    assert values["a"].tolist() == [2.0, 4.0, 2.5]


@pytest.mark.parametrize(("method", "samples", "fragment"), [
    ("sobol", 8, "at least 16"),
    ("sobol", 100, "power of two; use 64 or 128"),
    ("morris", 2, "at least 4 trajectories"),
    ("fast", 64, "use one of sobol, morris"),
])
def test_bad_method_or_too_few_samples_is_one_clear_line(method: str, samples: int,
                                                         fragment: str) -> None:
    with pytest.raises(AsielketenError, match=fragment) as err:
        check_samples(method, samples)
    assert "\n" not in str(err.value)
