"""The search: multi-start least squares, or differential evolution polished by least squares.

:func:`fit` is the one front door. It returns a :class:`FitResult` with scipy's fields (``x,
fun, cost, success, message, nfev``) plus what the calibration needs next: the parameter names,
the point in the unit box, the Jacobian there and a table of the starts. Starting points come
from a scrambled Sobol sequence (:mod:`scipy.stats.qmc`) seeded by ``seed``, after the .mdl
values; with the same seed and data the result is the same, also when the starts run on a
Dask cluster (:class:`sdmodel.scaleout.Pool`: one start per task, the problem sent to each
worker once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from calibration.config import METHODS, Method
from calibration.problem import Problem
from sdmodel.errors import AsielketenError
from sdmodel.scaleout import Pool


@dataclass
class FitResult:
    """The result of :func:`fit`, shaped like :class:`scipy.optimize.OptimizeResult`.

    Attributes
    ----------
    x
        Estimated parameter values (model units), in ``names`` order.
    fun
        Weighted pseudo-residuals at ``x`` (one per observation row).
    cost
        ``0.5 * sum(fun ** 2)``.
    success, message
        From the search that produced ``x``.
    nfev
        Model runs used (every parameter set simulated counts one).
    names
        Parameter names (Vensim constants).
    unit
        ``x`` in the unit box of the search.
    jac
        Jacobian of ``fun`` with respect to ``unit`` at the optimum, ``(rows, P)``.
    starts
        One row per start: ``start``, ``cost``, ``success``, ``nfev`` and the end values.
    method, seed, wall_time
        How the fit was made and how long it took (seconds).
    """

    x: np.ndarray
    fun: np.ndarray
    cost: float
    success: bool
    message: str
    nfev: int
    names: list[str]
    unit: np.ndarray
    jac: np.ndarray
    starts: pd.DataFrame
    method: Method
    seed: int | None
    wall_time: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def params(self) -> dict[str, float]:
        """Estimated values by parameter name."""
        return dict(zip(self.names, (float(v) for v in self.x), strict=True))


def start_points(problem: Problem, n: int, *, seed: int | None) -> np.ndarray:
    """Return ``n`` starting points in the unit box: the configured start, then Sobol points."""
    from scipy.stats import qmc

    first = problem.to_unit(np.array([p.start for p in problem.parameters]))
    if n <= 1:
        return first[None, :]
    m = int(np.ceil(np.log2(n - 1))) if n > 2 else 0
    sobol = qmc.Sobol(d=len(first), scramble=True, rng=seed).random_base2(m)[: n - 1]
    return np.vstack([first, sobol])


def _least_squares(problem: Problem, u0: np.ndarray, *, max_nfev: int,
                   offsets: np.ndarray | None = None):
    from scipy.optimize import least_squares

    def fun(u: np.ndarray) -> np.ndarray:
        return problem.residuals(u[None, :], offsets=None if offsets is None
                                 else offsets[:, None])[:, 0]

    def jac(u: np.ndarray) -> np.ndarray:
        return problem.jacobian(u, offsets=offsets)[1]

    return least_squares(fun, np.clip(u0, 0.0, 1.0), jac=jac, bounds=(0.0, 1.0), method="trf",
                         x_scale=1.0, max_nfev=max_nfev, ftol=1e-8, xtol=1e-8, gtol=1e-8)


def start_task(problem: Problem, task: tuple[np.ndarray, int]) -> tuple[object, int]:
    """One least-squares start ``(u0, max_nfev)``; returns scipy's result and the model runs it
    took (counted on a copy, so tasks sharing a worker's problem do not mix their counts)."""
    u0, max_nfev = task
    local = replace(problem, nfev=0)
    result = _least_squares(local, u0, max_nfev=max_nfev)
    return result, local.nfev


def _run_lsq(problem: Problem, starts: np.ndarray, *, max_nfev: int,
             progress: bool, pool: Pool | None = None) -> tuple[object, list[dict]]:
    from tqdm.auto import tqdm

    pool = pool or Pool()
    if pool.distributed and len(starts) > 1:
        done = pool.map(start_task, pool.share(problem), [(u0, max_nfev) for u0 in starts])
    else:
        done = []
        bar = tqdm(starts, desc="least squares", unit="start", disable=not progress,
                   leave=False)
        for u0 in bar:
            done.append(start_task(problem, (u0, max_nfev)))
            bar.set_postfix(best=f"{min(result.cost for result, _ in done):.4g}")
    problem.nfev += sum(used for _, used in done)
    best, rows = None, []
    for i, (u0, (result, used)) in enumerate(zip(starts, done, strict=True)):
        rows.append({"start": i, "cost": float(result.cost), "success": bool(result.success),
                     "nfev": used,
                     **dict(zip(problem.names, problem.to_theta(u0), strict=True)),
                     **{f"fitted {n}": v for n, v in
                        zip(problem.names, problem.to_theta(result.x), strict=True)}})
        if best is None or result.cost < best.cost:
            best = result
    return best, rows


def _run_de(problem: Problem, *, popsize: int, maxiter: int, seed: int | None,
            x0: np.ndarray, progress: bool) -> object:
    from scipy.optimize import differential_evolution
    from tqdm.auto import tqdm

    bar = tqdm(total=maxiter, desc="differential evolution", unit="gen", disable=not progress,
               leave=False)

    def cost(units: np.ndarray) -> np.ndarray:  # (P, S) -> (S,)
        res = problem.residuals(units.T)
        return 0.5 * np.sum(res**2, axis=0)

    def callback(intermediate_result) -> None:
        bar.update(1)
        bar.set_postfix(best=f"{intermediate_result.fun:.4g}")

    try:
        return differential_evolution(
            cost, bounds=[(0.0, 1.0)] * len(x0), popsize=popsize, maxiter=maxiter, rng=seed,
            init="sobol", polish=False, updating="deferred", vectorized=True, x0=x0,
            callback=callback, tol=1e-6)
    finally:
        bar.close()


def fit(
    problem: Problem,
    *,
    method: Method = "lsq",
    starts: int = 6,
    seed: int | None = None,
    max_nfev: int = 40,
    de_popsize: int = 8,
    de_maxiter: int = 60,
    progress: bool = False,
    pool: Pool | None = None,
) -> FitResult:
    """Estimate the parameters of ``problem``.

    Parameters
    ----------
    problem
        Parameters, objective and evaluator (see :class:`calibration.problem.Problem`).
    method
        ``"lsq"``: :func:`scipy.optimize.least_squares` (trust-region reflective, bounds) from
        ``starts`` points, keeping the best; ``"de"``:
        :func:`scipy.optimize.differential_evolution` (the population evaluated in one batch),
        then least squares from its best point.
    starts
        Number of least-squares starts: the configured start and ``starts - 1`` scrambled
        Sobol points. Ignored for ``"de"``.
    seed
        Seeds the Sobol points and differential evolution; ``None`` draws fresh entropy.
    max_nfev
        Residual evaluations per least-squares run (each also costs a Jacobian of P+1 runs).
    de_popsize, de_maxiter
        Population size multiplier and number of generations for ``"de"``.
    progress
        Show a tqdm progress bar (on stderr; in process only).
    pool
        Where the least-squares starts run (default: in this process); the result is the
        same.

    Returns
    -------
    FitResult

    Raises
    ------
    AsielketenError
        If ``method`` is unknown or ``starts`` < 1.
    """
    if method not in METHODS:
        raise AsielketenError(f"--method {method} is not one of {', '.join(METHODS)}")
    if starts < 1:
        raise AsielketenError(f"--starts {starts}: give at least 1 start")
    started = time.perf_counter()
    nfev0 = problem.nfev
    points = start_points(problem, starts if method == "lsq" else 1, seed=seed)
    if method == "lsq":
        best, rows = _run_lsq(problem, points, max_nfev=max_nfev, progress=progress, pool=pool)
        extra: dict = {}
    else:
        de = _run_de(problem, popsize=de_popsize, maxiter=de_maxiter, seed=seed, x0=points[0],
                     progress=progress)
        best, rows = _run_lsq(problem, np.asarray(de.x)[None, :], max_nfev=max_nfev,
                              progress=False)
        extra = {"de_cost": float(de.fun), "de_generations": int(de.nit),
                 "de_message": str(de.message)}
    residuals, jac = problem.jacobian(best.x)
    return FitResult(
        x=problem.to_theta(best.x), fun=residuals, cost=float(0.5 * residuals @ residuals),
        success=bool(best.success), message=str(best.message), nfev=problem.nfev - nfev0,
        names=problem.names, unit=np.asarray(best.x), jac=jac, starts=pd.DataFrame(rows),
        method=method, seed=seed, wall_time=time.perf_counter() - started, extra=extra)
