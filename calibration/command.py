"""``asielketen calibrate``: the fit, its intervals and diagnostics, and an optional back-test.

:func:`calibrate` is the front door. It loads and validates everything (model, observations,
calibration.toml, options) in :func:`prepare` before the search starts, fits, computes the
intervals, the statistics per series and the back-test, and returns a frozen
:class:`CalibrationResult` with scipy's fields. :func:`calibration.files.calibration_files` turns
it into the output folder, which the CLI writes all at once
(:func:`sdmodel.outputs.folder.write_outputs`), so a failure leaves nothing behind.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from calibration.backtest import Backtest, parse_cutoff, score, split_rows
from calibration.config import METHODS, CalibrationConfig, Method, ParameterSpec, load_config
from calibration.diagnostics import row_table, series_statistics
from calibration.evaluate import EvaluatorKind
from calibration.fit import FitResult, fit
from calibration.intervals import Intervals, intervals
from calibration.objective import Objective, select_rows
from calibration.problem import Problem
from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.engine.model import ChainModel
    from sdmodel.figures.fit import Curve
    from sdmodel.scaleout import Pool


@dataclass(frozen=True)
class FitInputs:
    """What a calibration fits, loaded and checked (the result of :func:`prepare`).

    Attributes
    ----------
    model
        The PySD model.
    config
        calibration.toml, validated against the model and the data.
    observations
        The preferred observation rows.
    used, not_used
        The rows of the fitted series, and the rows left out with the reason.
    cutoff
        The back-test cutoff (``None`` without a back-test).
    held_back, straddling
        Rows after the cutoff (scored, not fitted), and how many straddle it.
    problem
        Parameters, objective (on the rows fitted) and evaluator together.
    """

    model: ChainModel
    config: CalibrationConfig
    observations: pd.DataFrame
    used: pd.DataFrame
    not_used: pd.DataFrame
    cutoff: pd.Timestamp | None
    held_back: pd.DataFrame
    straddling: int
    problem: Problem


@dataclass(frozen=True)
class FitFigures:
    """What the fit figures draw: each series' curve, the rows shown (``fitted`` marks the rows
    of the fit) and the back-test cutoff."""

    curves: dict[str, Curve]
    rows: pd.DataFrame
    cutoff: pd.Timestamp | None
    confidence: float


@dataclass(frozen=True)
class CalibrationResult:
    """The result of :func:`calibrate`, with the fields of :class:`scipy.optimize.OptimizeResult`.

    Attributes
    ----------
    x
        Estimated parameter values (model units), in ``fit.names`` order.
    fun
        Weighted pseudo-residuals at ``x`` (one per observation row).
    cost
        ``0.5 * sum(fun ** 2)``.
    success, message
        From the search that produced ``x``.
    nfev
        Model runs of the search.
    fit
        The search (starts, Jacobian, method, seed).
    intervals
        Bootstrap and Wald intervals, identification.
    parameters
        The estimated parameters as configured (bounds, tied constants).
    statistics
        Fit statistics per series (MAPE, R2, RMSE, Theil).
    rows
        Every fitted observation row with the model value and band.
    not_used_summary
        The observations left out, per series and reason.
    backtest
        The back-test (``None`` without ``until``).
    warnings
        Parameters at a bound, weakly identified or correlated; a search that did not converge.
    manifest
        The run manifest of the output folder.
    evaluator
        ``"batch"`` or ``"pysd"``.
    config_text
        calibration.toml as used.
    figures
        What the fit figures draw (``None`` when they were not asked for).
    wall_time, timings
        Seconds in all, and per step.
    """

    x: np.ndarray
    fun: np.ndarray
    cost: float
    success: bool
    message: str
    nfev: int
    fit: FitResult
    intervals: Intervals
    parameters: tuple[ParameterSpec, ...]
    statistics: pd.DataFrame
    rows: pd.DataFrame
    not_used_summary: pd.DataFrame
    backtest: Backtest | None
    warnings: tuple[str, ...]
    manifest: dict[str, Any]
    evaluator: str
    config_text: str
    figures: FitFigures | None = None
    wall_time: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def parameter_frame(self) -> pd.DataFrame:
        """parameters.csv: one row per estimated constant, then one per tied constant."""
        t = self.intervals.table.reset_index().rename(columns={"parameter": "name"})
        t.insert(1, "tied_to", "")
        tied = []
        for p in self.parameters:
            for name in p.tied:
                row = t[t["name"] == p.name].iloc[0].copy()
                row["name"], row["tied_to"] = name, p.name
                tied.append(row)
        return pd.concat([t, pd.DataFrame(tied)], ignore_index=True) if tied else t


def prepare(
    *, config_path: Path | str | None = None, observations_path: Path | str | None = None,
    model_path: Path | str | None = None, until: str | None = None,
    evaluator: EvaluatorKind = "auto",
) -> FitInputs:
    """Load and validate model, observations and calibration.toml; build the problem.

    Raises
    ------
    AsielketenError
        For a model, data file or calibration.toml with an error, or a bad ``until``.
    """
    from calibration.evaluate import make_evaluator, model_constants
    from sdmodel.calendar import month_to_date
    from sdmodel.data.observations import check_within_model, load_observations
    from sdmodel.engine.model import ChainModel

    cutoff = parse_cutoff(until) if until is not None else None
    model = ChainModel.from_mdl(model_path)
    observations = load_observations(observations_path)
    check_within_model(observations, pd.Timestamp(month_to_date(model.final_time)),
                       model=model.path.name)
    config = load_config(config_path, constants=model_constants(model),
                         model_names=model.names(), observed_series=set(observations["series"]))
    used, not_used = select_rows(observations, config)
    fitted, held_back, straddling = (used, used.iloc[:0], 0) if cutoff is None else split_rows(
        used, cutoff)
    objective = Objective.build(fitted, config, time_step=model.time_step)
    problem = Problem(config.parameters, objective, make_evaluator(model, kind=evaluator))
    return FitInputs(model, config, observations, used, not_used, cutoff, held_back, straddling,
                     problem)


def calibrate(
    *,
    until: str | None = None,
    method: Method | None = None,
    seed: int | None = None,
    starts: int | None = None,
    bootstrap: int | None = None,
    config_path: Path | str | None = None,
    observations_path: Path | str | None = None,
    model_path: Path | str | None = None,
    evaluator: EvaluatorKind = "auto",
    figures: bool = True,
    progress: bool = False,
    command: str = "asielketen calibrate",
    pool: Pool | None = None,
) -> CalibrationResult:
    """Calibrate the model: fit, intervals, statistics, and the back-test with ``until``.

    Parameters
    ----------
    until
        Back-test cutoff ``YYYY-MM-DD``: fit to rows ending before it, score the rows after.
    method
        ``"lsq"`` or ``"de"``; default from calibration.toml ``[fit]``.
    seed
        Seed of the starts, differential evolution and bootstrap; default from calibration.toml
        (``None`` there means unseeded).
    starts, bootstrap
        Least-squares starts and bootstrap refits; defaults from calibration.toml.
    config_path, observations_path, model_path
        Other files than the project's calibration.toml, observations.csv and .mdl.
    evaluator
        ``"auto"`` (batch simulator when available), ``"batch"`` or ``"pysd"``.
    figures
        Compute the curves of the fit figures (``fit_*.png``).
    progress
        Show progress bars on stderr.
    command
        The command line, recorded in the manifest.
    pool
        Where the least-squares starts and the bootstrap chunks run
        (:class:`sdmodel.scaleout.Pool`; default: in this process); the result is the same.

    Raises
    ------
    AsielketenError
        For any invalid input (the message names the file and key or option), before the
        search starts.
    """
    from sdmodel.data.observations import data_sha256
    from sdmodel.outputs.manifest import build_manifest

    started = time.perf_counter()
    if method is not None and method not in METHODS:
        raise AsielketenError(f"--method {method} is not one of {', '.join(METHODS)}")
    for name, value in (("--starts", starts), ("--bootstrap", bootstrap)):
        if value is not None and value < (1 if name == "--starts" else 0):
            raise AsielketenError(f"{name} {value} is too small; give a positive number")
    inputs = prepare(config_path=config_path, observations_path=observations_path,
                     model_path=model_path, until=until, evaluator=evaluator)
    config, problem = inputs.config, inputs.problem
    if pool is not None and pool.distributed and problem.evaluator.kind != "batch":
        raise AsielketenError("--workers and --scheduler run the batch simulator on Dask; PySD "
                              "models cannot be sent to workers: drop the option or use the "
                              "batch evaluator")
    settings = config.fit
    method = method or settings.method
    seed = settings.seed if seed is None else seed
    starts = settings.starts if starts is None else starts
    bootstrap = settings.bootstrap if bootstrap is None else bootstrap
    if inputs.cutoff is not None and inputs.held_back.empty:
        raise AsielketenError(f"--until {inputs.cutoff.date()} holds back no observation of the "
                              "fitted series; choose an earlier cutoff")
    timings: dict[str, float] = {}

    result = fit(problem, method=method, starts=starts, seed=seed, max_nfev=settings.max_nfev,
                 de_popsize=settings.de_popsize, de_maxiter=settings.de_maxiter,
                 progress=progress, pool=pool)
    tick = time.perf_counter()
    iv = intervals(problem, result, replicates=bootstrap, seed=seed,
                   confidence=settings.confidence, progress=progress, pool=pool)
    timings["intervals"] = time.perf_counter() - tick

    objective = problem.objective
    sets = np.vstack([result.x[None, :], iv.replicates])
    pred = objective.predict(problem.outputs(sets))
    band = None
    if len(iv.replicates) > 1:
        alpha = (1 - settings.confidence) / 2
        band = np.quantile(pred[:, 1:], [alpha, 1 - alpha], axis=1).T
    rows = row_table(objective.rows, pred[:, 0], band=band)
    stats = series_statistics(objective.rows, pred[:, 0])
    backtest = None
    if inputs.cutoff is not None:
        backtest = score(inputs.held_back, config, evaluator=problem.evaluator, problem=problem,
                         theta=result.x, replicates=iv.replicates, cutoff=inputs.cutoff,
                         straddling=inputs.straddling, confidence=settings.confidence)
    warnings = iv.warnings()
    if not result.success:
        warnings.append(f"the best least-squares run stopped before converging ({result.message});"
                        " raise max_nfev in calibration.toml [fit]")
    parameters = {"method": method, "starts": starts, "bootstrap": bootstrap,
                  "until": str(inputs.cutoff.date()) if inputs.cutoff is not None else None,
                  "evaluator": problem.evaluator.kind, "config": str(config.path),
                  "confidence": settings.confidence, "max_nfev": settings.max_nfev,
                  "estimates": result.params, "cost": result.cost,
                  "model_runs": problem.nfev}
    drawn = _figures(inputs, result, iv) if figures else None
    wall_time = time.perf_counter() - started
    parameters["wall_time_s"] = round(wall_time, 1)
    model = inputs.model
    manifest = build_manifest(model_path=model.path, model_sha256=model.sha256,
                              data_sha256=data_sha256(), parameters=parameters, seed=seed,
                              command=command)
    return CalibrationResult(
        x=result.x, fun=result.fun, cost=result.cost, success=result.success,
        message=result.message, nfev=result.nfev, fit=result, intervals=iv,
        parameters=config.parameters, statistics=stats, rows=rows,
        not_used_summary=objective.not_used_summary(inputs.not_used), backtest=backtest,
        warnings=tuple(warnings), manifest=manifest, evaluator=problem.evaluator.kind,
        config_text=config.path.read_text(encoding="utf-8"), figures=drawn,
        wall_time=wall_time, timings=timings)


def _figures(inputs: FitInputs, result: FitResult, iv: Intervals) -> FitFigures:
    from calibration.curves import fitted_curves

    cutoff, problem = inputs.cutoff, inputs.problem
    shown = pd.concat([inputs.used.assign(fitted=True)], ignore_index=True)
    if cutoff is not None:
        shown["fitted"] = shown["period_end"] < cutoff
    final_time = max(problem.objective.final_time, float(np.ceil(shown["t1"].max())) + 1.0)
    curves = fitted_curves(problem, inputs.config, result.x, iv.replicates, final_time,
                           iv.confidence)
    return FitFigures(curves, shown, cutoff, iv.confidence)


def summary(result: CalibrationResult, *, out_dir: Path | str | None = None) -> str:
    """A few lines for the terminal: estimates with intervals, the back-test, the folder."""
    buf = io.StringIO()
    t = result.intervals.table
    for name, row in t.iterrows():
        flag = f"  (at {row.at_bound} bound)" if row.at_bound else ""
        buf.write(f"{name}: {row.value:.4g} [{row.low:.4g}, {row.high:.4g}]{flag}\n")
    if result.backtest is not None:
        mape = result.backtest.statistics["mape"]
        buf.write(f"back-test after {result.backtest.cutoff.date()}: median MAPE "
                  f"{np.nanmedian(mape):.1f}% over {len(mape)} series\n")
    if out_dir is not None:
        buf.write(f"wrote {Path(out_dir)} in {result.wall_time:.0f} s\n")
    return buf.getvalue()
