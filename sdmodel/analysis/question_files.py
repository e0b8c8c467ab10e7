"""The output folders of ``decompose`` and ``breakeven``: the files and what the manifest records.

- :func:`attribution_files`: ``attribution.csv`` (``kpi, measure, shapley, alone, without``),
  ``totals.csv`` (``kpi, reference, scenario, delta``), ``attribution_columns.csv`` (what the
  columns mean), ``waterfall_<kpi>.png`` per key KPI; with samples also
  ``attribution_bands.csv``, ``samples.csv`` and ``uncertain_parameters.csv``;
- :func:`breakeven_files`: ``breakeven.csv`` (``kpi, year, inflow_change, kpi_reference,
  kpi_at_breakeven``, with the futures' quantiles), ``breakeven_curve.csv`` and
  ``breakeven.png``; with samples also ``breakeven_futures.csv`` and ``samples.csv``;
- :func:`attribution_manifest`, :func:`breakeven_manifest`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdmodel.analysis.files import describe, session_manifest, session_source
from sdmodel.outputs.writers import Writer, csv_writer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.attribution import Attribution
    from sdmodel.analysis.breakeven import BreakEven
    from sdmodel.analysis.ensemble_runs import Futures

ATTRIBUTION_COLUMNS: dict[str, str] = {
    "kpi": "a numeric column of kpis.csv (asielketen compare), unrounded",
    "measure": "a measure of the scenario (sdmodel/scenarios/measures.py) whose setting differs "
               "from the reference's; 'other' = everything else the scenario sets differently",
    "shapley": "exact Shapley value: the measure's share of the difference, averaged over every "
               "order of introducing the measures; the shares add up to totals.csv delta",
    "alone": "the reference with only this measure, minus the reference",
    "without": "the scenario minus the scenario without this measure",
    "reference": "the KPI of the reference scenario (--against)",
    "scenario": "the KPI of the scenario",
    "delta": "scenario - reference",
}
"""The columns of attribution.csv and totals.csv."""


def _futures_files(futures: Futures | None) -> dict[str, Writer]:
    import pandas as pd

    if futures is None:
        return {}
    params = pd.DataFrame([vars(p) for p in futures.parameters])
    return {"samples.csv": csv_writer(futures.design),
            "uncertain_parameters.csv": csv_writer(params)}


def attribution_files(result: Attribution, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a decomposition: name -> writer (see the module docstring)."""
    import pandas as pd

    from sdmodel.analysis.attribution import KEY_KPIS
    from sdmodel.analysis.question_figures import fig_waterfall
    from sdmodel.figures.style import figure_writer

    source = session_source(result.session, result.scenario.name, lang)
    legend = pd.DataFrame({"column": list(ATTRIBUTION_COLUMNS),
                           "meaning": list(ATTRIBUTION_COLUMNS.values())})
    files: dict[str, Writer] = {
        "attribution.csv": csv_writer(result.table),
        "totals.csv": csv_writer(result.totals),
        "attribution_columns.csv": csv_writer(legend),
    }
    for kpi in KEY_KPIS:
        files[f"waterfall_{kpi}.png"] = figure_writer(
            lambda kpi=kpi: fig_waterfall(result, kpi, lang=lang, source=source))
    if result.bands is not None:
        files["attribution_bands.csv"] = csv_writer(result.bands)
    files.update(_futures_files(result.futures))
    return files


def breakeven_table(result: BreakEven) -> pd.DataFrame:
    """``breakeven.csv``: the central answer, with the futures' quantiles when there are any."""
    import pandas as pd

    row = {"kpi": result.kpi, "year": result.year, "inflow_change": result.inflow_change,
           "kpi_reference": result.kpi_reference, "kpi_at_breakeven": result.kpi_at_breakeven,
           "kpi_scenario": result.kpi_scenario}
    if result.per_future is not None:
        row.update({f"inflow_change_{k}": v for k, v in result.band().items()})
    return pd.DataFrame([row])


def breakeven_files(result: BreakEven, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a break-even analysis: name -> writer."""
    from sdmodel.analysis.question_figures import fig_breakeven
    from sdmodel.figures.style import figure_writer

    source = session_source(result.session, result.scenario.name, lang)
    files: dict[str, Writer] = {
        "breakeven.csv": csv_writer(breakeven_table(result)),
        "breakeven_curve.csv": csv_writer(result.curve),
        "breakeven.png": figure_writer(lambda: fig_breakeven([result], lang=lang,
                                                             source=source)),
    }
    if result.per_future is not None:
        files["breakeven_futures.csv"] = csv_writer(result.per_future)
    files.update(_futures_files(result.futures))
    return files


def attribution_manifest(result: Attribution, *, lang: str, command: str) -> dict[str, Any]:
    """The manifest of a decomposition: scenario, reference, players, runs, samples, seed."""
    fitted = result.session.calibration
    parameters = {"scenarios": describe([result.scenario, result.reference]),
                  "reference": result.reference.name, "players": list(result.players),
                  "coalitions": len(result.coalitions), "calibration": fitted.note,
                  "calibration_model_matches": fitted.model_matches,
                  "samples": result.samples, "lang": lang}
    seed = None if result.futures is None else result.futures.seed
    return session_manifest(result.session, parameters, seed=seed, command=command)


def breakeven_manifest(result: BreakEven, *, lang: str, command: str) -> dict[str, Any]:
    """The manifest of a break-even analysis."""
    from sdmodel.analysis.breakeven import XTOL

    fitted = result.session.calibration
    parameters = {"scenarios": describe([result.scenario, result.reference]),
                  "reference": result.reference.name, "kpi": result.kpi, "year": result.year,
                  "bounds": list(result.bounds), "xtol": XTOL, "calibration": fitted.note,
                  "calibration_model_matches": fitted.model_matches,
                  "samples": result.samples,
                  "held_in_futures": [] if result.futures is None else list(result.futures.held),
                  "lang": lang}
    seed = None if result.futures is None else result.futures.seed
    return session_manifest(result.session, parameters, seed=seed, command=command)
