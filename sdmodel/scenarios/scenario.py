"""Scenario files (TOML) -> validated model overrides, measures, capacity funding and thresholds.

A scenario file looks like this::

    name = "gefaseerd"
    description = "Maatregelen na elkaar ingevoerd"

    [inflow]
    band = "mid"             # low | mid | high, or a number 0..1 (position in the MPP band)
    change = -0.12           # optional: every future inflow x (1 + change) from the scenario
                             # start (the break-even knob; 0 = as forecast)
    # or a custom series of first applications per month (linear between the points):
    # first_applications_per_month = [["2026-01-01", 2600], ["2030-01-01", 3000]]

    [set]                    # optional: model constants from 2014 on, Vensim names as in the .mdl
    "base time to acquire regular capacity" = 12

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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdmodel.errors import DataFileError, did_you_mean
from sdmodel.names import HISTORY_END_VARIABLE, INFLOW_BAND_VARIABLE, INFLOW_CHANGE_VARIABLE
from sdmodel.paths import SCENARIO_DIR
from sdmodel.scenarios.fields import check_keys, find_toml, read_toml, string, sub_table
from sdmodel.scenarios.measures import CapacitySetting, MeasureSetting
from sdmodel.scenarios.overrides import check_override, doc_by_name, validate_overrides
from sdmodel.scenarios.rules import Rule, check_rules, parse_rules
from sdmodel.scenarios.tables import (
    Period,
    Thresholds,
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
    "name", "description", "inflow", "set", "measures", "capacity", "thresholds", "rules"
)
INFLOW_KEYS: tuple[str, ...] = ("band", "change", "first_applications_per_month")


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
        Vensim variable name -> value, including the inflow band position (constants from 2014)
        and ``[inflow] change`` (the .mdl applies it from the end of the history).
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
    rules
        Adaptive rules (``[[rules]]``, :mod:`sdmodel.scenarios.rules`), slot 1 first.
    """

    name: str
    description: str = ""
    overrides: dict[str, float] = field(default_factory=dict)
    source: Path | None = None
    measures: tuple[MeasureSetting, ...] = ()
    capacity: tuple[CapacitySetting, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    inflow_series: tuple[tuple[float, float], ...] = ()
    rules: tuple[Rule, ...] = ()

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
    return find_toml(name_or_path, SCENARIO_DIR, what="scenario file",
                     names=available_scenarios())


def available_scenarios() -> list[str]:
    """Return the names of the scenarios in ``models/scenarios/``, sorted.

    Optimisation specs live there too (``asielketen optimize``); they have an ``[objective]``
    table and are not scenarios, so they are left out.
    """
    return sorted(
        p.stem for p in SCENARIO_DIR.glob("*.toml") if not is_optimisation_spec(p)
    )


def is_optimisation_spec(path: Path) -> bool:
    """Whether a TOML file in the scenario folder is an optimisation spec (it has an
    ``[objective]`` table)."""
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
        With ``overrides`` holding the inflow band position and change (if ``[inflow] band`` or
        ``change`` is given) and the ``[set]`` values, and the parsed measures, capacity,
        thresholds and inflow series.

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
    data, where = read_toml(path)
    if "objective" in data:
        raise DataFileError(
            f"{path}: this is an optimisation spec, not a scenario; run it with "
            f"'asielketen optimize {path.stem}'"
        )

    check_keys(data, TOP_LEVEL_KEYS, where, None)
    name = string(data, "name", where, None, path.stem)
    description = string(data, "description", where, None, "")

    overrides: dict[str, float] = {}
    inflow = sub_table(data, "inflow", where)
    check_keys(inflow, INFLOW_KEYS, where, "inflow")
    if "band" in inflow and "first_applications_per_month" in inflow:
        raise DataFileError(f"{where.at('inflow', 'first_applications_per_month')} gives both "
                            "band and first_applications_per_month; keep only one of them")
    if "band" in inflow:
        overrides[INFLOW_BAND_VARIABLE] = band_position(inflow["band"],
                                                        source=where.at("inflow", "band"))

    if "change" in inflow:
        overrides[INFLOW_CHANGE_VARIABLE] = inflow_change(inflow["change"],
                                                          source=where.at("inflow", "change"))

    settings = sub_table(data, "set", where)
    for variable, key in ((INFLOW_BAND_VARIABLE, "band"), (INFLOW_CHANGE_VARIABLE, "change")):
        if variable in settings and key in inflow:
            raise DataFileError(
                f"{where.at('set', variable)} '{variable}' repeats [inflow] {key}; keep only "
                "one of them"
            )
    for key, value in settings.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataFileError(f"{where.at('set', key)} '{key}' = {value!r} is not a number; "
                                "write a plain number")
        overrides[key] = float(value)

    names, doc = model.names(), doc_by_name(model)
    for key, value in overrides.items():
        inflow_key = "change" if key == INFLOW_CHANGE_VARIABLE else "band"
        source = (where.at("set", key) if key in settings
                  else f"{where.at('inflow', inflow_key)} {inflow_key} sets")
        check_override(key, value, names=names, doc=doc, source=source)

    defaults = model.initial_values()
    for key, value in settings.items():
        check_not_policy(key, float(value), defaults=defaults, doc=doc,
                         source=where.at("set", key))
    period = Period(first=defaults.get(HISTORY_END_VARIABLE, 0.0), end=model.final_time)
    inflow_points = ()
    if "first_applications_per_month" in inflow:
        inflow_points = parse_inflow_series(inflow["first_applications_per_month"],
                                            where=where, period=period)
    measures = parse_measures(sub_table(data, "measures", where), where=where, period=period)
    rules = parse_rules(data.get("rules"), path=path, raw=where.raw)
    check_rules(rules, measures, source=path)
    return Scenario(
        name=name,
        description=description,
        overrides=overrides,
        source=path,
        measures=measures,
        capacity=parse_capacity(sub_table(data, "capacity", where), where=where, period=period),
        thresholds=parse_thresholds(sub_table(data, "thresholds", where), where=where),
        inflow_series=inflow_points,
        rules=rules,
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


def inflow_change(change: Any, *, source: str) -> float:
    """Return ``[inflow] change`` (a fraction: -0.12 = 12% less future inflow) as a float.

    Raises
    ------
    DataFileError
        If ``change`` is not a number; the message starts with ``source``. Its range is the
        .mdl's, checked with the other overrides.
    """
    if isinstance(change, bool) or not isinstance(change, int | float):
        raise DataFileError(
            f"{source} change = {change!r} is not a number; write the relative change of the "
            "future inflow, e.g. change = -0.12 for 12% less"
        )
    return float(change)


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

    Raises
    ------
    DataFileError
        As for a scenario's ``[set]``: a value outside its range, or a policy input moved away
        from its default (it would act from 2014 on; a dated measure sets it instead).
    UnknownVariableError
        If a name is not a model variable.
    """
    extra = validate_overrides(dict(set_options), model=model, source="--set")
    if extra:  # one rule for --set and [set]: policy inputs only through a dated measure
        defaults, doc = model.initial_values(), doc_by_name(model)
        for key, value in extra.items():
            check_not_policy(key, value, defaults=defaults, doc=doc, source="--set")
    return {**scenario.overrides, **extra}
