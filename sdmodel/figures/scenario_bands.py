"""The bands of one scenario over history and future, with the observations (``bands.png``).

Six panels, one per band series of :mod:`sdmodel.analysis.uncertainty`: the 90% band
(q05-q95) and the 50% band (q25-q75) of the ensemble as ribbons, its median as a thin line, the
central run (the headline) as a dashed dark line, and the observed stock values as points (a
marker per source quality, as in :mod:`sdmodel.figures.observations`). Before the end of the
history only the calibration's bootstrap rows spread the runs; the scenario period is shaded.
The title states the finding: the COA occupancy of 2030 in the central run and its 90% band.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sdmodel.figures.formats import format_number
from sdmodel.figures.labels import check_lang, text, unit
from sdmodel.figures.style import figure_writer
from sdmodel.names import TER_APEL_NORM

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.outputs.writers import Writer
    from sdmodel.scenarios.scenario import Scenario

PANELS: tuple[tuple[str, tuple[str, ...], str | None, str], ...] = (
    ("coa_occupancy_total", ("coa_occupancy_total",), "coa_occupancy_total", "panel_coa_fan"),
    ("ter_apel_occupancy", ("ter_apel_occupancy",), "ter_apel_occupancy", "panel_ter_apel"),
    ("ind_pending_asylum", ("ind_pending_asylum",), "ind_pending_asylum", "panel_ind_backlog"),
    ("court_backlog", ("court_appeals_pending", "court_status_appeals_pending"), None,
     "panel_court"),
    ("coa_status_holders_waiting", ("coa_status_holders_waiting",),
     "coa_status_holders_waiting", "panel_status_holders"),
    ("undocumented_on_street", ("undocumented_on_street",), None, "panel_undocumented"),
)
"""Panels: band series, the central run's KPIs summed, observed series (or None), title key."""
TEXTS: dict[str, dict[str, str]] = {
    "title_central": {"nl": "Bezetting COA in 2030: {central} in de centrale run (percentiel "
                            "{pct} van {n} trekkingen), 90%-interval {low} tot {high}",
                      "en": "COA occupancy in 2030: {central} in the central run (percentile "
                            "{pct} of {n} samples), 90% interval {low} to {high}"},
    "title_median": {"nl": "Bezetting COA in 2030: mediaan {median} van {n} trekkingen "
                           "(90%-interval {low} tot {high}); de centrale run ({central}) ligt "
                           "op percentiel {pct}",
                     "en": "COA occupancy in 2030: median {median} of {n} samples (90% "
                           "interval {low} to {high}); the central run ({central}) lies at "
                           "percentile {pct}"},
    "subtitle": {"nl": "Scenario {scenario}: banden over historie en toekomst; vóór 2026 "
                       "spreiden alleen de bootstrap-fits van de kalibratie",
                 "en": "Scenario {scenario}: bands over history and future; before 2026 only "
                       "the calibration's bootstrap refits spread the runs"},
    "central": {"nl": "centrale run (kop)", "en": "central run (headline)"},
    "source": {"nl": "Bron: model asielketen{sha}; parameters: {calibration}; ensemble: "
                     "bootstrap van de kalibratie, aannames uit het .mdl, MPP-band, "
                     "effecten van maatregelen (README, Onzekerheid)",
               "en": "Source: asielketen model{sha}; parameters: {calibration}; ensemble: "
                     "calibration bootstrap, .mdl assumptions, MPP band, measure effects "
                     "(README, Uncertainty)"},
}


