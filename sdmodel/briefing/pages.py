"""Text pages of the briefing PDF: the title page and tables that wrap and paginate.

Pages are matplotlib Figures of A4 landscape size (so the PDF needs neither LaTeX nor a network);
:func:`table_pages` wraps every cell to its column width and starts a new page (with the header
repeated and "continued" in the title) when the rows do not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdmodel.figures.labels import text
from sdmodel.figures.style import figure_style, wrap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PAGE = (11.69, 8.27)
"""A4 landscape, inches."""
MARGIN = 0.6
"""Page margin, inches."""
CHAR_WIDTH = 0.58
"""Average character width of the table font, as a fraction of its size (DejaVu Sans)."""
GAP = 0.012
"""Space between columns, as a share of the text width."""


@dataclass(frozen=True)
class Column:
    """A table column: header, share of the page width, alignment (``"left"``/``"right"``)."""

    header: str
    width: float
    align: str = "left"


def title_page(*, title: str, lead: str, meta: Sequence[tuple[str, str]],
               points_title: str, points: Sequence[str]) -> Figure:
    """The first page: title, lead paragraph, facts (date, hashes, scenarios) and key points.

    Parameters
    ----------
    title
        The briefing's title.
    lead
        One paragraph on what the briefing is.
    meta
        ``(label, value)`` lines: date, model, data, scenarios, ...
    points_title
        Heading of the key points.
    points
        The key points (the figures' findings), one sentence each.
    """
    from matplotlib.figure import Figure

    with figure_style(font_scale=1.0):
        fig = Figure(figsize=PAGE)
        left, width_in = MARGIN / PAGE[0], PAGE[0] - 2 * MARGIN
        y = 1 - MARGIN / PAGE[1]
        fig.text(left, y, title, fontsize=26, fontweight="bold", va="top")
        y -= 0.09
        body = wrap(lead, int(width_in * 72 / (11 * CHAR_WIDTH)))
        fig.text(left, y, body, fontsize=11, va="top", color="0.2", linespacing=1.4)
        y -= 0.035 * (body.count("\n") + 1) + 0.03
        for name, value in meta:
            fig.text(left, y, name, fontsize=10, fontweight="bold", va="top")
            fig.text(left + 0.2, y, value, fontsize=10, va="top", color="0.15")
            y -= 0.032
        y -= 0.03
        fig.text(left, y, points_title, fontsize=14, fontweight="bold", va="top")
        y -= 0.05
        size, step, gap, texts = _fitting_points(points, width_in, room=y - 0.08)
        for lines in texts:
            fig.text(left, y, "•", fontsize=size, va="top")
            fig.text(left + 0.022, y, lines, fontsize=size, va="top", linespacing=1.35)
            y -= step * (lines.count("\n") + 1) + gap
    return fig


def _fitting_points(points: Sequence[str], width_in: float, *, room: float
                    ) -> tuple[float, float, float, list[str]]:
    """The largest font size (10.5 down to 7 pt) at which the wrapped points fit in ``room``.

    Returns the size, the height of a line and the gap between points (figure fractions) and
    the wrapped texts.
    """
    size = 10.5
    while True:
        step = size * 1.35 * 1.2 / 72 / PAGE[1]
        gap = step * 0.6
        texts = [wrap(p, int((width_in - 0.3) * 72 / (size * CHAR_WIDTH))) for p in points]
        height = sum(step * (t.count("\n") + 1) + gap for t in texts)
        if height <= room or size <= 7:
            return size, step, gap, texts
        size -= 0.5


def table_pages(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], *,
                note: str = "", continued: str = "continued", fontsize: float = 8.5,
                ) -> list[Figure]:
    """Render a table on as many A4-landscape pages as it needs.

    Parameters
    ----------
    title
        Page heading; later pages add ``(continued)``.
    columns
        The columns; their widths are shares of the text width (they should sum to 1).
    rows
        Cell texts, one sequence per row, one cell per column.
    note
        A line under the heading (on the first page).
    continued
        The word for "continued" in the page language.
    fontsize
        Font size of the cells, points.

    Returns
    -------
    list of Figure
        One Figure per page (at least one, even without rows).
    """
    from matplotlib.figure import Figure

    width_in = PAGE[0] - 2 * MARGIN
    line_h = fontsize * 1.35 / 72 / PAGE[1]
    wrapped = [[wrap(str(cell), column_chars(col.width, fontsize)).split("\n")
                for cell, col in zip(row, columns, strict=True)] for row in rows]
    pages: list[Figure] = []
    index = 0
    while index < len(wrapped) or not pages:
        with figure_style(font_scale=1.0):
            fig = Figure(figsize=PAGE)
            heading = title if not pages else f"{title} ({continued})"
            y = 1 - MARGIN / PAGE[1]
            fig.text(MARGIN / PAGE[0], y, heading, fontsize=15, fontweight="bold", va="top")
            y -= 0.045
            if note and not pages:
                lines = wrap(note, int(width_in * 72 / (9.5 * CHAR_WIDTH)))
                fig.text(MARGIN / PAGE[0], y, lines, fontsize=9.5, va="top", color="0.3")
                y -= 0.025 * (lines.count("\n") + 1) + 0.01
            y = _row(fig, [[c.header] for c in columns], columns, y, fontsize, line_h,
                     bold=True)
            fig.add_artist(_rule(y + 0.004))
            bottom = MARGIN / PAGE[1]
            while index < len(wrapped):
                height = max(len(cell) for cell in wrapped[index]) * line_h + 0.008
                if y - height < bottom and y < 0.8:
                    break
                y = _row(fig, wrapped[index], columns, y, fontsize, line_h)
                index += 1
        pages.append(fig)
    return pages


def column_chars(width: float, fontsize: float) -> int:
    """Characters that fit on one line of a column ``width`` (share of the text width) wide."""
    width_in = PAGE[0] - 2 * MARGIN
    return max(int((width - GAP) * width_in * 72 / (fontsize * CHAR_WIDTH)), 4)


def wrap_links(value: str, width: int) -> str:
    """Wrap text with URLs at ``width`` characters, breaking a URL only after ``/ ? & = -``
    (never inside a word), and the rest of the text at spaces."""
    import re

    lines: list[str] = []
    line = ""
    for word in value.split():
        pieces = re.findall(r"[^/?&=\-]*[/?&=\-]*", word) if len(word) > width else [word]
        for k, piece in enumerate(p for p in pieces if p):
            joiner = "" if k else " "
            if line and len(line) + len(joiner) + len(piece) > width:
                lines.append(line)
                line = piece
            else:
                line = f"{line}{joiner}{piece}" if line else piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def _row(fig: Figure, cells: Sequence[Sequence[str]], columns: Sequence[Column], y: float,
         fontsize: float, line_h: float, *, bold: bool = False) -> float:
    """Draw one row (cells as lists of lines) at height ``y``; return the next row's height."""
    width = 1 - 2 * MARGIN / PAGE[0]
    x = MARGIN / PAGE[0]
    for lines, col in zip(cells, columns, strict=True):
        anchor = x + (col.width - GAP) * width if col.align == "right" else x
        fig.text(anchor, y, "\n".join(lines), fontsize=fontsize, va="top", ha=col.align,
                 fontweight="bold" if bold else "normal", linespacing=1.35)
        x += col.width * width
    return y - max(len(lines) for lines in cells) * line_h - 0.008


def _rule(y: float):
    from matplotlib.lines import Line2D

    return Line2D([MARGIN / PAGE[0], 1 - MARGIN / PAGE[0]], [y, y], color="0.5", linewidth=0.8)


def number_pages(pages: Sequence[Figure], *, lang: str, skip: Sequence[int] = ()) -> None:
    """Write "pagina n van N" at the foot of every page whose index is not in ``skip``."""
    total = len(pages)
    for number, fig in enumerate(pages, start=1):
        if number - 1 not in skip:
            page_number(fig, number, total, lang=lang)


NUMBER_STRIP = 0.3
"""Inches added above a figure page of the PDF for its page number."""


def page_number(fig: Figure, number: int, total: int, *, lang: str, above: float = 0.0):
    """Write "pagina n van N" in the bottom right corner of ``fig`` (at the same distance from
    the edges on every page size), or, with ``above``, in a strip that many inches high that the
    PDF page adds above the figure; return the text artist (to remove it again)."""
    width, height = fig.get_size_inches()
    of = "van" if lang == "nl" else "of"
    label = f"{text('page', lang)} {number} {of} {total}"
    if above:
        return fig.text(1 - MARGIN / width, (height + above - 0.12) / height, label, ha="right",
                        va="top", fontsize=8, color="0.4")
    return fig.text(1 - MARGIN / width, 0.12 / height, label, ha="right", va="bottom",
                    fontsize=8, color="0.4")
