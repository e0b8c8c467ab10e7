"""Evaluate plans over an ensemble of futures with the batch simulator.

Every candidate plan is run for every future; many plans x futures go into one batch call
(:func:`sdmodel.engine.batch_kpis.run_monthly`, monthly KPIs with flows accumulated by the
simulator, only the KPIs the objective and constraints need). For each plan and future the evaluator
keeps what the search needs over the horizon (:class:`Metrics`): the total chain cost (the cost KPIs
of :data:`sdmodel.names.COST_KPIS`) and the person-months above each threshold. Results are cached
by decision vector, and every evaluated vector stays in the archive (for the Pareto sweep).

On a Dask cluster (:class:`sdmodel.scaleout.Pool`) the plans of a call are split into shards of
about :data:`sdmodel.scaleout.SHARD_RUNS` runs (plans x futures); the evaluator, with the futures'
inputs, is sent to each worker once. The metrics are the same bytes either way.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.errors import AsielketenError
from sdmodel.names import HISTORY_END_VARIABLE, INFLOW_SERIES_VARIABLE
from sdmodel.optimize.outcomes import EXCEEDANCE, OUTCOMES, STATISTICS, Statistic
from sdmodel.scaleout import SHARD_RUNS, Pool, Shared

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.optimize.problem import DecisionSpace, Futures
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario



@dataclass(frozen=True)
class Limits:
    """The limits above which the excess outcomes count (see :data:`OUTCOMES`).

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

    def limit(self, outcome: str, monthly: Mapping[str, np.ndarray]
              ) -> np.ndarray | float | None:
        """The limit of an excess outcome per month and run (``None``: not limited); the COA
        limit in persons, or its share x regular capacity."""
        if outcome == "coa_occupancy" and self.coa_occupancy is None:
            return self.coa_occupancy_share * monthly["coa_regular_capacity"]
        return getattr(self, outcome)

    def kpis(self, outcome: str) -> list[str]:
        """The monthly KPIs the limit of ``outcome`` needs besides the outcome's own."""
        if outcome == "coa_occupancy" and self.coa_occupancy is None:
            return ["coa_regular_capacity"]
        return []

    def describe(self, outcome: str) -> str:
        """``"IND backlog <= 45,000"``; ``"COA occupancy <= 1 x regular capacity"``."""
        title = OUTCOMES[outcome].title
        if outcome == "coa_occupancy" and self.coa_occupancy is None:
            return f"{title} <= {self.coa_occupancy_share:g} x regular capacity"
        return f"{title} <= {getattr(self, outcome):,.0f}"


@dataclass(frozen=True)
class Metrics:
    """The outcomes of :data:`OUTCOMES` per plan (rows) and future (columns), over the horizon.

    ``metrics["cost"]`` is the total chain cost (EUR), ``metrics["coa_occupancy"]`` the
    person-months of COA occupancy above its threshold, ``metrics["ter_apel"]`` and
    ``metrics["ind_backlog"]`` the person- and case-months above their limits (zeros without
    one).
    """

    values: Mapping[str, np.ndarray]

    def __getitem__(self, outcome: str) -> np.ndarray:
        return self.values[outcome]

    @staticmethod
    def stack(rows: Sequence[Metrics]) -> Metrics:
        """Concatenate the plans of several results."""
        return Metrics({name: np.concatenate([r[name] for r in rows], axis=0)
                        for name in OUTCOMES})

    @staticmethod
    def empty(futures: int) -> Metrics:
        """No plans."""
        return Metrics({name: np.empty((0, futures)) for name in OUTCOMES})

    def rows(self, index: np.ndarray | Sequence[int]) -> Metrics:
        """The plans at ``index``."""
        index = np.asarray(index, dtype=int)
        return Metrics({name: values[index] for name, values in self.values.items()})

    def share_meeting(self) -> np.ndarray:
        """Share of futures without a month above the COA threshold, per plan."""
        return (self[EXCEEDANCE] <= 0).mean(axis=1)


