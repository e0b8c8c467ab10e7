"""The sentences of the sensitivity and discovery results, computed from their tables.

- :func:`parameter_label` and :func:`reason`: how a sampled quantity is named in a figure and
  why its range is what it is (the .mdl comment's ``assumption:`` reason, else its source);
- :func:`tornado_finding`: what a KPI depends on most (the figure title and briefing finding);
- :func:`discovery_reading`: the one-sentence reading of a PRIM box ("in 84% of the futures in
  which ... the grant rate is above 0.52 and ...").

They take the tables the commands write (``parameters.csv``, ``indices.csv``, ``boxes.csv``), so
the briefing reads the same sentences from an output folder.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sdmodel.figures.formats import format_number, format_percent
from sdmodel.figures.labels_robustness import ROBUSTNESS_TEXT, rtext

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_ASSUMPTION = re.compile(r"\bassumption\s*:?\s*(.*)", re.IGNORECASE | re.DOTALL)
_SENTENCE = re.compile(r"(.+?[.;])(?:\s|$)", re.DOTALL)
REASON_CHARS = 150


def parameter_label(name: str, kind: str, *, lang: str = "nl") -> str:
    """Name of a sampled quantity in figures: the Vensim name, a measure's effect as
    ``<measure title>: <effect>``, the band and the calibration draw in words."""
    if kind == "band":
        return rtext("band", lang)
    if kind == "calibration":
        return rtext("calibration", lang)
    if kind == "calibrated":
        return f"{name} ({rtext('calibrated', lang)})"
    if kind == "effect" and "." in name:
        from sdmodel.scenarios.measures import MEASURES

        measure, key = name.split(".", 1)
        if measure in MEASURES:
            title = MEASURES[measure].title if lang == "nl" else MEASURES[measure].title_en
            return f"{title}: {key.replace('_', ' ')}"
    return name


def reason(source: str, kind: str, *, lang: str = "nl") -> str:
    """Why a quantity varies as it does, in one short line: the ``assumption:`` reason of its
    comment (with the comment's first sentence when the reason alone says little), else the
    start of its source."""
    text = " ".join(str(source).split())
    if kind == "band":
        return rtext("band_reason", lang)
    if kind == "calibration":
        folder = "/".join(text.replace("\\", "/").split("/")[-3:-1])
        return f"{rtext('source', lang)}: {folder}/bootstrap.csv ({rtext('refits', lang)})"
    label = rtext("source", lang)
    if kind == "effect" and text.startswith("no figure"):
        text, label = text.removeprefix("no figure").lstrip("; "), rtext("assumption", lang)
    found = _ASSUMPTION.search(text)
    if found and found.group(1):
        body, label = _first_sentence(found.group(1)), rtext("assumption", lang)
        before = _first_sentence(text[:found.start()])
        if len(body) < 30 and before:
            body = f"{before} ({body})"
    else:
        body = _first_sentence(text)
    if len(body) > REASON_CHARS:
        body = body[:REASON_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"{label}: {body}"


def _first_sentence(text: str) -> str:
    """The first sentence (to its full stop or semicolon, when that is not too short)."""
    sentence = _SENTENCE.match(text.strip())
    body = sentence.group(1) if sentence and len(sentence.group(1)) >= 25 else text.strip()
    return body.rstrip(" ;.")


def kpi_phrase(kpi: str, lang: str = "nl") -> str:
    """A KPI as the subject of a sentence."""
    from sdmodel.figures.labels import TEXT, text

    key = f"kpi_{kpi}"
    if key in ROBUSTNESS_TEXT:
        return rtext(key, lang)
    return text(key, lang) if key in TEXT else kpi


def tornado_finding(top: pd.DataFrame, *, kpi: str, scenario: str, method: str,
                    lang: str = "nl") -> str:
    """The finding of a tornado chart: the three quantities ``kpi`` depends on most.

    Parameters
    ----------
    top
        The rows of indices.csv for ``kpi``, most influential first, with ``label`` added.
    kpi, scenario, method
        What was analysed.
    lang
        ``"nl"`` or ``"en"``.
    """
    subject = kpi_phrase(kpi, lang)
    if top.empty:
        return rtext("tornado_none", lang).format(kpi=subject, scenario=scenario) + "."
    key = "ST" if method == "sobol" else "mu_star"
    values = [_index(v, method, lang) for v in top[key].head(3)]
    labels = list(top["label"].head(3))
    rest = ""
    if len(labels) > 1:
        parts = [f"{name} ({value})" for name, value in zip(labels[1:], values[1:], strict=True)]
        joined = parts[0] if len(parts) == 1 else f"{parts[0]} {rtext('and', lang)} {parts[1]}"
        rest = f", {rtext('then', lang)} {joined}"
    return rtext(f"tornado_title_{method}", lang).format(
        kpi=subject, scenario=scenario, first=labels[0], st1=values[0], rest=rest) + "."


def _index(value: float, method: str, lang: str) -> str:
    if method == "sobol":
        return format_number(round(float(value), 2), lang, decimals=2)
    return format_number(round(float(value)), lang, decimals=0)


def limit_phrase(row: pd.Series, *, lang: str = "nl") -> str:
    """``<label> boven 0,52`` / ``below`` / ``between`` for one restricted dimension."""
    low, high = _short(row["low"], lang), _short(row["high"], lang)
    where = rtext(str(row["side"]), lang).format(low=low, high=high)
    return rtext("reading_limit", lang).format(name=row["label"], where=where)


def _short(value: float, lang: str) -> str:
    value = float(value)
    if abs(value) >= 100:
        return format_number(round(value), lang, decimals=0)
    return format_number(float(f"{value:.2g}") if abs(value) < 1 else round(value, 1), lang)


def discovery_reading(boxes: pd.DataFrame, *, condition: str, failing: int, total: int,
                      lang: str = "nl") -> str:
    """The one-sentence reading of the first box (boxes.csv rows with ``label`` and ``side``).

    With no failing future, every future failing, or no box, says so instead.
    """
    count = {"failing": format_number(failing, lang), "total": format_number(total, lang),
             "condition": condition}
    if failing == 0:
        return rtext("reading_none", lang).format(**count) + "."
    if failing == total:
        return rtext("reading_all", lang).format(**count) + "."
    first = boxes[boxes["box"] == boxes["box"].min()] if len(boxes) else boxes
    if first.empty:
        return rtext("reading_no_box", lang).format(**count) + "."
    phrases = [limit_phrase(row, lang=lang) for _, row in first.iterrows()]
    joined = (phrases[0] if len(phrases) == 1
              else f"{', '.join(phrases[:-1])} {rtext('and', lang)} {phrases[-1]}")
    return rtext("reading", lang).format(
        coverage=format_percent(float(first["coverage"].iloc[0]), lang),
        density=format_percent(float(first["density"].iloc[0]), lang), limits=joined, **count) + "."
