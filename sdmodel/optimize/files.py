"""The output folder of ``asielketen optimize``: tables, figures and what to record.

:func:`optimization_files` returns the files as writers for
:func:`sdmodel.outputs.folder.write_outputs` (atomic, with a manifest; the briefing reads
``--optimized`` folders with :func:`sdmodel.briefing.data.load_optimized`):

- ``schedule.csv``: the optimised phased schedule (``lever, kind, start, ramp_months, intensity,
  amount, milestones``, then ``end, decision, unoptimised_start, unoptimised_ramp_months``);
- ``capacity_plan.csv``: ``year, lever, amount, cost_eur, unit`` per funded lever;
- ``kpis.csv``: one row per plan (``unoptimised``, ``optimised``): the comparison's KPI columns
  and the ensemble figures (``cost_eur``, ``exceedance_person_months``, ...);
- ``pareto.csv``: ``budget_eur, cost_eur, exceedance_person_months,
  share_futures_meeting_threshold, feasible`` per budget of the sweep;
- ``convergence.csv``: ``generation, best, mean, feasible_share, evaluations`` of the main search;
- ``ensemble_band.csv`` (and ``ensemble_band_unoptimised.csv``): ``date, q05 ... q95`` of COA
  occupancy over the futures;
- ``futures.csv`` (the ensemble), ``decision_variables.csv`` (bounds, unoptimised and optimised
  values) and ``optimised.toml`` (the plan as a scenario file for ``asielketen compare``);
- ``gantt.png``, ``pareto.png``, ``ensemble_band.png`` (the briefing's figure functions);
- with rules in the spec (:mod:`sdmodel.optimize.adaptive`): ``adaptive_vs_fixed.csv`` (one row
  per plan, ``vast`` and ``adaptief``: objective, mean cost, share of futures meeting every
  limit, mean person-months above each limit), ``adaptive_rules.csv`` (the chosen rules, the
  share of futures in which each fired and its median firing date) and ``adaptive.toml`` (the
  adaptive plan as a scenario file).
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdmodel.optimize.tables import (
    capacity_plan,
    decision_table,
    ensemble_band,
    kpi_rows,
    schedule_table,
)
from sdmodel.outputs.writers import Writer, csv_writer, text_writer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.optimize.run import Optimization
    from sdmodel.scenarios.scenario import Scenario

def optimization_files(result: Optimization, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of an optimisation: name -> writer (see the module docstring)."""
    from sdmodel.figures.style import figure_writer
    from sdmodel.runs import run_scenarios

    schedule = schedule_table(result)
    kpis = kpi_rows(result)
    band = ensemble_band(result, result.plan)
    band_before = ensemble_band(result, result.unoptimised)
    central = run_scenarios([result.plan], result.session)[result.plan.name]
    chosen = kpis.set_index("plan").loc["optimised"]
    source = _source(result, lang)
    figures = {
        "gantt.png": lambda: _gantt(schedule, lang=lang, source=source),
        "pareto.png": lambda: _pareto(result.pareto, lang=lang, source=source,
                                      chosen=(float(chosen["cost_eur"]),
                                              float(chosen["exceedance_person_months"]))),
        "ensemble_band.png": lambda: _band(result, band, band_before, central, lang=lang,
                                           source=source),
    }
    files: dict[str, Writer] = {
        "schedule.csv": csv_writer(schedule),
        "capacity_plan.csv": csv_writer(capacity_plan(result)),
        "kpis.csv": csv_writer(kpis),
        "pareto.csv": csv_writer(result.pareto),
        "convergence.csv": csv_writer(result.search.convergence),
        "ensemble_band.csv": csv_writer(band),
        "ensemble_band_unoptimised.csv": csv_writer(band_before),
        "futures.csv": csv_writer(result.futures.design),
        "decision_variables.csv": csv_writer(decision_table(result)),
        "optimised.toml": text_writer(scenario_toml(
            result.plan, name=f"{result.spec.name}-optimised", description=_describe(result))),
    }
    adaptive = result.adaptive
    if adaptive is not None:
        from sdmodel.scenarios.rules import rules_toml

        files["adaptive_vs_fixed.csv"] = csv_writer(adaptive.table)
        files["adaptive_rules.csv"] = csv_writer(adaptive.firing)
        files["adaptive.toml"] = text_writer(scenario_toml(
            adaptive.plan, name=f"{result.spec.name}-adaptief",
            description=_describe(result) + " Met bijsturingsregels.")
            + "\n" + rules_toml(adaptive.rules))
    for name, make in figures.items():
        files[name] = figure_writer(make)
    return files


