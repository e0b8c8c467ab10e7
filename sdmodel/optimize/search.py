"""The search: scipy's differential evolution over an ensemble, with constraints and a sweep.

One generation of DE (population x futures) is one or a few batch calls: the objective and the
constraint functions are vectorised (``vectorized=True, updating="deferred"``) and share the
evaluator's cache, so each candidate is simulated once. Constraints go to scipy as a
``NonlinearConstraint`` (feasibility rules: a feasible plan beats an infeasible one; among
infeasible plans the less violating one wins), integer months through ``integrality``.

:func:`check_feasible` first tries the corners of the space (every capacity lever at its
maximum, measures late or early) and raises :class:`InfeasibleSpecError` naming each constraint
that none of them meets. :func:`polish` moves single variables of the result to their bounds
while that helps. The budget sweep is in :mod:`sdmodel.optimize.pareto`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.errors import AsielketenError
from sdmodel.optimize.ensemble import Evaluator, Metrics, statistic
from sdmodel.optimize.outcomes import COST, EXCEEDANCE, OUTCOMES, Minimise, Statistic

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd



class InfeasibleSpecError(AsielketenError):
    """No plan in the spec's decision space can meet a constraint."""


@dataclass(frozen=True)
class Constraint:
    """One limit over the futures: met when ``value(metrics) <= 0``.

    Attributes
    ----------
    name
        An excess outcome of :data:`~sdmodel.optimize.outcomes.OUTCOMES` (``"coa_occupancy"``,
        ``"ter_apel"``, ``"ind_backlog"``: person- or case-months above the limit, by
        ``statistic``) or ``"budget"`` (mean cost minus the budget, EUR).
    text
        What it says, for messages: ``"COA occupancy <= 1 x regular capacity"``.
    key
        The spec key that sets it.
    statistic, share
        How the futures are summarised (see :func:`sdmodel.optimize.ensemble.statistic`).
    budget
        The budget (EUR) of ``"budget"``.
    """

    name: str
    text: str
    key: str
    statistic: Statistic = "share"
    share: float = 0.8
    budget: float = math.inf

    def value(self, metrics: Metrics) -> np.ndarray:
        """Per plan: > 0 when violated (person-months, case-months or EUR)."""
        if self.name == "budget":
            return metrics[COST].mean(axis=1) - self.budget
        return statistic(metrics[self.name], self.statistic, share=self.share)

    def describe(self) -> str:
        """The limit with how it is summarised over the futures."""
        if self.name == "budget":
            return f"mean cost <= EUR {self.budget / 1e9:,.1f} billion"
        over = {"mean": "on average over the futures", "worst": "in every future",
                "share": f"in at least {self.share:.0%} of the futures"}[self.statistic]
        return f"{self.text} {over}"


@dataclass(frozen=True)
class Goal:
    """What a search minimises (``"cost"`` EUR or ``"exceedance"`` COA person-months, by
    ``statistic``) and the constraints it must keep."""

    minimise: Minimise
    statistic: Statistic
    share: float
    constraints: tuple[Constraint, ...] = ()

    def objective(self, metrics: Metrics) -> np.ndarray:
        """Per plan, in EUR or person-months."""
        values = metrics[COST if self.minimise == "cost" else EXCEEDANCE]
        return statistic(values, self.statistic, share=self.share)

    def violations(self, metrics: Metrics) -> np.ndarray:
        """``(constraints, plans)``: positive where a constraint is violated."""
        return np.array([c.value(metrics) for c in self.constraints]).reshape(
            len(self.constraints), -1)


@dataclass
class SearchRun:
    """The result of one search, with the fields of scipy's ``OptimizeResult``.

    Attributes
    ----------
    x
        Best decision vector.
    fun
        Its objective (EUR or person-months).
    success
        Whether it meets every constraint.
    message
        Why the search stopped, and which constraints the best plan violates.
    nfev
        Candidate plans evaluated (each over every future).
    nit
        Generations.
    violations
        Constraint name -> value (> 0: violated).
    convergence
        One row per generation: ``generation, best, mean, feasible_share, evaluations``.
    """

    x: np.ndarray
    fun: float
    success: bool
    message: str
    nfev: int
    nit: int
    violations: dict[str, float] = field(default_factory=dict)
    convergence: pd.DataFrame | None = None


