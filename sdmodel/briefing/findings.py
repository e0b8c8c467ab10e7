"""One-sentence findings computed from the numbers, for figure titles and the briefing.

Each ``finding_*`` function reads the same data as its figure (see
:mod:`sdmodel.briefing.figures`) and returns one sentence in Dutch (default) or English, with the
numbers formatted for the language (``63.000`` / ``63,000``). Nothing here is hard-coded: change
the numbers and the sentence changes with them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sdmodel.briefing.data import (
    calibration_errors,
    lever_title,
    yearly_costs,
    yearly_flows,
)
from sdmodel.calendar import REPORT_YEAR, SCENARIO_START
from sdmodel.figures.formats import (
    format_count,
    format_date,
    format_euro,
    format_month,
    format_percent,
)
from sdmodel.figures.labels import check_lang, label
from sdmodel.names import COST_ACTORS, TER_APEL_NORM

NOUNS: dict[str, dict[str, str]] = {
    "coa_occupancy_total": {"nl": "de COA-bezetting", "en": "COA occupancy"},
    "ter_apel_occupancy": {"nl": "de bezetting in Ter Apel", "en": "Ter Apel occupancy"},
    "ind_pending_asylum": {"nl": "de IND-voorraad", "en": "the IND backlog"},
    "coa_status_holders_waiting": {"nl": "het aantal wachtende statushouders",
                                   "en": "status holders waiting"},
}
"""Short names of KPIs used mid-sentence; other KPIs use their label."""
STEADY = 0.03
"""A change within this fraction reads as "stays at"."""

SENTENCES: dict[str, dict[str, str]] = {
    "headline_median": {
        "nl": "Dat is de centrale run, die op het {pct}e percentiel van {n} toekomsten ligt; "
              "de mediane COA-bezetting in 2030 is {median} (centrale run {central})",
        "en": "That is the central run, at the {pct}th percentile of {n} futures; the median "
              "COA occupancy in 2030 is {median} (central run {central})",
    },
    "coa": {
        "nl": "De COA-bezetting piekt op {peak} in {month}, {pct} {side} de reguliere capaciteit",
        "en": "COA occupancy peaks at {peak} in {month}, {pct} {side} regular capacity",
    },
    "above": {"nl": "boven", "en": "above"},
    "below": {"nl": "onder", "en": "below"},
    "ter_apel_over": {
        "nl": "Ter Apel zit {n} van de {m} maanden boven de norm van {norm}",
        "en": "Ter Apel is above the {norm} maximum in {n} of {m} months",
    },
    "ter_apel_under": {
        "nl": "Ter Apel blijft onder de norm van {norm}",
        "en": "Ter Apel stays below the {norm} maximum",
    },
    "costs_change": {
        "nl": "De kosten van de asielketen {verb} van {first} in {y0} naar {last} in {y1}; "
              "COA-opvang is {share} daarvan",
        "en": "The cost of the asylum chain {verb} from {first} in {y0} to {last} in {y1}; "
              "COA reception is {share} of it",
    },
    "costs_steady": {
        "nl": "De kosten van de asielketen blijven rond {first} per jaar ({y0}-{y1}); "
              "COA-opvang is {share} daarvan",
        "en": "The cost of the asylum chain stays at about {first} a year ({y0}-{y1}); "
              "COA reception is {share} of it",
    },
    "rise": {"nl": "stijgen", "en": "rises"},
    "fall": {"nl": "dalen", "en": "falls"},
    "flows": {
        "nl": "In {year} komen {inflow} mensen de keten in, neemt de IND {decisions} beslissingen "
              "({grants} inwilligingen), krijgen {housed} statushouders een woning en vertrekken "
              "{departures} mensen",
        "en": "In {year}, {inflow} people enter the chain, the IND takes {decisions} decisions "
              "({grants} grants), {housed} status holders are housed and {departures} people "
              "leave",
    },
    "comparison": {
        "nl": "De piek van {what} loopt uiteen van {low} ({low_name}) tot {high} ({high_name}); "
              "in {ref_name} is die {ref}",
        "en": "The peak of {what} ranges from {low} ({low_name}) to {high} ({high_name}); "
              "in {ref_name} it is {ref}",
    },
    "comparison_ref_low": {
        "nl": "De piek van {what} is het laagst in {ref_name} ({ref}) en het hoogst in "
              "{high_name} ({high}, {pct} hoger)",
        "en": "The peak of {what} is lowest in {ref_name} ({ref}) and highest in {high_name} "
              "({high}, {pct} higher)",
    },
    "comparison_ref_high": {
        "nl": "De piek van {what} is het hoogst in {ref_name} ({ref}) en het laagst in "
              "{low_name} ({low}, {pct} lager)",
        "en": "The peak of {what} is highest in {ref_name} ({ref}) and lowest in {low_name} "
              "({low}, {pct} lower)",
    },
    "fan": {
        "nl": "De mediane COA-bezetting piekt op {q50} in {month}; 90% van de toekomsten ligt "
              "dan tussen {q05} en {q95}",
        "en": "Median COA occupancy peaks at {q50} in {month}; 90% of futures then lie between "
              "{q05} and {q95}",
    },
    "fan_threshold": {
        "nl": ", {where} de drempel van {threshold}",
        "en": ", {where} the {threshold} threshold",
    },
    "fan_all_below": {"nl": "allemaal onder", "en": "all below"},
    "fan_upper_above": {"nl": "met de bovenkant boven", "en": "the upper end above"},
    "fan_median_above": {"nl": "de mediaan boven", "en": "the median above"},
    "gantt": {
        "nl": "{what} {verb} tussen {first} en {last}; {which} op volle sterkte in {full}",
        "en": "{what} {verb} between {first} and {last}; {which} full strength in {full}",
    },
    "gantt_same_day": {
        "nl": "{what} {verb} op {first}; {which} op volle sterkte in {full}",
        "en": "{what} {verb} on {first}; {which} full strength in {full}",
    },
    "gantt_plan": {
        "nl": "Volgens planning {verb} {what} tussen {first} en {last}; {which} op volle "
              "sterkte in {full}",
        "en": "As planned, {what} {verb} between {first} and {last}; {which} full strength in "
              "{full}",
    },
    "gantt_plan_same_day": {
        "nl": "Volgens planning {verb} {what} op {first}; {which} op volle sterkte in {full}",
        "en": "As planned, {what} {verb} on {first}; {which} full strength in {full}",
    },
    "gantt_empty": {
        "nl": "Dit schema voert geen maatregelen of capaciteitsuitbreiding in",
        "en": "This schedule introduces no measures or capacity funding",
    },
    "measures": {"nl": "{n} maatregelen", "en": "{n} measures"},
    "measure": {"nl": "1 maatregel", "en": "1 measure"},
    "capacities": {"nl": "{n} capaciteitsuitbreidingen", "en": "{n} capacity increases"},
    "capacity": {"nl": "1 capaciteitsuitbreiding", "en": "1 capacity increase"},
    "and": {"nl": "en", "en": "and"},
    "start_one": {"nl": "start", "en": "starts"},
    "start_many": {"nl": "starten", "en": "start"},
    "which_one": {"nl": "die is", "en": "it reaches"},
    "which_many": {"nl": "de laatste is", "en": "the last reaches"},
    "pareto": {
        "nl": "Van {c_low} tot {c_high} aan kosten daalt de overschrijding van {e_low} naar "
              "{e_high} persoonsmaanden; de eerste helft van die daling kost {c_half}",
        "en": "From {c_low} to {c_high} in cost, the exceedance falls from {e_low} to {e_high} "
              "person-months; the first half of that fall costs {c_half}",
    },
    "pareto_flat": {
        "nl": "Meer geld verlaagt de overschrijding niet: die blijft {e_low} persoonsmaanden "
              "tussen {c_low} en {c_high}",
        "en": "More money does not lower the exceedance: it stays at {e_low} person-months "
              "between {c_low} and {c_high}",
    },
    "calibration": {
        "nl": "Het model volgt {n} waarnemingen met een gemiddelde afwijking van {mape}; "
              "het best {best} ({best_mape}), het minst {worst} ({worst_mape})",
        "en": "The model follows {n} observations with a mean error of {mape}; best "
              "{best} ({best_mape}), worst {worst} ({worst_mape})",
    },
    "calibration_none": {
        "nl": "Er zijn geen waarnemingen binnen de modelperiode om het model mee te vergelijken",
        "en": "There are no observations within the model period to compare the model with",
    },
}
"""Sentence templates per finding and language; the ``finding_*`` functions fill them in."""


def _say(key: str, lang: str, **values: object) -> str:
    return SENTENCES[key][check_lang(lang)].format(**values)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


PROPER_NOUNS: tuple[str, ...] = ("Ter Apel", "COA", "IND", "DT&V", "LVV", "EU", "MPP")
"""Labels starting with these keep their capital mid-sentence."""


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a label used mid-sentence (not "IND", not "Ter Apel")."""
    if text.startswith(PROPER_NOUNS) or not text[1:2].islower():
        return text
    return text[0].lower() + text[1:]


