"""The loaded-model session every job shares, and scenarios run on it.

:func:`prepare` loads the model once: PySD for names, ranges, comments and the reference runs,
the compiled batch simulator for running, and the calibrated constants every run starts from
(:class:`Session`). :func:`run_scenarios` runs any number of scenarios on it and returns their
monthly KPIs: as one batch run (``engine="numba"`` or ``"numpy"``, the batch simulator's
backends; the fastest installed by default), or one PySD run each (``engine="pysd"``, the
reference; ``tests/scenarios/test_measures.py`` checks that they agree). Every job (simulate,
compare, uncertainty, optimize, briefing) starts here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, get_args

import numpy as np

from sdmodel.calendar import time_grid
from sdmodel.data.fitted import Calibration, calibrated_constants
from sdmodel.engine import Backend, Engine
from sdmodel.errors import AsielketenError
from sdmodel.scenarios.inputs import scenario_series

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.engine.batch import BatchModel
    from sdmodel.engine.model import ChainModel
    from sdmodel.scenarios.scenario import Scenario

ENGINES: tuple[str, ...] = get_args(Engine)


@dataclass(frozen=True)
class Session:
    """A model loaded once, with the constants its runs start from.

    A session pickles without its PySD model (PySD models cannot be pickled): unpickled, e.g.
    on a Dask worker, its ``model`` is ``None``; what batch runs need (the batch simulator, the
    constants and the limits) travels.

    Attributes
    ----------
    model
        The PySD model (names, ranges, comments; the reference runs); ``None`` in an unpickled
        session.
    batch
        The compiled batch simulator of the same .mdl.
    calibration
        The constants every run starts from, with their origin.
    defaults
        Every constant's value in the .mdl.
    limits
        ``[min, max]`` of every constant that declares one.
    """

    model: ChainModel
    batch: BatchModel
    calibration: Calibration
    defaults: dict[str, float]
    limits: dict[str, tuple[float, float]]

    def base(self, scenario: Scenario) -> dict[str, float]:
        """Constants of a scenario without its measures: defaults, calibration, then [set]."""
        return {**self.defaults, **self.calibration.values, **scenario.overrides}

    def __reduce__(self) -> tuple:
        return Session, (None, self.batch, self.calibration, self.defaults, self.limits)


def prepare(model_path: Path | str | None = None, *, calibration: str | None = None) -> Session:
    """Load the model (PySD and batch) and the calibration once.

    Parameters
    ----------
    model_path
        The .mdl file; default the project's model.
    calibration
        ``None``: the committed calibration (``calibration/fitted``) for the project's model;
        ``"none"``: the model's defaults; else a calibration output folder.

    Raises
    ------
    ModelFileError
        If the .mdl cannot be read, translated or compiled.
    DataFileError
        If the calibration folder lacks its parameters.csv or manifest.json.
    """
    from sdmodel.engine.batch import BatchModel
    from sdmodel.engine.model import ChainModel
    from sdmodel.paths import DEFAULT_MDL

    model = ChainModel.from_mdl(model_path)
    batch = BatchModel.from_mdl(model.path)
    constants = {k: float(v) for k, v in batch.constants.items() if np.ndim(v) == 0}
    fitted = calibrated_constants(calibration, model_sha256=model.sha256,
                                  is_default_model=model.path == DEFAULT_MDL)
    return Session(model, batch, fitted, constants, model.limits())


@dataclass(frozen=True)
class Runs:
    """Scenario runs with the events of their rules.

    Attributes
    ----------
    results
        Scenario name -> monthly KPIs (as :func:`run_scenarios` returns them).
    events
        ``run, rule, date, action``: one row per rule firing or ending (``run`` is the
        scenario name; see :func:`sdmodel.scenarios.rule_inputs.rule_events`); empty without rules.
    """

    results: dict[str, pd.DataFrame]
    events: pd.DataFrame


def run_with_events(scenarios: Sequence[Scenario], session: Session, *,
                    engine: Engine | None = None) -> Runs:
    """Run scenarios as :func:`run_scenarios` does, and read when their rules fired.

    Raises
    ------
    AsielketenError
        As :func:`run_scenarios`.
    """
    from sdmodel.names import RULE_EVENT_KPIS
    from sdmodel.scenarios.rule_inputs import events_frame

    with_rules = any(s.rules for s in scenarios)
    frames = run_scenarios(scenarios, session, engine=engine, _events=with_rules)
    events = events_frame({s.name: (s.rules, frames[s.name]) for s in scenarios})
    results = {name: frame.drop(columns=[c for c in RULE_EVENT_KPIS if c in frame])
               for name, frame in frames.items()}
    return Runs(results, events)


def run_scenarios(scenarios: Sequence[Scenario], session: Session, *,
                  engine: Engine | None = None, _events: bool = False
                  ) -> dict[str, pd.DataFrame]:
    """Run scenarios and return their monthly KPIs.

    Parameters
    ----------
    scenarios
        Loaded scenarios (names must be unique).
    session
        From :func:`prepare`.
    engine
        ``"numba"`` or ``"numpy"`` (all scenarios in one batch run; ``None``: the fastest
        installed, :func:`sdmodel.engine.batch.fastest_backend`) or ``"pysd"`` (one PySD run
        each, the reference implementation).

    Returns
    -------
    dict
        Scenario name -> DataFrame indexed by month start, one column per KPI.

    Raises
    ------
    AsielketenError
        For an unknown engine or duplicate scenario names.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise AsielketenError(f"scenario names must differ, got {', '.join(names)}; "
                              "give each scenario file its own name")
    if engine is not None and engine not in ENGINES:
        raise AsielketenError(f"unknown engine '{engine}'; use one of: {', '.join(ENGINES)}")
    if engine == "pysd":
        return {s.name: run_scenario_pysd(session.model, s,
                                          {**session.calibration.values, **s.overrides},
                                          events=_events)
                for s in scenarios}
    return _run_batch(scenarios, session, engine, events=_events)