def optimization_manifest(result: Optimization, *, lang: str, command: str) -> dict[str, Any]:
    """Return the manifest of an optimisation: the spec, the futures and seeds, the search, the
    best plan and the unoptimised one, and what the cost columns mean."""
    from sdmodel.analysis.files import describe
    from sdmodel.data.observations import data_sha256
    from sdmodel.outputs.manifest import build_manifest

    session = result.session
    parameters = {
        "spec": str(result.spec.source) if result.spec.source else result.spec.name,
        "spec_values": _plain(asdict(result.spec)),
        "futures": result.futures.n, "futures_seed": result.seed,
        "search_seed": result.search_seed,
        "evaluations": result.nfev, "main_search_evaluations": result.search.nfev,
        "generations": result.search.nit, "simulations": result.nsim,
        "wall_time_s": round(result.seconds, 1),
        "simulations_per_second": round(result.simulations_per_second),
        "success": result.success, "message": result.message,
        "objective": {"minimise": result.goal.minimise, "statistic": result.goal.statistic,
                      "value": result.fun},
        "constraints": [c.describe() for c in result.goal.constraints],
        "decision": dict(zip(result.space.labels, [float(v) for v in result.x], strict=True)),
        "plans": describe([result.unoptimised, result.plan]),
        "adaptive": (None if result.adaptive is None else
                     {"rule_settings_evaluated": result.adaptive.evals,
                      "seed": result.adaptive.seed}),
        "calibration": session.calibration.note,
        "calibration_model_matches": session.calibration.model_matches,
        "lang": lang,
        "columns": {
            "capacity_plan.csv cost_eur": "change in the chain's total cost from the lever in "
                                          "that year, mean over the futures (negative: saves)",
            "kpis.csv cost_eur": "total chain cost over the horizon, mean over the futures",
            "kpis.csv exceedance_person_months": "person-months of COA occupancy above the "
                                                 "threshold over the horizon, mean over futures",
        },
    }
    return build_manifest(model_path=session.model.path, model_sha256=session.model.sha256,
                          data_sha256=data_sha256(), parameters=parameters, seed=result.seed,
                          command=command)


def scenario_toml(plan: Scenario, *, name: str, description: str) -> str:
    """A scenario file (see :mod:`sdmodel.scenarios.scenario`) that reproduces ``plan``."""
    from sdmodel.calendar import month_to_date
    from sdmodel.names import INFLOW_BAND_VARIABLE

    lines = [f"name = {json.dumps(name)}", f"description = {json.dumps(description)}", ""]
    overrides = dict(plan.overrides)
    if plan.inflow_series:
        points = [[month_to_date(m).isoformat(), v] for m, v in plan.inflow_series]
        lines += ["[inflow]", f"first_applications_per_month = {json.dumps(points)}", ""]
    elif INFLOW_BAND_VARIABLE in overrides:
        lines += ["[inflow]", f"band = {overrides.pop(INFLOW_BAND_VARIABLE)!r}", ""]
    overrides.pop(INFLOW_BAND_VARIABLE, None)
    if overrides:
        lines += ["[set]", *(f"{json.dumps(k)} = {v!r}" for k, v in overrides.items()), ""]
    t = plan.thresholds
    lines += ["[thresholds]",
              (f"coa_occupancy = {t.coa_occupancy!r}" if t.coa_occupancy is not None
               else f"coa_occupancy_share = {t.coa_occupancy_share!r}"),
              f"ter_apel = {t.ter_apel!r}", ""]
    for m in plan.measures:
        s = m.schedule
        lines += [f"[measures.{m.measure.name}]", f"enabled = {str(m.enabled).lower()}",
                  f'start = "{s.start.isoformat()}"', f"ramp_months = {float(s.ramp_months)!r}",
                  f"intensity = {float(s.intensity)!r}"]
        if s.milestones:
            points = [[d.isoformat(), v] for d, v in s.milestones]
            lines.append(f"milestones = {json.dumps(points)}")
        lines += [f"{k} = {float(v)!r}" for k, v in m.effects.items()] + [""]
    for c in plan.capacity:
        if c.amount > 0:
            lines += [f"[capacity.{c.lever.name}]", f"amount = {float(c.amount)!r}",
                      f'start = "{c.schedule.start.isoformat()}"',
                      f"ramp_months = {float(c.schedule.ramp_months)!r}", ""]
    return "\n".join(lines)


