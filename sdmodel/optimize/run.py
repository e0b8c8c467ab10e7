"""Optimise the phased introduction of measures and the capacity funding, robust over inflow.

The front door is :func:`optimize`: it reads a spec (:mod:`sdmodel.optimize.spec`), builds the
decision space and the ensemble of futures (:mod:`sdmodel.optimize.problem`), evaluates plans
over the futures in the batch simulator (:mod:`sdmodel.optimize.ensemble`), checks that the
constraints can be met at all, runs differential evolution and polishes its result
(:mod:`sdmodel.optimize.search`), runs the budget sweep (:mod:`sdmodel.optimize.pareto`), and
summarises the best plan against the unoptimised one (:mod:`sdmodel.optimize.tables`). The
result has scipy's fields (``x, fun, success, message, nfev``); :mod:`sdmodel.optimize.files`
writes it to a folder.

>>> result = optimize("optimaliseer-alle-maatregelen", max_evals=2000, seed=1)  # doctest: +SKIP
>>> dict(zip(result.space.labels, result.x))                               # doctest: +SKIP
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.optimize.ensemble import Evaluator, Limits
from sdmodel.optimize.outcomes import EXCEEDANCE, OUTCOMES
from sdmodel.optimize.search import (
    Constraint,
    Goal,
    InfeasibleSpecError,
    SearchRun,
    check_feasible,
    differential_evolution,
    polish,
    with_budget,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.optimize.adaptive import AdaptiveComparison
    from sdmodel.optimize.problem import DecisionSpace, Futures
    from sdmodel.optimize.spec import OptimizeSpec
    from sdmodel.runs import Session
    from sdmodel.scaleout import Pool
    from sdmodel.scenarios.scenario import Scenario

__all__ = ["InfeasibleSpecError", "Optimization", "optimize"]


@dataclass(frozen=True)
class Optimization:
    """The result of :func:`optimize`.

    Attributes
    ----------
    x
        Best decision vector (see ``space.labels``).
    fun
        Its objective over the futures (EUR, or person-months above the COA threshold).
    success
        Whether the best plan meets every constraint.
    message
        How the search ended and which constraints (if any) the best plan misses.
    nfev
        Candidate plans evaluated in all searches (each over every future).
    nsim
        Simulations run (plans x futures, including the checks and the final summaries).
    seconds
        Wall time.
    spec, space, futures, session
        What was optimised, over which futures, with which model; ``spec`` holds the values
        this run used (``[search] max_evals`` and ``[futures] count`` after ``max_evals`` and
        ``futures``).
    plan, unoptimised
        The optimised plan and the spec's scenario as scenarios (named ``optimised`` and
        ``unoptimised``), with the spec's thresholds.
    goal
        The objective and constraints of the main search.
    search
        The main search (convergence record, constraint values).
    pareto
        The budget sweep: ``budget_eur, cost_eur, exceedance_person_months,
        share_futures_meeting_threshold, feasible``.
    seed, search_seed
        Seeds of the futures and of the searches.
    evaluator
        The evaluator, with the archive of every plan evaluated.
    adaptive
        With rules in the spec: the best fixed plan with searched rules next to it, over the
        same futures (:func:`sdmodel.optimize.adaptive.adaptive_comparison`); else ``None``.
    """

    x: np.ndarray
    fun: float
    success: bool
    message: str
    nfev: int
    nsim: int
    seconds: float
    spec: OptimizeSpec
    space: DecisionSpace
    futures: Futures
    session: Session
    plan: Scenario
    unoptimised: Scenario
    goal: Goal
    search: SearchRun
    pareto: pd.DataFrame
    seed: int
    search_seed: int
    evaluator: Evaluator
    adaptive: AdaptiveComparison | None = None

    @property
    def simulations_per_second(self) -> float:
        """Simulations (plan x future) per second of wall time."""
        return self.nsim / self.seconds if self.seconds > 0 else float("nan")


def optimize(
    spec: str | Path | OptimizeSpec,
    *,
    max_evals: int | None = None,
    futures: int | None = None,
    seed: int | None = None,
    model_path: Path | str | None = None,
    calibration: str | None = None,
    session: Session | None = None,
    progress: bool = False,
    pool: Pool | None = None,
) -> Optimization:
    """Find the phased schedule and capacity funding the spec asks for.

    Parameters
    ----------
    spec
        A spec file (path or name in ``models/scenarios/``) or a parsed spec.
    max_evals
        Candidate plans to evaluate in all (replaces ``[search] max_evals``); the budget sweep
        gets ``[pareto] share_of_evals`` of them.
    futures
        Number of futures (replaces ``[futures] count``).
    seed
        Seed of the futures and the searches (replaces both spec seeds); ``None``: the spec's,
        or drawn and recorded in the result.
    model_path
        The .mdl file (ignored with ``session``).
    calibration
        The calibrated constants (see :func:`sdmodel.runs.prepare`; ignored with
        ``session``).
    session
        A prepared model, to reuse across calls.
    progress
        Show progress bars (tqdm, on stderr).
    pool
        Where the plans x futures of each generation run (:class:`sdmodel.scaleout.Pool`;
        default: in this process); the result is the same.

    Raises
    ------
    DataFileError
        For a spec or scenario file with an error (file, line, key and fix in the message).
    InfeasibleSpecError
        If a constraint cannot be met even with every capacity lever at its maximum (or the
        budget even with every lever at its minimum).
    """
    from sdmodel.names import HISTORY_END_VARIABLE
    from sdmodel.optimize.pareto import pareto_front, sweep_budgets
    from sdmodel.optimize.problem import DecisionSpace, build_futures
    from sdmodel.optimize.spec import OptimizeSpec, load_spec
    from sdmodel.runs import prepare

    started = time.perf_counter()
    spec = spec if isinstance(spec, OptimizeSpec) else load_spec(spec)
    session = session or prepare(model_path, calibration=calibration)
    base = _base_scenario(spec, session)
    first = float(session.base(base).get(HISTORY_END_VARIABLE, 0.0))
    space = DecisionSpace(spec, base, first=first, end=session.model.final_time)
    seeds = _seeds(spec, seed)
    count = spec.futures.count if futures is None else int(futures)
    ensemble = build_futures(space.decode(space.extreme(capacity="min", measures="early")), session,
                             count=count, bands=spec.futures.bands, seed=seeds[0])
    limits = _limits(spec, base)
    evaluator = Evaluator(session, space, ensemble, horizon=spec.horizon, limits=limits,
                          chunk_runs=spec.search.chunk_runs, pool=pool)
    goal = main_goal(spec, limits)
    check_feasible(evaluator, goal, source=str(spec.source or spec.name))

    budget = spec.search.max_evals if max_evals is None else int(max_evals)
    points = len(spec.pareto.budgets_eur) or spec.pareto.points
    sweep = int(budget * spec.pareto.share_of_evals) if points else 0
    options = {"tol": spec.search.tol, "mutation": spec.search.mutation,
               "recombination": spec.search.recombination}
    starts = [space.encode(base)] + [space.extreme(capacity=c, measures=m)
                                     for c in ("max", "min") for m in ("late", "early")]
    run = differential_evolution(evaluator, goal, evals=budget - sweep,
                                 popsize=spec.search.popsize, seed=seeds[1], starts=starts,
                                 progress=progress, label="search", **options)
    run = polish(evaluator, goal, run)
    budgets = list(spec.pareto.budgets_eur) or sweep_budgets(evaluator, goal, points=points)
    front = pareto_front(evaluator, goal, budgets=budgets,
                         evals=max(sweep // max(len(budgets), 1), 10),
                         popsize=spec.search.popsize, seed=seeds[1], progress=progress,
                         **options)
    from sdmodel.scenarios.tables import Thresholds

    thresholds = Thresholds(coa_occupancy=limits.coa_occupancy,
                            coa_occupancy_share=limits.coa_occupancy_share or 1.0,
                            ter_apel=limits.ter_apel or base.thresholds.ter_apel)
    plan = replace(space.decode(run.x, name="optimised"), thresholds=thresholds)
    used = replace(spec, search=replace(spec.search, max_evals=budget),  # what this run used,
                   futures=replace(spec.futures, count=count))  # after --max-evals/--futures
    unoptimised = replace(base, name="unoptimised", thresholds=thresholds)
    adaptive = None
    if spec.adaptive is not None:
        from sdmodel.optimize.adaptive import adaptive_comparison

        adaptive_seed = seeds[1] if spec.adaptive.seed is None else spec.adaptive.seed
        adaptive = adaptive_comparison(evaluator, goal, plan, spec.adaptive, seed=adaptive_seed)
    return Optimization(
        x=run.x, fun=run.fun, success=run.success, message=run.message,
        nfev=evaluator.evaluations, nsim=evaluator.simulations,
        seconds=time.perf_counter() - started, spec=used, space=space, futures=ensemble,
        session=session, plan=plan, unoptimised=unoptimised, goal=goal, search=run, pareto=front,
        seed=seeds[0], search_seed=seeds[1], evaluator=evaluator, adaptive=adaptive)


def main_goal(spec: OptimizeSpec, limits: Limits) -> Goal:
    """The objective and constraints of the spec (the COA limit is the objective's threshold,
    not a constraint, when minimising exceedance)."""
    c = spec.constraints
    constraints = []
    for outcome in OUTCOMES.values():
        key = next((k for k in outcome.keys if getattr(c, k) is not None), None)
        if outcome.statistic != "excess" or key is None:
            continue
        if outcome.name == EXCEEDANCE and spec.objective.minimise != "cost":
            continue  # the objective's threshold
        constraints.append(Constraint(outcome.name, limits.describe(outcome.name), key,
                                      c.statistic, c.share))
    goal = Goal(spec.objective.minimise, spec.objective.statistic, spec.objective.share,
                tuple(constraints))
    return with_budget(goal, c.budget_eur)


def _limits(spec: OptimizeSpec, base: Scenario) -> Limits:
    c = spec.constraints
    if c.coa_occupancy is None and c.coa_occupancy_share is None:  # the scenario's threshold
        persons, share = base.thresholds.coa_occupancy, base.thresholds.coa_occupancy_share
    else:
        persons, share = c.coa_occupancy, c.coa_occupancy_share
    return Limits(persons, None if persons is not None else share, c.ter_apel, c.ind_backlog)


def _base_scenario(spec: OptimizeSpec, session: Session) -> Scenario:
    """The spec's scenario (a name, or a path relative to the spec's folder), or an empty plan."""
    from sdmodel.scenarios.scenario import Scenario, load_scenario

    if spec.scenario is None:
        return Scenario(name=spec.name, description=spec.description)
    target: str | Path = spec.scenario
    if spec.source is not None and ("/" in spec.scenario or spec.scenario.endswith(".toml")):
        beside = spec.source.parent / spec.scenario
        target = beside if beside.is_file() else spec.scenario
    return load_scenario(target, model=session.model)


def _seeds(spec: OptimizeSpec, seed: int | None) -> tuple[int, int]:
    """Seeds of the futures and of the searches: ``seed`` for both, else the spec's, else one
    drawn."""
    if seed is not None:
        return int(seed), int(seed)
    drawn = int(np.random.SeedSequence().generate_state(1)[0])
    futures = spec.futures.seed if spec.futures.seed is not None else drawn
    search = spec.search.seed if spec.search.seed is not None else futures
    return int(futures), int(search)
