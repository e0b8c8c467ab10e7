"""The tables of a scenario file that describe the future: measures, capacity, thresholds, inflow.

:func:`parse_measures`, :func:`parse_capacity`, :func:`parse_thresholds` and
:func:`parse_inflow_series` turn the ``[measures.<name>]``, ``[capacity.<lever>]``,
``[thresholds]`` and ``[inflow] first_applications_per_month`` parts of a scenario file into
checked objects; :func:`check_not_policy` keeps ``[set]`` away from the policy inputs.
:mod:`sdmodel.scenarios.scenario` reads the file and calls them; every problem is a one-line
:class:`~sdmodel.errors.DataFileError` that starts with ``<file>:<line>: [table]`` and names the
key and the fix (with a did-you-mean for misspelt names).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sdmodel.calendar import date_to_month, month_to_date
from sdmodel.errors import DataFileError, did_you_mean
from sdmodel.names import TER_APEL_NORM
from sdmodel.scenarios.fields import Where, boolean, check_keys, check_number
from sdmodel.scenarios.measures import LEVERS, MEASURES, CapacitySetting, MeasureSetting
from sdmodel.scenarios.schedule import Schedule, ScheduleError, parse_date

SCHEDULE_KEYS: tuple[str, ...] = ("enabled", "start", "ramp_months", "intensity", "milestones",
                                  "without")
CAPACITY_KEYS: tuple[str, ...] = ("amount", "start", "ramp_months")
THRESHOLD_KEYS: tuple[str, ...] = ("coa_occupancy", "coa_occupancy_share", "ter_apel")
POLICY_MARKERS = re.compile(r"Policy input|Capacity lever")
"""Comment markers of the .mdl inputs that measures and capacity funding set."""


@dataclass(frozen=True)
class Thresholds:
    """Limits the comparison counts months above.

    Attributes
    ----------
    coa_occupancy
        COA occupancy limit in persons; ``None`` to use ``coa_occupancy_share``.
    coa_occupancy_share
        COA occupancy limit as a share of regular capacity (1.0: any emergency reception).
    ter_apel
        Ter Apel limit in persons (default: the court-enforced 2,000, parameters.csv
        ter_apel_norm).
    """

    coa_occupancy: float | None = None
    coa_occupancy_share: float = 1.0
    ter_apel: float = TER_APEL_NORM


@dataclass(frozen=True)
class Period:
    """The model months a scheduled change may start in: from the end of history to the end."""

    first: float
    end: float

    def check(self, date_value: object, *, source: str, key: str) -> float:
        """Return the model month of a date inside the period, or raise a DataFileError."""
        date = _date(date_value, source=source, key=key)
        month = date_to_month(date)
        if not self.first <= month < self.end:
            first, last = month_to_date(self.first), month_to_date(self.end)
            raise DataFileError(
                f"{source} {key} = {date.isoformat()} is outside the scenario period "
                f"{first.isoformat()} to {last.isoformat()} (the history before it is data); "
                "choose a date in that period"
            )
        return month


def parse_measures(table: Mapping[str, Any], *, where: Where, period: Period
                   ) -> tuple[MeasureSetting, ...]:
    """Return the measure settings of a ``[measures]`` table.

    Each ``[measures.<name>]`` may give ``enabled`` (default true), ``start`` (default: the
    measure's planned date), ``ramp_months`` (default: the planned ramp), ``intensity`` (default
    1), ``milestones`` (``[["YYYY-MM-DD", intensity], ...]``), ``without`` (effects of the measure
    to leave out, e.g. an element another bill may not carry) and effect sizes by their keys
    (see :data:`sdmodel.scenarios.measures.MEASURES`), each within its declared range.

    Raises
    ------
    DataFileError
        For an unknown measure or key, an impossible or out-of-period date, a bad schedule, or an
        effect size outside its range.
    """
    settings = []
    for name, body in table.items():
        source = where.at(f"measures.{name}")
        if name not in MEASURES:
            raise DataFileError(
                f"{source} unknown measure '{name}'{did_you_mean(name, MEASURES)}; "
                f"known measures are: {', '.join(MEASURES)}"
            )
        if not isinstance(body, dict):
            raise DataFileError(f"{source} must be a table; write [measures.{name}] with keys")
        measure = MEASURES[name]
        effect_keys = tuple(e.key for e in measure.effects)
        check_keys(body, SCHEDULE_KEYS + effect_keys, where, f"measures.{name}")
        enabled = boolean(body, "enabled", where, f"measures.{name}", True)
        effects = {}
        for key in effect_keys:
            if key in body:
                effect = measure.effect(key)
                effects[key] = check_number(
                    body[key], low=effect.low, high=effect.high, unit=effect.unit,
                    source=where.at(f"measures.{name}", key), key=key,
                )
        schedule = _schedule(body, measure.planned, where=where, table=f"measures.{name}",
                             period=period)
        without = body.get("without", [])
        if not isinstance(without, list) or not all(k in effect_keys for k in without):
            bad = [k for k in without if k not in effect_keys] if isinstance(without, list) else []
            raise DataFileError(
                f"{where.at(f'measures.{name}', 'without')} without must list effects of "
                f"{name} to leave out{f' (not an effect: {bad[0]!r})' if bad else ''}; "
                f"its effects are: {', '.join(effect_keys)}")
        settings.append(MeasureSetting(measure, schedule, effects, enabled, frozenset(without)))
    return tuple(settings)


def parse_capacity(table: Mapping[str, Any], *, where: Where, period: Period
                   ) -> tuple[CapacitySetting, ...]:
    """Return the capacity funding of a ``[capacity]`` table.

    Each ``[capacity.<lever>]`` gives ``amount`` (required, within the lever's range), ``start``
    (default: the start of the scenario period) and ``ramp_months`` (default 0).

    Raises
    ------
    DataFileError
        For an unknown lever or key, a missing or out-of-range amount, or a bad schedule.
    """
    settings = []
    for name, body in table.items():
        source = where.at(f"capacity.{name}")
        if name not in LEVERS:
            raise DataFileError(
                f"{source} unknown capacity lever '{name}'{did_you_mean(name, LEVERS)}; "
                f"known levers are: {', '.join(LEVERS)}"
            )
        if not isinstance(body, dict):
            raise DataFileError(f"{source} must be a table; write [capacity.{name}] with keys")
        check_keys(body, CAPACITY_KEYS, where, f"capacity.{name}")
        lever = LEVERS[name]
        if "amount" not in body:
            raise DataFileError(f"{source} has no amount; write e.g. amount = "
                                f"{lever.high / 10:g}  # {lever.unit}")
        amount = check_number(body["amount"], low=lever.low, high=lever.high, unit=lever.unit,
                              source=where.at(f"capacity.{name}", "amount"), key="amount")
        planned = Schedule(start=month_to_date(period.first))
        schedule = _schedule({k: v for k, v in body.items() if k != "amount"}, planned,
                             where=where, table=f"capacity.{name}", period=period)
        settings.append(CapacitySetting(lever, amount, schedule))
    return tuple(settings)


def parse_thresholds(table: Mapping[str, Any], *, where: Where) -> Thresholds:
    """Return the ``[thresholds]``: ``coa_occupancy`` (persons) or ``coa_occupancy_share``
    (share of regular capacity), and ``ter_apel`` (persons).

    Raises
    ------
    DataFileError
        For an unknown key, both COA keys at once, or a value that is not a positive number.
    """
    check_keys(table, THRESHOLD_KEYS, where, "thresholds")
    if "coa_occupancy" in table and "coa_occupancy_share" in table:
        raise DataFileError(f"{where.at('thresholds', 'coa_occupancy_share')} gives both "
                            "coa_occupancy and coa_occupancy_share; keep only one of them")
    values = {
        key: check_number(value, low=0.0, source=where.at("thresholds", key), key=key,
                          positive=True)
        for key, value in table.items()
    }
    return Thresholds(
        coa_occupancy=values.get("coa_occupancy"),
        coa_occupancy_share=values.get("coa_occupancy_share", 1.0),
        ter_apel=values.get("ter_apel", TER_APEL_NORM),
    )


def parse_inflow_series(points: Any, *, where: Where, period: Period
                        ) -> tuple[tuple[float, float], ...]:
    """Return ``(model month, first applications per month)`` points of a custom inflow.

    ``[inflow] first_applications_per_month = [["2026-01-01", 2600], ["2030-01-01", 3000]]``:
    dates in order inside the scenario period, values non-negative. Between points the inflow is
    interpolated linearly; before the first and after the last it is held.

    Raises
    ------
    DataFileError
        If the value is not such a list, a date is impossible, out of order or outside the
        period, or a value is negative or not a number.
    """
    key = "first_applications_per_month"
    source = where.at("inflow", key)
    if not isinstance(points, list) or not points:
        raise DataFileError(f"{source} {key} must be a list of [\"YYYY-MM-DD\", number] pairs")
    out: list[tuple[float, float]] = []
    for point in points:
        if not isinstance(point, list) or len(point) != 2:
            raise DataFileError(f"{source} {key}: {point!r} is not a [\"YYYY-MM-DD\", number] "
                                "pair")
        month = period.check(point[0], source=source, key=key)
        value = check_number(point[1], low=0.0, unit="person/Month", source=source, key=key)
        if out and month <= out[-1][0]:
            raise DataFileError(f"{source} {key}: the dates must increase; "
                                f"{point[0]} is not after the point before it")
        out.append((float(month), value))
    return tuple(out)


def check_not_policy(name: str, value: float, *, defaults: Mapping[str, float],
                      doc: Mapping[str, Mapping[str, Any]], source: str) -> None:
    """Refuse a ``[set]`` value that moves a "Policy input" or "Capacity lever" of the .mdl away
    from its default: it would act from 2014 and rewrite the history.

    Raises
    ------
    DataFileError
        Naming the measure or lever that sets the input on a schedule.
    """
    comment = str(doc.get(name, {}).get("comment", ""))
    if not POLICY_MARKERS.search(comment) or value == defaults.get(name, value):
        return
    owners = [f"[measures.{m.name}]" for m in MEASURES.values()
              if any(name in e.variables for e in m.effects)]
    owners += [f"[capacity.{lever.name}]" for lever in LEVERS.values() if lever.variable == name]
    via = " or ".join(owners) if owners else "a measure"
    raise DataFileError(
        f"{source} '{name}' = {value:g} would change a policy input from 2014 on (default "
        f"{defaults[name]:g}); set it through {via} so it starts at a date"
    )


# -- helpers ---------------------------------------------------------------------------------------


def _schedule(body: Mapping[str, Any], planned: Schedule, *, where: Where, table: str,
              period: Period) -> Schedule:
    start = planned.start
    if "start" in body:
        period.check(body["start"], source=where.at(table, "start"), key="start")
        start = _date(body["start"], source=where.at(table, "start"), key="start")
    milestones = []
    raw_milestones = body.get("milestones", [])
    source = where.at(table, "milestones")
    if not isinstance(raw_milestones, list):
        raise DataFileError(f"{source} milestones must be a list of [\"YYYY-MM-DD\", intensity] "
                            "pairs")
    for point in raw_milestones:
        if not isinstance(point, list) or len(point) != 2:
            raise DataFileError(f"{source} milestones: {point!r} is not a "
                                "[\"YYYY-MM-DD\", intensity] pair")
        milestones.append((_date(point[0], source=source, key="milestones"), point[1]))
    key = next((k for k in ("milestones", "intensity", "ramp_months") if k in body), "start")
    try:
        return Schedule(
            start=start,
            ramp_months=body.get("ramp_months", planned.ramp_months),
            intensity=body.get("intensity", 1.0),
            milestones=tuple(milestones),
        )
    except ScheduleError as err:
        raise DataFileError(f"{where.at(table, key)} {err}") from err


def _date(value: object, *, source: str, key: str) -> dt.date:
    try:
        return parse_date(value)
    except ScheduleError as err:
        raise DataFileError(f"{source} {key}: {err}") from err
