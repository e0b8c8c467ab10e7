"""Scenario comparison figures: KPIs side by side with the law dates marked, fan charts, costs.

Six panels (COA, Ter Apel, IND, courts, status holders, undocumented) show one line per scenario
(:func:`comparison_figure`) or one band per scenario (:func:`fan_chart_figure`); every panel marks
the start dates of the scenarios' measures with numbered vertical lines, explained in a key below
the panels. :func:`cost_figure` shows the average yearly cost per actor. Labels are Dutch by
default, numbers in Dutch format; the look is the project's (:mod:`sdmodel.figures.style`), applied
only inside these functions.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdmodel.figures.bands import band_legend_handles, draw_band
from sdmodel.figures.formats import format_date, format_number
from sdmodel.figures.labels import check_lang, text, unit
from sdmodel.figures.marks import LAW_COLOR, THRESHOLD_COLOR, marker_symbol
from sdmodel.figures.style import (
    DPI,
    figure_style,
    number_axis,
    save_figure,
    scenario_colors,
    year_axis,
)
from sdmodel.figures.style import colors as _colors
from sdmodel.names import COST_ACTORS, TER_APEL_NORM

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.scenarios.scenario import Scenario

__all__ = ["DPI", "comparison_figure", "cost_figure", "fan_chart_figure", "law_markers",
           "save_figure"]

SHOWN_FROM = "2022-01-01"
"""First month shown: a few years of history for context."""
PANELS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("panel_coa_compare", ("coa_occupancy_total",), "coa_occupancy_total", "coa"),
    ("panel_ter_apel", ("ter_apel_occupancy",), "ter_apel_occupancy", "ter_apel"),
    ("panel_ind_backlog", ("ind_pending_asylum",), "ind_pending_asylum", ""),
    ("panel_court", ("court_appeals_pending", "court_status_appeals_pending"),
     "court_appeals_pending", ""),
    ("panel_status_holders", ("coa_status_holders_waiting",), "coa_status_holders_waiting", ""),
    ("panel_undocumented", ("undocumented_on_street",), "undocumented_on_street", ""),
)
"""Panels: title key, KPIs summed, KPI whose unit labels the y axis, threshold kind."""
BAND_NAMES = {
    "coa_occupancy_total": "panel_coa_fan", "ter_apel_occupancy": "panel_ter_apel",
    "ind_pending_asylum": "panel_ind_backlog", "court_backlog": "panel_court",
    "coa_status_holders_waiting": "panel_status_holders",
    "undocumented_on_street": "panel_undocumented",
}
"""Band series of :mod:`sdmodel.analysis.uncertainty` -> panel title key."""
KEY_WIDTH = 190
"""Characters per line of the law-date key under the panels."""


@dataclass(frozen=True)
class LawMarker:
    """A numbered vertical line: a date and the measures (with scenarios) starting on it."""

    number: int
    date: dt.date
    items: tuple[str, ...]


def law_markers(scenarios: Sequence[Scenario], *, lang: str = "nl") -> list[LawMarker]:
    """Return one marker per start date of the scenarios' active measures, in date order.

    Each item names the measure and, when more than one scenario is compared, the scenarios
    that start it on that date.
    """
    by_date: dict[dt.date, dict[str, list[str]]] = {}
    for scenario in scenarios:
        for setting in scenario.active_measures:
            title = setting.measure.title if lang == "nl" else setting.measure.title_en
            by_date.setdefault(setting.schedule.start, {}).setdefault(title, []).append(
                scenario.name)
    multi = len(scenarios) > 1
    markers = []
    for number, date in enumerate(sorted(by_date), start=1):
        items = tuple(f"{title} ({', '.join(names)})" if multi else title
                      for title, names in by_date[date].items())
        markers.append(LawMarker(number, date, items))
    return markers


def comparison_figure(
    results: Mapping[str, pd.DataFrame],
    scenarios: Sequence[Scenario],
    *,
    lang: str = "nl",
    model_sha256: str | None = None,
    calibration: str = "",
) -> Figure:
    """Six KPI panels with one line per scenario and the measures' start dates marked.

    Parameters
    ----------
    results
        Scenario name -> monthly KPIs (as ``ChainModel.run`` returns them).
    scenarios
        The scenarios, in the order of the legend (their thresholds and measures are drawn).
    lang
        ``"nl"`` (default) or ``"en"``.
    model_sha256
        Hash of the model file, shown in the source line.
    calibration
        Where the parameters come from, shown in the source line.

    Returns
    -------
    Figure
        Not registered with pyplot; save it with :func:`sdmodel.figures.style.save_figure`.
    """
    check_lang(lang)
    colors = scenario_colors([s.name for s in scenarios])

    def draw(ax: Axes, kpis: tuple[str, ...], threshold: str) -> None:
        for scenario in scenarios:
            frame = results[scenario.name].loc[SHOWN_FROM:]
            values = sum(frame[k] for k in kpis)
            ax.plot(frame.index, values.to_numpy(), color=colors[scenario.name], linewidth=1.8,
                    label=scenario.name)
            if threshold == "coa":
                _coa_threshold(ax, frame, scenario, color=colors[scenario.name])
        if threshold == "ter_apel":
            _ter_apel_threshold(ax, scenarios, lang=lang)

    title = text("compare_title", lang)
    return _panel_figure(draw, scenarios, colors, title=title, lang=lang,
                         model_sha256=model_sha256, calibration=calibration)


def fan_chart_figure(
    bands: pd.DataFrame,
    scenarios: Sequence[Scenario],
    *,
    samples: int,
    lang: str = "nl",
    model_sha256: str | None = None,
    calibration: str = "",
) -> Figure:
    """Six panels with a 90% and a 50% band and the median per scenario.

    Parameters
    ----------
    bands
        Long table ``scenario, series, date, q05, q25, q50, q75, q95`` (see
        :func:`sdmodel.analysis.uncertainty.run_uncertainty`).
    scenarios
        The scenarios (legend order, measures marked, thresholds).
    samples
        Number of samples per scenario, shown in the title.
    lang, model_sha256, calibration
        As in :func:`comparison_figure`.
    """
    import pandas as pd

    check_lang(lang)
    colors = scenario_colors([s.name for s in scenarios])
    series_of = {("court_appeals_pending", "court_status_appeals_pending"): "court_backlog"}

    def draw(ax: Axes, kpis: tuple[str, ...], threshold: str) -> None:
        series = series_of.get(kpis, kpis[0])
        for scenario in scenarios:
            rows = bands[(bands["scenario"] == scenario.name) & (bands["series"] == series)]
            rows = rows[pd.to_datetime(rows["date"]) >= pd.Timestamp(SHOWN_FROM)]
            dates = pd.to_datetime(rows["date"])
            draw_band(ax, dates, rows["q05"], rows["q25"], rows["q50"], rows["q75"],
                      rows["q95"], color=colors[scenario.name], overlapping=len(scenarios) > 1,
                      labels=(None, None, scenario.name), median_width=1.6)
        if threshold == "ter_apel":
            _ter_apel_threshold(ax, scenarios, lang=lang)

    title = text("fan_title", lang).format(n=format_number(samples, lang))
    return _panel_figure(draw, scenarios, colors, title=title, lang=lang,
                         model_sha256=model_sha256, calibration=calibration, bands=True)


def cost_figure(costs: pd.DataFrame, scenarios: Sequence[Scenario], *, lang: str = "nl",
                model_sha256: str | None = None, calibration: str = "") -> Figure:
    """Stacked bars: average yearly cost per actor for each scenario, with the total on top.

    Parameters
    ----------
    costs
        Long table ``scenario, year, actor, cost_eur`` (see
        :func:`sdmodel.analysis.compare.cost_table`).
    scenarios
        The scenarios, in bar order.
    lang, model_sha256, calibration
        As in :func:`comparison_figure`.
    """
    import numpy as np
    from matplotlib.figure import Figure

    check_lang(lang)
    names = [s.name for s in scenarios]
    mean = (costs.groupby(["scenario", "actor"])["cost_eur"].mean() / 1e6).unstack("actor")
    actors = [a for a in COST_ACTORS if a in mean.columns]
    with figure_style(font_scale=0.95):
        fig = Figure(figsize=(max(6.5, 2.2 * len(names) + 3), 5.2), layout="constrained")
        ax = fig.subplots()
        bottom = np.zeros(len(names))
        for actor, color in zip(actors, _colors(len(actors)), strict=True):
            values = mean.reindex(names)[actor].fillna(0).to_numpy()
            ax.bar(names, values, bottom=bottom, color=color, label=text(f"actor_{actor}", lang),
                   width=0.6)
            bottom += values
        for x, total in enumerate(bottom):
            ax.text(x, total, format_number(round(total), lang), ha="center", va="bottom",
                    fontsize="small")
        ax.set_ylim(0, bottom.max() * 1.12 if bottom.max() > 0 else 1)
        number_axis(ax, lang=lang)
        ax.set_ylabel(text("eur_million_per_year", lang))
        ax.set_title(text("cost_title", lang))
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        fig.text(0.01, 0.008, _source(lang, model_sha256, calibration), fontsize=7.5,
                 color="0.35", ha="left", va="bottom")
    return fig


# -- helpers ---------------------------------------------------------------------------------------


def _panel_figure(draw, scenarios: Sequence[Scenario], colors: Mapping[str, object], *,
                  title: str, lang: str, model_sha256: str | None, calibration: str,
                  bands: bool = False) -> Figure:
    from matplotlib.figure import Figure

    markers = law_markers(scenarios, lang=lang)
    key_lines = _marker_key(markers, lang=lang)
    with figure_style(font_scale=0.8):
        height = 8.4 + 0.17 * len(key_lines)
        fig = Figure(figsize=(15, height), layout="constrained")
        bottom = (0.035 + 0.17 * len(key_lines)) / height + 0.01
        fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom), h_pad=0.08, w_pad=0.08)
        axes = fig.subplots(2, 3, sharex=True).ravel()
        for letter, ax, (title_key, kpis, unit_kpi, threshold) in zip(
                "abcdef", axes, PANELS, strict=True):
            key = "panel_coa_fan" if bands and title_key == "panel_coa_compare" else title_key
            draw(ax, kpis, threshold)
            number_axis(ax, lang=lang)
            year_axis(ax)
            ax.set_title(f"{letter}   {text(key, lang)}", loc="left", fontsize="medium")
            ax.set_ylabel(unit(unit_kpi, lang))
            _y_from_zero(ax, headroom=1.12)
            _mark_laws(ax, markers)
            if threshold == "ter_apel":
                lines = [h for h in ax.get_lines() if h.get_label().startswith(
                    (text("ter_apel_norm", lang), text("threshold", lang)))]
                ax.legend(handles=lines, loc="lower right", fontsize="small", framealpha=0.9,
                          frameon=True)
        _scenario_legend(fig, scenarios, colors, bands=bands, lang=lang)
        fig.suptitle(title, x=0.01, ha="left", fontsize=14, fontweight="bold")
        y = 0.012 + 0.17 * len(key_lines) / height
        for line in key_lines:
            fig.text(0.01, y, line, fontsize=8.5, ha="left", va="bottom", color="0.15")
            y -= 0.17 / height
        fig.text(0.01, 0.006, _source(lang, model_sha256, calibration), fontsize=7.5,
                 color="0.35", ha="left", va="bottom")
    return fig


def _source(lang: str, model_sha256: str | None, calibration: str) -> str:
    sha = f" ({model_sha256[:8]})" if model_sha256 else ""
    return text("source_line_compare", lang).format(sha=sha, calibration=calibration or "-")


def _marker_key(markers: Sequence[LawMarker], *, lang: str) -> list[str]:
    if not markers:
        return []
    lines = [text("measure_dates", lang) + ":"]
    for marker in markers:
        line = (f"  {marker_symbol(marker.number)}  {format_date(marker.date, lang)}:  "
                + "; ".join(marker.items))
        lines += textwrap.wrap(line, KEY_WIDTH, subsequent_indent=" " * 8)
    return lines


def _y_from_zero(ax: Axes, *, headroom: float) -> None:
    """Autoscale y over everything drawn, start it at zero and leave ``headroom`` above."""
    ax.autoscale(enable=True, axis="y")
    low, high = ax.get_ylim()
    ax.set_ylim(min(0.0, low), high * headroom if high > 0 else high)


def _mark_laws(ax: Axes, markers: Sequence[LawMarker]) -> None:
    """Dotted vertical lines with their numbers near the top; close dates get lower labels."""
    import matplotlib.dates as mdates

    previous, level = None, 0
    for marker in markers:
        x = mdates.date2num(marker.date)
        level = level + 1 if previous is not None and x - previous < 300 else 0
        previous = x
        ax.axvline(x, color=LAW_COLOR, linestyle=(0, (1, 2)), linewidth=1.1, zorder=1)
        ax.annotate(marker_symbol(marker.number), xy=(x, 1), xycoords=("data", "axes fraction"),
                    xytext=(3, -4 - 11 * (level % 3)), textcoords="offset points",
                    fontsize="small", color="0.25", ha="left", va="top",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.85})


def _coa_threshold(ax: Axes, frame: pd.DataFrame, scenario: Scenario, *, color: object) -> None:
    limits = scenario.thresholds
    if limits.coa_occupancy is not None:
        ax.axhline(limits.coa_occupancy, color=color, linestyle="--", linewidth=1.0)
        return
    capacity = frame["coa_regular_capacity"] * limits.coa_occupancy_share
    ax.plot(frame.index, capacity.to_numpy(), color=color, linestyle="--", linewidth=0.9,
            alpha=0.8)


def _ter_apel_threshold(ax: Axes, scenarios: Sequence[Scenario], *, lang: str) -> None:
    levels = sorted({s.thresholds.ter_apel for s in scenarios})
    for level in levels:
        label = (text("ter_apel_norm", lang) if level == TER_APEL_NORM
                 else f"{text('threshold', lang)}: {format_number(level, lang)}")
        ax.axhline(level, color=THRESHOLD_COLOR, linestyle="--", linewidth=1.4, label=label)


def _scenario_legend(fig: Figure, scenarios: Sequence[Scenario], colors: Mapping[str, object],
                     *, bands: bool, lang: str) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colors[s.name], linewidth=2, label=s.name)
               for s in scenarios]
    if bands:
        handles += band_legend_handles(overlapping=len(scenarios) > 1,
                                       band50=text("band_50", lang), band90=text("band_90", lang),
                                       median=text("median", lang))
    fig.legend(handles=handles, loc="outside upper right", ncols=len(handles), fontsize="small",
               frameon=False)
