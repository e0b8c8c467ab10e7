"""The plan and the update run through the model period, with their bands and the drift rows.

Both run the scenario's central case plus ``samples`` futures of one Latin-hypercube design of
its assumptions (:func:`sdmodel.analysis.uncertainty.latin_hypercube`, common random numbers);
the plan's futures take the committed fit's bootstrap refits (``bootstrap.csv``), the update's
take draws from its posterior. The bands are those :mod:`sdmodel.analysis.uncertainty` draws
(:data:`~sdmodel.analysis.uncertainty.QUANTILES` of the
:data:`~sdmodel.analysis.uncertainty.BAND_SERIES`); a figure is ``in_band`` when it lies inside
the plan's 90% band (q05-q95) of its own model counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.monitor.update import AFTER, Prior, Update, run_variables, split_params
from calibration.problem import Problem
from sdmodel.monitor.inputs import Plan, plan_inputs


@dataclass(frozen=True)
class Projection:
    """Planned and updated runs: monthly central frames, bands, drift rows, tables."""

    planned: pd.DataFrame
    updated: pd.DataFrame
    bands: pd.DataFrame
    drift: pd.DataFrame
    parameters: pd.DataFrame
    state: pd.DataFrame
    effective_samples: float


def _committed_draws(plan: Plan, problem: Problem, committed_theta: np.ndarray, samples: int,
                     seed: int) -> np.ndarray:
    """``(samples, P)``: bootstrap refits of the committed fit (no drift), cycled in a seeded
    order; without a bootstrap, the committed estimate."""
    from sdmodel.analysis.uncertainty import bootstrap_draws

    base = [n for n in problem.names if not n.endswith(AFTER)]
    draws = bootstrap_draws(plan.session)
    if draws is None or not set(base) <= set(draws.columns):
        rows = np.repeat(committed_theta[None, :], samples, axis=0)
    else:
        order = np.resize(np.random.default_rng(seed).permutation(len(draws)), samples)
        rows = draws[base].to_numpy(dtype=float)[order]
    after = [base.index(n.removesuffix(AFTER)) for n in problem.names if n.endswith(AFTER)]
    return np.hstack([rows, rows[:, after]])


def _quantile_bands(label: str, monthly: dict[str, np.ndarray]) -> pd.DataFrame:
    from sdmodel.analysis.uncertainty import BAND_SERIES, QUANTILES
    from sdmodel.calendar import month_dates

    frames = []
    for series, parts in BAND_SERIES.items():
        values = sum(monthly[k][:, 1:] for k in parts)
        q = np.quantile(values, QUANTILES, axis=1)
        frame = pd.DataFrame({f"q{round(p * 100):02d}": q[i] for i, p in enumerate(QUANTILES)})
        frame.insert(0, "date", month_dates(values.shape[0]))
        frame.insert(0, "series", series)
        frame.insert(0, "run", label)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _run(plan: Plan, problem: Problem, theta: np.ndarray, design: pd.DataFrame
         ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Monthly KPIs ``(months, n)`` and the objective's rows ``(rows, n)`` of ``theta`` rows."""
    from sdmodel.engine.batch_kpis import run_monthly

    calibrated, after = split_params(problem.model_params(theta), plan)
    monthly = run_monthly(plan.session.batch,
                          plan_inputs(plan, calibrated=calibrated, after=after, design=design),
                          n=len(design))
    objective = problem.objective
    outputs = run_variables(plan, calibrated=calibrated, after=after, design=design,
                            variables=objective.variables, final_time=objective.final_time)
    return monthly, objective.predict(outputs)


