"""The MPP forecast band of the asylum inflow (low and high, and the mid as an assumption).

:func:`mpp_band` reads the band issued on a date from ``calibration/data/forecasts.csv``: total
asylum inflow per year (first applications, nareis, resettlement and repeat applications), with
the mid taken as the midpoint of low and high because the MPP publishes none.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sdmodel.data.observations import load_forecasts
from sdmodel.errors import DataFileError

MPP_SERIES = "asylum_inflow_total"
"""The observed series the MPP band forecasts."""


def mpp_band(issued: str = "2025-09-26", *, path: Path | str | None = None) -> pd.DataFrame:
    """The MPP (meerjarenproductieprognose) inflow band issued on ``issued``, per calendar year.

    The band is total asylum inflow (first applications + nareis + resettlement + repeat
    applications), in persons per year. The MPP gives low and high only.

    Parameters
    ----------
    issued
        The issue date of the band in ``forecasts.csv`` (ISO date).
    path
        ``forecasts.csv`` to read; default the shipped file.

    Returns
    -------
    pandas.DataFrame
        ``year, low, high, mid, source, note, line``; ``mid`` is an assumption (the midpoint
        of low and high) and ``note`` says so.

    Raises
    ------
    DataFileError
        If there is no band with that issue date, a row does not cover one calendar year, or
        low or high is missing.
    """
    forecasts = load_forecasts(path)
    file = Path(path).name if path else "forecasts.csv"
    rows = forecasts[(forecasts["series"] == MPP_SERIES)
                     & (forecasts["issued"] == pd.Timestamp(issued))]
    if rows.empty:
        dates = sorted({d.date().isoformat() for d in
                        forecasts.loc[forecasts["series"] == MPP_SERIES, "issued"].dropna()})
        raise DataFileError(f"{file}: no {MPP_SERIES} band issued {issued}; issue dates "
                            f"available: {', '.join(dates) or 'none'}")
    out = []
    for row in rows.sort_values("period_start").itertuples():
        start, end = row.period_start, row.period_end
        if pd.isna(start) or (start.month, start.day) != (1, 1) or end != pd.Timestamp(
                year=start.year, month=12, day=31):
            raise DataFileError(f"{file} line {row.line}, field 'period_start': the MPP band "
                                "must cover one calendar year (YYYY-01-01 .. YYYY-12-31)")
        for field in ("low", "high"):
            if math.isnan(getattr(row, field)):
                raise DataFileError(f"{file} line {row.line}, field '{field}': is empty; the "
                                    "MPP band needs low and high")
        out.append({
            "year": start.year,
            "low": row.low,
            "high": row.high,
            "mid": (row.low + row.high) / 2.0,
            "source": row.source,
            "note": f"{row.note}; mid: assumption: midpoint of low and high (the MPP gives no mid)",
            "line": row.line,
        })
    return pd.DataFrame(out)
