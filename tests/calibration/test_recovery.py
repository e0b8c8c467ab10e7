"""Recovery: simulate with known parameters at the real observation dates and periods, add noise,
fit, and find the known values inside the confidence intervals. Also: batch and PySD agree."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from calibration.config import load_config
from calibration.evaluate import BatchEvaluator, model_constants
from calibration.fit import fit
from calibration.intervals import intervals
from calibration.objective import Objective, select_rows
from calibration.problem import Problem
from sdmodel.data.observations import load_observations

TRUTH = {
    "hours per first asylum decision": 35.0,
    "emergency acquisition time": 2.0,
    "target realisation": 0.75,
    "nareis per grant": 1.1,
}
NOISE = 0.05  # log-normal observation noise (5%)


@pytest.fixture(scope="module")
def setup(chain_model):
    pytest.importorskip("sdmodel.engine.batch")
    from sdmodel.engine.batch import BatchModel

    observations = load_observations()
    config = load_config(constants=model_constants(chain_model), model_names=chain_model.names(),
                         observed_series=set(observations["series"]))
    evaluator = BatchEvaluator(BatchModel.from_mdl(chain_model.path), chain_model.time_step)
    return chain_model, observations, config, evaluator


def test_recovers_known_parameters_within_intervals(setup):
    _, observations, config, evaluator = setup
    params = tuple(p for p in config.parameters if p.name in TRUTH)
    config = dataclasses.replace(config, parameters=params)
    rows, _ = select_rows(observations, config)
    rows["bound"] = ""  # synthetic data: exact values
    objective = Objective.build(rows, config, time_step=evaluator.time_step)
    problem = Problem(params, objective, evaluator)

    truth = np.array([TRUTH[p.name] for p in params])
    clean = objective.predict(problem.outputs(truth[None, :]))[:, 0]
    rng = np.random.default_rng(7)
    rows["value"] = clean * np.exp(rng.normal(0.0, NOISE, len(clean)))
    objective = Objective.build(rows, config, time_step=evaluator.time_step)
    problem = Problem(params, objective, evaluator)

    result = fit(problem, method="lsq", starts=3, seed=3, max_nfev=40)
    iv = intervals(problem, result, replicates=60, seed=5, confidence=0.95)
    table = iv.table
    for p, true in zip(params, truth, strict=True):
        row = table.loc[p.name]
        assert row["low"] <= true <= row["high"], (p.name, true, row["low"], row["high"])
        assert abs(row["value"] - true) <= 0.05 * (p.high - p.low), (p.name, row["value"], true)
    assert not any(table["at_bound"])


def test_fitted_parameters_give_same_kpis_in_batch_and_pysd(setup):
    """The committed calibration through the batch simulator equals PySD (rtol 1e-6)."""
    from sdmodel.data.fitted import load_default
    from sdmodel.engine.kpis import monthly_kpis

    model, _, _, evaluator = setup
    overrides = load_default()
    reference = model.run(overrides, until="2025-12")
    ds = evaluator.model.run({k: np.array([v]) for k, v in overrides.items()}, n=1,
                             final_time=reference.shape[0], output="xarray")
    raw = ds.isel(run=0).to_dataframe().drop(columns="run", errors="ignore")
    raw.index.name = "time"
    batch = monthly_kpis(raw, time_step=model.time_step)
    np.testing.assert_allclose(batch.to_numpy(), reference.to_numpy(), rtol=1e-6, atol=1e-6)
