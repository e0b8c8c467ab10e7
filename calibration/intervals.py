"""Confidence intervals and identification for the estimated parameters.

- **Wild bootstrap** (the reported interval): each replicate flips the sign of every fitted
  error at random (Rademacher weights), which keeps each row's size of misfit, and refits all
  replicates together with a batched, bound-constrained Levenberg-Marquardt search that starts
  at the estimate. Each iteration evaluates the Jacobians of all replicates in one batch of
  ``B * (P + 1)`` runs. The interval is the percentile interval of the refitted values. The
  signs are drawn at once; the replicates are refitted in chunks (in process or one chunk per
  task on a Dask cluster, :class:`sdmodel.scaleout.Pool`, with the same result).
- **Wald** (for comparison): ``s^2 (J'J)^-1`` at the estimate, with ``s^2 = 2 cost / (n - P)``.
- **Identification**: the share of each parameter's Fisher information (``sum J_ij^2``) that
  comes from each observed series, and pairs of parameters whose estimates are strongly
  correlated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from calibration.fit import FitResult
from calibration.problem import Problem
from sdmodel.scaleout import Pool, shards

AT_BOUND = 0.01  # within 1% of the range from a bound


@dataclass
class Intervals:
    """Parameter intervals and identification.

    Attributes
    ----------
    table
        One row per parameter: ``value, low, high`` (bootstrap percentile interval),
        ``wald_low, wald_high``, ``bootstrap_sd``, ``min, max`` (bounds), ``at_bound``
        (``"lower"``/``"upper"``/``""``), ``share_at_bound`` (of the replicates),
        ``identified_by`` (series with their share of the information).
    replicates
        Refitted parameter values, ``(B, P)``.
    information
        Share of each parameter's information per series (series x parameters).
    correlation
        Correlation of the estimates from ``(J'J)^-1`` (parameters x parameters).
    confidence
        The confidence level of the intervals.
    """

    table: pd.DataFrame
    replicates: np.ndarray
    information: pd.DataFrame
    correlation: pd.DataFrame
    confidence: float

    def warnings(self) -> list[str]:
        """One line per parameter that ends at a bound or is strongly correlated with another."""
        lines = [f"'{name}' ends at its {row.at_bound} bound ({row.value:.4g}); the data push it "
                 "further: check the bound or the model structure"
                 for name, row in self.table.iterrows() if row.at_bound]
        names = list(self.correlation.index)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                c = self.correlation.loc[a, b]
                if abs(c) > 0.9:
                    lines.append(f"'{a}' and '{b}' are strongly correlated ({c:+.2f}): the data "
                                 "identify a combination of them better than each one")
        return lines


def _lm_refit(problem: Problem, start: np.ndarray, offsets: np.ndarray, *, iterations: int,
              step: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Refit ``B`` perturbed problems (``offsets`` rows x B) from ``start``; return (U, cost)."""
    n_rows, n_rep = offsets.shape
    n_par = len(start)
    units = np.repeat(start[None, :], n_rep, axis=0)
    res = problem.residuals(units, offsets=offsets)
    cost = 0.5 * np.sum(res**2, axis=0)
    lam = np.full(n_rep, 1e-2)
    for _ in range(iterations):
        points = np.concatenate([problem.jacobian_points(u, step=step) for u in units])
        all_res = problem.residuals(points, offsets=np.repeat(offsets, n_par + 1, axis=1))
        all_res = all_res.reshape(n_rows, n_rep, n_par + 1)
        deltas = points.reshape(n_rep, n_par + 1, n_par)
        deltas = np.einsum("bjj->bj", deltas[:, 1:] - deltas[:, :1])
        jac = (all_res[:, :, 1:] - all_res[:, :, :1]) / deltas[None]  # rows, B, P
        r0 = all_res[:, :, 0]
        trial = units.copy()
        for b in range(n_rep):
            j, r = jac[:, b], r0[:, b]
            grad = j.T @ r
            free = ~(((units[b] <= 1e-9) & (grad > 0)) | ((units[b] >= 1 - 1e-9) & (grad < 0)))
            jtj = j.T @ j
            diag = np.diag(jtj).copy()
            system = jtj + lam[b] * np.diag(np.maximum(diag, 1e-12))
            d = np.zeros(n_par)
            if free.any():
                d[free] = np.linalg.lstsq(system[np.ix_(free, free)], -grad[free], rcond=None)[0]
            trial[b] = np.clip(units[b] + d, 0.0, 1.0)
        trial_res = problem.residuals(trial, offsets=offsets)
        trial_cost = 0.5 * np.sum(trial_res**2, axis=0)
        better = trial_cost < cost
        units[better], cost[better] = trial[better], trial_cost[better]
        lam = np.where(better, lam / 3.0, lam * 4.0)
        if np.all(lam > 1e8):
            break
    return units, cost


def refit_task(shared: tuple[Problem, np.ndarray, int], offsets: np.ndarray
               ) -> tuple[np.ndarray, int]:
    """Refit one chunk of replicates (``offsets`` rows x chunk) from the estimate; returns the
    unit-box points and the model runs it took (on a worker's copy on a Dask cluster)."""
    problem, start, iterations = shared
    local = replace(problem, nfev=0)  # tasks sharing a worker's problem keep their own count
    units, _ = _lm_refit(local, start, offsets, iterations=iterations)
    return units, local.nfev


def bootstrap(problem: Problem, result: FitResult, *, replicates: int, seed: int | None,
              iterations: int = 20, chunk: int = 50, progress: bool = False,
              pool: Pool | None = None) -> np.ndarray:
    """Return ``(B, P)`` parameter values refitted to wild-bootstrap data (see module doc).

    The refits of a chunk stop together (when every one's damping has grown too large), so the
    chunks are the same whether they run here or on ``pool``.
    """
    from tqdm.auto import tqdm

    pool = pool or Pool()
    errors = problem.errors(result.unit[None, :])[:, 0]
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(len(errors), replicates))
    offsets = (signs - 1.0) * errors[:, None]
    pieces = [offsets[:, lo:hi] for lo, hi in shards(replicates, chunk)]
    if pool.distributed and len(pieces) > 1:
        done = pool.map(refit_task, pool.share((problem, result.unit, iterations)), pieces)
    else:
        done = []
        bar = tqdm(total=replicates, desc="bootstrap", unit="refit", disable=not progress,
                   leave=False)
        for piece in pieces:
            done.append(refit_task((problem, result.unit, iterations), piece))
            bar.update(piece.shape[1])
        bar.close()
    problem.nfev += sum(used for _, used in done)
    out = [units for units, _ in done]
    return problem.to_theta(np.concatenate(out)) if out else np.empty((0, len(result.x)))


