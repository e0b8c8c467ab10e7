"""Fit figures: per series the observations (marked by source quality), the fitted run and its band.

Stocks are drawn as the model value over time with the observations as points; flows as monthly
totals with each observed total drawn as a horizontal bar at its monthly average over its period
(so annual, quarterly and monthly figures share one axis); ratios as the model value with each
observation as a bar over its period. The band is the spread of the runs with the bootstrap
parameter sets (parameter uncertainty only; the curves are built by ``calibration.curves``).
Labels are Dutch by default (``lang="en"`` for English), from :mod:`sdmodel.figures.labels` where
the series is a KPI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sdmodel.figures.formats import format_number
from sdmodel.figures.labels import KPI_LABELS, UNITS, check_lang
from sdmodel.figures.observations import QUALITY_MARKERS
from sdmodel.figures.style import save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

EXTRA_LABELS: dict[str, dict[str, str]] = {
    "ind_pending_total": {"nl": "IND: openstaande asiel- en nareiszaken",
                          "en": "IND: pending asylum and nareis cases"},
    "coa_asylum_seekers_awaiting_decision": {"nl": "COA: asielzoekers wachtend op beslissing",
                                             "en": "COA: asylum seekers awaiting a decision"},
    "ind_positive_first_instance_decisions": {"nl": "IND: inwilligingen eerste aanleg",
                                              "en": "IND: first-instance grants"},
    "dtv_intake_from_ind": {"nl": "DT&V: nieuwe zaken van de IND",
                            "en": "DT&V: new cases from the IND"},
    "coa_capacity": {"nl": "COA: opvangcapaciteit (totaal)",
                     "en": "COA: reception capacity (total)", "unit": "places"},
    "coa_capacity_regular": {"nl": "COA: reguliere opvangcapaciteit",
                             "en": "COA: regular reception capacity", "unit": "places"},
    "coa_occupancy_emergency_total": {"nl": "Bezetting nood- en crisisopvang (COA en gemeenten)",
                                      "en": "Emergency and crisis reception (COA and municipal)"},
}
TEXTS = {
    "model": {"nl": "model (gekalibreerd)", "en": "model (calibrated)"},
    "band": {"nl": "{p:.0%}-band (parameteronzekerheid)", "en": "{p:.0%} band (parameters)"},
    "fitted": {"nl": "gebruikt in de fit", "en": "used in the fit"},
    "held_back": {"nl": "achtergehouden (backtest)", "en": "held back (back-test)"},
    "cutoff": {"nl": "afkapdatum", "en": "cutoff"},
    "per_month": {"nl": "per maand", "en": "per month"},
    "persons": {"nl": "personen", "en": "persons"},
    "weeks": {"nl": "weken", "en": "weeks"},
    "primary": {"nl": "primaire bron", "en": "primary source"},
    "secondary": {"nl": "secundaire bron", "en": "secondary source"},
    "derived": {"nl": "afgeleid", "en": "derived"},
}


def series_label(series: str, lang: str = "nl") -> str:
    """Return the display name of an observed series."""
    check_lang(lang)
    entry = KPI_LABELS.get(series) or EXTRA_LABELS.get(series)
    return entry[lang] if entry else series


def stock_unit(series: str, lang: str = "nl") -> str:
    """Return the axis unit of an observed stock or share (persons unless its label says)."""
    entry = KPI_LABELS.get(series) or EXTRA_LABELS.get(series) or {}
    if series.endswith("weeks"):
        return TEXTS["weeks"][lang]
    if entry.get("unit") in ("fraction", "places"):
        return UNITS[entry["unit"]][lang]
    return TEXTS["persons"][lang]


@dataclass(frozen=True)
class Curve:
    """A series' model curve over time: best fit ``(T,)`` and band ``(T, 2)`` or None."""

    dates: pd.DatetimeIndex
    model: np.ndarray
    band: np.ndarray | None
    per_month: bool


