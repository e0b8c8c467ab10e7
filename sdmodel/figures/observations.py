"""Observations drawn over model lines: a marker per source quality, and the legend of them.

Primary sources are filled circles, secondary ones open circles, derived figures crosses
(:data:`QUALITY_MARKERS`); the KPI panels (:mod:`sdmodel.figures.panels`) and the fit figures
(:mod:`sdmodel.figures.fit`) mark observations the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sdmodel.figures.labels import text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


QUALITY_MARKERS: dict[str, dict[str, object]] = {
    "primary": {"marker": "o", "filled": True},
    "secondary": {"marker": "o", "filled": False},
    "derived": {"marker": "x", "filled": True},
}
"""Marker per observation quality: primary filled, secondary open, derived a cross."""


def plot_observations(
    observations: pd.DataFrame,
    series: str,
    *,
    ax: Axes | None = None,
    color: object = "black",
    within: pd.DatetimeIndex | None = None,
    lang: str = "nl",
) -> Axes:
    """Draw the observed stock values of one series as points at their ``period_end``.

    Parameters
    ----------
    observations
        Long-format observations (``series, kind, period_end, value, quality``).
    series
        The series to draw (a KPI column name).
    ax
        Axes to draw on; the current Axes if ``None``.
    color
        Marker colour (open markers use it for the edge).
    within
        Only points between the first and last of these dates are drawn (``None``: all).
    lang
        Label language, ``"nl"`` (default) or ``"en"``.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    ax = plt.gca() if ax is None else ax
    rows = observations[(observations["series"] == series) & (observations["kind"] == "stock")]
    dates = pd.to_datetime(rows["period_end"])
    if within is not None and len(within):
        keep = (dates >= within.min()) & (dates <= within.max())
        rows, dates = rows[keep], dates[keep]
    for quality, style in QUALITY_MARKERS.items():
        mask = (rows["quality"] == quality).to_numpy()
        if not mask.any():
            continue
        if style["marker"] == "x":  # an unfilled marker: drawn in its face colour
            colors = {"c": [color]}
        else:
            colors = {"facecolors": color if style["filled"] else "white", "edgecolors": color}
        ax.scatter(
            dates[mask], rows["value"].to_numpy()[mask], marker=style["marker"], s=26,
            linewidths=1.2, zorder=4, **colors,
            label=f"{text('observed', lang)}: {text('quality_' + quality, lang)}",
        )
    return ax


def is_observation_label(label_text: str) -> bool:
    """Whether a legend label belongs to an observation marker (not to a model line)."""
    return label_text.startswith(tuple(f"{text('observed', lang)}:" for lang in ("nl", "en")))


def observation_legend(fig: Figure, axes: Iterable[Axes], *, lang: str) -> None:
    """One figure legend (top right, clear of the foot lines) for the observation markers drawn,
    in neutral grey."""
    from matplotlib.lines import Line2D

    drawn = {lab for ax in axes for lab in ax.get_legend_handles_labels()[1]}
    handles = []
    for quality, style in QUALITY_MARKERS.items():
        name = f"{text('observed', lang)}: {text('quality_' + quality, lang)}"
        if name not in drawn:
            continue
        face = "0.3" if style["filled"] else "white"
        handles.append(Line2D([], [], linestyle="none", marker=style["marker"], markersize=6,
                              color="0.3", markerfacecolor=face, label=name))
    if handles:
        fig.legend(handles=handles, loc="outside upper right", ncols=len(handles),
                   fontsize="small", frameon=False)
