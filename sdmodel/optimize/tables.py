"""The tables of an optimisation: schedule, capacity plan, KPIs per plan, ensemble band.

Every function takes an :class:`~sdmodel.optimize.run.Optimization` and returns a DataFrame with the
columns of the optimizer's output folder (see :mod:`sdmodel.optimize.files`):

- :func:`schedule_table`: one row per measure and funded capacity lever of the optimised plan,
  with milestones (monitoring points on each ramp: halfway for ramps up to a year, yearly for
  longer ones) and the unoptimised schedule beside it;
- :func:`capacity_plan`: per year and funded lever the amount in force (the year's average) and
  its cost: how much the chain's total cost changes with the lever, mean over the futures (the
  plan against the plan without that lever);
- :func:`kpi_rows`: the KPI table of :func:`sdmodel.analysis.compare.kpi_table` for the
  unoptimised and the optimised plan (central future: the scenario's own inflow band) with the
  ensemble figures;
- :func:`ensemble_band`: quantiles of COA occupancy over the futures under a plan.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import month_dates, month_to_date
from sdmodel.names import COST_KPIS
from sdmodel.optimize.ensemble import Metrics
from sdmodel.scenarios.schedule import Schedule

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.optimize.run import Optimization
    from sdmodel.scenarios.scenario import Scenario

SCHEDULE_COLUMNS: tuple[str, ...] = (
    "lever", "kind", "start", "ramp_months", "intensity", "amount", "milestones", "end",
    "decision", "unoptimised_start", "unoptimised_ramp_months",
)
"""Columns of schedule.csv: the briefing's seven, then ``end`` (full strength), ``decision``
(``optimised``: the start, ramp or amount was searched; ``fixed``) and the unoptimised schedule."""
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


def milestones(schedule: Schedule) -> list[tuple[str, float]]:
    """Monitoring points on a ramp: ``(YYYY-MM-DD, intensity)``, halfway for ramps of 2-12 months,
    every 12 months for longer ones, none for shorter ones."""
    ramp = float(schedule.ramp_months)
    if ramp < 2:
        return []
    offsets = [math.floor(ramp / 2)] if ramp <= 12 else list(range(12, math.ceil(ramp), 12))
    points = []
    for offset in offsets:
        month = schedule.start_month + offset
        value = round(float(schedule.intensity_at(month)), 3)
        points.append((month_to_date(month).isoformat(), value))
    return points


def schedule_table(result: Optimization) -> pd.DataFrame:
    """One row per active measure and funded lever of the optimised plan (start date order)."""
    import pandas as pd

    searched = {(v.kind, v.item) for v in result.space.variables}
    before = {("measure", m.measure.name): m.schedule for m in result.unoptimised.active_measures}
    before |= {("capacity", c.lever.name): c.schedule for c in result.unoptimised.capacity
               if c.amount}
    rows = []
    items = [("measure", m.measure.name, m.schedule, math.nan) for m in result.plan.active_measures]
    items += [("capacity", c.lever.name, c.schedule, c.amount) for c in result.plan.capacity
              if c.amount > 0]
    for kind, name, schedule, amount in items:
        old = before.get((kind, name))
        rows.append({
            "lever": name, "kind": kind, "start": schedule.start.isoformat(),
            "ramp_months": _plain(schedule.ramp_months),
            "intensity": _plain(schedule.intensity) if kind == "measure" else 1,
            "amount": _plain(amount), "milestones": json.dumps(milestones(schedule)),
            "end": month_to_date(schedule.end_month).isoformat(),
            "decision": "optimised" if (kind, name) in searched else "fixed",
            "unoptimised_start": old.start.isoformat() if old else "",
            "unoptimised_ramp_months": _plain(old.ramp_months) if old else "",
        })
    table = pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS))
    return table.sort_values(["start", "kind", "lever"], kind="stable").reset_index(drop=True)


def capacity_plan(result: Optimization) -> pd.DataFrame:
    """Per year of the horizon and funded lever: ``year, lever, amount, cost_eur, unit``."""
    import pandas as pd

    evaluator, plan = result.evaluator, result.plan
    funded = [c for c in plan.capacity if c.amount > 0]
    columns = ["year", "lever", "amount", "cost_eur", "unit"]
    if not funded:
        return pd.DataFrame(columns=columns)
    without = [_replace_capacity(plan, [c for c in plan.capacity if c is not lever])
               for lever in funded]
    costs = _yearly_cost(result, [plan, *without])
    months = np.arange(evaluator.rows.start, evaluator.rows.stop, dtype=float)
    years = np.array([month_to_date(m).year for m in months])
    rows = []
    for i, lever in enumerate(funded):
        amount = lever.amount * lever.schedule.intensity_at(months)
        for year in sorted(set(years)):
            rows.append({"year": int(year), "lever": lever.lever.name,
                         "amount": round(float(amount[years == year].mean()), 1),
                         "cost_eur": round(float(costs[0][year] - costs[i + 1][year])),
                         "unit": lever.lever.unit})
    return pd.DataFrame(rows, columns=columns)


def kpi_rows(result: Optimization) -> pd.DataFrame:
    """The unoptimised and the optimised plan: ``plan``, the KPI columns of
    :data:`sdmodel.analysis.compare.TABLE_COLUMNS` (central future), then over the futures
    ``cost_eur`` (mean total cost over the horizon), ``exceedance_person_months`` (mean),
    ``share_futures_meeting_threshold``, each constraint's value and ``meets_constraints``."""
    import pandas as pd

    from sdmodel.analysis.compare import kpi_table
    from sdmodel.runs import run_scenarios

    plans = [result.unoptimised, result.plan]
    central = kpi_table(run_scenarios(plans, result.session), plans)
    table = central.rename(columns={"scenario": "plan"})
    metrics = result.evaluator.evaluate_plans(plans)
    extra = ensemble_columns(result, metrics)
    return pd.concat([table, extra], axis=1)


