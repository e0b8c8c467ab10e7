"""Load and validate the four sourced data files in ``calibration/data/``.

Each loader reads one CSV (UTF-8, comma-separated, header on line 1), checks every row and
returns a DataFrame with the file's columns plus ``line``: the row's line number as a text editor
shows it (header = line 1), so any figure can be traced back to its row. Dates become pandas
Timestamps (``NaT`` where a file allows an empty date), numbers become floats (``NaN`` where a
file allows an empty number).

The first problem found raises :class:`sdmodel.errors.DataFileError` with a one-line message
naming the file, line and field and saying how to fix it, e.g.::

    observations.csv line 17, field 'period_end': '2015-13-01' is not an ISO date (YYYY-MM-DD)
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd

from sdmodel.errors import DataFileError, did_you_mean
from sdmodel.paths import DATA_DIR

DATA_FILES = ("observations.csv", "forecasts.csv", "parameters.csv", "timeline.csv")

OBSERVATION_COLUMNS = (
    "series", "kind", "period_start", "period_end", "value", "unit", "quality", "preferred",
    "source", "note",
)
FORECAST_COLUMNS = (
    "series", "issued", "period_start", "period_end", "low", "mid", "high", "unit", "source",
    "note",
)
PARAMETER_COLUMNS = ("name", "value", "low", "high", "unit", "year", "quality", "source", "note")
TIMELINE_COLUMNS = ("date", "event", "measure", "status", "quality", "source")

KINDS = ("stock", "flow", "ratio")
QUALITIES = ("primary", "secondary", "derived")
MEASURES = (
    "anmw", "two_status", "eu_pact", "spreidingswet", "huisvestingswet", "lvv", "criminalisation",
    "dwangsom", "decision_period", "ter_apel", "other",
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GROUPED = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")
"""A count written with dots between groups of three digits (Dutch style): ``31.000``."""
_ROUND_GROUPED = re.compile(r"[-+]?\d{1,3}(\.000)+")
"""``31.000``, ``2.000``: nobody writes a decimal number so; it is a thousands separator."""


class _Row:
    """One CSV record with field parsers that raise :class:`DataFileError` on bad input."""

    def __init__(self, file: str, line: int, fields: dict[str, str]) -> None:
        self.file = file
        self.line = line
        self.fields = fields

    def fail(self, field: str, problem: str) -> DataFileError:
        return DataFileError(f"{self.file} line {self.line}, field '{field}': {problem}")

    def text(self, field: str, *, required: bool = False) -> str:
        value = self.fields[field].strip()
        if required and not value:
            raise self.fail(field, "is empty; fill it in")
        return value

    def date(self, field: str, *, required: bool = True) -> pd.Timestamp:
        raw = self.text(field)
        if not raw:
            if required:
                raise self.fail(field, "is empty; give an ISO date (YYYY-MM-DD)")
            return pd.NaT
        try:
            if not _ISO_DATE.fullmatch(raw):
                raise ValueError(raw)
            return pd.Timestamp(date.fromisoformat(raw))
        except ValueError as err:
            raise self.fail(field, f"'{raw}' is not an ISO date (YYYY-MM-DD)") from err

    def number(self, field: str, *, required: bool = True, count: bool = False) -> float:
        """The field as a float; ``count``: it counts people or cases, so ``1.234`` is a
        thousands separator, not a decimal point (refused either way: it is ambiguous)."""
        raw = self.text(field)
        if not raw:
            if required:
                raise self.fail(field, "is empty; give a number")
            return math.nan
        if (_GROUPED if count else _ROUND_GROUPED).fullmatch(raw):
            plain = raw.replace(".", "").lstrip("+")
            decimal = (f", or {float(raw):g} without the trailing zeros if you mean that"
                       if raw.count(".") == 1 else "")
            raise self.fail(field, f"'{raw}' looks like a number with a thousands separator; "
                            f"write {plain} (no separators){decimal}")
        try:
            value = float(raw)
        except ValueError as err:
            raise self.fail(
                field, f"'{raw}' is not a number; write a plain number such as 1234.5 "
                "(no thousands separators)"
            ) from err
        if not math.isfinite(value):
            raise self.fail(field, f"'{raw}' is not a finite number; give a plain number")
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        raw = self.text(field)
        if raw not in allowed:
            hint = did_you_mean(raw, allowed) if raw else ""
            raise self.fail(field, f"'{raw}' is not one of {', '.join(allowed)}{hint}")
        return raw


def _records(path: Path, columns: tuple[str, ...], *, name: str | None = None
             ) -> Iterator[_Row]:
    """Yield the data records of ``path`` after checking the header has ``columns``;
    messages name the file as ``name`` (default its file name)."""
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; give the path of an existing {name}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(f"{name}: not valid UTF-8 ({err.reason}); save it as UTF-8") from err
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        raise DataFileError(f"{name} line 1: the file is empty; it needs the header "
                            f"{','.join(columns)}")
    header = [h.strip() for h in header]
    for column in columns:
        if column not in header:
            raise DataFileError(
                f"{name} line 1, field '{column}': column missing from the header; add it "
                f"(expected columns: {','.join(columns)})"
            )
    line = reader.line_num + 1
    for record in reader:
        if record and any(cell.strip() for cell in record):
            if len(record) != len(header):
                raise DataFileError(
                    f"{name} line {line}: {len(record)} fields, expected {len(header)}; "
                    "quote fields that contain commas"
                )
            yield _Row(name, line, dict(zip(header, record, strict=True)))
        line = reader.line_num + 1


def _load(
    path: Path | str | None,
    default: str,
    columns: tuple[str, ...],
    parse: Callable[[_Row], dict[str, object]],
) -> pd.DataFrame:
    file = Path(path or DATA_DIR / default)
    name = data_file_name(path, default)
    rows = [{**parse(row), "line": row.line} for row in _records(file, columns, name=name)]
    frame = pd.DataFrame(rows, columns=[*columns, "line"]).astype({"line": "int64"})
    frame.attrs["file"] = name  # for messages about its rows further on (kept by pandas)
    return frame


def data_file_name(path: Path | str | None, default: str) -> str:
    """How messages name a data file: the shipped file by its name, any other as given."""
    if path is None or Path(path).resolve() == (DATA_DIR / default).resolve():
        return default
    return str(path)


def _period(row: _Row, *, required: bool = True) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = row.date("period_start", required=required)
    end = row.date("period_end", required=required)
    if pd.isna(start) != pd.isna(end):
        missing = "period_start" if pd.isna(start) else "period_end"
        raise row.fail(missing, "is empty while the other period date is set; give both or none")
    if not pd.isna(start) and end < start:
        raise row.fail("period_end", f"{end.date()} is before period_start {start.date()}; "
                       "correct or swap the dates")
    return start, end


def _parse_observation(row: _Row) -> dict[str, object]:
    kind = row.choice("kind", KINDS)
    start, end = _period(row)
    if kind == "stock" and start != end:
        raise row.fail("period_end", f"a stock is a count on one date but period_end {end.date()}"
                       f" differs from period_start {start.date()}; make them equal or use kind "
                       "flow/ratio")
    preferred = row.text("preferred")
    if preferred not in ("0", "1"):
        raise row.fail("preferred", f"'{preferred}' is not 0 or 1")
    today = pd.Timestamp(date.today())
    if end > today:
        raise row.fail("period_end", f"{end.date()} is in the future (today is {today.date()});"
                       " an observation must have happened: correct the date, or put an "
                       "expectation in forecasts.csv")
    return {
        "series": row.text("series", required=True),
        "kind": kind,
        "period_start": start,
        "period_end": end,
        "value": row.number("value", count=kind != "ratio"),
        "unit": row.text("unit", required=True),
        "quality": row.choice("quality", QUALITIES),
        "preferred": int(preferred),
        "source": row.text("source", required=True),
        "note": row.text("note"),
    }


def _check_one_preferred(frame: pd.DataFrame, file: str) -> None:
    keys = ["series", "period_start", "period_end"]
    count = frame.groupby(keys, sort=False)["preferred"].transform("sum")
    suspect = frame.loc[count != 1]
    for key, group in suspect.groupby(keys, sort=False):
        preferred = group.loc[group["preferred"] == 1, "line"].tolist()
        what = f"({key[0]}, {key[1].date()}, {key[2].date()})"
        if len(preferred) > 1:
            raise DataFileError(
                f"{file} line {preferred[1]}, field 'preferred': a second preferred row for "
                f"{what} (the first is line {preferred[0]}); set preferred=0 on all but one"
            )
        if not preferred:
            lines = ", ".join(str(n) for n in group["line"])
            raise DataFileError(
                f"{file} line {group['line'].iloc[0]}, field 'preferred': no preferred row for "
                f"{what}; set preferred=1 on exactly one of lines {lines}"
            )


def load_observations(
    path: Path | str | None = None, *, preferred_only: bool = True
) -> pd.DataFrame:
    """Load ``observations.csv``: what happened, one row per figure and source.

    Parameters
    ----------
    path
        The CSV file; default ``calibration/data/observations.csv``.
    preferred_only
        Keep only the rows with ``preferred == 1`` (one per series and period). All rows are
        validated either way.

    Returns
    -------
    pandas.DataFrame
        Columns ``series, kind, period_start, period_end, value, unit, quality, preferred,
        source, note, line``; dates as Timestamps, ``value`` float, ``preferred`` int.

    Raises
    ------
    DataFileError
        If the file is missing or a row breaks a rule: a required column is absent, a date is
        not ISO, ``period_end < period_start``, ``kind`` is not stock/flow/ratio, a stock spans
        more than one date or ends after today, ``value`` is not a number (or a count is
        written with thousands separators, ``31.000``), ``quality`` is unknown, ``preferred`` is
        not 0/1 or not set on exactly one row per (series, period_start, period_end), or
        ``source`` is empty. Messages name the file as given (the shipped one by its name).
    """
    frame = _load(path, "observations.csv", OBSERVATION_COLUMNS, _parse_observation)
    _check_one_preferred(frame, frame.attrs["file"])
    if preferred_only:
        frame = frame.loc[frame["preferred"] == 1].reset_index(drop=True)
    return frame


def _parse_forecast(row: _Row) -> dict[str, object]:
    start, end = _period(row, required=False)
    low, mid, high = (row.number(f, required=False) for f in ("low", "mid", "high"))
    if all(math.isnan(v) for v in (low, mid, high)):
        raise row.fail("mid", "low, mid and high are all empty; give at least one number")
    present = [(f, v) for f, v in (("low", low), ("mid", mid), ("high", high)) if not math.isnan(v)]
    for (f_a, a), (f_b, b) in zip(present, present[1:], strict=False):
        if b < a:
            raise row.fail(f_b, f"{b:g} is below {f_a} {a:g}; order the band as low <= mid <= high")
    return {
        "series": row.text("series", required=True),
        "issued": row.date("issued", required=False),
        "period_start": start,
        "period_end": end,
        "low": low,
        "mid": mid,
        "high": high,
        "unit": row.text("unit", required=True),
        "source": row.text("source", required=True),
        "note": row.text("note"),
    }


def load_forecasts(path: Path | str | None = None) -> pd.DataFrame:
    """Load ``forecasts.csv``: what was expected at the time (MPP bands, capacity needs).

    Parameters
    ----------
    path
        The CSV file; default ``calibration/data/forecasts.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``series, issued, period_start, period_end, low, mid, high, unit, source, note,
        line``; dates as Timestamps (``NaT`` when not given), ``low/mid/high`` float (``NaN``
        when not given).

    Raises
    ------
    DataFileError
        If the file is missing, a required column is absent, a date is not ISO, only one period
        date is given or ``period_end < period_start``, ``low/mid/high`` are all empty, not
        numbers or not ordered, or ``source`` is empty.
    """
    return _load(path, "forecasts.csv", FORECAST_COLUMNS, _parse_forecast)


def _parse_parameter(row: _Row) -> dict[str, object]:
    value, low, high = (row.number(f, required=False) for f in ("value", "low", "high"))
    if all(math.isnan(v) for v in (value, low, high)):
        raise row.fail("value", "value, low and high are all empty; give at least one number")
    if low > high:  # False when either is NaN
        raise row.fail("high", f"{high:g} is below low {low:g}; swap them")
    return {
        "name": row.text("name", required=True),
        "value": value,
        "low": low,
        "high": high,
        "unit": row.text("unit", required=True),
        "year": row.text("year"),
        "quality": row.choice("quality", QUALITIES),
        "source": row.text("source", required=True),
        "note": row.text("note"),
    }


def load_parameters(path: Path | str | None = None) -> pd.DataFrame:
    """Load ``parameters.csv``: costs, capacities, norms and policy effects with their sources.

    Parameters
    ----------
    path
        The CSV file; default ``calibration/data/parameters.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, value, low, high, unit, year, quality, source, note, line``;
        ``value/low/high`` float (``NaN`` when not given); ``year`` is text (it may be a range
        such as ``2014-2016``).

    Raises
    ------
    DataFileError
        If the file is missing, a required column is absent, ``value/low/high`` are all empty
        or not numbers, ``low > high``, ``quality`` is unknown, or ``source`` is empty.
    """
    return _load(path, "parameters.csv", PARAMETER_COLUMNS, _parse_parameter)


def _parse_event(row: _Row) -> dict[str, object]:
    return {
        "date": row.date("date"),
        "event": row.text("event", required=True),
        "measure": row.choice("measure", MEASURES),
        "status": row.text("status", required=True),
        "quality": row.choice("quality", QUALITIES),
        "source": row.text("source", required=True),
    }


def load_timeline(path: Path | str | None = None) -> pd.DataFrame:
    """Load ``timeline.csv``: laws and events.

    Parameters
    ----------
    path
        The CSV file; default ``calibration/data/timeline.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, event, measure, status, quality, source, line``; ``date`` as Timestamp.

    Raises
    ------
    DataFileError
        If the file is missing, a required column is absent, ``date`` is not ISO, ``measure``
        or ``quality`` is not a known value, or ``event``, ``status`` or ``source`` is empty.
    """
    return _load(path, "timeline.csv", TIMELINE_COLUMNS, _parse_event)


def data_sha256(*, directory: Path | str | None = None) -> str:
    """Return one SHA-256 over the four data files, for run manifests.

    Each file contributes its name, a NUL byte, its size and its bytes, in the fixed order
    observations, forecasts, parameters, timeline; editing, renaming or truncating any file
    changes the hash.

    Parameters
    ----------
    directory
        The folder holding the four files; default ``calibration/data/``.

    Raises
    ------
    DataFileError
        If one of the files is missing.
    """
    folder = Path(directory or DATA_DIR)
    digest = hashlib.sha256()
    for name in DATA_FILES:
        path = folder / name
        if not path.is_file():
            raise DataFileError(f"{path}: file not found; restore it from the project's repository "
                                f"(git checkout -- calibration/data/{name})")
        content = path.read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def check_within_model(frame: pd.DataFrame, last: pd.Timestamp, *, model: str) -> None:
    """Refuse observations that end after the model's last month (``last``, its first day).

    Raises
    ------
    DataFileError
        Naming the file (``frame.attrs["file"]``), line and date, and the model's final time.
    """
    late = frame.loc[frame["period_end"] >= last + pd.offsets.MonthBegin(1)]
    if late.empty:
        return
    row = late.iloc[0]
    file = frame.attrs.get("file", "observations.csv")
    raise DataFileError(
        f"{file} line {row['line']}, field 'period_end': {row['period_end'].date()} lies after "
        f"the model's final time ({last:%Y-%m}, FINAL TIME in {model}); correct the date or "
        "lengthen the model"
    )
