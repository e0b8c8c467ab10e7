"""The output folders of ``simulate`` and ``compare``: the files and what the manifest records.

- :func:`simulation_files`: ``results.csv`` (one row per month, a ``date`` column and one column
  per KPI) and ``kpi_overview.png``; with an ensemble (``--samples``) also ``bands.csv``,
  ``bands.png``, ``headline.csv``, ``kpis_uncertainty.csv``, ``samples.csv`` and
  ``uncertain_parameters.csv``;
- :func:`comparison_files`: ``kpis.csv``, ``kpis_columns.csv``, ``costs.csv``, ``results.csv``,
  ``comparison.png`` and ``costs.png``, with uncertainty bands also ``fan_charts.png``,
  ``bands.csv``, ``headline.csv``, ``kpis_uncertainty.csv``, ``samples.csv`` and
  ``uncertain_parameters.csv``;
- :func:`simulation_manifest`, :func:`comparison_manifest`: the run manifests
  (:func:`sdmodel.outputs.manifest.build_manifest`), with :func:`describe` recording what each
  scenario sets.

The files are writers for :func:`sdmodel.outputs.folder.write_outputs` (atomic, with the manifest).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sdmodel.analysis.compare import TABLE_COLUMNS
from sdmodel.outputs.writers import Writer, csv_writer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from sdmodel.analysis.compare import Comparison
    from sdmodel.analysis.simulate import Simulation
    from sdmodel.analysis.uncertainty import Uncertainty
    from sdmodel.runs import Session
    from sdmodel.scenarios.scenario import Scenario


def simulation_files(run: Simulation, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a simulation: name -> writer (see the module docstring)."""
    from sdmodel.data.observations import load_observations
    from sdmodel.figures.panels import overview_writer

    observations = load_observations()
    files = {
        "results.csv": csv_writer(run.results, index=True),
        "kpi_overview.png": overview_writer(run.results, observations, lang=lang,
                                            subtitle=f"scenario: {run.scenario.name}",
                                            model_sha256=run.session.model.sha256),
    }
    if run.uncertainty is not None and run.headline is not None:
        from sdmodel.figures.scenario_bands import bands_writer

        files["bands.png"] = bands_writer(
            run.uncertainty.bands, run.results, observations, scenario=run.scenario,
            samples=run.samples, headline=run.headline, lang=lang,
            model_sha256=run.session.model.sha256, calibration=run.session.calibration.note)
        files.update(_ensemble_files(run.uncertainty, run.headline, [run.scenario]))
    if run.scenario.rules and run.events is not None:
        files["events.csv"] = csv_writer(run.events)
    return files


def _ensemble_files(uncertainty: Uncertainty, headline: pd.DataFrame,
                    scenarios: Sequence[Scenario]) -> dict[str, Writer]:
    """The files of an ensemble: bands, headline check, KPI quantiles, design, parameters."""
    from sdmodel.analysis.uncertainty import parameter_table

    return {
        "bands.csv": csv_writer(uncertainty.bands),
        "headline.csv": csv_writer(headline),
        "kpis_uncertainty.csv": csv_writer(uncertainty.summary),
        "samples.csv": csv_writer(uncertainty.design),
        "uncertain_parameters.csv": csv_writer(parameter_table(uncertainty, scenarios)),
    }


def _ensemble_manifest(uncertainty: Uncertainty | None, headline: pd.DataFrame | None
                       ) -> dict[str, Any]:
    """What the manifest records of an ensemble: its size, the headline rule and where the
    headline is the median."""
    if uncertainty is None or headline is None:
        return {"samples": 0}
    from sdmodel.analysis.headline import HEADLINE_RULE

    key = headline[headline["key"]]
    return {"samples": len(uncertainty.design), "headline_rule": HEADLINE_RULE,
            "headline": {name: {"from": rows["headline_from"].iloc[0],
                                "central_percentiles": dict(zip(rows["kpi"],
                                                                rows["percentile"].astype(float),
                                                                strict=True))}
                         for name, rows in key.groupby("scenario", sort=False)}}


def simulation_manifest(run: Simulation, *, lang: str, command: str) -> dict[str, Any]:
    """Return the manifest of a simulation: scenario, until, engine, calibration, every override
    and the scenario's schedule."""
    fitted, chosen = run.session.calibration, run.scenario
    parameters = {"scenario": chosen.name, "scenario_file": chosen.source, "until": run.until,
                  "engine": run.engine, "calibration": fitted.note,
                  "model_matches": fitted.model_matches,
                  "overrides": {**fitted.values, **chosen.overrides}, "lang": lang,
                  "schedule": describe([chosen])[0],
                  **_ensemble_manifest(run.uncertainty, run.headline)}
    seed = run.uncertainty.seed if run.uncertainty is not None else None
    return session_manifest(run.session, parameters, seed=seed, command=command)


