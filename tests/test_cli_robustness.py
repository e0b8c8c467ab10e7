"""The sensitivity and discover commands: bad input is one line and writes nothing; small runs
write their tables, figures and manifest, and the briefing reads them back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import cli


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def _one_line_error(result, out: Path, fragment: str) -> None:
    assert result.exit_code != 0
    lines = [line for line in result.output.strip().splitlines() if line.startswith("Error")]
    assert len(lines) == 1 and fragment in lines[0], result.output
    assert not out.exists()


@pytest.mark.parametrize(("args", "fragment"), [
    (["sensitivity", "baseline", "--samples", "16", "--method", "fast"], "'fast' is not one of"),
    (["sensitivity", "baseline", "--samples", "8"], "sobol needs at least 16 base samples"),
    (["sensitivity", "baseline", "--samples", "48"], "power of two; use 32 or 64"),
    (["sensitivity", "baseline", "--method", "morris", "--samples", "3"], "at least 4"),
    (["sensitivity", "baseline", "--samples", "16", "--kpi", "coa_2030x"],
     "--kpi coa_2030x: not a KPI (did you mean 'coa_2030'"),
    (["discover", "baseline", "--samples", "200", "--when", "coa_emergency_2030 >> 0"],
     "write KPI OP NUMBER"),
    (["discover", "baseline", "--samples", "200", "--when", "coa_emergncy_2030 > 0"],
     "--when coa_emergncy_2030: not a KPI"),
    (["discover", "baseline", "--samples", "50", "--when", "coa_2030 > 0"],
     "PRIM needs at least 100 futures"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, args: list[str],
                                                  fragment: str) -> None:
    out = tmp_path / "out"
    _one_line_error(invoke(*args, "--out", str(out)), out, fragment)


def test_a_year_outside_the_run_is_one_line(fast_model, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("discover", "baseline", "--samples", "100", "--when", "coa_2050 > 0",
                    "--out", str(out))
    _one_line_error(result, out, "--when coa_2050: the run covers 2014-")


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("robustness")
    out = {"sensitivity": base / "sens", "discovery": base / "disc"}
    result = invoke("sensitivity", "wetten-zoals-aangenomen", "--method", "morris",
                    "--samples", "4", "--kpi", "coa_2030", "--kpi", "coa_emergency_2030",
                    "--seed", "3", "--out", str(out["sensitivity"]))
    assert result.exit_code == 0, result.output
    result = invoke("discover", "alle-maatregelen", "--when", "coa_emergency_2030 > 60000",
                    "--samples", "120", "--seed", "3", "--out", str(out["discovery"]))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_sensitivity_writes_indices_parameters_tornados_and_manifest(folders) -> None:
    out = folders["sensitivity"]
    indices = pd.read_csv(out / "indices.csv")
    assert list(indices.columns) == ["parameter", "kpi", "mu_star", "mu_star_conf", "sigma"]
    params = pd.read_csv(out / "parameters.csv")
    assert set(indices["kpi"]) == {"coa_2030", "coa_emergency_2030"}
    assert set(indices["parameter"]) == set(params["parameter"])
    kinds = set(params["kind"])
    assert {"band", "constant", "effect"} <= kinds
    assert params["reason"].str.match(r"(aanname|bron): ").all()
    assert (out / "tornado_coa_2030.png").stat().st_size > 10_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["parameters"]["method"] == "morris"
    assert manifest["parameters"]["runs"] == 4 * (len(params) + 1)


@pytest.mark.slow
def test_discover_writes_boxes_trajectory_futures_and_reading(folders) -> None:
    out = folders["discovery"]
    boxes = pd.read_csv(out / "boxes.csv")
    assert list(boxes.columns)[:6] == ["box", "coverage", "density", "parameter", "low", "high"]
    futures = pd.read_csv(out / "futures.csv")
    assert len(futures) == 120
    assert futures["fails"].tolist() == (futures["coa_emergency_2030"].round() > 60000).tolist()
    reading = (out / "reading.txt").read_text().strip()
    assert reading.startswith("In ") and "coa_emergency_2030 > 60.000" in reading
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["failing"] == int(futures["fails"].sum())


@pytest.mark.slow
def test_the_briefing_pages_read_the_folders(folders) -> None:
    from sdmodel.briefing.robustness import load_discovery, load_sensitivity, robustness_makers

    makers = robustness_makers(load_sensitivity(folders["sensitivity"]),
                               load_discovery(folders["discovery"]), lang="nl",
                               source=lambda scenario: f"bron: {scenario}")
    assert list(makers) == ["tornado_coa_2030", "tornado_coa_emergency_2030", "discovery"]
    finding, make = makers["tornado_coa_2030"]
    indices = pd.read_csv(folders["sensitivity"] / "indices.csv")
    top = indices[indices["kpi"] == "coa_2030"].sort_values("mu_star").iloc[-1]
    assert finding.startswith("De COA-bezetting in 2030 (wetten-zoals-aangenomen) hangt het "
                              "meest af van")
    assert f"(mu* {round(top['mu_star']):,}".replace(",", ".") in finding
    fig = make()
    assert fig.texts or fig._suptitle is not None
    reading = (folders["discovery"] / "reading.txt").read_text().strip()
    assert makers["discovery"][0] == reading


def test_the_briefing_refuses_a_folder_that_is_not_a_result(tmp_path: Path) -> None:
    from sdmodel.briefing.robustness import load_sensitivity
    from sdmodel.errors import DataFileError

    with pytest.raises(DataFileError, match="no indices.csv; is it the output folder of "
                                            "'asielketen sensitivity'"):
        load_sensitivity(tmp_path)


def test_briefing_with_a_missing_result_folder_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "briefing"
    result = invoke("briefing", "--sensitivity", str(tmp_path / "nope"), "--out", str(out))
    _one_line_error(result, out, "--sensitivity")
    assert "no such folder; give the --out folder of 'asielketen sensitivity'" in result.output