def ensemble_columns(result: Optimization, metrics: Metrics) -> pd.DataFrame:
    """Per plan (rows of ``metrics``): the ensemble figures of :func:`kpi_rows`."""
    import pandas as pd

    goal = result.goal
    columns = {
        "cost_eur": np.round(metrics["cost"].mean(axis=1)),
        "exceedance_person_months": np.round(metrics["coa_occupancy"].mean(axis=1)),
        "share_futures_meeting_threshold": metrics.share_meeting(),
        "objective": goal.objective(metrics),
    }
    violations = goal.violations(metrics)
    for constraint, values in zip(goal.constraints, violations, strict=True):
        columns[f"constraint_{constraint.name}"] = np.round(values, 1)
    columns["meets_constraints"] = (violations <= 0).all(axis=0) if len(violations) else True
    columns["futures"] = result.futures.n
    return pd.DataFrame(columns)


def ensemble_band(result: Optimization, plan: Scenario) -> pd.DataFrame:
    """``date, q05, q25, q50, q75, q95`` of COA occupancy over the futures, every month."""
    import pandas as pd

    coa = result.evaluator.monthly([plan], ["coa_occupancy_total"])["coa_occupancy_total"]
    q = np.quantile(coa, QUANTILES, axis=1)
    frame = pd.DataFrame({f"q{round(p * 100):02d}": np.round(q[i], 1)
                          for i, p in enumerate(QUANTILES)})
    dates = month_dates(coa.shape[0])
    frame.insert(0, "date", dates.strftime("%Y-%m-%d"))
    return frame


def decision_table(result: Optimization) -> pd.DataFrame:
    """One row per decision variable: ``variable, low, high, unoptimised, optimised`` (months
    as dates for starts)."""
    import pandas as pd

    space = result.space
    base = space.encode(result.unoptimised)
    rows = []
    for v, old, new in zip(space.variables, base, result.x, strict=True):
        show = (lambda m: month_to_date(m).isoformat()) if v.field == "start" else _plain
        rows.append({"variable": v.label, "kind": v.kind, "low": show(v.low),
                     "high": show(v.high), "unoptimised": show(old), "optimised": show(new)})
    return pd.DataFrame(rows, columns=["variable", "kind", "low", "high", "unoptimised",
                                       "optimised"])


def _yearly_cost(result: Optimization, plans: list[Scenario]) -> list[dict[int, float]]:
    """Per plan: calendar year of the horizon -> total cost, mean over the futures."""
    evaluator = result.evaluator
    out = []
    for lo in range(0, len(plans), evaluator.plans_per_call):
        chunk = plans[lo:lo + evaluator.plans_per_call]
        monthly = evaluator.monthly(chunk, list(COST_KPIS))
        total = sum(monthly[k] for k in COST_KPIS)[evaluator.rows]
        months = np.arange(evaluator.rows.start, evaluator.rows.stop, dtype=float)
        years = np.array([month_to_date(m).year for m in months])
        per_plan = total.reshape(len(months), len(chunk), result.futures.n).mean(axis=2)
        for p in range(len(chunk)):
            out.append({int(y): float(per_plan[years == y, p].sum()) for y in set(years)})
    return out


def _replace_capacity(plan: Scenario, capacity: list) -> Scenario:
    from dataclasses import replace

    return replace(plan, capacity=tuple(capacity))


def _plain(value: float) -> float | int | str:
    """A whole number as int, NaN as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return int(value) if value.is_integer() else round(value, 3)
