"""Break-even inflow effect: how much the future inflow would have to change for a scenario's
KPI to equal the reference's (``asielketen breakeven``).

The knob is the .mdl's ``future inflow change`` (:data:`~sdmodel.names.INFLOW_CHANGE_VARIABLE`,
a scenario file's ``[inflow] change``): every future external inflow times ``1 + change`` from
the end of the history. The break-even change ``c`` solves ``KPI_scenario(c) = KPI_reference``
for a KPI of one year (:data:`~sdmodel.analysis.kpi_arrays.YEAR_KPIS`). The scenario is first
run on a grid of changes over the .mdl's range (one batch run: the curve of the figure) to find
the bracket whose root lies nearest 0; :func:`scipy.optimize.brentq` then finds the root.

Over the ensemble of futures (:mod:`sdmodel.analysis.ensemble_runs`, the uncertainty
analysis' design) the same is solved in every future against the reference in that future, all
futures at once: the grid runs once per future, then
:func:`scipy.optimize.elementwise.find_root` (Chandrupatla's bracketing method, elementwise)
runs every future still unsolved in one batch per iteration. The measures' own inflow effects
(``inflow_effect``, no source quantifies one) are held at the scenario's values there, so the
break-even change is the whole deterrence the scenario would need.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.analysis.kpi_arrays import YEAR_KPIS, check_year_kpi, year_kpi
from sdmodel.engine import Backend
from sdmodel.errors import AsielketenError
from sdmodel.names import INFLOW_CHANGE_VARIABLE
from sdmodel.runs import Session, prepare
from sdmodel.scenarios.scenario import DEFAULT_SCENARIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.ensemble_runs import Futures
    from sdmodel.scenarios.scenario import Scenario

GRID: tuple[float, ...] = (-0.9, -0.6, -0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.25, 0.5, 1.0, 2.0)
"""Inflow changes the scenario is run at first (clipped to the .mdl's range)."""
FUTURE_GRID: tuple[float, ...] = (-0.9, -0.5, -0.25, 0.0, 0.5, 2.0)
"""The coarser grid that brackets the root in every future."""
XTOL = 1e-5
"""Absolute tolerance of the break-even change (0.001 percentage point)."""
QUANTILES: tuple[float, ...] = (0.05, 0.5, 0.95)
INFLOW_EFFECT = "inflow_effect"
"""The measures' own (unsourced) inflow effect, held in the ensemble."""


@dataclass(frozen=True)
class BreakEven:
    """The result of :func:`solve_breakeven`.

    Attributes
    ----------
    scenario, reference
        The scenario whose inflow is changed, and the one it is held against.
    kpi, year
        The KPI (:data:`~sdmodel.analysis.kpi_arrays.YEAR_KPIS`) and its year.
    inflow_change
        The break-even change (a fraction); NaN if the KPI does not reach the reference's
        within the .mdl's range.
    kpi_reference
        The reference's KPI.
    kpi_scenario
        The scenario's KPI as loaded (its own inflow change, 0 unless set).
    kpi_at_breakeven
        The scenario's KPI at the break-even change (a check: equal to the reference's).
    curve
        ``inflow_change, kpi``: the scenario's KPI on :data:`GRID`.
    bounds
        The .mdl's range of the change.
    assumed
        The range the scenario's measures' own inflow effects may take together (the sum of
        their ``inflow_effect`` ranges, within the .mdl's range of ``inflow effect of
        measures``): an assumption, no source gives a figure.
    session
        The model and calibration used.
    futures
        The ensemble, or ``None``.
    per_future
        ``future, inflow_change, kpi_reference, kpi_at_breakeven``, one row per future (NaN
        where there is no break-even in range), or ``None``.
    """

    scenario: Scenario
    reference: Scenario
    kpi: str
    year: int
    inflow_change: float
    kpi_reference: float
    kpi_scenario: float
    kpi_at_breakeven: float
    curve: pd.DataFrame
    bounds: tuple[float, float]
    assumed: tuple[float, float]
    session: Session
    futures: Futures | None = None
    per_future: pd.DataFrame | None = None

    @property
    def samples(self) -> int:
        """Futures of the ensemble (0 without one)."""
        return 0 if self.futures is None else self.futures.n

    def band(self) -> dict[str, float]:
        """``q05, q50, q95`` of the break-even change over the futures where it exists, and
        ``share_found`` (NaN without an ensemble)."""
        if self.per_future is None:
            return {"q05": np.nan, "q50": np.nan, "q95": np.nan, "share_found": np.nan}
        values = self.per_future["inflow_change"].to_numpy(dtype=float)
        found = values[~np.isnan(values)]
        q = np.quantile(found, QUANTILES) if len(found) else [np.nan] * len(QUANTILES)
        return {**{f"q{round(p * 100):02d}": float(x) for p, x in zip(QUANTILES, q,
                                                                       strict=True)},
                "share_found": len(found) / len(values)}


def with_change(scenario: Scenario, change: float, *, name: str | None = None) -> Scenario:
    """``scenario`` with ``[inflow] change = change``."""
    return dataclasses.replace(scenario, name=name or scenario.name,
                               overrides={**scenario.overrides, INFLOW_CHANGE_VARIABLE: change})


def bracket(changes: np.ndarray, gaps: np.ndarray) -> tuple[float, float] | None:
    """The bracket of the root nearest 0 on a grid: ``(a, b)`` with ``gaps`` of opposite sign
    (or a grid point where the gap is 0, as ``(c, c)``); ``None`` if the sign never changes.

    ``gaps``: ``KPI(change) - reference`` at the grid's ``changes`` (ascending).
    """
    candidates = [(abs(c), (c, c)) for c, g in zip(changes, gaps, strict=True) if g == 0]
    for i in range(len(changes) - 1):
        if np.sign(gaps[i]) * np.sign(gaps[i + 1]) < 0:
            a, b = float(changes[i]), float(changes[i + 1])
            candidates.append((0.0 if a <= 0 <= b else min(abs(a), abs(b)), (a, b)))
    return min(candidates)[1] if candidates else None


def assumed_inflow_effect(scenario: Scenario, session: Session) -> tuple[float, float]:
    """The range of the scenario's measures' inflow effects together (see :class:`BreakEven`)."""
    effects = [m.measure.effect(INFLOW_EFFECT) for m in scenario.active_measures
               if INFLOW_EFFECT in {e.key for e in m.active_effects()}]
    low, high = sum(e.low for e in effects), sum(e.high for e in effects)
    variables = {v for e in effects for v in e.variables}
    for variable in variables:
        if variable in session.limits:
            floor, ceiling = session.limits[variable]
            low, high = max(low, floor), min(high, ceiling)
    return float(low), float(high)


def _grid(values: tuple[float, ...], bounds: tuple[float, float]) -> np.ndarray:
    return np.unique(np.clip(np.array(values), *bounds))


def solve_breakeven(scenario: Scenario, reference: Scenario, session: Session, *, kpi: str,
                    year: int, samples: int = 0, seed: int | None = None,
                    engine: Backend | None = None) -> BreakEven:
    """The inflow change at which ``scenario``'s KPI equals ``reference``'s.

    Parameters
    ----------
    scenario, reference
        Loaded scenarios.
    session
        From :func:`sdmodel.runs.prepare`.
    kpi, year
        A KPI of one year (``coa``, ``coa_emergency``, ...; ``coa_2030`` for 2030) and the year.
    samples
        Futures of the uncertainty ensemble for the distribution; 0 for none.
    seed
        Seed of the ensemble's design; ``None`` draws one.
    engine
        Batch backend (default: the fastest installed).

    Raises
    ------
    AsielketenError
        For an unknown KPI, a year outside the scenario years of the run, a model without the
        inflow change, or a single sample.
    """
    import pandas as pd
    from scipy.optimize import brentq

    from sdmodel.analysis.attribution import Valuation, run_coalitions
    from sdmodel.engine.batch_kpis import month_starts

    kpi, year = check_year_kpi(kpi, year, months=len(month_starts(session.batch)) - 1)
    if INFLOW_CHANGE_VARIABLE not in session.limits:
        raise AsielketenError(f"the model has no constant '{INFLOW_CHANGE_VARIABLE}' with a "
                              "range; break-even analysis needs it (see models/asielketen.mdl)")
    bounds = session.limits[INFLOW_CHANGE_VARIABLE]
    valuation = Valuation(YEAR_KPIS[kpi].parts,
                          lambda monthly, _t: {kpi: year_kpi(monthly, kpi, year)})
    grid = _grid(GRID, bounds)
    runs = [reference, scenario, *(with_change(scenario, float(c), name=f"{scenario.name}@{c:g}")
                                   for c in grid)]
    if runs[0].name == runs[1].name:
        runs[0] = dataclasses.replace(reference, name=f"{reference.name} (reference)")
    values = run_coalitions(runs, session, valuation=valuation, engine=engine)[kpi]
    target, own, curve = float(values[0]), float(values[1]), values[2:]

    def kpi_at(change: float) -> float:
        run = [with_change(scenario, float(change))]
        return float(run_coalitions(run, session, valuation=valuation, engine=engine)[kpi][0])

    found = bracket(grid, curve - target)
    change = at = np.nan
    if found is not None:
        a, b = found
        change = a if a == b else brentq(lambda c: kpi_at(c) - target, a, b, xtol=XTOL)
        at = kpi_at(change)
    futures = per_future = None
    if samples:
        futures, per_future = _over_futures(scenario, reference, session, kpi=kpi, year=year,
                                            samples=samples, seed=seed, bounds=bounds)
    return BreakEven(scenario, reference, kpi, year, float(change), target, own, float(at),
                     pd.DataFrame({"inflow_change": grid, "kpi": curve}), bounds,
                     assumed_inflow_effect(scenario, session), session, futures, per_future)


def _over_futures(scenario: Scenario, reference: Scenario, session: Session, *, kpi: str,
                  year: int, samples: int, seed: int | None, bounds: tuple[float, float]
                  ) -> tuple[Futures, pd.DataFrame]:
    """The break-even change in every future of the ensemble (see the module docstring)."""
    import pandas as pd
    from scipy.optimize.elementwise import find_root

    from sdmodel.analysis.ensemble_runs import draw_futures, future_params, run_params, select

    hold = {f"{m.measure.name}.{INFLOW_EFFECT}" for m in scenario.active_measures}
    futures = draw_futures([reference, scenario], session, samples=samples, seed=seed,
                           hold=hold)
    parts = YEAR_KPIS[kpi].parts
    changed = {v for s in (scenario, reference) for m in s.active_measures
               for e in m.active_effects() for v in e.variables}

    def kpis_of(params_list: list[dict[str, np.ndarray]]) -> np.ndarray:
        return year_kpi(run_params(params_list, session, kpis=parts), kpi, year)

    target = kpis_of([future_params(reference, session, futures, inputs_also=changed)])
    params = future_params(with_change(scenario, 0.0), session, futures, inputs_also=changed)

    def at(change: np.ndarray, runs: np.ndarray) -> dict[str, np.ndarray]:
        chosen = select(params, runs.astype(int))
        chosen[INFLOW_CHANGE_VARIABLE] = np.asarray(change, dtype=float)
        return chosen

    grid = _grid(FUTURE_GRID, bounds)
    every = np.arange(futures.n)
    gaps = kpis_of([at(np.full(futures.n, c), every) for c in grid]).reshape(len(grid), -1)
    gaps = gaps - target[None, :]
    low, high = np.full(futures.n, np.nan), np.full(futures.n, np.nan)
    for f in range(futures.n):
        found = bracket(grid, gaps[:, f])
        if found is not None:
            low[f], high[f] = found
    change = np.where(low == high, low, np.nan)
    open_ = np.flatnonzero(~np.isnan(low) & (low < high))
    if len(open_):
        def gap(x: np.ndarray, runs: np.ndarray) -> np.ndarray:
            x, runs = np.atleast_1d(x), np.atleast_1d(runs)
            return kpis_of([at(x, runs)]) - target[runs.astype(int)]

        result = find_root(gap, (low[open_], high[open_]), args=(open_.astype(float),),
                           tolerances={"xatol": XTOL, "xrtol": 0.0})
        change[open_] = np.where(result.success, result.x, np.nan)
    solved = np.flatnonzero(~np.isnan(change))
    check = np.full(futures.n, np.nan)
    if len(solved):
        check[solved] = kpis_of([at(change[solved], solved)])
    table = pd.DataFrame({"future": every, "inflow_change": change, "kpi_reference": target,
                          "kpi_at_breakeven": check})
    return futures, table


def breakeven(scenario: str | Path, *, kpi: str, year: int,
              against: str | Path = DEFAULT_SCENARIO, model_path: Path | str | None = None,
              calibration: str | None = None, session: Session | None = None,
              samples: int = 0, seed: int | None = None,
              engine: Backend | None = None) -> BreakEven:
    """Load ``scenario`` and the reference ``against`` and solve the break-even inflow change
    (:func:`solve_breakeven`); the front door of ``asielketen breakeven``.

    Raises
    ------
    AsielketenError
        For a scenario that does not load or has no measures, and see
        :func:`solve_breakeven`.
    """
    from sdmodel.analysis.kpi_arrays import check_year_kpi as check
    from sdmodel.engine.batch_kpis import month_starts
    from sdmodel.scenarios.scenario import load_scenario

    if samples == 1:
        raise AsielketenError("--samples 1: give at least 2 samples for a band (or 0)")
    session = session or prepare(model_path, calibration=calibration)
    check(kpi, year, months=len(month_starts(session.batch)) - 1)  # before loading anything
    loaded = load_scenario(scenario, model=session.model)
    reference = load_scenario(against, model=session.model)
    if not loaded.active_measures:
        raise AsielketenError(
            f"scenario '{loaded.name}' has no measures switched on, so no law needs to pay "
            "off; give a scenario with [measures], e.g. wetten-zoals-aangenomen")
    return solve_breakeven(loaded, reference, session, kpi=kpi, year=year, samples=samples,
                           seed=seed, engine=engine)
