"""The tornado chart of a sensitivity analysis and the peeling-trajectory figure of a discovery.

Both draw from the tables the commands write (indices.csv with ``label`` and ``reason`` added;
boxes.csv and trajectory.csv), so ``asielketen briefing`` redraws them from an output folder.
Titles are the findings (:mod:`sdmodel.analysis.readings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sdmodel.figures.formats import format_number
from sdmodel.figures.labels_robustness import rtext
from sdmodel.figures.style import (
    colors,
    figure_style,
    finish_figure,
    new_figure,
    number_axis,
    wrap,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

LABEL_CHARS = 42
REASON_CHARS = 44


def tornado_figure(top: pd.DataFrame, *, method: str, title: str, runs: int, samples: int,
                   unit: str = "", lang: str = "nl", source: str | None = None) -> Figure:
    """Horizontal bars of the most influential quantities of one KPI, with their reasons.

    Parameters
    ----------
    top
        Rows of indices.csv, most influential first, with ``label`` and ``reason`` columns.
    method
        ``"sobol"`` (ST with S1 inside) or ``"morris"`` (mu* with sigma).
    title
        The finding (:func:`sdmodel.analysis.readings.tornado_finding`).
    runs, samples
        Model runs and base samples (or trajectories), for the subtitle.
    unit
        The KPI's unit (Morris only).
    lang
        ``"nl"`` or ``"en"``.
    source
        The source line.
    """
    with figure_style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 2, width_ratios=(1.4, 1.0))
        ax = fig.add_subplot(grid[0, 0])
        side = fig.add_subplot(grid[0, 1], sharey=ax)
        y = np.arange(len(top))[::-1]
        main, inner = colors(2)
        if method == "sobol":
            ax.barh(y, top["ST"], xerr=top["ST_conf"], color=main, alpha=0.55, height=0.7,
                    error_kw={"elinewidth": 1.2, "capsize": 3, "ecolor": "0.3"}, label="ST")
            ax.barh(y, top["S1"].clip(lower=0), color=main, height=0.32, label="S1")
            ax.set_xlabel(rtext("share_axis", lang))
            reach = float((top["ST"] + top["ST_conf"]).max()) if len(top) else 1.0
            ax.set_xlim(0, min(max(reach * 1.15, 0.1), 1.0))
            number_axis(ax, lang=lang, axis="x", decimals=2)
            subtitle = rtext("tornado_subtitle_sobol", lang)
        else:
            ax.barh(y, top["mu_star"], xerr=top["mu_star_conf"], color=main, alpha=0.7,
                    height=0.7, error_kw={"elinewidth": 1.2, "capsize": 3, "ecolor": "0.3"},
                    label="mu*")
            ax.plot(top["sigma"], y, "o", color=inner, label="sigma")
            ax.set_xlabel(rtext("mu_axis", lang).format(unit=unit))
            ax.set_xlim(left=0)
            number_axis(ax, lang=lang, axis="x")
            subtitle = rtext("tornado_subtitle_morris", lang)
        ax.set_yticks(y, [wrap(str(v), LABEL_CHARS) for v in top["label"]], fontsize="small")
        ax.legend(loc="lower right", fontsize="small")
        ax.grid(axis="y", visible=False)
        side.axis("off")
        side.set_title(rtext("reason_header", lang), fontsize="small", loc="left",
                       fontweight="normal", color="0.3")
        for yi, text in zip(y, top["reason"], strict=True):
            lines = wrap(str(text), REASON_CHARS).split("\n")
            shown = "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
            side.text(0.0, yi, shown, va="center", ha="left", fontsize="x-small", color="0.25",
                      transform=side.get_yaxis_transform())
        ax.set_ylim(-0.6, len(top) - 0.4)
        subtitle = subtitle.format(runs=format_number(runs, lang), n=format_number(samples, lang),
                                   unit=unit)
        return finish_figure(fig, title=title, subtitle=subtitle, source=source)


def discovery_figure(boxes: pd.DataFrame, trajectory: pd.DataFrame, *, title: str,
                     subtitle: str, values: pd.Series | None = None,
                     threshold: float | None = None, lang: str = "nl",
                     source: str | None = None) -> Figure:
    """The peeling trajectory of box 1 and its limits; without a box, the KPI's distribution.

    Parameters
    ----------
    boxes
        boxes.csv rows with ``label`` added (``box, coverage, density, parameter, low, high,
        range_low, range_high``).
    trajectory
        trajectory.csv (``box, step, coverage, density, mass, res_dim, chosen``).
    title, subtitle
        The reading (:func:`sdmodel.analysis.readings.discovery_reading`) and what is shown.
    values, threshold
        The KPI of the condition per future and its threshold (drawn when there is no box).
    lang
        ``"nl"`` or ``"en"``.
    source
        The source line.
    """
    from matplotlib.colors import BoundaryNorm
    from matplotlib.ticker import PercentFormatter

    with figure_style():
        fig = new_figure()
        if boxes.empty or trajectory.empty:
            ax = fig.add_subplot()
            if values is not None:
                ax.hist(values, bins=40, color=colors(1)[0], alpha=0.8)
                if threshold is not None:
                    ax.axvline(threshold, color="#c0392b", linestyle="--", linewidth=1.6)
                number_axis(ax, lang=lang, axis="x")
                ax.set_ylabel(rtext("futures", lang))
                ax.set_title(rtext("futures_hist", lang), fontsize="medium")
            return finish_figure(fig, title=title, subtitle=subtitle, source=source)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1.0, 1.15)})
        path = trajectory[trajectory["box"] == trajectory["box"].min()]
        dims = path["res_dim"].astype(int)
        bounds = np.arange(-0.5, dims.max() + 1.5)
        norm = BoundaryNorm(bounds, 256)
        peel = path[~path["dropped"].astype(bool)] if "dropped" in path else path
        left.plot(peel["coverage"], peel["density"], color="0.75", linewidth=1, zorder=1)
        points = left.scatter(path["coverage"], path["density"], c=dims, cmap="viridis_r",
                              norm=norm, s=28, zorder=2)
        chosen = path[path["chosen"].astype(bool)]
        left.scatter(chosen["coverage"], chosen["density"], marker="*", s=320,
                     facecolor="none", edgecolor="#c0392b", linewidth=2, zorder=3,
                     label=rtext("chosen", lang))
        step = max(1, int(np.ceil((dims.max() + 1) / 8)))
        bar = fig.colorbar(points, ax=left, ticks=np.arange(0, dims.max() + 1, step), pad=0.01)
        bar.set_label(rtext("dims", lang), fontsize="small")
        left.set_xlabel(wrap(rtext("coverage", lang), 40), fontsize="small")
        left.set_ylabel(wrap(rtext("density", lang), 40), fontsize="small")
        left.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        left.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        left.set_xlim(0, 1.03)
        left.set_ylim(0, 1.03)
        left.legend(loc="lower left", fontsize="small")
        first = boxes[boxes["box"] == boxes["box"].min()].reset_index(drop=True)
        _box_limits(right, first, lang=lang)
        return finish_figure(fig, title=title, subtitle=subtitle, source=source)


def _box_limits(ax, box: pd.DataFrame, *, lang: str) -> None:
    """Each restricted dimension as a bar from its low to its high limit, on [0, 1] of its
    range, the values written at the ends."""
    span = (box["range_high"] - box["range_low"]).replace(0, 1.0)
    low = (box["low"] - box["range_low"]) / span
    high = (box["high"] - box["range_low"]) / span
    y = np.arange(len(box))  # the most significant restriction on top
    ax.barh(y, 1.0, left=0.0, color="0.92", height=0.6)
    ax.barh(y, high - low, left=low, color=colors(2)[1], height=0.6, alpha=0.85)
    for yi, lo, hi, row in zip(y, low, high, box.itertuples(), strict=True):
        ax.text(lo - 0.01, yi, _value(row.low, lang), ha="right", va="center",
                fontsize="x-small")
        ax.text(hi + 0.01, yi, _value(row.high, lang), ha="left", va="center",
                fontsize="x-small")
    ax.set_yticks(y, [wrap(str(v), 30) for v in box["label"]], fontsize="small")
    ax.set_ylim(max(len(box), 4) - 0.4, -0.6)
    ax.set_xlim(-0.18, 1.18)
    ax.set_xticks([0, 0.5, 1], [format_number(v, lang) for v in (0, 0.5, 1)])
    ax.set_xlabel(wrap(rtext("range_axis", lang), 36), fontsize="small")
    ax.set_title(rtext("box_limits", lang).format(box=int(box["box"].iloc[0])),
                 fontsize="small")
    ax.grid(axis="y", visible=False)


def _value(value: float, lang: str) -> str:
    value = float(value)
    if abs(value) >= 100:
        return format_number(round(value), lang, decimals=0)
    return format_number(float(f"{value:.3g}"), lang)
