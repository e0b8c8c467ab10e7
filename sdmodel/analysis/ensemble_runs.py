"""Many scenarios over one ensemble of futures, in as few batch runs as memory allows.

The decomposition runs every subset of a scenario's measures in every future, the break-even
analysis one scenario at many inflow changes in every future: both are "these scenarios x these
futures". The futures are a Latin-hypercube design of what is assumed, drawn with the public
functions of :mod:`sdmodel.analysis.uncertainty` (:func:`draw_futures`), so they are the
uncertainty analysis' futures; :func:`future_params` turns a scenario into the inputs of one run
per future (:func:`~sdmodel.analysis.uncertainty.future_inputs` and
:func:`~sdmodel.scenarios.inputs.scenario_series`, as the bands are run), and :func:`run_params`
runs the inputs of several scenarios side by side.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.uncertainty import FutureInputs, Uncertain
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario

CHUNK_RUNS = 600
"""Runs per batch call (memory: about 50 input series x 1,057 steps x 8 bytes per run)."""
Params = dict[str, np.ndarray]
"""Inputs of ``F`` runs: constants ``(F,)`` and time series ``(T, F)`` on the integration grid."""


@dataclass(frozen=True)
class Futures:
    """An ensemble of futures: a sample design and what its columns are.

    Attributes
    ----------
    parameters
        The sampled quantities (:class:`~sdmodel.analysis.uncertainty.Uncertain`).
    design
        One row per future, one column per parameter.
    draws
        The calibration's bootstrap refits the design's row numbers refer to, or ``None``.
    seed
        The design's seed.
    held
        Parameters drawn but held at their central value (left out of ``parameters``).
    """

    parameters: tuple[Uncertain, ...]
    design: pd.DataFrame
    draws: pd.DataFrame | None
    seed: int
    held: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of futures."""
        return len(self.design)


def draw_futures(scenarios: Sequence[Scenario], session: Session, *, samples: int,
                 seed: int | None, hold: Collection[str] = ()) -> Futures:
    """Draw the uncertainty analysis' design for ``scenarios`` (its parameters and its Latin
    hypercube, :func:`~sdmodel.analysis.uncertainty.run_uncertainty`'s for the same scenarios
    and seed).

    Parameters
    ----------
    scenarios
        The scenarios whose measures' effect sizes are sampled.
    session
        From :func:`sdmodel.runs.prepare`.
    samples
        Number of futures (at least 2).
    seed
        Seed of the design; ``None`` draws one (recorded in the result).
    hold
        Parameters drawn but then held at their central value (their column is dropped after
        the whole design is drawn, so the other columns do not change).

    Raises
    ------
    AsielketenError
        If ``samples`` is less than 2.
    """
    from sdmodel.analysis.uncertainty import bootstrap_draws, latin_hypercube, uncertain_parameters

    if samples < 2:
        raise AsielketenError(f"--samples {samples}: give at least 2 samples for bands")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    params = uncertain_parameters(scenarios, session)
    design = latin_hypercube(params, samples, seed=seed)
    held = tuple(p.name for p in params if p.name in hold)
    kept = tuple(p for p in params if p.name not in held)
    return Futures(kept, design.drop(columns=list(held)), bootstrap_draws(session), seed, held)


def future_params(scenario: Scenario, session: Session, futures: Futures, *,
                  inputs_also: Collection[str] = (), inputs: FutureInputs | None = None
                  ) -> Params:
    """The inputs of ``scenario`` in every future (one run per design row).

    Parameters
    ----------
    scenario, session, futures
        What to run, on which model, in which futures.
    inputs_also
        Inputs to include at their base value where the scenario leaves them (so that groups
        of runs that change different inputs can run side by side, :func:`run_params`).
    inputs
        The futures' inputs without the measures
        (:func:`~sdmodel.analysis.uncertainty.future_inputs`), if already made for a scenario
        with the same constants (``overrides``): scenarios that differ only in their measures
        share them.
    """
    from sdmodel.analysis.uncertainty import future_inputs
    from sdmodel.scenarios.inputs import scenario_series

    if inputs is None:
        inputs = future_inputs(scenario, session, futures.parameters, futures.design,
                               futures.draws)
    params: Params = {**inputs.constants, **inputs.series}
    params.update(scenario_series(scenario, base=inputs.base, times=session.batch.time_grid(),
                                  limits=session.limits, effect_values=inputs.effects,
                                  n=futures.n))
    for name in inputs_also:
        if name not in params:
            params[name] = np.asarray(inputs.base[name], dtype=float)
    for name in list(params):  # a value the same in every run
        if np.ndim(params[name]) == 0:
            params[name] = np.full(futures.n, float(params[name]))
    return params


def select(params: Params, runs: np.ndarray) -> Params:
    """The inputs of some of the runs (indices along the run axis)."""
    return {name: values[..., runs] for name, values in params.items()}


def run_params(parts: Sequence[Params], session: Session, *, kpis: Sequence[str],
               chunk_runs: int = CHUNK_RUNS) -> dict[str, np.ndarray]:
    """Run the inputs of several groups of runs side by side; monthly KPIs of all runs.

    Parameters
    ----------
    parts
        Inputs per group (:func:`future_params`), each of its own number of runs.
    session
        From :func:`sdmodel.runs.prepare`.
    kpis
        Monthly KPIs to return.
        They must have the same inputs (see ``inputs_also``); a constant of one group that
        is a time series in another is run as that constant over time.
    chunk_runs
        Runs per batch call.

    Returns
    -------
    dict
        KPI -> ``(months, runs)``: the groups' runs one after the other.

    Raises
    ------
    AsielketenError
        If the groups do not have the same inputs.
    """
    from sdmodel.engine.batch import series_order
    from sdmodel.engine.batch_kpis import run_monthly

    sizes = [_runs(p) for p in parts]
    steps = len(session.batch.time_grid())
    series = {n for p in parts for n, v in p.items() if np.ndim(v) == 2}
    names = sorted(set().union(*parts))
    if any(set(p) != set(names) for p in parts):
        raise AsielketenError("internal error: runs side by side need the same inputs; "
                              "give future_params the others' inputs (inputs_also)")
    chunks: list[dict[str, np.ndarray]] = []
    for lo, hi in _slices(sum(sizes), chunk_runs):
        params: dict[str, object] = {}
        for name in names:
            columns = []
            for part, size, start in zip(parts, sizes, np.cumsum([0, *sizes]), strict=False):
                a, b = max(lo - start, 0), min(hi - start, size)
                if a >= b:
                    continue
                value = part[name][..., a:b]
                if name in series and value.ndim == 1:
                    value = np.broadcast_to(value, (steps, b - a))
                columns.append(value)
            joined = np.concatenate(columns, axis=-1)
            params[name] = np.array(joined, order=series_order()) if joined.ndim == 2 else joined
        chunks.append(run_monthly(session.batch, params, n=hi - lo, kpis=list(kpis)))
    return {k: np.concatenate([c[k] for c in chunks], axis=1) for k in kpis}


def _runs(params: Params) -> int:
    return next(np.shape(v)[-1] for v in params.values())


def _slices(total: int, size: int) -> list[tuple[int, int]]:
    size = max(int(size), 1)
    return [(lo, min(lo + size, total)) for lo in range(0, total, size)]
