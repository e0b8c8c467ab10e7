"""Monthly series as Vensim lookup tables: step lookups whose integral is the monthly totals.

:func:`vensim_lookup` writes the points of a step lookup (each month's value held from the start
of the month to :data:`STEP_EPS` before the next), :func:`vensim_with_lookup` a whole ``WITH
LOOKUP`` equation with units, range and comment; :func:`vensim_safe` keeps a comment free of the
characters Vensim reads as syntax. Used by :mod:`calibration.inflow` to write the inflow history
and the MPP band into the .mdl.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from sdmodel.calendar import TIME_ZERO

STEP_EPS = 0.001
"""A value holds on ``[t, t_next - STEP_EPS]``; see :func:`vensim_lookup`."""


def months_between(t0: pd.Timestamp, t: pd.Timestamp) -> int:
    """Whole calendar months from the month of ``t0`` to the month of ``t``."""
    return (t.year - t0.year) * 12 + t.month - t0.month


def _as_series(series: pd.Series | pd.DataFrame) -> pd.Series:
    if isinstance(series, pd.DataFrame):
        return series.set_index("date")["value"]
    return series


def _fmt(number: float) -> str:
    return format(float(number), ".12g")


def _step_points(
    series: pd.Series | pd.DataFrame, time0: str
) -> list[tuple[float, float]]:
    """(time, value) points that hold each value from its date until just before the next."""
    values = _as_series(series).sort_index()
    if values.empty or values.isna().any():
        raise ValueError("the series is empty or has missing values; give one number per period")
    t0 = pd.Timestamp(time0)
    dates = pd.DatetimeIndex(values.index)
    if t0 != t0.normalize() or t0.day != 1 or (dates != dates.normalize()).any() or (
            dates.day != 1).any():
        raise ValueError("time0 and every date must be the first of a month at midnight")
    starts = [months_between(t0, d) for d in dates]
    if len(set(starts)) != len(starts):
        raise ValueError("the series has two values in one month; give one value per period")
    span = starts[-1] - starts[-2] if len(starts) > 1 else 1
    ends = [*starts[1:], starts[-1] + span]
    points: list[tuple[float, float]] = []
    for start, end, value in zip(starts, ends, values.to_numpy(dtype=float), strict=True):
        points += [(float(start), value), (end - STEP_EPS, value)]
    return points


def vensim_lookup(series: pd.Series | pd.DataFrame, *, time0: str = TIME_ZERO.isoformat()) -> str:
    """Render a period series as the points of a piecewise-constant Vensim lookup.

    Each value ``v`` of the period starting at month ``t`` (months since ``time0``) and ending
    before the next period at ``t_next`` becomes the pair ``(t,v),(t_next-0.001,v)``; the last
    period lasts as long as the one before it (one month for a monthly series, twelve for a
    yearly one). Between ``t_next-0.001`` and ``t_next`` Vensim interpolates linearly, so with
    any TIME STEP that divides a month and is at least 1/512 month (e.g. 1, 0.5, 0.25, 0.125,
    0.0625) every evaluation inside a month sees exactly ``v`` and an Euler-integrated flow
    adds exactly ``v`` per month. Outside the points Vensim and PySD hold the end values.

    Parameters
    ----------
    series
        Values indexed by period-start dates (first of a month), or a DataFrame with ``date``
        and ``value`` columns such as :func:`monthly_first_applications` returns.
    time0
        The calendar date of model time 0 (first of a month).

    Returns
    -------
    str
        ``"(0,v0),(0.999,v0),(1,v1),(1.999,v1),..."``: two points per period, numbers with 12
        significant digits.

    Raises
    ------
    ValueError
        If the series is empty, has missing values or two values in a month, or a date is not
        the first of a month.
    """
    return ",".join(f"({_fmt(t)},{_fmt(v)})" for t, v in _step_points(series, time0))


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / step) * step


def vensim_with_lookup(
    name: str,
    series: pd.Series | pd.DataFrame,
    *,
    units: str,
    comment: str,
    time0: str = TIME_ZERO.isoformat(),
) -> str:
    """Return a complete Vensim equation ``name = WITH LOOKUP(Time, ([range],points))``.

    Parameters
    ----------
    name
        The Vensim variable name, e.g. ``"first applications history"``.
    series
        As for :func:`vensim_lookup`.
    units
        Vensim units, e.g. ``"persons/Month"``.
    comment
        The documentation field (source or ``assumption: reason``); wrapped over lines.
    time0
        The calendar date of model time 0.

    Returns
    -------
    str
        The equation text (ending with ``|``), ready to paste into the .mdl; the range header is
        ``[(t_first,y_min)-(t_last,y_max)]`` with ``y_min`` 0 (or the minimum if negative) and
        ``y_max`` the maximum rounded up to two significant digits. Long point lists are
        continued over lines with Vensim's ``\\`` line break.

    Raises
    ------
    ValueError
        If ``name``, ``units`` or ``comment`` contain ``~`` or ``|`` (they end Vensim fields), or
        the series is invalid (see :func:`vensim_lookup`).
    """
    for field, text in (("name", name), ("units", units), ("comment", comment)):
        bad = sorted({c for c in text if c in "~|"})
        if bad:
            raise ValueError(f"{field} contains {' and '.join(bad)}, which ends a Vensim field; "
                             "remove it or percent-encode it in URLs (%7E, %7C)")
    points = _step_points(series, time0)
    ys = [v for _, v in points]
    header = (f"[({_fmt(points[0][0])},{_fmt(min(0.0, min(ys)))})-"
              f"({_fmt(points[-1][0])},{_fmt(_nice_ceiling(max(ys)))})]")
    texts = [f"({_fmt(t)},{_fmt(v)})" for t, v in points]
    rows = [",".join(texts[i:i + 6]) for i in range(0, len(texts), 6)]
    body = ",\\\n\t\t".join([header, *rows])
    wrapped = "\n\t\t".join(textwrap.wrap(" ".join(comment.split()), width=90,
                                          break_on_hyphens=False, break_long_words=False))
    return (f"{name} = WITH LOOKUP(\n\tTime,\n\t\t({body}))\n\t~\t{units}\n"
            f"\t~\t{wrapped}\n\t|\n")


def vensim_safe(text: str) -> str:
    return text.replace("~", "%7E").replace("|", "%7C")
