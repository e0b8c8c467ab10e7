"""Uncertainty bands: Latin-hypercube samples of what is assumed, run as one batch per chunk.

What is sampled (:func:`uncertain_parameters`), each uniformly over its range:

- the position of the future inflow in the MPP band (0 = low, 1 = high), replacing the
  scenario's band;
- every constant of the .mdl whose comment marks it ``assumption`` and that is not calibrated,
  not an initial value, not a policy input or capacity lever and not an input a measure sets;
  they take their sampled value from the end of the history (``history end time``, Jan 2026), so
  the past stays the calibrated run and the bands describe the future (a constant that the
  scenario sets in ``[set]`` keeps that value);
- the effect sizes of the scenarios' active measures marked ``sample`` in
  :mod:`sdmodel.scenarios.measures`;
- the calibrated constants, as whole rows of the calibration's bootstrap (``bootstrap.csv``:
  refits on resampled data, so their correlations are kept), when the calibration has one.

The same design (common random numbers) is used for every scenario, so differences between
scenarios are not sampling noise. :func:`run_uncertainty` returns quantile bands per month and
quantiles of the summary KPIs. The design is drawn whole, in the calling process; its rows are
then run in shards of :data:`sdmodel.scaleout.SHARD_RUNS` samples, in process or on a Dask
cluster (:class:`sdmodel.scaleout.Pool`), with the same bytes either way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.calendar import REPORT_YEAR, SCENARIO_PERIOD, month_dates
from sdmodel.errors import AsielketenError
from sdmodel.names import (
    CONTROL_NAMES,
    COST_KPIS,
    HISTORY_END_VARIABLE,
    INFLOW_BAND_VARIABLE,
)
from sdmodel.runs import Session
from sdmodel.scaleout import SHARD_RUNS, Pool, shards
from sdmodel.scenarios.inputs import scenario_series
from sdmodel.scenarios.measures import measure_variables
from sdmodel.scenarios.tables import POLICY_MARKERS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.engine.model import ChainModel
    from sdmodel.scenarios.scenario import Scenario

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
CALIBRATION_DRAW = "calibration (bootstrap row)"
DEFAULT_CHUNK = 1000
_CALIBRATED = re.compile(r"\bcalibrated\b", re.IGNORECASE)


@dataclass(frozen=True)
class Uncertain:
    """One sampled quantity.

    Attributes
    ----------
    name
        Vensim name; ``"<measure>.<effect>"`` for an effect size; :data:`CALIBRATION_DRAW`.
    kind
        ``"band"``, ``"constant"``, ``"effect"`` or ``"calibration"``.
    low, high
        The range sampled uniformly (for ``"calibration"``: row numbers of bootstrap.csv).
    default
        The value of the central run.
    source
        The .mdl comment or the effect's source and assumption.
    """

    name: str
    kind: str
    low: float
    high: float
    default: float
    source: str


@dataclass(frozen=True)
class Uncertainty:
    """The result of :func:`run_uncertainty`.

    Attributes
    ----------
    parameters
        What was sampled.
    design
        One row per sample, one column per parameter (sampled values; bootstrap row numbers).
    bands
        Long table ``scenario, series, date, q05, q25, q50, q75, q95``.
    summary
        Long table ``scenario, kpi, q05, q50, q95`` of the summary KPIs over the samples.
    seed
        The seed of the design (drawn and recorded when none was given).
    """

    parameters: tuple[Uncertain, ...]
    design: pd.DataFrame
    bands: pd.DataFrame
    summary: pd.DataFrame
    seed: int


def assumption_constants(model: ChainModel, *, calibrated: Collection[str]) -> list[Uncertain]:
    """Return the .mdl's uncalibrated ``assumption`` constants that the analysis samples.

    Excluded: constants that are calibrated (named in ``calibrated`` or "calibrated" in their
    comment), initial values (``initial ...``), policy inputs and capacity levers, inputs that a
    measure sets, the MPP band position (sampled as the band) and constants without a range.
    """
    doc = model.doc()
    skip = set(calibrated) | measure_variables() | set(CONTROL_NAMES) | {INFLOW_BAND_VARIABLE}
    out = []
    for row in doc[doc["kind"] == "constant"].itertuples():
        comment = str(row.comment)
        if ("assumption" not in comment or row.name in skip or row.name.startswith("initial ")
                or _CALIBRATED.search(comment) or POLICY_MARKERS.search(comment)
                or not row.min < row.max):
            continue
        out.append(Uncertain(row.name, "constant", float(row.min), float(row.max), np.nan,
                             comment))
    return out


def uncertain_parameters(scenarios: Sequence[Scenario], session: Session) -> list[Uncertain]:
    """Return everything the analysis samples for these scenarios (see the module docstring)."""
    params = [Uncertain(INFLOW_BAND_VARIABLE, "band", 0.0, 1.0, 0.5,
                        "MPP band (forecasts.csv): 0 = low, 1 = high")]
    for item in assumption_constants(session.model, calibrated=session.calibration.values):
        params.append(Uncertain(item.name, item.kind, item.low, item.high,
                                session.defaults[item.name], item.source))
    seen = set()
    for scenario in scenarios:
        for setting in scenario.active_measures:
            for effect in setting.active_effects():
                key = f"{setting.measure.name}.{effect.key}"
                if effect.sample and key not in seen:
                    seen.add(key)
                    params.append(Uncertain(key, "effect", effect.low, effect.high,
                                            effect.value, f"{effect.source}; "
                                            f"{effect.assumption or 'sourced range'}"))
    draws = bootstrap_draws(session)
    if draws is not None:
        params.append(Uncertain(CALIBRATION_DRAW, "calibration", 0, len(draws) - 1, np.nan,
                                f"{session.calibration.directory}/bootstrap.csv"))
    return params


def bootstrap_draws(session: Session) -> pd.DataFrame | None:
    """Return the calibration's bootstrap refits (one row each, tied constants added), or None."""
    import pandas as pd

    folder = session.calibration.directory
    if folder is None or not (folder / "bootstrap.csv").is_file():
        return None
    draws = pd.read_csv(folder / "bootstrap.csv")
    fitted = pd.read_csv(folder / "parameters.csv")
    if "tied_to" in fitted.columns:
        for row in fitted.dropna(subset=["tied_to"]).itertuples():
            if row.tied_to in draws.columns:
                draws[row.name] = draws[row.tied_to]
    unknown = set(draws.columns) - set(session.defaults)
    if unknown or draws.empty:
        return None
    return draws


