"""Scale-out on Dask gives the same bytes as the in-process path.

The batch simulator and the session pickle (the simulator as its spec, rebuilt from the cache);
the uncertainty bands, the optimizer's plans x futures and the calibration's starts and bootstrap
refits are split into shards and run on a ``LocalCluster`` on 127.0.0.1 and, separately, on a
``dask scheduler`` and a ``dask worker`` started as subprocesses and joined by address; every
result is compared with the in-process one byte for byte. ``asielketen compare --workers``
writes the same files as without. The tests that need Dask are skipped only when it is not
installed (``make test`` installs it).
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sdmodel.engine.batch import BatchModel
from sdmodel.errors import AsielketenError
from sdmodel.paths import CACHE_VARIABLE, cache_dir
from sdmodel.scaleout import Pool, dask_available, open_pool, shards

ROOT = Path(__file__).resolve().parent.parent
STATEFUL = ROOT / "tests" / "models" / "batch_stateful.mdl"
SMALL_MODEL = ROOT / "tests" / "models" / "optimize_capacity.mdl"
needs_dask = pytest.mark.skipif(not dask_available(),
                                reason="Dask is not installed: pip install -e '.[dask]'")

SMALL_CALIBRATION = """
[settings]
error = "log"
loss = "soft_l1"

[fit]
starts = 3
seed = 1
max_nfev = 4
bootstrap = 6

[series.coa_status_holders_waiting]
weight = 1.0

[series.nareis_arrivals]
weight = 1.0

[parameters."target realisation"]

[parameters."nareis per grant"]
tied = ["nareis per subsidiary grant"]
"""


def same_arrays(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        assert np.asarray(a[name]).tobytes() == np.asarray(b[name]).tobytes(), name


# -- pickling (no Dask needed) ---------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_batch_model_pickles_as_its_spec(engine: str) -> None:
    model = BatchModel.from_mdl(STATEFUL, engine=engine)
    copy = pickle.loads(pickle.dumps(model))
    assert copy.engine == engine and copy.source == model.source
    params = {"delay time": np.array([0.3, 1.0, 3.0])}
    same_arrays(copy.run(params, output="arrays"), model.run(params, output="arrays"))


def test_an_unpickled_model_is_rebuilt_in_an_empty_cache(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that never compiled the .mdl generates the simulator from the pickled spec."""
    model = BatchModel.from_mdl(STATEFUL)
    data = pickle.dumps(model)
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    copy = pickle.loads(data)
    assert list((tmp_path / "cache" / "batch").glob("*.py"))
    same_arrays(copy.run(engine="numpy", output="arrays"),
                model.run(engine="numpy", output="arrays"))


def test_a_session_pickles_without_its_pysd_model(small_session) -> None:
    copy = pickle.loads(pickle.dumps(small_session))
    assert copy.model is None
    assert copy.defaults == small_session.defaults and copy.limits == small_session.limits
    assert copy.calibration == small_session.calibration
    assert copy.batch.source == small_session.batch.source


def test_shards_cut_the_runs_in_order() -> None:
    assert shards(25, 10) == [(0, 10), (10, 20), (20, 25)]
    assert shards(0, 10) == [] and shards(3, 0) == [(0, 1), (1, 2), (2, 3)]


def test_bad_options_are_one_line_errors() -> None:
    with pytest.raises(AsielketenError, match="not both"), open_pool(workers=2,
                                                                     scheduler="tcp://x:1"):
        pass
    with pytest.raises(AsielketenError, match="at least 1 worker"), open_pool(workers=0):
        pass
    with open_pool() as pool:
        assert not pool.distributed and pool.workers == 1


# -- what the jobs split, on a cluster -------------------------------------------------------------


@pytest.fixture(scope="module")
def small_session():
    from sdmodel.runs import prepare

    return prepare(SMALL_MODEL)


@pytest.fixture(scope="module")
def project_session():
    from sdmodel.runs import prepare

    return prepare()


def uncertainty(session, pool: Pool | None) -> object:
    from sdmodel.analysis.uncertainty import run_uncertainty
    from sdmodel.scenarios.scenario import load_scenario

    scenarios = [load_scenario(name, model=session.model)
                 for name in ("baseline", "alle-maatregelen")]
    return run_uncertainty(scenarios, session, samples=20, seed=11, shard_runs=8, chunk_size=5,
                           pool=pool)


def plan_metrics(session, pool: Pool | None) -> dict:
    """Seven plans over three futures, two plans a shard on a cluster."""
    from sdmodel.names import HISTORY_END_VARIABLE
    from sdmodel.optimize.ensemble import Evaluator
    from sdmodel.optimize.problem import DecisionSpace, build_futures
    from sdmodel.optimize.run import _base_scenario, _limits
    from sdmodel.optimize.spec import load_spec

    spec = load_spec("optimaliseer-alle-maatregelen")
    base = _base_scenario(spec, session)
    first = float(session.base(base).get(HISTORY_END_VARIABLE, 0.0))
    space = DecisionSpace(spec, base, first=first, end=session.model.final_time)
    futures = build_futures(space.decode(space.extreme(capacity="min", measures="early")),
                            session, count=3, bands=spec.futures.bands, seed=2)
    evaluator = Evaluator(session, space, futures, horizon=spec.horizon,
                          limits=_limits(spec, base), chunk_runs=6, pool=pool, shard_runs=6)
    bounds = np.array(space.bounds)
    rng = np.random.default_rng(4)
    xs = np.rint(bounds[:, 0] + rng.random((7, len(bounds))) * np.ptp(bounds, axis=1))
    metrics = evaluator.evaluate(xs)
    assert (evaluator.evaluations, evaluator.simulations) == (7, 21)
    return dict(metrics.values)