def plot_series(series: str, curve: Curve, rows: pd.DataFrame, *, ax: Axes | None = None,
                lang: str = "nl", confidence: float = 0.95,
                cutoff: pd.Timestamp | None = None) -> Axes:
    """Draw one series: model line, band and observations marked by quality.

    Parameters
    ----------
    series
        The observed series name.
    curve
        Its model curve (see :func:`series_curve`).
    rows
        Its observation rows (``kind, period_start, period_end, value, quality``) with a boolean
        column ``fitted`` (False for held-back rows of a back-test).
    ax
        Axes to draw on; the current Axes if ``None``.
    lang
        ``"nl"`` (default) or ``"en"``.
    confidence
        Level of the band, for its label.
    cutoff
        Back-test cutoff, drawn as a vertical line.

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    ax = plt.gca() if ax is None else ax
    if curve.band is not None:
        ax.fill_between(curve.dates, curve.band[:, 0], curve.band[:, 1], color="C0", alpha=0.25,
                        linewidth=0, label=TEXTS["band"][lang].format(p=confidence))
    step = "mid" if curve.per_month else None
    if step:
        ax.step(curve.dates, curve.model, where="mid", color="C0", linewidth=1.5,
                label=TEXTS["model"][lang])
    else:
        ax.plot(curve.dates, curve.model, color="C0", linewidth=1.5, label=TEXTS["model"][lang])
    for fitted, color in ((True, "black"), (False, "C3")):
        part = rows[rows["fitted"] == fitted]
        for quality, style in QUALITY_MARKERS.items():
            q = part[part["quality"] == quality]
            if q.empty:
                continue
            face = color if style["filled"] else "white"
            label = f"{TEXTS[quality][lang]}" + ("" if fitted else f", {TEXTS['held_back'][lang]}")
            stocks = q[q["kind"] == "stock"]
            if not stocks.empty:
                kwargs = ({"c": [color]} if style["marker"] == "x"
                          else {"facecolors": face, "edgecolors": color})
                ax.scatter(stocks["period_end"], stocks["value"], marker=style["marker"], s=24,
                           linewidths=1.1, zorder=4, label=label, **kwargs)
                label = None
            for row in q[q["kind"] != "stock"].itertuples():
                end = row.period_end + pd.Timedelta(days=1)
                months = (end - row.period_start).days / 30.4375
                level = row.value / months if curve.per_month else row.value
                ax.plot([row.period_start, end], [level, level], color=color, zorder=4,
                        linewidth=2.0, linestyle="-" if style["filled"] else "--",
                        solid_capstyle="butt", label=label)
                label = None
    if cutoff is not None:
        ax.axvline(cutoff, color="0.4", linestyle=":", linewidth=1.2, label=TEXTS["cutoff"][lang])
    unit = TEXTS["per_month"][lang] if curve.per_month else stock_unit(series, lang)
    ax.set_title(series_label(series, lang), fontsize=10)
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=7, framealpha=0.85)
    return ax


def series_figure_writer(series: str, curve: Curve, rows: pd.DataFrame, *, lang: str = "nl",
                         confidence: float = 0.95, cutoff: pd.Timestamp | None = None,
                         ) -> Callable[[Path], None]:
    """Return a writer (``path -> None``) that saves the figure of one series as PNG."""

    def write(path: Path) -> None:
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
        try:
            plot_series(series, curve, rows, ax=ax, lang=lang, confidence=confidence,
                        cutoff=cutoff)
            save_figure(fig, path)
        finally:
            plt.close(fig)

    return write


def overview_writer(curves: Mapping[str, Curve], rows: pd.DataFrame, *, lang: str = "nl",
                    confidence: float = 0.95, cutoff: pd.Timestamp | None = None,
                    ) -> Callable[[Path], None]:
    """Return a writer that saves all ``curves`` as panels of one PNG."""

    def write(path: Path) -> None:
        import matplotlib.pyplot as plt

        n = len(curves)
        cols = 3
        nrows = int(np.ceil(n / cols))
        fig, axes = plt.subplots(nrows, cols, figsize=(15, 3.6 * nrows), layout="constrained",
                                 squeeze=False)
        try:
            for ax, (series, curve) in zip(axes.flat, curves.items(), strict=False):
                plot_series(series, curve, rows[rows["series"] == series], ax=ax, lang=lang,
                            confidence=confidence, cutoff=cutoff)
            for ax in list(axes.flat)[n:]:
                ax.set_visible(False)
            save_figure(fig, path)
        finally:
            plt.close(fig)

    return write
