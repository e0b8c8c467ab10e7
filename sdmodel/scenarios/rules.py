"""Adaptive rules in scenario files (``[[rules]]``) -> the inputs of the .mdl's rule slots.

A rule watches a KPI, and when its condition has held for a window it acts::

    [[rules]]
    name = "coa-vol"
    when = "coa_occupancy_share > 0.97 for 2 months"
    then = { postpone = "huisvestingswet", months = 6 }
    until = "coa_occupancy_share < 0.9 for 3 months"      # optional

Actions (``then``):

- ``{ pause = "<measure>" }``: the measure's schedule stands still from the firing date until
  the ``until`` condition holds (to the end of the run without one);
- ``{ postpone = "<measure>", months = N }``: it stands still for N months (or until ``until``),
  so the rest of its schedule, its next milestone included, comes N months later;
- ``{ release = "<lever>", amount = A, lead_months = L }``: A (in the lever's units) is funded
  on the lever from L months after firing until ``until`` holds; the lever's own build-up
  delays in the .mdl follow, and it is costed like the lever.

The rules are model structure: the .mdl has :data:`SLOTS` generic rule slots (group ``.Rules``)
whose KPI, threshold, direction, window, end condition and action are inputs, so PySD and the
batch backends run the same latch, and every run of an ensemble fires at its own dates. This
module parses and checks the rules; :mod:`sdmodel.scenarios.rule_inputs` turns them into those
inputs and reads the firing dates back. A condition counts only from the end of the history; a rule
fires once, at the first time step at which its condition has held for the window without a
break (the step included).

Only the measures whose inputs the .mdl's slots reach can be paused (:data:`RULE_MEASURES`);
their effect on each input must be proportional to their intensity in the scenario (not
clipped, not outweighed by another measure's target), which
:func:`sdmodel.scenarios.rule_inputs.rule_inputs` checks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from sdmodel.errors import AsielketenError, DataFileError, did_you_mean
from sdmodel.scenarios.measures import LEVERS, MEASURES

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.scenarios.measures import MeasureSetting

SLOTS = 3
"""Rule slots in the .mdl (``rule 1 ...`` to ``rule 3 ...``)."""
RULE_KPIS: dict[str, int] = {
    "coa_occupancy_share": 1,
    "ter_apel_occupancy": 2,
    "ind_pending_asylum": 3,
    "status_holders_beyond_norm": 4,
    "undocumented_on_street": 5,
    "coa_occupancy_total": 6,
}
"""KPI a rule may watch -> its number in the .mdl's rule slots (``rule k KPI``): the COA
occupancy as a share of the regular places, then persons."""
RULE_MEASURES: dict[str, tuple[int, str]] = {
    "huisvestingswet": (1, "housing act"),
    "spreidingswet": (2, "spreidingswet repeal"),
    "lvv": (3, "LVV abolition"),
}
"""Measure a rule may pause or postpone -> its number in the rule slots and the prefix of its
schedule inputs in the .mdl (``housing act schedule start`` ...)."""
RULE_LEVERS: dict[str, int] = {
    "ind_staff": 1, "coa_places": 2, "court_capacity": 3, "flex_housing": 4, "dtv_capacity": 5,
}
"""Lever a rule may release -> its number in the rule slots (``rule k lever``)."""
HOLD_FOREVER = 264.0
"""``rule k hold time`` of a pause: the whole run (the input's upper bound, FINAL TIME)."""
MAX_WINDOW = 60.0
MAX_THRESHOLD = 1e6
MAX_MILESTONES = 2
"""Milestones the .mdl's schedule inputs of a paused measure can hold."""

ActionKind = Literal["pause", "postpone", "release"]
ACTION_KINDS: tuple[str, ...] = get_args(ActionKind)
_CONDITION = re.compile(
    r"^\s*(?P<kpi>[a-z_]+)\s*(?P<op>[<>]=?|==|=)\s*(?P<value>[-+0-9.eE_]+)"
    r"(?:\s+for\s+(?P<window>[0-9.]+)\s+months?)?\s*$"
)
_ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "pause": ("pause",), "postpone": ("postpone", "months"),
    "release": ("release", "amount", "lead_months"),
}


class RuleError(AsielketenError):
    """A rule that cannot be run (its measure not in the scenario, more rules than slots...)."""


@dataclass(frozen=True)
class Condition:
    """``kpi > threshold for window months`` (or ``<``)."""

    kpi: str
    above: bool
    threshold: float
    window: float = 0.0

    def __str__(self) -> str:
        text = f"{self.kpi} {'>' if self.above else '<'} {self.threshold:g}"
        if not self.window:
            return text
        return text + f" for {self.window:g} month{'' if self.window == 1 else 's'}"


@dataclass(frozen=True)
class Action:
    """What a rule does when it fires: pause or postpone a measure, or release a lever."""

    kind: ActionKind
    target: str
    months: float = 0.0
    amount: float = 0.0

    def __str__(self) -> str:
        if self.kind == "pause":
            return f"pause {self.target}"
        if self.kind == "postpone":
            return f"postpone {self.target} {self.months:g} months"
        return f"release {self.target} {self.amount:g} after {self.months:g} months"


