"""Scenario comparison: the KPI table, costs, uncertainty bands and the `compare` command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.analysis.compare import TABLE_COLUMNS
from sdmodel.names import COST_ACTORS, HISTORY_END_VARIABLE, INFLOW_BAND_VARIABLE
from sdmodel.scenarios.measures import measure_variables

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NAMES = ["baseline", "alle-maatregelen", "gefaseerd"]


@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


@pytest.fixture(scope="module")
def comparison(session):
    from sdmodel.analysis.compare import compare

    return compare(NAMES, session=session)


def test_kpi_table_has_one_row_per_scenario_and_the_documented_columns(comparison) -> None:
    table = comparison.kpis
    assert list(table["scenario"]) == NAMES
    assert list(table.columns) == ["scenario", *TABLE_COLUMNS]
    assert table.drop(columns=["scenario", "coa_peak_month"]).notna().all().all()
    row = table.set_index("scenario")
    assert row.loc["baseline", "coa_peak"] >= row.loc["baseline", "coa_2030"]
    assert row.loc["alle-maatregelen", "coa_2030"] > row.loc["baseline", "coa_2030"]
    costs = [f"cost_{actor}_meur" for actor in COST_ACTORS]
    np.testing.assert_allclose(row[costs].sum(axis=1), row["cost_total_meur"], atol=0.3)


def test_months_above_threshold_follow_the_scenario_threshold(comparison) -> None:
    from dataclasses import replace

    from sdmodel.analysis.compare import kpi_table
    from sdmodel.scenarios.tables import Thresholds

    base = comparison.scenarios[0]
    frame = comparison.results["baseline"].loc["2026":"2035"]
    low = replace(base, thresholds=Thresholds(coa_occupancy=0.0, ter_apel=1e9))
    high = replace(base, thresholds=Thresholds(coa_occupancy=1e9, ter_apel=0.0))
    table = kpi_table(comparison.results, [low]).iloc[0]
    assert table["coa_months_above_threshold"] == len(frame) == 120
    assert table["ter_apel_months_above_threshold"] == 0
    table = kpi_table(comparison.results, [high]).iloc[0]
    assert table["coa_months_above_threshold"] == 0
    assert table["ter_apel_months_above_threshold"] == 120


def test_cost_table_per_actor_per_year(comparison) -> None:
    costs = comparison.costs
    assert set(costs["year"]) == set(range(2026, 2036))
    assert set(costs["actor"]) == set(COST_ACTORS)
    assert len(costs) == len(NAMES) * 10 * len(COST_ACTORS)
    coa = costs[(costs["scenario"] == "baseline") & (costs["actor"] == "coa")]
    frame = comparison.results["baseline"]
    expected = frame.loc["2030", list(COST_ACTORS["coa"])].sum().sum()
    assert coa.set_index("year").loc[2030, "cost_eur"] == pytest.approx(expected, abs=1)


# -- uncertainty -----------------------------------------------------------------------------------


def test_sampled_constants_are_uncalibrated_assumptions(session) -> None:
    from sdmodel.analysis.uncertainty import assumption_constants

    chosen = assumption_constants(session.model, calibrated=session.calibration.values)
    names = {p.name for p in chosen}
    assert names, "no assumption constants found"
    doc = session.model.doc().set_index("name")
    for name in names:
        comment = doc.loc[name, "comment"]
        assert "assumption" in comment and "calibrated" not in comment, name
        assert "Policy input" not in comment and "Capacity lever" not in comment, name
    assert not names & set(session.calibration.values)
    assert not names & measure_variables()
    assert not any(n.startswith("initial ") for n in names)
    assert INFLOW_BAND_VARIABLE not in names


@pytest.fixture(scope="module")
def uncertain(session, comparison):
    from sdmodel.analysis.uncertainty import run_uncertainty

    return run_uncertainty(comparison.scenarios, session, samples=12, seed=5, chunk_size=5)


def test_bands_are_ordered_quantiles_of_every_series(uncertain) -> None:
    from sdmodel.analysis.uncertainty import BAND_SERIES

    bands = uncertain.bands
    assert set(bands["series"]) == set(BAND_SERIES) and set(bands["scenario"]) == set(NAMES)
    q = bands[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-9).all()
    future = bands[(bands["date"] >= "2030-01-01") & (bands["series"] == "coa_occupancy_total")]
    assert (future["q95"] > future["q05"]).all()


def test_design_is_a_latin_hypercube_within_the_ranges(uncertain) -> None:
    from sdmodel.analysis.design import to_unit

    design = uncertain.design
    assert len(design) == 12
    for p in uncertain.parameters:
        values = design[p.name].to_numpy()
        assert values.min() >= p.low and values.max() <= p.high, p.name
        if p.kind == "calibration":
            continue
        if p.low < p.default < p.high:  # one sample in each of the 12 strata of [0, 1)
            strata = np.floor(to_unit(p, values) * 12 + 1e-9).astype(int)
            assert sorted(strata) == list(range(12)), p.name
        else:  # the central value at a bound: half the samples there (the median)
            assert (values == p.default).sum() >= 6, p.name
    kinds = {p.kind for p in uncertain.parameters}
    assert {"band", "constant", "effect"} <= kinds


def test_same_seed_same_bands_and_none_draws_a_recorded_seed(session, comparison,
                                                             uncertain) -> None:
    from sdmodel.analysis.uncertainty import run_uncertainty

    again = run_uncertainty(comparison.scenarios, session, samples=12, seed=5)
    pd.testing.assert_frame_equal(again.bands, uncertain.bands)  # chunking changes nothing
    drawn = run_uncertainty(comparison.scenarios[:1], session, samples=3, seed=None)
    assert isinstance(drawn.seed, int)
    with pytest.raises(Exception, match="at least 2"):
        run_uncertainty(comparison.scenarios, session, samples=1, seed=1)


def test_without_calibration_draws_the_history_has_no_spread(comparison) -> None:
    """Sampled assumptions act from the end of the history: the past stays one run."""
    from sdmodel.analysis.uncertainty import run_uncertainty
    from sdmodel.runs import prepare

    plain = prepare(calibration="none")
    result = run_uncertainty(comparison.scenarios[:1], plain, samples=6, seed=2)
    assert not any(p.kind == "calibration" for p in result.parameters)
    end = plain.defaults[HISTORY_END_VARIABLE]
    bands = result.bands[result.bands["series"] == "coa_occupancy_total"].reset_index()
    past = bands.index < end  # one row per month from 2014-01
    assert (bands.loc[past, "q05"] == bands.loc[past, "q95"]).all()
    assert (bands.loc[~past, "q95"] > bands.loc[~past, "q05"]).iloc[12:].all()


# -- the command -----------------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("compare") / "cmp"
    result = invoke("compare", *NAMES, "--out", str(out), "--samples", "8", "--seed", "3")
    return result, out


def test_compare_writes_table_figures_and_manifest(compared) -> None:
    result, out = compared
    assert result.exit_code == 0, result.output
    assert f"to {out} in " in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "bands.csv", "comparison.png", "costs.csv", "costs.png", "fan_charts.png",
        "headline.csv", "kpis.csv", "kpis_columns.csv", "kpis_uncertainty.csv", "manifest.json",
        "results.csv",
        "samples.csv", "uncertain_parameters.csv",
    ])
    for png in ("comparison.png", "costs.png", "fan_charts.png"):
        assert (out / png).read_bytes()[:8] == PNG_SIGNATURE
    with (out / "kpis.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["scenario"] for r in rows] == NAMES
    assert list(rows[0]) == ["scenario", *TABLE_COLUMNS]


def test_compare_manifest_records_scenarios_calibration_and_seed(compared, session) -> None:
    _, out = compared
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3
    params = manifest["parameters"]
    assert [s["name"] for s in params["scenarios"]] == NAMES
    assert params["calibration"] == session.calibration.note
    assert params["samples"] == 8
    phased = params["scenarios"][2]
    assert phased["capacity"][0]["lever"] == "ind_staff"
    assert any(m["milestones"] for m in phased["measures"])


def test_compare_refuses_an_existing_folder_and_unknown_scenarios(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    result = invoke("compare", "baseline", "--out", str(out))
    assert result.exit_code != 0 and "--force" in result.output
    result = invoke("compare", "baseline", "alle-maatregelen-x", "--out", str(tmp_path / "n"))
    assert result.exit_code != 0
    assert "did you mean 'alle-maatregelen'" in result.output
    assert result.output.count("\n") == 1
    assert not (tmp_path / "n").exists()


def test_compare_reports_scenario_file_errors_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "slecht.toml"
    bad.write_text('[measures.anmw]\nintensity = 2\n', encoding="utf-8")
    result = invoke("compare", "baseline", str(bad), "--out", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert f"{bad}:2: [measures.anmw] intensity = 2 is outside [0, 1]" in result.output


def test_compare_help_lists_the_options() -> None:
    result = invoke("compare", "--help")
    assert result.exit_code == 0
    for option in ("--out", "--samples", "--seed", "--force", "--lang", "--calibration"):
        assert option in result.output


def test_a_scenario_keeps_its_colour_whichever_others_are_shown():
    from sdmodel.figures.style import scenario_colors

    three = scenario_colors(["baseline", "alle-maatregelen", "gefaseerd"])
    four = scenario_colors(["baseline", "wetten-zoals-aangenomen", "alle-maatregelen", "gefaseerd"])
    assert three["alle-maatregelen"] == four["alle-maatregelen"]
    assert three["gefaseerd"] == four["gefaseerd"]
    custom = scenario_colors(["baseline", "mijn-variant", "andere-variant"])
    assert len(set(custom.values())) == 3
