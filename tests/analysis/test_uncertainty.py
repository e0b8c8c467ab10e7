"""The ensemble: a design that does not depend on the scenarios compared, bands over history and
future from `simulate --samples`, and the headline check of the central run."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.names import HISTORY_END_VARIABLE, INFLOW_BAND_VARIABLE

BAND_COLUMNS = ["scenario", "series", "date", "q05", "q25", "q50", "q75", "q95"]


@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


@pytest.fixture(scope="module")
def scenarios(session):
    from sdmodel.scenarios.scenario import load_scenario

    names = ("baseline", "wetten-zoals-aangenomen", "alle-maatregelen", "instroom-hoog")
    return {name: load_scenario(name, model=session.model) for name in names}


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


# -- the design ------------------------------------------------------------------------------------


def test_same_seed_same_bands_whatever_else_is_compared(session, scenarios) -> None:
    """Issue 15 item 8: bit-identical bands of baseline, alone or with other scenarios."""
    from sdmodel.analysis.uncertainty import run_uncertainty

    alone = run_uncertainty([scenarios["baseline"]], session, samples=6, seed=11)
    others = [scenarios["alle-maatregelen"], scenarios["baseline"],
              scenarios["wetten-zoals-aangenomen"]]
    together = run_uncertainty(others, session, samples=6, seed=11, chunk_size=4)
    mine = together.bands[together.bands["scenario"] == "baseline"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.bands, mine, check_exact=True)
    pd.testing.assert_frame_equal(alone.design, together.design, check_exact=True)
    kpis = together.sample_kpis[together.sample_kpis["scenario"] == "baseline"]
    pd.testing.assert_frame_equal(alone.sample_kpis, kpis.reset_index(drop=True),
                                  check_exact=True)
    # the measures' effects are sampled for the scenarios that have them, not for baseline
    assert {p.kind for p in alone.parameters} == {"band", "constant", "calibration"}
    assert "effect" in {p.kind for p in together.parameters}
    other_seed = run_uncertainty([scenarios["baseline"]], session, samples=6, seed=12)
    assert not other_seed.bands["q95"].equals(alone.bands["q95"])


def test_design_columns_depend_only_on_the_seed_and_their_name(session) -> None:
    from sdmodel.analysis.design import Uncertain, latin_hypercube, model_uncertainties

    every = model_uncertainties(session)
    full = latin_hypercube(every, 9, seed=4)
    subset = latin_hypercube(every[5:12][::-1], 9, seed=4)
    pd.testing.assert_frame_equal(subset, full[subset.columns], check_exact=True)
    extra = Uncertain("a new assumption", "constant", 0.0, 1.0, 0.5, "test")
    grown = latin_hypercube([extra, *every], 9, seed=4)
    pd.testing.assert_frame_equal(grown[full.columns], full, check_exact=True)
    assert not latin_hypercube(every, 9, seed=5).equals(full)
    with pytest.raises(ValueError, match="seed -1"):
        latin_hypercube(every, 9, seed=-1)


def test_each_input_has_its_median_at_the_central_value() -> None:
    """Two-piece uniform: half the samples between low and the central value, half above."""
    from sdmodel.analysis.design import Uncertain, latin_hypercube, to_unit

    skewed = Uncertain("skewed", "constant", 0.1, 1.0, 0.4, "test")
    at_bound = Uncertain("at its lower bound", "effect", 0.0, 279.0, 0.0, "test")
    design = latin_hypercube([skewed, at_bound], 1000, seed=1)
    assert (design["skewed"] < 0.4).sum() == 500 and design["skewed"].between(0.1, 1.0).all()
    assert np.median(design["skewed"]) == pytest.approx(0.4, abs=2e-3)
    assert (design["at its lower bound"] == 0).sum() >= 499
    assert design["at its lower bound"].max() > 270
    units = to_unit(skewed, design["skewed"].to_numpy())
    assert sorted(np.floor(units * 1000 + 1e-9).astype(int)) == list(range(1000))


def test_what_each_scenario_takes_from_the_design(session, scenarios) -> None:
    from sdmodel.analysis.design import effect_column, model_uncertainties, uses
    from sdmodel.scenarios.measures import MEASURES

    every = {p.name: p for p in model_uncertainties(session)}
    assert {p.kind for p in every.values()} == {"band", "constant", "effect", "calibration"}
    # a law element that two bills carry is one quantity
    column = effect_column("eu_pact", MEASURES["eu_pact"].effect("reassessment_workload"))
    assert column == effect_column("anmw", MEASURES["anmw"].effect("reassessment_workload"))
    assert sum(name.endswith(".reassessment_workload") for name in every) == 1
    baseline, laws, high = (scenarios[n] for n in ("baseline", "wetten-zoals-aangenomen",
                                                   "instroom-hoog"))
    band = every[INFLOW_BAND_VARIABLE]
    assert uses(baseline, band) and not uses(high, band)  # the high edge is kept
    assert not any(uses(baseline, p) for p in every.values() if p.kind == "effect")
    assert uses(laws, every["two_status.revocation_share"])
    assert not uses(laws, every["spreidingswet.emergency_cost_factor"])  # switched off
    constant = next(p for p in every.values() if p.kind == "constant")
    pinned = dataclasses.replace(baseline, overrides={**baseline.overrides,
                                                      constant.name: constant.low})
    assert uses(baseline, constant) and not uses(pinned, constant)  # [set] values are kept


def test_a_scenario_at_the_band_edge_keeps_it_and_set_values_stay(session, scenarios) -> None:
    from sdmodel.analysis.uncertainty import (
        bootstrap_draws,
        future_inputs,
        latin_hypercube,
        model_uncertainties,
        run_uncertainty,
    )

    every = model_uncertainties(session)
    design = latin_hypercube(every, 5, seed=2)
    draws = bootstrap_draws(session)
    blank = design.assign(**{INFLOW_BAND_VARIABLE: np.nan})  # as run_uncertainty runs it
    high = future_inputs(scenarios["instroom-hoog"], session, every, blank, draws)
    assert (high.constants[INFLOW_BAND_VARIABLE] == 1.0).all()
    ensemble = run_uncertainty([scenarios["instroom-hoog"]], session, samples=3, seed=2)
    assert INFLOW_BAND_VARIABLE not in {p.name for p in ensemble.parameters}
    mid = future_inputs(scenarios["baseline"], session, every, design, draws)
    np.testing.assert_array_equal(mid.constants[INFLOW_BAND_VARIABLE],
                                  design[INFLOW_BAND_VARIABLE].to_numpy())
    name = "social lettings per year"
    pinned = dataclasses.replace(scenarios["baseline"],
                                 overrides={**scenarios["baseline"].overrides, name: 150000.0})
    kept = future_inputs(pinned, session, every, design, draws)
    assert name not in kept.series and (kept.constants[name] == 150000.0).all()
    assert name in mid.series


# -- the headline check ----------------------------------------------------------------------------


def test_percentile_counts_ties_half() -> None:
    from sdmodel.analysis.headline import percentile_of

    assert percentile_of(5.0, np.arange(10.0)) == 55.0
    assert percentile_of(3.0, np.full(8, 3.0)) == 50.0
    assert percentile_of(-1.0, np.arange(4.0)) == 0.0
    assert percentile_of(9.0, np.arange(4.0)) == 100.0


def test_headline_is_the_central_run_or_else_the_median_for_the_whole_scenario(
        session, scenarios) -> None:
    from sdmodel.analysis.compare import kpi_table
    from sdmodel.analysis.headline import HEADLINE_KPIS, KEY_KPIS, central_kpis, headline_table
    from sdmodel.runs import run_scenarios

    chosen = [scenarios["baseline"]]
    results = run_scenarios(chosen, session)
    central = central_kpis(chosen[0], results["baseline"])
    table = kpi_table(results, chosen).iloc[0]
    for kpi in ("coa_2030", "coa_emergency_2030", "ind_backlog_2030", "cost_total_meur"):
        assert central[kpi] == pytest.approx(table[kpi], abs=0.51), kpi  # same as kpis.csv
    spread = np.linspace(0.8, 1.2, 101)
    around = pd.DataFrame({k: central[k] * spread for k in HEADLINE_KPIS})
    around.insert(0, "sample", range(101))
    around.insert(0, "scenario", "baseline")
    check = headline_table(chosen, results, around)
    assert set(check["headline_from"]) == {"central"}
    assert (check.loc[check["key"], "percentile"].between(40, 60)).all()
    np.testing.assert_allclose(check["headline"], check["central"])
    shifted = around.copy()
    shifted[KEY_KPIS[0]] = central[KEY_KPIS[0]] * (spread + 0.3)  # central at percentile 0
    check = headline_table(chosen, results, shifted)
    assert set(check["headline_from"]) == {"median"}  # one decision per scenario
    np.testing.assert_allclose(check["headline"], check["q50"])


# -- simulate --samples ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("bands") / "run"
    result = invoke("simulate", "--samples", "4", "--seed", "3", "--until", "2031-12",
                    "--out", str(out))
    return result, out


def test_simulate_samples_writes_bands_over_history_and_future(simulated, session) -> None:
    result, out = simulated
    assert result.exit_code == 0, result.output
    for name in ("bands.csv", "bands.png", "headline.csv", "kpis_uncertainty.csv",
                 "samples.csv", "uncertain_parameters.csv", "results.csv", "manifest.json"):
        assert (out / name).is_file(), name
    bands = pd.read_csv(out / "bands.csv", parse_dates=["date"])
    assert list(bands.columns) == BAND_COLUMNS and set(bands["scenario"]) == {"baseline"}
    coa = bands[bands["series"] == "coa_occupancy_total"].reset_index(drop=True)
    assert coa["date"].iloc[0] == pd.Timestamp("2014-01-01")
    assert coa["date"].iloc[-1] == pd.Timestamp("2031-12-01")  # cut at --until
    end = int(session.defaults[HISTORY_END_VARIABLE])
    past, future = coa.iloc[1:end], coa.iloc[end + 12:]
    assert (past["q95"] > past["q05"]).any()  # the bootstrap rows spread the history
    assert (future["q95"] > future["q05"]).all()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    params = manifest["parameters"]
    assert manifest["seed"] == 3 and params["samples"] == 4
    assert "40th-60th percentile" in params["headline_rule"]
    assert params["headline"]["baseline"]["from"] in ("central", "median")
    headline = pd.read_csv(out / "headline.csv")
    assert set(headline["headline_from"]) == {params["headline"]["baseline"]["from"]}


@pytest.mark.slow
def test_simulate_bands_equal_those_of_compare_with_the_same_seed(simulated, tmp_path) -> None:
    _, out = simulated
    result = invoke("compare", "alle-maatregelen", "baseline", "--samples", "4", "--seed", "3",
                    "--out", str(tmp_path / "cmp"))
    assert result.exit_code == 0, result.output
    mine = pd.read_csv(out / "bands.csv")
    theirs = pd.read_csv(tmp_path / "cmp" / "bands.csv")
    theirs = theirs[(theirs["scenario"] == "baseline") & (theirs["date"] <= "2031-12-01")]
    pd.testing.assert_frame_equal(mine, theirs.reset_index(drop=True), check_exact=True)


@pytest.mark.parametrize(("args", "message"), [
    (("--samples", "1"), "give at least 2 samples"),
    (("--samples", "4", "--seed", "-1"), "-1 is not in the range"),
])
def test_simulate_refuses_bad_ensemble_options_and_writes_nothing(args, message,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = invoke("simulate", *args, "--out", str(out))
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()
