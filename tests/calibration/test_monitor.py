"""``asielketen monitor``: the twin experiment, ``--as-of``, and bad input.

The twin experiment runs the plan (baseline on the committed calibration) with known drifting
parameters that change in April 2026, hands the synthetic figures of April-November 2026 to the
monitor, and checks that the update recovers the drifted values and the chain's state within
its bands, and moves them away from the plan towards the truth.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.data.observations import OBSERVATION_COLUMNS

TODAY = dt.date(2026, 12, 1)
DRIFT_FROM = "2026-04"
TRUTH = {"hours per first asylum decision": 46.0, "target realisation": 0.55,
         "regular capacity coverage": 0.90}
"""Drifts of about two committed standard deviations (the prior width of a change)."""
STOCKS = ("coa_occupancy_total", "coa_occupancy_regular", "coa_capacity_regular",
          "ind_pending_asylum", "coa_status_holders_waiting", "ter_apel_occupancy")
FLOWS = ("ind_first_instance_decisions", "status_holders_housed")


def write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(OBSERVATION_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({"unit": "persons", "quality": "primary", "preferred": 1,
                             "source": "twin experiment", "note": "", **row})
    return path


def twin_rows() -> list[dict]:
    """Monthly stocks (on the 1st) and flows (whole months), April-November 2026."""
    rows = []
    for month in pd.date_range("2026-04-01", "2026-11-01", freq="MS"):
        for series in STOCKS:
            rows.append({"series": series, "kind": "stock", "period_start": month.date(),
                         "period_end": month.date(), "value": 1.0})
        end = (month + pd.offsets.MonthEnd(0)).date()
        for series in FLOWS:
            rows.append({"series": series, "kind": "flow", "period_start": month.date(),
                         "period_end": end, "value": 1.0})
    return rows


def run_twin(folder: Path, truth: dict[str, float], *, samples: int = 60):
    """Run the twin experiment in ``folder``: (the monitor's result, the true state, NEW.csv)."""
    from calibration.config import load_config
    from calibration.evaluate import model_constants
    from calibration.monitor.command import STATE_KPIS, monitor, select_new_rows
    from calibration.monitor.update import AFTER, PlanEvaluator, drift_specs
    from calibration.objective import Objective
    from calibration.problem import Problem
    from sdmodel.calendar import date_to_month
    from sdmodel.data.observations import load_observations
    from sdmodel.engine.batch_kpis import run_monthly
    from sdmodel.monitor.inputs import make_plan, plan_inputs
    from sdmodel.runs import prepare
    from sdmodel.scenarios.scenario import load_scenario

    session = prepare()
    config = load_config(constants=model_constants(session.model),
                         model_names=session.model.names(),
                         observed_series=set(load_observations()["series"]))
    plan = make_plan(load_scenario("baseline", model=session.model), session,
                     drifting=config.drifting, tied={p.name: p.tied for p in config.parameters},
                     drift_from=date_to_month(pd.Timestamp(DRIFT_FROM + "-01")))
    placeholder = write_rows(folder / "placeholder.csv", twin_rows())
    rows, _ = select_new_rows(load_observations(placeholder), config)
    evaluator = PlanEvaluator(plan)
    objective = Objective.build(rows, config, time_step=evaluator.time_step)
    problem = Problem(drift_specs(config.parameters, config.drifting), objective, evaluator)
    fitted = session.calibration.values
    theta = np.array([[fitted[p.name] if not p.name.endswith(AFTER)
                       else truth[p.name.removesuffix(AFTER)] for p in problem.parameters]])
    values = objective.predict(problem.outputs(theta))[:, 0]
    synthetic = twin_rows()
    by_key = {(r.series, r.period_start.date()): v for r, v in zip(rows.itertuples(), values,
                                                                   strict=True)}
    for row in synthetic:
        row["value"] = round(float(by_key[(row["series"], row["period_start"])]), 1)
    new = write_rows(folder / "NEW.csv", synthetic)
    calibrated = {k: np.array([v]) for k, v in fitted.items()}
    after = {k: np.array([v]) for k, v in truth.items()}
    truth_monthly = run_monthly(session.batch, plan_inputs(plan, calibrated=calibrated,
                                                           after=after,
                                                           design=plan.central_design(1)), n=1)
    at = (2026 - 2014) * 12 + 11  # 2026-12-01, the first day after November
    state = {kpi: float(truth_monthly[kpi][at, 0]) for kpi in STATE_KPIS}
    result = monitor(observations=new, as_of="2026-11", drift_from=DRIFT_FROM,
                     samples=samples, seed=7, today=TODAY)
    return result, state, new


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory):
    """(the monitor's result, the true state, NEW.csv) of the twin experiment."""
    return run_twin(tmp_path_factory.mktemp("twin"), TRUTH)


