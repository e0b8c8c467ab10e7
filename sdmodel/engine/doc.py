"""The model's variables as a table for the terminal (``asielketen doc``)."""

from __future__ import annotations

import math
import textwrap
from typing import Any


def doc_table(rows: list[dict[str, Any]], *, width: int = 120) -> str:
    """Return the rows of ``ChainModel.doc()`` as a text table ``width`` characters wide.

    Columns name | kind | units | range | source, with long names and sources wrapped; the
    last line counts the variables.
    """
    cells = [
        [str(r.get("name", "")), str(r.get("kind", "")), str(r.get("units", "") or ""),
         _range(r.get("min"), r.get("max")), str(r.get("comment", "") or "")]
        for r in rows
    ]
    header = ["name", "kind", "units", "range", "source / comment"]
    widths = [min(max([len(h)] + [len(c[i]) for c in cells]), cap)
              for i, (h, cap) in enumerate(zip(header[:4], (50, 11, 18, 18), strict=True))]
    widths.append(max(width - sum(widths) - 2 * len(widths), 20))
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    for cell in cells:
        lines.append(_row(cell, widths))
    lines.append(f"{len(rows)} variables")
    return "\n".join(lines)


def _row(cells: list[str], widths: list[int]) -> str:
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    padded = [w + [""] * (height - len(w)) for w in wrapped]
    lines = zip(*padded, strict=True)
    return "\n".join(
        "  ".join(c.ljust(n) for c, n in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _range(low: Any, high: Any) -> str:
    def fmt(value: Any) -> str:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "?"
        return "?" if math.isnan(number) else f"{number:g}"

    if fmt(low) == "?" and fmt(high) == "?":
        return ""
    return f"[{fmt(low)}, {fmt(high)}]"
