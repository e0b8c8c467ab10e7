"""The one TOML field checker: reading a TOML file and checking its keys and values.

Scenario files, optimisation specs and ``calibration.toml`` are read with :func:`read_toml` and
checked with the helpers here, so every problem is the same kind of one-line
:class:`~sdmodel.errors.DataFileError`: it starts with ``<file>:<line>: [table]`` (see
:class:`Where`), names the key and its value, and says how to fix it, with a did-you-mean for a
misspelt key or choice. A bare name resolves to a file of a folder with :func:`find_toml`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdmodel.errors import DataFileError, did_you_mean


@dataclass(frozen=True)
class Where:
    """Where in which file a key is, for error messages."""

    path: Path
    raw: str

    def at(self, table: str | None, key: str | None = None) -> str:
        """Return ``"<file>:<line>: [table]"`` for ``key`` in ``[table]`` (or its header), or
        ``"<file>:<line>:"`` for a top-level ``key`` (``table=None``)."""
        if table is None:
            return f"{self.path}{line_of(self.raw, None, key)}:"
        return f"{self.path}{line_of(self.raw, table, key)}: [{table}]"


def line_of(raw: str, table: str | None, key: str | None) -> str:
    """Return ``":<line>"`` of ``key`` inside ``[table]`` (or of the header), or ``""``.

    With ``table=None`` the line of a top-level ``key`` or of the header ``[key]``.
    """
    lines = raw.splitlines()
    if table is None:
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                if stripped.split("#")[0].strip() == f"[{key}]":
                    return f":{number}"
                continue
            if key and _defines(stripped, key):
                return f":{number}"
        return ""
    first, *rest = table.split(".")
    quoted = ".".join([first, *(f'"{part.strip(chr(34))}"' for part in rest)])
    plain = ".".join([first, *(part.strip('"') for part in rest)])
    headers = {f"[{plain}]", f"[{quoted}]"}
    start = next(
        (i for i, line in enumerate(lines) if line.split("#")[0].strip() in headers), None
    )
    if start is None:
        return ""
    if key is None:
        return f":{start + 1}"
    for number in range(start + 1, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            break
        if _defines(stripped, key):
            return f":{number + 1}"
    return f":{start + 1}"


def _defines(line: str, key: str) -> bool:
    return any(line.startswith(form) and line[len(form):].lstrip()[:1] == "="
               for form in (key, f'"{key}"', f"'{key}'"))


def read_toml(path: Path | str) -> tuple[dict[str, Any], Where]:
    """Read a TOML file; return its data and a :class:`Where` for the messages about it.

    Raises
    ------
    DataFileError
        If the file is missing, not UTF-8 or not valid TOML.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found; give the path of a TOML file")
    try:
        raw = path.read_text(encoding="utf-8")
        return tomllib.loads(raw), Where(path, raw)
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: not valid UTF-8 ({err.reason}); save it as UTF-8") from err
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{path}: invalid TOML: {err}; fix the syntax there") from err


def find_toml(name_or_path: str | Path, folder: Path, *, what: str,
              names: Sequence[str]) -> Path:
    """Return the file of ``name_or_path``: a path, or a bare name of ``folder/<name>.toml``.

    A value that contains a path separator or ends in ``.toml`` is a path; anything else is a
    name. ``names`` are the names to offer when the file does not exist.

    Raises
    ------
    DataFileError
        If the file does not exist: ``"<what> <path> not found (did you mean ...); give a file
        path or one of: ..."``.
    """
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or "/" in text or "\\" in text
    path = Path(text) if is_path or text.endswith(".toml") else folder / f"{text}.toml"
    if path.is_file():
        return path
    hint = did_you_mean(path.stem, names) if not is_path else ""
    raise DataFileError(f"{what} {path} not found{hint}; give a file path or one of: "
                        f"{', '.join(names) or 'none'}")


def check_keys(body: Mapping[str, Any], allowed: Collection[str], where: Where,
               table: str | None) -> None:
    """Refuse keys of ``[table]`` (top level: ``None``) that are not in ``allowed``."""
    for key in body:
        if key not in allowed:
            raise DataFileError(f"{where.at(table, key)} unknown key '{key}'"
                                f"{did_you_mean(key, allowed)}; allowed keys are: "
                                f"{', '.join(allowed)}")


def sub_table(body: Mapping[str, Any], key: str, where: Where,
              table: str | None = None) -> dict[str, Any]:
    """The table at ``key`` of ``[table]`` (top level: ``None``), empty when absent."""
    value = body.get(key, {})
    if not isinstance(value, dict):
        name = key if table is None else f"{table}.{key}"
        raise DataFileError(f"{where.at(table, key)} '{key}' must be a table; write it as "
                            f"[{name}] with keys below")
    return value


def string(body: Mapping[str, Any], key: str, where: Where, table: str | None,
           default: str | None) -> str | None:
    """A quoted string, or ``default`` when absent."""
    value = body.get(key, default)
    if value is not None and not isinstance(value, str):
        raise DataFileError(f"{where.at(table, key)} '{key}' must be a quoted string, got "
                            f"{value!r}")
    return value


def is_number(value: Any) -> bool:
    """True for a finite int or float (not a bool)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def check_number(value: Any, *, source: str, key: str, low: float = -math.inf,
                 high: float = math.inf, unit: str = "", positive: bool = False) -> float:
    """Return ``value`` as a float after checking it is a number (``> 0`` when ``positive``) in
    ``[low, high]``; ``source`` starts the message (``where.at(table, key)``)."""
    if not is_number(value):
        raise DataFileError(f"{source} {key} = {value!r} is not a number; write a plain number")
    if positive and value <= 0:
        raise DataFileError(f"{source} {key} = {value:g} must be positive")
    if not low <= value <= high:
        unit_text = f" {unit}" if unit else ""
        raise DataFileError(
            f"{source} {key} = {value:g} is outside its range [{low:g}, {high:g}]{unit_text}; "
            "choose a value in that range"
        )
    return float(value)


def number(body: Mapping[str, Any], key: str, where: Where, table: str | None,
           default: float | None, *, low: float = -math.inf, high: float = math.inf,
           unit: str = "", positive: bool = False) -> float | None:
    """A number of ``[table]`` (see :func:`check_number`), or ``default`` when absent."""
    if key not in body:
        return default
    return check_number(body[key], source=where.at(table, key), key=key, low=low, high=high,
                        unit=unit, positive=positive)


def integer(body: Mapping[str, Any], key: str, where: Where, table: str | None,
            default: int | None, *, low: int) -> int | None:
    """A whole number ``>= low``, or ``default`` when absent."""
    if key not in body:
        return default
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise DataFileError(f"{where.at(table, key)} {key} = {value!r} must be a whole number "
                            f">= {low}")
    return int(value)


def choice(body: Mapping[str, Any], key: str, allowed: Sequence[str], where: Where,
           table: str | None, default: str) -> str:
    """One of ``allowed`` (with a did-you-mean), or ``default`` when absent."""
    value = body.get(key, default)
    if value not in allowed:
        raise DataFileError(f"{where.at(table, key)} {key} = {value!r} is not one of "
                            f"{', '.join(allowed)}{did_you_mean(str(value), allowed)}")
    return str(value)


def boolean(body: Mapping[str, Any], key: str, where: Where, table: str | None,
            default: bool) -> bool:
    """``true`` or ``false``, or ``default`` when absent."""
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise DataFileError(f"{where.at(table, key)} {key} = {value!r} must be true or false")
    return value
