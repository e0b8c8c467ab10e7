"""The update: the calibration's objective on the combined data, plus Gaussian priors (MAP).

The parameters are those of the committed fit (the state of the chain at any date follows from
them: re-estimating them on the combined data updates the state) plus, for each drifting
parameter, its value from the drift month on. The cost is

    0.5 * sum(r_data ** 2) + 0.5 * s**2 * sum(((u - u_fit) / sd) ** 2)
                           + 0.5 * s**2 * sum(((u_after - u_before) / sd) ** 2)

in the search's unit box ``u`` (:class:`calibration.problem.Problem`): ``r_data`` are the
calibration's weighted pseudo-residuals (:class:`calibration.objective.Objective`, the same
objective ``calibrate`` minimises) on the combined rows; ``u_fit`` and ``sd`` are the committed
estimate and its interval as a normal standard deviation (``(high - low) / (2 z)``, at least
1% of the range); ``s**2 = 2 cost / (n - P)`` is the residual variance of the committed fit,
which puts priors and data on one scale. A drifting parameter's change at the drift month has
the committed interval as its prior width (a random-walk step). The minimum is found by
:func:`scipy.optimize.least_squares` from the committed fit, each Jacobian one batch of P+1
runs; the posterior covariance is ``s**2 (J'J)^-1`` at the minimum (Laplace), and its draws give
the updated bands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from calibration.config import ParameterSpec
from calibration.problem import Problem
from sdmodel.calendar import time_grid
from sdmodel.monitor.inputs import Plan, plan_inputs

AFTER = " (after drift)"
"""Suffix of the parameter that is a drifting parameter's value from the drift month on."""
MIN_SD = 0.01  # smallest prior standard deviation, as a share of the parameter's range


def run_variables(plan: Plan, *, calibrated: Mapping[str, np.ndarray],
                  after: Mapping[str, np.ndarray], design, variables: Sequence[str],
                  final_time: float) -> dict[str, np.ndarray]:
    """Run the plan for each row of ``design``; return ``{variable: (T, n)}`` at every step."""
    batch = plan.session.batch
    inputs = plan_inputs(plan, calibrated=calibrated, after=after, design=design,
                         final_time=final_time)
    result = batch.run(inputs, n=len(design), final_time=final_time,
                       return_columns=list(variables), output="arrays")
    steps = len(time_grid(final_time, batch.control["time_step"]))
    return {v: np.ascontiguousarray(result[batch.info(v)["name"]], dtype=float)[:steps]
            for v in variables}


