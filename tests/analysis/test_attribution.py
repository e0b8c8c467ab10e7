"""Attribution per measure: Shapley arithmetic, a small model with a known answer, the project's
scenarios and the `decompose` command."""

from __future__ import annotations

import json
from itertools import permutations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.analysis import shapley as S
from sdmodel.analysis.attribution import Valuation, attribute, coalitions, players
from sdmodel.analysis.kpi_arrays import year_kpi
from sdmodel.scenarios.measures import MEASURES, MeasureSetting
from sdmodel.scenarios.scenario import Scenario
from sdmodel.scenarios.schedule import Schedule, parse_date

ROOT = Path(__file__).resolve().parents[2]
SMALL_MODEL = ROOT / "tests" / "models" / "decompose_measures.mdl"
SMALL_VALUATION = Valuation(
    ("coa_occupancy_total", "undocumented_on_street"),
    lambda monthly, _t: {"coa_2030": year_kpi(monthly, "coa", 2030),
                         "street_2030": year_kpi(monthly, "undocumented_on_street", 2030)})


def _close(a: float, b: float, *, scale: float) -> bool:
    return abs(a - b) <= 1e-9 * max(scale, 1e-300)


# -- the arithmetic ------------------------------------------------------------------------------

def _shapley_by_orders(v: np.ndarray, k: int) -> np.ndarray:
    """Shapley values as the mean marginal contribution over all k! orders (the definition)."""
    out = np.zeros(k)
    orders = list(permutations(range(k)))
    for order in orders:
        coalition = 0
        for i in order:
            out[i] += v[coalition | (1 << i)] - v[coalition]
            coalition |= 1 << i
    return out / len(orders)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_shapley_matches_the_definition_and_adds_up(k: int) -> None:
    v = np.random.default_rng(k).normal(size=2 ** k) * 1000
    phi = S.shapley(v)
    np.testing.assert_allclose(phi, _shapley_by_orders(v, k), rtol=1e-12, atol=1e-9)
    assert _close(phi.sum(), v[-1] - v[0], scale=np.abs(v).max())


def test_an_additive_player_gets_its_own_effect_everywhere() -> None:
    k = 4
    inside = S.members(k)
    rng = np.random.default_rng(1)
    rest = rng.normal(size=2 ** k)
    rest[inside[2]] = rest[~inside[2]]  # player 2 changes nothing in the rest ...
    v = rest + 7.5 * inside[2]  # ... and adds 7.5 wherever it is
    for values in (S.shapley(v), S.alone(v), S.without(v)):
        assert values[2] == pytest.approx(7.5, rel=1e-12)


def test_a_game_that_is_not_2_to_the_k_is_refused() -> None:
    with pytest.raises(Exception, match="2\\*\\*k"):
        S.shapley(np.zeros(6))


# -- the small model: a known decomposition ------------------------------------------------------

@pytest.fixture(scope="module")
def small_session():
    from sdmodel.runs import prepare

    return prepare(SMALL_MODEL, calibration="none")


def _setting(name: str, start: str = "2026-01-01", ramp: float = 0) -> MeasureSetting:
    return MeasureSetting(MEASURES[name], Schedule(parse_date(start), ramp_months=ramp))


@pytest.fixture(scope="module")
def small_scenarios():
    reference = Scenario("reference")
    scenario = Scenario("three", measures=(
        _setting("huisvestingswet", "2027-01-01", 24), _setting("criminalisation", "2027-01-01"),
        _setting("lvv")))
    return scenario, reference


def test_small_model_decomposition_is_the_known_one(small_session, small_scenarios) -> None:
    scenario, reference = small_scenarios
    result = attribute(scenario, reference, small_session, valuation=SMALL_VALUATION)
    assert result.players == ("huisvestingswet", "criminalisation", "lvv")
    table = result.table.set_index(["kpi", "measure"])
    # inflow 800 a month; stay 6 months, x2 without housing priority, x1.5 criminalised:
    # 4,800 -> 9,600 (housing alone), 7,200 (criminalisation alone), 14,400 (both)
    assert result.values["coa_2030"][0] == pytest.approx(4800)
    assert result.values["coa_2030"][-1] == pytest.approx(14400)
    housing, crim = table.loc[("coa_2030", "huisvestingswet")], table.loc[("coa_2030",
                                                                         "criminalisation")]
    assert housing["alone"] == pytest.approx(4800) and crim["alone"] == pytest.approx(2400)
    assert housing["shapley"] == pytest.approx(4800 + 1200)  # half of the interaction each
    assert crim["shapley"] == pytest.approx(2400 + 1200)
    assert housing["without"] == pytest.approx(14400 - 7200)


