"""The briefing's adaptive vs fixed tables, from an optimizer folder with rules.

:func:`adaptive_rows` turns ``adaptive_vs_fixed.csv`` into indicator rows (one column per plan,
fixed and adaptive), :func:`rule_rows` turns ``adaptive_rules.csv`` into one row per rule: what
it watches, what it does, in which share of the futures it fired and its median firing date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sdmodel.figures.formats import format_count, format_euro, format_number, format_percent

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

KPI_TITLES: dict[str, dict[str, str]] = {
    "coa_occupancy_share": {"nl": "COA-bezetting / reguliere plaatsen",
                            "en": "COA occupancy / regular places"},
    "ter_apel_occupancy": {"nl": "Ter Apel", "en": "Ter Apel"},
    "ind_pending_asylum": {"nl": "IND-voorraad", "en": "IND backlog"},
    "status_holders_beyond_norm": {"nl": "statushouders > 14 weken",
                                   "en": "status holders > 14 weeks"},
    "undocumented_on_street": {"nl": "ongedocumenteerden op straat",
                               "en": "undocumented on the street"},
    "coa_occupancy_total": {"nl": "COA-bezetting", "en": "COA occupancy"},
}
PLAN_TITLES = {"vast": {"nl": "Vast schema", "en": "Fixed schedule"},
               "adaptief": {"nl": "Adaptief (met regels)", "en": "Adaptive (with rules)"}}
ROW_TITLES = {
    "cost_mean_eur": {"nl": "Kosten van de keten over de horizon (gemiddelde toekomst)",
                      "en": "Chain cost over the horizon (mean future)"},
    "share_futures_meeting_all": {"nl": "Toekomsten die aan elke grens voldoen",
                                  "en": "Futures meeting every limit"},
    "coa_occupancy_above_mean": {"nl": "Persoonmaanden COA boven de grens (gemiddeld)",
                                 "en": "Person-months of COA above the limit (mean)"},
    "ter_apel_above_mean": {"nl": "Persoonmaanden Ter Apel boven de grens (gemiddeld)",
                            "en": "Person-months of Ter Apel above the limit (mean)"},
    "ind_backlog_above_mean": {"nl": "Zaakmaanden IND-voorraad boven de grens (gemiddeld)",
                               "en": "Case-months of IND backlog above the limit (mean)"},
}
_CONDITION = re.compile(r"^(?P<kpi>\w+) (?P<op>[<>]) (?P<value>[-+0-9.e]+)"
                        r"(?: for (?P<window>[0-9.]+) months?)?$")


def plan_names(table: pd.DataFrame, lang: str) -> list[str]:
    """Column titles of the plans in ``adaptive_vs_fixed.csv``."""
    return [PLAN_TITLES.get(str(p), {}).get(lang, str(p)) for p in table["plan"]]


def adaptive_rows(table: pd.DataFrame, *, lang: str) -> list[list[str]]:
    """Indicator rows of ``adaptive_vs_fixed.csv``: title, then one value per plan."""
    rows = []
    for column, titles in ROW_TITLES.items():
        if column not in table:
            continue
        values = table[column].astype(float)
        if column == "cost_mean_eur":
            cells = [format_euro(v, lang) for v in values]
        elif column == "share_futures_meeting_all":
            cells = [format_percent(v, lang) for v in values]
        else:
            cells = [format_count(v, lang) for v in values]
        rows.append([titles[lang], *cells])
    return rows


def condition_text(condition: str, lang: str) -> str:
    """``"COA-bezetting / reguliere plaatsen > 1,3 gedurende 2 mnd"`` from a rule's condition."""
    match = _CONDITION.match(str(condition).strip())
    if match is None:
        return str(condition)
    title = KPI_TITLES.get(match["kpi"], {}).get(lang, match["kpi"])
    value = float(match["value"])
    number = (format_number(value, lang, decimals=2) if match["kpi"] == "coa_occupancy_share"
              else format_count(value, lang))
    text = f"{title} {match['op']} {number}"
    if match["window"]:
        months = format_number(float(match["window"]), lang, decimals=0)
        text += f" gedurende {months} mnd" if lang == "nl" else f" for {months} months"
    return text


def action_text(action: str, lang: str) -> str:
    """A rule's action in words: pause, postpone by N months, release an amount after a lead."""
    from sdmodel.briefing.data import lever_title, lever_unit

    words = str(action).split()
    nl = lang == "nl"
    if words[:1] == ["pause"]:
        return f"{'pauzeer' if nl else 'pause'} {lever_title(words[1], 'measure', lang)}"
    if words[:1] == ["postpone"]:
        months = format_number(float(words[2]), lang, decimals=0)
        title = lever_title(words[1], "measure", lang)
        return f"{title} {months} mnd later" if nl else f"postpone {title} {months} months"
    if words[:1] == ["release"] and len(words) >= 6:
        unit = lever_unit(words[1], lang)
        amount = format_count(float(words[2]), lang) + (f" {unit}" if unit else "")
        lead = format_number(float(words[4]), lang, decimals=0)
        title = lever_title(words[1], "capacity", lang)
        return (f"{title}: {amount}, na {lead} mnd" if nl
                else f"{title}: {amount}, after {lead} months")
    return str(action)


def rule_rows(firing: pd.DataFrame, *, lang: str) -> list[list[str]]:
    """One row per rule of ``adaptive_rules.csv``: name, condition, action (and its end),
    share of futures in which it fired, median firing date."""
    import pandas as pd

    from sdmodel.figures.formats import format_month

    rows = []
    for row in firing.itertuples():
        until = "" if pd.isna(row.until) or not str(row.until) else (
            f"; {'tot' if lang == 'nl' else 'until'} {condition_text(row.until, lang)}")
        date = "" if pd.isna(row.median_fire_date) or not str(row.median_fire_date) else \
            format_month(pd.Timestamp(row.median_fire_date), lang)
        rows.append([str(row.rule), condition_text(row.when, lang),
                     action_text(row.then, lang) + until,
                     format_percent(float(row.share_fired), lang), date])
    return rows


def adaptive_title(table: pd.DataFrame, *, lang: str) -> str:
    """A title that states the finding: the cost difference and the shares meeting the limits."""
    rows = table.set_index("plan")
    if not {"vast", "adaptief"} <= set(rows.index):
        return "Bijsturen met regels" if lang == "nl" else "Adaptive rules"
    fixed, adaptive = rows.loc["vast"], rows.loc["adaptief"]
    saving = float(fixed["cost_mean_eur"] - adaptive["cost_mean_eur"])
    amount = format_euro(abs(saving), lang)
    share = format_percent(float(adaptive["share_futures_meeting_all"]), lang)
    before = format_percent(float(fixed["share_futures_meeting_all"]), lang)
    if lang == "nl":
        verb = "goedkoper" if saving >= 0 else "duurder"
        return f"Met regels {amount} {verb}; {share} binnen elke grens (vast: {before})"
    verb = "cheaper" if saving >= 0 else "dearer"
    return f"With rules {amount} {verb}; {share} within every limit (fixed: {before})"
