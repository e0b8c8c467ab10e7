"""The plan's model inputs, with drifting parameters, for one run or an ensemble.

The plan is a scenario run on a calibration (:class:`sdmodel.runs.Session`). A run of the plan
is fixed by

- the calibrated constants (one value per run; the committed estimates, a bootstrap refit or a
  draw from the updated estimate),
- the value each drifting parameter takes from the drift month on (the same as before it in
  the plan; its own estimate in the update), and
- a row of the scenario's sample design (:func:`sdmodel.analysis.uncertainty.latin_hypercube`;
  a row of NaN with the scenario's MPP band position is the central run).

:func:`plan_inputs` turns these into inputs of :meth:`sdmodel.engine.batch.BatchModel.run`
(through :func:`sdmodel.analysis.uncertainty.future_inputs` and
:func:`sdmodel.scenarios.inputs.scenario_series`, as the bands of ``compare`` are built), so the
plan runs here exactly as ``simulate`` and ``compare --samples`` run it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.names import INFLOW_BAND_VARIABLE

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import Uncertain
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """A scenario on a calibration, with the parameters that drift and from when.

    Attributes
    ----------
    scenario
        The scenario (its ``[set]`` values, measures, capacity and inflow band).
    session
        The model and the committed calibration.
    sampled
        What the scenario's bands sample besides the calibration (MPP band, assumptions,
        effect sizes).
    drifting
        Constant -> the drifting parameter it follows (a drifting parameter and its tied
        constants).
    drift_from
        Model month from which drifting parameters take their new value.
    """

    scenario: Scenario
    session: Session
    sampled: tuple[Uncertain, ...]
    drifting: Mapping[str, str]
    drift_from: float

    def central_design(self, n: int) -> pd.DataFrame:
        """``n`` rows of the central run: the scenario's band position, NaN elsewhere."""
        import pandas as pd

        band = float(self.session.base(self.scenario)[INFLOW_BAND_VARIABLE])
        frame = pd.DataFrame(np.nan, index=range(n), columns=[p.name for p in self.sampled])
        frame[INFLOW_BAND_VARIABLE] = band
        return frame


def make_plan(scenario: Scenario, session: Session, *, drifting: Sequence[str],
              tied: Mapping[str, Sequence[str]], drift_from: float) -> Plan:
    """Return the :class:`Plan` of ``scenario`` with ``drifting`` parameters (and the constants
    tied to them, ``tied``) changing at model month ``drift_from``."""
    from sdmodel.analysis.uncertainty import uncertain_parameters
    from sdmodel.errors import AsielketenError
    from sdmodel.scenarios.measures import measure_variables

    for name in drifting:
        if name in measure_variables() or name in scenario.overrides:
            raise AsielketenError(
                f"calibration.toml [drifting] parameters: '{name}' is set by the scenario "
                f"'{scenario.name}' or one of the measures; choose a parameter the plan leaves "
                "to the calibration")
    sampled = tuple(p for p in uncertain_parameters([scenario], session)
                    if p.kind != "calibration")
    follows = {name: name for name in drifting}
    for name in drifting:
        follows.update({other: name for other in tied.get(name, ())})
    return Plan(scenario, session, sampled, follows, float(drift_from))


def plan_inputs(plan: Plan, *, calibrated: Mapping[str, np.ndarray],
                after: Mapping[str, np.ndarray], design: pd.DataFrame,
                final_time: float | None = None) -> dict[str, object]:
    """Return the batch simulator's inputs for ``len(design)`` runs of the plan.

    Parameters
    ----------
    plan
        The scenario, calibration and drift.
    calibrated
        Calibrated constant -> values ``(n,)`` (tied constants included); a constant the
        scenario sets in ``[set]`` keeps the scenario's value, as in ``simulate``.
    after
        Drifting parameter -> its values ``(n,)`` from the drift month on.
    design
        One row per run of the sampled quantities (``plan.sampled``).
    final_time
        Last model month of the runs (time series are cut to its grid); default the model's.
    """
    from sdmodel.analysis.uncertainty import future_inputs
    from sdmodel.engine.batch import series_order
    from sdmodel.scenarios.inputs import scenario_series

    session, scenario, n = plan.session, plan.scenario, len(design)
    futures = future_inputs(scenario, session, plan.sampled, design, None)
    base = dict(futures.base)
    constants = dict(futures.constants)
    for name, values in calibrated.items():
        if name in scenario.overrides:  # the scenario's [set] values win, as in simulate
            continue
        values = np.broadcast_to(np.asarray(values, dtype=float), (n,)).copy()
        base[name] = values
        constants[name] = values
    times = session.batch.time_grid()
    steps = len(session.batch.time_grid(final_time=final_time)) if final_time else len(times)
    inputs: dict[str, object] = {**constants}
    for name, series in futures.series.items():
        inputs[name] = np.asarray(series[:steps], order=series_order())
    later = times[:steps, None] >= plan.drift_from - 1e-9
    for name, parameter in plan.drifting.items():
        before = np.broadcast_to(np.asarray(base[name], dtype=float), (n,))
        new = np.broadcast_to(np.asarray(after[parameter], dtype=float), (n,))
        inputs[name] = np.array(np.where(later, new[None, :], before[None, :]),
                                order=series_order())
    changes = scenario_series(scenario, base=base, times=times, limits=session.limits,
                              effect_values=futures.effects, n=n)
    for name, series in changes.items():
        inputs[name] = np.asarray(series[:steps], order=series_order())
    return inputs
