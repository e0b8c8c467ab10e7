"""Briefing figures of plans: the Gantt chart of a phased schedule and the Pareto front.

Like every ``fig_*`` function of :mod:`sdmodel.briefing.figures`, they take ``ax=None`` and return
a Figure whose title is the finding (:func:`sdmodel.briefing.findings.finding_gantt`,
:func:`sdmodel.briefing.findings.finding_pareto`), with the law dates marked and a source line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sdmodel.briefing.figures import LEGEND_RIGHT, axes_for, finish_panel, y_headroom
from sdmodel.briefing.findings import finding_gantt, finding_pareto
from sdmodel.calendar import SCENARIO_START
from sdmodel.figures.formats import format_number, format_percent
from sdmodel.figures.labels import check_lang, text
from sdmodel.figures.marks import law_dates, law_key, mark_law_dates
from sdmodel.figures.style import colors, figure_style, number_axis, wrap, year_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# -- the phased schedule (Gantt) -------------------------------------------------------------------


def fig_gantt(schedule: pd.DataFrame, *, lang: str = "nl", ax: Axes | None = None,
              horizon: str = "2035-12-31", source: str | None = None,
              subtitle: str | None = None, planned: bool = False,
              title: str | None = None) -> Figure:
    """Gantt chart of a phased schedule: ramp (hatched), full strength (solid), milestones.

    Parameters
    ----------
    schedule
        A schedule table (:func:`sdmodel.briefing.data.schedule_table`, ``planned_schedule``
        or ``read_schedule``): ``lever, kind, start, end, ramp_months, intensity, amount,
        milestones``.
    lang
        ``"nl"`` (default) or ``"en"``.
    ax
        Draw into this Axes (panel only); ``None`` for a standalone figure.
    horizon
        End of the bars (the end of the run).
    source, subtitle
        As in :func:`fig_costs`.
    planned
        The schedule is the planned one of all measures (see
        :func:`sdmodel.briefing.findings.finding_gantt`).
    title
        Replaces the finding as the title (e.g. the finding with the scenario named).
    """
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch

    from sdmodel.briefing.data import lever_title

    check_lang(lang)
    events = law_dates()
    end = pd.Timestamp(horizon)
    with figure_style():
        standalone = ax is None
        ax = axes_for(ax, figsize=(11.69, max(4.5, 2.6 + 0.55 * len(schedule))))
        palette = colors(3)
        kind_color = {"measure": palette[0], "capacity": palette[1]}
        names = []
        for y, row in enumerate(schedule.itertuples()):
            color = kind_color.get(row.kind, palette[2])
            start, full = mdates.date2num(row.start), mdates.date2num(row.end)
            if full > start:
                ax.barh(y, full - start, left=start, height=0.56, color=color, alpha=0.35,
                        hatch="///", edgecolor=color, linewidth=0)
            ax.barh(y, mdates.date2num(end) - full, left=full, height=0.56, color=color)
            ax.annotate(_strength(row, lang), (full, y), xytext=(4, 0),
                        textcoords="offset points", va="center", ha="left", fontsize="small",
                        color="white", fontweight="bold")
            for date, value in row.milestones:
                ax.plot(mdates.date2num(date), y, marker="D", color="black", markersize=6)
                ax.annotate(format_percent(value, lang), (mdates.date2num(date), y),
                            xytext=(0, 8), textcoords="offset points", ha="center",
                            fontsize="x-small")
            names.append(lever_title(row.lever, row.kind, lang))
        first = schedule["start"].min() if len(schedule) else pd.Timestamp(SCENARIO_START)
        ax.set_xlim(mdates.date2num(first - pd.DateOffset(months=6)), mdates.date2num(end))
        ax.set_yticks(range(len(names)), [wrap(n, 34) for n in names])
        ax.set_ylim(len(names) - 0.4, -0.6)
        drawn = mark_law_dates(ax, events, lang=lang)
        year_axis(ax)
        ax.grid(axis="y", visible=False)
        kinds = set(schedule["kind"])
        handles = [Patch(facecolor=kind_color[kind], label=text(f"gantt_{kind}", lang))
                   for kind in ("measure", "capacity") if kind in kinds]
        handles.append(Patch(facecolor="white", edgecolor="0.3", hatch="///",
                             label=text("gantt_ramp", lang)))
        if any(len(m) for m in schedule["milestones"]):
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], marker="D", color="black", linestyle="none",
                                  label=text("gantt_milestone", lang)))
        ax.legend(handles=handles, **LEGEND_RIGHT)
        return finish_panel(
            ax, standalone, title=title or finding_gantt(schedule, lang=lang, planned=planned),
            subtitle=subtitle or text("gantt_subtitle", lang), lang=lang,
            source=source, notes=[law_key(events, drawn, lang=lang)])


def _strength(row: object, lang: str) -> str:
    """The label at full strength: the intensity of a measure, the amount of capacity."""
    from sdmodel.briefing.data import lever_unit

    amount = getattr(row, "amount", np.nan)
    if row.kind == "capacity" and np.isfinite(amount):
        unit = lever_unit(row.lever, lang)
        return f"+{format_number(round(amount), lang)}" + (f" {unit}" if unit else "")
    return format_percent(float(row.intensity), lang)


# -- Pareto front ---------------------------------------------------------------------------------


def fig_pareto(pareto: pd.DataFrame, *, lang: str = "nl", ax: Axes | None = None,
               chosen: tuple[float, float] | None = None, source: str | None = None,
               subtitle: str | None = None) -> Figure:
    """Cost against exceedance of the threshold for the plans on the Pareto front.

    Parameters
    ----------
    pareto
        ``cost_eur, exceedance_person_months`` and optionally
        ``share_futures_meeting_threshold`` (colours the points) and ``budget_eur``.
    lang
        ``"nl"`` (default) or ``"en"``.
    ax
        Draw into this Axes (panel only); ``None`` for a standalone figure.
    chosen
        ``(cost_eur, exceedance_person_months)`` of the chosen plan, marked with a star.
    source, subtitle
        As in :func:`fig_costs`.
    """
    check_lang(lang)
    front = pareto.sort_values("cost_eur")
    with figure_style():
        standalone = ax is None
        ax = axes_for(ax)
        x = front["cost_eur"].to_numpy() / 1e9
        y = front["exceedance_person_months"].to_numpy()
        ax.step(x, y, where="post", color="0.55", linewidth=1.2, zorder=1)
        if "share_futures_meeting_threshold" in front:
            points = ax.scatter(x, y, c=front["share_futures_meeting_threshold"], cmap="cividis",
                                vmin=0, vmax=1, s=60, zorder=3, edgecolors="black",
                                linewidths=0.6, label=text("pareto_plan", lang))
            bar = ax.figure.colorbar(points, ax=ax, pad=0.02)
            bar.set_label(text("pareto_share", lang))
            bar.ax.yaxis.set_major_formatter(_percent_formatter(lang))
        else:
            ax.scatter(x, y, color=colors(1)[0], s=60, zorder=3, label=text("pareto_plan", lang))
        if chosen is not None:
            ax.scatter([chosen[0] / 1e9], [chosen[1]], marker="*", s=320, color="#c0392b",
                       edgecolors="black", zorder=4, label=text("pareto_chosen", lang))
        ax.margins(x=0.08)  # costs: the differences matter, not the distance from zero
        y_headroom(ax, 1.1)
        number_axis(ax, lang=lang)
        number_axis(ax, lang=lang, axis="x", decimals=1)
        ax.set_xlabel(text("pareto_cost", lang))
        ax.set_ylabel(text("pareto_exceedance", lang))
        ax.legend(loc="best", fontsize="small", frameon=True, framealpha=0.9)
        return finish_panel(
            ax, standalone, title=finding_pareto(front, lang=lang),
            subtitle=subtitle or text("pareto_subtitle", lang), lang=lang,
            source=source)


def _percent_formatter(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_percent(v, lang))