def split_params(params: Mapping[str, np.ndarray], plan: Plan
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Split :meth:`calibration.problem.Problem.model_params` into the calibrated constants and
    the drifting parameters' values after the drift month (without one: no drift)."""
    calibrated = {k: v for k, v in params.items() if not k.endswith(AFTER)}
    after = {k.removesuffix(AFTER): v for k, v in params.items() if k.endswith(AFTER)}
    for name in set(plan.drifting.values()) - set(after):
        after[name] = calibrated[name]
    return calibrated, after


class PlanEvaluator:
    """The calibration's evaluator interface on the plan: the scenario's central run, with the
    drifting parameters' values after the drift month given as ``"<name> (after drift)"``."""

    kind = "batch"

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.time_step = float(plan.session.batch.control["time_step"])

    def simulate(self, params: Mapping[str, np.ndarray], *, n: int, variables: Sequence[str],
                 final_time: float) -> dict[str, np.ndarray]:
        calibrated, after = split_params(params, self.plan)
        return run_variables(self.plan, calibrated=calibrated, after=after,
                             design=self.plan.central_design(n), variables=variables,
                             final_time=final_time)


def drift_specs(parameters: Sequence[ParameterSpec], drifting: Sequence[str]
                ) -> tuple[ParameterSpec, ...]:
    """The estimated parameters followed by one ``"<name> (after drift)"`` per drifting one."""
    by_name = {p.name: p for p in parameters}
    extra = tuple(ParameterSpec(name=f"{name}{AFTER}", low=by_name[name].low,
                                high=by_name[name].high, start=by_name[name].start,
                                log_scale=by_name[name].log_scale) for name in drifting)
    return (*parameters, *extra)


@dataclass(frozen=True)
class Prior:
    """Gaussian priors as linear residuals ``A @ u - b`` (rows: parameters, then changes)."""

    matrix: np.ndarray
    target: np.ndarray
    centre: np.ndarray
    sd: np.ndarray

    def residuals(self, unit: np.ndarray) -> np.ndarray:
        """``(P, N)`` residuals of unit points ``(N, P)``."""
        return self.matrix @ np.atleast_2d(unit).T - self.target[:, None]


def make_prior(problem: Problem, *, estimate: np.ndarray, low: np.ndarray, high: np.ndarray,
               confidence: float, scale: float, drifting: Sequence[str]) -> Prior:
    """Build the priors of the module docstring from the committed ``estimate`` and interval
    ``[low, high]`` (model units, one per estimated parameter)."""
    from scipy.stats import norm

    base = [p for p in problem.parameters if not p.name.endswith(AFTER)]
    k = len(base)
    z = norm.ppf(0.5 + confidence / 2)
    unit = np.array([p.to_unit(float(v)) for p, v in zip(base, estimate, strict=True)])
    width = np.array([p.to_unit(float(h)) - p.to_unit(float(lo))
                      for p, lo, h in zip(base, low, high, strict=True)])
    sd = np.maximum(np.abs(width) / (2 * z), MIN_SD)
    size = len(problem.parameters)
    matrix = np.zeros((size, size))
    matrix[np.arange(k), np.arange(k)] = scale / sd
    names = [p.name for p in base]
    for j, name in enumerate(drifting):
        i = names.index(name)
        matrix[k + j, k + j] = scale / sd[i]
        matrix[k + j, i] = -scale / sd[i]
    target = np.concatenate([scale * unit / sd, np.zeros(len(drifting))])
    centre = np.concatenate([unit, unit[[names.index(n) for n in drifting]]])
    return Prior(matrix, target, centre, np.concatenate([sd, sd[[names.index(n)
                                                                 for n in drifting]]]))


@dataclass(frozen=True)
class Update:
    """The updated estimate.

    Attributes
    ----------
    names
        Parameter names (estimated, then ``"<name> (after drift)"``).
    unit, theta
        The estimate in the unit box and in model units.
    covariance
        Posterior covariance in the unit box (Laplace).
    cost, data_cost
        The cost at the estimate, and its part from the data.
    scale
        The residual scale ``s`` of the committed fit.
    success, message, nfev
        From the search; model runs used.
    """

    names: tuple[str, ...]
    unit: np.ndarray
    theta: np.ndarray
    covariance: np.ndarray
    cost: float
    data_cost: float
    scale: float
    success: bool
    message: str
    nfev: int

    def draws(self, problem: Problem, prior: Prior, samples: int, *, seed: int,
              proposals: int = 4) -> tuple[np.ndarray, float]:
        """``(samples, P)`` parameter sets from the posterior, and the effective sample size.

        Sampling-importance-resampling: ``proposals * samples`` draws from the Laplace normal
        truncated to the bounds are weighted by posterior / proposal density (one batch of
        runs through the monitored period) and ``samples`` of them are drawn by weight, so the
        draws follow the posterior also where the model is not linear in the parameters.
        """
        rng = np.random.default_rng(seed)
        wanted, kept = proposals * samples, []
        for _ in range(50):  # the normal truncated to the box, by rejection
            unit = rng.multivariate_normal(self.unit, self.covariance, size=wanted,
                                           method="eigh")
            kept.append(unit[np.all((unit >= 0.0) & (unit <= 1.0), axis=1)])
            if sum(len(k) for k in kept) >= wanted:
                break
        unit = np.concatenate(kept)[:wanted]
        if len(unit) < samples:  # the estimate sits in a corner: clip instead
            unit = np.clip(rng.multivariate_normal(self.unit, self.covariance, size=wanted,
                                                   method="eigh"), 0.0, 1.0)
        clipped = np.clip(unit, 0.0, 1.0)
        res = problem.residuals(clipped)
        prior_res = prior.residuals(clipped)
        cost = 0.5 * np.sum(res**2, axis=0) + 0.5 * np.sum(prior_res**2, axis=0)
        delta = unit - self.unit
        log_q = -0.5 * np.einsum("ij,jk,ik->i", delta, np.linalg.pinv(self.covariance), delta)
        log_w = -cost / self.scale**2 - log_q
        weights = np.exp(log_w - np.max(log_w))
        weights /= weights.sum()
        pick = rng.choice(len(unit), size=samples, replace=True, p=weights)
        return problem.to_theta(clipped[pick]), float(1.0 / np.sum(weights**2))

    def interval(self, problem: Problem, confidence: float) -> tuple[np.ndarray, np.ndarray]:
        """The normal interval of each parameter at ``confidence``, mapped to model units."""
        from scipy.stats import norm

        half = norm.ppf(0.5 + confidence / 2) * np.sqrt(np.maximum(np.diag(self.covariance), 0))
        return (problem.to_theta(np.clip(self.unit - half, 0, 1)),
                problem.to_theta(np.clip(self.unit + half, 0, 1)))


def estimate(problem: Problem, prior: Prior, *, scale: float, max_nfev: int = 60) -> Update:
    """Minimise the data cost plus the priors from the committed fit; see the module docstring."""
    from scipy.optimize import least_squares

    nfev0 = problem.nfev

    def fun(u: np.ndarray) -> np.ndarray:
        return np.concatenate([problem.residuals(u[None, :])[:, 0], prior.residuals(u)[:, 0]])

    def jac(u: np.ndarray) -> np.ndarray:
        return np.vstack([problem.jacobian(u)[1], prior.matrix])

    found = least_squares(fun, np.clip(prior.centre, 0, 1), jac=jac, bounds=(0.0, 1.0),
                          method="trf", max_nfev=max_nfev, ftol=1e-8, xtol=1e-8, gtol=1e-8)
    residuals, data_jac = problem.jacobian(found.x)
    full = np.vstack([data_jac, prior.matrix])
    covariance = scale**2 * np.linalg.pinv(full.T @ full)
    prior_res = prior.residuals(found.x)[:, 0]
    data_cost = float(0.5 * residuals @ residuals)
    return Update(tuple(problem.names), np.asarray(found.x), problem.to_theta(found.x),
                  covariance, data_cost + float(0.5 * prior_res @ prior_res), data_cost,
                  scale, bool(found.success), str(found.message), problem.nfev - nfev0)


def residual_scale(problem: Problem, estimate_theta: np.ndarray) -> float:
    """``s = sqrt(2 cost / (n - P))`` of the committed fit on its own rows (``problem``)."""
    res = problem.residuals(problem.to_unit(estimate_theta)[None, :])[:, 0]
    n, p = len(res), len(problem.parameters)
    return float(np.sqrt(res @ res / max(n - p, 1)))
