"""Residuals that take the observations as they are.

Each preferred observation row is compared with the model output its series maps to (see
:mod:`calibration.config`):

- a **stock** at its date: the model value linearly interpolated between time steps (Euler
  stocks are piecewise linear in time);
- a **flow** over its inclusive period ``[start, end]``: the model flow integrated over model
  time ``[t(start), t(end + 1 day))``, each Euler step's rate held over its step;
- a **ratio** over its period: the model variable averaged over the same interval.

Dates become fractional model months: ``(year - 2014) * 12 + (month - 1) + (day - 1) /
days_in_month``. Each comparison is a row of a sampling matrix, so predictions for N runs are one
matrix product per series. Errors are log or relative; rows whose note marks them as a lower or
upper bound ('>9,200' lower bound) are one-sided, down-weighted or taken as values
(``settings.bound_rows``). Weights make every series count by its ``weight`` however many rows it
has; stock rows of one series in the same calendar month share one row's weight; the quality of
the source scales a row's weight; a robust loss enters through pseudo-residuals
``sign(e) * sqrt(rho(e^2))``, so least squares, differential evolution and the bootstrap minimise
the same cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.config import CalibrationConfig, SeriesSpec, Settings
from sdmodel.calendar import TIME_ZERO, date_to_month, time_grid
from sdmodel.errors import DataFileError

_LOWER = re.compile(r"lower bound", re.IGNORECASE)
_UPPER = re.compile(r"upper bound", re.IGNORECASE)
TINY = 1e-9


def bound_kind(note: str) -> str:
    """Return ``"lower"``, ``"upper"`` or ``""`` from an observation's note."""
    if _LOWER.search(note or ""):
        return "lower"
    if _UPPER.search(note or ""):
        return "upper"
    return ""


