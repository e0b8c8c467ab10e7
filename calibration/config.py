"""Read and validate ``calibration/calibration.toml``: the series used, their weights, the
error and loss, the estimated parameters with bounds, and the search settings.

The mapping from observed series to model variables starts from
:data:`sdmodel.names.KPIS` (the project's one Vensim-name mapping); a ``[series.NAME]``
table may override it (``variable``, ``aggregation``, ``scale``) or add a series that has no KPI.
Every problem raises an :class:`~sdmodel.errors.AsielketenError` subclass with a one-line message
that starts with ``<file>:<line>: [table]`` and names the key at fault and the fix (the TOML field
checks of :mod:`sdmodel.scenarios.fields`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sdmodel.errors import DataFileError, UnknownVariableError, did_you_mean
from sdmodel.names import Aggregation
from sdmodel.paths import CALIBRATION_CONFIG
from sdmodel.scenarios.fields import (
    Where,
    boolean,
    check_keys,
    check_number,
    choice,
    integer,
    number,
    read_toml,
    sub_table,
)

ERRORS = ("log", "relative")
LOSSES = ("linear", "soft_l1", "huber", "cauchy", "arctan")
BOUND_ROWS = ("one_sided", "downweight", "exact")
AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
Method = Literal["lsq", "de"]
"""The search: multi-start least squares, or differential evolution polished by least squares."""
METHODS: tuple[str, ...] = get_args(Method)


@dataclass(frozen=True)
class SeriesSpec:
    """An observed series used in the fit and the model output it is compared with."""

    name: str
    variables: tuple[str, ...]  # summed
    aggregation: Aggregation
    scale: float = 1.0
    weight: float = 1.0
    exclude_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParameterSpec:
    """An estimated model constant: bounds, start, search scale and the constants tied to it."""

    name: str
    low: float
    high: float
    start: float
    log_scale: bool = False
    tied: tuple[str, ...] = ()

    def to_unit(self, value: float) -> float:
        """Map a value in model units to the search's unit interval."""
        if self.log_scale:
            return math.log(value / self.low) / math.log(self.high / self.low)
        return (value - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Settings:
    """How residuals are formed and weighted (see ``[settings]`` in calibration.toml)."""

    error: str = "log"
    loss: str = "soft_l1"
    loss_scale: float = 0.25
    quality_weights: Mapping[str, float] = field(
        default_factory=lambda: {"primary": 1.0, "secondary": 0.7, "derived": 0.7})
    bound_rows: str = "one_sided"
    bound_row_weight: float = 0.5
    share_month: bool = True


@dataclass(frozen=True)
class FitSettings:
    """Defaults of the search (see ``[fit]``); the command line may override them."""

    method: Method = "lsq"
    starts: int = 16
    seed: int | None = 20260101
    max_nfev: int = 100
    bootstrap: int = 100
    confidence: float = 0.95
    de_popsize: int = 8
    de_maxiter: int = 60


@dataclass(frozen=True)
class CalibrationConfig:
    """The parsed calibration.toml."""

    path: Path
    settings: Settings
    fit: FitSettings
    series: dict[str, SeriesSpec]
    unused: dict[str, str]  # series -> reason it is not fitted
    parameters: tuple[ParameterSpec, ...]
    drifting: tuple[str, ...] = ()  # estimated parameters ``asielketen monitor`` lets drift

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]


@dataclass(frozen=True)
class ConstantInfo:
    """A model constant's default value and declared [min, max] range."""

    value: float
    low: float
    high: float


def _fail(where: Where, table: str | None, key: str | None, problem: str) -> DataFileError:
    """``<file>:<line>: [table] key: problem`` (see :class:`sdmodel.scenarios.fields.Where`)."""
    place = where.at(table, key)
    return DataFileError(f"{place} {key}: {problem}" if key else f"{place} {problem}")


def _settings(where: Where, raw: Mapping[str, Any]) -> Settings:
    table = "settings"
    check_keys(raw, tuple(Settings.__dataclass_fields__), where, table)
    base = Settings()
    weights = dict(base.quality_weights)
    for quality, weight in sub_table(raw, "quality_weights", where, table).items():
        if quality not in weights:
            raise _fail(where, f"{table}.quality_weights", quality,
                        f"unknown quality{did_you_mean(quality, weights)}")
        weights[quality] = check_number(weight, key=quality,
                                        source=where.at(f"{table}.quality_weights", quality))
    return Settings(
        error=choice(raw, "error", ERRORS, where, table, base.error),
        loss=choice(raw, "loss", LOSSES, where, table, base.loss),
        loss_scale=number(raw, "loss_scale", where, table, base.loss_scale, positive=True),
        quality_weights=weights,
        bound_rows=choice(raw, "bound_rows", BOUND_ROWS, where, table, base.bound_rows),
        bound_row_weight=number(raw, "bound_row_weight", where, table, base.bound_row_weight),
        share_month=boolean(raw, "share_month", where, table, base.share_month),
    )


