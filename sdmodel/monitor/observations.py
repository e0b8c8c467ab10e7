"""New figures for ``asielketen monitor``: checked like the shipped ones, combined, cut at a month.

``NEW.csv`` has the columns of ``calibration/data/observations.csv`` and is read by the same
loader (:func:`sdmodel.data.observations.load_observations`), so every error names the file,
line and field. On top of that a new figure must belong to a series the project knows and must
not lie in the future. A new row with the same series and period as a shipped row replaces it
(a revised figure); other rows are added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from sdmodel.errors import AsielketenError, DataFileError, did_you_mean

KEY = ["series", "period_start", "period_end"]


def load_new_observations(path: Path | str, *, known_series: Collection[str],
                          today: dt.date) -> pd.DataFrame:
    """Read ``NEW.csv`` (preferred rows) and check it.

    Parameters
    ----------
    path
        The CSV file.
    known_series
        Series names a new row may have (those of the shipped observations and the KPIs).
    today
        Figures dated after this day are refused.

    Returns
    -------
    pandas.DataFrame
        The preferred rows, as :func:`~sdmodel.data.observations.load_observations` returns them,
        with ``origin = "new"``.

    Raises
    ------
    DataFileError
        For any row the shipped loader refuses, an unknown series, a date after ``today``, or a
        file without rows.
    """
    from sdmodel.data.observations import load_observations

    path = Path(path)
    frame = load_observations(path)
    name = path.name
    if frame.empty:
        raise DataFileError(f"{name}: no preferred observation rows; add rows with preferred=1")
    for row in frame.itertuples():
        if row.series not in known_series:
            raise DataFileError(
                f"{name} line {row.line}, field 'series': '{row.series}' is not a series of "
                f"observations.csv{did_you_mean(row.series, known_series)}; use the series "
                "names of calibration/data/observations.csv")
        for field in ("period_start", "period_end"):
            when = getattr(row, field).date()
            if when > today:
                raise DataFileError(
                    f"{name} line {row.line}, field '{field}': {when.isoformat()} is in the "
                    f"future (today is {today.isoformat()}); correct the date or drop the row")
    return frame.assign(origin="new")


def combine(shipped: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Return the shipped rows plus the new ones; a new row replaces a shipped row of the same
    series and period."""
    shipped = shipped.assign(origin="shipped")
    keys = pd.MultiIndex.from_frame(new[KEY])
    kept = shipped[~pd.MultiIndex.from_frame(shipped[KEY]).isin(keys)]
    return pd.concat([kept, new], ignore_index=True)


def parse_month_option(text: str, *, option: str) -> pd.Timestamp:
    """Return the first day of the month ``YYYY-MM`` given as ``option``.

    Raises
    ------
    AsielketenError
        If ``text`` is not a month.
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise AsielketenError(f"{option} '{text}' is not a month; write YYYY-MM, e.g. 2026-10")
    return pd.Timestamp(int(match.group(1)), int(match.group(2)), 1)


def month_end(month: pd.Timestamp) -> pd.Timestamp:
    """The last day of ``month``."""
    return month + pd.offsets.MonthEnd(0)


def up_to(rows: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The rows whose period ends in or before the month ``as_of``."""
    return rows[rows["period_end"] <= month_end(as_of)].reset_index(drop=True)
