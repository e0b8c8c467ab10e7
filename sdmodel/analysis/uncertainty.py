"""Uncertainty bands: a fixed sample design of what is uncertain, run as one batch per chunk.

What is sampled and how the design is drawn is :mod:`sdmodel.analysis.design` (its names are
re-exported here): one Latin hypercube over everything the model knows to be uncertain (the MPP
band position, the uncalibrated ``assumption`` constants, every measure's sampled effect sizes,
the calibration's bootstrap rows), each column from its own random stream keyed by the seed and
its name, each input at a two-piece uniform distribution with its median at the central value.
Each scenario uses the columns it needs (:func:`~sdmodel.analysis.design.uses`), so the bands of
a scenario with a given seed are the same whichever scenarios are compared with it.

The sampled assumption constants take their sampled value from the end of the history
(``history end time``, Jan 2026), so before it only the bootstrap rows spread the runs (the
calibration's parameter uncertainty) and after it everything does. The same design (common
random numbers) is used for every scenario, so differences between scenarios are not sampling
noise. :func:`run_uncertainty` returns quantile bands per month over history and future, the KPIs
of every run (:attr:`Uncertainty.sample_kpis`, for the headline check of
:mod:`sdmodel.analysis.headline`) and their quantiles. The design is drawn whole, in the calling
process; its rows are then run in shards of :data:`sdmodel.scaleout.SHARD_RUNS` samples, in
process or on a Dask cluster (:class:`sdmodel.scaleout.Pool`), with the same bytes either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.analysis.design import (
    CALIBRATION_DRAW,
    Uncertain,
    assumption_constants,
    bootstrap_draws,
    effect_column,
    latin_hypercube,
    model_uncertainties,
    samples_band,
    scenario_effects,
    uncertain_parameters,
    uses,
)
from sdmodel.analysis.headline import SAMPLE_MONTHLY, sample_kpis
from sdmodel.calendar import month_dates
from sdmodel.errors import AsielketenError
from sdmodel.names import COST_KPIS, HISTORY_END_VARIABLE, INFLOW_BAND_VARIABLE
from sdmodel.runs import Session
from sdmodel.scaleout import SHARD_RUNS, Pool, shards
from sdmodel.scenarios.inputs import scenario_series

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.scenarios.scenario import Scenario

__all__ = ["BAND_SERIES", "CALIBRATION_DRAW", "QUANTILES", "SEED_MAX", "SUMMARY_KPIS",
           "Ensemble", "FutureInputs", "Uncertain", "Uncertainty", "assumption_constants",
           "bootstrap_draws", "check_seed", "effect_column", "future_inputs",
           "latin_hypercube", "model_uncertainties", "parameter_table", "run_shard",
           "run_uncertainty", "uncertain_parameters", "uses"]

QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of the bands: the 90% and 50% intervals and the median."""
BAND_SERIES: dict[str, tuple[str, ...]] = {
    "coa_occupancy_total": ("coa_occupancy_total",),
    "ter_apel_occupancy": ("ter_apel_occupancy",),
    "ind_pending_asylum": ("ind_pending_asylum",),
    "court_backlog": ("court_appeals_pending", "court_status_appeals_pending"),
    "coa_status_holders_waiting": ("coa_status_holders_waiting",),
    "undocumented_on_street": ("undocumented_on_street",),
}
"""Series shown as bands: name -> the KPIs summed."""
SUMMARY_KPIS = ("coa_regular_capacity", *COST_KPIS)
DEFAULT_CHUNK = 1000
SEED_MAX = 2**32 - 1
"""Largest seed of a design (seeds are 0 .. 2**32 - 1)."""


@dataclass(frozen=True)
class Uncertainty:
    """The result of :func:`run_uncertainty`.

    Attributes
    ----------
    parameters
        What the scenarios' runs took from the design (:func:`uncertain_parameters`).
    design
        One row per sample, one column per parameter of :func:`model_uncertainties` (sampled
        values; bootstrap row numbers): the same for any scenarios with the same seed and size.
    bands
        Long table ``scenario, series, date, q05, q25, q50, q75, q95``, one row per month of the
        run (history and future).
    summary
        Long table ``scenario, kpi, q05, q50, q95`` of the KPIs over the samples.
    seed
        The seed of the design (drawn and recorded when none was given).
    sample_kpis
        The KPIs of every run: ``scenario, sample`` and one column per KPI of
        :func:`sdmodel.analysis.headline.sample_kpis`.
    """

    parameters: tuple[Uncertain, ...]
    design: pd.DataFrame
    bands: pd.DataFrame
    summary: pd.DataFrame
    seed: int
    sample_kpis: pd.DataFrame | None = None


def check_seed(seed: int | None) -> None:
    """Raise :class:`AsielketenError` unless ``seed`` is None or a whole number 0 .. 2**32 - 1."""
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise AsielketenError(f"--seed {seed}: give a whole number from 0 to {SEED_MAX}")


