"""The monitor's figures: realised vs planned vs updated (with bands), and the signposts.

:func:`drift_figure` draws four series of the chain (COA occupancy, Ter Apel, IND pending asylum,
status holders waiting) from two years before the drift month to 2030: the plan and the update
as lines with their 90% bands, the figures as points (new ones filled), and the monitored month
as a vertical line. :func:`signpost_figure` is the dashboard: one row per signpost with its
value against its threshold, coloured green, amber or red. Titles state the finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from sdmodel.figures.formats import format_count, format_month, format_number

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


class MonitorView(Protocol):
    """What the drift figure reads of a monitor result
    (:class:`calibration.monitor.command.MonitorResult`)."""

    results: pd.DataFrame
    planned: pd.DataFrame
    bands: pd.DataFrame
    drift: pd.DataFrame
    state: pd.DataFrame
    observations: pd.DataFrame
    scenario: Any
    session: Any
    as_of: pd.Timestamp
    drift_from: pd.Timestamp
    state_date: pd.Timestamp

PANELS = ("coa_occupancy_total", "ter_apel_occupancy", "ind_pending_asylum",
          "coa_status_holders_waiting")
STATUS_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}
TEXT = {
    "nl": {
        "planned": "plan (vastgestelde kalibratie)", "updated": "bijgewerkt met nieuwe cijfers",
        "new": "nieuwe cijfers", "shipped": "eerdere cijfers", "as_of": "stand",
        "band": "90%-band", "green": "groen", "amber": "oranje", "red": "rood",
        "threshold": "drempel", "subtitle": "plan en bijgewerkte projectie, scenario {s}; "
        "stand {m}; bijgewerkt vanaf {d}",
        "posts_subtitle": "waarde aan het eind van {m} (bijgewerkte projectie) t.o.v. de drempel",
        "signposts": {"coa_occupancy": "COA-bezetting / reguliere plaatsen",
                      "ter_apel": "Ter Apel (personen)",
                      "ind_backlog": "IND-wachttijd bij huidig tempo (weken)",
                      "status_holders_beyond_norm": "statushouders > 14 weken in COA"},
        "crosses": "boven drempel vanaf {d}",
    },
    "en": {
        "planned": "plan (committed calibration)", "updated": "updated with new figures",
        "new": "new figures", "shipped": "earlier figures", "as_of": "as of",
        "band": "90% band", "green": "green", "amber": "amber", "red": "red",
        "threshold": "threshold", "subtitle": "plan and updated projection, scenario {s}; "
        "as of {m}; updated from {d}",
        "posts_subtitle": "value at the end of {m} (updated projection) against the threshold",
        "signposts": {"coa_occupancy": "COA occupancy / regular places",
                      "ter_apel": "Ter Apel (persons)",
                      "ind_backlog": "IND wait at the current pace (weeks)",
                      "status_holders_beyond_norm": "status holders > 14 weeks in COA"},
        "crosses": "above threshold from {d}",
    },
}


def _drift_title(result: MonitorView, lang: str) -> str:
    drift = result.drift
    if drift.empty:
        share = ""
    else:
        outside = int((~drift["in_band"]).sum())
        share = (f"{outside} van {len(drift)} nieuwe cijfers buiten de band van het plan"
                 if lang == "nl" else
                 f"{outside} of {len(drift)} new figures outside the plan's band")
    coa = result.state.set_index("kpi").loc["coa_occupancy_total"]
    change = coa["updated"] - coa["planned"]
    month = format_month(result.as_of, lang)
    if lang == "nl":
        verb = "hoger" if change > 0 else "lager"
        return (f"{share}; de COA-bezetting eind {month} is bijgewerkt naar "
                f"{format_count(coa['updated'], lang)}, {format_count(abs(change), lang)} {verb} "
                "dan gepland").lstrip("; ")
    verb = "higher" if change > 0 else "lower"
    return (f"{share}; COA occupancy at the end of {month} is updated to "
            f"{format_count(coa['updated'], lang)}, {format_count(abs(change), lang)} {verb} "
            "than planned").lstrip("; ")


def drift_figure(result: MonitorView, *, lang: str = "nl") -> Figure:
    """Realised vs planned vs updated, with the 90% bands, for the series of :data:`PANELS`."""
    from sdmodel.figures.labels import label
    from sdmodel.figures.marks import source_line
    from sdmodel.figures.style import (
        colors,
        figure_style,
        finish_figure,
        new_figure,
        number_axis,
        year_axis,
    )

    words = TEXT[lang]
    start = result.drift_from - pd.DateOffset(years=2)
    end = pd.Timestamp("2030-12-01")
    planned_color, updated_color = colors(2)
    with figure_style(font_scale=1.0):
        fig = new_figure()
        axes = fig.subplots(2, 2, sharex=True)
        for ax, kpi in zip(axes.flat, PANELS, strict=True):
            for run, frame, color in (("planned", result.planned, planned_color),
                                      ("updated", result.results, updated_color)):
                band = result.bands[(result.bands["run"] == run)
                                    & (result.bands["series"] == kpi)]
                band = band[(band["date"] >= start) & (band["date"] <= end)]
                ax.fill_between(band["date"], band["q05"], band["q95"], color=color, alpha=0.18,
                                linewidth=0)
                shown = frame.loc[start:end, kpi]
                ax.plot(shown.index, shown.to_numpy(), color=color, lw=2,
                        ls="--" if run == "planned" else "-", label=words[run])
            rows = result.observations
            rows = rows[(rows["series"] == kpi) & (rows["kind"] == "stock")
                        & (rows["period_end"] >= start)]
            for origin, face in (("shipped", "white"), ("new", "black")):
                part = rows[rows["origin"] == origin]
                ax.scatter(part["period_end"], part["value"], s=22, facecolor=face,
                           edgecolor="black", zorder=5, label=words[origin])
            ax.axvline(result.state_date, color="0.3", lw=1, ls=":")
            ax.set_title(label(kpi, lang), fontsize=11)
            ax.set_ylim(bottom=0)
            number_axis(ax, lang=lang)
            year_axis(ax)
        axes.flat[0].legend(loc="upper left", fontsize=8, ncol=2)
        subtitle = words["subtitle"].format(s=result.scenario.name,
                                            m=format_month(result.as_of, lang),
                                            d=format_month(result.drift_from, lang))
        finish_figure(fig, title=_drift_title(result, lang), subtitle=subtitle,
                      source=source_line(lang=lang, model_sha256=result.session.model.sha256,
                                         scenario=result.scenario.name))
    return fig


def _value_text(value: float, unit: str, lang: str) -> str:
    if unit == "share":
        return format_number(value, lang, decimals=2)
    return format_number(round(value), lang, decimals=0)


def signpost_title(posts: pd.DataFrame, *, lang: str = "nl") -> str:
    """The finding of the dashboard: how many signposts are red, and which."""
    words = TEXT[lang]
    red = posts[posts["status"] == "red"]
    names = [words["signposts"].get(s, s) for s in red["signpost"]]
    if lang == "nl":
        return (f"{len(red)} van {len(posts)} signalen op rood"
                + (f": {', '.join(names)}" if names else "; geen drempel overschreden"))
    return (f"{len(red)} of {len(posts)} signposts red"
            + (f": {', '.join(names)}" if names else "; no threshold crossed"))


def signpost_figure(posts: pd.DataFrame, *, as_of: pd.Timestamp, source: str,
                    lang: str = "nl") -> Figure:
    """The signpost dashboard: value against threshold per signpost, coloured by status.

    Parameters
    ----------
    posts
        ``signposts.csv`` (:func:`sdmodel.monitor.signposts.signpost_table`).
    as_of
        The monitored month.
    source
        The source line.
    lang
        ``"nl"`` or ``"en"``.
    """
    from matplotlib.ticker import FuncFormatter

    from sdmodel.figures.style import figure_style, finish_figure, new_figure

    words = TEXT[lang]
    with figure_style(font_scale=1.0):
        fig = new_figure(figsize=(11.69, 5.2))
        ax = fig.subplots()
        ratio = np.clip(posts["value"].to_numpy(float) / posts["threshold"].to_numpy(float),
                        0, 3)
        y = np.arange(len(posts))[::-1]
        ax.barh(y, ratio, color=[STATUS_COLORS[s] for s in posts["status"]], height=0.55)
        ax.axvline(1.0, color="black", lw=1.2)
        ax.text(1.0, len(posts) - 0.45, words["threshold"], ha="center", va="bottom",
                fontsize=9)
        for yi, row, r in zip(y, posts.itertuples(), ratio, strict=True):
            note = (f"{_value_text(row.value, row.unit, lang)} / "
                    f"{_value_text(row.threshold, row.unit, lang)} ({words[row.status]})")
            if row.status != "red" and not _missing(row.crosses_on):
                when = format_month(pd.Timestamp(row.crosses_on), lang)
                note += "; " + words["crosses"].format(d=when)
            ax.text(max(r, 1.0) + 0.03, yi, note, va="center", fontsize=10)
        ax.set_yticks(y, [words["signposts"].get(s, s) for s in posts["signpost"]])
        ax.set_xlim(0, max(3.2, float(ratio.max()) + 1.4))
        ax.set_xlabel("waarde / drempel" if lang == "nl" else "value / threshold")
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _p: format_number(v, lang, decimals=1)))
        ax.grid(axis="y", visible=False)
        finish_figure(fig, title=signpost_title(posts, lang=lang),
                      subtitle=words["posts_subtitle"].format(m=format_month(as_of, lang)),
                      source=source)
    return fig


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))