def latin_hypercube(parameters: Sequence[Uncertain], samples: int, *, seed: int
                    ) -> pd.DataFrame:
    """Return a Latin-hypercube design: one row per sample, values within each range.

    Bootstrap rows are drawn as whole numbers from ``low`` to ``high``.
    """
    import pandas as pd
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(parameters), seed=seed).random(samples)
    columns = {}
    for j, p in enumerate(parameters):
        if p.kind == "calibration":
            columns[p.name] = np.floor(unit[:, j] * (p.high + 1)).astype(int)
        else:
            columns[p.name] = p.low + unit[:, j] * (p.high - p.low)
    return pd.DataFrame(columns)


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
        Seed of the design; ``None`` draws one (recorded in the result).
    chunk_size
        Runs per batch call (memory: about 50 time series x 1,057 steps x 8 bytes per run).
    pool
        Where the shards run (default: in this process); the result is the same.
    shard_runs
        Samples per shard.

    Raises
    ------
    AsielketenError
        If ``samples`` is less than 2.
    """
    import pandas as pd

    if samples < 2:
        raise AsielketenError(f"--samples {samples}: give at least 2 samples for bands")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    params = uncertain_parameters(scenarios, session)
    design = latin_hypercube(params, samples, seed=seed)
    kpis = sorted({k for ks in BAND_SERIES.values() for k in ks} | set(SUMMARY_KPIS))
    pool = pool or Pool()
    shared = pool.share(Ensemble(session, tuple(params), bootstrap_draws(session), tuple(kpis),
                                 max(int(chunk_size), 1)))
    pieces = [(s, design.iloc[lo:hi]) for s in scenarios for lo, hi in shards(samples, shard_runs)]
    results = iter(pool.map(run_shard, shared, pieces))
    band_rows, summary_rows = [], []
    for scenario in scenarios:
        parts = [next(results) for _ in shards(samples, shard_runs)]
        monthly = {k: np.concatenate([p[k] for p in parts], axis=1) for k in kpis}
        band_rows.append(_bands(scenario.name, monthly))
        summary_rows.append(_summary(scenario, monthly))
    return Uncertainty(tuple(params), design, pd.concat(band_rows, ignore_index=True),
                       pd.concat(summary_rows, ignore_index=True), seed)


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

    A missing (NaN) value in the design keeps the central value: the calibrated constant, the
    model default or the scenario's own effect size (the optimizer's MPP-band futures use
    this).

    Parameters
    ----------
    scenario
        Its ``[set]`` values are kept; its measures give the central effect sizes.
    session
        From :func:`sdmodel.runs.prepare`.
    params
        The sampled quantities (columns of ``design``).
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
    per_run = set(session.calibration.values) | set(scenario.overrides) | {INFLOW_BAND_VARIABLE}
    if draws is not None and CALIBRATION_DRAW in design:
        rows = design[CALIBRATION_DRAW].to_numpy(dtype=float)
        drawn = ~np.isnan(rows)
        for name in draws.columns:
            values = draws[name].to_numpy(dtype=float)[np.where(drawn, rows, 0).astype(int)]
            base[name] = np.where(drawn, values, base[name])
        per_run |= set(draws.columns)
    base[INFLOW_BAND_VARIABLE] = design[INFLOW_BAND_VARIABLE].to_numpy(dtype=float)
    constants = {name: np.broadcast_to(np.asarray(base[name], dtype=float), (n,)).copy()
                 for name in sorted(per_run)}
    future = times[:, None] >= float(np.max(base.get(HISTORY_END_VARIABLE, 0.0)))
    series = {}
    for p in params:
        if p.kind == "constant" and p.name not in scenario.overrides:  # [set] values are kept
            values = np.where(np.isnan(design[p.name]), base[p.name], design[p.name])
            series[p.name] = np.array(np.where(future, values[None, :], base[p.name]),
                                      order=series_order())
    settings = {m.measure.name: m for m in scenario.active_measures}
    effects = {}
    for p in params:
        if p.kind == "effect":
            measure, key = p.name.split(".", 1)
            sampled = design[p.name].to_numpy(dtype=float)
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
    futures = future_inputs(scenario, session, params, design, draws)
    inputs: dict[str, object] = {**futures.constants, **futures.series}
    inputs.update(scenario_series(scenario, base=futures.base, times=session.batch.time_grid(),
                                  limits=session.limits, effect_values=futures.effects, n=n))
    return run_monthly(session.batch, inputs, n=n, kpis=kpis)


def _period_rows(months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dates = month_dates(months)
    period = (dates >= SCENARIO_PERIOD[0]) & (dates <= SCENARIO_PERIOD[1])
    return dates, period, np.asarray(dates.year)


def _bands(name: str, monthly: dict[str, np.ndarray]) -> pd.DataFrame:
    import pandas as pd

    frames = []
    for series, parts in BAND_SERIES.items():
        values = sum(monthly[k] for k in parts)
        dates, _, _ = _period_rows(values.shape[0])
        q = np.quantile(values, QUANTILES, axis=1)
        frame = pd.DataFrame({f"q{round(p * 100):02d}": q[i] for i, p in enumerate(QUANTILES)})
        frame.insert(0, "date", dates)
        frame.insert(0, "series", series)
        frame.insert(0, "scenario", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _summary(scenario: Scenario, monthly: dict[str, np.ndarray]) -> pd.DataFrame:
    import pandas as pd

    coa = monthly["coa_occupancy_total"]
    _, period, years = _period_rows(coa.shape[0])
    in_year = years == REPORT_YEAR
    limits = scenario.thresholds
    coa_limit = (limits.coa_occupancy if limits.coa_occupancy is not None
                 else limits.coa_occupancy_share * monthly["coa_regular_capacity"])
    cost = sum(monthly[c] for c in COST_KPIS)
    n_years = len(set(years[period]))
    court = monthly["court_appeals_pending"] + monthly["court_status_appeals_pending"]
    metrics = {
        "coa_peak": coa[period].max(axis=0),
        "coa_2030": coa[in_year].mean(axis=0),
        "coa_months_above_threshold": (coa > coa_limit)[period].sum(axis=0),
        "ter_apel_months_above_threshold":
            (monthly["ter_apel_occupancy"] > limits.ter_apel)[period].sum(axis=0),
        "ind_backlog_2030": monthly["ind_pending_asylum"][in_year].mean(axis=0),
        "court_backlog_2030": court[in_year].mean(axis=0),
        "status_holders_waiting_2030": monthly["coa_status_holders_waiting"][in_year].mean(axis=0),
        "undocumented_on_street_2030": monthly["undocumented_on_street"][in_year].mean(axis=0),
        "cost_total_meur": cost[period].sum(axis=0) / n_years / 1e6,
    }
    rows = []
    for kpi, values in metrics.items():
        q05, q50, q95 = np.quantile(values.astype(float), (0.05, 0.5, 0.95))
        rows.append({"scenario": scenario.name, "kpi": kpi, "q05": q05, "q50": q50, "q95": q95})
    return pd.DataFrame(rows).round({"q05": 1, "q50": 1, "q95": 1})