def _theta_derivative(problem: Problem, unit: np.ndarray) -> np.ndarray:
    """d theta / d u at ``unit`` for each parameter."""
    deriv = np.empty(len(unit))
    for j, p in enumerate(problem.parameters):
        if p.log_scale:
            deriv[j] = problem.to_theta(unit)[j] * np.log(p.high / p.low)
        else:
            deriv[j] = p.high - p.low
    return deriv


def intervals(problem: Problem, result: FitResult, *, replicates: int, seed: int | None,
              confidence: float = 0.95, progress: bool = False,
              pool: Pool | None = None) -> Intervals:
    """Compute bootstrap and Wald intervals and the identification tables for ``result``.

    Parameters
    ----------
    problem
        The problem that was fitted.
    result
        The fit (its ``jac`` and ``fun`` at the estimate are used).
    replicates
        Bootstrap refits; 0 gives Wald intervals only (``low``/``high`` are then the Wald ones).
    seed
        Seeds the bootstrap signs; ``None`` draws fresh entropy.
    confidence
        Level of the intervals (e.g. 0.95).
    progress
        Show a tqdm progress bar.
    pool
        Where the bootstrap refits run (default: in this process); the result is the same.
    """
    from scipy.stats import norm

    names = result.names
    jac, n_rows = result.jac, len(result.fun)
    s2 = 2.0 * result.cost / max(n_rows - len(names), 1)
    cov_u = s2 * np.linalg.pinv(jac.T @ jac)
    sd_u = np.sqrt(np.maximum(np.diag(cov_u), 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov_u / np.outer(sd_u, sd_u)
    z = norm.ppf(0.5 + confidence / 2.0)
    deriv = _theta_derivative(problem, result.unit)
    wald_low = problem.to_theta(np.clip(result.unit - z * sd_u, 0, 1))
    wald_high = problem.to_theta(np.clip(result.unit + z * sd_u, 0, 1))

    reps = (bootstrap(problem, result, replicates=replicates, seed=seed, progress=progress,
                      pool=pool)
            if replicates > 0 else np.empty((0, len(names))))
    alpha = (1.0 - confidence) / 2.0
    if len(reps):
        low, high = np.quantile(reps, alpha, axis=0), np.quantile(reps, 1 - alpha, axis=0)
        boot_sd = reps.std(axis=0, ddof=1) if len(reps) > 1 else np.full(len(names), np.nan)
        rep_units = problem.to_unit(reps)
        share_bound = np.mean((rep_units <= AT_BOUND) | (rep_units >= 1 - AT_BOUND), axis=0)
    else:
        low, high, boot_sd = wald_low, wald_high, sd_u * np.abs(deriv)
        share_bound = np.full(len(names), np.nan)

    series = problem.objective.rows["series"].to_numpy()
    info = pd.DataFrame({s: np.sum(jac[series == s] ** 2, axis=0) for s in np.unique(series)},
                        index=names).T
    info = info / info.sum(axis=0).replace(0.0, np.nan)
    at_bound = np.where(result.unit <= AT_BOUND, "lower",
                        np.where(result.unit >= 1 - AT_BOUND, "upper", ""))
    table = pd.DataFrame({
        "value": result.x, "low": low, "high": high, "wald_low": wald_low,
        "wald_high": wald_high, "bootstrap_sd": boot_sd,
        "min": problem.low, "max": problem.high, "at_bound": at_bound,
        "share_at_bound": share_bound,
        "identified_by": [_top_series(info[name]) for name in names],
    }, index=pd.Index(names, name="parameter"))
    return Intervals(table=table, replicates=reps, information=info,
                     correlation=pd.DataFrame(corr, index=names, columns=names),
                     confidence=confidence)


def _top_series(shares: pd.Series, *, n: int = 3) -> str:
    top = shares.dropna().sort_values(ascending=False).head(n)
    return "; ".join(f"{s} {v:.0%}" for s, v in top.items() if v >= 0.05) or "(none)"
