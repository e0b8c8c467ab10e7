"""The tables of the briefing: KPIs per scenario or plan, assumptions, sources.

Each function returns plain rows of formatted text (Dutch number formats by default), ready for
:func:`sdmodel.briefing.pages.table_pages`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from sdmodel.briefing.units import readable_unit
from sdmodel.figures.formats import format_euro, format_month, format_number, format_percent
from sdmodel.figures.labels import TEXT, check_lang, text

ASSUMPTION = re.compile(r"assumption\s*:?\s*", re.IGNORECASE)
URL = re.compile(r"https?://[^\s;,)\]]+")


def label_or(key: str, lang: str, default: str) -> str:
    """Return :func:`sdmodel.figures.labels.text` of ``key``, or ``default`` if there is none."""
    return text(key, lang) if key in TEXT else default


def format_cell(value: object, lang: str, *, decimals: int | None = None) -> str:
    """Format a table value: numbers with Dutch/English separators, ``YYYY-MM`` as a month.

    ``decimals=None`` shows one decimal for numbers below 1,000 that are not whole.
    """
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return format_month(pd.Timestamp(f"{value}-01"), lang)
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    number = float(value)
    if decimals is None:
        decimals = 0 if number.is_integer() or abs(number) >= 1000 else 1
    return format_number(number, lang, decimals=decimals)


def format_plain(value: float, lang: str) -> str:
    """Format a parameter value with three significant digits: ``0,23``, ``27.100``, ``0,005``."""
    number = float(value)
    if number == 0 or abs(number) >= 100:
        return format_number(round(number), lang, decimals=0)
    decimals = min(max(0, 2 - math.floor(math.log10(abs(number)))), 6)
    text_ = format_number(round(number, decimals), lang, decimals=decimals)
    sep = "," if lang == "nl" else "."
    return text_.rstrip("0").rstrip(sep) if sep in text_ else text_


def _row_decimals(values: Sequence[object]) -> int | None:
    """One decimal for a whole row when any of its numbers below 1,000 has a fraction."""
    numbers = [float(v) for v in values if isinstance(v, int | float) and not math.isnan(v)]
    if not numbers or len(numbers) != len(values):
        return None
    fractional = any(not n.is_integer() and abs(n) < 1000 for n in numbers)
    return 1 if fractional else 0


def kpi_rows(table: pd.DataFrame, *, key: str, lang: str,
             descriptions: Mapping[str, str] | None = None) -> tuple[list[str], list[list[str]]]:
    """Turn a KPI table (one row per scenario or plan) into rows per indicator.

    Parameters
    ----------
    table
        One row per scenario (``key = "scenario"``) or plan (``key = "plan"``), one column per
        indicator.
    key
        The column naming the rows.
    lang
        Label language.
    descriptions
        Fallback label per column (e.g. :data:`sdmodel.analysis.compare.TABLE_COLUMNS`).

    Returns
    -------
    tuple
        The column headers (one per scenario or plan) and one row per indicator: its label,
        then one formatted value per scenario or plan.
    """
    check_lang(lang)
    names = [label_or(f"plan_{name}", lang, str(name)) for name in table[key]]
    rows = []
    for column in table.columns:
        if column == key:
            continue
        fallback = (descriptions or {}).get(column, column)
        values = list(table[column])
        if str(column).endswith("_eur"):
            cells = [format_euro(float(v), lang) for v in values]
        elif str(column).startswith("share_"):
            cells = [format_percent(float(v), lang) for v in values]
        else:
            decimals = _row_decimals(values)
            cells = [format_cell(v, lang, decimals=decimals) for v in values]
        rows.append([label_or(f"kpi_{column}", lang, fallback), *cells])
    return names, rows


def capacity_rows(plan: pd.DataFrame, *, lang: str) -> list[list[str]]:
    """Rows ``year, lever, amount (unit), cost`` of the optimizer's ``capacity_plan.csv``."""
    from sdmodel.briefing.data import lever_title, lever_unit

    rows = []
    for row in plan.itertuples():
        unit = lever_unit(str(row.lever), lang)
        unit = f" {unit}" if unit else ""
        rows.append([str(row.year), lever_title(str(row.lever), "capacity", lang),
                     f"{format_cell(row.amount, lang)}{unit}", format_euro(row.cost_eur, lang)])
    return rows


