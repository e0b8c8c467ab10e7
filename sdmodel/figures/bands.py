"""Uncertainty bands that stay distinguishable when several scenarios overlap.

One band is drawn as two translucent fills (90% and 50%) and the median. Translucent fills of
several scenarios blend into one colour where they overlap, so with more than one band
:func:`draw_band` draws the 90% band as dashed edge lines in the scenario's colour and only the
50% band as a (lighter) fill; the medians stay solid. :func:`band_legend_handles` returns the
matching legend entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

EDGE_STYLE: tuple[int, tuple[int, int]] = (0, (4, 2))
"""Dash pattern of the 90% band's edges when bands overlap."""


def draw_band(ax: Axes, x: Any, q05: Any, q25: Any, q50: Any, q75: Any, q95: Any, *,
              color: Any, overlapping: bool, labels: tuple[str | None, str | None, str | None]
              = (None, None, None), median_width: float = 2.2) -> None:
    """Draw one band: 90% and 50% intervals and the median, in ``color``.

    Parameters
    ----------
    ax
        The axes.
    x, q05, q25, q50, q75, q95
        Dates and quantiles.
    color
        The scenario's colour.
    overlapping
        Other bands share the axes: the 90% band becomes dashed edges, the 50% fill lighter.
    labels
        Legend labels of the 90% band, the 50% band and the median (``None``: no entry).
    median_width
        Line width of the median.
    """
    label90, label50, label_median = labels
    if overlapping:
        ax.plot(x, q05, color=color, linewidth=0.9, linestyle=EDGE_STYLE, label=label90)
        ax.plot(x, q95, color=color, linewidth=0.9, linestyle=EDGE_STYLE)
        ax.fill_between(x, q25, q75, color=color, alpha=0.2, linewidth=0, label=label50)
    else:
        ax.fill_between(x, q05, q95, color=color, alpha=0.15, linewidth=0, label=label90)
        ax.fill_between(x, q25, q75, color=color, alpha=0.32, linewidth=0, label=label50)
    ax.plot(x, q50, color=color, linewidth=median_width, label=label_median)


def band_legend_handles(*, overlapping: bool, band50: str, band90: str, median: str) -> list:
    """Grey legend entries for the 50% band, the 90% band and the median, as drawn."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ninety = (Line2D([], [], color="0.35", linewidth=0.9, linestyle=EDGE_STYLE, label=band90)
              if overlapping else Patch(color="0.5", alpha=0.15, label=band90))
    return [Patch(color="0.5", alpha=0.2 if overlapping else 0.32, label=band50), ninety,
            Line2D([], [], color="0.3", linewidth=1.6, label=median)]