def _future(results: pd.DataFrame, since: str | None) -> pd.DataFrame:
    frame = results.loc[since:] if since else results
    return frame if len(frame) else results


def _coa_clause(results: pd.DataFrame, *, lang: str, since: str | None) -> str:
    frame = _future(results, since)
    when = frame["coa_occupancy_total"].idxmax()
    peak = float(frame.at[when, "coa_occupancy_total"])
    capacity = float(frame.at[when, "coa_regular_capacity"])
    ratio = peak / capacity - 1 if capacity > 0 else 0.0
    side = _say("above" if ratio >= 0 else "below", lang)
    return _say("coa", lang, peak=format_count(peak, lang), month=format_month(when, lang),
                pct=format_percent(abs(ratio), lang), side=side)


def _ter_apel_clause(results: pd.DataFrame, *, lang: str, since: str | None,
                     norm: float = TER_APEL_NORM) -> str:
    frame = _future(results, since)
    months = int((frame["ter_apel_occupancy"] > norm).sum())
    norm_text = format_count(norm, lang)
    if months == 0:
        return _say("ter_apel_under", lang, norm=norm_text)
    return _say("ter_apel_over", lang, n=months, m=len(frame), norm=norm_text)


def finding_coa(results: pd.DataFrame, *, lang: str = "nl",
                since: str | None = SCENARIO_START) -> str:
    """The peak of COA occupancy from ``since`` on, and how it compares with regular capacity.

    E.g. "De COA-bezetting piekt op 63.000 in maart 2029, 28% boven de reguliere capaciteit."
    """
    return _sentence(_coa_clause(results, lang=lang, since=since))


