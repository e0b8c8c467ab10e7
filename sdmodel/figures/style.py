"""The one figure style of the project: palette, type, layout, axes, and saving.

Every figure (the KPI overview of ``simulate``, the briefing figures, the comparison and
calibration figures) draws inside :func:`figure_style`, formats its numbers with
:func:`sdmodel.figures.formats.format_number` and is written by :func:`save_figure`, so all of
them look alike: seaborn's ``whitegrid`` with the colour-blind safe ``colorblind`` palette, large
type, Dutch number formats by default (``1.234,5``; English ``1,234.5`` with ``lang="en"``),
titles that state the finding (:func:`finish_figure`). The marks drawn on top (law dates,
thresholds, the scenario period, the source line) are in :mod:`sdmodel.figures.marks`.

Matplotlib and seaborn are imported inside the functions; global matplotlib settings are only
changed within :func:`figure_style`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sdmodel.figures.formats import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.outputs.writers import Writer

PALETTE = "colorblind"
"""Seaborn palette of every figure (distinguishable with the common colour-vision deficiencies)."""
DPI = 150
FIGSIZE = (11.69, 7.6)
"""Size of a single briefing figure in inches: the width of an A4 page in landscape."""
FONT_SCALE = 1.2
TITLE_WIDTH = 95
"""Characters per line of a figure title before it wraps (at :data:`FIGSIZE`)."""


# -- style ----------------------------------------------------------------------------------------


@contextmanager
def figure_style(*, font_scale: float = FONT_SCALE) -> Iterator[None]:
    """Apply the project style (seaborn whitegrid, large type) within a ``with`` block."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    rc = {"axes.titleweight": "bold", "axes.titlelocation": "left", "figure.titleweight": "bold",
          "legend.frameon": False,
          "axes.prop_cycle": plt.cycler(color=colors(8))}
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=font_scale), \
            plt.rc_context(rc):
        yield


def colors(n: int) -> list[tuple[float, float, float]]:
    """Return ``n`` colours of :data:`PALETTE` (it has ten; more repeat)."""
    import seaborn as sns

    return list(sns.color_palette(PALETTE, n_colors=max(n, 3)))[:n]


SCENARIO_ORDER = (
    "baseline", "wetten-zoals-aangenomen", "alle-maatregelen", "gefaseerd",
    "instroom-laag", "instroom-midden", "instroom-hoog",
)
"""Shipped scenarios in the order of their fixed colours, so a scenario keeps its colour in
every figure whichever other scenarios are shown."""


def scenario_colors(names: list[str]) -> dict[str, tuple[float, float, float]]:
    """Return a colour per scenario name: fixed for the shipped scenarios, the rest in order."""
    palette = colors(10)
    fixed = {name: palette[i] for i, name in enumerate(SCENARIO_ORDER)}
    spare = iter(palette[len(SCENARIO_ORDER):] * (1 + len(names)))
    return {name: fixed[name] if name in fixed else next(spare) for name in names}