def project(plan: Plan, problem: Problem, update: Update, prior: Prior, *,
            committed_theta: np.ndarray, samples: int, seed: int, state_date: pd.Timestamp,
            state_kpis: Sequence[str], confidence: float,
            committed: tuple[np.ndarray, np.ndarray]) -> Projection:
    """Run the plan and the update (central and ``samples`` futures each); see the module doc.

    Parameters
    ----------
    plan, problem
        The scenario with its drift, and the update's problem (parameters and objective).
    update, prior
        The updated estimate and the priors it used.
    committed_theta
        The committed estimates of the calibrated parameters.
    samples, seed
        Futures per run and the seed of their design and draws.
    state_date
        The date of the state table (first day after the monitored month).
    state_kpis
        The stocks of the state table.
    confidence
        Level of the parameter intervals.
    committed
        The committed intervals ``(low, high)`` of the calibrated parameters.
    """
    from sdmodel.analysis.uncertainty import latin_hypercube
    from sdmodel.engine.batch_kpis import to_frames

    design = pd.concat([plan.central_design(1),
                        latin_hypercube(plan.sampled, samples, seed=seed)], ignore_index=True)
    base = [n for n in problem.names if not n.endswith(AFTER)]
    after_index = [base.index(n.removesuffix(AFTER)) for n in problem.names if n.endswith(AFTER)]
    planned_theta = np.concatenate([committed_theta, committed_theta[after_index]])
    planned_sets = np.vstack([planned_theta, _committed_draws(plan, problem, committed_theta,
                                                              samples, seed)])
    draws, ess = update.draws(problem, prior, samples, seed=seed)
    updated_sets = np.vstack([update.theta, draws])
    planned, planned_rows = _run(plan, problem, planned_sets, design)
    updated, updated_rows = _run(plan, problem, updated_sets, design)

    frames = to_frames({k: v[:, :1] for k, v in planned.items()}, ["planned"])
    planned_frame = frames["planned"]
    updated_frame = to_frames({k: v[:, :1] for k, v in updated.items()}, ["updated"])["updated"]
    bands = pd.concat([_quantile_bands("planned", planned), _quantile_bands("updated", updated)],
                      ignore_index=True)

    rows = problem.objective.rows
    p_low, p_high = np.quantile(planned_rows[:, 1:], [0.05, 0.95], axis=1)
    u_low, u_high = np.quantile(updated_rows[:, 1:], [0.05, 0.95], axis=1)
    observed = rows["value"].to_numpy(dtype=float)
    drift = pd.DataFrame({
        "series": rows["series"], "date": rows["period_end"], "observed": observed,
        "planned": planned_rows[:, 0], "updated": updated_rows[:, 0],
        "in_band": (observed >= p_low) & (observed <= p_high),
        "planned_q05": p_low, "planned_q95": p_high, "updated_q05": u_low,
        "updated_q95": u_high, "kind": rows["kind"], "period_start": rows["period_start"],
        "period_end": rows["period_end"], "origin": rows["origin"], "line": rows["line"],
    }).sort_values(["series", "date"], kind="stable")

    at = int(planned_frame.index.get_indexer([state_date])[0])
    state = []
    for kpi in state_kpis:
        p, u = planned[kpi][at], updated[kpi][at]
        state.append({"kpi": kpi, "date": state_date, "planned": p[0],
                      "planned_q05": np.quantile(p[1:], 0.05),
                      "planned_q95": np.quantile(p[1:], 0.95), "updated": u[0],
                      "updated_q05": np.quantile(u[1:], 0.05),
                      "updated_q95": np.quantile(u[1:], 0.95)})

    low, high = update.interval(problem, confidence)
    c_low = np.concatenate([committed[0], committed[0][after_index]])
    c_high = np.concatenate([committed[1], committed[1][after_index]])
    parameters = pd.DataFrame({
        "name": list(problem.names), "drifting": [n.endswith(AFTER) for n in problem.names],
        "committed": planned_theta, "committed_low": c_low, "committed_high": c_high,
        "updated": update.theta, "updated_low": low, "updated_high": high,
    })
    return Projection(planned_frame, updated_frame, bands, drift.reset_index(drop=True),
                      parameters, pd.DataFrame(state), ess)
