"""The briefing figures of one run: dashboard, costs and flows per year, calibration fit.

Every ``fig_*`` function takes its data and keyword-only options and returns a
:class:`~matplotlib.figure.Figure`. Standing alone (A4-landscape width) its title is the finding
(the matching ``finding_*`` of :mod:`sdmodel.briefing.findings`, computed from the same numbers), a
subtitle says what is shown and in which unit, the law dates of ``calibration/data/timeline.csv``
are numbered dotted lines explained in the foot, and the foot ends with the source line. The
single-panel figures (costs, flows) also take ``ax``: then only the panel is drawn, titled with the
finding, and the Axes' figure is returned; the multi-panel ones (dashboard, calibration fit) always
make their own figure. Labels are Dutch by default (``lang="en"`` for English); the look is
:mod:`sdmodel.figures.style`. The schedule Gantt and the Pareto front are in
:mod:`sdmodel.briefing.plans`, the scenario-comparison and fan charts in
:mod:`sdmodel.briefing.scenarios`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sdmodel.briefing.data import FLOW_COLUMNS, yearly_costs, yearly_flows
from sdmodel.briefing.findings import (
    finding_calibration,
    finding_costs,
    finding_dashboard,
    finding_flows,
)
from sdmodel.calendar import SCENARIO_START
from sdmodel.figures.formats import format_euro
from sdmodel.figures.labels import check_lang, label, text
from sdmodel.figures.marks import (
    law_dates,
    law_key,
    mark_law_dates,
    mark_scenario_period,
    source_line,
)
from sdmodel.figures.style import (
    colors,
    figure_style,
    finish_figure,
    new_figure,
    number_axis,
    wrap,
    year_axis,
)
from sdmodel.names import COST_KPIS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CALIBRATION_SERIES: tuple[str, ...] = (
    "coa_occupancy_total", "coa_status_holders_waiting", "ind_pending_asylum",
    "ter_apel_occupancy", "asylum_first_applications", "ind_first_instance_decisions",
)
"""Series of the calibration-fit figure: four stocks and two flows with many observations."""
COST_COLORS: dict[str, int] = {
    "cost_coa_regular": 0, "cost_coa_emergency": 9, "cost_ter_apel_penalties": 8, "cost_ind": 1,
    "cost_courts": 2, "cost_dtv": 3, "cost_flexible_housing": 5, "cost_lvv_state": 6,
    "cost_municipalities": 4,
}
"""Palette index per cost column (the two COA columns in two blues)."""
FLOW_COLORS: dict[str, int] = {"inflow": 0, "decisions": 1, "grants": 2, "housed": 4,
                               "departures": 7}
PANEL_TITLE_WIDTH = 70
LEGEND_RIGHT = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": "small"}
"""Legends sit right of the plot, so they never cover data."""


# -- shared steps ---------------------------------------------------------------------------------


def axes_for(ax: Axes | None, *, figsize: tuple[float, float] | None = None) -> Axes:
    """Return ``ax``, or the Axes of a new standalone figure (in the current style)."""
    if ax is not None:
        return ax
    fig = new_figure() if figsize is None else new_figure(figsize=figsize)
    return fig.subplots()


def finish_panel(ax: Axes, standalone: bool, *, title: str, subtitle: str, lang: str,
                 source: str | None, notes: Sequence[str] = ()) -> Figure:
    """Title a standalone figure (finding, subtitle, foot) or a panel (the finding only)."""
    fig = ax.figure
    if standalone:
        finish_figure(fig, title=title, subtitle=subtitle, notes=notes,
                      source=source if source is not None else source_line(lang=lang))
    else:
        ax.set_title(wrap(title, PANEL_TITLE_WIDTH), loc="left", fontsize="medium")
    return fig


def y_headroom(ax: Axes, factor: float = 1.08) -> None:
    """Start y at zero (or below) and leave ``factor`` of room above the data."""
    low, high = ax.get_ylim()
    ax.set_ylim(min(0.0, low), high * factor if high > 0 else high)


# -- dashboard ------------------------------------------------------------------------------------


def fig_dashboard(results: pd.DataFrame, observations: pd.DataFrame | None = None, *,
                  lang: str = "nl", scenario: str | None = None,
                  model_sha256: str | None = None) -> Figure:
    """The KPI dashboard (:func:`sdmodel.figures.panels.kpi_overview`) titled with its finding.

    Parameters
    ----------
    results
        Monthly KPIs of one scenario.
    observations
        Observations drawn over the model lines, or ``None``.
    lang
        ``"nl"`` (default) or ``"en"``.
    scenario
        Scenario name for the subtitle.
    model_sha256
        Hash of the .mdl for the source line.
    """
    from sdmodel.figures.panels import kpi_overview

    subtitle = text("dashboard_subtitle", lang)
    if scenario:
        subtitle += f"; {text('scenario', lang)}: {scenario}"
    fig = kpi_overview(results, observations, lang=lang,
                       title=finding_dashboard(results, lang=lang), subtitle=subtitle,
                       model_sha256=model_sha256)
    _key_beside_subtitle(fig, subtitle)  # the observation key, clear of the finding's lines
    return fig


def _key_beside_subtitle(fig: Figure, subtitle: str) -> None:
    """Put the figure legends (the observation markers) at the right end of the subtitle line:
    at the top right they would run into a finding's title of two lines."""
    line = next((t for t in fig.texts if t.get_text() and subtitle.startswith(t.get_text())),
                None)
    if line is None:
        return
    top = line.get_position()[1]
    for legend in fig.legends:
        legend.set_loc("upper right")
        legend.set_bbox_to_anchor((0.995, top + 0.006), transform=fig.transFigure)
        legend.borderaxespad = 0
        for label_text in legend.get_texts():  # smaller, to fit beside the subtitle
            label_text.set_fontsize("x-small")


