"""Wall time of an uncertainty run: N Latin-hypercube samples x the scenarios, batch simulator.

Usage: ``python benchmarks/bench_uncertainty.py [--samples 1000] [--seed 1]
[SCENARIO ...]`` (default scenarios: baseline alle-maatregelen gefaseerd). Prints the time to
load the model, to run the central comparison and to run the samples (design, inputs, batch runs,
quantiles), the runs per second and the peak memory (getrusage).
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

DEFAULT_SCENARIOS = ("baseline", "alle-maatregelen", "gefaseerd")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=list(DEFAULT_SCENARIOS))
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from sdmodel.analysis.compare import compare
    from sdmodel.analysis.uncertainty import run_uncertainty
    from sdmodel.runs import prepare

    start = time.perf_counter()
    session = prepare()
    loaded = time.perf_counter()
    comparison = compare(args.scenarios, session=session)
    central = time.perf_counter()
    result = run_uncertainty(comparison.scenarios, session, samples=args.samples, seed=args.seed)
    done = time.perf_counter()

    runs = args.samples * len(comparison.scenarios)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scenarios: {', '.join(args.scenarios)}; {len(result.parameters)} sampled "
          f"parameters; calibration: {session.calibration.note}")
    print(f"load model (PySD + batch):      {loaded - start:7.2f} s")
    print(f"central comparison ({len(comparison.scenarios)} runs):  {central - loaded:7.2f} s")
    print(f"uncertainty ({runs} runs):     {done - central:7.2f} s  "
          f"({runs / (done - central):,.0f} runs/s)")
    print(f"peak memory:                    {peak:7.0f} MiB")


if __name__ == "__main__":
    main()
