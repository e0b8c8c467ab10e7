"""Adaptive rules ([[rules]]): parsing and its errors, the .mdl's rule slots (when a rule fires,
what its actions do, that a rule that never fires changes nothing) and the engines agreeing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sdmodel.calendar import date_to_month
from sdmodel.errors import DataFileError
from sdmodel.names import HISTORY_END_VARIABLE
from sdmodel.scenarios.inputs import scenario_series
from sdmodel.scenarios.measures import MEASURES
from sdmodel.scenarios.rules import (
    RULE_MEASURES,
    Action,
    Condition,
    Rule,
    parse_condition,
)
from sdmodel.scenarios.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
PHASED = ROOT / "models" / "scenarios" / "gefaseerd.toml"


@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


def with_rules(tmp_path: Path, rules: str, *, base: Path = PHASED, name: str = "r") -> Path:
    text = base.read_text(encoding="utf-8").replace('name = "gefaseerd"', f'name = "{name}"')
    path = tmp_path / f"{name}.toml"
    path.write_text(text + "\n" + rules, encoding="utf-8")
    return path


def run_steps(session, scenario, columns: list[str], engine: str = "numpy") -> dict:
    """Every time step of one scenario run on the batch simulator: column -> values (T,)."""
    times = session.batch.time_grid()
    base = session.base(scenario)
    params: dict[str, object] = {**session.calibration.values, **scenario.overrides}
    series = scenario_series(scenario, base=base, times=times, limits=session.limits)
    params.update({k: v if np.ndim(v) == 0 else np.asarray(v)[:, None] for k, v in series.items()})
    out = session.batch.run(params, n=1, return_columns=columns, output="arrays", engine=engine)
    return {c: np.asarray(out[c])[:, 0] for c in columns}


# -- parsing ------------------------------------------------------------------------------------


def test_conditions_parse_with_and_without_a_window() -> None:
    c = parse_condition("coa_occupancy_share > 0.97 for 2 months", source="f")
    assert c == Condition("coa_occupancy_share", True, 0.97, 2.0)
    assert parse_condition("ter_apel_occupancy<1500", source="f") == Condition(
        "ter_apel_occupancy", False, 1500.0, 0.0)
    assert str(c) == "coa_occupancy_share > 0.97 for 2 months"


@pytest.mark.parametrize(("rule", "message"), [
    ('when = "coa_full > 0.97"\nthen = { pause = "spreidingswet" }', "unknown KPI 'coa_full'"),
    ('when = "coa_occupancy_share >> 0.97"\nthen = { pause = "spreidingswet" }',
     "is not a condition"),
    ('when = "coa_occupancy_share > 0.97 during 2 months"\nthen = { pause = "spreidingswet" }',
     "is not a condition"),
    ('when = "coa_occupancy_share >= 0.97"\nthen = { pause = "spreidingswet" }', "use '>' or '<'"),
    ('when = "ter_apel_occupancy > 2000"\nthen = { pause = "spreidingswett" }',
     "rules can hold huisvestingswet, spreidingswet, lvv"),
    ('when = "ter_apel_occupancy > 2000"\nthen = { pause = "eu_pact" }',
     "rules can hold huisvestingswet, spreidingswet, lvv"),
    ('when = "ter_apel_occupancy > 2000"\nthen = { release = "coa_plaatsen", amount = 1, '
     'lead_months = 0 }', "is not a capacity lever"),
    ('when = "ter_apel_occupancy > 2000"\nthen = { postpone = "huisvestingswet" }',
     "then.months = None is not a number"),
    ('when = "ter_apel_occupancy > 2000"\nthen = { pause = "lvv", months = 3 }',
     "then.months is not a key of a pause action"),
    ('when = "ter_apel_occupancy > 2000"\nwhen2 = 1\nthen = { pause = "lvv" }',
     "'when2' is not a key of a rule"),
    ('then = { pause = "lvv" }', "has no 'when'"),
])
def test_bad_rules_give_one_line_naming_file_line_and_rule(tmp_path, chain_model, rule,
                                                           message) -> None:
    path = with_rules(tmp_path, "[[rules]]\n" + rule + "\n")
    with pytest.raises(DataFileError) as info:
        load_scenario(path, model=chain_model)
    text = str(info.value)
    assert message in text and "\n" not in text
    assert text.startswith(f"{path}:") and "[[rules]] #1" in text


def test_a_rule_on_a_measure_the_scenario_leaves_out_and_too_many_rules_are_refused(
        tmp_path, chain_model) -> None:
    baseline = ROOT / "models" / "scenarios" / "baseline.toml"
    path = tmp_path / "b.toml"
    path.write_text(baseline.read_text(encoding="utf-8") + '\n[[rules]]\nwhen = '
                    '"ter_apel_occupancy > 2000"\nthen = { pause = "huisvestingswet" }\n')
    with pytest.raises(DataFileError, match="does not introduce; add"):
        load_scenario(path, model=chain_model)
    rule = '[[rules]]\nwhen = "ter_apel_occupancy > 2000"\nthen = { pause = "lvv" }\n'
    with pytest.raises(DataFileError, match="3 rule slots; give at most 3 rules"):
        load_scenario(with_rules(tmp_path, rule * 4), model=chain_model)


def test_the_rule_measures_reach_every_input_of_their_measure(chain_model) -> None:
    for name, (_, prefix) in RULE_MEASURES.items():
        for variable in {v for e in MEASURES[name].effects for v in e.variables}:
            assert f"{variable} with rules" in chain_model.names()
            assert f"rule slope {variable}" in chain_model.names()
        assert f"{prefix} schedule start" in chain_model.names()


def test_the_shipped_adaptive_plan_loads_with_its_rules(chain_model) -> None:
    adaptive = load_scenario("gefaseerd-adaptief", model=chain_model)
    phased = load_scenario("gefaseerd", model=chain_model)
    assert [r.then.kind for r in adaptive.rules] == ["postpone", "pause", "release"]
    assert adaptive.measures == phased.measures and adaptive.capacity == phased.capacity


# -- the rule slots in the model ----------------------------------------------------------------


def test_a_rule_fires_at_the_first_step_its_condition_has_held_for_the_window(
        session, tmp_path) -> None:
    rule = ('[[rules]]\nwhen = "ter_apel_occupancy > 2300 for 6 months"\n'
            'then = { release = "dtv_capacity", amount = 0, lead_months = 0 }\n')
    scenario = load_scenario(with_rules(tmp_path, rule), model=session.model)
    steps = run_steps(session, scenario, ["Ter Apel occupancy", "rule 1 firing",
                                          "rule 1 fire time", "rule 1 in force"])
    times = session.batch.time_grid()
    start = session.base(scenario)[HISTORY_END_VARIABLE]
    holds = (steps["Ter Apel occupancy"] > 2300) & (times >= start)
    window = int(round(6 / (times[1] - times[0])))
    expected = next(i for i in range(window, len(times)) if holds[i - window:i + 1].all())
    assert holds[:expected - window].any()  # it held before, but not for the window
    fired = np.flatnonzero(steps["rule 1 firing"])
    assert fired.tolist() == [expected]  # once, at that step, never before
    assert steps["rule 1 fire time"][-1] == times[expected]
    assert (steps["rule 1 in force"][:expected] == 0).all()
    assert (steps["rule 1 in force"][expected:] == 1).all()


def test_a_rule_that_never_fires_changes_nothing_bit_for_bit(session, tmp_path) -> None:
    from sdmodel.runs import run_scenarios, run_with_events

    rules = ('[[rules]]\nwhen = "ter_apel_occupancy > 900000"\n'
             'then = { postpone = "huisvestingswet", months = 6 }\n'
             '[[rules]]\nwhen = "coa_occupancy_share < 0.01 for 3 months"\n'
             'then = { pause = "spreidingswet" }\n'
             '[[rules]]\nwhen = "ind_pending_asylum > 900000"\n'
             'then = { release = "coa_places", amount = 5000, lead_months = 3 }\n')
    quiet = load_scenario(with_rules(tmp_path, rules, name="quiet"), model=session.model)
    plain = load_scenario(PHASED, model=session.model)
    series = scenario_series(quiet, base=session.base(quiet), times=session.batch.time_grid(),
                             limits=session.limits)
    assert series["rule slope housing priority share"].any()  # live hooks, just not moved
    for engine in ("numpy", "numba"):
        runs = run_with_events([quiet, plain], session, engine=engine)
        assert runs.events.empty
        assert list(runs.results["quiet"].columns) == list(runs.results["gefaseerd"].columns)
        np.testing.assert_array_equal(runs.results["quiet"].to_numpy(),
                                      runs.results["gefaseerd"].to_numpy())
        alone = run_scenarios([plain], session, engine=engine)["gefaseerd"]
        np.testing.assert_array_equal(alone.to_numpy(), runs.results["gefaseerd"].to_numpy())


def test_postpone_shifts_the_rest_of_the_schedule_by_its_months(session, tmp_path) -> None:
    rule = ('[[rules]]\nwhen = "coa_occupancy_share > 1.4 for 2 months"\n'
            'then = { postpone = "huisvestingswet", months = 6 }\n')
    scenario = load_scenario(with_rules(tmp_path, rule), model=session.model)
    steps = run_steps(session, scenario, ["housing priority share with rules",
                                          "housing priority share", "rule 1 fire time"])
    times = session.batch.time_grid()
    fired = steps["rule 1 fire time"][-1]
    housing = next(m for m in scenario.measures if m.measure.name == "huisvestingswet")
    assert fired > date_to_month(housing.schedule.start)  # inside the ramp
    planned, held = steps["housing priority share"], steps["housing priority share with rules"]
    before, during = times < fired, (times >= fired) & (times <= fired + 6)
    np.testing.assert_array_equal(held[before], planned[before])
    i = np.flatnonzero(times == fired)[0]
    np.testing.assert_allclose(held[during], planned[i], rtol=0, atol=1e-12)
    after = np.flatnonzero(times > fired + 6)
    np.testing.assert_allclose(held[after], planned[after - 48], rtol=0, atol=1e-12)


def test_release_funds_its_amount_after_the_lead_time_until_the_end_condition(
        session, tmp_path) -> None:
    rule = ('[[rules]]\nwhen = "ter_apel_occupancy > 2000"\n'
            'then = { release = "coa_places", amount = 5000, lead_months = 3 }\n'
            'until = "coa_occupancy_share > 1.6"\n')
    scenario = load_scenario(with_rules(tmp_path, rule), model=session.model)
    steps = run_steps(session, scenario, [
        "extra regular COA places funded with rules", "extra regular COA places funded",
        "rule 1 fire time", "rule 1 end time", "rule 1 ended"])
    times = session.batch.time_grid()
    fired, ended = steps["rule 1 fire time"][-1], steps["rule 1 end time"][-1]
    assert steps["rule 1 ended"][-1] == 1 and fired + 3 < ended
    extra = (steps["extra regular COA places funded with rules"]
             - steps["extra regular COA places funded"])
    funded = (times >= fired + 3) & (times < ended)
    assert (extra[funded] == 5000).all() and (extra[~funded] == 0).all()


def test_every_run_of_a_batch_fires_at_its_own_date(session) -> None:
    from sdmodel.engine.batch_kpis import run_monthly
    from sdmodel.names import INFLOW_BAND_VARIABLE

    scenario = dataclasses.replace(
        load_scenario(PHASED, model=session.model),
        rules=(Rule("r", Condition("coa_occupancy_total", True, 90000.0, 1.0),
                    Action("release", "ind_staff", months=0.0, amount=0.0)),))
    times = session.batch.time_grid()
    params: dict[str, object] = {**session.calibration.values, **scenario.overrides}
    params[INFLOW_BAND_VARIABLE] = np.array([0.0, 0.5, 1.0])
    series = scenario_series(scenario, base=session.base(scenario), times=times,
                             limits=session.limits)
    params.update({k: v if np.ndim(v) == 0 else np.repeat(np.asarray(v)[:, None], 3, axis=1)
                   for k, v in series.items()})
    fire = run_monthly(session.batch, params, n=3, kpis=["rule_1_fire_time"],
                       engine="numpy")["rule_1_fire_time"][-1]
    assert len(set(fire.tolist())) == 3  # the higher the inflow, the earlier (0: never)


@pytest.mark.slow
def test_pysd_and_the_batch_backends_give_the_same_events(session) -> None:
    from sdmodel.runs import run_with_events

    adaptive = load_scenario("gefaseerd-adaptief", model=session.model)
    events = {engine: run_with_events([adaptive], session, engine=engine)
              for engine in ("pysd", "numpy", "numba")}
    assert len(events["pysd"].events) >= 3
    for engine in ("numpy", "numba"):
        assert events[engine].events.equals(events["pysd"].events)
        np.testing.assert_allclose(events[engine].results[adaptive.name].to_numpy(),
                                   events["pysd"].results[adaptive.name].to_numpy(),
                                   rtol=1e-9, atol=1e-6)


def test_simulate_with_a_bad_rule_says_so_in_one_line_and_writes_nothing(tmp_path) -> None:
    from click.testing import CliRunner

    import cli

    path = with_rules(tmp_path, '[[rules]]\nwhen = "coa_ful > 1"\nthen = { pause = "lvv" }\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["simulate", "--scenario", str(path), "--out", str(out)])
    assert result.exit_code != 0
    assert "unknown KPI 'coa_ful'" in result.output
    assert result.output.strip().count("\n") == 0
    assert not out.exists()


def test_simulate_and_compare_write_events_csv(tmp_path) -> None:
    import csv

    from click.testing import CliRunner

    import cli

    out = tmp_path / "cmp"
    result = CliRunner().invoke(cli.main, ["compare", "gefaseerd", "gefaseerd-adaptief",
                                           "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "events.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["run", "rule", "date", "action"]
    assert {r["run"] for r in rows} == {"gefaseerd-adaptief"}
    assert {r["rule"] for r in rows} == {"coa-vol-huisvesting", "coa-overvol-spreidingswet",
                                         "ter-apel-plaatsen"}