def _fit_settings(where: Where, raw: Mapping[str, Any]) -> FitSettings:
    table = "fit"
    check_keys(raw, tuple(FitSettings.__dataclass_fields__), where, table)
    base = FitSettings()
    values = {key: integer(raw, key, where, table, getattr(base, key), low=0)
              for key in ("starts", "max_nfev", "bootstrap", "de_popsize", "de_maxiter")}
    seed = raw.get("seed", base.seed)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _fail(where, table, "seed", f"{seed!r} is not a whole number")
    confidence = number(raw, "confidence", where, table, base.confidence)
    if not 0 < confidence < 1:
        raise _fail(where, table, "confidence",
                    f"{confidence} must lie between 0 and 1, e.g. 0.95")
    return FitSettings(method=choice(raw, "method", METHODS, where, table, base.method),
                       seed=seed, confidence=confidence, **values)


def _series(
    where: Where, name: str, raw: Mapping[str, Any], *, model_names: Collection[str],
    observed: Collection[str],
) -> SeriesSpec | str:
    """Return the spec of a used series, or the reason it is not used."""
    from sdmodel.names import KPIS

    table = f"series.{name}"
    check_keys(raw, ("use", "reason", "weight", "variable", "aggregation", "scale",
                     "exclude_lines"), where, table)
    if name not in observed:
        raise _fail(where, table, None, f"no series '{name}' in observations.csv"
                    f"{did_you_mean(name, observed)}; use the series name of the data")
    if not boolean(raw, "use", where, table, True):
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise _fail(where, table, "reason", "give the reason the series is not used")
        return reason.strip()
    kpi = KPIS.get(name)
    variable = raw.get("variable", kpi.variable if kpi else None)
    if variable is None:
        raise _fail(where, table, "variable", "the series has no KPI in sdmodel/names.py; "
                    "give the model variable (or a list of variables to sum) it is compared with")
    variables = (variable,) if isinstance(variable, str) else tuple(variable)
    if not variables or not all(isinstance(v, str) for v in variables):
        raise _fail(where, table, "variable", f"{variable!r} is not a variable name or a list")
    for var in variables:
        if var not in model_names:
            raise UnknownVariableError(
                f"{where.at(table, 'variable')} variable: '{var}' is not a variable of the model"
                f"{did_you_mean(var, model_names)}; see 'asielketen doc' for the names")
    aggregation = choice(raw, "aggregation", AGGREGATIONS, where, table,
                         kpi.aggregation if kpi else "stock")
    lines = raw.get("exclude_lines", [])
    if not isinstance(lines, list) or not all(isinstance(n, int) for n in lines):
        raise _fail(where, table, "exclude_lines", f"{lines!r} is not a list of line numbers")
    weight = number(raw, "weight", where, table, 1.0)
    if weight < 0:
        raise _fail(where, table, "weight", f"{weight} is negative; give a weight >= 0")
    return SeriesSpec(
        name=name, variables=variables, aggregation=aggregation,
        scale=number(raw, "scale", where, table, kpi.scale if kpi else 1.0),
        weight=weight, exclude_lines=tuple(lines),
    )


