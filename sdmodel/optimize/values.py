"""Checked values of optimisation specs that are decisions: dates, ramps and ranges as bounds.

Each helper reads one key of one table and returns ``(low, high)`` in model months or lever
units (equal bounds: a fixed value), or raises a one-line :class:`~sdmodel.errors.DataFileError`
that starts with ``<file>:<line>: [table]`` and says how to fix the value (used by
:mod:`sdmodel.optimize.spec`; plain numbers, choices and keys are checked by
:mod:`sdmodel.scenarios.fields`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sdmodel.calendar import date_to_month
from sdmodel.errors import DataFileError
from sdmodel.scenarios.fields import Where, is_number
from sdmodel.scenarios.schedule import MAX_RAMP_MONTHS, ScheduleError, parse_date

Bounds = tuple[float, float]
"""``(low, high)``; equal bounds mean a fixed value."""


def is_free(bounds: Bounds | None) -> bool:
    """True for a range with room in it (a decision, not a fixed value)."""
    return bounds is not None and bounds[0] != bounds[1]


def horizon_bounds(value: Any, where: Where) -> Bounds:
    """``horizon = [first, last]``: the whole months from ``first`` to ``last`` (model months)."""
    source = where.at(None, "horizon")
    if not isinstance(value, list) or len(value) != 2:
        raise DataFileError(f"{source} horizon = {value!r}; write [\"YYYY-MM-DD\", \"YYYY-MM-DD\"]"
                            ", e.g. [\"2026-01-01\", \"2035-12-01\"]")
    first, last = (date_month(v, source, "horizon") for v in value)
    if last <= first:
        raise DataFileError(f"{source} horizon ends before it starts; give [first, last] month")
    return float(math.ceil(first - 1e-9)), float(math.floor(last + 1e-9))


def date_bounds(body: Mapping[str, Any], key: str, where: Where, table: str) -> Bounds | None:
    """A date (fixed, kept exactly) or ``[earliest, latest]`` (rounded inwards to month starts),
    as model months; ``None`` when ``key`` is absent."""
    if key not in body:
        return None
    source = where.at(table, key)
    value = body[key]
    if isinstance(value, list):
        if len(value) != 2:
            raise DataFileError(f"{source} {key} = {value!r}; give one date or [earliest, latest]")
        low, high = (date_month(v, source, key) for v in value)
        whole = float(math.ceil(low - 1e-9)), float(math.floor(high + 1e-9))
        if whole[0] > whole[1]:
            raise DataFileError(f"{source} {key}: no month start lies between {value[0]} and "
                                f"{value[1]}; widen the range (starts are searched in months)")
        return whole
    month = date_month(value, source, key)
    return month, month


def ramp_bounds(body: Mapping[str, Any], where: Where, table: str) -> Bounds | None:
    """``ramp_months``: a number (fixed) or ``[shortest, longest]`` in whole months."""
    if "ramp_months" not in body:
        return None
    low, high = range_bounds(body["ramp_months"], where.at(table, "ramp_months"), "ramp_months",
                             0.0, MAX_RAMP_MONTHS, unit="months")
    if low != high:
        low, high = float(math.ceil(low)), float(math.floor(high))
        if low > high:
            raise DataFileError(f"{where.at(table, 'ramp_months')} no whole month lies in the "
                                "range; widen it (ramps are searched in whole months)")
    return low, high


def range_bounds(value: Any, source: str, key: str, low: float, high: float, *,
                 unit: str) -> Bounds:
    """A number (fixed) or a ``[low, high]`` pair, each within ``[low, high]``."""
    items = value if isinstance(value, list) else [value, value]
    if len(items) != 2 or not all(is_number(v) for v in items) or items[0] > items[1]:
        raise DataFileError(f"{source} {key} = {value!r}; give a number or a [low, high] pair")
    for v in items:
        if not low <= v <= high:
            raise DataFileError(f"{source} {key} = {v:g} is outside [{low:g}, {high:g}] {unit}; "
                                "choose values in that range")
    return float(items[0]), float(items[1])


def date_month(value: Any, source: str, key: str) -> float:
    """The model month of a ``"YYYY-MM-DD"`` or TOML date."""
    try:
        return date_to_month(parse_date(value))
    except ScheduleError as err:
        raise DataFileError(f"{source} {key}: {err}") from err


def month_of(body: Mapping[str, Any], key: str, where: Where, table: str) -> float | None:
    """The model month of the date at ``key``, or ``None`` when absent."""
    return None if key not in body else date_month(body[key], where.at(table, key), key)