def summary(result: Optimization) -> str:
    """A few lines for the terminal: outcome, time, evaluations, the schedule."""
    table = schedule_table(result)
    lines = [result.message,
             f"{result.nfev:,} plans x {result.futures.n} futures = {result.nsim:,} simulations "
             f"in {result.seconds:.0f} s ({result.simulations_per_second:,.0f} per second)"]
    for row in table.itertuples():
        amount = f", +{row.amount:g}" if row.kind == "capacity" else ""
        lines.append(f"  {row.start}  {row.lever} (ramp {row.ramp_months} months{amount})")
    if result.adaptive is not None:
        lines.append(f"adaptive vs fixed ({result.adaptive.evals} rule settings x "
                     f"{result.futures.n} futures):")
        for row in result.adaptive.table.itertuples():
            lines.append(f"  {row.plan:9s} cost EUR {row.cost_mean_eur / 1e9:,.2f} bn, "
                         f"{row.share_futures_meeting_all:.0%} of futures meet every limit, "
                         f"COA {row.coa_occupancy_above_mean:,.0f} person-months above")
        for row in result.adaptive.firing.itertuples():
            lines.append(f"  rule {row.rule}: fires in {row.share_fired:.0%} of futures"
                         + (f", median {row.median_fire_date}" if row.median_fire_date else ""))
    return "\n".join(lines) + "\n"


# -- figures ---------------------------------------------------------------------------------------


def _gantt(schedule: pd.DataFrame, *, lang: str, source: str):
    from sdmodel.briefing.data import read_schedule
    from sdmodel.briefing.plans import fig_gantt

    text = schedule.to_csv(index=False, lineterminator="\n")
    return fig_gantt(read_schedule(io.StringIO(text)), lang=lang, source=source)


def _pareto(pareto: pd.DataFrame, *, lang: str, source: str, chosen: tuple[float, float]):
    from sdmodel.briefing.plans import fig_pareto

    return fig_pareto(pareto, lang=lang, chosen=chosen, source=source)


def _band(result: Optimization, band: pd.DataFrame, before: pd.DataFrame, central: pd.DataFrame,
          *, lang: str, source: str):
    import pandas as pd

    from sdmodel.briefing.scenarios import fig_fan
    from sdmodel.figures.labels import text

    def indexed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(date=pd.to_datetime(frame["date"])).set_index("date")

    bands = {text("plan_optimised", lang): indexed(band),
             text("plan_unoptimised", lang): indexed(before)}
    limits = result.evaluator.limits
    return fig_fan(bands, lang=lang, results=central, threshold=limits.coa_occupancy,
                   samples=result.futures.n, source=source)


def _source(result: Optimization, lang: str) -> str:
    from sdmodel.data.observations import data_sha256
    from sdmodel.figures.marks import source_line

    spec = result.spec.source.name if result.spec.source else result.spec.name
    return source_line(lang=lang, model_sha256=result.session.model.sha256,
                       data_sha256=data_sha256(), extra=spec)


def _describe(result: Optimization) -> str:
    base = result.spec.scenario or "the spec's plan"
    return (f"Optimised by 'asielketen optimize' from {result.spec.name} ({base}): "
            f"{result.message}")


def _plain(value: Any) -> Any:
    """JSON-friendly: paths and tuples as strings and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
