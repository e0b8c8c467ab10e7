"""Figures of model results with observations, labelled in Dutch (default) or English.

Panel functions take ``ax=None`` (meaning the current Axes) and return the Axes they drew on, so
they compose into any layout. :func:`kpi_overview` puts four of them on one page with the law dates
marked and a source line. The look comes from :mod:`sdmodel.figures.style` and the marks (law dates,
the Ter Apel norm, the source line) from :mod:`sdmodel.figures.marks`; seaborn and matplotlib are
imported inside the functions, and the style is applied only within :func:`kpi_overview` (global
matplotlib settings are left as they were).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sdmodel.errors import AsielketenError
from sdmodel.figures.labels import check_lang, label, text, unit
from sdmodel.figures.observations import (
    is_observation_label,
    observation_legend,
    plot_observations,
)
from sdmodel.figures.style import figure_writer
from sdmodel.names import TER_APEL_NORM

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.outputs.writers import Writer


LEGEND_HEADROOM = 1.3
"""Panels leave this factor of room above the data for the legend (upper left)."""


# -- panels --------------------------------------------------------------------------------------


def plot_kpi(
    results: pd.DataFrame,
    kpi: str,
    *,
    observations: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
    color: object | None = None,
    linestyle: str = "-",
) -> Axes:
    """Draw one KPI column as a line over time, with its observed stock values as points.

    Parameters
    ----------
    results
        Model results indexed by date (as returned by ``ChainModel.run``).
    kpi
        The column to draw; its label comes from :mod:`sdmodel.figures.labels`.
    observations
        Long-format observations (``series, kind, period_start, period_end, value, quality``).
        Rows with ``series == kpi`` and ``kind == 'stock'`` are drawn at ``period_end``, within
        the date range of ``results``, with a marker per ``quality``.
    ax
        Axes to draw on; the current Axes if ``None``.
    lang
        ``"nl"`` (default) or ``"en"``.
    color
        Line and marker colour; the next colour of the Axes cycle if ``None``.
    linestyle
        Matplotlib line style of the model line.

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    AsielketenError
        If ``results`` has no column ``kpi``.
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    if kpi not in results.columns:
        raise AsielketenError(f"the results have no column '{kpi}'; cannot plot it")
    ax = plt.gca() if ax is None else ax
    (line,) = ax.plot(
        results.index, results[kpi].to_numpy(), color=color, linestyle=linestyle,
        linewidth=1.8, label=label(kpi, lang),
    )
    if observations is not None:
        plot_observations(
            observations, kpi, ax=ax, color=line.get_color(), within=results.index, lang=lang
        )
    _format_axes(ax, lang=lang)
    return ax