# -- cost per actor per year -----------------------------------------------------------------------


def fig_costs(results: pd.DataFrame, *, lang: str = "nl", ax: Axes | None = None,
              source: str | None = None, subtitle: str | None = None) -> Figure:
    """Stacked bars: the cost of each actor per calendar year, in billion euro.

    Parameters
    ----------
    results
        Monthly KPIs with the cost columns (EUR per month).
    lang
        ``"nl"`` (default) or ``"en"``.
    ax
        Draw into this Axes (panel only); ``None`` for a standalone figure.
    source
        Source line of a standalone figure (default :func:`sdmodel.figures.marks.source_line`).
    subtitle
        Replaces the default subtitle (what is shown and its unit).
    """
    check_lang(lang)
    table = yearly_costs(results)
    events = law_dates()
    with figure_style():
        standalone = ax is None
        ax = axes_for(ax)
        years = table.index.to_numpy()
        bottom = np.zeros(len(years))
        palette = colors(10)
        for column in COST_KPIS:
            values = table[column].to_numpy() / 1e9
            if not values.any():
                continue
            ax.bar(years, values, bottom=bottom, width=0.75, color=palette[COST_COLORS[column]],
                   label=label(column, lang), zorder=2)
            bottom += values
        ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
        y_headroom(ax, 1.12)
        first = int(max(pd.Timestamp(SCENARIO_START).year, years[0]))
        pad = 0.025 * ax.get_ylim()[1]
        for year in {first, int(years[-1])}:
            i = int(np.flatnonzero(years == year)[0])
            own = bottom[i]
            top = bottom[max(i - 1, 0):i + 2].max()  # clear of the neighbouring bars
            # the label sits above its own bar; raised over taller neighbours, a leader line
            # ties it to the bar it belongs to
            ax.annotate(format_euro(own * 1e9, lang), xy=(year, own), xytext=(year, top + pad),
                        textcoords="data", ha="center", va="bottom", fontsize="small",
                        fontweight="bold", arrowprops=None if top <= own else {
                            "arrowstyle": "-", "color": "0.2", "linewidth": 0.9,
                            "shrinkA": 0, "shrinkB": 0})
        mark_scenario_period(ax, lang=lang, as_year=True)
        drawn = mark_law_dates(ax, events, lang=lang, as_year=True)
        number_axis(ax, lang=lang, decimals=1)
        ax.set_ylabel(text("eur_billion_per_year", lang))
        ax.grid(axis="x", visible=False)
        ax.xaxis.set_major_locator(_year_locator(len(years)))
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], **LEGEND_RIGHT)
        return finish_panel(
            ax, standalone, title=finding_costs(results, lang=lang),
            subtitle=subtitle or text("costs_subtitle", lang), lang=lang, source=source,
            notes=[law_key(events, drawn, lang=lang)])


def _year_locator(n_years: int):
    from matplotlib.ticker import MultipleLocator

    return MultipleLocator(1 if n_years <= 12 else 2)


# -- flows through the chain -----------------------------------------------------------------------


