"""Time per run: PySD versus the compiled batch simulator, at N = 1 ... 100,000 runs.

Usage: ``python benchmarks/bench_batch.py [model.mdl] [--pysd-runs 3] [--max-n 100000]``.
Every batch run gets its own random parameter set (each scalar constant times U(0.9, 1.1)) and
returns a few stocks at whole months, which keeps memory bounded at large N. Prints a table;
peak memory is the process's peak resident set size (getrusage).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sdmodel.engine.batch import BatchModel  # noqa: E402
from sdmodel.engine.translate import translated_copy  # noqa: E402


def pysd_seconds_per_run(path: Path, runs: int) -> float:
    """Mean wall time of ``model.run()`` in PySD (reloaded between runs; no translation)."""
    import pysd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pysd.read_vensim(str(translated_copy(path)))
        model.run()  # warm-up
        start = time.perf_counter()
        for _ in range(runs):
            model.run(reload=True)
        return (time.perf_counter() - start) / runs


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batch_run(model: BatchModel, n: int, columns: list[str], months: np.ndarray,
              seed: int = 0) -> float:
    """Return the seconds one batch run of ``n`` random parameter sets takes."""
    rng = np.random.default_rng(seed)
    structural = set(model._spec["structural"])
    params = {name: value * rng.uniform(0.9, 1.1, n) for name, value in model.constants.items()
              if np.ndim(value) == 0 and model.identifier(name) not in structural}
    gc.collect()
    start = time.perf_counter()
    model.run(params, return_columns=columns, return_timestamps=months)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default=str(ROOT / "models" / "asielketen.mdl"))
    parser.add_argument("--pysd-runs", type=int, default=3)
    parser.add_argument("--max-n", type=int, default=100_000)
    args = parser.parse_args(argv)
    path = Path(args.model)

    model = BatchModel.from_mdl(path)
    columns = model.stocks[:5]
    grid = model.time_grid()
    months = np.arange(grid[0], grid[-1] + 1e-9, 1.0)
    batch_run(model, 2, columns, months)  # generate and import the simulator variant
    pysd_s = pysd_seconds_per_run(path, args.pysd_runs)

    print(f"model: {path} ({len(model.variables)} variables, {len(model.stocks)} stocks, "
          f"{len(grid) - 1} Euler steps)")
    print(f"returned: {len(columns)} stocks at {len(months)} monthly times; every run has its "
          "own random parameter set")
    print(f"PySD: {pysd_s * 1e3:.1f} ms per run (mean of {args.pysd_runs})")
    print()
    print(f"{'N':>8} {'batch total s':>14} {'ms per run':>11} {'PySD/batch':>11} "
          f"{'peak RSS MiB':>13}")
    for n in (1, 100, 1_000, 10_000, 100_000):
        if n > args.max_n:
            break
        seconds = batch_run(model, n, columns, months)
        per_run = seconds / n
        print(f"{n:>8} {seconds:>14.3f} {per_run * 1e3:>11.4f} {pysd_s / per_run:>10.0f}x "
              f"{peak_rss_mib():>13.0f}")
    print("\npeak RSS is the process maximum so far (N grows, so it is the largest run's)")


if __name__ == "__main__":
    main()
