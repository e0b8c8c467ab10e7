"""The cost-exceedance front: sweep the budget (epsilon-constraint) with the DE search.

For each budget :func:`pareto_front` minimises the mean person-months of COA occupancy above
the threshold, subject to the mean total cost staying within the budget (and the spec's other
constraints: Ter Apel, IND backlog). Each point starts from the best plans already evaluated
within its budget and is the better of its search and the archive of every plan evaluated, so
the front uses all simulations of the run. :func:`sweep_budgets` spaces the budgets from the
cheapest plan to the cheapest plan with the least exceedance evaluated so far.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.optimize.ensemble import Evaluator
from sdmodel.optimize.search import Constraint, Goal, SearchRun, differential_evolution

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COLUMNS: tuple[str, ...] = ("budget_eur", "cost_eur", "exceedance_person_months",
                            "share_futures_meeting_threshold", "feasible")
"""Columns of pareto.csv."""


def pareto_front(
    evaluator: Evaluator,
    goal: Goal,
    *,
    budgets: Sequence[float],
    evals: int,
    popsize: int,
    seed: int,
    search: Callable[..., SearchRun] = differential_evolution,
    progress: bool = False,
    **options: object,
) -> pd.DataFrame:
    """Sweep the budget: for each, minimise the mean COA exceedance within it.

    Each point keeps ``goal``'s other constraints (Ter Apel, IND backlog), starts from the best
    plans already evaluated within its budget, and is the better of that search's result and the
    archive (every plan evaluated so far, in any search).

    Returns
    -------
    pandas.DataFrame
        One row per budget: ``budget_eur, cost_eur`` (mean), ``exceedance_person_months``
        (mean), ``share_futures_meeting_threshold``, ``feasible``.
    """
    import pandas as pd

    others = tuple(c for c in goal.constraints if c.name not in ("coa_occupancy", "budget"))
    rows = []
    for i, budget in enumerate(budgets):
        limit = Constraint("budget", "cost", "budget_eur", budget=float(budget))
        point = Goal("exceedance", "mean", goal.share, (*others, limit))
        starts = _best_in_archive(evaluator, point, count=max(5, popsize))
        search(evaluator, point, evals=evals, popsize=popsize, seed=seed + i + 1, starts=starts,
               progress=progress, label=f"Pareto {i + 1}/{len(budgets)}", **options)
        best = _best_in_archive(evaluator, point, count=1)[0]
        metrics = evaluator.evaluate(best[None, :])
        feasible = bool(np.all(point.violations(metrics) <= 0))
        rows.append({"budget_eur": float(budget), "cost_eur": float(metrics["cost"].mean()),
                     "exceedance_person_months": float(metrics["coa_occupancy"].mean()),
                     "share_futures_meeting_threshold": float(metrics.share_meeting()[0]),
                     "feasible": feasible})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def sweep_budgets(evaluator: Evaluator, goal: Goal, *, points: int) -> list[float]:
    """``points`` budgets from the cheapest to the least-exceeding plan evaluated so far (both
    within the other constraints), evenly spaced."""
    others = Goal("exceedance", "mean", goal.share,
                  tuple(c for c in goal.constraints if c.name not in ("coa_occupancy", "budget")))
    xs, metrics = evaluator.archive()
    ok = np.all(others.violations(metrics) <= 0, axis=0) if others.constraints else \
        np.ones(len(xs), dtype=bool)
    if not ok.any() or points < 1:
        return []
    cost, exceedance = metrics["cost"].mean(axis=1)[ok], metrics["coa_occupancy"].mean(axis=1)[ok]
    low = float(cost.min())
    high = float(cost[exceedance == exceedance.min()].min())
    if points == 1 or high <= low:
        return [high]
    return [float(b) for b in np.linspace(low, high, points)]


def _best_in_archive(evaluator: Evaluator, goal: Goal, *, count: int) -> list[np.ndarray]:
    """The ``count`` best archived vectors for ``goal``: feasible by objective, then the least
    violating."""
    xs, metrics = evaluator.archive()
    if not len(xs):
        return []
    excess = np.clip(goal.violations(metrics), 0.0, None)
    scale = np.maximum(np.abs(excess).max(axis=1, keepdims=True), 1e-12)
    badness = (excess / scale).sum(axis=0) if len(excess) else np.zeros(len(xs))
    order = np.lexsort((goal.objective(metrics), badness))
    return [xs[i] for i in order[:count]]
