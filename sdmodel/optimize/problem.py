"""The decision space of an optimisation spec and the ensemble of futures it is evaluated over.

:class:`DecisionSpace` turns a spec (:mod:`sdmodel.optimize.spec`) and the unoptimised plan (a
:class:`~sdmodel.scenarios.scenario.Scenario`) into bounded whole-number decision variables and
back: :meth:`DecisionSpace.decode` returns the plan of a decision vector as a scenario with the
chosen schedules and capacity funding, so the scenario machinery
(:func:`sdmodel.scenarios.inputs.scenario_series`) turns it into model inputs. Commitments are kept
by construction: ``in_force_by`` caps the latest start, ``full_strength_by`` caps the latest start
and shortens the ramp where needed.

:func:`build_futures` draws the ensemble: the MPP bands (everything else central) followed by
Latin-hypercube samples of what :func:`sdmodel.analysis.uncertainty.uncertain_parameters` marks
uncertain, and prepares their model inputs once, to be shared by every candidate plan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import month_to_date
from sdmodel.errors import DataFileError
from sdmodel.optimize.spec import LeverChoice, MeasureChoice, OptimizeSpec
from sdmodel.scenarios.measures import LEVERS, MEASURES, CapacitySetting, MeasureSetting
from sdmodel.scenarios.schedule import Schedule

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import Uncertain
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario


@dataclass(frozen=True)
class Variable:
    """One decision variable: ``item``'s ``field`` (``start``, ``ramp`` or ``amount``) between
    ``low`` and ``high`` (whole numbers: model months, months, lever units)."""

    item: str
    kind: str
    field: str
    low: float
    high: float

    @property
    def label(self) -> str:
        """``"<item>.<field>"``, e.g. ``"two_status.start"``."""
        return f"{self.item}.{self.field}"


@dataclass(frozen=True)
class _Item:
    kind: str
    name: str
    start: tuple[float, float]
    ramp: tuple[float, float]
    amount: tuple[float, float] = (0.0, 0.0)
    full_strength_by: float | None = None
    base: MeasureSetting | None = None


class DecisionSpace:
    """Decision variables of a spec, with the fixed rest of the plan.

    Parameters
    ----------
    spec
        The parsed spec.
    base
        The unoptimised plan: measures the spec does not name keep their schedules; capacity
        levers the spec names are replaced, the others kept.
    first, end
        The scenario period in model months: starts lie in ``[first, end)``.

    Raises
    ------
    DataFileError
        If a start lies outside the scenario period, or a commitment cannot be met by the
        unoptimised plan's fixed start.
    """

    def __init__(self, spec: OptimizeSpec, base: Scenario, *, first: float, end: float) -> None:
        self.spec, self.base = spec, base
        self._source = str(spec.source or spec.name)
        settings = {m.measure.name: m for m in base.measures}
        items = [self._measure(c, settings.get(c.name), first, end) for c in spec.measures]
        items += [self._lever(c, first, end) for c in spec.capacity]
        self._items = tuple(items)
        variables = []
        for item in items:
            for field_name, (low, high) in (("start", item.start), ("ramp", item.ramp),
                                            ("amount", item.amount)):
                if high > low:
                    variables.append(Variable(item.name, item.kind, field_name, low, high))
        self.variables: tuple[Variable, ...] = tuple(variables)

    # -- the vector --------------------------------------------------------------------------------
    @property
    def bounds(self) -> list[tuple[float, float]]:
        """``(low, high)`` per variable, for scipy."""
        return [(v.low, v.high) for v in self.variables]

    @property
    def integrality(self) -> np.ndarray:
        """Every variable is a whole number (months, lever units)."""
        return np.ones(len(self.variables), dtype=bool)

    @property
    def labels(self) -> list[str]:
        """Variable labels, in vector order."""
        return [v.label for v in self.variables]

    def extreme(self, *, capacity: str, measures: str) -> np.ndarray:
        """A corner of the space: capacity ``"max"`` (largest amounts, earliest starts, shortest
        ramps) or ``"min"`` (smallest amounts, latest starts); measures ``"late"`` (latest start,
        longest ramp) or ``"early"`` (earliest start, shortest ramp)."""
        out = []
        for v in self.variables:
            if v.kind == "capacity":
                high = (v.field == "amount") == (capacity == "max")
            else:
                high = measures == "late"
            out.append(v.high if high else v.low)
        return np.array(out, dtype=float)

    def encode(self, plan: Scenario) -> np.ndarray:
        """The vector closest to ``plan`` (clipped to the bounds, rounded to whole numbers)."""
        measures = {m.measure.name: m for m in plan.measures}
        capacity = {c.lever.name: c for c in plan.capacity}
        out = []
        for v in self.variables:
            if v.kind == "measure" and v.item in measures:
                schedule = measures[v.item].schedule
                value = schedule.start_month if v.field == "start" else schedule.ramp_months
            elif v.kind == "capacity" and v.item in capacity:
                setting = capacity[v.item]
                value = {"start": setting.schedule.start_month,
                         "ramp": setting.schedule.ramp_months, "amount": setting.amount}[v.field]
            else:
                value = v.low
            out.append(min(max(math.ceil(float(value) - 1e-9), v.low), v.high))
        return np.array(out, dtype=float)

    def decode(self, x: Sequence[float] | np.ndarray, *, name: str | None = None) -> Scenario:
        """Return the plan of vector ``x`` as a scenario (named ``name``, default the base's)."""
        values = dict(zip(self.labels, np.rint(np.asarray(x, dtype=float)), strict=True))
        chosen = {}
        for item in self._items:
            start = values.get(f"{item.name}.start", item.start[0])
            ramp = values.get(f"{item.name}.ramp", item.ramp[0])
            if item.full_strength_by is not None:
                ramp = max(min(ramp, math.floor(item.full_strength_by + 1e-9) - start), 0.0)
            date = month_to_date(start)
            if item.kind == "measure" and f"{item.name}.start" not in values:
                date = item.base.schedule.start  # a fixed date is kept exactly
            if item.kind == "measure":
                base = item.base
                schedule = Schedule(start=date, ramp_months=float(ramp),
                                    intensity=base.schedule.intensity)
                chosen[("measure", item.name)] = replace(base, schedule=schedule, enabled=True)
            else:
                amount = values.get(f"{item.name}.amount", item.amount[0])
                chosen[("capacity", item.name)] = CapacitySetting(
                    LEVERS[item.name], float(amount), Schedule(start=date,
                                                               ramp_months=float(ramp)))
        measures = [chosen.pop(("measure", m.measure.name), m) for m in self.base.measures]
        measures += [s for (kind, _), s in chosen.items() if kind == "measure"]
        capacity = [c for c in self.base.capacity if ("capacity", c.lever.name) not in chosen]
        capacity += [s for (kind, _), s in chosen.items() if kind == "capacity"]
        return replace(self.base, name=name or self.base.name, measures=tuple(measures),
                       capacity=tuple(capacity))

    # -- items -------------------------------------------------------------------------------------
    def _measure(self, choice: MeasureChoice, base: MeasureSetting | None, first: float,
                 end: float) -> _Item:
        measure = MEASURES[choice.name]
        base = base or MeasureSetting(measure, measure.planned)
        schedule = base.schedule
        if choice.intensity is not None:
            schedule = replace(schedule, intensity=choice.intensity)
        base = replace(base, schedule=schedule)
        where = f"{self._source}: [measures.{choice.name}]"
        start = choice.start or (schedule.start_month, schedule.start_month)
        ramp = choice.ramp or (float(schedule.ramp_months),) * 2
        self._check_period(start, first, end, where)
        high = start[1]
        for key, by, shortest in (("in_force_by", choice.in_force_by, 0.0),
                                  ("full_strength_by", choice.full_strength_by, ramp[0])):
            if by is None:
                continue
            latest = math.floor(by + 1e-9) - shortest if start[0] != start[1] else by - shortest
            if start[0] > latest + 1e-9:
                raise DataFileError(
                    f"{where} {key} = {month_to_date(by).isoformat()} cannot be met: the start "
                    f"{month_to_date(start[0]).isoformat()}"
                    f"{' plus the shortest ramp' if shortest else ''} is later; give a start "
                    "range that ends earlier, or move the commitment")
            high = min(high, latest) if start[0] != start[1] else high
        return _Item("measure", choice.name, (start[0], high), ramp,
                     full_strength_by=choice.full_strength_by, base=base)

    def _lever(self, choice: LeverChoice, first: float, end: float) -> _Item:
        start = choice.start or (first, first)
        self._check_period(start, first, end, f"{self._source}: [capacity.{choice.name}]")
        return _Item("capacity", choice.name, start, choice.ramp, amount=choice.amount)

    @staticmethod
    def _check_period(start: tuple[float, float], first: float, end: float, where: str) -> None:
        if start[0] < first - 1e-9 or start[1] >= end:
            raise DataFileError(
                f"{where} start {month_to_date(start[0]).isoformat()} .. "
                f"{month_to_date(start[1]).isoformat()} lies outside the scenario period "
                f"{month_to_date(first).isoformat()} to {month_to_date(end).isoformat()} (the "
                "history before it is data); choose dates in that period")


# -- futures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Futures:
    """The ensemble every plan is evaluated over, with its model inputs.

    Attributes
    ----------
    labels
        ``"MPP low"``, ``"MPP mid"``, ``"MPP high"``, then ``"LHS 1"``, ``"LHS 2"``, ...
    parameters
        What the Latin-hypercube samples vary.
    design
        One row per future (``future`` label, then one column per parameter; the band futures
        leave everything but the band position empty: central values).
    constants
        Per-run constants: name -> values ``(F,)``.
    series
        Assumption constants that take their sampled value from the end of the history:
        name -> ``(T, F)`` on the integration grid.
    base
        Every input's value without the plan's measures, per future where it varies (the base
        that :func:`sdmodel.scenarios.inputs.scenario_series` changes from).
    effects
        ``(measure, effect) -> (F,)``: sampled effect sizes (the plan's own on band futures).
    seed
        Seed of the Latin-hypercube design.
    """

    labels: tuple[str, ...]
    parameters: tuple[Uncertain, ...]
    design: pd.DataFrame
    constants: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    base: dict[str, float | np.ndarray]
    effects: dict[tuple[str, str], np.ndarray]
    seed: int

    @property
    def n(self) -> int:
        """Number of futures."""
        return len(self.labels)


def build_futures(plan: Scenario, session: Session, *, count: int, bands: Sequence[str],
                  seed: int) -> Futures:
    """Draw ``count`` futures: the MPP ``bands`` first, then Latin-hypercube samples.

    Parameters
    ----------
    plan
        A plan with every measure the search may switch on active (their sampled effect sizes
        are part of the futures).
    session
        From :func:`sdmodel.runs.prepare`.
    count
        Number of futures (when not above the number of bands: the first ``count`` bands).
    bands
        MPP bands (``"low"``, ``"mid"``, ``"high"``) evaluated with central assumptions.
    seed
        Seed of the Latin-hypercube design.
    """
    import pandas as pd

    from sdmodel.analysis.uncertainty import (
        bootstrap_draws,
        future_inputs,
        latin_hypercube,
        uncertain_parameters,
    )
    from sdmodel.names import INFLOW_BAND_VARIABLE
    from sdmodel.scenarios.scenario import BANDS

    chosen = list(bands)[:count]
    params = tuple(uncertain_parameters([plan], session))
    samples = count - len(chosen)
    sampled = (latin_hypercube(params, samples, seed=seed) if samples
               else pd.DataFrame(columns=[p.name for p in params], dtype=float))
    central = pd.DataFrame({p.name: [np.nan] * len(chosen) for p in params})
    central[INFLOW_BAND_VARIABLE] = [BANDS[b] for b in chosen]
    design = pd.concat([central, sampled.astype(float)], ignore_index=True)
    labels = tuple([f"MPP {b}" for b in chosen] + [f"LHS {i + 1}" for i in range(samples)])

    inputs = future_inputs(plan, session, params, design, bootstrap_draws(session))
    design.insert(0, "future", labels)
    return Futures(labels, params, design, inputs.constants, inputs.series, inputs.base,
                   inputs.effects, seed)
