"""Fit statistics per series: MAPE, R2, RMSE and Sterman's Theil decomposition.

For a series with observations ``A`` and the model's counterparts ``S`` (stocks at the dates,
flows integrated over the periods, ratios averaged; see :mod:`calibration.objective`), in the
data's units:

- ``MAPE`` = mean of ``|S - A| / |A|`` (percent);
- ``R2`` = squared correlation of ``S`` and ``A`` (Sterman 1984; undefined below 3 rows);
- ``RMSE`` = root mean squared error;
- Theil: ``MSE = (mean S - mean A)^2 + (s_S - s_A)^2 + 2 (1 - r) s_S s_A`` with population
  standard deviations; ``U^M``, ``U^S`` and ``U^C`` are the three terms' shares of the MSE (bias,
  unequal variation, unequal covariation). A good fit puts most of the error in ``U^C``.

Bound rows ('>9,200') are compared as values here. A series with rows of very different
definitions or time spans (annual and quarterly flows) mixes their scales in RMSE and Theil.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STAT_COLUMNS = ("rows", "mape", "r2", "rmse", "um", "us", "uc", "mean_observed",
                "mean_model")


def theil(observed: np.ndarray, simulated: np.ndarray) -> tuple[float, float, float]:
    """Return Theil's ``(U^M, U^S, U^C)`` of ``simulated`` against ``observed``."""
    a, s = np.asarray(observed, float), np.asarray(simulated, float)
    mse = np.mean((s - a) ** 2)
    if len(a) == 0 or mse == 0:
        return (np.nan, np.nan, np.nan)
    sa, ss = a.std(), s.std()
    r = np.corrcoef(a, s)[0, 1] if sa > 0 and ss > 0 else 0.0
    return ((s.mean() - a.mean()) ** 2 / mse, (ss - sa) ** 2 / mse, 2 * (1 - r) * ss * sa / mse)


def statistics(observed: np.ndarray, simulated: np.ndarray) -> dict[str, float]:
    """Return MAPE (%), R2, RMSE, Theil's U^M/U^S/U^C and the means for one series."""
    a, s = np.asarray(observed, float), np.asarray(simulated, float)
    if len(a) >= 3 and a.std() > 0 and s.std() > 0:
        r2 = float(np.corrcoef(a, s)[0, 1] ** 2)
    else:
        r2 = np.nan
    um, us, uc = theil(a, s)
    return {
        "rows": len(a),
        "mape": float(np.mean(np.abs(s - a) / np.abs(a)) * 100) if len(a) else np.nan,
        "r2": r2,
        "rmse": float(np.sqrt(np.mean((s - a) ** 2))) if len(a) else np.nan,
        "um": um, "us": us, "uc": uc,
        "mean_observed": float(a.mean()) if len(a) else np.nan,
        "mean_model": float(s.mean()) if len(a) else np.nan,
    }


def series_statistics(rows: pd.DataFrame, predicted: np.ndarray) -> pd.DataFrame:
    """Return one row of :func:`statistics` per series.

    Parameters
    ----------
    rows
        Observation rows (columns ``series`` and ``value``).
    predicted
        The model's counterpart of each row, ``(rows,)``.

    Returns
    -------
    pandas.DataFrame
        Index ``series``; columns :data:`STAT_COLUMNS`.
    """
    predicted = np.asarray(predicted, float)
    table = {
        name: statistics(group["value"].to_numpy(), predicted[group.index.to_numpy()])
        for name, group in rows.reset_index(drop=True).groupby("series", sort=True)
    }
    frame = pd.DataFrame.from_dict(table, orient="index", columns=list(STAT_COLUMNS))
    frame.index.name = "series"
    return frame.astype({"rows": int})


def row_table(rows: pd.DataFrame, predicted: np.ndarray, *, band: np.ndarray | None = None
              ) -> pd.DataFrame:
    """Return the observation rows with the model value, the error and (optionally) a band.

    Parameters
    ----------
    rows
        Observation rows.
    predicted
        The model's counterpart of each row.
    band
        ``(rows, 2)`` lower and upper model values over the bootstrap parameter sets.
    """
    out = rows[["series", "kind", "period_start", "period_end", "value", "quality", "line",
                "bound"]].copy()
    out["model"] = predicted
    out["error_pct"] = (out["model"] - out["value"]) / out["value"] * 100
    if band is not None:
        out["model_low"], out["model_high"] = band[:, 0], band[:, 1]
    return out
