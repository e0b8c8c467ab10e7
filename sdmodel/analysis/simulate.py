"""One scenario run for ``asielketen simulate``: calibration, scenario and ``--set`` values.

The batch simulator runs it by default (its fastest installed backend); ``engine="pysd"`` runs
the reference implementation. All give the same monthly KPIs
(``tests/scenarios/test_measures.py`` checks the engines agree). With ``samples`` the same
scenario also runs over the uncertainty ensemble (:func:`sdmodel.analysis.uncertainty.
run_uncertainty`, batch simulator): bands over history and future, and the headline check of the
central run (:func:`sdmodel.analysis.headline.headline_table`).
:func:`sdmodel.analysis.files.simulation_files` turns the result into the output folder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sdmodel.engine import Engine
from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import Uncertainty
    from sdmodel.runs import Session
    from sdmodel.scaleout import Pool
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
    uncertainty
        The ensemble around the run (``samples > 0``; its bands cut at ``until``), or ``None``.
    headline
        The headline check of the central run against the ensemble
        (:func:`sdmodel.analysis.headline.headline_table`, on the whole run), or ``None``.
    events
        When the scenario's rules fired and ended (``run, rule, date, action``; empty without
        rules; see :func:`sdmodel.runs.run_with_events`).
    """

    results: pd.DataFrame
    scenario: Scenario
    session: Session
    until: str | None
    engine: Engine
    uncertainty: Uncertainty | None = None
    headline: pd.DataFrame | None = None
    events: pd.DataFrame | None = None

    @property
    def samples(self) -> int:
        """Samples of the ensemble (0 without one)."""
        return 0 if self.uncertainty is None else len(self.uncertainty.design)


def simulate(
    *,
    model_path: Path | str | None,
    scenario: str,
    set_values: Iterable[tuple[str, float]] = (),
    calibration: str | None = None,
    until: str | None = None,
    engine: Engine | None = None,
    samples: int = 0,
    seed: int | None = None,
    pool: Pool | None = None,
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
    samples
        Runs of the uncertainty ensemble (0: none; else at least 2).
    seed
        Seed of the ensemble's design; ``None`` draws one (recorded in the result).
    pool
        Where the ensemble runs (default: in this process); the bands are the same.

    Raises
    ------
    AsielketenError
        For a model, scenario or ``--set`` value that does not load, ``until`` outside the run,
        a single sample or a seed out of range.
    """
    from sdmodel.analysis.uncertainty import check_seed
    from sdmodel.engine.batch import fastest_backend
    from sdmodel.runs import prepare, run_with_events
    from sdmodel.scenarios.scenario import load_scenario, resolve_overrides

    if samples == 1:
        raise AsielketenError("--samples 1: give at least 2 samples for bands, or 0 for none")
    check_seed(seed)
    engine = engine or fastest_backend()
    session = prepare(model_path, calibration=calibration)
    last_month = session.model.last_month(until)
    chosen = load_scenario(scenario, model=session.model)
    overrides = resolve_overrides(chosen, set_values, model=session.model)
    chosen = dataclasses.replace(chosen, overrides=overrides)
    runs = run_with_events([chosen], session, engine=engine)
    results = runs.results[chosen.name]
    uncertainty = headline = None
    if samples:
        from sdmodel.analysis.headline import headline_table
        from sdmodel.analysis.uncertainty import run_uncertainty

        uncertainty = run_uncertainty([chosen], session, samples=samples, seed=seed, pool=pool)
        headline = headline_table([chosen], {chosen.name: results}, uncertainty.sample_kpis)
        bands = uncertainty.bands
        last = results.index[last_month]
        uncertainty = dataclasses.replace(
            uncertainty, bands=bands[bands["date"] <= last].reset_index(drop=True))
    return Simulation(results.iloc[: last_month + 1], chosen, session, until, engine,
                      uncertainty, headline, runs.events)