def _run_batch(scenarios: Sequence[Scenario], session: Session, engine: Backend | None, *,
               events: bool = False) -> dict[str, pd.DataFrame]:
    from sdmodel.engine.batch_kpis import run_monthly, to_frames

    times = session.batch.time_grid()
    n = len(scenarios)
    bases = [session.base(s) for s in scenarios]
    series = [scenario_series(s, base=b, times=times, limits=session.limits)
              for s, b in zip(scenarios, bases, strict=True)]
    params: dict[str, object] = {}
    changed = set(session.calibration.values).union(*(s.overrides for s in scenarios))
    for name in sorted(changed):
        params[name] = np.array([b[name] for b in bases])
    for name in sorted(set().union(*series)):
        values = [s.get(name, b.get(name, np.nan)) for s, b in zip(series, bases, strict=True)]
        if all(np.ndim(v) == 0 for v in values):  # a constant (a rule slot's input)
            params[name] = np.array(values, dtype=float)
            continue
        params[name] = np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), len(times))
                                        for v in values])
    from sdmodel.names import KPIS, RULE_EVENT_KPIS

    kpis = [*KPIS, *RULE_EVENT_KPIS] if events else None
    monthly = run_monthly(session.batch, params, n=n, engine=engine, kpis=kpis)
    return to_frames(monthly, [s.name for s in scenarios])


def pysd_params(constants: Mapping[str, float], series: Mapping[str, np.ndarray],
                times: np.ndarray) -> dict[str, float | pd.Series]:
    """Return PySD ``params``: constants as numbers, time-varying inputs as Series over time."""
    import pandas as pd

    params: dict[str, float | pd.Series] = dict(constants)
    for name, values in series.items():
        if np.ndim(values) == 0:  # a constant input (a rule slot's)
            params[name] = float(values)
            continue
        params[name] = pd.Series(np.asarray(values, dtype=float), index=np.asarray(times))
    return params


def run_scenario_pysd(model: ChainModel, scenario: Scenario, constants: Mapping[str, float], *,
                      until: str | None = None, events: bool = False) -> pd.DataFrame:
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
    events
        Also return the rule slots' event stocks (:data:`sdmodel.names.RULE_EVENT_KPIS`).

    Returns
    -------
    pandas.DataFrame
        Monthly KPIs, as :meth:`~sdmodel.engine.model.ChainModel.run` returns them.
    """
    import warnings

    from sdmodel.names import KPIS, RULE_EVENT_KPIS

    kpis = {"kpis": {**KPIS, **RULE_EVENT_KPIS}} if events else {}
    if not (scenario.active_measures or scenario.capacity or scenario.inflow_series
            or scenario.rules):
        return model.run(dict(constants), until=until, **kpis)
    times = time_grid(model.final_time, model.time_step)
    series = scenario_series(scenario, base=model.initial_values(constants), times=times,
                             limits=model.limits())
    if not series:  # nothing varies over time: the plain run
        return model.run(dict(constants), until=until, **kpis)
    with warnings.catch_warnings():  # PySD warns when a constant becomes a time series
        warnings.filterwarnings("ignore", message="Replacing a constant value")
        return model.run(pysd_params(constants, series, times), until=until, **kpis)
