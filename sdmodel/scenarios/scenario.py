"""Scenario files (TOML) -> validated model overrides, measures, capacity funding and thresholds.

A scenario file looks like this::

    name = "gefaseerd"
    description = "Maatregelen na elkaar ingevoerd"

    [inflow]
    band = "mid"             # low | mid | high, or a number 0..1 (position in the MPP band)
    # or a custom series of first applications per month (linear between the points):
    # first_applications_per_month = [["2026-01-01", 2600], ["2030-01-01", 3000]]

    [set]                    # optional: model constants from 2014 on, Vensim names as in the .mdl
    "time to acquire regular capacity" = 12

    [measures.two_status]    # a measure of sdmodel.scenarios.measures.MEASURES on a phased schedule
    start = "2027-01-01"     # default: the measure's planned date
    ramp_months = 12         # 0 = a step on the start date
    intensity = 1            # final intensity, 0..1
    milestones = [["2027-07-01", 0.25]]
    enabled = true           # a switch for uncertain votes
    ind_hours = 5.0          # an effect size, within the measure's declared range

    [capacity.ind_staff]     # capacity funding of sdmodel.scenarios.measures.LEVERS
    amount = 200             # FTE
    start = "2026-01-01"
    ramp_months = 6

    [thresholds]
    coa_occupancy = 60000    # persons; or coa_occupancy_share = 1.0 (of regular capacity)
    ter_apel = 2000

A bare name (``"gefaseerd"``) resolves to ``models/scenarios/<name>.toml``. Measures and capacity
act from their start date inside the scenario period (after the history); ``[set]`` acts from
2014, so it may not move a "Policy input" or "Capacity lever" of the .mdl away from its default
(use the measure or the lever instead). Every
problem is reported as a :class:`~sdmodel.errors.DataFileError` or
:class:`~sdmodel.errors.UnknownVariableError` that names the file, the line, the key and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdmodel.errors import AsielketenError, DataFileError, UnknownVariableError, did_you_mean
from sdmodel.names import HISTORY_END_VARIABLE, INFLOW_BAND_VARIABLE
from sdmodel.paths import SCENARIO_DIR
from sdmodel.scenarios.measures import CapacitySetting, MeasureSetting
from sdmodel.scenarios.tables import (
    Period,
    Thresholds,
    Where,
    check_not_policy,
    parse_capacity,
    parse_inflow_series,
    parse_measures,
    parse_thresholds,
)

if TYPE_CHECKING:
    from sdmodel.engine.model import ChainModel

DEFAULT_SCENARIO = "baseline"
BANDS: dict[str, float] = {"low": 0.0, "mid": 0.5, "high": 1.0}
TOP_LEVEL_KEYS: tuple[str, ...] = (
    "name", "description", "inflow", "set", "measures", "capacity", "thresholds"
)
INFLOW_KEYS: tuple[str, ...] = ("band", "first_applications_per_month")


@dataclass(frozen=True)
class Scenario:
    """A named set of model overrides.

    Attributes
    ----------
    name
        Scenario name (the file's ``name``, or its stem if absent).
    description
        One-paragraph description for reports.
    overrides
        Vensim variable name -> value, including the inflow band position (constants from 2014).
    source
        The TOML file it was read from (``None`` if built in code).
    measures
        Scheduled measures (including switched-off ones, ``enabled`` false).
    capacity
        Scheduled capacity funding.
    thresholds
        Limits the comparison counts months above.
    inflow_series
        ``(model month, first applications per month)`` points of a custom inflow; empty for the
        MPP band.
    """

    name: str
    description: str = ""
    overrides: dict[str, float] = field(default_factory=dict)
    source: Path | None = None
    measures: tuple[MeasureSetting, ...] = ()
    capacity: tuple[CapacitySetting, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    inflow_series: tuple[tuple[float, float], ...] = ()

    @property
    def active_measures(self) -> tuple[MeasureSetting, ...]:
        """The measures that are switched on and not at zero intensity."""
        return tuple(m for m in self.measures if m.enabled and not m.schedule.is_zero)


def scenario_path(name_or_path: str | Path) -> Path:
    """Return the file of a scenario given by bare name or by path.

    A value that contains a path separator or ends in ``.toml`` is a path; anything else is a name
    in ``models/scenarios/``.

    Raises
    ------
    DataFileError
        If the file does not exist (the message lists the available scenarios).
    """
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or "/" in text or "\\" in text
    path = Path(text) if is_path or text.endswith(".toml") else SCENARIO_DIR / f"{text}.toml"
    if path.is_file():
        return path
    available = available_scenarios()
    hint = did_you_mean(path.stem, available) if not is_path else ""
    listing = ", ".join(available) or "none"
    raise DataFileError(
        f"scenario file {path} not found{hint}; give a file path or one of: {listing}"
    )


def available_scenarios() -> list[str]:
    """Return the names of the scenarios in ``models/scenarios/``, sorted.

    Optimisation specs live there too (``asielketen optimize``); they have an ``[objective]``
    table and are not scenarios, so they are left out.
    """
    return sorted(
        p.stem for p in SCENARIO_DIR.glob("*.toml") if not _is_optimisation_spec(p)
    )


def _is_optimisation_spec(path: Path) -> bool:
    """Whether a TOML file in the scenario folder is an optimisation spec."""
    return re.search(r"^\s*\[objective\]", path.read_text(encoding="utf-8"), re.M) is not None


def load_scenario(name_or_path: str | Path, *, model: ChainModel) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    name_or_path
        A scenario name in ``models/scenarios/`` or the path of a TOML file.
    model
        The model the scenario will be applied to (its variable names and ranges are checked).

    Returns
    -------
    Scenario
        With ``overrides`` holding the inflow band position (if ``[inflow] band`` is given) and
        the ``[set]`` values, and the parsed measures, capacity, thresholds and inflow series.

    Raises
    ------
    DataFileError
        If the file is missing, is not valid TOML, has unknown keys, an unknown band, a value that
        is not a number, a variable that is not a constant, a value outside the variable's range,
        a policy input changed in ``[set]``, an unknown measure or lever, an impossible date or a
        date outside the scenario period, or an effect size outside its range.
    UnknownVariableError
        If ``[set]`` names a variable the model does not have.
    """
    path = scenario_path(name_or_path)
    raw = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{path}: invalid TOML: {err}; fix the syntax there") from err
    if "objective" in data:
        raise DataFileError(
            f"{path}: this is an optimisation spec, not a scenario; run it with "
            f"'asielketen optimize {path.stem}'"
        )

    _check_keys(data, TOP_LEVEL_KEYS, path=path, raw=raw, table=None)
    name = _string(data, "name", path=path, default=path.stem)
    description = _string(data, "description", path=path, default="")
    where = Where(path, raw)

    overrides: dict[str, float] = {}
    inflow = _table(data, "inflow", path=path)
    _check_keys(inflow, INFLOW_KEYS, path=path, raw=raw, table="inflow")
    if "band" in inflow and "first_applications_per_month" in inflow:
        raise DataFileError(f"{where.at('inflow', 'first_applications_per_month')} gives both "
                            "band and first_applications_per_month; keep only one of them")
    if "band" in inflow:
        source = f"{path}{_at_line(raw, 'band')}: [inflow]"
        overrides[INFLOW_BAND_VARIABLE] = band_position(inflow["band"], source=source)

    settings = _table(data, "set", path=path)
    if INFLOW_BAND_VARIABLE in settings and "band" in inflow:
        raise DataFileError(
            f"{path}{_at_line(raw, INFLOW_BAND_VARIABLE)}: [set] '{INFLOW_BAND_VARIABLE}' "
            "repeats [inflow] band; keep only one of them"
        )
    for key, value in settings.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataFileError(
                f"{path}{_at_line(raw, key)}: [set] '{key}' = {value!r} is not a number; "
                "write a plain number"
            )
        overrides[key] = float(value)

    names, doc = model.names(), _doc_by_name(model)
    for key, value in overrides.items():
        where_key = "[set]" if key in settings else "[inflow] band sets"
        source = f"{path}{_at_line(raw, key)}: {where_key}"
        _check_override(key, value, names=names, doc=doc, source=source)

    defaults = _defaults(model)
    for key, value in settings.items():
        check_not_policy(key, float(value), defaults=defaults, doc=doc,
                          source=f"{path}{_at_line(raw, key)}: [set]")
    period = Period(first=defaults.get(HISTORY_END_VARIABLE, 0.0), end=model.final_time)
    inflow_points = ()
    if "first_applications_per_month" in inflow:
        inflow_points = parse_inflow_series(inflow["first_applications_per_month"],
                                            where=where, period=period)
    return Scenario(
        name=name,
        description=description,
        overrides=overrides,
        source=path,
        measures=parse_measures(_table(data, "measures", path=path), where=where, period=period),
        capacity=parse_capacity(_table(data, "capacity", path=path), where=where, period=period),
        thresholds=parse_thresholds(_table(data, "thresholds", path=path), where=where),
        inflow_series=inflow_points,
    )


def band_position(band: Any, *, source: str) -> float:
    """Return the MPP band position (0..1) for ``"low"``, ``"mid"``, ``"high"`` or a number.

    Raises
    ------
    DataFileError
        If ``band`` is another word, not a number, or outside 0..1; the message starts with
        ``source``.
    """
    if isinstance(band, str):
        if band in BANDS:
            return BANDS[band]
        raise DataFileError(
            f"{source} band = '{band}' is not a band{did_you_mean(band, BANDS)}; "
            "use low, mid, high or a number from 0 to 1"
        )
    if isinstance(band, bool) or not isinstance(band, int | float) or not 0 <= band <= 1:
        raise DataFileError(
            f"{source} band = {band!r} is outside the MPP band; "
            "use low, mid, high or a number from 0 to 1"
        )
    return float(band)


def validate_overrides(
    overrides: Mapping[str, float], *, model: ChainModel, source: str
) -> dict[str, float]:
    """Check that each override names a model constant and lies within its range.

    Parameters
    ----------
    overrides
        Vensim name -> value.
    model
        The model whose ``names()`` and ``doc()`` (kind, min, max) are checked against.
    source
        Where the overrides come from (e.g. ``"--set"`` or ``"<file>: [set]"``), used to start
        every error message.

    Returns
    -------
    dict
        The overrides as floats.

    Raises
    ------
    UnknownVariableError
        If a name is not a model variable (with did-you-mean suggestions).
    DataFileError
        If a variable is not a constant, a value is not finite, or it lies outside ``[min, max]``.
    """
    if not overrides:
        return {}
    names, doc = model.names(), _doc_by_name(model)
    return {
        name: _check_override(name, value, names=names, doc=doc, source=source)
        for name, value in overrides.items()
    }


def _check_override(
    name: str, value: float, *, names: list[str], doc: Mapping[str, Mapping[str, Any]], source: str
) -> float:
    """Return ``value`` as a float after checking it against the model (see validate_overrides)."""
    if name not in names:
        raise UnknownVariableError(
            f"{source} '{name}' is not a model variable{did_you_mean(name, names)}; "
            "see `asielketen doc --kind constant` for the names"
        )
    row = doc.get(name, {})
    kind = row.get("kind")
    if kind is not None and kind != "constant":
        raise DataFileError(
            f"{source} '{name}' is not a constant (its kind is '{kind}'); "
            "only constants can be set"
        )
    value = float(value)
    if not math.isfinite(value):
        raise DataFileError(f"{source} '{name}' = {value} is not a finite number")
    low, high = _bound(row.get("min")), _bound(row.get("max"))
    if (low is not None and value < low) or (high is not None and value > high):
        raise DataFileError(
            f"{source} '{name}' = {value:g} is outside its range "
            f"[{_fmt(low)}, {_fmt(high)}]; choose a value in that range"
        )
    return value


def parse_set_option(text: str) -> tuple[str, float]:
    """Parse one ``--set NAME=VALUE`` option.

    Parameters
    ----------
    text
        E.g. ``"time to acquire regular capacity=12"``.

    Returns
    -------
    tuple
        ``(name, value)`` with surrounding spaces removed from the name.

    Raises
    ------
    AsielketenError
        If there is no ``=``, the name is empty, or the value is not a finite number.
    """
    name, sep, value_text = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise AsielketenError(
            f"'{text}' is not NAME=VALUE; write e.g. --set \"time to acquire regular capacity=12\""
        )
    try:
        value = float(value_text.strip())
    except ValueError:
        hint = " (use a dot as decimal separator)" if "," in value_text else ""
        raise AsielketenError(
            f"'{text}': '{value_text.strip()}' is not a number{hint}; "
            "write NAME=VALUE with a number"
        ) from None
    if not math.isfinite(value):
        raise AsielketenError(f"'{text}': the value must be a finite number")
    return name, value


def resolve_overrides(
    scenario: Scenario, set_options: Iterable[tuple[str, float]], *, model: ChainModel
) -> dict[str, float]:
    """Return the scenario's overrides updated with ``--set`` values (validated).

    Parameters
    ----------
    scenario
        The loaded scenario (its overrides are already validated).
    set_options
        ``(name, value)`` pairs from :func:`parse_set_option`; later ones win.
    model
        The model the overrides are checked against.
    """
    extra = validate_overrides(dict(set_options), model=model, source="--set")
    return {**scenario.overrides, **extra}


# -- helpers ---------------------------------------------------------------------------------------


def _check_keys(
    data: Mapping[str, Any], allowed: tuple[str, ...], *, path: Path, raw: str, table: str | None
) -> None:
    where = f"[{table}] " if table else ""
    for key in data:
        if key not in allowed:
            raise DataFileError(
                f"{path}{_at_line(raw, key)}: unknown key {where}'{key}'"
                f"{did_you_mean(key, allowed)}; allowed keys are: {', '.join(allowed)}"
            )


def _table(data: Mapping[str, Any], key: str, *, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise DataFileError(f"{path}: '{key}' must be a table; write it as [{key}] with keys below")
    return value


def _string(data: Mapping[str, Any], key: str, *, path: Path, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise DataFileError(f"{path}: '{key}' must be a quoted string, got {value!r}")
    return value


def _at_line(raw: str, key: str) -> str:
    """Return ``":<line>"`` for the first line that defines ``key``, or ``""``."""
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        for form in (key, f'"{key}"', f"'{key}'", f"[{key}]"):
            if stripped.startswith(form) and stripped[len(form) :].lstrip()[:1] in ("=", ""):
                return f":{number}"
    return ""


def _defaults(model: ChainModel) -> dict[str, float]:
    """The model's values at time 0 without overrides (constants keep them over the run)."""
    return model.initial_values()


def _doc_by_name(model: ChainModel) -> dict[str, dict[str, Any]]:
    doc = model.doc()
    if "name" in doc.columns:
        doc = doc.set_index("name")
    return {str(k): v for k, v in doc.to_dict(orient="index").items()}


def _bound(value: Any) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"
