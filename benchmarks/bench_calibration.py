"""Calibration timings: one Jacobian (P+1 runs) through PySD and the batch simulator, one
least-squares start, and bootstrap refits. Run: ``python benchmarks/bench_calibration.py``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    import numpy as np

    from calibration.command import prepare
    from calibration.evaluate import PySDEvaluator
    from calibration.fit import fit
    from calibration.intervals import bootstrap
    from calibration.problem import Problem

    inputs = prepare(evaluator="batch")
    batch: Problem = inputs.problem
    pysd = Problem(batch.parameters, batch.objective, PySDEvaluator(inputs.model))
    unit = batch.to_unit(np.array([p.start for p in batch.parameters]))
    n_runs = len(unit) + 1

    timings = {}
    for name, problem in (("pysd", pysd), ("batch", batch)):
        problem.jacobian(unit)  # warm up
        tick = time.perf_counter()
        problem.jacobian(unit)
        timings[name] = time.perf_counter() - tick
    print(f"Jacobian ({n_runs} runs): PySD {timings['pysd']:.2f} s, batch "
          f"{timings['batch']:.3f} s, ratio {timings['pysd'] / timings['batch']:.0f}x")

    tick = time.perf_counter()
    result = fit(batch, starts=1, seed=0, max_nfev=100)
    one_start = time.perf_counter() - tick
    print(f"one least-squares start (batch): {one_start:.1f} s, {result.nfev} runs, "
          f"cost {result.cost:.4g}")

    tick = time.perf_counter()
    reps = bootstrap(batch, result, replicates=50, seed=0)
    boot = time.perf_counter() - tick
    print(f"50 bootstrap refits (batch): {boot:.1f} s ({boot / len(reps):.2f} s per refit)")
    estimate = one_start / timings["batch"] * timings["pysd"]
    print(f"the same start through PySD would take about {estimate / 60:.0f} min")


if __name__ == "__main__":
    main()
