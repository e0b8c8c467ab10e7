"""Evaluate plans over an ensemble of futures with the batch simulator.

Every candidate plan is run for every future; many plans x futures go into one batch call
(:func:`sdmodel.engine.batch_kpis.run_monthly`, monthly KPIs with flows accumulated by the
simulator, only the KPIs the objective and constraints need). For each plan and future the
evaluator keeps what the search needs over the horizon (:class:`Metrics`): the total chain cost
(the cost KPIs of :data:`sdmodel.names.COST_KPIS`) and the person-months above each
threshold. Results are cached by decision vector, and every evaluated vector stays in the archive
(for the Pareto sweep).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.errors import AsielketenError
from sdmodel.names import COST_KPIS, HISTORY_END_VARIABLE, INFLOW_SERIES_VARIABLE

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.optimize.problem import DecisionSpace, Futures
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario

STATISTICS = ("mean", "worst", "share")


@dataclass(frozen=True)
class Limits:
    """Thresholds counted in person-months above, and the budget.

    Attributes
    ----------
    coa_occupancy, coa_occupancy_share
        COA occupancy in persons, or as a share of regular capacity (one of them is set).
    ter_apel, ind_backlog
        Persons in Ter Apel, IND pending asylum applications (``None``: not evaluated).
    """

    coa_occupancy: float | None
    coa_occupancy_share: float | None
    ter_apel: float | None = None
    ind_backlog: float | None = None

    def describe_coa(self) -> str:
        """``"COA occupancy <= 60,000"`` or ``"COA occupancy <= 1.0 x regular capacity"``."""
        if self.coa_occupancy is not None:
            return f"COA occupancy <= {self.coa_occupancy:,.0f}"
        return f"COA occupancy <= {self.coa_occupancy_share:g} x regular capacity"


@dataclass(frozen=True)
class Metrics:
    """Per plan (rows) and future (columns), over the horizon.

    Attributes
    ----------
    cost
        Total chain cost (EUR).
    coa
        Person-months of COA occupancy above its threshold.
    ter_apel
        Person-months above the Ter Apel limit (zeros without one).
    ind_backlog
        Case-months of IND pending asylum applications above the limit (zeros without one).
    """

    cost: np.ndarray
    coa: np.ndarray
    ter_apel: np.ndarray
    ind_backlog: np.ndarray

    @staticmethod
    def stack(rows: Sequence[Metrics]) -> Metrics:
        """Concatenate the plans of several results."""
        return Metrics(*(np.concatenate([getattr(r, f) for r in rows], axis=0)
                         for f in ("cost", "coa", "ter_apel", "ind_backlog")))

    def rows(self, index: np.ndarray | Sequence[int]) -> Metrics:
        """The plans at ``index``."""
        index = np.asarray(index, dtype=int)
        return Metrics(self.cost[index], self.coa[index], self.ter_apel[index],
                       self.ind_backlog[index])

    def share_meeting(self) -> np.ndarray:
        """Share of futures without a month above the COA threshold, per plan."""
        return (self.coa <= 0).mean(axis=1)


def statistic(values: np.ndarray, how: str, *, share: float) -> np.ndarray:
    """Summarise ``values`` (plans x futures) over the futures.

    Parameters
    ----------
    values
        Shape ``(S, F)``.
    how
        ``"mean"``; ``"worst"`` (the largest); ``"share"``: the value that a share ``share`` of
        the futures stays at or below (the ``ceil(share * F)``-th smallest), so a limit on it
        holds in at least that share of the futures.
    share
        For ``"share"``.

    Returns
    -------
    numpy.ndarray
        Shape ``(S,)``.
    """
    values = np.atleast_2d(values)
    if how == "mean":
        return values.mean(axis=1)
    if how == "worst":
        return values.max(axis=1)
    if how == "share":
        k = min(max(math.ceil(share * values.shape[1] - 1e-9), 1), values.shape[1])
        return np.sort(values, axis=1)[:, k - 1]
    raise AsielketenError(f"unknown statistic '{how}'; use one of: {', '.join(STATISTICS)}")


class Evaluator:
    """Runs plans over the futures and keeps the metrics of every decision vector evaluated.

    Parameters
    ----------
    session
        From :func:`sdmodel.runs.prepare`.
    space
        Decodes decision vectors into plans.
    futures
        The ensemble (:func:`sdmodel.optimize.problem.build_futures`).
    horizon
        First and last month (model months, inclusive) the metrics sum over.
    limits
        The thresholds.
    chunk_runs
        Runs (plans x futures) per batch call.

    Raises
    ------
    AsielketenError
        If the horizon lies outside the model's run.
    """

    def __init__(self, session: Session, space: DecisionSpace, futures: Futures, *,
                 horizon: tuple[float, float], limits: Limits, chunk_runs: int = 2500) -> None:
        from sdmodel.engine.batch_kpis import month_starts

        self.session, self.space, self.futures, self.limits = session, space, futures, limits
        months = len(month_starts(session.batch)) - 1
        self.rows = slice(int(horizon[0]), int(horizon[1]) + 1)
        if not 0 <= horizon[0] <= horizon[1] < months:
            raise AsielketenError(f"the horizon (months {horizon[0]:g}-{horizon[1]:g}) lies "
                                  f"outside the model's run (months 0-{months - 1}); shorten "
                                  "the spec's horizon")
        self.plans_per_call = max(1, int(chunk_runs) // futures.n)
        self.evaluations = 0
        self.simulations = 0
        self._times = session.batch.time_grid()
        first = float(np.max(futures.base.get(HISTORY_END_VARIABLE, 0.0)))
        self._first_step = int(np.searchsorted(self._times, first - 1e-9))
        self._plan_inputs = plan_inputs(space.decode(space.extreme(capacity="max",
                                                                   measures="early")))
        self._buffer: dict[str, np.ndarray] | None = None
        self._index: dict[bytes, int] = {}
        self._xs: list[np.ndarray] = []
        self._rows: list[Metrics] = []

    @property
    def kpis(self) -> list[str]:
        """The monthly KPIs the metrics need."""
        names = ["coa_occupancy_total", *COST_KPIS]
        if self.limits.coa_occupancy is None:
            names.append("coa_regular_capacity")
        if self.limits.ter_apel is not None:
            names.append("ter_apel_occupancy")
        if self.limits.ind_backlog is not None:
            names.append("ind_pending_asylum")
        return names

    def evaluate(self, xs: np.ndarray) -> Metrics:
        """Metrics of decision vectors ``xs`` (shape ``(S, N)``), simulating only new ones."""
        xs = np.rint(np.atleast_2d(np.asarray(xs, dtype=float)))
        if not len(xs):
            empty = np.empty((0, self.futures.n))
            return Metrics(empty, empty, empty, empty)
        keys = [x.tobytes() for x in xs]
        new = {}
        for key, x in zip(keys, xs, strict=True):
            if key not in self._index and key not in new:
                new[key] = x
        if new:
            plans = [self.space.decode(x) for x in new.values()]
            metrics = self.evaluate_plans(plans)
            for i, (key, x) in enumerate(new.items()):
                self._index[key] = len(self._xs)
                self._xs.append(x)
                self._rows.append(metrics.rows([i]))
        return Metrics.stack([self._rows[self._index[k]] for k in keys])

    def archive(self) -> tuple[np.ndarray, Metrics]:
        """Every decision vector evaluated so far, with its metrics."""
        if not self._xs:
            return np.empty((0, len(self.space.variables))), self.evaluate(np.empty((0, 0)))
        return np.array(self._xs), Metrics.stack(self._rows)

    def evaluate_plans(self, plans: Sequence[Scenario]) -> Metrics:
        """Metrics of plans (scenarios), each over every future (not cached)."""
        parts = []
        for lo in range(0, len(plans), self.plans_per_call):
            chunk = plans[lo:lo + self.plans_per_call]
            parts.append(self._metrics(self.monthly(chunk, self.kpis), len(chunk)))
        return Metrics.stack(parts)

    def monthly(self, plans: Sequence[Scenario], kpis: Sequence[str]) -> dict[str, np.ndarray]:
        """Monthly KPIs of ``plans`` over every future, in one batch call.

        The time-varying inputs live in buffers that are filled once with the futures' values;
        a call only rewrites each plan's inputs from the start of the scenario period on (no plan
        changes anything before it).

        Returns
        -------
        dict
            KPI -> ``(months, plans * futures)``; run ``p * F + f`` is plan ``p`` in future ``f``.
        """
        from sdmodel.engine.batch_kpis import run_monthly
        from sdmodel.scenarios.inputs import scenario_series

        f, runs = self.futures.n, len(plans) * self.futures.n
        if len(plans) > self.plans_per_call:
            raise AsielketenError(f"at most {self.plans_per_call} plans per batch call")
        buffers = self._buffers()
        k0 = self._first_step
        for p, plan in enumerate(plans):
            series = scenario_series(plan, base=self.futures.base, times=self._times[k0:],
                                     limits=self.session.limits,
                                     effect_values=self.futures.effects, n=f)
            unknown = set(series) - set(buffers)
            if unknown:
                raise AsielketenError(f"internal error: plan inputs {sorted(unknown)} have no "
                                      "buffer")
            for name in self._plan_inputs:
                value = series.get(name)
                buffers[name][k0:, p * f:(p + 1) * f] = (
                    self._base_series(name)[k0:] if value is None else value)
        params: dict[str, object] = {name: np.tile(values, len(plans))
                                     for name, values in self.futures.constants.items()}
        params.update({name: buffer[:, :runs] for name, buffer in buffers.items()})
        self.evaluations += len(plans)
        self.simulations += runs
        return run_monthly(self.session.batch, params, n=runs, kpis=list(kpis))

    def _buffers(self) -> dict[str, np.ndarray]:
        """``(T, plans_per_call * F)`` input arrays, prefilled with every future's base values."""
        if self._buffer is None:
            names = sorted(set(self.futures.series) | set(self._plan_inputs))
            self._buffer = {name: np.tile(self._base_series(name), (1, self.plans_per_call))
                            for name in names}
        return self._buffer

    def coa_limit(self, monthly: dict[str, np.ndarray]) -> np.ndarray | float:
        """The COA threshold per month and run (persons, or share x regular capacity)."""
        if self.limits.coa_occupancy is not None:
            return self.limits.coa_occupancy
        return self.limits.coa_occupancy_share * monthly["coa_regular_capacity"]

    def _metrics(self, monthly: dict[str, np.ndarray], plans: int) -> Metrics:
        rows, shape = self.rows, (plans, self.futures.n)

        def above(values: np.ndarray, limit: np.ndarray | float | None) -> np.ndarray:
            if limit is None:
                return np.zeros(shape)
            excess = np.clip(values - limit, 0.0, None)[rows]
            return excess.sum(axis=0).reshape(shape)

        cost = sum(monthly[k][rows].sum(axis=0) for k in COST_KPIS).reshape(shape)
        coa = above(monthly["coa_occupancy_total"], self.coa_limit(monthly))
        ter_apel = above(monthly.get("ter_apel_occupancy", 0.0), self.limits.ter_apel)
        backlog = above(monthly.get("ind_pending_asylum", 0.0), self.limits.ind_backlog)
        return Metrics(cost, coa, ter_apel, backlog)

    def _base_series(self, name: str) -> np.ndarray:
        if name in self.futures.series:
            return self.futures.series[name]
        value = np.asarray(self.futures.base[name], dtype=float)
        return np.broadcast_to(value, (len(self._times), self.futures.n))


def plan_inputs(plan: Scenario) -> tuple[str, ...]:
    """Every model input a plan's measures, capacity funding or custom inflow may change."""
    names = {v for m in plan.active_measures for e in m.measure.effects for v in e.variables}
    names |= {c.lever.variable for c in plan.capacity}
    if plan.inflow_series:
        names.add(INFLOW_SERIES_VARIABLE)
    return tuple(sorted(names))
