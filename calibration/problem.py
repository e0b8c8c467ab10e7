"""The estimation problem: parameters in a unit box, mapped to model constants and run in batches.

The search works in ``u`` in ``[0, 1]^P`` (linear or log between each parameter's bounds), so
least squares, differential evolution and the bootstrap see well-scaled variables. A row of ``U``
is one parameter set; :meth:`Problem.residuals` runs all rows in one call of the evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from calibration.config import ParameterSpec
from calibration.evaluate import Evaluator
from calibration.objective import Objective


@dataclass
class Problem:
    """Parameters, objective and evaluator together; counts model runs in ``nfev``."""

    parameters: tuple[ParameterSpec, ...]
    objective: Objective
    evaluator: Evaluator
    fixed: Mapping[str, float] = field(default_factory=dict)
    nfev: int = 0

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def low(self) -> np.ndarray:
        return np.array([p.low for p in self.parameters])

    @property
    def high(self) -> np.ndarray:
        return np.array([p.high for p in self.parameters])

    def to_theta(self, unit: np.ndarray) -> np.ndarray:
        """Map unit-box points ``(N, P)`` (or ``(P,)``) to parameter values."""
        unit = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        theta = np.empty_like(unit)
        for j, p in enumerate(self.parameters):
            u = unit[..., j]
            theta[..., j] = (p.low * (p.high / p.low) ** u if p.log_scale
                             else p.low + u * (p.high - p.low))
        return theta

    def to_unit(self, theta: np.ndarray) -> np.ndarray:
        """Map parameter values ``(N, P)`` (or ``(P,)``) to the unit box."""
        theta = np.asarray(theta, dtype=float)
        unit = np.empty_like(theta)
        for j, p in enumerate(self.parameters):
            unit[..., j] = np.vectorize(p.to_unit)(theta[..., j])
        return unit

    def model_params(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Return the constants to set for parameter sets ``theta`` ``(N, P)``, ties included."""
        theta = np.atleast_2d(theta)
        params = {name: np.full(len(theta), float(v)) for name, v in self.fixed.items()}
        for j, p in enumerate(self.parameters):
            for name in (p.name, *p.tied):
                params[name] = theta[:, j].copy()
        return params

    def outputs(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Run parameter sets ``theta`` ``(N, P)``; return the objective's variables."""
        theta = np.atleast_2d(theta)
        self.nfev += len(theta)
        return self.evaluator.simulate(self.model_params(theta), n=len(theta),
                                       variables=self.objective.variables,
                                       final_time=self.objective.final_time)

    def errors(self, unit: np.ndarray) -> np.ndarray:
        """Return the errors ``(rows, N)`` of unit-box points ``(N, P)``."""
        outputs = self.outputs(self.to_theta(np.atleast_2d(unit)))
        return self.objective.errors(self.objective.predict(outputs))

    def residuals(self, unit: np.ndarray, *, offsets: np.ndarray | None = None) -> np.ndarray:
        """Return pseudo-residuals ``(rows, N)``; ``offsets`` ``(rows, N)`` shift the errors
        (the bootstrap's resampled data)."""
        errors = self.errors(unit)
        if offsets is not None:
            errors = errors + offsets
        return self.objective.residuals(errors)

    def jacobian_points(self, unit: np.ndarray, *, step: float) -> np.ndarray:
        """Return ``(P + 1, P)`` points: ``unit`` and one forward (or, at the upper bound,
        backward) step per parameter."""
        points = np.repeat(unit[None, :], len(unit) + 1, axis=0)
        for j in range(len(unit)):
            points[j + 1, j] += step if unit[j] + step <= 1.0 else -step
        return points

    def jacobian(self, unit: np.ndarray, *, step: float = 1e-3,
                 offsets: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (residuals at ``unit``, Jacobian ``(rows, P)``) from one batch of P+1 runs."""
        points = self.jacobian_points(unit, step=step)
        base_offsets = None if offsets is None else np.repeat(offsets[:, None], len(points), 1)
        res = self.residuals(points, offsets=base_offsets)
        delta = points[1:] - points[0]
        jac = (res[:, 1:] - res[:, :1]) / np.diag(delta)[None, :]
        return res[:, 0], jac
