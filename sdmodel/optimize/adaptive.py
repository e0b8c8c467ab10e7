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

``search`` may range ``threshold`` (of ``when``), ``until_threshold``, ``amount`` (release) and
``months`` (postpone months, or a release's lead months). After the main search,
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
from typing import TYPE_CHECKING, Any

import numpy as np

from sdmodel.errors import DataFileError
from sdmodel.optimize.outcomes import EXCEEDANCE, OUTCOMES
from sdmodel.scenarios.rules import Rule, parse_rules, rule_where

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.optimize.ensemble import Evaluator, Metrics
    from sdmodel.optimize.search import Goal
    from sdmodel.scenarios.scenario import Scenario

SEARCH_KEYS: tuple[str, ...] = ("threshold", "until_threshold", "amount", "months")
ADAPTIVE_KEYS: tuple[str, ...] = ("max_evals", "seed")
PLANS_PER_CALL_RUNS = 1000
"""Runs (plans x futures) per batch call of the adaptive search."""


@dataclass(frozen=True)
class RuleChoice:
    """A spec rule and the ranges searched: ``(field, low, high)`` (see :data:`SEARCH_KEYS`)."""

    rule: Rule
    ranges: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class AdaptiveSpec:
    """The spec's rules and the adaptive search's budget and seed."""

    rules: tuple[RuleChoice, ...]
    max_evals: int = 60
    seed: int | None = None


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


def parse_adaptive(data: Mapping[str, Any], *, path: object, raw: str) -> AdaptiveSpec | None:
    """Read a spec's ``[[rules]]`` (with ``search`` ranges) and ``[adaptive]``; ``None``
    without rules.

    Raises
    ------
    DataFileError
        One line naming the file, line, rule and key: a bad rule, an unknown ``search`` key,
        a range that is not ``[low, high]``, or a range for a field the rule does not have.
    """
    tables = data.get("rules")
    adaptive = data.get("adaptive", {})
    if not isinstance(adaptive, Mapping):
        raise DataFileError(f"{path}: [adaptive] must be a table (max_evals, seed)")
    unknown = set(adaptive) - set(ADAPTIVE_KEYS)
    if unknown:
        raise DataFileError(f"{path}: [adaptive] {sorted(unknown)[0]} is not a key; use "
                            + ", ".join(ADAPTIVE_KEYS))
    if tables is None:
        if adaptive:
            raise DataFileError(f"{path}: [adaptive] without [[rules]]; add the rules to search")
        return None
    if not isinstance(tables, list) or not all(isinstance(t, Mapping) for t in tables):
        raise DataFileError(f"{path}: rules must be an array of tables, [[rules]]")
    rules = parse_rules([{k: v for k, v in t.items() if k != "search"} for t in tables],
                        path=path, raw=raw)
    choices = []
    for i, (table, rule) in enumerate(zip(tables, rules, strict=True)):
        where = rule_where(str(path), raw, i, "search")
        search = table.get("search", {})
        if not isinstance(search, Mapping):
            raise DataFileError(f"{where} search must be a table, e.g. "
                                "search = { threshold = [1500, 3000] }")
        ranges = []
        for key, value in search.items():
            if key not in SEARCH_KEYS:
                raise DataFileError(f"{where} search.{key} is not a searchable field; use "
                                    + ", ".join(SEARCH_KEYS))
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int | float) and not isinstance(v, bool)
                               for v in value) or value[0] > value[1]):
                raise DataFileError(f"{where} search.{key} = {value!r} is not a range; write "
                                    f"[low, high], e.g. {key} = [1, 10]")
            if ((key == "until_threshold" and rule.until is None)
                    or (key == "amount" and rule.then.kind != "release")
                    or (key == "months" and rule.then.kind == "pause")):
                raise DataFileError(f"{where} search.{key}: this rule has no such field "
                                    f"({rule.then})")
            low, high = float(value[0]), float(value[1])
            try:  # both ends must make a valid rule
                _with(rule, key, low), _with(rule, key, high)
            except DataFileError as err:
                raise DataFileError(f"{where} search.{key}: {err}") from err
            ranges.append((key, low, high))
        choices.append(RuleChoice(rule, tuple(ranges)))
    evals = adaptive.get("max_evals", 60)
    seed = adaptive.get("seed")
    if isinstance(evals, bool) or not isinstance(evals, int) or evals < 1:
        raise DataFileError(f"{path}: [adaptive] max_evals = {evals!r}; give a whole number >= 1")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise DataFileError(f"{path}: [adaptive] seed = {seed!r}; give a whole number")
    return AdaptiveSpec(tuple(choices), int(evals), seed)


def _with(rule: Rule, key: str, value: float) -> Rule:
    """``rule`` with one searched field set (validated as a scenario file's would be)."""
    from sdmodel.scenarios.rules import check_value

    check_value(rule, key, value)
    if key == "threshold":
        return dataclasses.replace(rule, when=dataclasses.replace(rule.when, threshold=value))
    if key == "until_threshold":
        return dataclasses.replace(rule, until=dataclasses.replace(rule.until, threshold=value))
    return dataclasses.replace(rule, then=dataclasses.replace(rule.then, **{key: value}))


def decode(spec: AdaptiveSpec, x: Sequence[float]) -> tuple[Rule, ...]:
    """The rules with the searched fields set from ``x`` (the ranges in spec order)."""
    values, out = iter(x), []
    for choice in spec.rules:
        rule = choice.rule
        for key, _, _ in choice.ranges:
            rule = _with(rule, key, float(next(values)))
        out.append(rule)
    return tuple(out)


def as_written(spec: AdaptiveSpec) -> np.ndarray:
    """The decision vector of the rules as written (clipped into their ranges)."""
    def field(rule: Rule, key: str) -> float:
        return {"threshold": rule.when.threshold,
                "until_threshold": rule.until.threshold if rule.until else 0.0,
                "amount": rule.then.amount, "months": rule.then.months}[key]
    return np.array([min(max(field(c.rule, key), low), high)
                     for c in spec.rules for key, low, high in c.ranges])


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
