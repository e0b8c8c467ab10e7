"""Run many parameter sets and return the model variables the objective needs.

Two interchangeable evaluators share one interface (:class:`Evaluator`):

- :class:`BatchEvaluator` runs all parameter sets at once through the vectorised NumPy
  simulator (:class:`sdmodel.engine.batch.BatchModel`, generated from the .mdl): a Jacobian's P+1
  sets, a differential-evolution population or all bootstrap refits cost about one run;
- :class:`PySDEvaluator` loops over PySD runs (:class:`sdmodel.engine.model.ChainModel`), the
  reference implementation (about 0.5 s a run).

:func:`make_evaluator` picks the batch simulator when it is available; switching is one argument.
Every run starts from the model's defaults plus the given constants, and returns each variable at
every TIME STEP from 0 to ``final_time`` as an array ``(time, run)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, Protocol, get_args

import numpy as np

from calibration.config import ConstantInfo
from sdmodel.calendar import time_grid
from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.engine.model import ChainModel

EvaluatorKind = Literal["auto", "batch", "pysd"]
"""The batch simulator (``"auto"``: when it imports) or PySD, one run at a time."""
Params = Mapping[str, np.ndarray]
"""Constant name -> values, one per run (shape ``(n,)``)."""


class Evaluator(Protocol):
    """Runs ``n`` parameter sets and returns the requested variables."""

    kind: str
    time_step: float

    def simulate(
        self, params: Params, *, n: int, variables: Sequence[str], final_time: float
    ) -> dict[str, np.ndarray]:
        """Return ``{variable: array (T, n)}`` at times ``0, dt, ..., final_time``."""
        ...


class PySDEvaluator:
    """Evaluate parameter sets one by one through PySD (the reference)."""

    kind = "pysd"

    def __init__(self, model: ChainModel) -> None:
        self.model = model
        self.time_step = model.time_step

    def simulate(
        self, params: Params, *, n: int, variables: Sequence[str], final_time: float
    ) -> dict[str, np.ndarray]:
        steps = len(time_grid(final_time, self.time_step))
        out = {v: np.empty((steps, n)) for v in variables}
        for i in range(n):
            overrides = {name: float(np.asarray(values)[i]) for name, values in params.items()}
            raw = self.model.run_raw(overrides, final_time=final_time)
            for v in variables:
                out[v][:, i] = raw[v].to_numpy(dtype=float)[:steps]
        return out


class BatchEvaluator:
    """Evaluate all parameter sets at once with :class:`sdmodel.engine.batch.BatchModel`."""

    kind = "batch"

    def __init__(self, batch_model: object, time_step: float) -> None:
        self.model = batch_model
        self.time_step = time_step

    def simulate(
        self, params: Params, *, n: int, variables: Sequence[str], final_time: float
    ) -> dict[str, np.ndarray]:
        data = {name: np.asarray(values, dtype=float) for name, values in params.items()}
        result = self.model.run(data, n=n, final_time=final_time,
                                return_columns=list(variables), output="arrays")
        steps = len(time_grid(final_time, self.time_step))
        out: dict[str, np.ndarray] = {}
        for v in variables:
            # C order, as the objective's matrix products expect (their last bits depend on it)
            array = np.ascontiguousarray(result[self.model.info(v)["name"]], dtype=float)
            if array.shape[0] < steps:
                raise AsielketenError(
                    f"the batch simulator returned {array.shape[0]} time steps for '{v}', "
                    f"expected {steps}; report this as a bug in sdmodel/engine/batch.py")
            out[v] = array[:steps]
        return out


def batch_available() -> bool:
    """Whether :mod:`sdmodel.engine.batch` can be imported."""
    try:
        from sdmodel.engine.batch import BatchModel  # noqa: F401
    except ImportError:
        return False
    return True


def make_evaluator(model: ChainModel, *, kind: EvaluatorKind = "auto") -> Evaluator:
    """Return an evaluator for ``model``'s .mdl.

    Parameters
    ----------
    model
        The PySD model (its .mdl is also what the batch simulator compiles).
    kind
        ``"batch"``, ``"pysd"`` or ``"auto"`` (batch when :mod:`sdmodel.engine.batch` imports).

    Raises
    ------
    AsielketenError
        If ``kind`` is unknown, or ``"batch"`` is asked for and not available.
    """
    if kind not in get_args(EvaluatorKind):
        raise AsielketenError(f"evaluator '{kind}' is not one of "
                              f"{', '.join(get_args(EvaluatorKind))}")
    if kind == "pysd" or (kind == "auto" and not batch_available()):
        return PySDEvaluator(model)
    if not batch_available():
        raise AsielketenError("the batch simulator (sdmodel/engine/batch.py) is not available; "
                              "use the PySD evaluator")
    from sdmodel.engine.batch import BatchModel

    return BatchEvaluator(BatchModel.from_mdl(model.path), model.time_step)


def model_constants(model: ChainModel) -> dict[str, ConstantInfo]:
    """Return each constant of ``model`` with its default value and declared range."""
    doc = model.doc()
    constants = doc[doc["kind"] == "constant"]
    first = model.run_raw({}, final_time=model.time_step).iloc[0]
    return {
        row["name"]: ConstantInfo(value=float(first[row["name"]]), low=float(row["min"]),
                                  high=float(row["max"]))
        for _, row in constants.iterrows()
    }
