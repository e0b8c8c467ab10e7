"""Read and validate ``calibration/calibration.toml``: the series used, their weights, the
error and loss, the estimated parameters with bounds, and the search settings.

The mapping from observed series to model variables starts from
:data:`sdmodel.names.KPIS` (the project's one Vensim-name mapping); a ``[series.NAME]``
table may override it (``variable``, ``aggregation``, ``scale``) or add a series that has no KPI.
Every problem raises an :class:`~sdmodel.errors.AsielketenError` subclass with a one-line message
naming ``calibration.toml``, the key at fault and the fix.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sdmodel.errors import DataFileError, UnknownVariableError, did_you_mean
from sdmodel.names import Aggregation
from sdmodel.paths import CALIBRATION_CONFIG

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

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]


@dataclass(frozen=True)
class ConstantInfo:
    """A model constant's default value and declared [min, max] range."""

    value: float
    low: float
    high: float


def _fail(path: Path, key: str, problem: str) -> DataFileError:
    return DataFileError(f"{path.name}, key '{key}': {problem}")


def _number(path: Path, key: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, key, f"{value!r} is not a number; write a plain number")
    if positive and value <= 0:
        raise _fail(path, key, f"{value!r} must be greater than 0")
    return float(value)


def _choice(path: Path, key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(path, key, f"{value!r} is not one of {', '.join(allowed)}"
                    f"{did_you_mean(str(value), allowed)}")
    return str(value)


def _check_keys(
    path: Path, prefix: str, table: Mapping[str, Any], allowed: Collection[str]
) -> None:
    for key in table:
        if key not in allowed:
            raise _fail(path, f"{prefix}.{key}", f"unknown key{did_you_mean(key, allowed)}; "
                        f"allowed: {', '.join(sorted(allowed))}")


def _settings(path: Path, raw: Mapping[str, Any]) -> Settings:
    keys = Settings.__dataclass_fields__
    _check_keys(path, "settings", raw, keys)
    base = Settings()
    weights = dict(base.quality_weights)
    for quality, weight in raw.get("quality_weights", {}).items():
        if quality not in weights:
            raise _fail(path, f"settings.quality_weights.{quality}",
                        f"unknown quality{did_you_mean(quality, weights)}")
        weights[quality] = _number(path, f"settings.quality_weights.{quality}", weight)
    share_month = raw.get("share_month", base.share_month)
    if not isinstance(share_month, bool):
        raise _fail(path, "settings.share_month", f"{share_month!r} is not true or false")
    return Settings(
        error=_choice(path, "settings.error", raw.get("error", base.error), ERRORS),
        loss=_choice(path, "settings.loss", raw.get("loss", base.loss), LOSSES),
        loss_scale=_number(path, "settings.loss_scale", raw.get("loss_scale", base.loss_scale),
                           positive=True),
        quality_weights=weights,
        bound_rows=_choice(path, "settings.bound_rows", raw.get("bound_rows", base.bound_rows),
                           BOUND_ROWS),
        bound_row_weight=_number(path, "settings.bound_row_weight",
                                 raw.get("bound_row_weight", base.bound_row_weight)),
        share_month=share_month,
    )


def _fit_settings(path: Path, raw: Mapping[str, Any]) -> FitSettings:
    _check_keys(path, "fit", raw, FitSettings.__dataclass_fields__)
    base = FitSettings()
    values: dict[str, Any] = {}
    for key in ("starts", "max_nfev", "bootstrap", "de_popsize", "de_maxiter"):
        value = raw.get(key, getattr(base, key))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(path, f"fit.{key}", f"{value!r} is not a whole number >= 0")
        values[key] = value
    seed = raw.get("seed", base.seed)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _fail(path, "fit.seed", f"{seed!r} is not a whole number")
    confidence = _number(path, "fit.confidence", raw.get("confidence", base.confidence))
    if not 0 < confidence < 1:
        raise _fail(path, "fit.confidence", f"{confidence} must lie between 0 and 1, e.g. 0.95")
    return FitSettings(method=_choice(path, "fit.method", raw.get("method", base.method), METHODS),
                       seed=seed, confidence=confidence, **values)


def _series(
    path: Path, name: str, raw: Mapping[str, Any], *, model_names: Collection[str],
    observed: Collection[str],
) -> SeriesSpec | str:
    """Return the spec of a used series, or the reason it is not used."""
    from sdmodel.names import KPIS

    key = f"series.{name}"
    _check_keys(path, key, raw, ("use", "reason", "weight", "variable", "aggregation", "scale",
                                 "exclude_lines"))
    if name not in observed:
        raise _fail(path, key, f"no series '{name}' in observations.csv"
                    f"{did_you_mean(name, observed)}; use the series name of the data")
    use = raw.get("use", True)
    if not isinstance(use, bool):
        raise _fail(path, f"{key}.use", f"{use!r} is not true or false")
    if not use:
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise _fail(path, f"{key}.reason", "give the reason the series is not used")
        return reason.strip()
    kpi = KPIS.get(name)
    variable = raw.get("variable", kpi.variable if kpi else None)
    if variable is None:
        raise _fail(path, f"{key}.variable", "the series has no KPI in sdmodel/names.py; "
                    "give the model variable (or a list of variables to sum) it is compared with")
    variables = (variable,) if isinstance(variable, str) else tuple(variable)
    if not variables or not all(isinstance(v, str) for v in variables):
        raise _fail(path, f"{key}.variable", f"{variable!r} is not a variable name or a list")
    for var in variables:
        if var not in model_names:
            raise UnknownVariableError(
                f"{path.name}, key '{key}.variable': '{var}' is not a variable of the model"
                f"{did_you_mean(var, model_names)}; see 'asielketen doc' for the names")
    aggregation = _choice(path, f"{key}.aggregation",
                          raw.get("aggregation", kpi.aggregation if kpi else "stock"),
                          AGGREGATIONS)
    lines = raw.get("exclude_lines", [])
    if not isinstance(lines, list) or not all(isinstance(n, int) for n in lines):
        raise _fail(path, f"{key}.exclude_lines", f"{lines!r} is not a list of line numbers")
    weight = _number(path, f"{key}.weight", raw.get("weight", 1.0))
    if weight < 0:
        raise _fail(path, f"{key}.weight", f"{weight} is negative; give a weight >= 0")
    return SeriesSpec(
        name=name, variables=variables, aggregation=aggregation,
        scale=_number(path, f"{key}.scale", raw.get("scale", kpi.scale if kpi else 1.0)),
        weight=weight, exclude_lines=tuple(lines),
    )


def _parameter(
    path: Path, name: str, raw: Mapping[str, Any], constants: Mapping[str, ConstantInfo],
    model_names: Collection[str],
) -> ParameterSpec:
    key = f'parameters."{name}"'
    _check_keys(path, key, raw, ("min", "max", "start", "scale", "tied"))
    if name not in constants:
        what = "a constant" if name in model_names else "a variable"
        raise UnknownVariableError(
            f"{path.name}, key '{key}': '{name}' is not {what} of the model"
            f"{did_you_mean(name, constants)}; estimated parameters must be constants")
    info = constants[name]
    low = _number(path, f"{key}.min", raw.get("min", info.low))
    high = _number(path, f"{key}.max", raw.get("max", info.high))
    if low >= high:
        raise _fail(path, f"{key}.min", f"min {low:g} is not below max {high:g}; swap them or "
                    "widen the range")
    if (not math.isnan(info.low) and low < info.low) or (
            not math.isnan(info.high) and high > info.high):
        raise _fail(path, f"{key}.min", f"bounds [{low:g}, {high:g}] leave the model's range "
                    f"[{info.low:g}, {info.high:g}]; narrow them or widen the range in the .mdl")
    start = _number(path, f"{key}.start", raw.get("start", info.value))
    if not low <= start <= high:
        raise _fail(path, f"{key}.start", f"start {start:g} is outside [{low:g}, {high:g}]; "
                    "give a start within the bounds")
    scale = _choice(path, f"{key}.scale", raw.get("scale", "linear"), ("linear", "log"))
    if scale == "log" and low <= 0:
        raise _fail(path, f"{key}.scale", f"a log scale needs min > 0 (min is {low:g})")
    tied = raw.get("tied", [])
    if not isinstance(tied, list) or not all(isinstance(t, str) for t in tied):
        raise _fail(path, f"{key}.tied", f"{tied!r} is not a list of constant names")
    for other in tied:
        if other not in constants:
            raise UnknownVariableError(
                f"{path.name}, key '{key}.tied': '{other}' is not a constant of the model"
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
    UnknownVariableError
        If a mapped model variable, an estimated or a tied constant is not in the model.
    """
    path = Path(path) if path is not None else CALIBRATION_CONFIG
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; give the path of a calibration.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path.name}: not valid TOML ({err}); fix the syntax") from err
    _check_keys(path, "(top level)", raw, ("settings", "fit", "series", "parameters"))
    series: dict[str, SeriesSpec] = {}
    unused: dict[str, str] = {}
    for name, table in raw.get("series", {}).items():
        spec = _series(path, name, table, model_names=model_names, observed=observed_series)
        if isinstance(spec, str):
            unused[name] = spec
        else:
            series[name] = spec
    if not series:
        raise _fail(path, "series", "no series is used; add at least one [series.NAME] table")
    parameters = tuple(_parameter(path, name, table, constants, model_names)
                       for name, table in raw.get("parameters", {}).items())
    if not parameters:
        raise _fail(path, "parameters", "no parameter to estimate; add a [parameters.NAME] table")
    seen: set[str] = set()
    for p in parameters:
        for name in (p.name, *p.tied):
            if name in seen:
                raise _fail(path, f'parameters."{p.name}"',
                            f"'{name}' is estimated or tied twice; keep one entry")
            seen.add(name)
    return CalibrationConfig(path=path, settings=_settings(path, raw.get("settings", {})),
                             fit=_fit_settings(path, raw.get("fit", {})), series=series,
                             unused=unused, parameters=parameters)
