"""Adaptive vs fixed: spec rules with search ranges, their errors, and the comparison over the
same futures on the project's model (the fixed row is the optimizer's own evaluation)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sdmodel.errors import DataFileError
from sdmodel.optimize.adaptive_spec import as_written, decode, parse_adaptive
from sdmodel.optimize.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
ADAPTIVE_SPEC = ROOT / "models" / "scenarios" / "optimaliseer-adaptief.toml"
RULE = """
[[rules]]
name = "plaatsen"
when = "ter_apel_occupancy > 2000 for 1 month"
then = { release = "coa_places", amount = 5000, lead_months = 3 }
"""


def parse(text: str):
    import tomllib

    return parse_adaptive(tomllib.loads(text), path="spec.toml", raw=text)


def test_the_shipped_adaptive_spec_loads_its_rules_and_ranges() -> None:
    spec = load_spec(ADAPTIVE_SPEC)
    assert spec.adaptive is not None and len(spec.adaptive.rules) == 3
    rules = decode(spec.adaptive, as_written(spec.adaptive))
    assert [r.name for r in rules] == ["ter-apel-plaatsen", "coa-vol-huisvesting",
                                       "ind-achterstand"]
    assert rules[0].then.amount == 5000 and rules[1].then.months == 6


def test_decode_sets_the_searched_fields() -> None:
    spec = parse(RULE + "search = { threshold = [1500, 3000], amount = [0, 20000] }\n")
    rule = decode(spec, [2500.0, 7000.0])[0]
    assert rule.when.threshold == 2500 and rule.then.amount == 7000
    assert rule.then.months == 3 and rule.when.window == 1


@pytest.mark.parametrize(("extra", "message"), [
    ("search = { level = [1, 2] }", "search.level is not a searchable field"),
    ("search = { threshold = [3000, 1500] }", "is not a range"),
    ("search = { threshold = 2000 }", "is not a range"),
    ("search = { until_threshold = [1, 2] }", "this rule has no such field"),
    ("search = { amount = [0, 90000] }", "outside [0, 50000]"),
])
def test_bad_search_ranges_give_one_line(extra: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse(RULE + extra + "\n")
    assert message in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith("spec.toml")


def test_adaptive_without_rules_and_unknown_adaptive_keys_are_refused() -> None:
    with pytest.raises(DataFileError, match="without"):
        parse("[adaptive]\nmax_evals = 5\n")
    with pytest.raises(DataFileError, match="budget is not a key"):
        parse(RULE + "[adaptive]\nbudget = 5\n")


@pytest.fixture(scope="module")
def small_problem():
    from sdmodel.optimize.ensemble import Evaluator
    from sdmodel.optimize.problem import DecisionSpace, build_futures
    from sdmodel.optimize.run import _base_scenario, _limits, main_goal
    from sdmodel.runs import prepare

    spec = load_spec(ADAPTIVE_SPEC)
    session = prepare()
    base = _base_scenario(spec, session)
    space = DecisionSpace(spec, base, first=144.0, end=session.model.final_time)
    futures = build_futures(space.decode(space.extreme(capacity="min", measures="early")),
                            session, count=4, bands=spec.futures.bands, seed=1)
    limits = _limits(spec, base)
    evaluator = Evaluator(session, space, futures, horizon=spec.horizon, limits=limits)
    return spec, evaluator, main_goal(spec, limits), space.decode(space.encode(base))


@pytest.mark.slow
def test_the_fixed_plan_evaluated_with_rule_inputs_matches_the_optimizer(small_problem) -> None:
    from sdmodel.optimize.adaptive import evaluate_with_rules

    _, evaluator, _, plan = small_problem
    own = evaluator.evaluate_plans([plan])
    mine, events = evaluate_with_rules(evaluator, [plan])
    for name in own.values:
        np.testing.assert_array_equal(mine[name], own[name])
    assert (events["rule_1_fired"] == 0).all()


@pytest.mark.slow
def test_a_rule_that_never_fires_ties_with_the_fixed_plan_and_one_that_fires_is_reported(
        small_problem) -> None:
    from sdmodel.optimize.adaptive import adaptive_comparison

    spec, evaluator, goal, plan = small_problem
    quiet = dataclasses.replace(spec.adaptive, rules=tuple(
        dataclasses.replace(c, rule=dataclasses.replace(c.rule, when=dataclasses.replace(
            c.rule.when, threshold=900000.0)), ranges=()) for c in spec.adaptive.rules),
        max_evals=1)
    result = adaptive_comparison(evaluator, goal, plan, quiet, seed=1)
    fixed, adaptive = result.table.iloc[0], result.table.iloc[1]
    assert (result.firing["share_fired"] == 0).all()
    for column in ("cost_mean_eur", "coa_occupancy_above_mean", "share_futures_meeting_all"):
        assert adaptive[column] == fixed[column]
    searched = dataclasses.replace(spec.adaptive, max_evals=4)
    result = adaptive_comparison(evaluator, goal, plan, searched, seed=1)
    assert result.evals == 4 and list(result.table["plan"]) == ["vast", "adaptief"]
    assert result.firing["share_fired"].between(0, 1).all()
    assert len(result.plan.rules) == 3