def new_figure(*, figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """Return an empty Figure with constrained layout, not registered with pyplot."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def finish_figure(
    fig: Figure, *, title: str, subtitle: str | None = None, source: str | None = None,
    notes: Sequence[str] = (),
) -> Figure:
    """Add the title (the finding, wrapped), a subtitle and the foot lines to ``fig``.

    The title is the figure's suptitle (bold); the subtitle is set in normal weight on a line
    that the suptitle keeps free, so constrained layout leaves room for both. The foot (notes,
    then the source line) is the figure's ``supxlabel``, in small grey type. Lines wrap to the
    figure's width.

    Parameters
    ----------
    fig
        A figure with constrained layout.
    title
        The finding the figure shows, in one sentence.
    subtitle
        What is shown, with units (one line under the title).
    source
        The source line (see :func:`source_line`).
    notes
        Further foot lines above the source line (e.g. the law-date key).

    Returns
    -------
    Figure
        ``fig``.
    """
    import matplotlib as mpl

    width_pt = fig.get_figwidth() * 72
    base = mpl.rcParams["font.size"]
    size = round(base * 1.05, 1)
    heading = wrap(title, int(width_pt / (size * 0.62)))
    lines = heading.count("\n") + 1
    if subtitle:
        heading += "\n "  # a free line for the subtitle
    fig.suptitle(heading, x=0.01, ha="left", fontsize=size, fontweight="bold", linespacing=1.3)
    if subtitle:
        pad = fig.get_layout_engine().get()["h_pad"] * 72  # where constrained layout puts it
        y = 1 - (pad + lines * size * 1.3 * 1.2 + 1) / (fig.get_figheight() * 72)
        fig.text(0.01, y, wrap(subtitle, int(width_pt / (size * 0.52))).split("\n")[0],
                 ha="left", va="top", fontsize=round(base * 0.9, 1), color="0.25")
    foot_size = round(base * 0.66, 1)
    foot = [wrap(note, int(width_pt / (foot_size * 0.56))) for note in notes if note]
    if source:
        foot.append(wrap(source, int(width_pt / (foot_size * 0.56))))
    if foot:  # as the figure's x label: constrained layout then keeps room for it
        fig.supxlabel("\n".join(foot), x=0.01, ha="left", fontsize=foot_size, color="0.3",
                      linespacing=1.3)
    return fig


def retitle(fig: Figure, *, title: str, subtitle: str | None = None) -> Figure:
    """Replace the title of a figure whose constrained layout has a ``rect`` (a panel figure).

    Constrained layout leaves no room for a suptitle inside a ``rect``, so the rect is lowered
    by the height of the new title (the finding, wrapped, in bold) and its subtitle, which are
    set above it.

    Parameters
    ----------
    fig
        A figure with constrained layout (with or without a rect).
    title
        The finding.
    subtitle
        What is shown (normal weight, one line).
    """
    width_pt, height_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    size, sub_size = 14.0, 11.5
    heading = wrap(title, int(width_pt / (size * 0.62)))
    lines = heading.count("\n") + 1
    title_pt = 6 + lines * size * 1.3 * 1.2 + (sub_size * 1.6 if subtitle else 0) + 4
    engine = fig.get_layout_engine()
    left, bottom, width, height = engine.get().get("rect") or (0, 0, 1, 1)
    engine.set(rect=(left, bottom, width, max(height - title_pt / height_pt, 0.5)))
    fig.suptitle(heading, x=0.01, y=1 - 6 / height_pt, ha="left", va="top", fontsize=size,
                 fontweight="bold", linespacing=1.3)
    if subtitle:
        y = 1 - (6 + lines * size * 1.3 * 1.2 + 1) / height_pt
        fig.text(0.01, y, subtitle, ha="left", va="top", fontsize=sub_size, color="0.25")
    return fig


def wrap(value: str, width: int) -> str:
    """Wrap ``value`` at ``width`` characters, keeping explicit line breaks.

    Non-breaking spaces (U+00A0) hold words together (the law-date key keeps each date whole).
    """
    return "\n".join(textwrap.fill(part, max(width, 10), break_on_hyphens=False)
                     for part in value.split("\n"))


def save_figure(fig: Figure, path: Path | str, *, dpi: int = DPI) -> Path:
    """Save ``fig`` in the format of the path's suffix (``.png``, ``.svg``, ``.pdf``).

    The one place figures are written: PNGs at ``dpi`` (150), on white.
    """
    path = Path(path)
    fig.savefig(path, dpi=dpi, format=path.suffix.lstrip(".") or "png", facecolor="white")
    return path


def figure_writer(figure: Figure | Callable[[], Figure]) -> Writer:
    """Return a writer that saves ``figure`` (or the figure it draws when called) with
    :func:`save_figure`, for :func:`sdmodel.outputs.folder.write_outputs`."""

    def write(path: Path) -> None:
        save_figure(figure() if callable(figure) else figure, path)

    return write


# -- axes -----------------------------------------------------------------------------------------


def number_axis(ax: Axes, *, lang: str, axis: str = "y", scale: float = 1.0,
                decimals: int | None = None) -> None:
    """Label the ticks of ``axis`` with :func:`format_number` of ``value / scale``."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: format_number(v / scale, lang, decimals=decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def year_axis(ax: Axes) -> None:
    """Major ticks every 1, 2 or 5 years (by the span shown), minor ticks every year."""
    import matplotlib.dates as mdates

    low, high = ax.get_xlim()
    years = (high - low) / 365.25
    step = 1 if years <= 8 else 2 if years <= 16 else 5 if years <= 40 else 10
    ax.xaxis.set_major_locator(mdates.YearLocator(base=step))
    ax.xaxis.set_minor_locator(mdates.YearLocator(base=1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