def population_size(evals: int, dims: int, popsize: int) -> tuple[int, int]:
    """Return ``(members, generations)`` so that ``members * (generations + 1) <= evals``.

    The population is ``popsize * dims`` members, fewer when the budget is small (at least 5,
    scipy's minimum), and at least one generation follows the initial population.
    """
    members = max(5, min(popsize * dims, evals // 2))
    return members, max(1, evals // members - 1)


def differential_evolution(
    evaluator: Evaluator,
    goal: Goal,
    *,
    evals: int,
    popsize: int,
    seed: int,
    tol: float = 0.001,
    mutation: float | tuple[float, float] = (0.5, 1.0),
    recombination: float = 0.7,
    starts: Sequence[np.ndarray] = (),
    progress: bool = False,
    label: str = "",
) -> SearchRun:
    """Minimise ``goal`` over the evaluator's decision space with scipy's DE.

    Parameters
    ----------
    evaluator
        Runs plans over the futures.
    goal
        Objective and constraints.
    evals
        Budget of candidate plans (population x (generations + 1)).
    popsize
        scipy's multiplier (members = ``popsize`` x variables, see :func:`population_size`).
    seed
        Seed of the initial population and of the search.
    tol, mutation, recombination
        scipy's options.
    starts
        Decision vectors placed in the initial population (the rest is a Latin hypercube).
    progress
        Show a tqdm progress bar (one step per generation) on stderr.
    label
        Text of the progress bar.
    """
    import pandas as pd
    from scipy import optimize
    from scipy.stats import qmc

    space = evaluator.space
    bounds = np.array(space.bounds, dtype=float)
    members, generations = population_size(evals, len(bounds), popsize)
    rng = np.random.default_rng(seed)
    unit = qmc.LatinHypercube(d=len(bounds), rng=rng).random(members)
    init = np.rint(bounds[:, 0] + unit * (bounds[:, 1] - bounds[:, 0]))
    for i, start in enumerate(list(starts)[:members]):
        init[i] = np.clip(np.rint(start), bounds[:, 0], bounds[:, 1])

    def objective(x: np.ndarray) -> np.ndarray:
        return goal.objective(evaluator.evaluate(np.atleast_2d(x.T)))

    constraints = ()
    if goal.constraints:
        def violation(x: np.ndarray) -> np.ndarray:
            values = goal.violations(evaluator.evaluate(np.atleast_2d(x.T)))
            return values if x.ndim > 1 else values[:, 0]

        constraints = optimize.NonlinearConstraint(violation, -np.inf, 0.0)

    record: list[dict[str, float]] = []
    bar = _bar(progress, generations, label)
    first_evaluation = evaluator.evaluations

    def callback(intermediate_result: optimize.OptimizeResult) -> None:
        energies = intermediate_result.population_energies
        finite = energies[np.isfinite(energies)]
        feasible = getattr(intermediate_result, "constr_violation", 0.0) <= 0
        record.append({
            "generation": len(record) + 1,
            "best": float(intermediate_result.fun) if feasible else math.nan,
            "mean": float(finite.mean()) if len(finite) else math.nan,
            "feasible_share": len(finite) / len(energies),
            "evaluations": evaluator.evaluations - first_evaluation,
        })
        if bar is not None:
            bar.update(1)

    try:
        result = optimize.differential_evolution(
            objective, bounds, maxiter=generations, tol=tol, mutation=mutation,
            recombination=recombination, rng=rng, callback=callback, polish=False, init=init,
            updating="deferred", vectorized=True, constraints=constraints,
            integrality=space.integrality)
    finally:
        if bar is not None:
            bar.close()
    x = np.rint(result.x)
    metrics = evaluator.evaluate(x[None, :])
    values = {c.name: float(c.value(metrics)[0]) for c in goal.constraints}
    broken = [c.describe() for c in goal.constraints if values[c.name] > 0]
    stop = "converged" if "converged" in result.message.lower() or result.message.startswith(
        "Optimization terminated") else "stopped after the evaluation budget"
    message = (f"{stop} after {result.nit} generations; "
               + ("the plan meets every constraint" if not broken
                  else "the best plan found does not meet: " + "; ".join(broken)))
    convergence = pd.DataFrame(record, columns=["generation", "best", "mean", "feasible_share",
                                                "evaluations"])
    return SearchRun(x, float(goal.objective(metrics)[0]), not broken, message,
                     evaluator.evaluations - first_evaluation, int(result.nit), values,
                     convergence)


def polish(evaluator: Evaluator, goal: Goal, run: SearchRun, *,
           rounds: int | None = None) -> SearchRun:
    """Improve a feasible result one variable at a time, at the bounds.

    DE leaves small remnants (a lever funded with a handful of places, a start a month off its
    bound). Each round tries every variable at its lower and its upper bound (an amount at its
    minimum is no funding) in one batch and keeps the best change that stays feasible and
    lowers the objective; it stops when no change helps, after ``rounds`` changes (default: twice
    the number of variables). An infeasible result is returned as is.
    """
    bounds = np.array(evaluator.space.bounds, dtype=float)
    first = evaluator.evaluations

    def score(metrics: Metrics) -> np.ndarray:
        ok = np.all(goal.violations(metrics) <= 0, axis=0)
        return np.where(ok, goal.objective(metrics), np.inf)

    x = np.rint(run.x)
    current = score(evaluator.evaluate(x[None, :]))[0]
    changes, rounds = 0, 2 * len(x) if rounds is None else rounds
    while np.isfinite(current) and changes < rounds:
        trials = [np.where(np.arange(len(x)) == j, value, x)
                  for j in range(len(x)) for value in bounds[j] if value != x[j]]
        if not trials:
            break
        values = score(evaluator.evaluate(np.array(trials)))
        best = int(np.argmin(values))
        if not values[best] < current:
            break
        x, current, changes = trials[best], float(values[best]), changes + 1
    if not changes:
        return replace(run, nfev=run.nfev + evaluator.evaluations - first)
    metrics = evaluator.evaluate(x[None, :])
    violations = {c.name: float(c.value(metrics)[0]) for c in goal.constraints}
    return replace(run, x=x, fun=float(goal.objective(metrics)[0]), violations=violations,
                   nfev=run.nfev + evaluator.evaluations - first,
                   message=f"{run.message}; polished: {changes} variable(s) moved to a bound")


def check_feasible(evaluator: Evaluator, goal: Goal, *, source: str) -> None:
    """Raise if a constraint fails at every corner of the space that could meet it.

    Limits on COA occupancy, Ter Apel and the IND backlog are tried with every capacity lever at
    its maximum (earliest start, largest amount, shortest ramp) and the measures at their latest
    or at their earliest; the budget with every lever at its minimum. ``source`` starts the
    message (the spec file).

    Raises
    ------
    InfeasibleSpecError
        Naming each constraint none of the corners meets, with how far it is off.
    """
    space = evaluator.space
    corners = {(c, m): space.extreme(capacity=c, measures=m)
               for c in ("max", "min") for m in ("late", "early")}
    metrics = evaluator.evaluate(np.array(list(corners.values())))
    failures = []
    for constraint in goal.constraints:
        levers = "min" if constraint.name == "budget" else "max"
        rows = [i for i, (c, _) in enumerate(corners) if c == levers]
        values = constraint.value(metrics.rows(rows))
        if np.all(values > 0):
            failures.append(_failure(constraint, metrics.rows(rows), values, levers))
    if failures:
        raise InfeasibleSpecError(f"{source}: infeasible: " + "; ".join(failures)
                                  + "; relax [constraints] or widen the lever ranges")


def _failure(constraint: Constraint, metrics: Metrics, values: np.ndarray, levers: str) -> str:
    best = int(np.argmin(values))
    lever_text = "at its maximum" if levers == "max" else "at its minimum"
    if constraint.name == "budget":
        return (f"{constraint.describe()} cannot be met even with every capacity lever "
                f"{lever_text} (mean cost EUR {metrics[COST][best].mean() / 1e9:,.1f} billion)")
    met = (metrics[constraint.name][best] <= 0).mean()
    unit = OUTCOMES[constraint.name].unit
    where = {"mean": "on average", "worst": "in the worst future",
             "share": f"in the future at the {constraint.share:.0%} mark"}[constraint.statistic]
    return (f"{constraint.key}: {constraint.describe()} cannot be met even with every capacity "
            f"lever {lever_text} (met in {met:.0%} of the futures; {where} the excess is "
            f"{values[best]:,.0f} {unit} over the horizon)")


def _bar(progress: bool, total: int, label: str):
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label or "optimise", unit="gen", leave=False)


def with_budget(goal: Goal, budget: float | None) -> Goal:
    """``goal`` with a (mean) budget constraint added, if ``budget`` is given."""
    if budget is None:
        return goal
    return replace(goal, constraints=(*goal.constraints,
                                      Constraint("budget", "cost", "budget_eur", budget=budget)))