def select_rows(
    observations: pd.DataFrame,
    config: CalibrationConfig,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split preferred observation rows into those fitted and those not, with the reason.

    Parameters
    ----------
    observations
        Preferred rows from :func:`sdmodel.data.observations.load_observations`.
    config
        The parsed calibration.toml.

    Returns
    -------
    (used, not_used)
        ``used`` has the observation columns plus ``t0``, ``t1`` (model months), ``bound``
        (``lower``/``upper``/empty); ``not_used`` has the observation columns plus ``reason``.
    """
    from sdmodel.names import KPIS

    frame = observations.copy()
    reasons = pd.Series("", index=frame.index, dtype=object)
    for series in frame["series"].unique():
        mask = frame["series"] == series
        if series in config.unused:
            reasons[mask] = f"excluded in calibration.toml: {config.unused[series]}"
        elif series not in config.series:
            reasons[mask] = ("not listed in calibration.toml" if series in KPIS
                             else "not used: no model output")
    for name, spec in config.series.items():
        for line in spec.exclude_lines:
            hit = (frame["series"] == name) & (frame["line"] == line)
            if not hit.any():
                raise DataFileError(
                    f"{config.path.name}, key 'series.{name}.exclude_lines': line {line} is not "
                    f"a preferred row of {name} in observations.csv; remove it from the list")
            reasons[hit] = "excluded in calibration.toml (exclude_lines)"
    early = (frame["period_start"] < pd.Timestamp(TIME_ZERO)) & (reasons == "")
    reasons[early] = "before the model start (2014-01-01)"
    frame["reason"] = reasons
    used = frame[reasons == ""].drop(columns="reason").reset_index(drop=True)
    used["t0"] = [date_to_month(d) for d in used["period_start"]]
    used["t1"] = [date_to_month(d + pd.Timedelta(days=1)) if k != "stock" else date_to_month(d)
                  for d, k in zip(used["period_end"], used["kind"], strict=True)]
    used["bound"] = [bound_kind(n) for n in used["note"]]
    return used, frame[reasons != ""].reset_index(drop=True)


def sampling_matrix(rows: pd.DataFrame, times: np.ndarray) -> np.ndarray:
    """Return ``W`` (rows x time steps) with ``W @ x`` = each row's model counterpart of ``x``.

    Stocks interpolate linearly at ``t0``; flows integrate over ``[t0, t1)`` with each step's value
    held over its step; ratios average over ``[t0, t1)``.
    """
    dt = float(times[1] - times[0])
    weights = np.zeros((len(rows), len(times)))
    for i, (kind, t0, t1) in enumerate(zip(rows["kind"], rows["t0"], rows["t1"], strict=True)):
        if kind == "stock":
            k = min(int(np.floor(t0 / dt + 1e-9)), len(times) - 2)
            frac = (t0 - times[k]) / dt
            weights[i, k], weights[i, k + 1] = 1 - frac, frac
            continue
        overlap = np.clip(np.minimum(times + dt, t1) - np.maximum(times, t0), 0.0, None)
        weights[i] = overlap if kind == "flow" else overlap / (t1 - t0)
    return weights


def row_weights(rows: pd.DataFrame, config: CalibrationConfig) -> np.ndarray:
    """Return each row's residual weight (see the module docstring)."""
    settings = config.settings
    raw = rows["quality"].map(settings.quality_weights).to_numpy(dtype=float)
    if settings.bound_rows == "downweight":
        raw = raw * np.where(rows["bound"] != "", settings.bound_row_weight, 1.0)
    if settings.share_month:
        month = rows["period_start"].dt.to_period("M").astype(str)
        key = rows["series"] + "|" + month + "|" + rows["kind"]
        counts = key.map(key.value_counts()).to_numpy(dtype=float)
        raw = raw / np.sqrt(np.where(rows["kind"] == "stock", counts, 1.0))
    weights = np.zeros(len(rows))
    for name, spec in config.series.items():
        mask = (rows["series"] == name).to_numpy()
        if mask.any():
            norm = np.sqrt(np.sum(raw[mask] ** 2))
            weights[mask] = spec.weight * raw[mask] / norm if norm > 0 else 0.0
    return weights


def rho(z: np.ndarray, loss: str) -> np.ndarray:
    """The robust loss functions of :func:`scipy.optimize.least_squares` (``z = (e/f)^2``)."""
    if loss == "linear":
        return z
    if loss == "soft_l1":
        return 2.0 * (np.sqrt(1.0 + z) - 1.0)
    if loss == "huber":
        return np.where(z <= 1.0, z, 2.0 * np.sqrt(z) - 1.0)
    if loss == "cauchy":
        return np.log1p(z)
    return np.arctan(z)


@dataclass
class Objective:
    """Observation rows, their sampling matrices and weights; residuals from model outputs."""

    rows: pd.DataFrame
    weights: np.ndarray
    settings: Settings
    series: dict[str, SeriesSpec]
    final_time: float
    times: np.ndarray
    matrices: dict[str, np.ndarray]  # series -> W (its rows x time steps)

    @classmethod
    def build(cls, rows: pd.DataFrame, config: CalibrationConfig, *, time_step: float) -> Objective:
        """Prepare the objective for the fitted ``rows`` (see :func:`select_rows`).

        Raises
        ------
        DataFileError
            If a row's kind differs from its series' aggregation, or a value is not positive
            while errors are log or relative.
        """
        if rows.empty:
            raise DataFileError(f"{config.path.name}: no observation row is left to fit; "
                                "use more series or a later --until")
        file = rows.attrs.get("file", "observations.csv")
        for row in rows.itertuples():
            spec = config.series[row.series]
            if row.kind != spec.aggregation:
                raise DataFileError(
                    f"{config.path.name}, key 'series.{row.series}': {file} line "
                    f"{row.line} is a {row.kind} but the series is compared as a "
                    f"{spec.aggregation}; set aggregation or map it to a {row.kind} variable")
            if row.value <= 0:
                raise DataFileError(
                    f"{file} line {row.line}, field 'value': {row.value:g} is not "
                    f"positive, which {config.settings.error} errors need; exclude the line in "
                    f"{config.path.name} (series.{row.series}.exclude_lines)")
        final_time = float(np.ceil(rows["t1"].max() / time_step) * time_step + time_step)
        times = time_grid(final_time, time_step)
        rows = rows.reset_index(drop=True)
        matrices = {name: sampling_matrix(rows[rows["series"] == name], times)
                    for name in config.series if (rows["series"] == name).any()}
        return cls(rows=rows, weights=row_weights(rows, config), settings=config.settings,
                   series={n: config.series[n] for n in matrices}, final_time=final_time,
                   times=times, matrices=matrices)

    @property
    def variables(self) -> list[str]:
        """The model variables the objective reads."""
        return sorted({v for spec in self.series.values() for v in spec.variables})

    def predict(self, outputs: Mapping[str, np.ndarray]) -> np.ndarray:
        """Return the model counterpart of every row, ``(rows, runs)``, in the data's units."""
        n = next(iter(outputs.values())).shape[1]
        pred = np.empty((len(self.rows), n))
        series = self.rows["series"].to_numpy()
        for name, matrix in self.matrices.items():
            spec = self.series[name]
            total = sum(outputs[v][: matrix.shape[1]] for v in spec.variables)
            pred[series == name] = matrix @ total * spec.scale
        return pred

    def errors(self, pred: np.ndarray) -> np.ndarray:
        """Return log or relative errors, one-sided for bound rows, ``(rows, runs)``."""
        obs = self.rows["value"].to_numpy(dtype=float)[:, None]
        if self.settings.error == "log":
            err = np.log(np.maximum(pred, TINY * obs)) - np.log(obs)
        else:
            err = (pred - obs) / obs
        if self.settings.bound_rows == "one_sided":
            bound = self.rows["bound"].to_numpy()[:, None]
            err = np.where(bound == "lower", np.minimum(err, 0.0), err)
            err = np.where(bound == "upper", np.maximum(err, 0.0), err)
        return err

    def residuals(self, errors: np.ndarray) -> np.ndarray:
        """Return the weighted pseudo-residuals whose sum of squares is twice the cost."""
        f = self.settings.loss_scale
        robust = f * np.sign(errors) * np.sqrt(rho((errors / f) ** 2, self.settings.loss))
        return self.weights[:, None] * robust

    def not_used_summary(self, not_used: pd.DataFrame) -> pd.DataFrame:
        """Count the rows not fitted per series and reason."""
        return (not_used.groupby(["series", "reason"]).size().rename("rows").reset_index()
                .sort_values(["reason", "series"]).reset_index(drop=True))