def fig_flows(results: pd.DataFrame, *, lang: str = "nl", ax: Axes | None = None,
              source: str | None = None, subtitle: str | None = None) -> Figure:
    """Grouped bars per calendar year: inflow, IND decisions, grants, housed, departures.

    Parameters are those of :func:`fig_costs`; the data are those of
    :func:`sdmodel.briefing.data.yearly_flows`.
    """
    check_lang(lang)
    table = yearly_flows(results)
    events = law_dates()
    with figure_style():
        standalone = ax is None
        ax = axes_for(ax)
        years = table.index.to_numpy()
        width = 0.84 / len(FLOW_COLUMNS)
        palette = colors(10)
        for i, column in enumerate(FLOW_COLUMNS):
            offset = (i - (len(FLOW_COLUMNS) - 1) / 2) * width
            ax.bar(years + offset, table[column].to_numpy(), width=width * 0.95,
                   color=palette[FLOW_COLORS[column]], label=text(f"flow_{column}", lang),
                   zorder=2)
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        y_headroom(ax, 1.1)
        mark_scenario_period(ax, lang=lang, as_year=True)
        drawn = mark_law_dates(ax, events, lang=lang, as_year=True)
        number_axis(ax, lang=lang)
        ax.set_ylabel(text("persons_per_year", lang))
        ax.grid(axis="x", visible=False)
        ax.xaxis.set_major_locator(_year_locator(len(years)))
        ax.legend(**LEGEND_RIGHT)
        return finish_panel(
            ax, standalone, title=finding_flows(results, lang=lang),
            subtitle=subtitle or text("flows_subtitle", lang), lang=lang, source=source,
            notes=[law_key(events, drawn, lang=lang), text("flows_note", lang)])


# -- calibration fit ------------------------------------------------------------------------------


def fig_calibration(results: pd.DataFrame, observations: pd.DataFrame, *, lang: str = "nl",
                    series: Sequence[str] = CALIBRATION_SERIES, until: str = SCENARIO_START,
                    source: str | None = None) -> Figure:
    """Observations (marked by source quality) against the model, one panel per series.

    Uses :func:`sdmodel.figures.fit.plot_series` for each panel; flows are monthly totals with
    each observed total drawn as a bar at its monthly average over its period.

    Parameters
    ----------
    results
        Monthly KPIs of the calibrated run (any scenario: the history is the same).
    observations
        The preferred observation rows (:func:`sdmodel.data.observations.load_observations`).
    lang
        ``"nl"`` (default) or ``"en"``.
    series
        The series shown (KPI columns with observations).
    until
        Last date shown (the end of the history).
    source
        Source line (default :func:`sdmodel.figures.marks.source_line`).
    """
    import matplotlib.dates as mdates

    from sdmodel.figures.fit import Curve, plot_series
    from sdmodel.names import KPIS

    check_lang(lang)
    history = results.loc[:until]
    shown = [s for s in series if s in history.columns]
    rows = observations[observations["series"].isin(shown)].assign(fitted=True)
    ends = pd.to_datetime(rows["period_end"])
    rows = rows[(ends <= pd.Timestamp(until)) & (ends >= history.index[0])]
    events = law_dates()
    with figure_style(font_scale=1.0):
        ncols = 3 if len(shown) > 4 else 2
        nrows = int(np.ceil(len(shown) / ncols))
        fig = new_figure()
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, squeeze=False)).ravel()
        drawn: list[int] = []
        for i, (ax, name) in enumerate(zip(axes, shown, strict=False)):
            flow = KPIS[name].aggregation == "flow"
            curve = Curve(dates=history.index + (pd.Timedelta(days=15) if flow else
                                                 pd.Timedelta(0)),
                          model=history[name].to_numpy(), band=None, per_month=flow)
            plot_series(name, curve, rows[rows["series"] == name], ax=ax, lang=lang)
            ax.get_legend().remove()
            panel_title = ax.get_title(loc="left") or ax.get_title()
            ax.set_title("")
            ax.set_title(wrap(panel_title, 36), loc="left", fontsize="small",
                         pad=16 if i < ncols else 6)
            ax.set_xlim(history.index[0], history.index[-1])
            drawn += mark_law_dates(ax, events, lang=lang, numbers=i < ncols)
            year_axis(ax)
            ax.xaxis.set_major_locator(mdates.YearLocator(base=4))
            number_axis(ax, lang=lang)
        for ax in axes[len(shown):]:
            ax.set_visible(False)
        _shared_legend(axes[:len(shown)], anchor=axes[ncols - 1])
        return finish_figure(
            fig, title=finding_calibration(results, observations, list(shown), lang=lang),
            subtitle=text("calibration_subtitle", lang),
            notes=[law_key(events, drawn, lang=lang)],
            source=source if source is not None else source_line(lang=lang))


def _shared_legend(axes: Sequence[Axes], *, anchor: Axes) -> None:
    """One legend for all panels (each label once), right of the ``anchor`` panel."""
    seen: dict[str, object] = {}
    for ax in axes:
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(name, handle)
    if seen:
        anchor.legend(list(seen.values()), list(seen), **LEGEND_RIGHT)
