"""The writers of output files: a function that writes one file to the path it is given.

Every job returns its files as ``name -> writer`` (``<job>_files(result)``) and
:func:`sdmodel.outputs.folder.write_outputs` calls the writers inside a temporary folder. Tables
go through the one :func:`csv_writer` (UTF-8, ``\\n`` line ends, dates as ``YYYY-MM-DD``), text
through :func:`text_writer`; figures through :func:`sdmodel.figures.style.figure_writer`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Writer = Callable[[Path], None]
"""Writes one file to the path it is given."""


def csv_writer(frame: pd.DataFrame, *, index: bool = False,
               float_format: str | None = None) -> Writer:
    """Return a writer that saves ``frame`` as CSV.

    Parameters
    ----------
    frame
        The table; date columns (and a date index) are written as ``YYYY-MM-DD``.
    index
        Write the index as the first column (a date index keeps its name, e.g. ``date``).
    float_format
        A printf format for floats (e.g. ``"%.10g"``); default: pandas' shortest round trip.
    """

    def write(path: Path) -> None:
        import pandas as pd

        out = frame.copy()
        for column in out.columns:
            if str(out[column].dtype).startswith("datetime"):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        if index and isinstance(out.index, pd.DatetimeIndex):
            name = out.index.name
            out.index = out.index.strftime("%Y-%m-%d")
            out.index.name = name
        out.to_csv(path, index=index, lineterminator="\n", float_format=float_format)

    return write


def text_writer(text: str) -> Writer:
    """Return a writer that saves ``text`` as UTF-8."""

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write
