"""The output folder of ``asielketen calibrate``.

:func:`calibration_files` returns the files of a :class:`~calibration.command.CalibrationResult`
as writers for :func:`sdmodel.outputs.folder.write_outputs` (atomic, with ``result.manifest``):

- ``parameters.csv`` (estimates and intervals; tied constants as extra rows), the file the other
  commands read as a calibration (:mod:`sdmodel.data.fitted`);
- ``statistics.csv`` (MAPE, R2, RMSE, Theil per series), ``observations_fit.csv`` (each row with
  the model value and band), ``starts.csv``, ``bootstrap.csv``, ``identification.csv`` and
  ``calibration.toml`` (as used);
- with a back-test ``backtest.csv`` and ``backtest_statistics.csv``;
- ``fit_<series>.png`` and ``fit_overview.png`` when the figures were computed;
- ``fit_report.md`` (:mod:`calibration.report`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calibration.report import render
from sdmodel.outputs.writers import Writer, csv_writer, text_writer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from calibration.command import CalibrationResult

FLOAT_FORMAT = "%.10g"
"""Ten significant digits: the estimates round-trip through parameters.csv."""


def calibration_files(result: CalibrationResult, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a calibration: name -> writer (see the module docstring).

    Raises
    ------
    AsielketenError
        If ``lang`` is not a supported language.
    """
    import pandas as pd

    from sdmodel.figures.fit import overview_writer, series_figure_writer
    from sdmodel.figures.labels import check_lang

    check_lang(lang)
    iv = result.intervals
    files: dict[str, Writer] = {
        "parameters.csv": _csv(result.parameter_frame()),
        "statistics.csv": _csv(result.statistics, index=True),
        "observations_fit.csv": _csv(result.rows),
        "starts.csv": _csv(result.fit.starts),
        "bootstrap.csv": _csv(pd.DataFrame(iv.replicates, columns=result.fit.names)),
        "identification.csv": _csv(iv.information, index=True),
        "calibration.toml": text_writer(result.config_text),
    }
    if result.backtest is not None:
        files["backtest.csv"] = _csv(result.backtest.rows)
        files["backtest_statistics.csv"] = _csv(result.backtest.statistics, index=True)
    drawn = result.figures
    if drawn is not None:
        for name, curve in drawn.curves.items():
            files[f"fit_{name}.png"] = series_figure_writer(
                name, curve, drawn.rows[drawn.rows["series"] == name], lang=lang,
                confidence=drawn.confidence, cutoff=drawn.cutoff)
        files["fit_overview.png"] = overview_writer(drawn.curves, drawn.rows, lang=lang,
                                                    confidence=drawn.confidence,
                                                    cutoff=drawn.cutoff)
    files["fit_report.md"] = text_writer(render(result))
    return files


def _csv(frame: pd.DataFrame, *, index: bool = False) -> Writer:
    return csv_writer(frame, index=index, float_format=FLOAT_FORMAT)