def assumption_rows(doc: pd.DataFrame, defaults: Mapping[str, float],
                    calibrated: Mapping[str, float], *, lang: str) -> list[list[str]]:
    """One row per constant or lookup of the .mdl whose comment says ``assumption``.

    Columns: name, default (with the calibrated value when the calibration changes it), range
    ``[min, max]``, unit, reason (the comment from "assumption" on).
    """
    rows = []
    marked = doc[doc["kind"].isin(["constant", "lookup"])
                 & doc["comment"].str.contains("assumption", case=False)]
    for row in marked.itertuples():
        if row.kind == "lookup" or row.name not in defaults:
            default = "tabel" if lang == "nl" else "table"
        else:
            default = format_plain(defaults[row.name], lang)
        if row.name in calibrated and row.name in defaults \
                and not math.isclose(calibrated[row.name], defaults[row.name]):
            default += "\n" + text("calibrated_value", lang).format(
                value=format_plain(calibrated[row.name], lang))
        reason = in_language(ASSUMPTION.split(str(row.comment), maxsplit=1)[-1].strip(), lang)
        rows.append([str(row.name), default, _range(row.min, row.max, lang),
                     readable_unit(str(row.units or ""), lang), reason[:1].upper() + reason[1:]])
    return rows


def measure_assumption_rows(*, lang: str) -> list[list[str]]:
    """One row per effect of :mod:`sdmodel.scenarios.measures` marked as an assumption.

    Columns: measure and effect, default, range, unit, reason.
    """
    from sdmodel.scenarios.measures import MEASURES

    rows = []
    for measure in MEASURES.values():
        title = measure.title if lang == "nl" else measure.title_en
        for effect in measure.effects:
            if not effect.assumption:
                continue
            reason = in_language(effect.assumption, lang)
            rows.append([f"{title}: {effect.key}", format_plain(effect.value, lang),
                         _range(effect.low, effect.high, lang), readable_unit(effect.unit, lang),
                         reason[:1].upper() + reason[1:]])
    return rows


def in_language(reason: str, lang: str) -> str:
    """An assumption's reason in ``lang``: the Dutch of :data:`~sdmodel.briefing.assumptions_nl.
    REASONS_NL` for ``nl`` (the English of the model when a reason is not translated yet)."""
    if lang != "nl":
        return reason
    from sdmodel.briefing.assumptions_nl import REASONS_NL

    return REASONS_NL.get(reason.strip(), reason)


def _range(low: object, high: object, lang: str) -> str:
    def one(value: object) -> str:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return "?"
        return "?" if math.isnan(number) else format_plain(number, lang)

    if one(low) == "?" and one(high) == "?":
        return "-"
    return f"[{one(low)}; {one(high)}]" if lang == "nl" else f"[{one(low)}, {one(high)}]"


SOURCE_FIGURES: dict[str, tuple[str, ...]] = {
    "sources_mdl": ("*",),
    "sources_parameters": ("costs", "schedule", "pareto", "comparison"),
    "sources_observations": ("dashboard", "calibration"),
    "sources_timeline": ("dashboard", "comparison", "fan_coa", "costs", "flows", "schedule",
                         "calibration"),
}
"""Which figures each group of sources supports: the model's equations every figure (``*``);
parameters.csv the costs and the measures' effects; observations.csv the points drawn on the
dashboard and the calibration figure; timeline.csv the numbered law dates."""


def sources(*, doc: pd.DataFrame, parameters: pd.DataFrame, observations: pd.DataFrame,
            laws: pd.DataFrame, lang: str) -> list[tuple[str, str, list[str]]]:
    """The distinct sources used, per group: .mdl comment URLs, parameters, observations, laws.

    Multi-source cells (``a ; b``) are split; each group is sorted and has no duplicates.

    Returns
    -------
    list of tuple
        ``(key, title, sources)`` per group; ``key`` is a key of :data:`SOURCE_FIGURES`.
    """
    def distinct(values: Sequence[str]) -> list[str]:
        items = {part.strip() for value in values for part in str(value).split(" ; ")}
        return sorted(item for item in items if item)

    urls = sorted({url.rstrip(".") for comment in doc["comment"] for url in URL.findall(comment)})
    groups = [("sources_mdl", urls), ("sources_parameters", distinct(parameters["source"])),
              ("sources_observations", distinct(observations["source"])),
              ("sources_timeline", distinct(laws["source"]))]
    return [(key, text(key, lang), items) for key, items in groups]


def supported_figures(key: str, figure_pages: Mapping[str, int], *, lang: str) -> str:
    """The line under a group of sources naming the figures (and their pages) it supports."""
    names = SOURCE_FIGURES.get(key, ())
    shown = list(figure_pages) if "*" in names else [n for n in names if n in figure_pages]
    if not shown:
        return ""
    word = text("page", lang)
    pages = ", ".join(f"{_figure_name(n, lang)} ({word} {figure_pages[n]})" for n in shown)
    return text("sources_support", lang).format(figures=pages)


def _figure_name(name: str, lang: str) -> str:
    """A figure's short name in ``lang``; figures added by optional pages (attribution per
    scenario, break-even, tornado, discovery, monitoring) without one are named by their key."""
    key = f"figure_{name}"
    return text(key, lang) if key in TEXT else name.replace("_", " ")
