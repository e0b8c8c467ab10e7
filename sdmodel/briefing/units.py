"""Units of the .mdl as a reader writes them: ``hour/(FTE*Month)`` -> ``uur per fte per maand``.

Vensim units (``person/Month``, ``EUR/(person*Year)``, ``dmnl``) are the modeller's notation;
the briefing's tables show them in words of the page language, joined by non-breaking spaces so
a table cell never breaks a unit across lines. A unit this module does not know is shown as
written in the .mdl.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

WORDS: dict[str, tuple[str, str, str, str]] = {
    # Vensim unit: (nl singular, nl plural, en singular, en plural)
    "month": ("maand", "maanden", "month", "months"),
    "year": ("jaar", "jaar", "year", "years"),
    "week": ("week", "weken", "week", "weeks"),
    "day": ("dag", "dagen", "day", "days"),
    "hour": ("uur", "uur", "hour", "hours"),
    "person": ("persoon", "personen", "person", "persons"),
    "place": ("plaats", "plaatsen", "place", "places"),
    "home": ("woning", "woningen", "home", "homes"),
    "fte": ("fte", "fte", "FTE", "FTE"),
    "eur": ("euro", "euro", "EUR", "EUR"),
    "decision": ("besluit", "besluiten", "decision", "decisions"),
    "case": ("zaak", "zaken", "case", "cases"),
    "location": ("locatie", "locaties", "location", "locations"),
    "municipality": ("gemeente", "gemeenten", "municipality", "municipalities"),
}
DIMENSIONLESS = {"dmnl": ("fractie", "fraction"), "1": ("fractie", "fraction"),
                 "factor": ("factor", "factor"),
                 "person/person": ("fractie", "fraction"), "place/place": ("fractie", "fraction")}


def _word(unit: str, lang: str, *, plural: bool) -> str | None:
    entry = WORDS.get(unit.strip().lower().rstrip("s")) or WORDS.get(unit.strip().lower())
    if entry is None:
        return None
    nl_one, nl_many, en_one, en_many = entry
    if lang == "nl":
        return nl_many if plural else nl_one
    return en_many if plural else en_one


def readable_unit(units: str, lang: str) -> str:
    """Return the Vensim ``units`` in words of ``lang``, held together by non-breaking spaces.

    ``person/Month`` -> ``personen per maand``; ``EUR/(person*Year)`` -> ``euro per persoon per
    jaar``; ``1/Year`` -> ``per jaar``; ``Month`` -> ``maanden``; ``dmnl`` -> ``fractie``.
    Units with other operators (powers, sums) are returned as written.
    """
    raw = " ".join(str(units or "").split())
    if not raw:
        return ""
    if raw.lower() in DIMENSIONLESS:
        return DIMENSIONLESS[raw.lower()][0 if lang == "nl" else 1]
    match = re.fullmatch(r"([^/()]+?)\s*(?:/\s*\(?([^()]+?)\)?)?", raw)
    if not match:
        return raw
    top, bottom = match.group(1), match.group(2)
    above = [] if top.strip() == "1" else [_word(u, lang, plural=True) for u in top.split("*")]
    below = [_word(u, lang, plural=False) for u in bottom.split("*")] if bottom else []
    if None in above or None in below:
        return raw
    text = " × ".join(above)  # type: ignore[arg-type]
    for word in below:
        text = f"{text} per {word}".strip()
    return text.replace(" ", NBSP)