def statistic(values: np.ndarray, how: Statistic, *, share: float) -> np.ndarray:
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
    pool
        Where the shards of a call run (default: in this process).
    shard_runs
        Runs per shard on a Dask cluster (at least one plan).

    Raises
    ------
    AsielketenError
        If the horizon lies outside the model's run.
    """

    def __init__(self, session: Session, space: DecisionSpace, futures: Futures, *,
                 horizon: tuple[float, float], limits: Limits, chunk_runs: int = 2500,
                 pool: Pool | None = None, shard_runs: int = SHARD_RUNS) -> None:
        from sdmodel.engine.batch_kpis import month_starts

        self.session, self.space, self.futures, self.limits = session, space, futures, limits
        months = len(month_starts(session.batch)) - 1
        self.rows = slice(int(horizon[0]), int(horizon[1]) + 1)
        if not 0 <= horizon[0] <= horizon[1] < months:
            raise AsielketenError(f"the horizon (months {horizon[0]:g}-{horizon[1]:g}) lies "
                                  f"outside the model's run (months 0-{months - 1}); shorten "
                                  "the spec's horizon")
        self.plans_per_call = max(1, int(chunk_runs) // futures.n)
        self.plans_per_shard = max(1, int(shard_runs) // futures.n)
        self.pool = pool or Pool()
        self._shared: Shared | None = None
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
        """The monthly KPIs the metrics need: every outcome's that is evaluated."""
        names: list[str] = []
        for outcome in OUTCOMES.values():
            if outcome.statistic == "total" or outcome.name == EXCEEDANCE \
                    or getattr(self.limits, outcome.name) is not None:
                names += [*outcome.kpis, *self.limits.kpis(outcome.name)]
        return list(dict.fromkeys(names))

    def evaluate(self, xs: np.ndarray) -> Metrics:
        """Metrics of decision vectors ``xs`` (shape ``(S, N)``), simulating only new ones."""
        xs = np.rint(np.atleast_2d(np.asarray(xs, dtype=float)))
        if not len(xs):
            return Metrics.empty(self.futures.n)
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
        self.evaluations += len(plans)
        self.simulations += len(plans) * self.futures.n
        if not self.pool.distributed or len(plans) <= self.plans_per_shard:
            return self._metrics_here(plans)
        if self._shared is None:
            self._shared = self.pool.share(self)
        pieces = [tuple(plans[lo:lo + self.plans_per_shard])
                  for lo in range(0, len(plans), self.plans_per_shard)]
        return Metrics.stack(self.pool.map(_shard_metrics, self._shared, pieces))

    def _metrics_here(self, plans: Sequence[Scenario]) -> Metrics:
        parts = []
        for lo in range(0, len(plans), self.plans_per_call):
            chunk = plans[lo:lo + self.plans_per_call]
            parts.append(self._metrics(self._monthly(chunk, self.kpis), len(chunk)))
        return Metrics.stack(parts) if parts else Metrics.empty(self.futures.n)

    def __getstate__(self) -> dict:
        """What a Dask worker needs: no archive, input buffers, pool or cluster handle."""
        state = dict(self.__dict__)
        state.update(_buffer=None, _index={}, _xs=[], _rows=[], pool=Pool(), _shared=None)
        return state

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
        self.evaluations += len(plans)
        self.simulations += len(plans) * self.futures.n
        return self._monthly(plans, kpis)

    def _monthly(self, plans: Sequence[Scenario], kpis: Sequence[str]) -> dict[str, np.ndarray]:
        from sdmodel.engine.batch_kpis import run_monthly

        f, runs = self.futures.n, len(plans) * self.futures.n
        if len(plans) > self.plans_per_call:
            raise AsielketenError(f"at most {self.plans_per_call} plans per batch call")
        buffers = self._buffers()
        k0 = self._first_step
        written = self._write_plan_inputs(plans, buffers)
        for name in self._plan_inputs:
            target = buffers[name][k0:, :runs].view()
            target.shape = (len(target), len(plans), f)  # a view: run p * F + f, no copy
            changed = written.get(name, np.zeros(len(plans), dtype=bool))
            if not changed.all():  # as those plans leave it: the futures' base
                target[:, ~changed] = self._base_series(name)[k0:, None, :]
        params: dict[str, object] = {name: np.tile(values, len(plans))
                                     for name, values in self.futures.constants.items()}
        params.update({name: buffer[:, :runs] for name, buffer in buffers.items()})
        return run_monthly(self.session.batch, params, n=runs, kpis=list(kpis))

    def _write_plan_inputs(self, plans: Sequence[Scenario], buffers: dict[str, np.ndarray]
                           ) -> dict[str, np.ndarray]:
        """Write each plan's inputs from the scenario period on into ``buffers``, all plans in
        one pass (:func:`sdmodel.scenarios.inputs.plans_series`: the values of
        :func:`sdmodel.scenarios.inputs.scenario_series`, to the bit).

        Returns
        -------
        dict
            Input -> ``(plans,)``: the plans whose values were written (the others leave the
            input at its base, which the caller writes).
        """
        from sdmodel.scenarios.inputs import plans_series

        f, k0 = self.futures.n, self._first_step
        series = plans_series(plans, base=self.futures.base, times=self._times[k0:],
                              limits=self.session.limits, effect_values=self.futures.effects,
                              n=f)
        unknown = set(series) - set(buffers)
        if unknown:
            raise AsielketenError(f"internal error: plan inputs {sorted(unknown)} have no "
                                  "buffer")
        written = {}
        for name, (values, changed) in series.items():
            if name in self.futures.series:
                # scenario_series leaves out an input equal to its base, which varies here
                start = np.atleast_1d(np.asarray(self.futures.base[name], dtype=float))
                changed = changed & ~np.all(values == start, axis=(0, 2))
            target = buffers[name][k0:, :len(plans) * f].view()
            target.shape = (len(target), len(plans), f)  # a view: run p * F + f, no copy
            if changed.all():
                target[...] = values
            elif changed.any():
                target[:, changed] = values[:, changed]
            written[name] = changed
        return written

    def _buffers(self) -> dict[str, np.ndarray]:
        """``(T, plans_per_call * F)`` input arrays, prefilled with every future's base values.

        They are stored in the order the batch simulator reads best
        (:func:`sdmodel.engine.batch.series_order`: run by run for numba).
        """
        from sdmodel.engine.batch import series_order

        if self._buffer is None:
            names = sorted(set(self.futures.series) | set(self._plan_inputs))
            self._buffer = {name: np.array(np.tile(self._base_series(name),
                                                   (1, self.plans_per_call)),
                                           order=series_order())
                            for name in names}
        return self._buffer

    @property
    def first_step(self) -> int:
        """Index on the integration grid of the first step of the scenario period."""
        return self._first_step

    def metrics_of(self, monthly: dict[str, np.ndarray], plans: int) -> Metrics:
        """Metrics of monthly KPIs ``(months, plans x futures)``, plan by plan (for runs made
        outside the evaluator, e.g. plans with rules: :mod:`sdmodel.optimize.adaptive`)."""
        return self._metrics(monthly, plans)

    def coa_limit(self, monthly: dict[str, np.ndarray]) -> np.ndarray | float:
        """The COA threshold per month and run (persons, or share x regular capacity)."""
        return self.limits.limit(EXCEEDANCE, monthly)

    def _metrics(self, monthly: dict[str, np.ndarray], plans: int) -> Metrics:
        rows, shape = self.rows, (plans, self.futures.n)

        def above(values: np.ndarray, limit: np.ndarray | float | None) -> np.ndarray:
            if limit is None:
                return np.zeros(shape)
            excess = np.clip(values - limit, 0.0, None)[rows]
            return excess.sum(axis=0).reshape(shape)

        values = {}
        for outcome in OUTCOMES.values():
            if outcome.statistic == "total":
                values[outcome.name] = sum(monthly[k][rows].sum(axis=0)
                                           for k in outcome.kpis).reshape(shape)
                continue
            limit = self.limits.limit(outcome.name, monthly)
            series = sum(monthly.get(k, 0.0) for k in outcome.kpis) if limit is not None else 0.0
            values[outcome.name] = above(series, limit)
        return Metrics(values)

    def _base_series(self, name: str) -> np.ndarray:
        if name in self.futures.series:
            return self.futures.series[name]
        value = np.asarray(self.futures.base[name], dtype=float)
        return np.broadcast_to(value, (len(self._times), self.futures.n))


def plan_inputs(plan: Scenario) -> tuple[str, ...]:
    """Every model input a plan's measures, capacity funding or custom inflow may change."""
    names = {v for m in plan.active_measures for e in m.active_effects() for v in e.variables}
    names |= {c.lever.variable for c in plan.capacity}
    if plan.inflow_series:
        names.add(INFLOW_SERIES_VARIABLE)
    return tuple(sorted(names))


def _shard_metrics(evaluator: Evaluator, plans: tuple[Scenario, ...]) -> Metrics:
    """Metrics of one shard of plans, on a worker's copy of the evaluator (with input buffers
    of its own, so tasks that share a worker's copy never write to the same buffers)."""
    local = copy.copy(evaluator)
    local._buffer = None
    return local._metrics_here(plans)