def plot_coa(
    results: pd.DataFrame,
    *,
    observations: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Axes:
    """Panel: COA occupancy against regular capacity, with emergency reception shaded.

    Draws ``coa_occupancy_total`` (solid), ``coa_regular_capacity`` (dashed) and shades the part
    of the occupancy in emergency reception: between ``coa_occupancy_regular`` and the total, or,
    without that column, the occupancy above regular capacity. Returns the Axes drawn on.
    """
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    colors = _colors(3)
    plot_kpi(results, "coa_occupancy_total", observations=observations, ax=ax, lang=lang,
             color=colors[0])
    plot_kpi(results, "coa_regular_capacity", ax=ax, lang=lang, color="0.35", linestyle="--")
    total = results["coa_occupancy_total"].to_numpy()
    if "coa_occupancy_regular" in results.columns:
        lower = results["coa_occupancy_regular"].to_numpy()
    else:
        lower = results["coa_regular_capacity"].to_numpy()
    ax.fill_between(
        results.index, lower, total, where=total > lower, interpolate=True, color=colors[2],
        alpha=0.3, linewidth=0, label=text("emergency_area", lang),
    )
    ax.set_title(text("panel_coa", lang))
    ax.set_ylabel(unit("coa_occupancy_total", lang))
    _y_from_zero(ax, headroom=LEGEND_HEADROOM)
    return ax


def plot_ter_apel(
    results: pd.DataFrame,
    *,
    observations: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Axes:
    """Panel: Ter Apel occupancy against the 2,000 maximum; returns the Axes drawn on."""
    import matplotlib.pyplot as plt

    from sdmodel.figures.marks import mark_threshold

    ax = plt.gca() if ax is None else ax
    plot_kpi(results, "ter_apel_occupancy", observations=observations, ax=ax, lang=lang,
             color=_colors(1)[0])
    mark_threshold(ax, TER_APEL_NORM, text("ter_apel_norm", lang))
    ax.set_title(text("panel_ter_apel", lang))
    ax.set_ylabel(unit("ter_apel_occupancy", lang))
    _y_from_zero(ax, headroom=LEGEND_HEADROOM)
    return ax


def plot_ind_backlog(
    results: pd.DataFrame,
    *,
    observations: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Axes:
    """Panel: IND pending asylum (and nareis, if present) cases; returns the Axes drawn on."""
    return _multi_panel(
        results, ("ind_pending_asylum", "ind_pending_nareis"), title="panel_ind",
        observations=observations, ax=ax, lang=lang,
    )


def plot_housing_wait(
    results: pd.DataFrame,
    *,
    observations: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "nl",
) -> Axes:
    """Panel: status holders waiting for housing (and beyond 14 weeks); returns the Axes."""
    return _multi_panel(
        results, ("coa_status_holders_waiting", "status_holders_beyond_norm"),
        title="panel_housing", observations=observations, ax=ax, lang=lang,
    )


# -- the overview page ----------------------------------------------------------------------------


def kpi_overview(
    results: pd.DataFrame,
    observations: pd.DataFrame | None = None,
    *,
    lang: str = "nl",
    title: str | None = None,
    subtitle: str | None = None,
    model_sha256: str | None = None,
) -> Figure:
    """Four panels: COA vs capacity, Ter Apel vs 2,000, IND backlog, status holders waiting.

    The law dates of ``calibration/data/timeline.csv`` are drawn as numbered dotted lines (the
    key is at the foot, above the source line).

    Parameters
    ----------
    results
        Model results indexed by date (as returned by ``ChainModel.run``).
    observations
        Long-format observations drawn as points over the matching KPIs (stocks only), or
        ``None``.
    lang
        ``"nl"`` (default) or ``"en"``.
    title
        Figure title (the briefing passes the finding); a default title in ``lang`` if ``None``.
    subtitle
        A second title line, e.g. the scenario name.
    model_sha256
        Hash of the model file; its first 8 characters appear in the source line.

    Returns
    -------
    Figure
        A matplotlib Figure not registered with pyplot (save it with
        :func:`sdmodel.figures.style.save_figure`).
    """
    from sdmodel.figures.marks import (
        law_dates,
        law_key,
        mark_law_dates,
        mark_scenario_period,
        source_line,
    )
    from sdmodel.figures.style import figure_style, finish_figure, new_figure

    check_lang(lang)
    events = law_dates()
    with figure_style(font_scale=0.95):
        fig = new_figure(figsize=(12, 8.6))
        fig.get_layout_engine().set(h_pad=0.08, w_pad=0.08)
        axes = fig.subplots(2, 2, sharex=True).ravel()
        panels: list[Callable[..., Axes]] = [
            plot_coa, plot_ter_apel, plot_ind_backlog, plot_housing_wait
        ]
        drawn: list[int] = []
        for i, (letter, panel, ax) in enumerate(zip("abcd", panels, axes, strict=True)):
            panel(results, observations=observations, ax=ax, lang=lang)
            panel_title = ax.get_title(loc="left") or ax.get_title()
            ax.set_title("")
            mark_scenario_period(ax, lang=lang, label="above" if i < 2 else "none")
            drawn += mark_law_dates(ax, events, lang=lang, numbers=i < 2)
            ax.set_title(f"{letter}   {panel_title}", loc="left", fontsize="medium",
                         pad=16 if i < 2 else 6)
            _legend(ax)
        if observations is not None:
            observation_legend(fig, axes, lang=lang)
        finish_figure(
            fig, title=title if title is not None else text("overview_title", lang),
            subtitle=subtitle, notes=[law_key(events, drawn, lang=lang)],
            source=source_line(lang=lang, model_sha256=model_sha256),
        )
    return fig


def overview_writer(
    results: pd.DataFrame,
    observations: pd.DataFrame | None = None,
    *,
    lang: str = "nl",
    subtitle: str | None = None,
    model_sha256: str | None = None,
) -> Writer:
    """Return a writer (``path -> None``) that renders :func:`kpi_overview` to a PNG file."""
    return figure_writer(lambda: kpi_overview(results, observations, lang=lang,
                                              subtitle=subtitle, model_sha256=model_sha256))


# -- helpers ---------------------------------------------------------------------------------------


def _multi_panel(
    results: pd.DataFrame,
    kpis: tuple[str, ...],
    *,
    title: str,
    observations: pd.DataFrame | None,
    ax: Axes | None,
    lang: str,
) -> Axes:
    """Draw the first KPI (required) and the others (if present) on one Axes."""
    import matplotlib.pyplot as plt

    ax = plt.gca() if ax is None else ax
    colors = _colors(len(kpis))
    for i, kpi in enumerate(kpis):
        if i and kpi not in results.columns:
            continue
        plot_kpi(results, kpi, observations=observations, ax=ax, lang=lang, color=colors[i])
    ax.set_title(text(title, lang))
    ax.set_ylabel(unit(kpis[0], lang))
    _y_from_zero(ax, headroom=LEGEND_HEADROOM)
    return ax


def _colors(n: int) -> list[tuple[float, float, float]]:
    from sdmodel.figures.style import colors

    return colors(n)


def _format_axes(ax: Axes, *, lang: str) -> None:
    """Thousands separators on y, years on x, y starting at zero."""
    from sdmodel.figures.style import number_axis, year_axis

    number_axis(ax, lang=lang)
    year_axis(ax)
    _y_from_zero(ax)


def _y_from_zero(ax: Axes, *, headroom: float = 1.05) -> None:
    """Autoscale y over everything drawn, start it at zero and leave ``headroom`` above."""
    ax.autoscale(enable=True, axis="y")
    low, high = ax.get_ylim()
    ax.set_ylim(min(0.0, low), high * headroom if high > 0 else high)


def _legend(ax: Axes) -> None:
    """Legend of the model lines only (observation markers go in the figure legend)."""
    pairs = [
        (handle, lab)
        for handle, lab in zip(*ax.get_legend_handles_labels(), strict=True)
        if not is_observation_label(lab)
    ]
    if pairs:
        handles, labels = zip(*pairs, strict=True)
        ax.legend(handles, labels, loc="upper left", fontsize="small", frameon=True,
                  framealpha=0.9)
