"""Attribution per measure: how much of a scenario's difference from the reference each measure
causes (``asielketen decompose``).

The players are the scenario's measure settings that differ from the reference's (a measure
switched on, or set otherwise), plus, if the scenario differs in anything else (constants, the
inflow band or change, capacity funding), one player ``other`` for all of that. A coalition is
the reference with the settings of its players replaced by the scenario's: it is built as a
scenario (:func:`coalition`), so its inputs come from
:func:`sdmodel.scenarios.inputs.schedule_inputs` like any scenario's, and a law element that
several bills carry counts once in every coalition that has one of them. All ``2**k``
coalitions run in one batch (:func:`attribute`); :mod:`sdmodel.analysis.shapley` splits the
difference of each KPI of ``kpis.csv`` into exact Shapley values, each measure alone and each
left out. Months above a threshold are counted against the scenario's thresholds in every run.

With ``samples`` the same is done in every future of the uncertainty analysis' ensemble
(:mod:`sdmodel.analysis.ensemble_runs`): quantiles of each share over the futures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.analysis import shapley as S
from sdmodel.analysis.kpi_arrays import TABLE_MONTHLY, table_kpis
from sdmodel.engine import Backend
from sdmodel.errors import AsielketenError
from sdmodel.runs import Session, prepare
from sdmodel.scenarios.scenario import DEFAULT_SCENARIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.ensemble_runs import Futures
    from sdmodel.scenarios.measures import MeasureSetting
    from sdmodel.scenarios.scenario import Scenario
    from sdmodel.scenarios.tables import Thresholds

OTHER = "other"
"""The player for everything but the measures in which the scenario differs from the
reference (constants, inflow band and change, capacity funding)."""
QUANTILES: tuple[float, ...] = (0.05, 0.5, 0.95)
"""Quantiles of the bands over the futures (the 90% interval and the median)."""
KEY_KPIS: tuple[str, ...] = ("coa_2030", "coa_emergency_2030", "cost_total_meur")
"""The KPIs with a waterfall figure."""


@dataclass(frozen=True)
class Valuation:
    """What a run is worth: the monthly KPIs needed and the KPIs computed from them.

    Attributes
    ----------
    monthly
        Monthly KPIs (:data:`sdmodel.names.KPIS`) to simulate.
    compute
        ``(monthly arrays (months, runs), thresholds) -> KPI -> (runs,)``.
    """

    monthly: tuple[str, ...]
    compute: Callable[[Mapping[str, np.ndarray], Thresholds], dict[str, np.ndarray]]


TABLE_VALUATION = Valuation(TABLE_MONTHLY, table_kpis)
"""The numeric KPIs of ``kpis.csv``."""


@dataclass(frozen=True)
class Attribution:
    """The result of :func:`attribute`.

    Attributes
    ----------
    scenario, reference
        What is decomposed, and against what.
    players
        Measure names (and :data:`OTHER`), in the order of the scenario file.
    coalitions
        The ``2**k`` scenarios run: coalition ``S`` at index ``sum(2**i for i in S)``.
    values
        KPI -> ``(2**k,)``: the KPI of every coalition (the central run).
    totals
        ``kpi, reference, scenario, delta``.
    table
        ``kpi, measure, shapley, alone, without`` (the central run).
    session
        The model and calibration used.
    bands
        ``kpi, measure, statistic, q05, q50, q95`` over the futures (``statistic``: shapley,
        alone, without or, with measure ``total``, delta); ``None`` without samples.
    futures
        The ensemble behind the bands, or ``None``.
    """

    scenario: Scenario
    reference: Scenario
    players: tuple[str, ...]
    coalitions: tuple[Scenario, ...]
    values: dict[str, np.ndarray]
    totals: pd.DataFrame
    table: pd.DataFrame
    session: Session
    bands: pd.DataFrame | None = None
    futures: Futures | None = None

    @property
    def samples(self) -> int:
        """Futures behind the bands (0 without them)."""
        return 0 if self.futures is None else self.futures.n


def _active(setting: MeasureSetting | None) -> bool:
    return setting is not None and setting.enabled and not setting.schedule.is_zero


def _settings(scenario: Scenario) -> dict[str, MeasureSetting]:
    return {m.measure.name: m for m in scenario.measures}


def players(scenario: Scenario, reference: Scenario, session: Session) -> tuple[str, ...]:
    """The measures (and :data:`OTHER`) in which ``scenario`` differs from ``reference``.

    Raises
    ------
    AsielketenError
        If the scenario has no active measures, does not differ from the reference, has more
        than :data:`~sdmodel.analysis.shapley.MAX_PLAYERS` players, or has a custom inflow
        series other than the reference's.
    """
    if not scenario.active_measures:
        raise AsielketenError(
            f"scenario '{scenario.name}' has no measures switched on, so there is nothing to "
            "decompose; give a scenario with [measures], e.g. alle-maatregelen")
    if scenario.inflow_series != reference.inflow_series:
        raise AsielketenError(
            f"scenario '{scenario.name}' has a custom inflow series that the reference "
            f"'{reference.name}' does not share; decompose it against a reference with the same "
            "[inflow] first_applications_per_month")
    ours, theirs = _settings(scenario), _settings(reference)
    out = []
    for name in [*ours, *(n for n in theirs if n not in ours)]:
        mine, other = ours.get(name), theirs.get(name)
        if _active(mine) != _active(other) or (_active(mine) and mine != other):
            out.append(name)
    if (session.base(scenario) != session.base(reference)
            or scenario.capacity != reference.capacity):
        out.append(OTHER)
    if not out:
        raise AsielketenError(f"scenario '{scenario.name}' does not differ from the reference "
                              f"'{reference.name}'; choose another --against")
    if len(out) > S.MAX_PLAYERS:
        raise AsielketenError(f"scenario '{scenario.name}' differs in {len(out)} measures; the "
                              f"exact decomposition takes at most {S.MAX_PLAYERS}")
    return tuple(out)


def coalition(scenario: Scenario, reference: Scenario, chosen: Sequence[str],
              order: Sequence[str]) -> Scenario:
    """The reference with the settings of the ``chosen`` players taken from ``scenario``.

    Every coalition lists the same measures in the same order (``order``: the scenario's, then
    the reference's others); a measure that a side does not have is switched off. Thresholds
    are the scenario's.
    """
    ours, theirs = _settings(scenario), _settings(reference)
    measures = []
    for name in order:
        source, fallback = (ours, theirs) if name in chosen else (theirs, ours)
        setting = source.get(name)
        if setting is None:
            setting = dataclasses.replace(fallback[name], enabled=False)
        measures.append(setting)
    rest = scenario if OTHER in chosen else reference
    label = "+".join(p for p in chosen) or "reference"
    return dataclasses.replace(
        rest, name=f"{scenario.name}[{label}]", measures=tuple(measures),
        thresholds=scenario.thresholds, description=f"{scenario.name}: {label}")


def coalitions(scenario: Scenario, reference: Scenario, chosen: Sequence[str]
               ) -> tuple[Scenario, ...]:
    """The ``2**k`` coalitions of the players ``chosen`` (index ``sum(2**i for i in S)``)."""
    order = [*_settings(scenario), *(n for n in _settings(reference)
                                      if n not in _settings(scenario))]
    inside = S.members(len(chosen))
    return tuple(coalition(scenario, reference, [p for i, p in enumerate(chosen) if inside[i, s]],
                           order) for s in range(2 ** len(chosen)))


def run_coalitions(scenarios: Sequence[Scenario], session: Session, *, valuation: Valuation,
                   engine: Backend | None = None) -> dict[str, np.ndarray]:
    """KPIs of scenarios run side by side in one batch run: KPI -> ``(len(scenarios),)``.

    The runs start from the session's constants (defaults, calibration, each scenario's
    ``[set]``) with each scenario's time-varying inputs, as
    :func:`sdmodel.runs.run_scenarios` runs them; the KPIs are counted against the first
    scenario's thresholds.
    """
    from sdmodel.engine.batch_kpis import run_monthly
    from sdmodel.scenarios.inputs import scenario_series

    times = session.batch.time_grid()
    bases = [session.base(s) for s in scenarios]
    series = [scenario_series(s, base=b, times=times, limits=session.limits)
              for s, b in zip(scenarios, bases, strict=True)]
    params: dict[str, object] = {}
    for name in sorted(set(session.calibration.values).union(*(s.overrides for s in scenarios))):
        params[name] = np.array([b[name] for b in bases])
    for name in sorted(set().union(*series)):
        params[name] = np.column_stack([s.get(name, np.full(len(times), b[name]))
                                        for s, b in zip(series, bases, strict=True)])
    monthly = run_monthly(session.batch, params, n=len(scenarios), kpis=list(valuation.monthly),
                          engine=engine)
    return valuation.compute(monthly, scenarios[0].thresholds)


def run_coalitions_futures(scenarios: Sequence[Scenario], session: Session, futures: Futures,
                           *, valuation: Valuation) -> dict[str, np.ndarray]:
    """KPIs of scenarios in every future: KPI -> ``(len(scenarios), futures)``; groups of
    scenarios x futures run in batches of about
    :data:`~sdmodel.analysis.ensemble_runs.CHUNK_RUNS` runs."""
    from sdmodel.analysis.ensemble_runs import CHUNK_RUNS, future_params, run_params
    from sdmodel.analysis.uncertainty import future_inputs
    changed = {v for s in scenarios for m in s.active_measures for e in m.active_effects()
               for v in e.variables} | {c.lever.variable for s in scenarios for c in s.capacity}
    group = max(1, CHUNK_RUNS // futures.n)
    parts: list[dict[str, np.ndarray]] = []
    shared = {}  # the futures' inputs of the coalitions with the same constants
    for s in scenarios:
        key = tuple(sorted(s.overrides.items()))
        if key not in shared:
            shared[key] = future_inputs(s, session, futures.parameters, futures.design,
                                        futures.draws)
    for lo in range(0, len(scenarios), group):
        params = [future_params(s, session, futures, inputs_also=changed,
                                inputs=shared[tuple(sorted(s.overrides.items()))])
                  for s in scenarios[lo:lo + group]]
        monthly = run_params(params, session, kpis=valuation.monthly)
        parts.append(valuation.compute(monthly, scenarios[0].thresholds))
    return {k: np.concatenate([p[k] for p in parts]).reshape(len(scenarios), futures.n)
            for k in parts[0]}


def attribute(scenario: Scenario, reference: Scenario, session: Session, *,
              samples: int = 0, seed: int | None = None, engine: Backend | None = None,
              valuation: Valuation = TABLE_VALUATION) -> Attribution:
    """Decompose the difference between ``scenario`` and ``reference`` over the players.

    Parameters
    ----------
    scenario, reference
        Loaded scenarios.
    session
        From :func:`sdmodel.runs.prepare`.
    samples
        Futures of the uncertainty ensemble for bands; 0 for none.
    seed
        Seed of the ensemble's design; ``None`` draws one (recorded).
    engine
        Batch backend of the central run (default: the fastest installed).
    valuation
        The KPIs (default: those of ``kpis.csv``).

    Raises
    ------
    AsielketenError
        See :func:`players`; a single sample.
    """
    import pandas as pd

    chosen = players(scenario, reference, session)
    runs = coalitions(scenario, reference, chosen)
    values = run_coalitions(runs, session, valuation=valuation, engine=engine)
    totals, table = [], []
    for kpi, v in values.items():
        totals.append({"kpi": kpi, "reference": v[0], "scenario": v[-1], "delta": v[-1] - v[0]})
        for name, a, b, c in zip(chosen, S.shapley(v), S.alone(v), S.without(v), strict=True):
            table.append({"kpi": kpi, "measure": name, "shapley": a, "alone": b, "without": c})
    bands = futures = None
    if samples:
        from sdmodel.analysis.ensemble_runs import draw_futures

        futures = draw_futures([reference, scenario], session, samples=samples, seed=seed)
        spread = run_coalitions_futures(runs, session, futures, valuation=valuation)
        bands = band_table(spread, chosen)
    return Attribution(scenario, reference, chosen, runs, values, pd.DataFrame(totals),
                       pd.DataFrame(table), session, bands, futures)


def band_table(values: Mapping[str, np.ndarray], chosen: Sequence[str]) -> pd.DataFrame:
    """Quantiles over the futures of each player's shares and of the total difference.

    ``values``: KPI -> ``(2**k, futures)``. Rows ``kpi, measure, statistic, q05, q50, q95``.
    """
    import pandas as pd

    rows = []
    for kpi, v in values.items():
        stats = {"shapley": S.shapley(v), "alone": S.alone(v), "without": S.without(v)}
        for statistic, per_player in stats.items():
            for name, spread in zip(chosen, per_player, strict=True):
                rows.append({"kpi": kpi, "measure": name, "statistic": statistic,
                             **_quantiles(spread)})
        rows.append({"kpi": kpi, "measure": "total", "statistic": "delta",
                     **_quantiles(v[-1] - v[0])})
    return pd.DataFrame(rows)


def _quantiles(values: np.ndarray) -> dict[str, float]:
    q = np.quantile(values, QUANTILES)
    return {f"q{round(p * 100):02d}": float(x) for p, x in zip(QUANTILES, q, strict=True)}


def decompose(scenario: str | Path, *, against: str | Path = DEFAULT_SCENARIO,
              model_path: Path | str | None = None, calibration: str | None = None,
              session: Session | None = None, samples: int = 0, seed: int | None = None,
              engine: Backend | None = None) -> Attribution:
    """Load ``scenario`` and the reference ``against`` and decompose their difference
    (:func:`attribute`); the front door of ``asielketen decompose``.

    Raises
    ------
    AsielketenError
        For a scenario file that does not load, and see :func:`attribute`.
    """
    from sdmodel.scenarios.scenario import load_scenario

    if samples == 1:
        raise AsielketenError("--samples 1: give at least 2 samples for bands (or 0)")
    session = session or prepare(model_path, calibration=calibration)
    loaded = load_scenario(scenario, model=session.model)
    if not loaded.active_measures:
        players(loaded, loaded, session)  # its one-line error
    reference = load_scenario(against, model=session.model)
    if loaded.name == reference.name:
        raise AsielketenError(f"scenario '{loaded.name}' is its own reference; give another "
                              "--against (default: baseline)")
    return attribute(loaded, reference, session, samples=samples, seed=seed, engine=engine)