def finding_dashboard(results: pd.DataFrame, *, lang: str = "nl",
                      since: str | None = SCENARIO_START, norm: float = TER_APEL_NORM) -> str:
    """The COA peak (see :func:`finding_coa`) and the months Ter Apel is above ``norm``."""
    coa = _coa_clause(results, lang=lang, since=since)
    ter_apel = _ter_apel_clause(results, lang=lang, since=since, norm=norm)
    return _sentence(f"{coa}; {ter_apel}")


def finding_headline(headline: pd.DataFrame, scenario: str, *, samples: int,
                     lang: str = "nl") -> str:
    """The sentence a finding about the central run gets when the headline rule
    (:data:`sdmodel.analysis.headline.HEADLINE_RULE`) says the median: where the central run
    lies and the median COA occupancy of 2030; ``""`` when the central run is the headline."""
    rows = headline[(headline["scenario"] == scenario) & (headline["kpi"] == "coa_2030")]
    if rows.empty or rows["headline_from"].iloc[0] != "median":
        return ""
    row = rows.iloc[0]
    return _sentence(_say("headline_median", lang, pct=f"{row['percentile']:.0f}", n=samples,
                          median=format_count(row["q50"], lang),
                          central=format_count(row["central"], lang)))


def finding_costs(results: pd.DataFrame, *, lang: str = "nl",
                  since: str | None = SCENARIO_START) -> str:
    """How the yearly cost of the chain develops from ``since`` on, and the share of COA."""
    table = yearly_costs(results)
    if since:
        table = table[table.index >= pd.Timestamp(since).year] if len(table) > 1 else table
    totals = table.sum(axis=1)
    first, last = float(totals.iloc[0]), float(totals.iloc[-1])
    coa = float(table[list(COST_ACTORS["coa"])].to_numpy().sum())
    share = format_percent(coa / totals.sum() if totals.sum() else 0.0, lang)
    values = {"first": format_euro(first, lang), "last": format_euro(last, lang),
              "y0": totals.index[0], "y1": totals.index[-1], "share": share}
    change = last / first - 1 if first else 0.0
    if abs(change) <= STEADY:
        return _sentence(_say("costs_steady", lang, **values))
    verb = _say("rise" if change > 0 else "fall", lang)
    return _sentence(_say("costs_change", lang, verb=verb, **values))


