"""``asielketen calibrate``: fit, intervals, diagnostics, optional back-test, and the output folder.

:func:`run_calibration` is what the CLI calls. It validates everything (output folder, model,
observations, calibration.toml, options) before the search starts, and writes the folder all at
once through :func:`sdmodel.outputs.folder.write_outputs`, so a failure leaves nothing behind.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calibration.backtest import Backtest, parse_cutoff, score, split_rows
from calibration.config import CalibrationConfig, ParameterSpec, load_config
from calibration.diagnostics import row_table, series_statistics
from calibration.fit import METHODS, FitResult, fit
from calibration.intervals import Intervals, intervals
from calibration.objective import Objective, select_rows
from calibration.problem import Problem
from sdmodel.errors import AsielketenError


@dataclass
class CalibrationResult:
    """Everything :func:`run_calibration` computed and wrote."""

    fit: FitResult
    intervals: Intervals
    parameters: tuple[ParameterSpec, ...]
    statistics: pd.DataFrame
    rows: pd.DataFrame
    not_used_summary: pd.DataFrame
    backtest: Backtest | None
    warnings: list[str]
    manifest: dict[str, Any]
    out_dir: Path | None
    evaluator: str
    wall_time: float
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


def _csv_writer(frame: pd.DataFrame, *, index: bool = False):
    def write(path: Path) -> None:
        frame.to_csv(path, index=index, lineterminator="\n", float_format="%.10g")

    return write


def _text_writer(text: str):
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def prepare(
    *, config_path: Path | None = None, observations_path: Path | None = None,
    model_path: Path | None = None, until: str | None = None, evaluator: str = "auto",
) -> dict[str, Any]:
    """Load and validate model, observations and calibration.toml; build the problem.

    Returns a dict with ``model``, ``config``, ``observations``, ``used`` (all fitted-series
    rows), ``not_used``, ``cutoff``, ``problem`` and ``evaluator``.
    """
    from calibration.evaluate import make_evaluator, model_constants
    from sdmodel.data.observations import load_observations
    from sdmodel.engine.model import ChainModel

    cutoff = parse_cutoff(until) if until is not None else None
    model = ChainModel.from_mdl(model_path)
    observations = load_observations(observations_path)
    config = load_config(config_path, constants=model_constants(model),
                         model_names=model.names(), observed_series=set(observations["series"]))
    used, not_used = select_rows(observations, config)
    fitted, held_back, straddling = (used, used.iloc[:0], 0) if cutoff is None else split_rows(
        used, cutoff)
    evaluator_ = make_evaluator(model, kind=evaluator)
    objective = Objective.build(fitted, config, time_step=model.time_step)
    problem = Problem(config.parameters, objective, evaluator_)
    return {"model": model, "config": config, "observations": observations, "used": used,
            "not_used": not_used, "cutoff": cutoff, "held_back": held_back,
            "straddling": straddling, "problem": problem, "evaluator": evaluator_}


def _curves(problem: Problem, config: CalibrationConfig, theta: np.ndarray, reps: np.ndarray,
            final_time: float, confidence: float) -> dict:
    from sdmodel.calendar import time_grid
    from sdmodel.figures.fit import series_curve

    variables = sorted({v for s in config.series.values() for v in s.variables})
    sets = np.vstack([theta[None, :], reps]) if len(reps) else theta[None, :]
    outputs = problem.evaluator.simulate(problem.model_params(sets), n=len(sets),
                                         variables=variables, final_time=final_time)
    times = time_grid(final_time, problem.evaluator.time_step)
    best = {v: a[:, :1] for v, a in outputs.items()}
    rest = {v: a[:, 1:] for v, a in outputs.items()} if len(reps) > 1 else None
    return {name: series_curve(spec, times, best, rest, confidence=confidence)
            for name, spec in config.series.items()}


def run_calibration(
    *,
    out_dir: Path | str | None,
    until: str | None = None,
    method: str | None = None,
    seed: int | None = None,
    starts: int | None = None,
    bootstrap: int | None = None,
    force: bool = False,
    config_path: Path | str | None = None,
    observations_path: Path | str | None = None,
    model_path: Path | str | None = None,
    evaluator: str = "auto",
    lang: str = "nl",
    figures: bool = True,
    progress: bool = False,
    command: str = "asielketen calibrate",
) -> CalibrationResult:
    """Calibrate the model and write the result folder.

    Parameters
    ----------
    out_dir
        Folder to create (``None``: compute only, write nothing).
    until
        Back-test cutoff ``YYYY-MM-DD``: fit to rows ending before it, score the rows after.
    method
        ``"lsq"`` or ``"de"``; default from calibration.toml ``[fit]``.
    seed
        Seed of the starts, differential evolution and bootstrap; default from calibration.toml
        (``None`` there means unseeded).
    starts, bootstrap
        Least-squares starts and bootstrap refits; defaults from calibration.toml.
    force
        Replace an existing ``out_dir``.
    config_path, observations_path, model_path
        Other files than the project's calibration.toml, observations.csv and .mdl.
    evaluator
        ``"auto"`` (batch simulator when available), ``"batch"`` or ``"pysd"``.
    lang
        Figure language, ``"nl"`` or ``"en"``.
    figures
        Write the figures (``fit_*.png``).
    progress
        Show progress bars on stderr.
    command
        The command line, recorded in the manifest.

    Returns
    -------
    CalibrationResult

    Raises
    ------
    AsielketenError
        For any invalid input (the message names the file and key or option); nothing is
        written then.
    """
    from sdmodel.data.observations import data_sha256
    from sdmodel.figures.labels import check_lang
    from sdmodel.outputs.folder import build_manifest, check_out_dir, write_outputs

    started = time.perf_counter()
    if out_dir is not None:
        check_out_dir(out_dir, force=force)
    check_lang(lang)
    if method is not None and method not in METHODS:
        raise AsielketenError(f"--method {method} is not one of {', '.join(METHODS)}")
    for name, value in (("--starts", starts), ("--bootstrap", bootstrap)):
        if value is not None and value < (1 if name == "--starts" else 0):
            raise AsielketenError(f"{name} {value} is too small; give a positive number")
    ctx = prepare(config_path=config_path, observations_path=observations_path,
                  model_path=model_path, until=until, evaluator=evaluator)
    config: CalibrationConfig = ctx["config"]
    problem: Problem = ctx["problem"]
    settings = config.fit
    method = method or settings.method
    seed = settings.seed if seed is None else seed
    starts = settings.starts if starts is None else starts
    bootstrap = settings.bootstrap if bootstrap is None else bootstrap
    if ctx["cutoff"] is not None and ctx["held_back"].empty:
        raise AsielketenError(f"--until {ctx['cutoff'].date()} holds back no observation of the "
                              "fitted series; choose an earlier cutoff")
    timings: dict[str, float] = {}

    result = fit(problem, method=method, starts=starts, seed=seed, max_nfev=settings.max_nfev,
                 de_popsize=settings.de_popsize, de_maxiter=settings.de_maxiter,
                 progress=progress)
    tick = time.perf_counter()
    iv = intervals(problem, result, replicates=bootstrap, seed=seed,
                   confidence=settings.confidence, progress=progress)
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
    if ctx["cutoff"] is not None:
        backtest = score(ctx["held_back"], config, evaluator=problem.evaluator, problem=problem,
                         theta=result.x, replicates=iv.replicates, cutoff=ctx["cutoff"],
                         straddling=ctx["straddling"], confidence=settings.confidence)
    warnings = iv.warnings()
    if not result.success:
        warnings.append(f"the best least-squares run stopped before converging ({result.message});"
                        " raise max_nfev in calibration.toml [fit]")

    model = ctx["model"]
    manifest = build_manifest(
        model_path=model.path, model_sha256=model.sha256, data_sha256=data_sha256(),
        parameters={"method": method, "starts": starts, "bootstrap": bootstrap,
                    "until": str(ctx["cutoff"].date()) if ctx["cutoff"] is not None else None,
                    "evaluator": problem.evaluator.kind, "config": str(config.path),
                    "confidence": settings.confidence, "max_nfev": settings.max_nfev,
                    "estimates": result.params, "cost": result.cost,
                    "model_runs": problem.nfev},
        seed=seed, command=command)
    not_used = objective.not_used_summary(ctx["not_used"])
    out = CalibrationResult(
        fit=result, intervals=iv, parameters=config.parameters, statistics=stats, rows=rows,
        not_used_summary=not_used, backtest=backtest, warnings=warnings, manifest=manifest,
        out_dir=Path(out_dir) if out_dir is not None else None, evaluator=problem.evaluator.kind,
        wall_time=0.0, timings=timings)
    if out_dir is None:
        out.wall_time = time.perf_counter() - started
        return out

    files: dict[str, Any] = {
        "parameters.csv": _csv_writer(out.parameter_frame()),
        "statistics.csv": _csv_writer(stats, index=True),
        "observations_fit.csv": _csv_writer(rows),
        "starts.csv": _csv_writer(result.starts),
        "bootstrap.csv": _csv_writer(pd.DataFrame(iv.replicates, columns=result.names)),
        "identification.csv": _csv_writer(iv.information, index=True),
        "calibration.toml": _text_writer(config.path.read_text(encoding="utf-8")),
    }
    if backtest is not None:
        files["backtest.csv"] = _csv_writer(backtest.rows)
        files["backtest_statistics.csv"] = _csv_writer(backtest.statistics, index=True)
    if figures:
        files.update(_figure_writers(ctx, problem, result, iv, lang=lang))
    out.wall_time = time.perf_counter() - started
    out.manifest["parameters"]["wall_time_s"] = round(out.wall_time, 1)
    from calibration.report import render

    files["fit_report.md"] = _text_writer(render(out))
    write_outputs(out_dir, files, force=force, manifest=out.manifest)
    return out


def _figure_writers(ctx: dict, problem: Problem, result: FitResult, iv: Intervals, *,
                    lang: str) -> dict[str, Any]:
    from sdmodel.figures.fit import overview_writer, series_figure_writer

    config: CalibrationConfig = ctx["config"]
    cutoff = ctx["cutoff"]
    shown = pd.concat([ctx["used"].assign(fitted=True)], ignore_index=True)
    if cutoff is not None:
        shown["fitted"] = shown["period_end"] < cutoff
    final_time = max(problem.objective.final_time, float(np.ceil(shown["t1"].max())) + 1.0)
    curves = _curves(problem, config, result.x, iv.replicates, final_time, iv.confidence)
    writers = {f"fit_{name}.png": series_figure_writer(
        name, curve, shown[shown["series"] == name], lang=lang, confidence=iv.confidence,
        cutoff=cutoff) for name, curve in curves.items()}
    writers["fit_overview.png"] = overview_writer(curves, shown, lang=lang,
                                                  confidence=iv.confidence, cutoff=cutoff)
    return writers


def summary(result: CalibrationResult) -> str:
    """A few lines for the terminal: estimates with intervals and the output folder."""
    buf = io.StringIO()
    t = result.intervals.table
    for name, row in t.iterrows():
        flag = f"  (at {row.at_bound} bound)" if row.at_bound else ""
        buf.write(f"{name}: {row.value:.4g} [{row.low:.4g}, {row.high:.4g}]{flag}\n")
    if result.backtest is not None:
        mape = result.backtest.statistics["mape"]
        buf.write(f"back-test after {result.backtest.cutoff.date()}: median MAPE "
                  f"{np.nanmedian(mape):.1f}% over {len(mape)} series\n")
    if result.out_dir is not None:
        buf.write(f"wrote {result.out_dir} in {result.wall_time:.0f} s\n")
    return buf.getvalue()