def comparison_files(comparison: Comparison, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files of a comparison: name -> writer (see the module docstring)."""
    import pandas as pd

    from sdmodel.figures.compare import comparison_figure, cost_figure, fan_chart_figure
    from sdmodel.figures.style import figure_writer

    session, scenarios = comparison.session, comparison.scenarios
    figure_options = {"lang": lang, "model_sha256": session.model.sha256,
                      "calibration": session.calibration.note}
    legend = pd.DataFrame({"column": list(TABLE_COLUMNS), "meaning": list(TABLE_COLUMNS.values())})
    monthly = pd.concat({name: frame for name, frame in comparison.results.items()},
                        names=["scenario", "date"]).reset_index()
    files: dict[str, Writer] = {
        "kpis.csv": csv_writer(comparison.kpis),
        "kpis_columns.csv": csv_writer(legend),
        "costs.csv": csv_writer(comparison.costs),
        "results.csv": csv_writer(monthly),
        "comparison.png": figure_writer(
            lambda: comparison_figure(comparison.results, scenarios, **figure_options)),
        "costs.png": figure_writer(
            lambda: cost_figure(comparison.costs, scenarios, **figure_options)),
    }
    if any(s.rules for s in scenarios) and comparison.events is not None:
        files["events.csv"] = csv_writer(comparison.events)
    if comparison.sample_events is not None:
        files["events_samples.csv"] = csv_writer(comparison.sample_events)
    uncertainty = comparison.uncertainty
    if uncertainty is not None and comparison.headline is not None:
        files["fan_charts.png"] = figure_writer(lambda: fan_chart_figure(
            uncertainty.bands, scenarios, samples=comparison.samples, **figure_options))
        files.update(_ensemble_files(uncertainty, comparison.headline, scenarios))
    return files


def comparison_manifest(comparison: Comparison, *, lang: str, command: str) -> dict[str, Any]:
    """Return the manifest of a comparison: the scenarios, the calibration and the samples (the
    seed of the bands, when there are any)."""
    fitted = comparison.session.calibration
    parameters = {"scenarios": describe(comparison.scenarios), "calibration": fitted.note,
                  "calibration_model_matches": fitted.model_matches,
                  "calibration_values": fitted.values, "lang": lang,
                  **_ensemble_manifest(comparison.uncertainty, comparison.headline)}
    seed = comparison.uncertainty.seed if comparison.uncertainty is not None else None
    return session_manifest(comparison.session, parameters, seed=seed, command=command)


def describe(scenarios: Sequence[Scenario]) -> list[dict[str, object]]:
    """Return what each scenario sets (for the run manifest): file, constants, measures with
    their schedules and effect sizes, capacity funding and thresholds."""
    out = []
    for s in scenarios:
        out.append({
            "name": s.name,
            "file": str(s.source) if s.source else None,
            "overrides": s.overrides,
            "inflow_series": list(s.inflow_series),
            "measures": [{
                "measure": m.measure.name, "enabled": m.enabled,
                "start": m.schedule.start.isoformat(), "ramp_months": m.schedule.ramp_months,
                "intensity": m.schedule.intensity,
                "milestones": [[d.isoformat(), v] for d, v in m.schedule.milestones],
                "effects": {e.key: m.value(e.key) for e in m.active_effects()},
                "without": sorted(m.without),
            } for m in s.measures],
            "capacity": [{"lever": c.lever.name, "amount": c.amount,
                          "start": c.schedule.start.isoformat(),
                          "ramp_months": c.schedule.ramp_months} for c in s.capacity],
            "thresholds": vars(s.thresholds),
        })
    return out


def session_source(session: Session, scenario: str, lang: str) -> str:
    """The source line of a figure from one scenario's runs on ``session``."""
    from sdmodel.data.observations import data_sha256
    from sdmodel.figures.marks import source_line

    return source_line(lang=lang, model_sha256=session.model.sha256, data_sha256=data_sha256(),
                       scenario=scenario)


def session_manifest(session: Session, parameters: dict[str, Any], *, seed: int | None,
                     command: str) -> dict[str, Any]:
    """The manifest of an output made on ``session``: model, data, parameters, seed, command."""
    from sdmodel.data.observations import data_sha256
    from sdmodel.outputs.manifest import build_manifest

    return build_manifest(model_path=session.model.path, model_sha256=session.model.sha256,
                          data_sha256=data_sha256(), parameters=parameters, seed=seed,
                          command=command)
