"""Back-test: fit to the observations before a cutoff, forecast after it, score the forecast.

The fit itself is the ordinary one with ``until`` (rows whose period ends on or after the cutoff
are held back). The forecast runs the model with the fitted parameters through the held-back
periods; the inflow after the cutoff is the actual (historical) inflow embedded in the .mdl, so
the errors measure the chain's dynamics, not an inflow forecast. Rows whose period starts before
and ends after the cutoff are in neither set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.config import CalibrationConfig
from calibration.diagnostics import row_table, series_statistics
from calibration.evaluate import Evaluator
from calibration.objective import Objective
from calibration.problem import Problem
from sdmodel.errors import AsielketenError


@dataclass
class Backtest:
    """Errors of the forecast after ``cutoff`` on the held-back observations.

    Attributes
    ----------
    cutoff
        First day not used in the fit.
    rows
        Held-back rows with ``model`` (forecast), ``error_pct`` and the band.
    statistics
        Per series :func:`calibration.diagnostics.statistics` of the forecast.
    straddling
        Number of rows whose period contains the cutoff (neither fitted nor scored).
    """

    cutoff: pd.Timestamp
    rows: pd.DataFrame
    statistics: pd.DataFrame
    straddling: int


def parse_cutoff(text: str) -> pd.Timestamp:
    """Return the cutoff date of ``--until`` (``YYYY-MM-DD`` or ``YYYY-MM``, the first day).

    Raises
    ------
    AsielketenError
        If ``text`` is not such a date or lies outside 2015-01-01 .. 2026-01-01.
    """
    import re

    raw = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}", raw):
        raw += "-01"
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(raw)
        cutoff = pd.Timestamp(raw)
    except ValueError as err:
        raise AsielketenError(f"--until '{text}' is not a date; write YYYY-MM-DD, "
                              "e.g. 2022-01-01") from err
    if not pd.Timestamp("2015-01-01") <= cutoff <= pd.Timestamp("2026-01-01"):
        raise AsielketenError(f"--until {cutoff.date()} is outside 2015-01-01 .. 2026-01-01, "
                              "the span with observations to fit and to score")
    return cutoff


def split_rows(used: pd.DataFrame, cutoff: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                   int]:
    """Split fitted-series rows into (before cutoff, held back, number straddling)."""
    before = used[used["period_end"] < cutoff]
    after = used[used["period_start"] >= cutoff]
    return (before.reset_index(drop=True), after.reset_index(drop=True),
            len(used) - len(before) - len(after))


def score(
    held_back: pd.DataFrame, config: CalibrationConfig, *, evaluator: Evaluator,
    problem: Problem, theta: np.ndarray, replicates: np.ndarray, cutoff: pd.Timestamp,
    straddling: int, confidence: float,
) -> Backtest:
    """Forecast the held-back rows with ``theta`` (and the band from ``replicates``).

    Raises
    ------
    AsielketenError
        If no observation is held back.
    """
    if held_back.empty:
        raise AsielketenError(f"--until {cutoff.date()} holds back no observation of the fitted "
                              "series; choose an earlier cutoff")
    objective = Objective.build(held_back, config, time_step=evaluator.time_step)
    forecast = Problem(problem.parameters, objective, evaluator, fixed=problem.fixed)
    sets = np.vstack([theta[None, :], replicates]) if len(replicates) else theta[None, :]
    pred = objective.predict(forecast.outputs(sets))
    band = None
    if len(replicates) > 1:
        alpha = (1 - confidence) / 2
        band = np.quantile(pred[:, 1:], [alpha, 1 - alpha], axis=1).T
    rows = row_table(objective.rows, pred[:, 0], band=band)
    return Backtest(cutoff=cutoff, rows=rows, statistics=series_statistics(objective.rows,
                                                                           pred[:, 0]),
                    straddling=straddling)