def finding_flows(results: pd.DataFrame, *, lang: str = "nl", year: int = REPORT_YEAR) -> str:
    """The flows through the chain in ``year`` (the last whole year if it is not in the run)."""
    flows = yearly_flows(results)
    year = year if year in flows.index else int(flows.index[-1])
    row = flows.loc[year]
    return _sentence(_say("flows", lang, year=year,
                          **{k: format_count(row[k], lang) for k in flows.columns}))


def finding_comparison(results: Mapping[str, pd.DataFrame], *, lang: str = "nl",
                       kpi: str = "coa_occupancy_total",
                       since: str | None = SCENARIO_START) -> str:
    """How far the scenarios' peaks of ``kpi`` lie apart (the first scenario is the reference)."""
    names = list(results)
    if len(names) == 1 and kpi == "coa_occupancy_total":
        return finding_coa(results[names[0]], lang=lang, since=since)
    peaks = {name: float(_future(frame, since)[kpi].max()) for name, frame in results.items()}
    low_name = min(peaks, key=peaks.__getitem__)
    high_name = max(peaks, key=peaks.__getitem__)
    what = NOUNS.get(kpi, {}).get(lang) or _lower_first(label(kpi, lang))
    ref = names[0]
    values = {"what": what, "low": format_count(peaks[low_name], lang), "low_name": low_name,
              "high": format_count(peaks[high_name], lang), "high_name": high_name,
              "ref_name": ref, "ref": format_count(peaks[ref], lang)}
    if peaks[ref] in (peaks[low_name], peaks[high_name]) and peaks[ref] > 0:
        other = high_name if peaks[ref] == peaks[low_name] else low_name
        key = "comparison_ref_low" if other == high_name else "comparison_ref_high"
        pct = format_percent(abs(peaks[other] / peaks[ref] - 1), lang)
        return _sentence(_say(key, lang, pct=pct, **values))
    return _sentence(_say("comparison", lang, **values))


def finding_fan(band: pd.DataFrame, *, lang: str = "nl", threshold: float | None = None,
                since: str | None = SCENARIO_START) -> str:
    """Where the median of the ensemble peaks and the 90% range at that moment.

    Parameters
    ----------
    band
        Index ``date``, columns ``q05, q50, q95`` (and ``q25, q75``) of COA occupancy.
    threshold
        An occupancy threshold (persons): the sentence says where the band lies against it.
    """
    frame = _future(band, since)
    when = frame["q50"].idxmax()
    row = frame.loc[when]
    text = _say("fan", lang, q50=format_count(row["q50"], lang), month=format_month(when, lang),
                q05=format_count(row["q05"], lang), q95=format_count(row["q95"], lang))
    if threshold is not None and np.isfinite(threshold):
        where = ("fan_median_above" if row["q50"] > threshold
                 else "fan_upper_above" if row["q95"] > threshold else "fan_all_below")
        text += _say("fan_threshold", lang, where=_say(where, lang),
                     threshold=format_count(threshold, lang))
    return _sentence(text)


