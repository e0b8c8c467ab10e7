"""The optimizer: spec files, a small model with a known optimal schedule, constraints,
reproducibility, infeasible specs and the `optimize` command on the project's model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.calendar import date_to_month, month_to_date
from sdmodel.errors import DataFileError
from sdmodel.optimize.ensemble import statistic
from sdmodel.optimize.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
TEST_MODEL = ROOT / "tests" / "models" / "optimize_capacity.mdl"
SHIPPED = ROOT / "models" / "scenarios" / "optimaliseer-alle-maatregelen.toml"

# The test model: inflow 800-1200 a month (MPP band low-high) stays 6 months in reception, 12
# once the Huisvestingswet ends housing priority; 8,000 regular places plus the funded ones, each
# 2,000 EUR a month; priority housing costs 20 million EUR a month. So the measure saves money
# but needs 6,400 extra places in the high-inflow future, which cannot open before July 2027:
# the cheapest plan funds exactly 6,400 places from July 2027 and delays the measure until then.
KNOWN = """
name = "known-optimum"
horizon = ["2026-01-01", "2030-12-01"]

[objective]
minimise = "cost"

[constraints]
coa_occupancy_share = 1.0
statistic = "worst"
{extra}

[futures]
count = 5

[search]
max_evals = 2000
popsize = 10

[pareto]
points = 2

[measures.huisvestingswet]
start = ["2026-01-01", "2030-12-01"]
ramp_months = 0

[capacity.coa_places]
amount = [0, 10000]
start = ["2027-07-01", "2030-12-01"]
"""


def write_spec(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_session():
    from sdmodel.runs import prepare

    return prepare(TEST_MODEL)


@pytest.fixture(scope="module")
def known(small_session, tmp_path_factory):
    from sdmodel.optimize.run import optimize

    path = write_spec(tmp_path_factory.mktemp("known"), KNOWN.format(extra=""))
    return optimize(path, session=small_session, seed=3)


# -- the spec --------------------------------------------------------------------------------------


def test_shipped_spec_covers_six_measures_four_levers_and_fifty_futures() -> None:
    spec = load_spec("optimaliseer-alle-maatregelen")
    assert spec.source == SHIPPED and spec.scenario == "alle-maatregelen"
    assert len(spec.measures) >= 6 and len(spec.capacity) >= 4
    assert spec.futures.count >= 50 and spec.futures.bands == ("low", "mid", "high")
    pact = next(m for m in spec.measures if m.name == "eu_pact")
    assert pact.start == (date_to_month(dt.date(2026, 6, 12)),) * 2  # fixed by EU law
    assert all(m.start is None or m.start[0] == int(m.start[0]) or m.name == "eu_pact"
               for m in spec.measures)


@pytest.mark.parametrize(("body", "expected"), [
    ("[measures.eu_pact]\nstart = [\"2026-06-12\", \"2027-01-01\"]\n",
     ":3: [measures.eu_pact] the EU Pact applies from 12 June 2026"),
    ("[measures.two_statuss]\nstart = [\"2027-01-01\", \"2028-01-01\"]\n",
     "did you mean 'two_status'"),
    ("[measures.anmw]\nstrat = [\"2027-01-01\", \"2028-01-01\"]\n", "did you mean 'start'"),
    ("[measures.anmw]\nstart = [\"2027-01-02\", \"2027-01-31\"]\n", "no month start lies"),
    ("[objective]\nminimise = \"kosten\"\n[measures.anmw]\nramp_months = [0, 6]\n",
     "minimise = 'kosten' is not one of cost, exceedance"),
    ("[capacity.coa_places]\namount = [0, 90000]\n", "is outside [0, 50000] place"),
    ("[measures.anmw]\nstart = \"2027-01-01\"\n", "nothing to optimise"),
    ("[measures.anmw]\nstart = [\"2028-01-01\", \"2029-01-01\"]\nin_force_by = \"2027-01-01\"\n",
     "in_force_by cannot be met"),
])
def test_spec_errors_name_the_file_line_key_and_fix(tmp_path: Path, body: str,
                                                    expected: str) -> None:
    path = write_spec(tmp_path, "name = \"x\"\n" + body)
    with pytest.raises(DataFileError) as err:
        load_spec(path)
    message = str(err.value)
    assert str(path) in message and expected in message and "\n" not in message


def test_statistics_over_the_futures() -> None:
    values = np.array([[0.0, 0.0, 0.0, 5.0, 10.0]])
    assert statistic(values, "mean", share=0.8)[0] == 3.0
    assert statistic(values, "worst", share=0.8)[0] == 10.0
    assert statistic(values, "share", share=0.6)[0] == 0.0  # met in 3 of 5 futures
    assert statistic(values, "share", share=0.8)[0] == 5.0  # not met in 4 of 5


def test_commitments_cap_the_start_and_shorten_the_ramp(tmp_path: Path, small_session) -> None:
    from sdmodel.optimize.problem import DecisionSpace
    from sdmodel.scenarios.scenario import Scenario

    path = write_spec(tmp_path, """
