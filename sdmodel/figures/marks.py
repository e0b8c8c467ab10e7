"""The marks drawn on top of figures: law dates, thresholds, the scenario period, the source line.

Law dates come from ``calibration/data/timeline.csv`` (rows whose status says a rule starts to
apply) and are drawn as numbered dotted lines with a key at the foot (:func:`mark_law_dates`,
:func:`law_key`); thresholds as labelled dashed lines; the scenario period as a light shade; the
source line names the model version and hash, the data and the scenario.

Inside :func:`laws_of` (the briefing draws each figure in it), law dates from the scenario start
on are drawn only for the measures the scenario runs: a baseline run shows no EU-Pact marker,
since the Pact is not in it. History is always drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from sdmodel.calendar import SCENARIO_START
from sdmodel.figures.formats import format_date
from sdmodel.figures.labels import LAW_LABELS, check_lang, text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

THRESHOLD_COLOR = "#c0392b"
LAW_COLOR = "0.45"
LAW_STATUSES: tuple[str, ...] = ("in_force", "applies")
"""Statuses in timeline.csv that mark a law date (a rule that starts to apply)."""
MERGE_DAYS = 120
"""Law dates of one measure closer than this are shown as one marker (the later date)."""
_RUNNING: ContextVar[frozenset[str] | None] = ContextVar("running_measures", default=None)


@contextmanager
def laws_of(measures: Iterable[str] | None) -> Iterator[None]:
    """Within this block, :func:`law_dates` drops dates from the scenario start on whose
    measure is not in ``measures`` (the names of the measures the figure's scenarios run);
    ``None``: every date."""
    token = _RUNNING.set(None if measures is None else frozenset(measures))
    try:
        yield
    finally:
        _RUNNING.reset(token)


def law_dates(timeline: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the law dates to mark: timeline rows whose status is in :data:`LAW_STATUSES`.

    Rows of one measure less than :data:`MERGE_DAYS` apart become one (the later date). Inside
    :func:`laws_of`, dates from the scenario start on are kept only for the measures running.

    Parameters
    ----------
    timeline
        As :func:`sdmodel.data.observations.load_timeline` returns it; default that file.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, measure, nl, en, source``, sorted by date.
    """
    import pandas as pd

    if timeline is None:
        from sdmodel.data.observations import load_timeline

        timeline = load_timeline()
    rows = timeline[timeline["status"].isin(LAW_STATUSES)].sort_values("date")
    running = _RUNNING.get()
    if running is not None:  # see laws_of: future law dates only of the measures that run
        rows = rows[(rows["date"] < pd.Timestamp(SCENARIO_START))
                    | rows["measure"].isin(sorted(running))]
    kept: list[dict[str, object]] = []
    for row in rows.itertuples():
        labels = LAW_LABELS.get(row.measure, {"nl": _short(row.event), "en": _short(row.event)})
        item = {"date": pd.Timestamp(row.date), "measure": row.measure, **labels,
                "source": row.source}
        last = next((k for k in reversed(kept) if k["measure"] == row.measure), None)
        if last is not None and (item["date"] - last["date"]).days < MERGE_DAYS:
            kept.remove(last)
        kept.append(item)
    return pd.DataFrame(kept, columns=["date", "measure", "nl", "en", "source"])


def _short(event: str) -> str:
    event = event.split(" [")[0].split(" (")[0]
    return event if len(event) <= 40 else event[:39] + "…"


def marker_symbol(number: int) -> str:
    """Return the circled digit of ``number`` (1..20: ``①``..``⑳``), else ``(n)``."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def mark_law_dates(
    ax: Axes, events: pd.DataFrame, *, lang: str, numbers: bool = True, as_year: bool = False,
) -> list[int]:
    """Draw each law date inside the x range as a dotted line with its number above the axes.

    Parameters
    ----------
    ax
        Axes with dates on x (or decimal years when ``as_year``).
    events
        From :func:`law_dates`; numbered 1, 2, ... in row order.
    lang
        Label language (only checked here; the key comes from :func:`law_key`).
    numbers
        Write the circled number above each line.
    as_year
        The x axis holds years as numbers (bar charts per year): a date is drawn at its
        fraction of the year.

    Returns
    -------
    list of int
        The numbers of the dates drawn (for :func:`law_key`).
    """
    import matplotlib.dates as mdates

    check_lang(lang)
    low, high = ax.get_xlim()
    drawn = []
    for number, row in enumerate(events.itertuples(), start=1):
        date = row.date
        x = (date.year + (date.day_of_year - 1) / 365.25) if as_year else mdates.date2num(date)
        if not low <= x <= high:
            continue
        ax.axvline(x, color=LAW_COLOR, linestyle=(0, (1, 2)), linewidth=1.1, zorder=1)
        if numbers:
            ax.annotate(marker_symbol(number), xy=(x, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize="small", color="0.25", annotation_clip=False)
        drawn.append(number)
    ax.set_xlim(low, high)
    return drawn


def law_key(events: pd.DataFrame, numbers: Sequence[int], *, lang: str) -> str:
    """Return the foot line that explains the numbered law dates drawn."""
    if not numbers:
        return ""
    parts = [f"{marker_symbol(n)} {format_date(events.iloc[n - 1]['date'], lang)}: "
             f"{events.iloc[n - 1][check_lang(lang)]}" for n in sorted(set(numbers))]
    return f"{text('law_dates', lang)}: " + "; ".join(p.replace(" ", "\u00a0") for p in parts)


def mark_scenario_period(ax: Axes, *, lang: str, start: str = SCENARIO_START,
                         as_year: bool = False, label: str = "inside") -> None:
    """Shade the scenario period (from ``start``) lightly, labelled at the top right.

    Parameters
    ----------
    ax
        Axes with dates on x (or years as numbers when ``as_year``).
    lang
        Label language.
    start
        First day of the scenario period (the end of the history).
    as_year
        The x axis holds years as numbers (bar charts per year).
    label
        ``"inside"`` the axes (top right), ``"above"`` them (right, beside the law-date numbers;
        for panels whose legend sits inside), or ``"none"``.
    """
    import matplotlib.dates as mdates
    import pandas as pd

    low, high = ax.get_xlim()
    stamp = pd.Timestamp(start)
    x = stamp.year - 0.5 if as_year else mdates.date2num(stamp)
    if x >= high:
        return
    ax.axvspan(max(x, low), high, color="0.93", zorder=0, linewidth=0)
    if label == "inside":
        ax.text(0.995, 0.985, text("scenario_period", lang), transform=ax.transAxes,
                ha="right", va="top", fontsize="x-small", color="0.35")
    elif label == "above":
        ax.annotate(text("scenario_period", lang), xy=(1.0, 1.0), xycoords="axes fraction",
                    xytext=(0, 3), textcoords="offset points", ha="right", va="bottom",
                    fontsize="x-small", color="0.35")
    ax.set_xlim(low, high)


def mark_threshold(ax: Axes, value: float, label: str, *, color: object = THRESHOLD_COLOR,
                   ) -> None:
    """Draw a horizontal threshold line labelled (in the legend) with ``label``."""
    ax.axhline(value, color=color, linestyle="--", linewidth=1.6, label=label, zorder=2)


def source_line(
    *, lang: str, model_sha256: str | None = None, data_sha256: str | None = None,
    scenario: str | None = None, extra: str | None = None,
) -> str:
    """Return the source line: data sources, model version and hash, scenario.

    Parameters
    ----------
    lang
        ``"nl"`` or ``"en"``.
    model_sha256, data_sha256
        Hashes of the .mdl and of the data files; the first 8 characters are shown.
    scenario
        Scenario name(s) shown.
    extra
        Anything else to credit (e.g. the optimizer output folder).
    """
    from sdmodel.outputs.manifest import package_versions

    version = package_versions()["asielketen"].split(" ")[0]
    model = f" {version}" + (f", {model_sha256[:8]}" if model_sha256 else "")
    parts = [text("source_model", lang).format(model=model)]
    if scenario:
        parts.append(f"{text('scenario', lang)}: {scenario}")
    data = text("source_data", lang)
    if data_sha256:
        data += f" ({data_sha256[:8]})"
    parts.append(data)
    if extra:
        parts.append(extra)
    return "; ".join(parts)
