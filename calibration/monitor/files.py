"""The output folder of ``asielketen monitor``.

- ``results.csv``: the updated projection, one row per month, the columns of ``simulate``;
- ``planned.csv``: the plan's projection (the committed fit), same columns;
- ``bands.csv``: ``run, series, date, q05, q25, q50, q75, q95`` of the plan and the update;
- ``drift.csv``: ``series, date, observed, planned, updated, in_band`` per figure after the
  drift month, then the bands, period, origin and line of the row;
- ``signposts.csv``: ``signpost, kpi, threshold, value, status`` and date, planned value, unit
  and the first month the projection crosses the threshold;
- ``parameters.csv``: committed and updated estimates with their intervals;
- ``state.csv``: the stocks at the end of the monitored month, planned and updated, with bands;
- ``observations_used.csv``: every figure the update used, with its origin;
- ``drift.png``, ``signposts.png``; ``manifest.json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdmodel.outputs.writers import Writer, csv_writer

if TYPE_CHECKING:  # pragma: no cover
    from calibration.monitor.command import MonitorResult

OBSERVATION_COLUMNS = ["series", "kind", "period_start", "period_end", "value", "quality",
                       "origin", "line", "source"]


def monitor_files(result: MonitorResult, *, lang: str = "nl") -> dict[str, Writer]:
    """Return the output files: name -> writer (see the module docstring)."""
    from sdmodel.figures.marks import source_line
    from sdmodel.figures.style import figure_writer
    from sdmodel.monitor.figures import drift_figure, signpost_figure

    source = source_line(lang=lang, model_sha256=result.session.model.sha256,
                         scenario=result.scenario.name)
    return {
        "results.csv": csv_writer(result.results, index=True),
        "planned.csv": csv_writer(result.planned, index=True),
        "bands.csv": csv_writer(result.bands),
        "drift.csv": csv_writer(result.drift),
        "signposts.csv": csv_writer(result.signposts),
        "parameters.csv": csv_writer(result.parameters),
        "state.csv": csv_writer(result.state),
        "observations_used.csv": csv_writer(result.observations[OBSERVATION_COLUMNS]),
        "drift.png": figure_writer(lambda: drift_figure(result, lang=lang)),
        "signposts.png": figure_writer(lambda: signpost_figure(
            result.signposts, as_of=result.as_of, source=source, lang=lang)),
    }


def monitor_manifest(result: MonitorResult, *, lang: str, command: str) -> dict[str, Any]:
    """Return the manifest: scenario, calibration, as-of and drift months, the estimate."""
    from sdmodel.analysis.files import describe
    from sdmodel.data.observations import data_sha256
    from sdmodel.outputs.manifest import build_manifest

    session = result.session
    parameters = {**result.manifest_parameters, "lang": lang,
                  "schedule": describe([result.scenario])[0]}
    return build_manifest(model_path=session.model.path, model_sha256=session.model.sha256,
                          data_sha256=data_sha256(), parameters=parameters, seed=result.seed,
                          command=command)


def summary(result: MonitorResult) -> str:
    """A few lines for the terminal: drift, updated drifting parameters, signposts."""
    lines = []
    drift = result.drift
    if len(drift):
        lines.append(f"{int((~drift['in_band']).sum())} of {len(drift)} figures after "
                     f"{result.drift_from:%Y-%m} outside the plan's 90% band")
    table = result.parameters[result.parameters["drifting"]]
    for row in table.itertuples():
        lines.append(f"{row.name}: {row.committed:.4g} -> {row.updated:.4g} "
                     f"[{row.updated_low:.4g}, {row.updated_high:.4g}]")
    posts = ", ".join(f"{r.signpost} {r.status}" for r in result.signposts.itertuples())
    lines.append(f"signposts at {result.state_date:%Y-%m-%d}: {posts}")
    return "\n".join(lines) + "\n"