def finding_gantt(schedule: pd.DataFrame, *, lang: str = "nl", planned: bool = False) -> str:
    """How many measures and capacity increases start when, and when the last is at full strength.

    Parameters
    ----------
    schedule
        A schedule table (see :mod:`sdmodel.briefing.data`): ``kind, start, end`` at least.
    lang
        ``"nl"`` (default) or ``"en"``.
    planned
        The schedule is the planned one of all measures, not a scenario's: the sentence says so.
    """
    if schedule.empty:
        return _sentence(_say("gantt_empty", lang))
    counts = schedule["kind"].value_counts()
    parts = []
    for kind, one, many in (("measure", "measure", "measures"),
                            ("capacity", "capacity", "capacities")):
        n = int(counts.get(kind, 0))
        if n:
            parts.append(_say(one, lang) if n == 1 else _say(many, lang, n=n))
    what = f" {_say('and', lang)} ".join(parts)
    first, last = schedule["start"].min(), schedule["start"].max()
    full = format_month(schedule["end"].max(), lang)
    plan = "_plan" if planned else ""
    number = "one" if len(schedule) == 1 else "many"
    words = {"verb": _say(f"start_{number}", lang), "which": _say(f"which_{number}", lang)}
    if first == last:
        return _sentence(_say(f"gantt{plan}_same_day", lang, what=what,
                              first=format_date(first, lang), full=full, **words))
    return _sentence(_say(f"gantt{plan}", lang, what=what, first=format_month(first, lang),
                          last=format_month(last, lang), full=full, **words))


def finding_pareto(pareto: pd.DataFrame, *, lang: str = "nl") -> str:
    """How much the exceedance falls along the cost range of the Pareto front, and at what cost.

    Parameters
    ----------
    pareto
        Columns ``cost_eur`` and ``exceedance_person_months`` (one row per plan on the front).
    """
    front = pareto.sort_values("cost_eur")
    low, high = front.iloc[0], front.iloc[-1]
    e_low = float(low["exceedance_person_months"])
    e_best = float(front["exceedance_person_months"].min())
    values = {"c_low": format_euro(low["cost_eur"], lang),
              "c_high": format_euro(high["cost_eur"], lang), "e_low": format_count(e_low, lang)}
    if e_best >= e_low:
        return _sentence(_say("pareto_flat", lang, **values))
    half = front[front["exceedance_person_months"] <= e_low - (e_low - e_best) / 2].iloc[0]
    best = front[front["exceedance_person_months"] == e_best].iloc[0]
    return _sentence(_say("pareto", lang, **{**values,
                                             "c_high": format_euro(best["cost_eur"], lang)},
                          e_high=format_count(e_best, lang),
                          c_half=format_euro(half["cost_eur"], lang)))


def finding_calibration(results: pd.DataFrame, observations: pd.DataFrame, series: list[str],
                        *, lang: str = "nl") -> str:
    """The model's mean error against the observed stocks of ``series``, best and worst series."""
    from sdmodel.figures.fit import series_label

    errors = calibration_errors(results, observations, series)
    if errors.empty:
        return _sentence(_say("calibration_none", lang))
    overall = float(np.average(errors["mape"], weights=errors["n"]))
    best = errors.loc[errors["mape"].idxmin()]
    worst = errors.loc[errors["mape"].idxmax()]

    def name(row: pd.Series) -> str:
        return _lower_first(series_label(str(row["series"]), lang))

    return _sentence(_say(
        "calibration", lang, n=format_count(errors["n"].sum(), lang),
        mape=format_percent(overall, lang), best=name(best),
        best_mape=format_percent(best["mape"], lang), worst=name(worst),
        worst_mape=format_percent(worst["mape"], lang),
    ))


def lever_names(schedule: pd.DataFrame, *, lang: str = "nl") -> list[str]:
    """Display names of the levers of a schedule table, in its row order."""
    return [lever_title(r.lever, r.kind, lang) for r in schedule.itertuples()]
