"""Numbers and dates in words, the Dutch way by default: ``1.234,5``, ``€ 2,1 mld``, ``maart 2024``.

English (``lang="en"``) gives ``1,234.5``, ``EUR 2.1 bn``, ``March 2024``. Month names are spelled
out here, so nothing depends on the machine's locale. Figures, findings and the briefing's
tables all format their numbers here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sdmodel.figures.labels import check_lang

if TYPE_CHECKING:
    import pandas as pd

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def format_number(value: float, lang: str = "nl", *, decimals: int | None = None) -> str:
    """Format a number with thousands separators, the Dutch way by default.

    Parameters
    ----------
    value
        The number.
    lang
        ``"nl"``: ``1.234,5``; ``"en"``: ``1,234.5``.
    decimals
        Fixed number of decimals; ``None``: none for whole numbers, else up to two (trailing
        zeros dropped).

    Returns
    -------
    str
        E.g. ``format_number(63012.4, decimals=0) == "63.012"``.
    """
    value = float(value)
    if decimals is not None:
        out = f"{value:,.{decimals}f}"
    elif value.is_integer():
        out = f"{value:,.0f}"
    else:
        out = f"{value:,.2f}".rstrip("0").rstrip(".")
    if out.startswith("-") and float(out[1:].replace(",", "")) == 0:
        out = out[1:]
    if check_lang(lang) == "nl":
        out = out.translate(str.maketrans({",": ".", ".": ","}))
    return out


def format_count(value: float, lang: str = "nl") -> str:
    """Format a count of people or cases for a sentence: 3 significant digits, Dutch separators.

    ``63012 -> "63.000"``, ``1234 -> "1.230"``, ``87 -> "87"``.
    """
    value = float(value)
    if abs(value) >= 1000:
        digits = len(str(int(abs(value)))) - 3
        value = round(value, -digits)
    return format_number(round(value), lang, decimals=0)


def format_percent(fraction: float, lang: str = "nl", *, decimals: int = 0) -> str:
    """Format a fraction as a percentage: ``0.283 -> "28%"`` (``"28,3%"`` with one decimal)."""
    return f"{format_number(100 * fraction, lang, decimals=decimals)}%"


def format_euro(value: float, lang: str = "nl", *, decimals: int = 1) -> str:
    """Format an amount in euros in millions or billions: ``"€ 2,1 mld"`` / ``"EUR 2.1 bn"``."""
    check_lang(lang)
    prefix = "€ " if lang == "nl" else "EUR "
    if abs(value) >= 1e9:
        unit = "mld" if lang == "nl" else "bn"
        return f"{prefix}{format_number(value / 1e9, lang, decimals=decimals)} {unit}"
    if abs(value) >= 1e6:
        unit = "mln" if lang == "nl" else "m"
        return f"{prefix}{format_number(value / 1e6, lang, decimals=decimals)} {unit}"
    return f"{prefix}{format_number(round(value), lang, decimals=0)}"


def format_month(date: dt.date | pd.Timestamp, lang: str = "nl") -> str:
    """Format a month: ``"maart 2024"`` (nl), ``"March 2024"`` (en)."""
    return f"{MONTHS[check_lang(lang)][date.month - 1]} {date.year}"


def format_date(date: dt.date | pd.Timestamp, lang: str = "nl") -> str:
    """Format a day: ``"12 juni 2026"`` (nl), ``"12 June 2026"`` (en)."""
    return f"{date.day} {format_month(date, lang)}"
