"""Figures and findings of the decomposition (waterfall) and of the break-even inflow change.

:func:`fig_waterfall` draws one KPI's difference between the reference and the scenario as a
waterfall of the measures' Shapley values (what each measure alone adds is marked, the 90%
band over the futures drawn when there is one); :func:`fig_waterfalls` puts several KPIs side by
side (the briefing page). :func:`fig_breakeven` draws the scenario's KPI against the change in
future inflow, the reference's level and the break-even point, beside the range of the measures'
own inflow effect (an assumption: no source quantifies one). Each figure's title is its finding
(:func:`finding_attribution`, :func:`finding_breakeven`), computed from the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sdmodel.figures.formats import format_count, format_number, format_percent
from sdmodel.figures.labels import TEXT, check_lang, text
from sdmodel.figures.style import colors, figure_style, finish_figure, new_figure, retitle

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from sdmodel.analysis.attribution import Attribution
    from sdmodel.analysis.breakeven import BreakEven

A4_LANDSCAPE = (11.69, 8.27)
"""Size of the several-KPI page, inches (the briefing's page size)."""
TEXTS: dict[str, dict[str, str]] = {
    "reference": {"nl": "referentie", "en": "reference"},
    "other": {"nl": "overige instellingen", "en": "other settings"},
    "shapley": {"nl": "aandeel (Shapley-waarde)", "en": "share (Shapley value)"},
    "alone": {"nl": "maatregel alleen", "en": "measure alone"},
    "band": {"nl": "90% van de toekomsten", "en": "90% of futures"},
    "up": {"nl": "stijgt", "en": "rises"},
    "down": {"nl": "daalt", "en": "falls"},
    "waterfall": {
        "nl": "In {scenario} {verb} {noun} met {delta} ten opzichte van {reference}; de "
              "grootste bijdrage komt van \u2018{measure}\u2019 ({part}, {pct})",
        "en": "In {scenario} {noun} {verb} by {delta} against {reference}; the largest share "
              "comes from \u2018{measure}\u2019 ({part}, {pct})",
    },
    "waterfall_same": {
        "nl": "{scenario} verandert {noun} niet ten opzichte van {reference}",
        "en": "{scenario} leaves {noun} unchanged against {reference}",
    },
    "interaction": {
        "nl": "; los opgeteld zouden de maatregelen {alone} geven: door hun samenspel {diff} "
              "{more}",
        "en": "; added up alone the measures would give {alone}: their interplay makes it "
              "{diff} {more}",
    },
    "more": {"nl": "meer", "en": "more"},
    "less": {"nl": "minder", "en": "less"},
    "waterfall_subtitle": {
        "nl": "Bijdrage per maatregel: Shapley-waarde over alle {runs} combinaties, samen het "
              "hele verschil",
        "en": "Contribution per measure: Shapley value over all {runs} combinations, together "
              "the whole difference",
    },
    "waterfalls_title": {
        "nl": "Wat elke maatregel van {scenario} bijdraagt: {finding}",
        "en": "What each measure of {scenario} adds: {finding}",
    },
    "breakeven": {
        "nl": "Om {noun} op het niveau van {reference} te houden, zou {scenario} de instroom "
              "met {pct} moeten {verb}{band}; geen bron kwantificeert zo'n effect",
        "en": "To keep {noun} at the level of {reference}, {scenario} would have to {verb} the "
              "inflow by {pct}{band}; no source quantifies such an effect",
    },
    "breakeven_many": {
        "nl": "Om {noun} op het niveau van {reference} te houden, zou de instroom {parts} "
              "moeten {verb}; geen bron kwantificeert zo'n effect",
        "en": "To keep {noun} at the level of {reference}, the inflow would have to {verb} "
              "{parts}; no source quantifies such an effect",
    },
    "many_lower": {"nl": "dalen", "en": "fall"},
    "many_raise": {"nl": "stijgen", "en": "rise"},
    "breakeven_part": {"nl": "bij {scenario} met {pct}{band}",
                       "en": "by {pct} for {scenario}{band}"},
    "and": {"nl": "en", "en": "and"},
    "breakeven_lower": {"nl": "verlagen", "en": "lower"},
    "breakeven_raise": {"nl": "laten stijgen", "en": "let rise"},
    "breakeven_band": {"nl": " (90% van de toekomsten: {low} tot {high})",
                       "en": " (90% of futures: {low} to {high})"},
    "breakeven_none": {
        "nl": "Bij geen verandering van de instroom tussen {low} en {high} komt {noun} van "
              "{scenario} op het niveau van {reference}",
        "en": "No change of the inflow between {low} and {high} brings {noun} of {scenario} to "
              "the level of {reference}",
    },
    "breakeven_subtitle": {
        "nl": "{label} tegen de verandering van alle toekomstige instroom (vanaf {start})",
        "en": "{label} against the change of all future inflow (from {start})",
    },
    "inflow_change": {"nl": "verandering van de toekomstige instroom",
                      "en": "change of the future inflow"},
    "claimed": {"nl": "aangenomen instroomeffect van {scenario} (geen bron)",
                "en": "assumed inflow effect of {scenario} (no source)"},
    "breakeven_point": {"nl": "break-even", "en": "break-even"},
    "breakeven_note": {
        "nl": "Grijs: het bereik dat de maatregelen samen als eigen instroomeffect mogen hebben "
              "(inflow_effect, per maatregel standaard 0, -10% tot +10%, alleen op eerste "
              "aanvragen): een aanname, de regering kan het effect niet kwantificeren. Balk: "
              "90% van de toekomsten van de onzekerheidsanalyse, met dat effect op de waarde "
              "van het scenario.",
        "en": "Grey: the range the measures' own inflow effects may take together "
              "(inflow_effect, per measure default 0, -10% to +10%, on first applications "
              "only): an assumption, the government cannot quantify the effect. Bar: 90% of the "
              "futures of the uncertainty analysis, with that effect at the scenario's value.",
    },
}
"""Texts of these figures, per language."""

NOUNS: dict[str, dict[str, str]] = {
    "coa_2030": {"nl": "de COA-bezetting in 2030", "en": "COA occupancy in 2030"},
    "coa_emergency_2030": {"nl": "de noodopvang in 2030", "en": "emergency reception in 2030"},
    "cost_total_meur": {"nl": "de kosten van de keten per jaar",
                        "en": "the chain's cost per year"},
    "coa": {"nl": "de COA-bezetting in {year}", "en": "COA occupancy in {year}"},
    "coa_emergency": {"nl": "de noodopvang in {year}", "en": "emergency reception in {year}"},
}
"""Short names of KPIs mid-sentence; the others use their table label."""


def _t(key: str, lang: str) -> str:
    return TEXTS[key][check_lang(lang)]


def measure_title(name: str, lang: str) -> str:
    """The measure's Dutch or English title (:data:`sdmodel.scenarios.measures.MEASURES`)."""
    from sdmodel.analysis.attribution import OTHER
    from sdmodel.scenarios.measures import MEASURES

    if name == OTHER:
        return _t("other", lang)
    measure = MEASURES[name]
    return measure.title if lang == "nl" else measure.title_en


def kpi_noun(kpi: str, lang: str, *, year: int | None = None) -> str:
    """The KPI mid-sentence (``de COA-bezetting in 2030``)."""
    if kpi in NOUNS:
        return NOUNS[kpi][check_lang(lang)].format(year=year)
    label = kpi_label(kpi, lang, year=year)
    return label.split(",")[0].split(" (")[0] + ("" if year is None else f" in {year}")


def _amount(value: float, kpi: str, lang: str, *, unit: bool = True) -> str:
    if kpi.endswith("_meur") and not unit:
        return format_number(abs(value), lang, decimals=0)
    if kpi.endswith("_meur"):
        prefix = "€ " if lang == "nl" else "EUR "
        unit = "mln" if lang == "nl" else "m"
        return f"{prefix}{format_number(abs(value), lang, decimals=0)} {unit}"
    if kpi.endswith("wait_weeks_2030"):
        return format_number(abs(value), lang, decimals=1)
    return format_count(abs(value), lang)


def finding_attribution(result: Attribution, kpi: str, *, lang: str = "nl") -> str:
    """One sentence: the difference in ``kpi``, the measure with the largest share and, where
    the measures interact, what they would add up to alone."""
    rows = result.table[result.table["kpi"] == kpi]
    total = result.totals.set_index("kpi").loc[kpi]
    delta, noun = float(total["delta"]), kpi_noun(kpi, lang)
    names = {"scenario": result.scenario.name, "reference": result.reference.name, "noun": noun}
    scale = max(abs(float(total["reference"])), abs(float(total["scenario"])), 1e-9)
    if abs(delta) <= 1e-6 * scale:
        return _t("waterfall_same", lang).format(**names)
    top = rows.loc[rows["shapley"].abs().idxmax()]
    sentence = _t("waterfall", lang).format(
        **names, verb=_t("up" if delta > 0 else "down", lang), delta=_amount(delta, kpi, lang),
        measure=measure_title(str(top["measure"]), lang),
        part=("-" if top["shapley"] * delta < 0 else "") + _amount(top["shapley"], kpi, lang),
        pct=format_percent(float(top["shapley"]) / delta, lang))
    alone = float(rows["alone"].sum())
    if abs(delta - alone) > 0.05 * abs(delta):
        sign = "-" if alone * delta < 0 else ""
        sentence += _t("interaction", lang).format(
            alone=sign + _amount(alone, kpi, lang), diff=_amount(delta - alone, kpi, lang),
            more=_t("more" if delta > alone else "less", lang))
    return sentence


def _signed(value: float, kpi: str, lang: str) -> str:
    """``+1.234`` / ``-1.234`` (costs without the unit: the axis has it); no sign where it
    rounds to 0."""
    amount = _amount(value, kpi, lang, unit=False)
    if amount.strip(",.0") == "":
        return amount
    return ("+" if value >= 0 else "-") + amount


def kpi_label(kpi: str, lang: str, *, year: int | None = None) -> str:
    """The KPI's table label (a kpis.csv column; with ``year`` a KPI of that year)."""
    key = f"kpi_{kpi}" if year is None or kpi.endswith("_meur") else f"kpi_{kpi}_2030"
    if key not in TEXT:
        return kpi
    label = text(key, lang)
    if year is not None and kpi.endswith("_meur"):
        label = label.replace("gemiddeld per jaar", f"in {year}").replace(
            "average per year", f"in {year}")
    return label.replace("2030", str(year)) if year is not None else label


def draw_waterfall(ax: Axes, result: Attribution, kpi: str, *, lang: str) -> None:
    """One KPI's waterfall on ``ax`` (horizontal bars, the reference at the top)."""
    from sdmodel.figures.style import number_axis

    rows = result.table[result.table["kpi"] == kpi].reset_index(drop=True)
    total = result.totals.set_index("kpi").loc[kpi]
    ref, scen = float(total["reference"]), float(total["scenario"])
    palette = colors(10)
    up, down, level = palette[3], palette[2], "0.55"
    labels = [f"{_t('reference', lang)}: {result.reference.name}"]
    ax.barh(0, ref, color=level)
    start = ref
    bands = None
    if result.bands is not None:
        bands = result.bands[(result.bands["kpi"] == kpi)
                             & (result.bands["statistic"] == "shapley")].set_index("measure")
    span = max(abs(ref), abs(scen), 1e-9)
    for i, row in rows.iterrows():
        y, share = i + 1, float(row["shapley"])
        ax.barh(y, share, left=start, color=up if share > 0 else down,
                label=_t("shapley", lang) if i == 0 else None)
        ax.plot([start + float(row["alone"])], [y], marker="D", color="black", markersize=5,
                linestyle="none", label=_t("alone", lang) if i == 0 else None, zorder=4)
        if bands is not None and row["measure"] in bands.index:
            b = bands.loc[row["measure"]]
            ax.plot([start + b["q05"], start + b["q95"]], [y, y], color="0.15", linewidth=1.2,
                    label=_t("band", lang) if i == 0 else None, zorder=3)
        right = max(start, start + share, start + float(row["alone"]))
        if bands is not None and row["measure"] in bands.index:
            right = max(right, start + float(bands.loc[row["measure"], "q95"]))
        ax.text(right + 0.015 * span, y, _signed(share, kpi, lang), va="center", ha="left",
                fontsize="small")
        labels.append(measure_title(str(row["measure"]), lang))
        start += share
    y = len(rows) + 1
    ax.barh(y, scen, color=palette[0])
    labels.append(f"{text('scenario', lang)}: {result.scenario.name}")
    for yy, value in ((0, ref), (y, scen)):
        ax.text(value + 0.01 * span, yy, _amount(value, kpi, lang, unit=False), va="center",
                ha="left", fontsize="small")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    steps = ref + rows["shapley"].cumsum()
    alone_at = steps - rows["shapley"] + rows["alone"]
    low = min(0.0, ref, scen, *steps, *alone_at)
    high = max(ref, scen, *steps, *alone_at)
    ax.set_xlim(low, high + 0.25 * (high - low))
    ax.set_xlabel(kpi_label(kpi, lang))
    number_axis(ax, lang=lang, axis="x")
    ax.grid(axis="y", visible=False)


def fig_waterfall(result: Attribution, kpi: str, *, lang: str = "nl",
                  source: str | None = None) -> Figure:
    """The waterfall of one KPI, titled with its finding."""
    with figure_style():
        fig = new_figure(figsize=(11.69, 3.2 + 0.45 * len(result.players)))
        ax = fig.add_subplot()
        draw_waterfall(ax, result, kpi, lang=lang)
        ax.legend(loc="upper right", fontsize="small")
        finish_figure(fig, title=finding_attribution(result, kpi, lang=lang),
                      subtitle=_t("waterfall_subtitle", lang).format(runs=len(result.coalitions)),
                      source=source)
    return fig


def fig_waterfalls(result: Attribution, kpis: Sequence[str], *, lang: str = "nl",
                   source: str | None = None) -> Figure:
    """Waterfalls of several KPIs on one page; the title is the first KPI's finding."""
    with figure_style(font_scale=0.9):
        fig = new_figure(figsize=A4_LANDSCAPE)
        axes = fig.subplots(len(kpis), 1)
        for i, (ax, kpi) in enumerate(zip(np.atleast_1d(axes), kpis, strict=True)):
            draw_waterfall(ax, result, kpi, lang=lang)
            if i == 0:
                ax.legend(loc="upper right", fontsize="x-small")
        if source:
            fig.supxlabel(source, x=0.01, ha="left", fontsize="x-small", color="0.3")
        retitle(fig, title=finding_attribution(result, kpis[0], lang=lang),
                subtitle=_t("waterfall_subtitle", lang).format(runs=len(result.coalitions)))
    return fig


def _pct(fraction: float, lang: str) -> str:
    return format_percent(fraction, lang, decimals=1 if abs(fraction) < 0.1 else 0)


def finding_breakeven(result: BreakEven, *, lang: str = "nl") -> str:
    """One sentence: the inflow change that keeps the KPI at the reference's level, with its
    90% band over the futures when there is one."""
    noun = kpi_noun(result.kpi, lang, year=result.year)
    names = {"scenario": result.scenario.name, "reference": result.reference.name, "noun": noun}
    change = result.inflow_change
    if np.isnan(change):
        low, high = result.bounds
        return _t("breakeven_none", lang).format(**names, low=_pct(low, lang),
                                                  high=f"+{_pct(high, lang)}")
    verb = _t("breakeven_lower" if change < 0 else "breakeven_raise", lang)
    return _t("breakeven", lang).format(**names, pct=_pct(abs(change), lang), verb=verb,
                                         band=_band(result, lang))


def _band(result: BreakEven, lang: str) -> str:
    """`` (90% van de toekomsten: -39% tot -8,6%)``, or ``""`` without an ensemble."""
    if result.per_future is None:
        return ""
    q = result.band()
    if np.isnan(q["q05"]):
        return ""

    def signed(x: float) -> str:
        return ("+" if x > 0 else "") + _pct(x, lang)

    return _t("breakeven_band", lang).format(low=signed(q["q05"]), high=signed(q["q95"]))


def breakeven_title(results: Sequence[BreakEven], *, lang: str = "nl") -> str:
    """The finding of several break-even answers (same KPI, year and reference) in one
    sentence where they point the same way, else one sentence each."""
    first = results[0]
    changes = [r.inflow_change for r in results]
    if len(results) == 1 or any(np.isnan(c) for c in changes) or \
            len({np.sign(c) for c in changes}) > 1:
        return ". ".join(finding_breakeven(r, lang=lang) for r in results)
    parts = [_t("breakeven_part", lang).format(scenario=r.scenario.name,
                                                pct=_pct(abs(r.inflow_change), lang),
                                                band=_band(r, lang)) for r in results]
    joined = ", ".join(parts[:-1]) + f" {_t('and', lang)} {parts[-1]}"
    verb = _t("many_lower" if changes[0] < 0 else "many_raise", lang)
    return _t("breakeven_many", lang).format(
        noun=kpi_noun(first.kpi, lang, year=first.year), reference=first.reference.name,
        parts=joined, verb=verb)


def draw_breakeven(ax: Axes, results: Sequence[BreakEven], *, lang: str) -> None:
    """The KPI of each scenario against the inflow change, the reference level, the break-even
    points (with the futures' 90% band) and the measures' assumed inflow-effect range."""
    from matplotlib.ticker import FuncFormatter

    from sdmodel.figures.style import number_axis, scenario_colors

    first = results[0]
    palette = scenario_colors([r.scenario.name for r in results])
    widest = min(results, key=lambda r: r.assumed[0])
    if widest.assumed[0] < widest.assumed[1]:
        ax.axvspan(*widest.assumed, color="0.88", zorder=0,
                   label=_t("claimed", lang).format(scenario=widest.scenario.name))
    ax.axhline(first.kpi_reference, color="0.3", linestyle="--", linewidth=1.4,
               label=f"{_t('reference', lang)}: {first.reference.name}")
    top = max(float(r.curve["kpi"].max()) for r in results)
    for i, r in enumerate(results):
        color = palette[r.scenario.name]
        offset = (i - (len(results) - 1) / 2) * 0.03 * first.kpi_reference  # bands side by side
        ax.plot(r.curve["inflow_change"], r.curve["kpi"], color=color, linewidth=2,
                label=r.scenario.name, marker="o", markersize=3)
        if not np.isnan(r.inflow_change):
            ax.plot([r.inflow_change], [r.kpi_at_breakeven], marker="o", color=color,
                    markersize=9, markeredgecolor="black", zorder=5)
            ax.annotate(_pct(r.inflow_change, lang), (r.inflow_change, r.kpi_at_breakeven),
                        textcoords="offset points", xytext=(8, -16), fontsize="small")
            q = r.band()
            if not np.isnan(q["q05"]):
                ax.plot([q["q05"], q["q95"]], [r.kpi_reference + offset] * 2, color=color,
                        linewidth=6, alpha=0.5, solid_capstyle="butt", zorder=4,
                        label=f"{r.scenario.name}: {_t('band', lang)}")
    low = min(-0.6, *(r.band()["q05"] - 0.1 for r in results if not np.isnan(r.band()["q05"])),
              *(r.inflow_change - 0.1 for r in results if not np.isnan(r.inflow_change)))
    low = min(low, *(r.assumed[0] - 0.05 for r in results))
    ax.set_xlim(max(low, first.bounds[0]), 0.5)
    inside = [r.curve[(r.curve["inflow_change"] >= low) & (r.curve["inflow_change"] <= 0.5)]
              for r in results]
    top = max(float(c["kpi"].max()) for c in inside) if all(len(c) for c in inside) else top
    ax.set_ylim(0, top * 1.08)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_percent(v, lang)))
    number_axis(ax, lang=lang)
    ax.set_xlabel(_t("inflow_change", lang))
    ax.set_ylabel(kpi_label(first.kpi, lang, year=first.year))
    ax.legend(loc="upper left", fontsize="small")


def fig_breakeven(results: Sequence[BreakEven], *, lang: str = "nl",
                  source: str | None = None) -> Figure:
    """The break-even figure of one or more scenarios (same KPI, year and reference), titled
    with the first one's finding."""
    from sdmodel.calendar import SCENARIO_START
    from sdmodel.figures.formats import format_month

    first = results[0]
    with figure_style():
        fig = new_figure()
        ax = fig.add_subplot()
        draw_breakeven(ax, results, lang=lang)
        title = breakeven_title(results, lang=lang)
        import pandas as pd

        noun = kpi_noun(first.kpi, lang, year=first.year)
        finish_figure(fig, title=title, source=source,
                      subtitle=_t("breakeven_subtitle", lang).format(
                          label=noun[0].upper() + noun[1:],
                          start=format_month(pd.Timestamp(SCENARIO_START), lang)),
                      notes=[_t("breakeven_note", lang)])
    return fig