def _parameter(
    where: Where, name: str, raw: Mapping[str, Any], constants: Mapping[str, ConstantInfo],
    model_names: Collection[str],
) -> ParameterSpec:
    table = f'parameters."{name}"'
    check_keys(raw, ("min", "max", "start", "scale", "tied"), where, table)
    if name not in constants:
        what = "a constant" if name in model_names else "a variable"
        raise UnknownVariableError(
            f"{where.at(table)} '{name}' is not {what} of the model"
            f"{did_you_mean(name, constants)}; estimated parameters must be constants")
    info = constants[name]
    low = number(raw, "min", where, table, info.low)
    high = number(raw, "max", where, table, info.high)
    if low >= high:
        raise _fail(where, table, "min", f"min {low:g} is not below max {high:g}; swap them or "
                    "widen the range")
    if (not math.isnan(info.low) and low < info.low) or (
            not math.isnan(info.high) and high > info.high):
        raise _fail(where, table, "min", f"bounds [{low:g}, {high:g}] leave the model's range "
                    f"[{info.low:g}, {info.high:g}]; narrow them or widen the range in the .mdl")
    start = number(raw, "start", where, table, info.value)
    if not low <= start <= high:
        raise _fail(where, table, "start", f"start {start:g} is outside [{low:g}, {high:g}]; "
                    "give a start within the bounds")
    scale = choice(raw, "scale", ("linear", "log"), where, table, "linear")
    if scale == "log" and low <= 0:
        raise _fail(where, table, "scale", f"a log scale needs min > 0 (min is {low:g})")
    tied = raw.get("tied", [])
    if not isinstance(tied, list) or not all(isinstance(t, str) for t in tied):
        raise _fail(where, table, "tied", f"{tied!r} is not a list of constant names")
    for other in tied:
        if other not in constants:
            raise UnknownVariableError(
                f"{where.at(table, 'tied')} tied: '{other}' is not a constant of the model"
                f"{did_you_mean(other, constants)}")
    return ParameterSpec(name=name, low=low, high=high, start=start, log_scale=scale == "log",
                         tied=tuple(tied))


def load_config(
    path: Path | str | None = None,
    *,
    constants: Mapping[str, ConstantInfo],
    model_names: Collection[str],
    observed_series: Collection[str],
) -> CalibrationConfig:
    """Read and validate calibration.toml.

    Parameters
    ----------
    path
        The TOML file; default ``calibration/calibration.toml``.
    constants
        The model's constants (name -> default and range), see :func:`model_constants`.
    model_names
        All variable names of the model.
    observed_series
        The series names in observations.csv.

    Returns
    -------
    CalibrationConfig

    Raises
    ------
    DataFileError
        If the file is missing or not TOML, a key is unknown or a value is out of range: an
        unknown series, an aggregation that is not stock/flow/ratio, ``min >= max``, bounds
        outside the model's range, a start outside the bounds, a parameter estimated twice.
        The message starts with ``<file>:<line>: [table]``.
    UnknownVariableError
        If a mapped model variable, an estimated or a tied constant is not in the model.
    """
    path = Path(path) if path is not None else CALIBRATION_CONFIG
    raw, where = read_toml(path)
    check_keys(raw, ("settings", "fit", "series", "parameters", "drifting"), where, None)
    series: dict[str, SeriesSpec] = {}
    unused: dict[str, str] = {}
    for name, table in sub_table(raw, "series", where).items():
        spec = _series(where, name, table, model_names=model_names, observed=observed_series)
        if isinstance(spec, str):
            unused[name] = spec
        else:
            series[name] = spec
    if not series:
        raise _fail(where, None, None, "no series is used; add at least one [series.NAME] table")
    parameters = tuple(_parameter(where, name, table, constants, model_names)
                       for name, table in sub_table(raw, "parameters", where).items())
    if not parameters:
        raise _fail(where, None, None,
                    "no parameter to estimate; add a [parameters.NAME] table")
    seen: set[str] = set()
    for p in parameters:
        for name in (p.name, *p.tied):
            if name in seen:
                raise _fail(where, f'parameters."{p.name}"', None,
                            f"'{name}' is estimated or tied twice; keep one entry")
            seen.add(name)
    settings = _settings(where, sub_table(raw, "settings", where))
    return CalibrationConfig(path=path, settings=settings,
                             fit=_fit_settings(where, sub_table(raw, "fit", where)),
                             series=series, unused=unused, parameters=parameters,
                             drifting=_drifting(where, sub_table(raw, "drifting", where),
                                                parameters))


def _drifting(where: Where, raw: Mapping[str, Any],
              parameters: tuple[ParameterSpec, ...]) -> tuple[str, ...]:
    """``[drifting] parameters``: estimated constants whose value may change after the fit
    (re-estimated by ``asielketen monitor`` from new figures)."""
    table = "drifting"
    check_keys(raw, ("parameters",), where, table)
    names = raw.get("parameters", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _fail(where, table, "parameters", f"{names!r} is not a list of parameter names")
    estimated = [p.name for p in parameters]
    for name in names:
        if name not in estimated:
            raise _fail(where, table, "parameters",
                        f"'{name}' is not an estimated parameter{did_you_mean(name, estimated)};"
                        " a drifting parameter must have its own [parameters.\"NAME\"] table")
    if len(set(names)) != len(names):
        raise _fail(where, table, "parameters", "a parameter is listed twice; keep one entry")
    return tuple(names)
