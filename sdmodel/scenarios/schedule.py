"""Phased schedules: when a measure or a capacity lever takes effect, and how fast.

A :class:`Schedule` turns a start date, a ramp length, a final intensity and optional milestones
into an intensity path over model time (months since 2014-01-01):

- before the start date the intensity is 0;
- with ``ramp_months == 0`` it steps to the final intensity at the start date (the first time
  step on or after it);
- otherwise it rises piecewise-linearly through ``(start, 0)``, each milestone ``(date,
  intensity)`` and ``(start + ramp_months, intensity)``, and stays at the final intensity after.

A measure then sets each input it changes to ``base + intensity(t) * (target - base)`` (see
:mod:`sdmodel.scenarios.measures`). Schedules validate themselves; their errors are one-line
:class:`ScheduleError` messages that the scenario loader prefixes with the file and the key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np

from sdmodel.calendar import date_to_month, month_to_date
from sdmodel.errors import AsielketenError

MAX_RAMP_MONTHS = 120.0
"""Longest ramp accepted (ten years): longer ones are almost certainly a typo."""


class ScheduleError(AsielketenError):
    """A schedule is impossible: bad date, negative ramp, intensity outside 0..1, ..."""


def parse_date(value: object) -> dt.date:
    """Return a calendar date from ``"YYYY-MM-DD"`` or a TOML date.

    Raises
    ------
    ScheduleError
        If ``value`` is not a date of that form, or not a real day (e.g. ``2026-02-30``).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not isinstance(value, str) or match is None:
        raise ScheduleError(
            f"{value!r} is not a date; write it as \"YYYY-MM-DD\", e.g. \"2026-06-12\""
        )
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as err:
        raise ScheduleError(
            f"'{text}' is not a calendar date ({err}); check the month and the day"
        ) from err


@dataclass(frozen=True)
class Schedule:
    """A phased introduction: start date, ramp, final intensity and optional milestones.

    Parameters
    ----------
    start
        Date on which the intensity starts to rise from 0.
    ramp_months
        Months from the start to the final intensity; 0 is a step at the start date.
    intensity
        Final intensity, from 0 (nothing changes) to 1 (the measure as designed, in full).
    milestones
        ``(date, intensity)`` points the path passes through, strictly between the start and the
        end of the ramp, in date order, each intensity in 0..1.

    Raises
    ------
    ScheduleError
        If the ramp is negative, not finite or longer than :data:`MAX_RAMP_MONTHS`, an intensity
        lies outside 0..1, or a milestone is out of order or outside the ramp.
    """

    start: dt.date
    ramp_months: float = 0.0
    intensity: float = 1.0
    milestones: tuple[tuple[dt.date, float], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.start, dt.date):
            raise ScheduleError(f"start {self.start!r} is not a date; write \"YYYY-MM-DD\"")
        ramp = self.ramp_months
        if isinstance(ramp, bool) or not isinstance(ramp, int | float) or not math.isfinite(ramp):
            raise ScheduleError(f"ramp_months = {ramp!r} is not a number of months; write e.g. 12")
        if not 0 <= ramp <= MAX_RAMP_MONTHS:
            raise ScheduleError(
                f"ramp_months = {ramp:g} is outside [0, {MAX_RAMP_MONTHS:g}]; "
                "use 0 for a step or the number of months to full intensity"
            )
        _check_intensity(self.intensity, what="intensity")
        previous = self.start_month
        for date, value in self.milestones:
            month = date_to_month(date)
            if not previous < month < self.end_month:
                raise ScheduleError(
                    f"milestone {date.isoformat()} lies outside the ramp or out of order; "
                    f"milestones must fall strictly between {self.start.isoformat()} and "
                    f"{month_to_date(self.end_month).isoformat()} (start + ramp_months), "
                    "in date order"
                )
            _check_intensity(value, what=f"milestone {date.isoformat()} intensity")
            previous = month

    @property
    def start_month(self) -> float:
        """Model time of the start date (months since 2014-01-01)."""
        return date_to_month(self.start)

    @property
    def end_month(self) -> float:
        """Model time at which the final intensity is reached."""
        return self.start_month + float(self.ramp_months)

    @property
    def is_zero(self) -> bool:
        """True if the intensity is 0 at all times (the schedule changes nothing)."""
        return self.intensity == 0 and all(value == 0 for _, value in self.milestones)

    def intensity_at(self, times: np.ndarray | float) -> np.ndarray:
        """Return the intensity (0..1) at model ``times`` (months since 2014-01-01).

        Parameters
        ----------
        times
            Model times; any shape.

        Returns
        -------
        numpy.ndarray
            Same shape as ``times``.
        """
        t = np.asarray(times, dtype=float)
        start, final = self.start_month, float(self.intensity)
        if self.ramp_months == 0:
            return np.where(t >= start - 1e-9, final, 0.0)
        xs = [start, *(date_to_month(d) for d, _ in self.milestones), self.end_month]
        ys = [0.0, *(float(v) for _, v in self.milestones), final]
        return np.interp(t, xs, ys, left=0.0, right=final)


def _check_intensity(value: object, *, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ScheduleError(
            f"{what} = {value!r} is outside [0, 1]; 0 changes nothing, 1 is the full measure"
        )
