"""Design runs: the same KPIs whatever the shards or the batch chunks, and a shard's job pickles
(what a Dask worker receives; tests/test_scaleout.py runs the shards of the bands on clusters)."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest


@pytest.mark.slow
def test_design_runs_do_not_depend_on_shards_chunks_or_dask() -> None:
    from sdmodel.analysis.design_runs import run_design
    from sdmodel.analysis.run_kpis import parse_kpi
    from sdmodel.analysis.sensitivity import sample_unit, sensitivity_parameters, to_values
    from sdmodel.runs import prepare
    from sdmodel.scenarios.scenario import load_scenario

    session = prepare()
    scenario = load_scenario("wetten-zoals-aangenomen", model=session.model)
    params = sensitivity_parameters(scenario, session)
    assert {p.kind for p in params} == {"band", "constant", "effect", "calibration"}
    assert {p.name.split(".")[0] for p in params if p.kind == "effect"} <= {
        m.measure.name for m in scenario.active_measures}
    design = to_values(params, sample_unit(params, "morris", 4, seed=2)).iloc[:24]
    specs = [parse_kpi("coa_2030"), parse_kpi("ter_apel_occupancy_2029")]
    whole = run_design(scenario, session, params, design, specs)
    assert whole.shape == (24, 2) and whole["coa_2030"].nunique() > 10
    pieces = run_design(scenario, session, params, design, specs, shard_runs=7, chunk_size=5)
    pd.testing.assert_frame_equal(whole, pieces, check_exact=True)
    from sdmodel.analysis.design_runs import STANDARD_MONTHLY, DesignJob, kpi_shard
    from sdmodel.analysis.uncertainty import Ensemble, bootstrap_draws

    job = DesignJob(Ensemble(session, tuple(params), bootstrap_draws(session), STANDARD_MONTHLY,
                             8), tuple(specs))
    shipped = pickle.loads(pickle.dumps(job))
    part = kpi_shard(shipped, (scenario, design.iloc[3:11]))
    np.testing.assert_array_equal(part["coa_2030"], whole["coa_2030"].to_numpy()[3:11])