def bands_figure(
    bands: pd.DataFrame,
    central: pd.DataFrame,
    observations: pd.DataFrame | None = None,
    *,
    scenario: Scenario,
    samples: int,
    headline: pd.DataFrame,
    lang: str = "nl",
    model_sha256: str | None = None,
    calibration: str = "",
) -> Figure:
    """Draw the bands of one scenario with the central run and the observations.

    Parameters
    ----------
    bands
        Long table ``scenario, series, date, q05, q25, q50, q75, q95`` of this scenario.
    central
        The central run's monthly KPIs (index ``date``), as far as the bands go.
    observations
        Long-format observations (stocks drawn as points), or ``None``.
    scenario
        The scenario (its name and Ter Apel threshold).
    samples
        Runs in the ensemble (in the title).
    headline
        The headline check (:func:`sdmodel.analysis.headline.headline_table`): the title reports
        the central run or the median by its rule.
    lang, model_sha256, calibration
        Label language, the model hash and the calibration shown in the source line.
    """
    import pandas as pd
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from sdmodel.figures.marks import mark_scenario_period, mark_threshold
    from sdmodel.figures.observations import plot_observations
    from sdmodel.figures.style import colors, figure_style, finish_figure, number_axis, year_axis

    check_lang(lang)
    own = bands[bands["scenario"] == scenario.name]
    color, line = colors(1)[0], "0.1"
    with figure_style(font_scale=0.8):
        fig = Figure(figsize=(15, 8.8), layout="constrained")
        fig.get_layout_engine().set(h_pad=0.08, w_pad=0.08)
        axes = fig.subplots(2, 3, sharex=True).ravel()
        for letter, ax, (series, kpis, observed, title) in zip("abcdef", axes, PANELS,
                                                               strict=True):
            rows = own[own["series"] == series]
            dates = pd.to_datetime(rows["date"])
            ax.fill_between(dates, rows["q05"], rows["q95"], color=color, alpha=0.18,
                            linewidth=0)
            ax.fill_between(dates, rows["q25"], rows["q75"], color=color, alpha=0.38,
                            linewidth=0)
            ax.plot(dates, rows["q50"], color=color, linewidth=1.2)
            run = sum(central[k] for k in kpis)
            ax.plot(central.index, run, color=line, linewidth=1.4, linestyle="--")
            if observations is not None and observed is not None:
                plot_observations(observations, observed, ax=ax, color=line,
                                  within=central.index, lang=lang)
            if series == "ter_apel_occupancy":
                mark_threshold(ax, scenario.thresholds.ter_apel or TER_APEL_NORM,
                               text("ter_apel_norm", lang))
                ax.legend(handles=ax.get_lines()[-1:], loc="upper left", fontsize="small",
                          framealpha=0.9)
            number_axis(ax, lang=lang)
            year_axis(ax)
            _y_from_zero(ax)
            mark_scenario_period(ax, lang=lang, label="inside" if letter == "a" else "none")
            ax.set_title(f"{letter}   {text(title, lang)}", loc="left", fontsize="medium")
            ax.set_ylabel(unit(kpis[0], lang))
        handles = [Patch(color=color, alpha=0.18, label=text("band_90", lang)),
                   Patch(color=color, alpha=0.38, label=text("band_50", lang)),
                   _line(color, "-", text("median", lang)),
                   _line(line, "--", TEXTS["central"][lang]),
                   *_observation_handles(axes, lang=lang)]
        axes[0].legend(handles=handles, loc="upper left", fontsize="small", framealpha=0.9)
        row = headline[(headline["scenario"] == scenario.name)
                       & (headline["kpi"] == "coa_2030")].iloc[0]
        kind = "title_central" if row["headline_from"] == "central" else "title_median"
        title = TEXTS[kind][lang].format(
            central=format_number(round(row["central"], -2), lang),
            median=format_number(round(row["q50"], -2), lang),
            low=format_number(round(row["q05"], -2), lang),
            high=format_number(round(row["q95"], -2), lang),
            pct=format_number(round(row["percentile"]), lang), n=format_number(samples, lang))
        sha = f" ({model_sha256[:8]})" if model_sha256 else ""
        finish_figure(fig, title=title,
                      subtitle=TEXTS["subtitle"][lang].format(scenario=scenario.name),
                      source=TEXTS["source"][lang].format(sha=sha,
                                                          calibration=calibration or "-"))
    return fig


def bands_writer(bands: pd.DataFrame, central: pd.DataFrame,
                 observations: pd.DataFrame | None = None, **options: object) -> Writer:
    """Return a writer (``path -> None``) that renders :func:`bands_figure` to a PNG file."""
    return figure_writer(lambda: bands_figure(bands, central, observations, **options))


def _observation_handles(axes: Sequence[Axes], *, lang: str) -> list[object]:
    """Grey legend entries for the observation markers drawn (one per source quality)."""
    from matplotlib.lines import Line2D

    from sdmodel.figures.observations import QUALITY_MARKERS

    drawn = {lab for ax in axes for lab in ax.get_legend_handles_labels()[1]}
    handles = []
    for quality, style in QUALITY_MARKERS.items():
        name = f"{text('observed', lang)}: {text('quality_' + quality, lang)}"
        if name in drawn:
            face = "0.3" if style["filled"] else "white"
            handles.append(Line2D([], [], linestyle="none", marker=style["marker"],
                                  markersize=6, color="0.3", markerfacecolor=face, label=name))
    return handles


def _line(color: object, style: str, label: str) -> object:
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, linestyle=style, linewidth=1.4, label=label)


def _y_from_zero(ax: Axes) -> None:
    ax.autoscale(enable=True, axis="y")
    low, high = ax.get_ylim()
    ax.set_ylim(min(0.0, low), high * 1.08 if high > 0 else high)
