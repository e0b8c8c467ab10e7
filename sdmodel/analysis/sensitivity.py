"""Global sensitivity of a scenario's KPIs to everything assumed: Sobol indices or Morris screening.

What varies is what the uncertainty bands sample
(:func:`sdmodel.analysis.uncertainty.uncertain_parameters`): the MPP inflow band, every
uncalibrated ``assumption`` constant of the .mdl over its range, the ``sample`` effect sizes of
the scenario's measures (:mod:`sdmodel.scenarios.measures`) over ``[low, high]`` and, when the
calibration has a bootstrap, the calibrated constants as one factor (a bootstrap row). SALib draws
the design in the unit cube (:func:`sample_unit`: Saltelli/Sobol' sequence for ``"sobol"``,
``N (D + 2)`` runs; Morris trajectories for ``"morris"``, ``N (D + 1)`` runs); :func:`to_values`
maps it onto the ranges; the scenario runs for every row in the batch simulator
(:func:`sdmodel.analysis.design_runs.run_design`); :func:`analyse` turns the KPIs into indices:

- Sobol: first-order ``S1`` and total ``ST`` indices with their 95% bootstrap confidence
  half-widths (``S1_conf``, ``ST_conf``);
- Morris: ``mu_star`` (mean absolute elementary effect, in KPI units per full range) with its
  confidence half-width, and ``sigma`` (spread: non-linearity and interactions).

A KPI that does not vary over the design (e.g. no emergency reception in any future) has no
indices (NaN).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from sdmodel.analysis.uncertainty import Uncertain
from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.runs import Session
    from sdmodel.scaleout import Pool
    from sdmodel.scenarios.scenario import Scenario

Method = Literal["sobol", "morris"]
"""Sobol' variance decomposition or Morris elementary effects."""
METHODS: tuple[str, ...] = get_args(Method)
MIN_SAMPLES: dict[str, int] = {"sobol": 16, "morris": 4}
"""Fewest base samples (Sobol) or trajectories (Morris) that give confidence intervals."""
MORRIS_LEVELS = 4
RESAMPLES = 200
"""Bootstrap resamples behind the confidence intervals."""
KEY_KPIS: tuple[str, ...] = ("coa_2030", "coa_emergency_2030", "coa_months_above_threshold",
                             "cost_total_meur")
"""The KPIs that get a tornado chart (when analysed)."""
TOP = 10
"""Parameters per tornado chart."""
INDEX_COLUMNS: dict[str, tuple[str, ...]] = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma"),
}


@dataclass(frozen=True)
class Sensitivity:
    """The result of :func:`run_sensitivity`.

    Attributes
    ----------
    scenario
        The scenario analysed.
    method
        ``"sobol"`` or ``"morris"``.
    samples
        Base samples (Sobol) or trajectories (Morris).
    parameters
        What was varied, in design column order.
    indices
        Long table ``parameter, kpi`` and the columns of :data:`INDEX_COLUMNS`.
    outputs
        Per KPI over the design's runs: ``kpi, mean, std, min, max``.
    runs
        Model runs made.
    seed
        Seed of the design.
    session
        The model and calibration used.
    """

    scenario: Scenario
    method: Method
    samples: int
    parameters: tuple[Uncertain, ...]
    indices: pd.DataFrame
    outputs: pd.DataFrame
    runs: int
    seed: int
    session: Session

    def top(self, kpi: str, n: int = TOP) -> pd.DataFrame:
        """The ``n`` most influential parameters of ``kpi`` (largest ST or mu_star first)."""
        key = "ST" if self.method == "sobol" else "mu_star"
        rows = self.indices[self.indices["kpi"] == kpi].dropna(subset=[key])
        return rows.sort_values(key, ascending=False).head(n)


def check_samples(method: str, samples: int) -> None:
    """Raise :class:`AsielketenError` for an unknown method or too few samples."""
    if method not in METHODS:
        raise AsielketenError(f"--method {method}: use one of {', '.join(METHODS)}")
    least = MIN_SAMPLES[method]
    if samples < least:
        what = "base samples" if method == "sobol" else "trajectories"
        raise AsielketenError(f"--samples {samples}: {method} needs at least {least} {what}")
    if method == "sobol" and samples & (samples - 1):
        low = 1 << (samples.bit_length() - 1)
        raise AsielketenError(f"--samples {samples}: Sobol' sequences need a power of two; "
                              f"use {low} or {low * 2}")


def design_runs(method: str, samples: int, n_parameters: int) -> int:
    """Model runs of a design: ``N (D + 2)`` for Sobol (no second order), ``N (D + 1)`` Morris."""
    return samples * (n_parameters + (2 if method == "sobol" else 1))


def sensitivity_parameters(scenario: Scenario, session: Session) -> list[Uncertain]:
    """What :func:`run_sensitivity` varies for ``scenario``: the uncertainty analysis's
    quantities, with only the effect sizes of the scenario's own active measures."""
    from sdmodel.analysis.uncertainty import uncertain_parameters

    active = {m.measure.name for m in scenario.active_measures}
    return [p for p in uncertain_parameters([scenario], session)
            if p.kind != "effect" or p.name.split(".", 1)[0] in active]


def _problem(parameters: Sequence[Uncertain]) -> dict:
    return {"num_vars": len(parameters), "names": [p.name for p in parameters],
            "bounds": [[0.0, 1.0]] * len(parameters)}


