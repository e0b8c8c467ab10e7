"""Break-even inflow change: a known root in a small model, the project's scenario at its
break-even change, the ensemble and the `breakeven` command's errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import cli
from sdmodel.analysis.breakeven import bracket, solve_breakeven
from sdmodel.scenarios.measures import MEASURES, MeasureSetting
from sdmodel.scenarios.scenario import Scenario
from sdmodel.scenarios.schedule import Schedule, parse_date

ROOT = Path(__file__).resolve().parents[2]
SMALL_MODEL = ROOT / "tests" / "models" / "decompose_measures.mdl"


def test_bracket_picks_the_sign_change_nearest_zero() -> None:
    changes = np.array([-0.9, -0.5, 0.0, 0.5, 1.0])
    assert bracket(changes, np.array([-3.0, 1.0, 2.0, -1.0, 1.0])) == (0.0, 0.5)
    assert bracket(changes, np.array([-3.0, 1.0, 2.0, 3.0, 4.0])) == (-0.9, -0.5)
    assert bracket(changes, np.array([3.0, 1.0, -2.0, -1.0, 1.0])) == (-0.5, 0.0)
    assert bracket(changes, np.array([3.0, 1.0, 0.0, -1.0, 1.0])) == (0.0, 0.0)
    assert bracket(changes, np.ones(5)) is None


@pytest.fixture(scope="module")
def small_session():
    from sdmodel.runs import prepare

    return prepare(SMALL_MODEL, calibration="none")


@pytest.fixture(scope="module")
def small_scenario() -> Scenario:
    def setting(name: str) -> MeasureSetting:
        return MeasureSetting(MEASURES[name], Schedule(parse_date("2027-01-01")))

    return Scenario("two", measures=(setting("huisvestingswet"), setting("criminalisation")))


def test_small_model_breakeven_is_the_known_root(small_session, small_scenario) -> None:
    # COA occupancy = 800 x (1 + c) x stay; stay 18 months with both measures, 6 without:
    # 800 x 6 = 800 x (1 + c) x 18 at c = -2/3
    result = solve_breakeven(small_scenario, Scenario("reference"), small_session, kpi="coa",
                             year=2030)
    assert result.kpi_reference == pytest.approx(4800)
    assert result.kpi_scenario == pytest.approx(14400)
    assert result.inflow_change == pytest.approx(-2 / 3, abs=1e-4)
    assert result.kpi_at_breakeven == pytest.approx(4800, rel=1e-3)


def test_over_the_futures_each_future_breaks_even_against_its_reference(
        small_session, small_scenario) -> None:
    result = solve_breakeven(small_scenario, Scenario("reference"), small_session, kpi="coa",
                             year=2030, samples=8, seed=11)
    table = result.per_future
    assert len(table) == 8 and table["inflow_change"].notna().all()
    assert np.ptp(table["kpi_reference"]) > 0  # the futures differ
    np.testing.assert_allclose(table["kpi_at_breakeven"], table["kpi_reference"], rtol=0.01)
    # the stay effect e of criminalisation is sampled (0.3-0.7), its inflow effect held at 0:
    # c = 6 / (12 x (1 + e)) - 1
    assert table["inflow_change"].between(1 / 3.4 - 1 - 1e-4, 1 / 2.6 - 1 + 1e-4).all()
    band = result.band()
    assert band["q05"] <= result.inflow_change <= band["q95"] and band["share_found"] == 1


@pytest.fixture(scope="module")
def session():
    from sdmodel.runs import prepare

    return prepare()


@pytest.mark.slow
def test_scenario_at_its_breakeven_change_reproduces_the_reference_kpi(session,
                                                                      tmp_path_factory) -> None:
    from sdmodel.analysis.breakeven import breakeven
    from sdmodel.analysis.compare import compare

    result = breakeven("wetten-zoals-aangenomen", kpi="coa", year=2030, session=session)
    assert result.inflow_change < 0  # the laws raise COA occupancy: less inflow to pay off
    source = (ROOT / "models" / "scenarios" / "wetten-zoals-aangenomen.toml").read_text()
    folder = tmp_path_factory.mktemp("breakeven")
    text = source.replace('name = "wetten-zoals-aangenomen"', 'name = "at-breakeven"').replace(
        '[inflow]\nband = "mid"', f'[inflow]\nband = "mid"\nchange = {result.inflow_change!r}')
    assert "change =" in text
    (folder / "at-breakeven.toml").write_text(text, encoding="utf-8")
    table = compare(["baseline", str(folder / "at-breakeven.toml")],
                    session=session).kpis.set_index("scenario")
    assert table.loc["at-breakeven", "coa_2030"] == pytest.approx(
        table.loc["baseline", "coa_2030"], rel=0.01)
    assert result.kpi_at_breakeven == pytest.approx(result.kpi_reference, rel=0.01)


def test_breakeven_writes_the_table_figure_and_manifest(fast_model, tmp_path: Path
                                                        ) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["breakeven", "wetten-zoals-aangenomen", "--kpi",
                                           "coa_2030", "--year", "2030", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "instroom" in result.output
    table = pd.read_csv(out / "breakeven.csv")
    assert list(table.columns[:5]) == ["kpi", "year", "inflow_change", "kpi_reference",
                                       "kpi_at_breakeven"]
    assert table.loc[0, "kpi"] == "coa" and table.loc[0, "year"] == 2030
    assert {"breakeven.png", "breakeven_curve.csv", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["kpi"] == "coa"


@pytest.mark.parametrize("args, fragment", [
    (["wetten-zoals-aangenomen", "--kpi", "coa_bezetting", "--year", "2030"], "--kpi"),
    (["wetten-zoals-aangenomen", "--kpi", "coa", "--year", "2040"], "--year 2040"),
    (["wetten-zoals-aangenomen", "--kpi", "coa", "--year", "2020"], "--year 2020"),
    (["wetten-zoals-aangenomen", "--kpi", "coa_2031", "--year", "2030"], "--kpi coa_2031"),
    (["baseline", "--kpi", "coa", "--year", "2030"], "no measures switched on"),
])
def test_bad_breakeven_input_is_one_line_and_writes_nothing(fast_model, tmp_path: Path,
                                                            args: list[str], fragment: str
                                                            ) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["breakeven", *args, "--out", str(out)])
    assert result.exit_code != 0
    assert fragment in result.output and result.output.strip().count("\n") == 0
    assert not out.exists()


def test_inflow_change_in_a_scenario_file_scales_the_future_inflow(session, tmp_path: Path
                                                                  ) -> None:
    from sdmodel.runs import run_scenarios
    from sdmodel.scenarios.scenario import load_scenario

    path = tmp_path / "minder.toml"
    path.write_text('name = "minder"\n[inflow]\nband = "mid"\nchange = -0.12\n')
    less = load_scenario(path, model=session.model)
    base = load_scenario("baseline", model=session.model)
    runs = run_scenarios([base, less], session)
    a, b = runs["baseline"]["asylum_first_applications"], runs["minder"][
        "asylum_first_applications"]
    assert np.allclose(a.loc[:"2025-12"], b.loc[:"2025-12"])  # the history stays
    assert np.allclose(b.loc["2027":], 0.88 * a.loc["2027":], rtol=1e-9)
    path.write_text('[inflow]\nchange = -1.5\n')
    with pytest.raises(Exception, match="outside its range"):
        load_scenario(path, model=session.model)
    path.write_text('[inflow]\nchange = -0.1\n[set]\n"future inflow change" = -0.1\n')
    with pytest.raises(Exception, match="repeats \\[inflow\\] change"):
        load_scenario(path, model=session.model)
