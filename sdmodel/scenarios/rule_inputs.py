"""A scenario's rules -> the inputs of the .mdl's rule slots, and the events read back.

:func:`rule_inputs` gives the rule slots' constants and the held measures' schedule inputs
(numbers) and, for each input of a held measure, its slope per unit of the measure's intensity
(a series); :func:`rule_events` and :func:`events_frame` read the slots' event stocks at the end
of the runs (see :mod:`sdmodel.scenarios.rules` for the rules themselves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sdmodel.scenarios.rules import (
    HOLD_FOREVER,
    MAX_MILESTONES,
    RULE_KPIS,
    RULE_LEVERS,
    RULE_MEASURES,
    SLOTS,
    Rule,
    RuleError,
    check_rules,
)

InputsOf = Callable[[Sequence["MeasureSetting"]], dict[str, np.ndarray]]
"""Measure settings -> a scenario's time-varying inputs (see :func:`rule_inputs`)."""

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.scenarios.measures import MeasureSetting
    from sdmodel.scenarios.scenario import Scenario


def slot_constants(rules: Sequence[Rule]) -> dict[str, float]:
    """The rule slots' inputs (Vensim names) for ``rules``, slot 1 first; ``{}`` without rules."""
    out: dict[str, float] = {}
    for k, rule in enumerate(rules, start=1):
        r = f"rule {k}"
        out[f"{r} KPI"] = float(RULE_KPIS[rule.when.kpi])
        out[f"{r} threshold"] = rule.when.threshold
        out[f"{r} direction"] = 1.0 if rule.when.above else -1.0
        out[f"{r} window"] = rule.when.window
        if rule.until is not None:
            out[f"{r} until KPI"] = float(RULE_KPIS[rule.until.kpi])
            out[f"{r} until threshold"] = rule.until.threshold
            out[f"{r} until direction"] = 1.0 if rule.until.above else -1.0
            out[f"{r} until window"] = rule.until.window
        action = rule.then
        if action.kind == "release":
            out[f"{r} lever"] = float(RULE_LEVERS[action.target])
            out[f"{r} amount"] = action.amount
            out[f"{r} lead time"] = action.months
        else:
            out[f"{r} measure"] = float(RULE_MEASURES[action.target][0])
            out[f"{r} hold time"] = action.months if action.kind == "postpone" else HOLD_FOREVER
    return out


def schedule_constants(setting: MeasureSetting) -> dict[str, float]:
    """The .mdl's schedule inputs of a held measure: its start, two points, end, intensity."""
    prefix = RULE_MEASURES[setting.measure.name][1]
    schedule = setting.schedule
    from sdmodel.calendar import date_to_month

    points = [(date_to_month(d), float(v)) for d, v in schedule.milestones]
    end = (schedule.end_month, float(schedule.intensity))
    points = (points + [end, end])[:MAX_MILESTONES]
    out = {f"{prefix} schedule start": schedule.start_month,
           f"{prefix} schedule end": end[0], f"{prefix} schedule final intensity": end[1]}
    for j, (month, value) in enumerate(points, start=1):
        out[f"{prefix} schedule point {j} time"] = month
        out[f"{prefix} schedule point {j} intensity"] = value
    return out


