"""Scenario -> time-varying model inputs: measures, capacity funding and a custom inflow.

A scenario gives constants (its ``[set]`` table and the inflow band), scheduled measures and
capacity funding, and optionally a custom inflow series. Scheduled changes become inputs that
vary over model time (:func:`schedule_inputs`, :func:`scenario_series`): arrays over a time grid,
one column per run when ``n`` is given. :mod:`sdmodel.runs` hands them to the batch simulator, or
to PySD as Series over model time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.names import INFLOW_SERIES_VARIABLE
from sdmodel.scenarios.measures import CapacitySetting, Effect, MeasureSetting

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.scenarios.scenario import Scenario


Value = float | np.ndarray


def schedule_inputs(
    measures: Sequence[MeasureSetting],
    capacity: Sequence[CapacitySetting] = (),
    *,
    base: Mapping[str, Value],
    times: np.ndarray,
    limits: Mapping[str, tuple[float, float]] | None = None,
    effect_values: Mapping[tuple[str, str], np.ndarray] | None = None,
    n: int | None = None,
) -> dict[str, np.ndarray]:
    """Turn scheduled measures and capacity funding into time-varying model inputs.

    Parameters
    ----------
    measures
        The scenario's measures; disabled ones and zero-intensity schedules change nothing. A
        law element that several of them carry (``Effect.element``) acts once, at the highest
        of their intensities and at the size the first of them gives.
    capacity
        The scenario's capacity funding.
    base
        Value of every input without the measures (model default, calibrated or set): a number,
        or one value per run (shape ``(n,)``).
    times
        Model times (months) to evaluate on, shape ``(T,)``.
    limits
        ``[min, max]`` of each input; the combined value is clipped to it.
    effect_values
        ``(measure name, effect key) -> values per run (n,)``: sampled effect sizes that replace
        the settings' values.
    n
        Number of runs: when given, every result has shape ``(T, n)``.

    Returns
    -------
    dict
        Input name -> values of shape ``(T,)``, or ``(T, n)`` when ``n`` is given. Inputs whose
        value equals their base at every time are left out, so a scenario whose measures are all
        off or at zero intensity returns ``{}``.

    Raises
    ------
    KeyError
        If ``base`` lacks an input that an active measure changes.
    """
    times = np.asarray(times, dtype=float)
    sampled = effect_values or {}
    targets: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    factors: dict[str, list[np.ndarray]] = {}
    amounts: dict[str, list[np.ndarray]] = {}
    shared: dict[str, tuple[np.ndarray, Effect, np.ndarray]] = {}

    def apply(effect: Effect, ramp: np.ndarray, size: np.ndarray) -> None:
        for variable in effect.variables:
            if effect.mode == "target":
                targets.setdefault(variable, []).append((ramp, size))
            elif effect.mode == "scale":
                factors.setdefault(variable, []).append(1.0 + ramp * (size - 1.0))
            else:
                amounts.setdefault(variable, []).append(ramp * size)

    for setting in measures:
        if not setting.enabled or setting.schedule.is_zero:
            continue
        ramp = setting.schedule.intensity_at(times)[:, None]
        for effect in setting.active_effects():
            size = sampled.get((setting.measure.name, effect.key), setting.value(effect.key))
            size = np.atleast_1d(np.asarray(size, dtype=float))[None, :]
            if effect.element is None:
                apply(effect, ramp, size)
            elif effect.element in shared:  # the same law element through another bill
                first_ramp, first, first_size = shared[effect.element]
                shared[effect.element] = (np.maximum(first_ramp, ramp), first, first_size)
            else:
                shared[effect.element] = (ramp, effect, size)
    for ramp, effect, size in shared.values():
        apply(effect, ramp, size)
    for setting in capacity:
        if setting.schedule.is_zero or setting.amount == 0:
            continue
        ramp = setting.schedule.intensity_at(times)[:, None]
        amounts.setdefault(setting.lever.variable, []).append(ramp * float(setting.amount))

    from sdmodel.engine.batch import series_order

    order = series_order()  # the memory layout the batch simulator reads best
    out: dict[str, np.ndarray] = {}
    for variable in sorted(set(targets) | set(factors) | set(amounts)):
        start = np.atleast_1d(np.asarray(base[variable], dtype=float))[None, :]
        value = start
        if variable in targets:
            changes = [ramp * (size - start) for ramp, size in targets[variable]]
            shape = np.broadcast_shapes(*(c.shape for c in changes))
            stacked = np.stack([np.broadcast_to(c, shape) for c in changes])
            pick = np.abs(stacked).argmax(axis=0)
            value = value + np.take_along_axis(stacked, pick[None], axis=0)[0]
        for factor in factors.get(variable, []):
            value = value * factor
        for amount in amounts.get(variable, []):
            value = value + amount
        if limits and variable in limits:
            low, high = limits[variable]
            value = np.clip(value, low, high)
        columns = n if n is not None else value.shape[1]
        value = np.broadcast_to(value, (len(times), columns))
        if np.array_equal(value, np.broadcast_to(start, value.shape)):
            continue
        out[variable] = (np.array(value, order=order) if n is not None or columns > 1
                         else np.array(value[:, 0]))
    return out


def _structure(plan: Scenario) -> tuple:
    """What must be the same in plans that :func:`plans_series` evaluates together."""
    return (tuple((m.measure.name, tuple((e.key, e.mode, tuple(e.variables))
                                         for e in m.measure.effects)) for m in plan.measures),
            tuple(c.lever.variable for c in plan.capacity), bool(plan.inflow_series))


def _where(plans: np.ndarray, new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """``new`` for the plans marked in ``plans`` (axis 1), ``old`` for the others."""
    return new if plans.all() else np.where(plans[None, :, None], new, old)


Change = tuple[str, np.ndarray, np.ndarray, np.ndarray]
"""One measure effect or lever acting on an input in many plans: ``(mode, ramp (T, P, 1), size
(P, 1 or n), active (P,))``; mode ``"target"``, ``"scale"`` or an amount added."""


def plan_changes(plans: Sequence[Scenario], *, times: np.ndarray,
                 effect_values: Mapping[tuple[str, str], np.ndarray] | None = None
                 ) -> dict[str, list[Change]]:
    """What acts on each input in ``plans`` (see :func:`plans_series`), in the order in which
    :func:`schedule_inputs` applies it: input name -> changes.

    Raises
    ------
    ValueError
        If the plans differ in more than schedules, amounts and enabled flags.
    """
    if len({_structure(p) for p in plans}) > 1:
        raise ValueError("plans evaluated together need the same measures and levers")
    times = np.asarray(times, dtype=float)
    sampled = effect_values or {}
    # arrays keep a run axis of 1 where nothing varies by run, as in schedule_inputs
    changes: dict[str, list[Change]] = {}
    shared: dict[str, list[tuple[Effect, np.ndarray, np.ndarray, np.ndarray]]] = {}
    for j, setting in enumerate(plans[0].measures if plans else ()):
        settings = [p.measures[j] for p in plans]
        active = np.array([m.enabled and not m.schedule.is_zero for m in settings])
        ramp = np.stack([m.schedule.intensity_at(times) for m in settings], axis=1)[..., None]
        for effect in setting.measure.effects:
            key = (setting.measure.name, effect.key)
            size = np.stack([np.atleast_1d(np.asarray(sampled.get(key, m.value(effect.key)),
                                                      dtype=float)) for m in settings])
            on = active & np.array([effect.key not in m.without for m in settings])
            if effect.element is not None:  # acts once, after the others: see schedule_inputs
                shared.setdefault(effect.element, []).append((effect, ramp, size, on))
                continue
            for variable in effect.variables:
                changes.setdefault(variable, []).append((effect.mode, ramp, size, on))
    for carriers in shared.values():
        effect, ramp, size, on = _shared_element(carriers)
        for variable in effect.variables:
            changes.setdefault(variable, []).append((effect.mode, ramp, size, on))
    for j, lever in enumerate(plans[0].capacity if plans else ()):
        settings = [p.capacity[j] for p in plans]
        active = np.array([not c.schedule.is_zero and c.amount != 0 for c in settings])
        ramp = np.stack([c.schedule.intensity_at(times) for c in settings], axis=1)[..., None]
        size = np.array([[float(c.amount)] for c in settings])
        changes.setdefault(lever.lever.variable, []).append(("add", ramp, size, active))
    return changes


def _shared_element(carriers: Sequence[tuple[Effect, np.ndarray, np.ndarray, np.ndarray]]
                    ) -> tuple[Effect, np.ndarray, np.ndarray, np.ndarray]:
    """One law element carried by several measures, plan by plan as :func:`schedule_inputs`
    combines it: the highest ramp of the measures active in the plan, the size of the first."""
    effect = carriers[0][0]
    if any((e.mode, tuple(e.variables)) != (effect.mode, tuple(effect.variables))
           for e, *_ in carriers):
        raise ValueError(f"law element {effect.element!r} acts differently in its measures")
    ramp = np.zeros_like(carriers[0][1])  # ramps are >= 0: the maximum of the active ones
    for _, r, _, on in carriers:
        ramp = np.maximum(ramp, np.where(on[None, :, None], r, 0.0))
    width = max(size.shape[1] for _, _, size, _ in carriers)
    size = np.zeros((len(carriers[0][3]), width))
    for _, _, s, on in reversed(carriers):  # the first active carrier's size wins
        size = np.where(on[:, None], np.broadcast_to(s, size.shape), size)
    active = np.any([on for *_, on in carriers], axis=0)
    return effect, ramp, size, active


def plans_series(
    plans: Sequence[Scenario],
    *,
    base: Mapping[str, Value],
    times: np.ndarray,
    limits: Mapping[str, tuple[float, float]] | None = None,
    effect_values: Mapping[tuple[str, str], np.ndarray] | None = None,
    n: int,
) -> dict[str, np.ndarray]:
    """The time-varying inputs of many plans at once, each over ``n`` runs: the optimizer's
    candidates, which differ only in their schedules and amounts.

    Every plan's values are those of :func:`scenario_series` for that plan, to the bit (the
    same operations on the same numbers, in the same order), where the plan changes the input.

    Parameters
    ----------
    plans
        Typically plans with the same measures (names, effects, order), the same capacity
        levers and all or none with a custom inflow, which differ in their schedules, amounts
        and enabled flags: they are evaluated together; other plans one by one.
    base, times, limits, effect_values
        As for :func:`schedule_inputs`.
    n
        Runs per plan.

    Returns
    -------
    dict
        Input name -> ``(values (T, plans, n), changed (plans,))``: ``changed`` marks the plans
        whose measures or levers act on the input (:func:`scenario_series` leaves the others
        out; their values here are the base).

    """
    if len({_structure(p) for p in plans}) > 1:  # one by one, then side by side
        alone = [plans_series([p], base=base, times=times, limits=limits,
                              effect_values=effect_values, n=n) for p in plans]
        return _side_by_side(alone, base=base, times=times, n=n)
    changes = plan_changes(plans, times=times, effect_values=effect_values)
    times = np.asarray(times, dtype=float)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for variable in sorted(changes):
        entries = changes[variable]
        start = np.atleast_1d(np.asarray(base[variable], dtype=float))[None, None, :]
        value = start
        targets = [(r * (size[None] - start), act) for mode, r, size, act in entries
                   if mode == "target"]
        if len(targets) == 1:  # the only change is the largest
            change, act = targets[0]
            value = _where(act, value + change, value)
        elif targets:
            shape = np.broadcast_shapes(*(c.shape for c, _ in targets))
            stacked = np.stack([np.broadcast_to(c, shape) for c, _ in targets])
            active = np.stack([a for _, a in targets])[:, None, :, None]
            size_of = np.abs(stacked) if active.all() else np.where(active, np.abs(stacked), -1.0)
            chosen = np.take_along_axis(stacked, size_of.argmax(axis=0)[None], axis=0)[0]
            value = _where(active.any(axis=0)[0, :, 0], value + chosen, value)
        for mode, r, size, act in entries:
            if mode == "scale":
                value = _where(act, value * (1.0 + r * (size[None] - 1.0)), value)
        for mode, r, size, act in entries:
            if mode not in ("target", "scale"):
                value = _where(act, value + r * size[None], value)
        touched = np.any([act for *_, act in entries], axis=0)
        if limits and variable in limits:
            low, high = limits[variable]
            value = _where(touched, np.clip(value, low, high), value)
        value = np.broadcast_to(_where(touched, value, start), (len(times), len(plans), n))
        out[variable] = (value, touched)
    out.update(plans_inflow(plans, times=times, n=n))
    return out


def _side_by_side(alone: Sequence[dict], *, base: Mapping[str, Value], times: np.ndarray,
                  n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Join :func:`plans_series` results of single plans (a plan without an input: its base)."""
    out = {}
    for name in sorted(set().union(*alone)):
        start = np.atleast_1d(np.asarray(base[name], dtype=float))
        parts = [one.get(name, (np.broadcast_to(start, (len(times), 1, n)), np.zeros(1, bool)))
                 for one in alone]
        out[name] = (np.concatenate([values for values, _ in parts], axis=1),
                     np.concatenate([changed for _, changed in parts]))
    return out


