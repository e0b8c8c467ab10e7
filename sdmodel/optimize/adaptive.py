"""Adaptive vs fixed: the best fixed schedule with rules whose thresholds and action sizes are
searched, over the same futures.

A spec may carry rules (``[[rules]]`` as in scenario files, :mod:`sdmodel.scenarios.rules`),
each with the ranges to search::

    [[rules]]
    name = "ter-apel-plaatsen"
    when = "ter_apel_occupancy > 2000 for 1 month"
    then = { release = "coa_places", amount = 5000, lead_months = 3 }
    until = "ter_apel_occupancy < 1500 for 6 months"
    search = { threshold = [1500, 3000], amount = [0, 20000] }

    [adaptive]
    max_evals = 60      # rule settings tried (each over every future)
    seed = 1

(parsed by :mod:`sdmodel.optimize.adaptive_spec`). ``search`` may range ``threshold`` (of
``when``), ``until_threshold``, ``amount`` (release) and ``months`` (postpone months, or a
release's lead months). After the main search,
:func:`adaptive_comparison` adds the rules to the best fixed plan and tries the rule as written
plus a Latin-hypercube sample of the ranges, every one over the optimizer's futures (each run
fires at its own dates); the best is the one meeting the spec's constraints at the lowest
objective (without one that meets them: the fewest constraints missed, then the objective).
The fixed plan is evaluated by the same function, so the two rows differ only by the rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.optimize.adaptive_spec import AdaptiveSpec, as_written, decode
from sdmodel.optimize.outcomes import EXCEEDANCE, OUTCOMES
from sdmodel.scenarios.rules import Rule

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.optimize.ensemble import Evaluator, Metrics
    from sdmodel.optimize.search import Goal
    from sdmodel.scenarios.scenario import Scenario

PLANS_PER_CALL_RUNS = 1000
"""Runs (plans x futures) per batch call of the adaptive search."""


@dataclass(frozen=True)
class AdaptiveComparison:
    """The adaptive plan next to the best fixed schedule, over the same futures.

    Attributes
    ----------
    plan
        The best fixed plan with the chosen rules (named ``adaptief``).
    rules
        The chosen rules.
    table
        One row per plan (``vast``, ``adaptief``): ``plan, objective, cost_mean_eur,
        share_futures_meeting_all, feasible`` and the mean person-months (case-months) above
        threshold the spec limits (and COA occupancy's), ``<outcome>_above_mean``.
    firing
        One row per rule: ``rule, when, then, until, share_fired, median_fire_date,
        share_ended``.
    evals
        Rule settings evaluated (each over every future).
    seed
        Seed of the Latin-hypercube sample of the ranges.
    """

    plan: Scenario
    rules: tuple[Rule, ...]
    table: pd.DataFrame
    firing: pd.DataFrame
    evals: int
    seed: int


def evaluate_with_rules(evaluator: Evaluator, plans: Sequence[Scenario]
                        ) -> tuple[Metrics, dict[str, np.ndarray]]:
    """Metrics of ``plans`` (with or without rules) over the evaluator's futures, and the rule
    slots' event stocks at the last month (name -> ``(plans, futures)``).

    The inputs are those the evaluator gives a plan (the futures' values before the scenario
    period, the plan's from its start), with the rule slots' inputs per plan.
    """
    from sdmodel.engine.batch_kpis import run_monthly
    from sdmodel.names import RULE_EVENT_KPIS
    from sdmodel.optimize.ensemble import Metrics
    from sdmodel.scenarios.inputs import scenario_series

    futures, session = evaluator.futures, evaluator.session
    f, times, k0 = futures.n, session.batch.time_grid(), evaluator.first_step
    per_call = max(1, PLANS_PER_CALL_RUNS // f)
    metrics, events = [], {name: [] for name in RULE_EVENT_KPIS}
    for lo in range(0, len(plans), per_call):
        chunk = plans[lo:lo + per_call]
        inputs = [scenario_series(p, base=futures.base, times=times, limits=session.limits,
                                  effect_values=futures.effects, n=f) for p in chunk]
        params: dict[str, object] = {name: np.tile(values, len(chunk))
                                     for name, values in futures.constants.items()}
        for name in sorted(set(futures.series).union(*inputs)):
            if all(np.ndim(one.get(name, np.zeros((1, 1)))) == 0 for one in inputs):
                params[name] = np.repeat([float(one.get(name, futures.base.get(name, 0.0)))
                                          for one in inputs], f)
                continue
            base = (futures.series[name] if name in futures.series else np.broadcast_to(
                np.asarray(futures.base[name], dtype=float), (len(times), f)))
            columns = []
            for one in inputs:
                value = np.array(base)
                if name in one:
                    value[k0:] = np.broadcast_to(one[name], value.shape)[k0:]
                columns.append(value)
            params[name] = np.concatenate(columns, axis=1)
        evaluator.simulations += len(chunk) * f
        kpis = [*evaluator.kpis, *RULE_EVENT_KPIS]
        monthly = run_monthly(session.batch, params, n=len(chunk) * f, kpis=kpis)
        metrics.append(evaluator.metrics_of(monthly, len(chunk)))
        for name in RULE_EVENT_KPIS:
            events[name].append(monthly[name][-1].reshape(len(chunk), f))
    return Metrics.stack(metrics), {k: np.concatenate(v) for k, v in events.items()}


def _rank(goal: Goal, metrics: Metrics) -> np.ndarray:
    """Order of plans: meeting every constraint first, then fewer missed, then the objective."""
    missed = (goal.violations(metrics) > 0).sum(axis=0)
    return np.lexsort((goal.objective(metrics), missed))


def comparison_table(goal: Goal, metrics: Metrics, labels: Sequence[str]) -> pd.DataFrame:
    """One row per plan: objective, mean cost, share of futures meeting every threshold, whether
    it meets the spec's constraints, and the mean person-months above each threshold."""
    import pandas as pd

    limited = [c.name for c in goal.constraints if c.name in OUTCOMES]
    meets = np.ones(metrics["cost"].shape, dtype=bool)
    for name in limited:
        meets &= metrics[name] <= 0
    table = pd.DataFrame({
        "plan": list(labels),
        "objective": goal.objective(metrics),
        "cost_mean_eur": metrics["cost"].mean(axis=1),
        "share_futures_meeting_all": meets.mean(axis=1),
        "feasible": (goal.violations(metrics) <= 0).all(axis=0),
    })
    for name, outcome in OUTCOMES.items():
        if outcome.statistic == "excess" and (name == EXCEEDANCE or name in limited):
            table[f"{name}_above_mean"] = metrics[name].mean(axis=1)
    return table


def firing_table(rules: Sequence[Rule], events: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Per rule: share of futures in which it fired, median firing date, share ended."""
    import pandas as pd

    from sdmodel.calendar import month_to_date

    rows = []
    for k, rule in enumerate(rules, start=1):
        fired = events[f"rule_{k}_fired"] > 0.5
        times = events[f"rule_{k}_fire_time"][fired]
        rows.append({"rule": rule.name, "when": str(rule.when), "then": str(rule.then),
                     "until": "" if rule.until is None else str(rule.until),
                     "share_fired": float(fired.mean()),
                     "median_fire_date": (month_to_date(float(np.median(times))).isoformat()
                                          if len(times) else ""),
                     "share_ended": float((events[f"rule_{k}_ended"] > 0.5).mean())})
    return pd.DataFrame(rows)


def adaptive_comparison(evaluator: Evaluator, goal: Goal, fixed: Scenario, spec: AdaptiveSpec,
                        *, seed: int, progress: bool = False) -> AdaptiveComparison:
    """Search the rules' ranges on top of the best fixed plan; compare with the fixed plan.

    Raises
    ------
    RuleError
        If a rule holds a measure the fixed plan does not introduce.
    """
    from scipy.stats import qmc

    from sdmodel.scenarios.rules import check_rules

    rules0 = decode(spec, as_written(spec))
    check_rules(rules0, fixed.measures, source="the optimised plan")
    bounds = [(low, high) for c in spec.rules for _, low, high in c.ranges]
    xs = [as_written(spec)]
    if bounds and spec.max_evals > 1:
        sample = qmc.LatinHypercube(d=len(bounds), seed=seed).random(spec.max_evals - 1)
        xs += list(qmc.scale(sample, *zip(*bounds, strict=True)) if bounds else sample)
    plans = [dataclasses.replace(fixed, name="adaptief", rules=decode(spec, x)) for x in xs]
    metrics, events = evaluate_with_rules(evaluator, [fixed, *plans])
    order = _rank(goal, metrics.rows(np.arange(1, len(plans) + 1)))
    best = int(order[0])
    chosen = plans[best]
    table = comparison_table(goal, metrics.rows([0, best + 1]), ["vast", "adaptief"])
    firing = firing_table(chosen.rules, {k: v[best + 1] for k, v in events.items()})
    return AdaptiveComparison(chosen, chosen.rules, table, firing, len(plans), seed)