def parameter_table(uncertainty: Uncertainty, scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """``uncertain_parameters.csv``: each parameter the runs used, its range, central value,
    source and the scenarios that use it."""
    import pandas as pd

    rows = []
    for p in uncertainty.parameters:
        users = [s.name for s in scenarios if uses(s, p)]
        rows.append({**vars(p), "scenarios": " ".join(users)})
    return pd.DataFrame(rows)


def run_uncertainty(
    scenarios: Sequence[Scenario],
    session: Session,
    *,
    samples: int,
    seed: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    pool: Pool | None = None,
    shard_runs: int = SHARD_RUNS,
) -> Uncertainty:
    """Sample the assumptions and run every scenario for every sample in the batch simulator.

    Parameters
    ----------
    scenarios
        Loaded scenarios.
    session
        From :func:`sdmodel.runs.prepare`.
    samples
        Number of Latin-hypercube samples (runs per scenario).
    seed
        Seed of the design, 0 .. 2**32 - 1; ``None`` draws one (recorded in the result).
    chunk_size
        Runs per batch call (memory: about 50 time series x 1,057 steps x 8 bytes per run).
    pool
        Where the shards run (default: in this process); the result is the same.
    shard_runs
        Samples per shard.

    Raises
    ------
    AsielketenError
        If ``samples`` is less than 2 or ``seed`` is out of range.
    """
    import pandas as pd

    if samples < 2:
        raise AsielketenError(f"--samples {samples}: give at least 2 samples for bands")
    check_seed(seed)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    every = tuple(model_uncertainties(session))
    design = latin_hypercube(every, samples, seed=seed)
    kpis = sorted({k for ks in BAND_SERIES.values() for k in ks} | set(SUMMARY_KPIS)
                  | set(SAMPLE_MONTHLY))
    pool = pool or Pool()
    shared = pool.share(Ensemble(session, every, bootstrap_draws(session), tuple(kpis),
                                 max(int(chunk_size), 1)))
    pieces = [(s, design.iloc[lo:hi]) for s in scenarios for lo, hi in shards(samples, shard_runs)]
    results = iter(pool.map(run_shard, shared, pieces))
    band_rows, summary_rows, kpi_rows = [], [], []
    for scenario in scenarios:
        parts = [next(results) for _ in shards(samples, shard_runs)]
        monthly = {k: np.concatenate([p[k] for p in parts], axis=1) for k in kpis}
        band_rows.append(_bands(scenario.name, monthly))
        per_run = pd.DataFrame(sample_kpis(scenario, monthly))
        per_run.insert(0, "sample", np.arange(samples))
        per_run.insert(0, "scenario", scenario.name)
        kpi_rows.append(per_run)
        summary_rows.append(_summary(scenario.name, per_run))
    used = tuple(p for p in every if any(uses(s, p) for s in scenarios))
    return Uncertainty(used, design, pd.concat(band_rows, ignore_index=True),
                       pd.concat(summary_rows, ignore_index=True), seed,
                       pd.concat(kpi_rows, ignore_index=True))


@dataclass(frozen=True)
class FutureInputs:
    """Model inputs of an ensemble of futures (one run per row of a sample design).

    Attributes
    ----------
    base
        Every input's value without the scenario's measures, per future where it varies (the
        base that :func:`sdmodel.scenarios.inputs.scenario_series` changes from).
    constants
        Per-run constants: name -> values ``(F,)``.
    series
        Assumption constants that take their sampled value from the end of the history:
        name -> ``(T, F)`` on the integration grid.
    effects
        ``(measure, effect) -> (F,)``: sampled effect sizes.
    """

    base: dict[str, float | np.ndarray]
    constants: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    effects: dict[tuple[str, str], np.ndarray]


def future_inputs(scenario: Scenario, session: Session, params: Sequence[Uncertain],
                  design: pd.DataFrame, draws: pd.DataFrame | None) -> FutureInputs:
    """Turn a sample design into model inputs, one run per design row.

    The scenario takes from the design the columns it uses
    (:func:`~sdmodel.analysis.design.uses`): its ``[set]`` constants and the effect sizes it
    sets keep the scenario's values. The MPP band position is taken from the design wherever it
    is given (:func:`run_uncertainty` blanks it for a scenario off the middle of the band; the
    optimizer sets it for its MPP-band futures). A missing (NaN) value in the design keeps the
    central value: the calibrated constant, the model default, the scenario's band or its own
    effect size.

    Parameters
    ----------
    scenario
        Its ``[set]`` values are kept; its measures give the central effect sizes.
    session
        From :func:`sdmodel.runs.prepare`.
    params
        The sampled quantities (columns of ``design``; other columns are not read, except the
        MPP band position).
    design
        One row per future; includes the MPP band position and, with ``draws``, the bootstrap
        row of the calibration.
    draws
        The calibration's bootstrap refits (:func:`bootstrap_draws`), or None.
    """
    from sdmodel.engine.batch import series_order

    n = len(design)
    times = session.batch.time_grid()
    base: dict[str, float | np.ndarray] = dict(session.base(scenario))
    listed = {p.name for p in params}
    per_run = set(session.calibration.values) | set(scenario.overrides) | {INFLOW_BAND_VARIABLE}
    if draws is not None and CALIBRATION_DRAW in listed and CALIBRATION_DRAW in design:
        rows = design[CALIBRATION_DRAW].to_numpy(dtype=float)
        drawn = ~np.isnan(rows)
        for name in draws.columns:
            values = draws[name].to_numpy(dtype=float)[np.where(drawn, rows, 0).astype(int)]
            base[name] = np.where(drawn, values, base[name])
        per_run |= set(draws.columns)
    if INFLOW_BAND_VARIABLE in design:
        band = design[INFLOW_BAND_VARIABLE].to_numpy(dtype=float)
        base[INFLOW_BAND_VARIABLE] = np.where(np.isnan(band), base[INFLOW_BAND_VARIABLE], band)
    constants = {name: np.broadcast_to(np.asarray(base[name], dtype=float), (n,)).copy()
                 for name in sorted(per_run)}
    future = times[:, None] >= float(np.max(base.get(HISTORY_END_VARIABLE, 0.0)))
    series = {}
    for p in params:
        if p.kind == "constant" and uses(scenario, p):  # [set] values are kept
            sampled = design[p.name].to_numpy(dtype=float)
            values = np.where(np.isnan(sampled), base[p.name], sampled)
            series[p.name] = np.array(np.where(future, values[None, :], base[p.name]),
                                      order=series_order())
    settings = {m.measure.name: m for m in scenario.active_measures}
    effects = {}
    for (measure, key), column in scenario_effects(scenario).items():
        if column in listed:
            sampled = design[column].to_numpy(dtype=float)
            if np.isnan(sampled).any():
                sampled = np.where(np.isnan(sampled), settings[measure].value(key), sampled)
            effects[(measure, key)] = sampled
    return FutureInputs(base, constants, series, effects)


@dataclass(frozen=True)
class Ensemble:
    """What every shard of the bands reads (sent to each Dask worker once).

    Attributes
    ----------
    session
        The batch simulator and the constants (pickled without the PySD model).
    params
        The sampled quantities (the design's columns).
    draws
        The calibration's bootstrap refits, or None.
    kpis
        The monthly KPIs the bands and the summary need.
    chunk_size
        Runs per batch call.
    """

    session: Session
    params: tuple[Uncertain, ...]
    draws: pd.DataFrame | None
    kpis: tuple[str, ...]
    chunk_size: int


def run_shard(ensemble: Ensemble, piece: tuple[Scenario, pd.DataFrame]
              ) -> dict[str, np.ndarray]:
    """Monthly KPIs ``(months, rows)`` of one scenario for a slice of the design's rows."""
    scenario, design = piece
    parts = [_run_chunk(scenario, ensemble.session, ensemble.params,
                        design.iloc[lo:hi], ensemble.draws, ensemble.kpis)
             for lo, hi in shards(len(design), ensemble.chunk_size)]
    return {k: np.concatenate([p[k] for p in parts], axis=1) for k in ensemble.kpis}


def _run_chunk(scenario: Scenario, session: Session, params: Sequence[Uncertain],
               design: pd.DataFrame, draws: pd.DataFrame | None, kpis: Sequence[str]
               ) -> dict[str, np.ndarray]:
    from sdmodel.engine.batch_kpis import run_monthly

    n = len(design)
    if not samples_band(scenario):  # a scenario off the middle of the MPP band keeps its band
        design = design.assign(**{INFLOW_BAND_VARIABLE: np.nan})
    futures = future_inputs(scenario, session, params, design, draws)
    inputs: dict[str, object] = {**futures.constants, **futures.series}
    inputs.update(scenario_series(scenario, base=futures.base, times=session.batch.time_grid(),
                                  limits=session.limits, effect_values=futures.effects, n=n))
    return run_monthly(session.batch, inputs, n=n, kpis=kpis)


def _bands(name: str, monthly: dict[str, np.ndarray]) -> pd.DataFrame:
    import pandas as pd

    frames = []
    for series, parts in BAND_SERIES.items():
        values = sum(monthly[k] for k in parts)
        dates = month_dates(values.shape[0])
        q = np.quantile(values, QUANTILES, axis=1)
        frame = pd.DataFrame({f"q{round(p * 100):02d}": q[i] for i, p in enumerate(QUANTILES)})
        frame.insert(0, "date", dates)
        frame.insert(0, "series", series)
        frame.insert(0, "scenario", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _summary(name: str, per_run: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for kpi in per_run.columns.drop(["scenario", "sample"]):
        q05, q50, q95 = np.quantile(per_run[kpi].to_numpy(dtype=float), (0.05, 0.5, 0.95))
        rows.append({"scenario": name, "kpi": kpi, "q05": q05, "q50": q50, "q95": q95})
    return pd.DataFrame(rows).round({"q05": 1, "q50": 1, "q95": 1})