def test_shapley_sums_to_the_total_and_a_lone_measure_equals_alone(small_session,
                                                                   small_scenarios) -> None:
    scenario, reference = small_scenarios
    result = attribute(scenario, reference, small_session, valuation=SMALL_VALUATION)
    totals = result.totals.set_index("kpi")
    for kpi, rows in result.table.groupby("kpi"):
        scale = totals.loc[kpi, ["reference", "scenario"]].abs().max()
        assert _close(rows["shapley"].sum(), totals.loc[kpi, "delta"], scale=scale)
    lvv = result.table[result.table["measure"] == "lvv"].set_index("kpi")
    assert lvv.loc["street_2030", "alone"] == pytest.approx(456)  # 2 x 228 places closed
    for kpi in ("coa_2030", "street_2030"):
        assert _close(lvv.loc[kpi, "shapley"], lvv.loc[kpi, "alone"], scale=1e4)
        assert _close(lvv.loc[kpi, "without"], lvv.loc[kpi, "alone"], scale=1e4)


def test_over_the_futures_the_shares_still_add_up(small_session, small_scenarios) -> None:
    from sdmodel.analysis.attribution import run_coalitions_futures
    from sdmodel.analysis.ensemble_runs import draw_futures

    scenario, reference = small_scenarios
    chosen = players(scenario, reference, small_session)
    runs = coalitions(scenario, reference, chosen)
    futures = draw_futures([reference, scenario], small_session, samples=6, seed=5)
    values = run_coalitions_futures(runs, small_session, futures, valuation=SMALL_VALUATION)
    coa = values["coa_2030"]
    assert coa.shape == (8, 6) and np.ptp(coa[0]) > 0  # the futures differ
    phi = S.shapley(coa)
    np.testing.assert_allclose(phi.sum(axis=0), coa[-1] - coa[0], rtol=1e-9)
    np.testing.assert_allclose(S.shapley(values["street_2030"])[2], 456, rtol=1e-9)
    # each future's central inputs reproduce the central run's value in the middle of the band
    central = attribute(scenario, reference, small_session, valuation=SMALL_VALUATION)
    assert np.all(coa[-1] > coa[0]) and central.values["coa_2030"][-1] > 0


def test_a_scenario_without_measures_is_refused(small_session, small_scenarios) -> None:
    _, reference = small_scenarios
    with pytest.raises(Exception, match="no measures switched on"):
        players(reference, reference, small_session)


# -- the project's scenarios ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


@pytest.mark.slow
def test_shared_law_elements_count_once_in_every_coalition(session) -> None:
    """alle-maatregelen: the 3-year permit comes through 36704 and 36871; the whole coalition is
    the scenario itself and the empty one the baseline (kpis.csv of compare)."""
    from sdmodel.analysis.attribution import decompose
    from sdmodel.analysis.compare import compare

    result = decompose("alle-maatregelen", session=session)
    assert "anmw" in result.players and "eu_pact" in result.players
    table = compare(["baseline", "alle-maatregelen"], session=session).kpis.set_index("scenario")
    totals = result.totals.set_index("kpi")
    for kpi in ("coa_2030", "coa_emergency_2030", "ind_backlog_2030", "cost_total_meur"):
        assert totals.loc[kpi, "reference"] == pytest.approx(table.loc["baseline", kpi], abs=0.6)
        assert totals.loc[kpi, "scenario"] == pytest.approx(table.loc["alle-maatregelen", kpi],
                                                            abs=0.6)
    for kpi, rows in result.table.groupby("kpi"):
        scale = totals.loc[kpi, ["reference", "scenario"]].abs().max()
        assert _close(rows["shapley"].sum(), totals.loc[kpi, "delta"], scale=scale)


def test_decompose_writes_the_tables_figures_and_manifest(fast_model, tmp_path: Path
                                                          ) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["decompose", "wetten-zoals-aangenomen",
                                           "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"attribution.csv", "totals.csv", "manifest.json", "waterfall_coa_2030.png",
            "waterfall_cost_total_meur.png"} <= names
    attribution = pd.read_csv(out / "attribution.csv")
    assert list(attribution.columns) == ["kpi", "measure", "shapley", "alone", "without"]
    assert set(attribution["measure"]) == {"two_status", "eu_pact"}
    totals = pd.read_csv(out / "totals.csv")
    assert list(totals.columns) == ["kpi", "reference", "scenario", "delta"]
    sums = attribution.groupby("kpi")["shapley"].sum()
    delta = totals.set_index("kpi")["delta"]
    np.testing.assert_allclose(sums[delta.index], delta, rtol=1e-9, atol=1e-6)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["coalitions"] == 4
    assert manifest["parameters"]["players"] == ["two_status", "eu_pact"]


@pytest.mark.parametrize("args, fragment", [
    (["baseline"], "no measures switched on"),
    (["instroom-hoog"], "no measures switched on"),
    (["nergens"], "nergens"),
])
def test_bad_decompose_input_is_one_line_and_writes_nothing(fast_model, tmp_path: Path,
                                                            args: list[str], fragment: str
                                                            ) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["decompose", *args, "--out", str(out)])
    assert result.exit_code != 0
    assert fragment in result.output and result.output.strip().count("\n") == 0
    assert not out.exists()