@pytest.mark.slow
def test_twin_recovers_the_drifted_parameters_within_their_intervals(twin) -> None:
    result, _, _ = twin
    table = result.parameters[result.parameters["drifting"]].set_index("name")
    for name, truth in TRUTH.items():
        row = table.loc[f"{name} (after drift)"]
        assert row.updated_low <= truth <= row.updated_high, (name, row.to_dict())
        assert abs(row.updated - truth) <= abs(row.committed - truth), (name, row.updated)
    # IND productivity shows in the monthly decisions at once: most of the way to the truth;
    # housing realisation and regular capacity act through half-yearly targets and a build-up
    # of places, so eight months move them less
    hours = table.loc["hours per first asylum decision (after drift)"]
    truth = TRUTH["hours per first asylum decision"]
    assert abs(hours.updated - truth) < 0.3 * abs(hours.committed - truth), hours.updated
    assert result.manifest_parameters["effective_samples"] > 10


@pytest.mark.slow
def test_twin_recovers_the_state_within_the_updated_band(twin) -> None:
    result, state, _ = twin
    table = result.state.set_index("kpi")
    assert str(result.state_date.date()) == "2026-12-01"
    for kpi in ("coa_occupancy_total", "ind_pending_asylum", "coa_status_holders_waiting",
                "coa_regular_capacity"):
        row = table.loc[kpi]
        assert row.updated_q05 <= state[kpi] <= row.updated_q95, (kpi, state[kpi], row.to_dict())
        assert abs(row.updated - state[kpi]) < abs(row.planned - state[kpi]), kpi


@pytest.mark.slow
def test_twin_drift_shows_the_plan_missing_the_new_figures(twin) -> None:
    result, _, _ = twin
    drift = result.drift
    assert list(drift.columns[:6]) == ["series", "date", "observed", "planned", "updated",
                                       "in_band"]
    assert (drift["date"] >= pd.Timestamp(DRIFT_FROM + "-01")).all()
    late = drift[(drift["series"] == "ind_pending_asylum")
                 & (drift["date"] >= pd.Timestamp("2026-09-01"))]
    # slower decisions: the backlog runs above the plan, and the update follows the figures
    assert (late["observed"] > late["planned"]).all()
    error_planned = np.abs(np.log(drift["planned"] / drift["observed"])).mean()
    error_updated = np.abs(np.log(drift["updated"] / drift["observed"])).mean()
    assert error_updated < 0.3 * error_planned


