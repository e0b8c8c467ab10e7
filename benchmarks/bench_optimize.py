"""Wall time of an optimisation: candidate plans x futures in the batch simulator.

Usage: ``python benchmarks/bench_optimize.py [SPEC] [--max-evals 2000] [--futures 50]
[--seed 1]`` (default spec: optimaliseer-alle-maatregelen). Prints the time to load the model,
the raw evaluation rate (one DE-sized generation of random plans), the wall time of the whole
optimisation, the evaluations and simulations per second, and the peak memory (getrusage).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", default="optimaliseer-alle-maatregelen")
    parser.add_argument("--max-evals", type=int, default=2000)
    parser.add_argument("--futures", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import numpy as np

    from sdmodel.optimize.ensemble import Evaluator
    from sdmodel.optimize.run import main_goal, optimize
    from sdmodel.optimize.spec import load_spec
    from sdmodel.runs import prepare

    start = time.perf_counter()
    session = prepare()
    loaded = time.perf_counter()
    result = optimize(args.spec, max_evals=args.max_evals, futures=args.futures, seed=args.seed,
                      session=session)
    done = time.perf_counter()

    spec = load_spec(args.spec)
    evaluator = Evaluator(session, result.space, result.futures, horizon=spec.horizon,
                          limits=result.evaluator.limits, chunk_runs=spec.search.chunk_runs)
    bounds = np.array(result.space.bounds)
    members = spec.search.popsize * len(bounds)
    rng = np.random.default_rng(args.seed)
    plans = np.rint(bounds[:, 0] + rng.random((members, len(bounds))) * np.ptp(bounds, axis=1))
    evaluator.evaluate(plans[:2])  # warm up: code generation, input buffers
    tick = time.perf_counter()
    main_goal(spec, evaluator.limits).objective(evaluator.evaluate(plans[2:]))
    generation = time.perf_counter() - tick

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sims = (members - 2) * result.futures.n
    print(f"spec: {args.spec}; {len(bounds)} decision variables; {result.futures.n} futures; "
          f"calibration: {session.calibration.note}")
    print(f"load model (PySD + batch):        {loaded - start:7.2f} s")
    print(f"one generation ({members - 2} plans):     {generation:7.2f} s  "
          f"({sims / generation:,.0f} simulations/s)")
    print(f"optimisation ({result.nfev} plans):     {done - loaded:7.2f} s  "
          f"({result.nfev / (done - loaded):,.1f} plans/s, "
          f"{result.nsim / (done - loaded):,.0f} simulations/s)")
    print(f"result: {result.message}")
    print(f"peak memory:                      {peak:7.0f} MiB")


if __name__ == "__main__":
    main()