def calibration_fit(pool: Pool | None, config: Path) -> tuple:
    from calibration.command import prepare
    from calibration.fit import fit
    from calibration.intervals import bootstrap

    problem = prepare(config_path=config, evaluator="batch").problem
    result = fit(problem, starts=3, seed=1, max_nfev=4, pool=pool)
    replicates = bootstrap(problem, result, replicates=6, seed=1, iterations=2, chunk=2,
                           pool=pool)
    return result, replicates, problem.nfev


@pytest.fixture(scope="module")
def in_process(project_session, tmp_path_factory) -> dict:
    config = tmp_path_factory.mktemp("cal") / "calibration.toml"
    config.write_text(SMALL_CALIBRATION, encoding="utf-8")
    return {"uncertainty": uncertainty(project_session, None),
            "plans": plan_metrics(project_session, None),
            "calibration": calibration_fit(None, config), "config": config}


def assert_same_as_in_process(pool: Pool, session, expected: dict) -> None:
    assert pool.distributed
    got = uncertainty(session, pool)
    want = expected["uncertainty"]
    pd.testing.assert_frame_equal(got.design, want.design, check_exact=True)
    pd.testing.assert_frame_equal(got.bands, want.bands, check_exact=True)
    pd.testing.assert_frame_equal(got.summary, want.summary, check_exact=True)
    same_arrays(plan_metrics(session, pool), expected["plans"])
    result, replicates, nfev = calibration_fit(pool, expected["config"])
    want_result, want_replicates, want_nfev = expected["calibration"]
    assert result.x.tobytes() == want_result.x.tobytes()
    assert result.fun.tobytes() == want_result.fun.tobytes()
    pd.testing.assert_frame_equal(result.starts, want_result.starts, check_exact=True)
    assert replicates.tobytes() == want_replicates.tobytes()
    assert nfev == want_nfev


@needs_dask
def test_a_local_cluster_gives_the_same_bytes(project_session, in_process) -> None:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert_same_as_in_process(Pool(client), project_session, in_process)


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory) -> Iterator[str]:
    """A ``dask scheduler`` and one ``dask worker`` as subprocesses; yields the address."""
    if not dask_available():
        pytest.skip("Dask is not installed: pip install -e '.[dask]'")
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
    env = dict(os.environ, **{CACHE_VARIABLE: str(cache_dir()), "NUMBA_NUM_THREADS": "1"})
    common = ["--scheduler-file", str(address_file), "--no-dashboard"]
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  *common], env=env, cwd=folder, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text(encoding="utf-8"))["address"]
        worker = subprocess.Popen([dask, "worker", *common, "--host", "127.0.0.1",
                                   "--nworkers", "1", "--nthreads", "1"], env=env, cwd=folder,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


@needs_dask
def test_a_scheduler_and_worker_joined_by_address_give_the_same_bytes(
        scheduler_address: str, project_session, in_process) -> None:
    assert scheduler_address.startswith("tcp://127.0.0.1:")
    with open_pool(scheduler=scheduler_address) as pool:
        assert pool.workers == 1
        assert_same_as_in_process(pool, project_session, in_process)


@needs_dask
def test_compare_with_workers_writes_the_same_files(tmp_path: Path) -> None:
    import cli

    runner = CliRunner()
    outputs = {}
    for label, extra in (("here", []), ("dask", ["--workers", "2"])):
        out = tmp_path / label
        result = runner.invoke(cli.main, ["compare", "baseline", "gefaseerd", "--samples", "12",
                                          "--seed", "5", "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        outputs[label] = out
    names = sorted(p.name for p in outputs["here"].iterdir())
    assert names == sorted(p.name for p in outputs["dask"].iterdir())
    for name in names:
        if name == "manifest.json":  # the command line differs
            continue
        here, dask = ((outputs[k] / name).read_bytes() for k in ("here", "dask"))
        assert here == dask, f"{name} differs"
    manifest = json.loads((outputs["dask"] / "manifest.json").read_text(encoding="utf-8"))
    assert "--workers 2" in manifest["command"]


def test_a_missing_dask_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sdmodel.scaleout as scaleout

    monkeypatch.setattr(scaleout, "dask_available", lambda: False)
    with pytest.raises(AsielketenError, match=r"pip install -e '\.\[dask\]'"), \
            scaleout.open_pool(workers=1):
        pass


def test_calibrate_refuses_pysd_on_a_cluster(in_process) -> None:
    from calibration.command import calibrate

    class FakeCluster(Pool):
        distributed = True  # type: ignore[assignment]

    with pytest.raises(AsielketenError, match="PySD models cannot be sent to workers"):
        calibrate(config_path=in_process["config"], evaluator="pysd", figures=False,
                  pool=FakeCluster())


def test_replacing_a_frozen_session_keeps_it_picklable(small_session) -> None:
    changed = dataclasses.replace(small_session, defaults={**small_session.defaults, "x": 1.0})
    assert pickle.loads(pickle.dumps(changed)).defaults["x"] == 1.0
