"""Measures and capacity levers: schedules, the catalogue's sources, how inputs combine, and the
direction each measure moves the KPIs (the VNG's chain of reasoning), with the batch simulator."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sdmodel.calendar import date_to_month, month_to_date
from sdmodel.errors import AsielketenError
from sdmodel.scenarios.inputs import schedule_inputs
from sdmodel.scenarios.measures import LEVERS, MEASURES, CapacitySetting, MeasureSetting
from sdmodel.scenarios.scenario import Scenario
from sdmodel.scenarios.schedule import Schedule, ScheduleError, parse_date

ROOT = Path(__file__).resolve().parents[2]
PARAMETERS = ROOT / "calibration" / "data" / "parameters.csv"
TIMELINE = ROOT / "calibration" / "data" / "timeline.csv"
TIMES = np.arange(0.0, 264.0 + 0.125, 0.25)


def at(measure: str, **schedule) -> MeasureSetting:
    m = MEASURES[measure]
    plan = {"start": m.planned.start, "ramp_months": m.planned.ramp_months, **schedule}
    return MeasureSetting(m, Schedule(**plan))


# -- schedules -------------------------------------------------------------------------------------


def test_dates_become_model_months_and_back() -> None:
    assert date_to_month(dt.date(2014, 1, 1)) == 0
    assert date_to_month(dt.date(2026, 1, 1)) == 144
    assert date_to_month(dt.date(2026, 6, 12)) == pytest.approx(149 + 11 / 30)
    for date in (dt.date(2026, 6, 12), dt.date(2030, 2, 28), dt.date(2035, 12, 31)):
        assert month_to_date(date_to_month(date)) == date


def test_ramp_of_zero_months_is_a_step_at_the_start_date() -> None:
    schedule = Schedule(start=dt.date(2026, 6, 12), ramp_months=0, intensity=0.8)
    values = schedule.intensity_at(TIMES)
    start = date_to_month(dt.date(2026, 6, 12))
    assert set(np.unique(values)) == {0.0, 0.8}
    times = TIMES
    assert (values[times < start] == 0).all()
    assert (values[times >= start] == 0.8).all()
    assert TIMES[np.argmax(values > 0)] == 149.5  # the first time step on or after 12 June


def test_ramp_is_linear_to_the_final_intensity_and_holds() -> None:
    schedule = Schedule(start=dt.date(2027, 1, 1), ramp_months=12, intensity=1.0)
    start = 156.0
    assert schedule.intensity_at(start - 0.25) == 0
    assert schedule.intensity_at(start + 3) == pytest.approx(0.25)
    assert schedule.intensity_at(start + 12) == 1
    assert schedule.intensity_at(250.0) == 1


def test_milestones_are_points_of_the_path() -> None:
    schedule = Schedule(start=dt.date(2028, 1, 1), ramp_months=36, intensity=1.0,
                        milestones=((dt.date(2029, 1, 1), 0.25), (dt.date(2030, 1, 1), 0.6)))
    assert schedule.intensity_at(date_to_month(dt.date(2029, 1, 1))) == pytest.approx(0.25)
    assert schedule.intensity_at(date_to_month(dt.date(2030, 1, 1))) == pytest.approx(0.6)
    assert schedule.intensity_at(date_to_month(dt.date(2029, 7, 1))) == pytest.approx(
        0.25 + 0.35 * 6 / 12)
    assert schedule.intensity_at(date_to_month(dt.date(2031, 1, 1))) == 1


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"ramp_months": -1}, "outside [0, 120]"),
        ({"ramp_months": float("nan")}, "not a number of months"),
        ({"intensity": 1.5}, "outside [0, 1]"),
        ({"ramp_months": 12, "milestones": ((dt.date(2028, 1, 1), 0.5),)}, "outside the ramp"),
        ({"ramp_months": 0, "milestones": ((dt.date(2026, 9, 1), 0.5),)}, "outside the ramp"),
        ({"ramp_months": 12, "milestones": ((dt.date(2026, 9, 1), 2.0),)}, "outside [0, 1]"),
    ],
)
def test_impossible_schedules_are_refused(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(fragment)):
        Schedule(start=dt.date(2026, 6, 1), **kwargs)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "12-06-2026", "2026-6-12", 2026])
def test_impossible_dates_are_refused(text: object) -> None:
    with pytest.raises(ScheduleError, match="date"):
        parse_date(text)


# -- the catalogue -----------------------------------------------------------------------------


def parameter_names() -> set[str]:
    with PARAMETERS.open(encoding="utf-8", newline="") as fh:
        return {row["name"] for row in csv.DictReader(fh)}


def cited_names(text: str) -> set[str]:
    text = re.sub(r"https?://\S+", "", text)
    return set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text)) - {"two_status", "eu_pact"}


def test_every_measure_is_a_timeline_measure() -> None:
    with TIMELINE.open(encoding="utf-8", newline="") as fh:
        measures = {row["measure"] for row in csv.DictReader(fh)}
    assert set(MEASURES) <= measures


def test_effects_change_policy_inputs_within_their_ranges(chain_model) -> None:
    doc = chain_model.doc().set_index("name")
    for measure in MEASURES.values():
        assert measure.title and measure.title_en and measure.planned_source
        for effect in measure.effects:
            where = f"{measure.name}.{effect.key}"
            for variable in effect.variables:
                assert doc.loc[variable, "kind"] == "constant", where
                low, high = doc.loc[variable, ["min", "max"]]
                if effect.mode == "target":
                    assert low <= effect.low <= effect.high <= high, where
            assert effect.low <= effect.value <= effect.high, where
            if effect.sample:
                assert effect.low < effect.high, where


def test_every_effect_size_is_sourced_or_an_assumption_with_a_reason() -> None:
    known = parameter_names()
    for measure in MEASURES.values():
        for effect in measure.effects:
            where = f"{measure.name}.{effect.key}"
            text = f"{effect.source} {effect.assumption or ''}"
            assert set(cited_names(text)) <= known, (where, cited_names(text) - known)
            if effect.source == "no figure":
                assert effect.assumption and len(effect.assumption) > 20, where
            else:
                assert re.search(r"parameters\.csv|law text|bill|timeline\.csv|amendment",
                                 effect.source), where


def test_levers_are_the_capacity_levers_of_the_model(chain_model) -> None:
    doc = chain_model.doc().set_index("name")
    marked = {n for n, c in doc["comment"].items() if "Capacity lever" in c}
    assert {lever.variable for lever in LEVERS.values()} == marked
    known = parameter_names()
    for lever in LEVERS.values():
        assert (lever.low, lever.high) == tuple(doc.loc[lever.variable, ["min", "max"]])
        assert cited_names(lever.cost) <= known, lever.name


# -- inputs from schedules -------------------------------------------------------------------------


BASE = {"extra IND hours per decision": 0.0, "short permit share": 0.0,
        "extra reassessment workload": 0.0, "permanent permit available": 1.0,
        "subsequent application effect": 1.0, "nareis per grant": 0.8,
        "nareis per subsidiary grant": 0.8, "inflow effect of measures": 0.0,
        "subsidiary appeal share": 0.0, "revocation share subsidiary": 0.02,
        "IND staff funded by the laws": 0.0, "minimum registration time": 0.25,
        "border procedure share": 0.0, "extra IND staff funded": 0.0}


def test_zero_intensity_or_switched_off_changes_no_input() -> None:
    settings = [at(name, intensity=0.0) for name in ("anmw", "two_status", "eu_pact")]
    off = [MeasureSetting(MEASURES["anmw"], MEASURES["anmw"].planned, enabled=False)]
    assert schedule_inputs(settings + off, base=BASE, times=TIMES) == {}


def test_effects_combine_add_sum_scale_multiplies_target_largest() -> None:
    out = schedule_inputs([at("anmw"), at("two_status"), at("eu_pact")], base=BASE, times=TIMES)
    hours = out["extra IND hours per decision"]
    assert hours[0] == 0 and hours[-1] == pytest.approx(0.5 + 2.0)
    assert out["short permit share"][-1] == 1
    assert out["nareis per subsidiary grant"][-1] == pytest.approx(0.8 * 0.9 * 0.5)
    assert "inflow effect of measures" not in out  # default effect 0: unchanged
    twice = schedule_inputs([at("anmw"), at("anmw", start=dt.date(2030, 1, 1))], base=BASE,
                            times=TIMES)
    assert twice["short permit share"].max() == 1  # a target is not counted twice


def test_an_element_two_bills_carry_counts_once() -> None:
    """The core family rule (36703, 36704) and the 3-year permit with its reassessment
    workload (36704, 36871): enabled through both bills, each acts once."""
    out = schedule_inputs([at("anmw"), at("two_status")], base=BASE, times=TIMES)
    assert out["nareis per grant"][-1] == pytest.approx(0.8 * 0.9)  # not 0.8 * 0.9 * 0.9
    both = schedule_inputs([at("anmw"), at("eu_pact")], base=BASE, times=TIMES)
    assert both["extra reassessment workload"][-1] == pytest.approx(0.3)  # not 0.6
    late = at("anmw", start=dt.date(2030, 1, 1))
    early = schedule_inputs([late, at("eu_pact")], base=BASE, times=TIMES)
    pact = date_to_month(dt.date(2026, 6, 12))
    assert early["short permit share"][pact + 1 <= TIMES].min() == 1  # the earlier bill counts


def test_without_leaves_elements_out() -> None:
    pact = MEASURES["eu_pact"]
    setting = MeasureSetting(pact, pact.planned,
                             without=frozenset({"short_permit", "permanent_permit"}))
    out = schedule_inputs([setting], base=BASE, times=TIMES)
    assert "short permit share" not in out and "permanent permit available" not in out
    assert out["border procedure share"][-1] == pytest.approx(0.1)
    assert pact.bills == ("36871", "36704")


def test_capacity_ramps_to_its_amount_and_values_are_clipped() -> None:
    lever = LEVERS["ind_staff"]
    funded = CapacitySetting(lever, 200.0, Schedule(start=dt.date(2026, 1, 1), ramp_months=6))
    out = schedule_inputs([], [funded], base=BASE, times=TIMES)["extra IND staff funded"]
    assert out[TIMES < 144].max() == 0 and out[TIMES == 147][0] == 100 and out[-1] == 200
    big = MeasureSetting(MEASURES["anmw"], MEASURES["anmw"].planned, {"ind_hours": 5.0})
    clipped = schedule_inputs([big], base=BASE, times=TIMES,
                              limits={"extra IND hours per decision": (0.0, 3.0)})
    assert clipped["extra IND hours per decision"].max() == 3.0


def test_per_run_effect_sizes_give_one_series_per_run() -> None:
    sizes = {("eu_pact", "ind_hours"): np.array([0.5, 2.0, 5.0])}
    out = schedule_inputs([at("eu_pact")], base=BASE, times=TIMES, effect_values=sizes, n=3)
    assert out["extra IND hours per decision"].shape == (len(TIMES), 3)
    np.testing.assert_allclose(out["extra IND hours per decision"][-1], [0.5, 2.0, 5.0])


# -- the model: direction of each measure ----------------------------------------------------------


@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


CASES: dict[str, list[MeasureSetting]] = {
    "baseline": [],
    **{name: [at(name)] for name in MEASURES},
    **{f"{name} at zero": [at(name, intensity=0.0)] for name in MEASURES},
    "huisvestingswet + spreidingswet": [at("huisvestingswet"), at("spreidingswet")],
    "priority ban only": [MeasureSetting(MEASURES["huisvestingswet"],
                                         MEASURES["huisvestingswet"].planned,
                                         {"target_in_force": 1.0})],
}
CAPACITY = {
    name: [CapacitySetting(lever, lever.high / 10, Schedule(start=dt.date(2026, 1, 1)))]
    for name, lever in LEVERS.items()
}


@pytest.fixture(scope="module")
def runs(session) -> dict[str, pd.DataFrame]:
    from sdmodel.runs import run_scenarios

    scenarios = [Scenario(name, measures=tuple(m)) for name, m in CASES.items()]
    scenarios += [Scenario(f"capacity {n}", capacity=tuple(c)) for n, c in CAPACITY.items()]
    return run_scenarios(scenarios, session)


def mean(runs, case: str, kpi: str, year: str = "2030") -> float:
    return float(runs[case].loc[year, kpi].mean())


def test_three_year_permits_raise_reassessments_one_term_after_entry(runs) -> None:
    """Permits granted from entry into force (Jun 2026) are reassessed three years later."""
    def ratio(years: slice) -> float:
        return float(runs["anmw"].loc[years, "reassessments"].sum()
                     / runs["baseline"].loc[years, "reassessments"].sum())

    assert ratio(slice("2027", "2028")) < 1.05
    assert ratio(slice("2030", "2032")) > 1.3


def test_priority_ban_lowers_housing_outflow_and_raises_coa_occupancy(runs) -> None:
    for case in ("priority ban only", "huisvestingswet"):
        assert mean(runs, case, "status_holders_housed", "2028") < mean(
            runs, "baseline", "status_holders_housed", "2028")
        assert mean(runs, case, "coa_occupancy_total") > mean(
            runs, "baseline", "coa_occupancy_total")


def test_lvv_abolition_raises_undocumented_on_the_street(runs) -> None:
    assert mean(runs, "lvv", "undocumented_on_street") > mean(
        runs, "baseline", "undocumented_on_street")
    assert mean(runs, "lvv", "undocumented_in_lvv") < mean(runs, "baseline", "undocumented_in_lvv")


def test_two_status_system_raises_the_court_backlog(runs) -> None:
    def court(case: str) -> float:
        return mean(runs, case, "court_appeals_pending") + mean(
            runs, case, "court_status_appeals_pending")

    assert court("two_status") > 1.3 * court("baseline")


def test_eu_pact_lengthens_registration_and_ind_waiting(runs) -> None:
    assert mean(runs, "eu_pact", "ter_apel_occupancy") > mean(
        runs, "baseline", "ter_apel_occupancy")
    assert mean(runs, "eu_pact", "ind_average_wait_weeks") > mean(
        runs, "baseline", "ind_average_wait_weeks")


def test_spreidingswet_repeal_slows_regular_capacity_and_raises_emergency_reception(runs
                                                                                   ) -> None:
    assert mean(runs, "spreidingswet", "coa_regular_capacity") < mean(
        runs, "baseline", "coa_regular_capacity")
    assert mean(runs, "spreidingswet", "coa_occupancy_emergency") >= mean(
        runs, "baseline", "coa_occupancy_emergency")
    # when occupancy grows (here: no housing priority), more of it is emergency reception
    for kpi in ("coa_occupancy_emergency", "cost_coa_emergency"):
        assert mean(runs, "huisvestingswet + spreidingswet", kpi) > mean(
            runs, "huisvestingswet", kpi)


def test_criminalisation_does_not_lower_undocumented_on_the_street(runs) -> None:
    assert mean(runs, "criminalisation", "undocumented_on_street") >= mean(
        runs, "baseline", "undocumented_on_street")


def test_capacity_funding_moves_its_part_of_the_chain(runs) -> None:
    assert mean(runs, "capacity ind_staff", "ind_pending_asylum") < mean(
        runs, "baseline", "ind_pending_asylum")
    assert mean(runs, "capacity coa_places", "coa_regular_capacity") > mean(
        runs, "baseline", "coa_regular_capacity")
    assert mean(runs, "capacity flex_housing", "coa_status_holders_waiting") < mean(
        runs, "baseline", "coa_status_holders_waiting")
    assert mean(runs, "capacity court_capacity", "court_appeals_pending") <= mean(
        runs, "baseline", "court_appeals_pending")
    assert mean(runs, "capacity dtv_capacity", "departures_forced") >= mean(
        runs, "baseline", "departures_forced")


@pytest.mark.parametrize("name", list(MEASURES))
def test_measure_at_zero_intensity_changes_nothing_exactly(runs, name: str) -> None:
    pd.testing.assert_frame_equal(runs[f"{name} at zero"], runs["baseline"], check_exact=True)


@pytest.mark.parametrize("name", [*MEASURES, *(f"capacity {n}" for n in LEVERS)])
def test_history_is_the_same_in_every_scenario(runs, name: str) -> None:
    pd.testing.assert_frame_equal(runs[name].loc[:"2025-12"], runs["baseline"].loc[:"2025-12"],
                                  check_exact=True)


def test_batch_and_pysd_agree_for_all_measures(session) -> None:
    from sdmodel.runs import run_scenarios

    scenario = Scenario("all", measures=tuple(at(name) for name in MEASURES))
    batch = run_scenarios([scenario], session)["all"]
    pysd = run_scenarios([scenario], session, engine="pysd")["all"]
    pd.testing.assert_frame_equal(batch, pysd, check_exact=False, rtol=1e-9, atol=1e-6)


def test_unknown_engine_and_duplicate_names_are_refused(session) -> None:
    from sdmodel.runs import run_scenarios

    with pytest.raises(AsielketenError, match="unknown engine"):
        run_scenarios([Scenario("a")], session, engine="vensim")
    with pytest.raises(AsielketenError, match="must differ"):
        run_scenarios([Scenario("a"), Scenario("a")], session)


# -- the border procedure at its default (law as of 2025) takes nobody and no IND hours ---------


def test_border_procedure_at_its_default_changes_no_result(chain_model) -> None:
    raw = chain_model.run_raw(final_time=180)
    for name in ("in border procedure", "border procedure entries", "hours for the border "
                 "procedure", "border procedure decisions"):
        assert raw[name].abs().max() == 0.0, name


def test_plans_series_gives_each_plans_scenario_series_bits(session) -> None:
    """The optimizer's one pass over many plans equals scenario_series plan by plan, to the bit:
    random plans of the shipped spec, its corners (zero amounts), a plan with disabled measures
    (law elements that two bills carry then act through one), a plan that leaves law elements
    out, sampled effect sizes and per-run bases."""
    import dataclasses

    from sdmodel.names import HISTORY_END_VARIABLE
    from sdmodel.optimize.problem import DecisionSpace, build_futures
    from sdmodel.optimize.run import _base_scenario
    from sdmodel.optimize.spec import load_spec
    from sdmodel.scenarios.inputs import plans_series, scenario_series

    spec = load_spec("optimaliseer-alle-maatregelen")
    base = _base_scenario(spec, session)
    first = float(session.base(base).get(HISTORY_END_VARIABLE, 0.0))
    space = DecisionSpace(spec, base, first=first, end=session.model.final_time)
    futures = build_futures(space.decode(space.extreme(capacity="min", measures="early")),
                            session, count=6, bands=spec.futures.bands, seed=1)
    bounds = np.array(space.bounds)
    xs = np.rint(bounds[:, 0] + np.random.default_rng(7).random((12, len(bounds)))
                 * np.ptp(bounds, axis=1))
    plans = [space.decode(x) for x in [*xs, bounds[:, 0], bounds[:, 1]]]
    plans[1] = dataclasses.replace(plans[1], measures=tuple(
        dataclasses.replace(m, enabled=i % 2 == 0) for i, m in enumerate(plans[1].measures)))
    plans[2] = dataclasses.replace(plans[2], measures=tuple(  # law elements left out
        dataclasses.replace(m, without=tuple(e.key for e in m.measure.effects
                                             if e.element is not None)[:1])
        for m in plans[2].measures))
    times = session.batch.time_grid()[600:]
    options = {"base": futures.base, "times": times, "limits": session.limits,
               "effect_values": futures.effects}
    together = plans_series(plans, n=futures.n, **options)
    compared = 0
    for p, plan in enumerate(plans):
        alone = scenario_series(plan, n=futures.n, **options)
        assert set(alone) <= set(together)
        for name, (values, changed) in together.items():
            if name in alone:
                assert changed[p]
                assert np.ascontiguousarray(values[:, p]).tobytes() == alone[name].tobytes()
                compared += 1
            elif not changed[p]:
                start = np.atleast_1d(np.asarray(futures.base[name], dtype=float))
                assert np.all(values[:, p] == start)
    assert compared > 10 * len(plans)
    mixed = [plans[0], dataclasses.replace(plans[2], measures=plans[2].measures[:2])]
    joined = plans_series(mixed, n=futures.n, **options)  # different measures: one by one
    for p, plan in enumerate(mixed):
        alone = scenario_series(plan, n=futures.n, **options)
        for name, (values, changed) in joined.items():
            if name in alone:
                assert changed[p]
                assert np.ascontiguousarray(values[:, p]).tobytes() == alone[name].tobytes()
