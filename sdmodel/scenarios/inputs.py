"""Scenario -> model inputs: constants and time-varying inputs for PySD and the batch simulator.

A scenario gives constants (its ``[set]`` table and the inflow band), scheduled measures and
capacity funding, and optionally a custom inflow series. The constants start from the committed
calibration (:func:`calibrated_constants`). Scheduled changes become inputs
that vary over model time (:func:`schedule_inputs`): arrays over the time grid for the batch
simulator, or pandas Series indexed by model time for PySD (:func:`pysd_params`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import time_grid
from sdmodel.names import INFLOW_SERIES_VARIABLE
from sdmodel.paths import project_relative
from sdmodel.scenarios.measures import CapacitySetting, MeasureSetting

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.engine.model import ChainModel
    from sdmodel.scenarios.scenario import Scenario


Value = float | np.ndarray


@dataclass(frozen=True)
class Calibration:
    """The constants a run starts from, and where they come from.

    Attributes
    ----------
    values
        Vensim name -> fitted value (empty: the model's defaults).
    note
        The calibration folder (relative to the project when inside it), or ``"model defaults"``.
    directory
        The calibration folder (``None`` without a calibration); it may hold ``bootstrap.csv``.
    model_matches
        False when the calibration was fitted to another version of the .mdl (``None`` without
        a calibration).
    """

    values: dict[str, float]
    note: str
    directory: Path | None = None
    model_matches: bool | None = None


def calibrated_constants(choice: str | None = None, *, model_sha256: str,
                         is_default_model: bool) -> Calibration:
    """Return the calibrated constants to run with (see ``sdmodel.data.fitted``).

    Parameters
    ----------
    choice
        ``None``: ``calibration/fitted/`` for the project's model, nothing for another model;
        ``"none"``: the model's own defaults; else a calibration output folder.
    model_sha256
        Hash of the model run, compared with the one the calibration was fitted to.
    is_default_model
        Whether the model is the project's ``models/asielketen.mdl``.

    Raises
    ------
    DataFileError
        If the calibration folder lacks its parameters.csv or manifest.json.
    """
    from sdmodel.data.fitted import calibration_overrides

    values, record = calibration_overrides(choice, model_sha256=model_sha256,
                                           is_default_model=is_default_model)
    if record.get("calibration") is None:
        return Calibration({}, "model defaults")
    folder = Path(record["calibration"])
    return Calibration(dict(values), project_relative(folder), folder,
                       record.get("model_matches"))


def base_values(model: ChainModel, constants: Mapping[str, float]) -> dict[str, float]:
    """Return every variable's value at time 0 with ``constants`` applied (a one-step run).

    Constants keep their value over the run, so this is the base a measure changes from.
    """
    first = model.run_raw(dict(constants), final_time=0).iloc[0]
    return {str(name): float(value) for name, value in first.items()}


def model_limits(model: ChainModel) -> dict[str, tuple[float, float]]:
    """Return ``[min, max]`` of every variable that declares both in the .mdl."""
    doc = model.doc()
    rows = doc.dropna(subset=["min", "max"])
    return {row.name: (float(row.min), float(row.max)) for row in rows.itertuples()}


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
        out[variable] = np.array(value) if n is not None or columns > 1 else np.array(value[:, 0])
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
    out = schedule_inputs(scenario.measures, scenario.capacity, base=base, times=times,
                          limits=limits, effect_values=effect_values, n=n)
    if scenario.inflow_series:
        series = inflow_series(scenario.inflow_series, times)
        out[INFLOW_SERIES_VARIABLE] = (series if n is None
                                       else np.repeat(series[:, None], n, axis=1))
    return out


def pysd_params(constants: Mapping[str, float], series: Mapping[str, np.ndarray],
                times: np.ndarray) -> dict[str, float | pd.Series]:
    """Return PySD ``params``: constants as numbers, time-varying inputs as Series over time."""
    import pandas as pd

    params: dict[str, float | pd.Series] = dict(constants)
    for name, values in series.items():
        params[name] = pd.Series(np.asarray(values, dtype=float), index=np.asarray(times))
    return params


def run_scenario_pysd(model: ChainModel, scenario: Scenario, constants: Mapping[str, float], *,
                      until: str | None = None) -> pd.DataFrame:
    """Run one scenario in PySD: ``constants`` plus the scenario's time-varying inputs.

    Parameters
    ----------
    model
        The PySD model.
    scenario
        Its measures, capacity funding and custom inflow become time series.
    constants
        Calibrated constants, the scenario's overrides and any ``--set`` values.
    until
        Last month, ``YYYY-MM`` (see :meth:`sdmodel.engine.model.ChainModel.run`).

    Returns
    -------
    pandas.DataFrame
        Monthly KPIs, as :meth:`~sdmodel.engine.model.ChainModel.run` returns them.
    """
    import warnings

    if not (scenario.active_measures or scenario.capacity or scenario.inflow_series):
        return model.run(dict(constants), until=until)
    times = time_grid(model.final_time, model.time_step)
    series = scenario_series(scenario, base=base_values(model, constants), times=times,
                             limits=model_limits(model))
    if not series:  # nothing varies over time: the plain run
        return model.run(dict(constants), until=until)
    with warnings.catch_warnings():  # PySD warns when a constant becomes a time series
        warnings.filterwarnings("ignore", message="Replacing a constant value")
        return model.run(pysd_params(constants, series, times), until=until)