def sample_unit(parameters: Sequence[Uncertain], method: Method, samples: int, *,
                seed: int) -> np.ndarray:
    """SALib's design in the unit cube: ``(runs, D)``, see :func:`design_runs`."""
    import warnings

    problem = _problem(parameters)
    with warnings.catch_warnings():  # SALib warns about N itself; check_samples has checked it
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem, samples, calc_second_order=False, seed=seed)
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)


def to_values(parameters: Sequence[Uncertain], unit: np.ndarray) -> pd.DataFrame:
    """Map a unit-cube design onto the parameters' ranges (a bootstrap row: a whole number)."""
    import pandas as pd

    columns = {}
    for j, p in enumerate(parameters):
        if p.kind == "calibration":
            rows = np.floor(unit[:, j] * (p.high + 1))
            columns[p.name] = np.clip(rows, p.low, p.high).astype(int)
        else:
            columns[p.name] = p.low + unit[:, j] * (p.high - p.low)
    return pd.DataFrame(columns)


def analyse(parameters: Sequence[Uncertain], method: Method, unit: np.ndarray,
            outputs: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    """Sensitivity indices of every output column (see the module docstring).

    Parameters
    ----------
    parameters
        The varied quantities (the columns of ``unit``).
    method
        ``"sobol"`` or ``"morris"``: as the design was drawn.
    unit
        The design in the unit cube (:func:`sample_unit`).
    outputs
        One column per KPI, one row per design row.
    seed
        Seed of the bootstrap behind the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        ``parameter, kpi`` and the columns of :data:`INDEX_COLUMNS`, one row per pair.
    """
    import warnings

    import pandas as pd

    problem = _problem(parameters)
    names = problem["names"]
    frames = []
    for kpi in outputs.columns:
        y = outputs[kpi].to_numpy(dtype=float)
        frame = pd.DataFrame({"parameter": names, "kpi": kpi})
        if not np.all(np.isfinite(y)) or np.ptp(y) <= 1e-9 * max(np.abs(y).max(), 1.0):
            for column in INDEX_COLUMNS[method]:
                frame[column] = np.nan
            frames.append(frame)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "sobol":
                from SALib.analyze import sobol

                result = sobol.analyze(problem, y, calc_second_order=False,
                                       num_resamples=RESAMPLES, seed=seed)
            else:
                from SALib.analyze import morris

                result = morris.analyze(problem, unit, y, num_resamples=RESAMPLES,
                                        num_levels=MORRIS_LEVELS, seed=seed)
        for column in INDEX_COLUMNS[method]:
            frame[column] = np.asarray(result[column], dtype=float)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def run_sensitivity(
    scenario: str,
    *,
    method: Method = "sobol",
    samples: int,
    kpis: Sequence[str] = (),
    seed: int | None = None,
    model_path: str | None = None,
    calibration: str | None = None,
    session: Session | None = None,
    pool: Pool | None = None,
    progress: bool = False,
) -> Sensitivity:
    """Vary every assumption of a scenario at once and rank what drives its KPIs.

    Parameters
    ----------
    scenario
        Scenario name in ``models/scenarios/`` or a TOML file.
    method
        ``"sobol"`` (indices with confidence) or ``"morris"`` (cheaper screening).
    samples
        Base samples N (Sobol, a power of two) or trajectories (Morris); see
        :func:`design_runs` for the runs this makes.
    kpis
        KPI names (:func:`sdmodel.analysis.run_kpis.parse_kpi`); default every kpis.csv column.
    seed
        Seed of the design and of the bootstrap; ``None`` draws one (recorded).
    model_path, calibration
        As in :func:`sdmodel.runs.prepare` (ignored when ``session`` is given).
    session
        A prepared model, to reuse.
    pool
        Where the runs go (default: in this process); the result is the same.
    progress
        Show a progress bar.

    Raises
    ------
    AsielketenError
        For an unknown method or KPI, a KPI year outside the run, too few samples, or a
        scenario that does not load.
    """
    import pandas as pd

    from sdmodel.analysis.design_runs import run_design
    from sdmodel.analysis.run_kpis import check_years, parse_kpi
    from sdmodel.engine.batch_kpis import month_starts
    from sdmodel.runs import prepare
    from sdmodel.scenarios.scenario import load_scenario

    check_samples(method, samples)
    specs = [parse_kpi(k) for k in (kpis or default_kpis())]
    if len({s.name for s in specs}) != len(specs):
        raise AsielketenError("--kpi: each KPI once, please")
    session = session or prepare(model_path, calibration=calibration)
    check_years(specs, len(month_starts(session.batch)) - 1)
    loaded = load_scenario(scenario, model=session.model)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    params = sensitivity_parameters(loaded, session)
    unit = sample_unit(params, method, samples, seed=seed)
    outputs = run_design(loaded, session, params, to_values(params, unit), specs, pool=pool,
                         progress=progress, label=f"{method} {loaded.name}")
    indices = analyse(params, method, unit, outputs, seed=seed)
    summary = pd.DataFrame({"kpi": outputs.columns, "mean": outputs.mean().to_numpy(),
                            "std": outputs.std().to_numpy(), "min": outputs.min().to_numpy(),
                            "max": outputs.max().to_numpy()})
    return Sensitivity(loaded, method, samples, tuple(params), indices, summary, len(unit), seed,
                       session)


def default_kpis() -> list[str]:
    """Every numeric column of kpis.csv."""
    from sdmodel.analysis.compare import TABLE_COLUMNS

    return [c for c in TABLE_COLUMNS if c != "coa_peak_month"]