def plans_inflow(plans: Sequence[Scenario], *, times: np.ndarray, n: int
                 ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The plans' custom inflow, as :func:`plans_series` returns it (``{}`` without one)."""
    if not plans or not plans[0].inflow_series:
        return {}
    values = np.stack([np.broadcast_to(inflow_series(p.inflow_series, times)[:, None],
                                       (len(times), n)) for p in plans], axis=1)
    return {INFLOW_SERIES_VARIABLE: (values, np.ones(len(plans), dtype=bool))}


def inflow_series(points: Sequence[tuple[float, float]], times: np.ndarray) -> np.ndarray:
    """Return a custom inflow (``(month, value)`` points) on ``times``: linear, held outside."""
    months, values = zip(*points, strict=True)
    return np.interp(np.asarray(times, dtype=float), months, values)


def scenario_series(
    scenario: Scenario,
    *,
    base: Mapping[str, Value],
    times: np.ndarray,
    limits: Mapping[str, tuple[float, float]] | None = None,
    effect_values: Mapping[tuple[str, str], np.ndarray] | None = None,
    n: int | None = None,
) -> dict[str, np.ndarray]:
    """Return all time-varying inputs of a scenario: its measures, capacity and custom inflow.

    Parameters are those of :func:`schedule_inputs`; the custom inflow series (if the scenario has
    one) replaces :data:`~sdmodel.names.INFLOW_SERIES_VARIABLE`. A scenario's rules add the
    inputs of the .mdl's rule slots (:func:`sdmodel.scenarios.rule_inputs.rule_inputs`):
    constants as numbers, the slopes of the held measures' inputs as series.
    """
    from sdmodel.engine.batch import series_order
    from sdmodel.scenarios.rule_inputs import rule_inputs

    out: dict = schedule_inputs(scenario.measures, scenario.capacity, base=base, times=times,
                                limits=limits, effect_values=effect_values, n=n)
    out.update(rule_inputs(scenario, base=base, times=times, n=n, inputs_of=lambda measures:
                           schedule_inputs(measures, scenario.capacity, base=base, times=times,
                                           limits=limits, effect_values=effect_values, n=n)))
    if scenario.inflow_series:
        series = inflow_series(scenario.inflow_series, times)
        out[INFLOW_SERIES_VARIABLE] = (series if n is None else np.array(
            np.broadcast_to(series[:, None], (len(series), n)), order=series_order()))
    return out
