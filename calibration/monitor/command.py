"""``asielketen monitor``: update the plan with new figures and show where the chain drifts.

:func:`monitor` is the front door. It checks everything first (the calibration folder, NEW.csv,
calibration.toml's ``[drifting]``, the scenario, ``--as-of`` and ``--drift-from``), then

1. combines the shipped observations with the new ones and keeps the figures up to the end of
   the ``--as-of`` month (nothing later is read);
2. re-estimates the committed fit's parameters and the drifting parameters' values after the
   drift month on the combined data, with the committed estimates and intervals as priors
   (:mod:`calibration.monitor.update`);
3. runs the plan (the scenario on the committed fit, with its bootstrap refits and the
   scenario's sampled assumptions for the bands) and the update (the same, with the updated
   estimate and draws from its posterior) through the whole model period;
4. compares every new figure with both (drift), and reads the signposts off the update.

It returns a frozen :class:`MonitorResult`; :func:`calibration.monitor.files.monitor_files` turns it
into the output folder, written all at once.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from calibration.config import CalibrationConfig
from calibration.objective import select_rows
from sdmodel.calendar import date_to_month
from sdmodel.errors import AsielketenError
from sdmodel.monitor.observations import month_end, parse_month_option, up_to
from sdmodel.paths import FITTED_DIR

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario

STATE_KPIS = ("coa_occupancy_total", "coa_occupancy_regular", "coa_regular_capacity",
              "ter_apel_occupancy", "ind_pending_asylum", "ind_pending_nareis",
              "coa_status_holders_waiting", "status_holders_beyond_norm")
"""The stocks the state table reports at the end of the monitored month."""
DEFAULT_SAMPLES = 100


@dataclass(frozen=True)
class MonitorResult:
    """The result of :func:`monitor`.

    Attributes
    ----------
    results
        The updated projection: monthly KPIs as ``simulate`` writes them (index ``date``).
    planned
        The plan's projection (the committed fit), same layout.
    bands
        ``run (planned|updated), series, date, q05, q25, q50, q75, q95``.
    drift
        One row per figure after the drift month: ``series, date, observed, planned, updated,
        in_band`` and the bands, period and origin of the row.
    signposts
        ``signpost, kpi, threshold, value, status`` and more (see
        :func:`sdmodel.monitor.signposts.signpost_table`).
    parameters
        Committed and updated values with intervals, per parameter.
    state
        The stocks of :data:`STATE_KPIS` at ``state_date``: planned and updated with bands.
    observations
        Every row used (shipped and new, up to the end of ``as_of``) with its origin.
    not_used
        New rows that are not fitted, with the reason.
    scenario
        The plan's scenario.
    session
        The model and the committed calibration.
    as_of, drift_from, state_date
        The monitored month, the first month drifting parameters may differ, and the first
        day after ``as_of`` (the state's date).
    samples, seed
        The runs per band and the seed of the design and the posterior draws.
    update
        The estimate (see :class:`calibration.monitor.update.Update`).
    manifest_parameters
        What the manifest records.
    """

    results: pd.DataFrame
    planned: pd.DataFrame
    bands: pd.DataFrame
    drift: pd.DataFrame
    signposts: pd.DataFrame
    parameters: pd.DataFrame
    state: pd.DataFrame
    observations: pd.DataFrame
    not_used: pd.DataFrame
    scenario: Scenario
    session: Session
    as_of: pd.Timestamp
    drift_from: pd.Timestamp
    state_date: pd.Timestamp
    samples: int
    seed: int
    update: Any
    manifest_parameters: dict[str, Any]


def select_new_rows(new: pd.DataFrame, config: CalibrationConfig
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the new rows of fitted series, the others with the reason), as
    :func:`calibration.objective.select_rows`; ``exclude_lines`` name lines of the shipped
    file, so they do not apply to new rows."""
    plain = replace(config, series={name: replace(spec, exclude_lines=())
                                    for name, spec in config.series.items()})
    return select_rows(new, plain)


def check_out_dir_not_fitted(out_dir: Path | str) -> None:
    """Refuse ``--out`` inside ``calibration/fitted/`` (the committed calibration).

    Raises
    ------
    AsielketenError
        If ``out_dir`` is or lies inside the committed calibration folder.
    """
    target, fitted = Path(out_dir).resolve(), FITTED_DIR.resolve()
    if target == fitted or fitted in target.parents:
        raise AsielketenError(f"--out {out_dir} lies in the committed calibration "
                              f"({fitted}); monitor never writes there: choose another --out")


def _calibration_end(session: Session, used: pd.DataFrame) -> tuple[pd.Timestamp | None,
                                                                     pd.Timestamp]:
    """(the calibration's cutoff or None, the first day after the data it was fitted to)."""
    from sdmodel.data.fitted import default_manifest

    until = default_manifest(session.calibration.directory).get("parameters", {}).get("until")
    if until:
        cutoff = pd.Timestamp(until)
        return cutoff, cutoff
    last = used["period_end"].max()
    return None, month_end(last.to_period("M").to_timestamp()) + pd.Timedelta(days=1)


def _committed_intervals(session: Session, names: list[str]) -> tuple[np.ndarray, ...]:
    folder = session.calibration.directory
    table = pd.read_csv(folder / "parameters.csv")
    table = table[table["tied_to"].isna()] if "tied_to" in table else table
    table = table.set_index("name")
    missing = [n for n in names if n not in table.index]
    if missing:
        raise AsielketenError(
            f"{folder}/parameters.csv has no estimate of '{missing[0]}', which calibration.toml "
            "estimates; give a calibration fitted with the current calibration.toml")
    rows = table.loc[names]
    return (rows["value"].to_numpy(float), rows["low"].to_numpy(float),
            rows["high"].to_numpy(float))


def monitor(
    *,
    observations: Path | str,
    scenario: str | None = None,
    as_of: str | None = None,
    drift_from: str | None = None,
    calibration: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    model_path: Path | str | None = None,
    today: dt.date | None = None,
) -> MonitorResult:
    """Update the plan with the new figures in ``observations``; see the module docstring.

    Parameters
    ----------
    observations
        NEW.csv: rows with the columns of ``calibration/data/observations.csv``.
    scenario
        The plan: a scenario name or TOML file; default ``baseline``.
    as_of
        ``YYYY-MM``: use only figures whose period ends in or before this month; default the
        month of the latest new figure.
    drift_from
        ``YYYY-MM``: the first month the drifting parameters may differ; default the first
        month after the calibration's data.
    calibration
        The committed calibration folder (default ``calibration/fitted``).
    samples
        Runs per band (the plan's and the update's).
    seed
        Seed of the sample design and the posterior draws; ``None`` draws one.
    model_path
        The .mdl file; default the project's model.
    today
        Figures after this day are refused; default today.

    Raises
    ------
    AsielketenError
        For invalid input, before the estimate starts.
    """
    from calibration.config import load_config
    from calibration.evaluate import model_constants
    from calibration.monitor.update import (
        PlanEvaluator,
        drift_specs,
        estimate,
        make_prior,
        residual_scale,
    )
    from calibration.objective import Objective
    from calibration.problem import Problem
    from sdmodel.data.observations import load_observations
    from sdmodel.monitor.inputs import make_plan
    from sdmodel.monitor.observations import combine, load_new_observations
    from sdmodel.names import KPIS
    from sdmodel.runs import prepare
    from sdmodel.scenarios.scenario import DEFAULT_SCENARIO, load_scenario

    started = time.perf_counter()
    if samples < 2:
        raise AsielketenError(f"--samples {samples}: give at least 2 runs for the bands")
    if calibration == "none":
        raise AsielketenError("--calibration none: monitor updates a calibration; give a "
                              "calibration folder (default calibration/fitted)")
    shipped = load_observations()
    new = load_new_observations(observations, known_series=set(shipped["series"]) | set(KPIS),
                                today=today or dt.date.today())
    as_of_month = (parse_month_option(as_of, option="--as-of") if as_of is not None
                   else new["period_end"].max().to_period("M").to_timestamp())
    if drift_from is not None:
        parse_month_option(drift_from, option="--drift-from")
    session = prepare(model_path, calibration=calibration)
    if session.calibration.directory is None:
        raise AsielketenError("the model has no calibration to update; give --calibration DIR")
    model = session.model
    config = load_config(constants=model_constants(model), model_names=model.names(),
                         observed_series=set(shipped["series"]))
    if not config.drifting:
        raise AsielketenError(f"{config.path.name}: no [drifting] parameters; list the "
                              "parameters that may drift in [drifting] parameters")
    used_shipped, _ = select_rows(shipped, config)
    cutoff, data_end = _calibration_end(session, used_shipped)
    if month_end(as_of_month) + pd.Timedelta(days=1) < data_end:
        raise AsielketenError(
            f"--as-of {as_of_month:%Y-%m} is before the end of the data the calibration "
            f"{session.calibration.note} was fitted to ({data_end - pd.Timedelta(days=1):%Y-%m-%d}"
            f"): it has seen later figures; give a calibration fitted with 'asielketen "
            f"calibrate --until {month_end(as_of_month) + pd.Timedelta(days=1):%Y-%m-%d}'")
    drift_month = (parse_month_option(drift_from, option="--drift-from")
                   if drift_from is not None else data_end.to_period("M").to_timestamp())
    if drift_month > as_of_month:
        raise AsielketenError(f"--drift-from {drift_month:%Y-%m} is after --as-of "
                              f"{as_of_month:%Y-%m}; no figure could show the drift")
    used_new, not_used = select_new_rows(new, config)
    rows = up_to(combine(used_shipped, used_new), as_of_month)
    chosen = load_scenario(scenario or DEFAULT_SCENARIO, model=model)
    tied = {p.name: p.tied for p in config.parameters}
    plan = make_plan(chosen, session, drifting=config.drifting, tied=tied,
                     drift_from=date_to_month(drift_month))
    evaluator = PlanEvaluator(plan)
    objective = Objective.build(rows, config, time_step=evaluator.time_step)
    problem = Problem(drift_specs(config.parameters, config.drifting), objective, evaluator)
    names = config.parameter_names
    value, low, high = _committed_intervals(session, names)
    fitted_rows = (used_shipped if cutoff is None
                   else used_shipped[used_shipped["period_end"] < cutoff])
    committed = Problem(config.parameters, Objective.build(fitted_rows, config,
                                                           time_step=evaluator.time_step),
                        evaluator)
    scale = residual_scale(committed, value)
    confidence = float(config.fit.confidence)
    prior = make_prior(problem, estimate=value, low=low, high=high, confidence=confidence,
                       scale=scale, drifting=config.drifting)
    update = estimate(problem, prior, scale=scale)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])

    from calibration.monitor.projection import project
    from sdmodel.monitor.signposts import signpost_table

    state_date = month_end(as_of_month) + pd.Timedelta(days=1)
    projection = project(plan, problem, update, prior, committed_theta=value, samples=samples,
                         seed=seed, state_date=state_date, state_kpis=STATE_KPIS,
                         confidence=confidence, committed=(low, high))
    posts = signpost_table(projection.updated, projection.planned, chosen.thresholds,
                           state_date=state_date)
    drift = projection.drift[projection.drift["period_end"] >= drift_month].reset_index(
        drop=True)
    parameters = {
        "scenario": chosen.name, "calibration": session.calibration.note,
        "calibration_model_matches": session.calibration.model_matches,
        "observations": str(observations), "as_of": f"{as_of_month:%Y-%m}",
        "drift_from": f"{drift_month:%Y-%m}", "drifting": list(config.drifting),
        "samples": samples, "rows_fitted": len(rows),
        "rows_new": int((rows["origin"] == "new").sum()),
        "residual_scale": scale, "confidence": confidence,
        "estimates": dict(zip(update.names, map(float, update.theta), strict=True)),
        "cost": update.cost, "data_cost": update.data_cost, "success": update.success,
        "message": update.message, "model_runs": update.nfev,
        "effective_samples": round(projection.effective_samples, 1),
        "wall_time_s": round(time.perf_counter() - started, 1),
    }
    return MonitorResult(
        results=projection.updated, planned=projection.planned, bands=projection.bands,
        drift=drift, signposts=posts, parameters=projection.parameters,
        state=projection.state, observations=rows, not_used=not_used, scenario=chosen,
        session=session, as_of=as_of_month, drift_from=drift_month, state_date=state_date,
        samples=samples, seed=seed, update=update, manifest_parameters=parameters)
