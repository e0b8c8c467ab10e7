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
from sdmodel.scenarios.measures import CapacitySetting, MeasureSetting

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
        The scenario's measures; disabled ones and zero-intensity schedules change nothing.
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
    for setting in measures:
        if not setting.enabled or setting.schedule.is_zero:
            continue
        ramp = setting.schedule.intensity_at(times)[:, None]
        for effect in setting.measure.effects:
            size = sampled.get((setting.measure.name, effect.key), setting.value(effect.key))
            size = np.atleast_1d(np.asarray(size, dtype=float))[None, :]
            for variable in effect.variables:
                if effect.mode == "target":
                    targets.setdefault(variable, []).append((ramp, size))
                elif effect.mode == "scale":
                    factors.setdefault(variable, []).append(1.0 + ramp * (size - 1.0))
                else:
                    amounts.setdefault(variable, []).append(ramp * size)
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
    one) replaces :data:`~sdmodel.names.INFLOW_SERIES_VARIABLE`.
    """
    from sdmodel.engine.batch import series_order

    out = schedule_inputs(scenario.measures, scenario.capacity, base=base, times=times,
                          limits=limits, effect_values=effect_values, n=n)
    if scenario.inflow_series:
        series = inflow_series(scenario.inflow_series, times)
        out[INFLOW_SERIES_VARIABLE] = (series if n is None else np.array(
            np.broadcast_to(series[:, None], (len(series), n)), order=series_order()))
    return out
