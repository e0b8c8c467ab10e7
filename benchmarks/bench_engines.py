"""Speed of every engine side by side: PySD, pysimlin, the NumPy and the numba batch backends.

Usage: ``python benchmarks/bench_engines.py [model.mdl] [--repeats 5] [--quick]
[--engines-only]`` (``make bench``). In one run it prints:

1. time per run at N = 1, 100, 10,000 and 100,000 runs per call, every run with its own random
   parameter set (each scalar constant times U(0.9, 1.1)) and every stock returned at each
   month start; PySD (one run at a time, reloaded) and pysimlin 0.8.5 (Simlin's engine, one
   run at a time, its stocks read and sampled at the month starts) run one set at a time.
   N = 100,000 returns the 14 KPI columns of the uncertainty bands instead (stocks at month
   starts and flows summed per month, as :mod:`sdmodel.analysis.uncertainty` asks for them;
   all 25 stocks would be 5 GiB of output, all 36 KPIs 7.6 GiB) and runs in a fresh process,
   so its peak resident memory is its own;
2. the ratios side by side;
3. the wall time of the full committed calibration (calibration.toml: its starts, evaluations
   per start and bootstrap refits) per backend;
4. the optimizer's simulations per second (one differential-evolution-sized generation of
   random plans over the spec's futures) per backend.

Other jobs may share the machine: every figure is the best and the median of ``--repeats``.
``--quick`` skips the NumPy calibration (about 4 minutes) and N = 100,000 with NumPy;
``--engines-only`` prints parts 1 and 2 only, without N = 100,000 (for a model other than the
project's, whose KPIs, calibration and optimizer those parts need).
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sdmodel.engine.batch import BatchModel  # noqa: E402
from sdmodel.engine.translate import translated_copy  # noqa: E402

SIZES = (1, 100, 10_000, 100_000)


def timings(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best and median wall time of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def random_params(model: BatchModel, n: int, seed: int) -> dict[str, np.ndarray]:
    """Each scalar constant (not an order) times U(0.9, 1.1), one value per run."""
    rng = np.random.default_rng(seed)
    structural = set(model._spec["structural"])
    return {name: value * rng.uniform(0.9, 1.1, n) for name, value in model.constants.items()
            if np.ndim(value) == 0 and model.identifier(name) not in structural}


def month_starts(model: BatchModel) -> np.ndarray:
    grid = model.time_grid()
    return np.arange(grid[0], grid[-1] + 1e-9, 1.0)


def pysd_per_run(path: Path, runs: int) -> float:
    """Mean wall time of one PySD run (reloaded between runs; translation not counted)."""
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(translated_copy(path)))
        model.run()
        start = time.perf_counter()
        for _ in range(runs):
            model.run(reload=True)
        return (time.perf_counter() - start) / runs


def pysimlin_per_run(path: Path, model: BatchModel, runs: int) -> tuple[float, float] | None:
    """Best and median time of one pysimlin run: overrides, run, every stock at month starts."""
    try:
        import simlin
    except ImportError:
        return None
    try:
        sd = simlin.load(str(path))
    except Exception as err:  # a model pysimlin cannot read: no peer figure
        print(f"pysimlin cannot load {path}: {str(err).splitlines()[0][:160]}")
        return None
    names = set(sd.get_var_names())
    stocks = [model.identifier(s) for s in model.stocks]
    grid = model.time_grid()
    rows = np.searchsorted(grid, month_starts(model) - 1e-9)
    params = random_params(model, runs, seed=5)
    overrides = [{model.identifier(k): float(v[i]) for k, v in params.items()
                  if model.identifier(k) in names} for i in range(runs)]
    times = []
    for i in range(runs):
        start = time.perf_counter()
        with sd.simulate(overrides=overrides[i]) as sim:
            sim.run_to_end()
            [sim.get_series(s)[rows] for s in stocks]
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def batch_per_run(model: BatchModel, n: int, engine: str, repeats: int) -> tuple[float, float]:
    params = random_params(model, n, seed=n)
    months, stocks = month_starts(model), model.stocks
    model.run(random_params(model, 2, 0), return_columns=stocks, return_timestamps=months,
              engine=engine)  # warm up (code generation, compilation or cache load)
    best, median = timings(lambda: model.run(params, return_columns=stocks,
                                             return_timestamps=months, engine=engine), repeats)
    return best / n, median / n


def kpi_run_child(path: str, n: int, engine: str, repeats: int) -> None:
    """In a fresh process: N runs returning the KPI columns of the uncertainty bands; print
    seconds and peak RSS."""
    from sdmodel.analysis.uncertainty import BAND_SERIES, SUMMARY_KPIS
    from sdmodel.engine.batch_kpis import run_monthly

    kpis = sorted({k for ks in BAND_SERIES.values() for k in ks} | set(SUMMARY_KPIS))
    model = BatchModel.from_mdl(path)
    params = random_params(model, n, seed=n)
    run_monthly(model, random_params(model, 2, 0), n=2, kpis=kpis, engine=engine)  # warm up
    best, median = timings(lambda: run_monthly(model, params, n=n, kpis=kpis, engine=engine),
                           repeats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"best": best / n, "median": median / n, "peak_mib": peak}))


def kpi_run(path: Path, n: int, engine: str, repeats: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(path), str(n), engine,
                           str(repeats)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def calibration_wall_time(engine: str) -> tuple[float, float, int]:
    """Seconds, cost and model runs of the full committed calibration (fit + bootstrap)."""
    from calibration.command import prepare
    from calibration.fit import fit
    from calibration.intervals import intervals

    inputs = prepare(evaluator="batch")
    problem, settings = inputs.problem, inputs.config.fit
    problem.evaluator.model.engine = engine
    start = problem.to_unit(np.array([p.start for p in problem.parameters]))
    problem.jacobian(start)  # warm up: code generation, kernels (serial and parallel)
    problem.residuals(np.repeat(start[None, :], 64, axis=0))
    problem.nfev = 0
    start = time.perf_counter()
    result = fit(problem, method=settings.method, starts=settings.starts, seed=settings.seed,
                 max_nfev=settings.max_nfev, de_popsize=settings.de_popsize,
                 de_maxiter=settings.de_maxiter)
    intervals(problem, result, replicates=settings.bootstrap, seed=settings.seed,
              confidence=settings.confidence)
    return time.perf_counter() - start, float(result.cost), problem.nfev


def optimizer_rate(engine: str, repeats: int, spec_name: str = "optimaliseer-alle-maatregelen",
                   futures: int = 50, seed: int = 1) -> tuple[float, float]:
    """Best and median simulations per second of one generation of random plans, evaluated as
    :func:`sdmodel.optimize.run.optimize` evaluates them."""
    import dataclasses

    from sdmodel.names import HISTORY_END_VARIABLE
    from sdmodel.optimize.ensemble import Evaluator
    from sdmodel.optimize.problem import DecisionSpace, build_futures
    from sdmodel.optimize.run import _base_scenario, _limits
    from sdmodel.optimize.spec import load_spec
    from sdmodel.runs import prepare

    session = prepare()
    batch = copy.copy(session.batch)
    batch.engine = engine
    session = dataclasses.replace(session, batch=batch)
    spec = load_spec(spec_name)
    base = _base_scenario(spec, session)
    first = float(session.base(base).get(HISTORY_END_VARIABLE, 0.0))
    space = DecisionSpace(spec, base, first=first, end=session.model.final_time)
    ensemble = build_futures(space.decode(space.extreme(capacity="min", measures="early")),
                             session, count=futures, bands=spec.futures.bands, seed=seed)
    bounds = np.array(space.bounds)
    members = spec.search.popsize * len(bounds)
    rng = np.random.default_rng(seed)
    plans = np.rint(bounds[:, 0] + rng.random((members, len(bounds))) * np.ptp(bounds, axis=1))
    rates = []
    for _ in range(repeats):
        evaluator = Evaluator(session, space, ensemble, horizon=spec.horizon,
                              limits=_limits(spec, base), chunk_runs=spec.search.chunk_runs)
        evaluator.evaluate(plans[:2])  # warm up: input buffers, kernels
        start = time.perf_counter()
        evaluator.evaluate(plans[2:])
        rates.append((members - 2) * ensemble.n / (time.perf_counter() - start))
    return max(rates), statistics.median(rates)


def _us(value: float) -> str:
    return f"{value * 1e6:,.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=str(ROOT / "models" / "asielketen.mdl"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--engines-only", action="store_true")
    args = parser.parse_args(argv)
    path = Path(args.model)
    model = BatchModel.from_mdl(path)
    grid = model.time_grid()
    print(f"model: {path} ({len(model.variables)} variables, {len(model.stocks)} stocks, "
          f"{len(grid) - 1} Euler steps); {len(model.stocks)} stocks returned at "
          f"{len(month_starts(model))} month starts; best / median of {args.repeats}")

    pysd_s = pysd_per_run(path, 3)
    simlin = pysimlin_per_run(path, model, max(20, args.repeats))
    rows: dict[str, dict[int, tuple[float, float]]] = {"numpy": {}, "numba": {}}
    memory: dict[str, float] = {}
    for engine in ("numpy", "numba"):
        for n in SIZES[:-1]:
            reps = args.repeats if n * (30 if engine == "numpy" else 1) <= 100_000 else 2
            rows[engine][n] = batch_per_run(model, n, engine, reps)
        if not args.engines_only and (engine == "numba" or not args.quick):
            big = kpi_run(path, SIZES[-1], engine, 2 if engine == "numba" else 1)
            rows[engine][SIZES[-1]] = (big["best"], big["median"])
            memory[engine] = big["peak_mib"]

    print("\ntime per run, us (best / median)")
    header = f"{'N':>8} {'PySD':>10} {'pysimlin':>17} {'NumPy backend':>19} {'numba backend':>19}"
    print(header)
    for n in SIZES:
        sim = "n/a" if simlin is None else f"{_us(simlin[0])} / {_us(simlin[1])}"
        cells = [f"{_us(rows[e][n][0])} / {_us(rows[e][n][1])}" if n in rows[e] else "skipped"
                 for e in ("numpy", "numba")]
        note = "  (14 KPI columns, fresh process)" if n == SIZES[-1] else ""
        print(f"{n:>8,} {_us(pysd_s):>10} {sim:>17} {cells[0]:>19} {cells[1]:>19}{note}")
    print("\nratios (best times; > 1: the numba backend is faster)")
    print(f"{'N':>8} {'PySD/numba':>11} {'pysimlin/numba':>15} {'NumPy/numba':>12} "
          f"{'pysimlin/NumPy':>15}")
    for n in [n for n in SIZES if n in rows["numba"]]:
        fast = rows["numba"][n][0]
        vs_np = f"{rows['numpy'][n][0] / fast:,.1f}x" if n in rows["numpy"] else "-"
        np_sim = (f"{simlin[0] / rows['numpy'][n][0]:,.2f}x"
                  if simlin and n in rows["numpy"] else "-")
        sim = f"{simlin[0] / fast:,.1f}x" if simlin else "-"
        print(f"{n:>8,} {pysd_s / fast:>10,.0f}x {sim:>15} {vs_np:>12} {np_sim:>15}")
    if args.engines_only:
        return
    print("\npeak resident memory at N = 100,000 with 14 KPI columns (whole process): "
          + ", ".join(f"{e} {m:,.0f} MiB" for e, m in memory.items()))

    print("\nfull committed calibration (calibration.toml: starts, max_nfev, bootstrap)")
    for engine in ("numba",) if args.quick else ("numba", "numpy"):
        seconds, cost, runs = calibration_wall_time(engine)
        print(f"  {engine:>5}: {seconds:7.1f} s, cost {cost:.6g}, {runs:,} model runs "
              f"({runs / seconds:,.0f} runs/s)")

    print("\noptimizer: one generation of random plans x 50 futures (best / median)")
    for engine in ("numba", "numpy"):
        best, median = optimizer_rate(engine, max(2, args.repeats // 2))
        print(f"  {engine:>5}: {best:10,.0f} / {median:,.0f} simulations/s")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kpi_run_child(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    else:
        main()