def rule_inputs(scenario: Scenario, *, inputs_of: InputsOf,
                base: Mapping[str, float | np.ndarray], times: np.ndarray,
                n: int | None = None) -> dict[str, float | np.ndarray]:
    """The .mdl inputs of a scenario's rules: slot and schedule constants (numbers) and, for
    each input of a held measure, its slope per unit of the measure's intensity (a series of
    the shape :func:`~sdmodel.scenarios.inputs.schedule_inputs` gives). ``{}`` without rules.

    Parameters
    ----------
    scenario
        The scenario with its rules.
    inputs_of
        The scenario's time-varying inputs for a list of its measure settings (with the
        scenario's capacity, base, limits and effect sizes; :func:`scenario_series` passes
        :func:`~sdmodel.scenarios.inputs.schedule_inputs` so).
    base, times, n
        As for :func:`~sdmodel.scenarios.inputs.schedule_inputs`.

    Raises
    ------
    RuleError
        If a held measure's effect on an input is not proportional to its intensity in this
        scenario (clipped to the input's range, or outweighed by another measure's target).
    """
    from dataclasses import replace

    from sdmodel.scenarios.schedule import Schedule

    rules = scenario.rules
    if not rules:
        return {}
    check_rules(rules, scenario.measures, source=scenario.source or scenario.name)
    out: dict[str, float | np.ndarray] = dict(slot_constants(rules))
    held = sorted({r.then.target for r in rules if r.then.kind != "release"})

    def inputs_with(name: str, schedule: Schedule | None) -> dict[str, np.ndarray]:
        return inputs_of([m if m.measure.name != name or schedule is None
                          else replace(m, schedule=schedule) for m in scenario.measures])

    for name in held:
        setting = next(m for m in scenario.measures if m.measure.name == name)
        out.update(schedule_constants(setting))
        start = setting.schedule.start
        planned = inputs_with(name, None)
        full = inputs_with(name, Schedule(start=dt.date(1990, 1, 1)))
        none = inputs_with(name, Schedule(start=start, intensity=0.0))
        ramp = setting.schedule.intensity_at(times)
        ramp = ramp if n is None else ramp[:, None]
        for variable in sorted({v for e in setting.active_effects() for v in e.variables}):
            start_value = np.atleast_1d(np.asarray(base[variable], dtype=float))
            unchanged = start_value if n is not None else start_value[0]
            shape = (len(times),) if n is None else (len(times), n)
            low, high, actual = (np.broadcast_to(d.get(variable, unchanged), shape)
                                 for d in (none, full, planned))
            slope = high - low
            expected = low + ramp * slope
            if not np.allclose(actual, expected, rtol=1e-9, atol=1e-12):
                raise RuleError(
                    f"rule on '{name}': its effect on '{variable}' is not proportional to its "
                    "intensity in this scenario (clipped to the input's range, or outweighed "
                    "by another measure's target), so a rule cannot hold it; change the "
                    "effect size or hold another measure")
            out[f"rule slope {variable}"] = np.array(slope)
    return out


EVENT_VARIABLES: tuple[str, ...] = tuple(
    f"rule {k} {part}" for k in range(1, SLOTS + 1)
    for part in ("fired", "fire time", "ended", "end time")
)
"""Stocks that record when each slot fired and stopped acting (read at the end of a run)."""


def rule_events(rules: Sequence[Rule], last: Mapping[str, np.ndarray]
                ) -> list[tuple[int, str, float, str]]:
    """Firing and end events from the slots' stocks at the end of the runs.

    Parameters
    ----------
    rules
        The scenario's rules (slot ``k`` holds ``rules[k - 1]``).
    last
        :data:`EVENT_VARIABLES` -> values per run at the last saved time (shape ``(n,)``).

    Returns
    -------
    list
        ``(run, rule, model month, action)`` in run order, then rule order; the end of a rule
        is an event ``"end: <action>"``.
    """
    events: list[tuple[int, str, float, str]] = []
    if not rules:
        return events
    n = len(np.atleast_1d(last["rule 1 fired"]))
    values = {key: np.atleast_1d(np.asarray(v, dtype=float)) for key, v in last.items()}
    for run in range(n):
        for k, rule in enumerate(rules, start=1):
            if values[f"rule {k} fired"][run] > 0.5:
                events.append((run, rule.name, float(values[f"rule {k} fire time"][run]),
                               str(rule.then)))
            if values[f"rule {k} ended"][run] > 0.5:
                events.append((run, rule.name, float(values[f"rule {k} end time"][run]),
                               f"end: {rule.then}"))
    return events


EVENT_COLUMNS: tuple[str, ...] = ("run", "rule", "date", "action")


def events_frame(runs: Mapping[object, tuple[Sequence[Rule], Any]]) -> Any:
    """``run, rule, date, action`` for runs with rules: run label -> (rules, monthly frame with
    the :data:`sdmodel.names.RULE_EVENT_KPIS` columns), read at the last month of the frame.
    The date is the day of the firing time step (``YYYY-MM-DD``)."""
    import pandas as pd

    from sdmodel.calendar import month_to_date

    rows = []
    for label, (rules, frame) in runs.items():
        if not rules:
            continue
        last = {f"rule {k} {part}": np.atleast_1d(
                    frame[f"rule_{k}_{part.replace(' ', '_')}"].to_numpy()[-1])
                for k in range(1, SLOTS + 1) for part in ("fired", "fire time", "ended",
                                                          "end time")}
        for _, rule, month, action in rule_events(rules, last):
            rows.append((label, rule, month_to_date(month).isoformat(), action))
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
