"""Briefing figures over scenarios and futures: the scenario comparison and the COA fan chart.

:func:`fig_comparison` is :func:`sdmodel.figures.compare.comparison_figure` (six KPI panels, one
line per scenario, the measures' start dates marked) with its finding as the title.
:func:`fig_fan` is the fan chart of COA occupancy: the median and the 50% and 90% intervals over
an ensemble of futures (from :func:`sdmodel.analysis.uncertainty.run_uncertainty` or the optimizer's
``ensemble_band.csv``), against regular capacity and the threshold, with the law dates marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from sdmodel.briefing.findings import finding_comparison, finding_fan
from sdmodel.figures.bands import draw_band
from sdmodel.figures.formats import format_count
from sdmodel.figures.labels import check_lang, text, unit
from sdmodel.figures.marks import (
    law_dates,
    law_key,
    mark_law_dates,
    mark_scenario_period,
    mark_threshold,
    source_line,
)
from sdmodel.figures.style import (
    colors,
    figure_style,
    finish_figure,
    new_figure,
    number_axis,
    retitle,
    wrap,
    year_axis,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.scenarios.scenario import Scenario

SHOWN_FROM = "2022-01-01"
"""First month of the fan chart: a few years of history for context."""
QUANTILE_COLUMNS = ("q05", "q25", "q50", "q75", "q95")


def fig_comparison(results: Mapping[str, pd.DataFrame], scenarios: Sequence[Scenario], *,
                   lang: str = "nl", model_sha256: str | None = None,
                   calibration: str = "") -> Figure:
    """Six KPI panels with one line per scenario, titled with the finding.

    Parameters
    ----------
    results
        Scenario name -> monthly KPIs.
    scenarios
        The scenarios, the first one the reference of the finding.
    lang
        ``"nl"`` (default) or ``"en"``.
    model_sha256
        Hash of the .mdl for the source line.
    calibration
        Where the parameters come from, for the source line.
    """
    from sdmodel.figures.compare import comparison_figure

    fig = comparison_figure(results, scenarios, lang=lang, model_sha256=model_sha256,
                            calibration=calibration)
    ordered = {s.name: results[s.name] for s in scenarios}
    retitle(fig, title=finding_comparison(ordered, lang=lang),
            subtitle=text("comparison_subtitle", lang))
    legends_beside_subtitle(fig)
    return fig


def legends_beside_subtitle(fig: Figure) -> None:
    """Move the figure legends to the right end of the subtitle line, above the panels (clear
    of a finding's title of two lines)."""
    left, bottom, width, height = fig.get_layout_engine().get()["rect"]
    top = bottom + height
    for legend in fig.legends:
        legend.set_loc("lower right")
        legend.set_bbox_to_anchor((left, top, width, 1 - top), transform=fig.transFigure)


def band_of(bands: pd.DataFrame, scenario: str, series: str = "coa_occupancy_total"
            ) -> pd.DataFrame:
    """Return one scenario's band of one series from the long table of ``run_uncertainty``.

    Returns
    -------
    pandas.DataFrame
        Index ``date``, columns ``q05, q25, q50, q75, q95``.
    """
    rows = bands[(bands["scenario"] == scenario) & (bands["series"] == series)]
    frame = rows.assign(date=pd.to_datetime(rows["date"])).set_index("date")
    return frame[list(QUANTILE_COLUMNS)]


def fig_fan(bands: Mapping[str, pd.DataFrame], *, lang: str = "nl",
            results: pd.DataFrame | None = None, threshold: float | None = None,
            samples: int | None = None, ax: Axes | None = None, source: str | None = None,
            subtitle: str | None = None) -> Figure:
    """Fan chart of COA occupancy: median, 50% and 90% intervals per scenario or plan.

    Parameters
    ----------
    bands
        Name -> band (index ``date``; columns ``q05, q25, q50, q75, q95``), e.g. from
        :func:`band_of` or the optimizer's ``ensemble_band.csv``. The finding describes the
        first.
    lang
        ``"nl"`` (default) or ``"en"``.
    results
        Monthly KPIs of the first scenario: its regular COA capacity is drawn dashed.
    threshold
        COA occupancy threshold (persons), drawn as a red line.
    samples
        Number of futures, for the subtitle (``None``: "the inflow ensemble").
    ax
        Draw into this Axes (panel only); ``None`` for a standalone figure.
    source
        Source line of a standalone figure.
    subtitle
        Replaces the default subtitle.
    """
    check_lang(lang)
    names = list(bands)
    events = law_dates()
    with figure_style():
        standalone = ax is None
        ax = new_figure().subplots() if ax is None else ax
        palette = colors(max(len(names), 1))
        for name, color in zip(names, palette, strict=True):
            band = bands[name].loc[SHOWN_FROM:]
            draw_band(ax, band.index, band["q05"], band["q25"], band["q50"], band["q75"],
                      band["q95"], color=color, overlapping=len(names) > 1,
                      labels=tuple(f"{name}: {text(k, lang)}"  # type: ignore[arg-type]
                                   for k in ("band_90", "band_50", "median")))
        if results is not None:
            capacity = results["coa_regular_capacity"].loc[SHOWN_FROM:]
            ax.plot(capacity.index, capacity.to_numpy(), color="0.3", linestyle="--",
                    linewidth=1.4, label=text("regular_capacity", lang))
        if threshold is not None:
            mark_threshold(ax, threshold, f"{text('threshold', lang)}: "
                                          f"{format_count(threshold, lang)}")
        low, high = ax.get_ylim()
        ax.set_ylim(0, high * 1.05)
        year_axis(ax)
        drawn = mark_law_dates(ax, events, lang=lang)
        mark_scenario_period(ax, lang=lang)
        number_axis(ax, lang=lang)
        ax.set_ylabel(unit("coa_occupancy_total", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        first = bands[names[0]]
        title = finding_fan(first, lang=lang, threshold=threshold)
        if subtitle is None:
            subtitle = (text("fan_subtitle", lang).format(n=format_count(samples, lang))
                        if samples else text("fan_subtitle_ensemble", lang))
        if not standalone:
            ax.set_title(wrap(title, 70), loc="left", fontsize="medium")
            return ax.figure
        return finish_figure(ax.figure, title=title, subtitle=subtitle,
                             notes=[law_key(events, drawn, lang=lang)],
                             source=source if source is not None else source_line(lang=lang))
