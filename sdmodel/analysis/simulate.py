"""One scenario run for ``asielketen simulate``: calibration, scenario and ``--set`` values.

The batch simulator runs it by default (its fastest installed backend); ``engine="pysd"`` runs
the reference implementation. All give the same monthly KPIs
(``tests/scenarios/test_measures.py`` checks the engines agree).
:func:`sdmodel.analysis.files.simulation_files` turns the result into the output folder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdmodel.engine import Engine

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario


@dataclass(frozen=True)
class Simulation:
    """The result of :func:`simulate`.

    Attributes
    ----------
    results
        Monthly KPIs, index ``date``, up to the last month asked for.
    scenario
        The scenario as run, its overrides including the ``--set`` values.
    session
        The model, batch simulator and calibration used.
    until
        The last month asked for (``YYYY-MM``), or ``None`` for the model's final time.
    engine
        The simulator that ran it (a batch backend by name, or ``"pysd"``).
    events
        When the scenario's rules fired and ended (``run, rule, date, action``; empty without
        rules; see :func:`sdmodel.runs.run_with_events`).
    """

    results: pd.DataFrame
    scenario: Scenario
    session: Session
    until: str | None
    engine: Engine
    events: pd.DataFrame | None = None


def simulate(
    *,
    model_path: Path | str | None,
    scenario: str,
    set_values: Iterable[tuple[str, float]] = (),
    calibration: str | None = None,
    until: str | None = None,
    engine: Engine | None = None,
) -> Simulation:
    """Run one scenario with the calibrated constants.

    Parameters
    ----------
    model_path
        The .mdl file; default the project's model.
    scenario
        A scenario name in ``models/scenarios`` or a TOML file.
    set_values
        ``(Vensim name, value)`` pairs applied after the scenario.
    calibration
        ``None`` for the committed calibration (project model only), ``"none"``, or a folder.
    until
        Last month reported, ``YYYY-MM``.
    engine
        ``"numba"``, ``"numpy"`` or ``"pysd"``; ``None``: the fastest installed batch backend
        (:func:`sdmodel.engine.batch.fastest_backend`).

    Raises
    ------
    AsielketenError
        For a model, scenario or ``--set`` value that does not load, or ``until`` outside the run.
    """
    from sdmodel.engine.batch import fastest_backend
    from sdmodel.runs import prepare, run_with_events
    from sdmodel.scenarios.scenario import load_scenario, resolve_overrides

    engine = engine or fastest_backend()
    session = prepare(model_path, calibration=calibration)
    last_month = session.model.last_month(until)
    chosen = load_scenario(scenario, model=session.model)
    overrides = resolve_overrides(chosen, set_values, model=session.model)
    chosen = dataclasses.replace(chosen, overrides=overrides)
    runs = run_with_events([chosen], session, engine=engine)
    results = runs.results[chosen.name]
    return Simulation(results.iloc[: last_month + 1], chosen, session, until, engine,
                      runs.events)