[measures.huisvestingswet]
start = ["2026-01-01", "2030-01-01"]
ramp_months = [0, 24]
in_force_by = "2028-01-01"
full_strength_by = "2029-01-01"
""")
    space = DecisionSpace(load_spec(path), Scenario(name="base"), first=144.0, end=204.0)
    start, ramp = space.variables
    assert (start.low, start.high) == (144.0, date_to_month(dt.date(2028, 1, 1)))
    plan = space.decode([date_to_month(dt.date(2028, 1, 1)), 24])
    schedule = plan.measures[0].schedule
    assert schedule.start == dt.date(2028, 1, 1) and schedule.ramp_months == 12


# -- the search on the test model ------------------------------------------------------------------


def test_finds_the_known_optimum(known) -> None:
    plan = dict(zip(known.space.labels, known.x, strict=True))
    assert month_to_date(plan["coa_places.start"]) == dt.date(2027, 7, 1)
    assert month_to_date(plan["huisvestingswet.start"]) == dt.date(2027, 7, 1)
    assert plan["coa_places.amount"] == pytest.approx(6400, abs=32)
    assert known.success and "meets every constraint" in known.message
    assert known.nfev > 0 and known.nsim == known.nfev * known.futures.n
    assert known.futures.labels[:3] == ("MPP low", "MPP mid", "MPP high")


def test_the_result_respects_every_constraint(known) -> None:
    monthly = known.evaluator.monthly([known.plan], ["coa_occupancy_total",
                                                     "coa_regular_capacity"])
    rows = known.evaluator.rows
    coa, capacity = monthly["coa_occupancy_total"][rows], monthly["coa_regular_capacity"][rows]
    assert (coa <= capacity + 1e-6).all()  # every month of the horizon, every future
    assert coa.max() == pytest.approx(14400)  # the high band without housing priority
    assert all(value <= 0 for value in known.search.violations.values())
    front = known.pareto
    assert list(front.columns[:4]) == ["budget_eur", "cost_eur", "exceedance_person_months",
                                       "share_futures_meeting_threshold"]
    assert (front["cost_eur"] <= front["budget_eur"] + 1).all()
    assert front["exceedance_person_months"].is_monotonic_decreasing


def test_the_same_seed_gives_the_same_result(known, small_session, tmp_path: Path) -> None:
    from sdmodel.optimize.run import optimize

    path = write_spec(tmp_path, KNOWN.format(extra=""))
    again = optimize(path, session=small_session, seed=3)
    np.testing.assert_array_equal(again.x, known.x)
    assert again.fun == known.fun
    pd.testing.assert_frame_equal(again.search.convergence, known.search.convergence)
    pd.testing.assert_frame_equal(again.pareto, known.pareto)


@pytest.mark.parametrize(("extra", "expected"), [
    ("coa_occupancy_share = 0.5", "coa_occupancy_share: COA occupancy <= 0.5 x regular capacity in "
     "every future cannot be met even with every capacity lever at its maximum"),
    ("budget_eur = 1e8", "mean cost <= EUR 0.1 billion cannot be met even with every capacity "
     "lever at its minimum"),
])
def test_an_infeasible_spec_names_the_constraint(small_session, tmp_path: Path, extra: str,
                                                 expected: str) -> None:
    from sdmodel.optimize.run import InfeasibleSpecError, optimize

    text = KNOWN.format(extra=extra).replace("coa_occupancy_share = 1.0\n", "")
    path = write_spec(tmp_path, text)
    with pytest.raises(InfeasibleSpecError) as err:
        optimize(path, session=small_session, seed=1)
    assert str(path) in str(err.value) and expected in str(err.value)


# -- the command on the project's model ------------------------------------------------------------


def test_optimize_command_writes_the_folder_the_briefing_reads(tmp_path: Path,
                                                                fast_model) -> None:
    from sdmodel.analysis.compare import TABLE_COLUMNS
    from sdmodel.briefing.data import load_optimized
    from sdmodel.scenarios.scenario import load_scenario

    out = tmp_path / "opt"
    args = ["optimize", "optimaliseer-alle-maatregelen", "--max-evals", "40", "--futures", "3",
            "--seed", "1", "--out", str(out), "--lang", "en"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    opt = load_optimized(out)
    assert set(opt.schedule["kind"]) <= {"measure", "capacity"}
    assert list(opt.kpis["plan"]) == ["unoptimised", "optimised"]
    assert {*TABLE_COLUMNS, "cost_eur", "exceedance_person_months"} <= set(opt.kpis.columns)
    assert list(opt.capacity_plan.columns[:4]) == ["year", "lever", "amount", "cost_eur"]
    assert len(opt.band) == 264 and opt.convergence["generation"].iloc[0] == 1
    for name in ("gantt.png", "pareto.png", "ensemble_band.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["parameters"]["futures"] == 3
    assert manifest["parameters"]["evaluations"] > 0
    used = manifest["parameters"]["spec_values"]  # the values used, not the spec file's
    assert used["search"]["max_evals"] == 40 and used["futures"]["count"] == 3
    assert manifest["command"].startswith("asielketen optimize optimaliseer-alle-maatregelen ")
    schedule = pd.read_csv(out / "schedule.csv", keep_default_na=False)
    plan = load_scenario(out / "optimised.toml", model=fast_model)
    starts = {m.measure.name: m.schedule.start.isoformat() for m in plan.active_measures}
    measures = schedule[schedule["kind"] == "measure"]
    assert starts == dict(zip(measures["lever"], measures["start"], strict=True))

    again = CliRunner().invoke(cli.main, args)
    assert again.exit_code != 0 and "--force" in again.output


def test_outcomes_are_declared_once() -> None:
    import dataclasses

    from sdmodel.names import KPIS
    from sdmodel.optimize.outcomes import LIMIT_KEYS, OUTCOMES
    from sdmodel.optimize.spec import CONSTRAINT_KEYS, Constraints

    fields = [f.name for f in dataclasses.fields(Constraints)]
    assert tuple(fields[:len(LIMIT_KEYS)]) == LIMIT_KEYS
    assert (*LIMIT_KEYS, "statistic", "share") == CONSTRAINT_KEYS
    assert all(kpi in KPIS for outcome in OUTCOMES.values() for kpi in outcome.kpis)
