"""Model time and the calendar: model month 0 is 1 January 2014, the unit of time is the month.

Python turns model time into dates only here, at the boundary: a date is its month plus the
fraction of the month that has passed (12 June 2026 is ``149 + 11 / 30``), a model month is the
first day of that month, and a run's monthly tables are indexed by month starts from
:data:`TIME_ZERO`. The scenario period, the years the tables summarise, is named here too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from calendar import monthrange
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.errors import AsielketenError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

TIME_ZERO = dt.date(2014, 1, 1)
"""The calendar date of model time 0 (INITIAL TIME in the .mdl)."""
SCENARIO_PERIOD: tuple[str, str] = ("2026-01-01", "2035-12-01")
"""The months scenarios differ in and the tables summarise (month starts, inclusive): the model
runs on data before it."""
SCENARIO_START = SCENARIO_PERIOD[0]
"""First day of the scenario period (the end of the history)."""
REPORT_YEAR = 2030
"""The year the KPI tables and the briefing's flow finding describe."""


def date_to_month(date: dt.date) -> float:
    """Return the model time (months since 2014-01-01) of the start of ``date``.

    The day counts as a fraction of its month: 12 June 2026 is ``149 + 11 / 30``. A
    :class:`pandas.Timestamp` is a date too.
    """
    days = monthrange(date.year, date.month)[1]
    return (date.year - TIME_ZERO.year) * 12 + (date.month - 1) + (date.day - 1) / days


def month_to_date(month: float) -> dt.date:
    """Return the calendar date of model time ``month`` (the inverse of :func:`date_to_month`).

    A whole month is the first day of that month.
    """
    whole = math.floor(month + 1e-9)
    year, month_index = divmod(whole, 12)
    year += TIME_ZERO.year
    days = monthrange(year, month_index + 1)[1]
    day = 1 + round((month - whole) * days)
    return dt.date(year, month_index + 1, min(max(day, 1), days))


def parse_month(text: str) -> int:
    """Return the model month (0 = 2014-01) of a ``YYYY-MM`` string.

    Raises
    ------
    AsielketenError
        If ``text`` is not of the form ``YYYY-MM``.
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise AsielketenError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2030-12")
    return (int(match.group(1)) - TIME_ZERO.year) * 12 + int(match.group(2)) - 1


def time_grid(final_time: float, time_step: float) -> np.ndarray:
    """Return the times of a run's steps ``0, dt, ..., final_time`` (months, rounded as PySD's)."""
    return np.round(np.arange(0.0, final_time + time_step / 2, time_step), 10)


def month_dates(months: int, *, name: str | None = None) -> pd.DatetimeIndex:
    """Return the first days of model months ``0 .. months - 1`` (the index of monthly tables)."""
    import pandas as pd

    return pd.date_range(TIME_ZERO, periods=months, freq="MS", name=name)


def model_dates(times: np.ndarray) -> pd.DatetimeIndex:
    """Return the calendar dates (with the time of day) of fractional model times."""
    import pandas as pd

    start = pd.Timestamp(TIME_ZERO)
    whole = np.floor(times + 1e-9).astype(int)
    firsts = pd.DatetimeIndex([start + pd.DateOffset(months=int(m)) for m in whole])
    return firsts + pd.to_timedelta((times - whole) * firsts.days_in_month, unit="D")