@dataclass(frozen=True)
class Rule:
    """A scenario rule: when a condition holds for a window, act until an end condition."""

    name: str
    when: Condition
    then: Action
    until: Condition | None = None


def rule_where(raw_path: str, raw: str, index: int, key: str | None) -> str:
    """``<file>:<line>: [[rules]] #<index+1>`` with the line of ``key`` in that table."""
    lines, seen, start = raw.splitlines(), -1, None
    for number, line in enumerate(lines):
        if line.split("#")[0].strip() == "[[rules]]":
            seen += 1
            if seen == index:
                start = number
                break
    if start is None:
        return f"{raw_path}: [[rules]] #{index + 1}"
    found = start
    for number in range(start + 1, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            break
        if key and stripped.startswith(key) and stripped[len(key):].lstrip()[:1] == "=":
            found = number
            break
    return f"{raw_path}:{found + 1}: [[rules]] #{index + 1}"


def parse_condition(text: Any, *, source: str) -> Condition:
    """Parse ``"<kpi> > <number> [for <N> months]"`` (or ``<``).

    Raises
    ------
    DataFileError
        For a malformed condition, an unknown KPI, ``>=``/``<=``/``=``, a negative or too large
        threshold or window.
    """
    example = '"coa_occupancy_share > 0.97 for 2 months"'
    if not isinstance(text, str):
        raise DataFileError(f"{source} {text!r} is not a condition; write e.g. {example}")
    match = _CONDITION.match(text)
    if match is None:
        raise DataFileError(f"{source} '{text}' is not a condition; write '<kpi> > <number>' "
                            f"or '<kpi> < <number>', optionally 'for <N> months', e.g. {example}")
    kpi, op = match["kpi"], match["op"]
    if kpi not in RULE_KPIS:
        raise DataFileError(f"{source} '{text}': unknown KPI '{kpi}'"
                            + did_you_mean(kpi, RULE_KPIS) + "; rules can watch "
                            + ", ".join(RULE_KPIS))
    if op not in (">", "<"):
        raise DataFileError(f"{source} '{text}': use '>' or '<' (the condition is strict), "
                            f"not '{op}'")
    try:
        threshold = float(match["value"])
        window = float(match["window"]) if match["window"] else 0.0
    except ValueError as err:
        raise DataFileError(f"{source} '{text}' has a number that is not one; write e.g. "
                            f"{example}") from err
    if not 0 <= threshold <= MAX_THRESHOLD:
        raise DataFileError(f"{source} '{text}': threshold {threshold:g} is outside "
                            f"[0, {MAX_THRESHOLD:g}]")
    if not 0 <= window <= MAX_WINDOW:
        raise DataFileError(f"{source} '{text}': window {window:g} months is outside "
                            f"[0, {MAX_WINDOW:g}]")
    return Condition(kpi, op == ">", threshold, window)


def _number(table: Mapping, key: str, *, source: str, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DataFileError(f"{source} then.{key} = {value!r} is not a number; write e.g. "
                            f"{key} = {int(min(max(6, low), high))}")
    if not low <= value <= high:
        raise DataFileError(f"{source} then.{key} = {value:g} is outside [{low:g}, {high:g}]")
    return float(value)


def parse_action(table: Any, *, source: str) -> Action:
    """Parse ``then``: ``{pause = M}``, ``{postpone = M, months = N}`` or ``{release = L,
    amount = A, lead_months = T}``.

    Raises
    ------
    DataFileError
        For a malformed action, an unknown measure or lever, a missing or extra key, or a
        number outside its range.
    """
    example = '{ postpone = "huisvestingswet", months = 6 }'
    if not isinstance(table, Mapping):
        raise DataFileError(f"{source} then = {table!r} is not an action; write e.g. {example}")
    kinds = [k for k in ACTION_KINDS if k in table]
    if len(kinds) != 1:
        raise DataFileError(f"{source} then needs exactly one of {', '.join(ACTION_KINDS)}; "
                            f"write e.g. {example}")
    kind = kinds[0]
    extra = set(table) - set(_ACTION_KEYS[kind])
    if extra:
        raise DataFileError(f"{source} then.{sorted(extra)[0]} is not a key of a {kind} "
                            f"action; it takes {', '.join(_ACTION_KEYS[kind])}")
    target = table[kind]
    if kind in ("pause", "postpone"):
        if target not in RULE_MEASURES:
            known = "" if target in MEASURES else did_you_mean(str(target), RULE_MEASURES)
            raise DataFileError(
                f"{source} then.{kind} = {target!r}: rules can hold "
                + ", ".join(RULE_MEASURES) + known
                + ("" if target not in MEASURES else
                   " (the measures whose inputs the .mdl's rule slots reach)"))
        months = (_number(table, "months", source=source, low=1, high=HOLD_FOREVER)
                  if kind == "postpone" else 0.0)
        return Action(kind, target, months=months)
    if target not in RULE_LEVERS:
        raise DataFileError(f"{source} then.release = {target!r} is not a capacity lever"
                            + did_you_mean(str(target), RULE_LEVERS) + "; use one of "
                            + ", ".join(RULE_LEVERS))
    lever = LEVERS[target]
    amount = _number(table, "amount", source=source, low=0, high=min(lever.high, 50000))
    lead = _number(table, "lead_months", source=source, low=0, high=MAX_WINDOW)
    return Action(kind, target, months=lead, amount=amount)


def parse_rules(data: Any, *, path: object, raw: str) -> tuple[Rule, ...]:
    """Parse a scenario file's ``[[rules]]`` (an array of tables) into rules.

    Raises
    ------
    DataFileError
        One line naming the file, line, rule and key, for a bad rule or more than
        :data:`SLOTS` rules.
    """
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(t, Mapping) for t in data):
        raise DataFileError(f"{path}: rules must be an array of tables, [[rules]]")
    if len(data) > SLOTS:
        raise DataFileError(f"{rule_where(str(path), raw, SLOTS, None)}: the model has "
                            f"{SLOTS} rule slots; give at most {SLOTS} rules")
    rules, names = [], set()
    for i, table in enumerate(data):
        def at(key: str | None, _i: int = i) -> str:
            return rule_where(str(path), raw, _i, key)

        extra = set(table) - {"name", "when", "then", "until"}
        if extra:
            key = sorted(extra)[0]
            raise DataFileError(f"{at(key)} '{key}' is not a key of a rule; use name, when, "
                                "then and until" + did_you_mean(key, ("name", "when", "then",
                                                                       "until")))
        for key in ("when", "then"):
            if key not in table:
                raise DataFileError(f"{at(None)} has no '{key}'; a rule needs when and then")
        name = str(table.get("name", f"regel-{i + 1}"))
        if name in names:
            raise DataFileError(f"{at('name')} name '{name}' is used twice; give each rule "
                                "its own name")
        names.add(name)
        until = table.get("until")
        rules.append(Rule(
            name,
            parse_condition(table["when"], source=at("when") + " when"),
            parse_action(table["then"], source=at("then")),
            None if until is None else parse_condition(until, source=at("until") + " until"),
        ))
    return tuple(rules)


def check_value(rule: Rule, key: str, value: float) -> None:
    """Check a searched field's value as a scenario file's would be checked.

    Raises
    ------
    DataFileError
        If ``value`` lies outside the field's range.
    """
    if key in ("threshold", "until_threshold"):
        low, high = 0.0, MAX_THRESHOLD
    elif key == "amount":
        low, high = 0.0, min(LEVERS[rule.then.target].high, 50000)
    else:
        low, high = (1.0, HOLD_FOREVER) if rule.then.kind == "postpone" else (0.0, MAX_WINDOW)
    if not low <= value <= high:
        raise DataFileError(f"rule '{rule.name}': {key} {value:g} is outside [{low:g}, "
                            f"{high:g}]; narrow its search range")


def check_rules(rules: Sequence[Rule], measures: Sequence[MeasureSetting], *,
                source: object) -> None:
    """Check that each held measure is active in the scenario with a schedule the slots hold.

    Raises
    ------
    DataFileError
        If a rule holds a measure the scenario leaves off, or one with more than
        :data:`MAX_MILESTONES` milestones.
    """
    active = {m.measure.name: m for m in measures if m.enabled and not m.schedule.is_zero}
    for rule in rules:
        if rule.then.kind == "release":
            continue
        setting = active.get(rule.then.target)
        if setting is None:
            raise DataFileError(f"{source}: rule '{rule.name}' holds '{rule.then.target}', "
                                "which this scenario does not introduce; add "
                                f"[measures.{rule.then.target}] or drop the rule")
        if len(setting.schedule.milestones) > MAX_MILESTONES:
            raise DataFileError(f"{source}: rule '{rule.name}' holds '{rule.then.target}', "
                                f"whose schedule has more than {MAX_MILESTONES} milestones "
                                "(the .mdl's rule inputs hold two); drop one milestone")


def rules_toml(rules: Sequence[Rule]) -> str:
    """The ``[[rules]]`` of a scenario file that reproduce ``rules``."""
    import json

    lines: list[str] = []
    for rule in rules:
        action = rule.then
        if action.kind == "pause":
            then = f'{{ pause = "{action.target}" }}'
        elif action.kind == "postpone":
            then = f'{{ postpone = "{action.target}", months = {action.months!r} }}'
        else:
            then = (f'{{ release = "{action.target}", amount = {action.amount!r}, '
                    f"lead_months = {action.months!r} }}")
        lines += ["[[rules]]", f"name = {json.dumps(rule.name)}",
                  f"when = {json.dumps(_exact(rule.when))}", f"then = {then}"]
        if rule.until is not None:
            lines.append(f"until = {json.dumps(_exact(rule.until))}")
        lines.append("")
    return "\n".join(lines)


def _exact(condition: Condition) -> str:
    """A condition with its numbers written in full (``str`` rounds them)."""
    text = f"{condition.kpi} {'>' if condition.above else '<'} {condition.threshold!r}"
    return text + (f" for {condition.window!r} months" if condition.window else "")