@pytest.mark.slow
def test_as_of_uses_no_figure_after_its_month(twin, tmp_path: Path) -> None:
    from calibration.monitor.command import monitor

    _, _, new = twin
    frame = pd.read_csv(new)
    early = frame[frame["period_end"] <= "2026-08-31"]
    early_path = tmp_path / "early.csv"
    early.to_csv(early_path, index=False)
    wild = frame.copy()
    late = wild["period_end"] > "2026-08-31"
    wild.loc[late, "value"] = wild.loc[late, "value"] * 10  # absurd later figures
    wild_path = tmp_path / "wild.csv"
    wild.to_csv(wild_path, index=False)
    runs = [monitor(observations=path, as_of="2026-08", drift_from=DRIFT_FROM, samples=4,
                    seed=1, today=TODAY) for path in (early_path, wild_path)]
    assert (runs[1].observations["period_end"] <= pd.Timestamp("2026-08-31")).all()
    np.testing.assert_array_equal(runs[0].update.theta, runs[1].update.theta)
    pd.testing.assert_frame_equal(runs[0].drift.drop(columns="line"),
                                  runs[1].drift.drop(columns="line"))
    pd.testing.assert_frame_equal(runs[0].results, runs[1].results)


def test_as_of_before_the_calibrations_data_is_refused(tmp_path: Path) -> None:
    from calibration.monitor.command import monitor
    from sdmodel.errors import AsielketenError

    new = write_rows(tmp_path / "NEW.csv", [{"series": "ter_apel_occupancy", "kind": "stock",
                                             "period_start": "2025-05-01",
                                             "period_end": "2025-05-01", "value": 2000}])
    with pytest.raises(AsielketenError, match=r"--as-of 2025-05 is before the end of the data"):
        monitor(observations=new, samples=2, seed=1, today=TODAY)


# -- bad input: one line naming the file, line and field; nothing written ---------------------

GOOD = {"series": "ter_apel_occupancy", "kind": "stock", "period_start": "2026-05-01",
        "period_end": "2026-05-01", "value": 2100}


def _run_cli(tmp_path: Path, new: Path, *extra: str):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["monitor", "--observations", str(new), *extra,
                                           "--out", str(out)])
    return result, out


@pytest.mark.parametrize(("edit", "message"), [
    ("column", "NEW.csv line 1, field 'value': column missing from the header"),
    ("future", "NEW.csv line 2, field 'period_end': 2099-01-01 is in the future"),
    ("series", "NEW.csv line 2, field 'series': 'ter_apel_ocupancy' is not a series of "
               "observations.csv (did you mean"),
])
def test_bad_new_observations_give_one_line_and_write_nothing(tmp_path: Path, edit: str,
                                                              message: str) -> None:
    new = tmp_path / "NEW.csv"
    row = dict(GOOD)
    if edit == "future":
        row.update(period_start="2099-01-01", period_end="2099-01-01")
    if edit == "series":
        row["series"] = "ter_apel_ocupancy"
    write_rows(new, [row])
    if edit == "column":
        new.write_text(new.read_text(encoding="utf-8").replace(",value,", ",values,", 1),
                       encoding="utf-8")
    result, out = _run_cli(tmp_path, new)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert not out.exists()


def test_out_inside_the_committed_calibration_is_refused(tmp_path: Path) -> None:
    from sdmodel.paths import FITTED_DIR

    new = write_rows(tmp_path / "NEW.csv", [GOOD])
    before = sorted(p.name for p in FITTED_DIR.iterdir())
    result = CliRunner().invoke(cli.main, ["monitor", "--observations", str(new), "--out",
                                           str(FITTED_DIR / "monitor")])
    assert result.exit_code != 0
    assert "monitor never writes there" in result.output
    assert sorted(p.name for p in FITTED_DIR.iterdir()) == before


def test_a_drifting_parameter_must_be_estimated(tmp_path: Path) -> None:
    from calibration.command import prepare
    from sdmodel.errors import DataFileError
    from sdmodel.paths import CALIBRATION_CONFIG

    text = CALIBRATION_CONFIG.read_text(encoding="utf-8")
    bad = tmp_path / "calibration.toml"
    bad.write_text(text.replace('    "target realisation",\n    "regular',
                                '    "target realization",\n    "regular'),
                   encoding="utf-8")
    with pytest.raises(DataFileError, match=r"\[drifting\].*'target realization' is not an "
                                            r"estimated parameter \(did you mean"):
        prepare(config_path=bad)
