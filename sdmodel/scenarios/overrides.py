"""Constants a scenario sets from 2014 on: the ``[set]`` table and ``--set NAME=VALUE`` options.

Each override must name a constant of the model and lie within its ``[min, max]`` range in the .mdl;
:func:`check_override` checks one, :func:`validate_overrides` a table of them,
:func:`parse_set_option` reads one ``--set`` option
(:func:`sdmodel.scenarios.scenario.resolve_overrides` applies them after a scenario's own). Every
problem names where the value came from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sdmodel.errors import AsielketenError, DataFileError, UnknownVariableError, did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.engine.model import ChainModel


def validate_overrides(
    overrides: Mapping[str, float], *, model: ChainModel, source: str
) -> dict[str, float]:
    """Check that each override names a model constant and lies within its range.

    Parameters
    ----------
    overrides
        Vensim name -> value.
    model
        The model whose ``names()`` and ``doc()`` (kind, min, max) are checked against.
    source
        Where the overrides come from (e.g. ``"--set"`` or ``"<file>: [set]"``), used to start
        every error message.

    Returns
    -------
    dict
        The overrides as floats.

    Raises
    ------
    UnknownVariableError
        If a name is not a model variable (with did-you-mean suggestions).
    DataFileError
        If a variable is not a constant, a value is not finite, or it lies outside ``[min, max]``.
    """
    if not overrides:
        return {}
    names, doc = model.names(), doc_by_name(model)
    return {
        name: check_override(name, value, names=names, doc=doc, source=source)
        for name, value in overrides.items()
    }


def check_override(
    name: str, value: float, *, names: list[str], doc: Mapping[str, Mapping[str, Any]], source: str
) -> float:
    """Return ``value`` as a float after checking it against the model (see validate_overrides)."""
    if name not in names:
        raise UnknownVariableError(
            f"{source} '{name}' is not a model variable{did_you_mean(name, names)}; "
            "see `asielketen doc --kind constant` for the names"
        )
    row = doc.get(name, {})
    kind = row.get("kind")
    if kind is not None and kind != "constant":
        raise DataFileError(
            f"{source} '{name}' is not a constant (its kind is '{kind}'); "
            "only constants can be set"
        )
    value = float(value)
    if not math.isfinite(value):
        raise DataFileError(f"{source} '{name}' = {value} is not a finite number")
    low, high = _bound(row.get("min")), _bound(row.get("max"))
    if (low is not None and value < low) or (high is not None and value > high):
        raise DataFileError(
            f"{source} '{name}' = {value:g} is outside its range "
            f"[{_fmt(low)}, {_fmt(high)}]; choose a value in that range"
        )
    return value


def parse_set_option(text: str) -> tuple[str, float]:
    """Parse one ``--set NAME=VALUE`` option.

    Parameters
    ----------
    text
        E.g. ``"base time to acquire regular capacity=12"``.

    Returns
    -------
    tuple
        ``(name, value)`` with surrounding spaces removed from the name.

    Raises
    ------
    AsielketenError
        If there is no ``=``, the name is empty, or the value is not a finite number.
    """
    name, sep, value_text = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise AsielketenError(
            f"'{text}' is not NAME=VALUE; write e.g. --set \"time to acquire regular capacity=12\""
        )
    try:
        value = float(value_text.strip())
    except ValueError:
        hint = " (use a dot as decimal separator)" if "," in value_text else ""
        raise AsielketenError(
            f"'{text}': '{value_text.strip()}' is not a number{hint}; "
            "write NAME=VALUE with a number"
        ) from None
    if not math.isfinite(value):
        raise AsielketenError(f"'{text}': the value must be a finite number")
    return name, value


def doc_by_name(model: ChainModel) -> dict[str, dict[str, Any]]:
    """The model's ``doc()`` by variable name (kind, units, min, max, comment)."""
    doc = model.doc()
    if "name" in doc.columns:
        doc = doc.set_index("name")
    return {str(k): v for k, v in doc.to_dict(orient="index").items()}


def _bound(value: Any) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"
