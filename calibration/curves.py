"""The fitted run per observed series, as curves for the fit figures.

Each series of calibration.toml is the sum of its model variables times its scale: stocks and
ratios over model time, flows as monthly totals (drawn at mid-month). The band is the spread of
the runs with the bootstrap parameter sets (parameter uncertainty only). The figures themselves
are drawn by :mod:`sdmodel.figures.fit`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calibration.config import CalibrationConfig, SeriesSpec
from calibration.problem import Problem
from sdmodel.calendar import model_dates, time_grid
from sdmodel.figures.fit import Curve


def series_curve(spec: SeriesSpec, times: np.ndarray, best: Mapping[str, np.ndarray],
                 replicates: Mapping[str, np.ndarray] | None, *, confidence: float) -> Curve:
    """Build the curve of one series from outputs ``{variable: (T, N)}`` on ``times``."""
    dt = float(times[1] - times[0])

    def values(outputs: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        total = sum(outputs[v] for v in spec.variables) * spec.scale
        if spec.aggregation != "flow":
            return times, total
        month = np.floor(times[:-1] + 1e-9).astype(int)
        sums = np.stack([np.bincount(month, total[:-1, j] * dt) for j in range(total.shape[1])],
                        axis=1)
        return np.arange(sums.shape[0]) + 0.5, sums

    t, model = values(best)
    band = None
    if replicates is not None and next(iter(replicates.values())).shape[1] > 1:
        _, reps = values(replicates)
        alpha = (1 - confidence) / 2
        band = np.quantile(reps, [alpha, 1 - alpha], axis=1).T
    return Curve(dates=model_dates(t), model=model[:, 0], band=band,
                 per_month=spec.aggregation == "flow")


def fitted_curves(problem: Problem, config: CalibrationConfig, theta: np.ndarray,
                  reps: np.ndarray, final_time: float, confidence: float) -> dict[str, Curve]:
    """Run the estimate and the bootstrap refits once more and return each series' curve."""
    variables = sorted({v for s in config.series.values() for v in s.variables})
    sets = np.vstack([theta[None, :], reps]) if len(reps) else theta[None, :]
    outputs = problem.evaluator.simulate(problem.model_params(sets), n=len(sets),
                                         variables=variables, final_time=final_time)
    times = time_grid(final_time, problem.evaluator.time_step)
    best = {v: a[:, :1] for v, a in outputs.items()}
    rest = {v: a[:, 1:] for v, a in outputs.items()} if len(reps) > 1 else None
    return {name: series_curve(spec, times, best, rest, confidence=confidence)
            for name, spec in config.series.items()}
