"""Errors that reach the user.

Every error carries a one-line message that names the file, line or field at fault and says how to
fix it. The CLI turns them into a click error (non-zero exit); library code never prints or exits.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class AsielketenError(Exception):
    """Base class: the message is a complete, one-line explanation for the user."""


class ModelFileError(AsielketenError):
    """A .mdl file cannot be read, translated or run."""


class UnknownVariableError(AsielketenError, KeyError):
    """A name given by the user is not a variable of the model."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class DataFileError(AsielketenError):
    """A data file (CSV, TOML) is missing, malformed or inconsistent."""


class OutputExistsError(AsielketenError):
    """An output folder exists and --force was not given."""


def did_you_mean(name: str, candidates: Iterable[str], *, n: int = 3) -> str:
    """Return ``" (did you mean 'a', 'b'?)"`` for the closest candidates, or ``""``.

    Parameters
    ----------
    name
        The unknown name as the user wrote it.
    candidates
        The valid names.
    n
        At most this many suggestions.
    """
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    if not matches:
        return ""
    return " (did you mean " + ", ".join(f"'{lowered[m]}'" for m in matches) + "?)"
