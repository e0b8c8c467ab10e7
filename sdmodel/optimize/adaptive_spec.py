"""Rules in optimisation specs: ``[[rules]]`` with the ranges searched, and ``[adaptive]``.

See :mod:`sdmodel.optimize.adaptive` for the search and the comparison. :func:`parse_adaptive`
reads the spec's tables (one-line errors naming the file, line, rule and key); :func:`decode`
and :func:`as_written` map decision vectors to rules and back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sdmodel.errors import DataFileError
from sdmodel.scenarios.rules import Rule, parse_rules, rule_where

SEARCH_KEYS: tuple[str, ...] = ("threshold", "until_threshold", "amount", "months")
ADAPTIVE_KEYS: tuple[str, ...] = ("max_evals", "seed")
@dataclass(frozen=True)
class RuleChoice:
    """A spec rule and the ranges searched: ``(field, low, high)`` (see :data:`SEARCH_KEYS`)."""

    rule: Rule
    ranges: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class AdaptiveSpec:
    """The spec's rules and the adaptive search's budget and seed."""

    rules: tuple[RuleChoice, ...]
    max_evals: int = 60
    seed: int | None = None


def parse_adaptive(data: Mapping[str, Any], *, path: object, raw: str) -> AdaptiveSpec | None:
    """Read a spec's ``[[rules]]`` (with ``search`` ranges) and ``[adaptive]``; ``None``
    without rules.

    Raises
    ------
    DataFileError
        One line naming the file, line, rule and key: a bad rule, an unknown ``search`` key,
        a range that is not ``[low, high]``, or a range for a field the rule does not have.
    """
    tables = data.get("rules")
    adaptive = data.get("adaptive", {})
    if not isinstance(adaptive, Mapping):
        raise DataFileError(f"{path}: [adaptive] must be a table (max_evals, seed)")
    unknown = set(adaptive) - set(ADAPTIVE_KEYS)
    if unknown:
        raise DataFileError(f"{path}: [adaptive] {sorted(unknown)[0]} is not a key; use "
                            + ", ".join(ADAPTIVE_KEYS))
    if tables is None:
        if adaptive:
            raise DataFileError(f"{path}: [adaptive] without [[rules]]; add the rules to search")
        return None
    if not isinstance(tables, list) or not all(isinstance(t, Mapping) for t in tables):
        raise DataFileError(f"{path}: rules must be an array of tables, [[rules]]")
    rules = parse_rules([{k: v for k, v in t.items() if k != "search"} for t in tables],
                        path=path, raw=raw)
    choices = []
    for i, (table, rule) in enumerate(zip(tables, rules, strict=True)):
        where = rule_where(str(path), raw, i, "search")
        search = table.get("search", {})
        if not isinstance(search, Mapping):
            raise DataFileError(f"{where} search must be a table, e.g. "
                                "search = { threshold = [1500, 3000] }")
        ranges = []
        for key, value in search.items():
            if key not in SEARCH_KEYS:
                raise DataFileError(f"{where} search.{key} is not a searchable field; use "
                                    + ", ".join(SEARCH_KEYS))
            if (not isinstance(value, list) or len(value) != 2
                    or not all(isinstance(v, int | float) and not isinstance(v, bool)
                               for v in value) or value[0] > value[1]):
                raise DataFileError(f"{where} search.{key} = {value!r} is not a range; write "
                                    f"[low, high], e.g. {key} = [1, 10]")
            if ((key == "until_threshold" and rule.until is None)
                    or (key == "amount" and rule.then.kind != "release")
                    or (key == "months" and rule.then.kind == "pause")):
                raise DataFileError(f"{where} search.{key}: this rule has no such field "
                                    f"({rule.then})")
            low, high = float(value[0]), float(value[1])
            try:  # both ends must make a valid rule
                _with(rule, key, low), _with(rule, key, high)
            except DataFileError as err:
                raise DataFileError(f"{where} search.{key}: {err}") from err
            ranges.append((key, low, high))
        choices.append(RuleChoice(rule, tuple(ranges)))
    evals = adaptive.get("max_evals", 60)
    seed = adaptive.get("seed")
    if isinstance(evals, bool) or not isinstance(evals, int) or evals < 1:
        raise DataFileError(f"{path}: [adaptive] max_evals = {evals!r}; give a whole number >= 1")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise DataFileError(f"{path}: [adaptive] seed = {seed!r}; give a whole number")
    return AdaptiveSpec(tuple(choices), int(evals), seed)


def _with(rule: Rule, key: str, value: float) -> Rule:
    """``rule`` with one searched field set (validated as a scenario file's would be)."""
    from sdmodel.scenarios.rules import check_value

    check_value(rule, key, value)
    if key == "threshold":
        return dataclasses.replace(rule, when=dataclasses.replace(rule.when, threshold=value))
    if key == "until_threshold":
        return dataclasses.replace(rule, until=dataclasses.replace(rule.until, threshold=value))
    return dataclasses.replace(rule, then=dataclasses.replace(rule.then, **{key: value}))


def decode(spec: AdaptiveSpec, x: Sequence[float]) -> tuple[Rule, ...]:
    """The rules with the searched fields set from ``x`` (the ranges in spec order)."""
    values, out = iter(x), []
    for choice in spec.rules:
        rule = choice.rule
        for key, _, _ in choice.ranges:
            rule = _with(rule, key, float(next(values)))
        out.append(rule)
    return tuple(out)


def as_written(spec: AdaptiveSpec) -> np.ndarray:
    """The decision vector of the rules as written (clipped into their ranges)."""
    def field(rule: Rule, key: str) -> float:
        return {"threshold": rule.when.threshold,
                "until_threshold": rule.until.threshold if rule.until else 0.0,
                "amount": rule.then.amount, "months": rule.then.months}[key]
    return np.array([min(max(field(c.rule, key), low), high)
                     for c in spec.rules for key, low, high in c.ranges])
