"""calibrate end to end on a small problem, its output folder, the back-test, and bad input:
one-line errors, nothing written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from calibration.command import calibrate
from calibration.files import calibration_files
from sdmodel.data.fitted import load_default
from sdmodel.errors import AsielketenError, DataFileError, OutputExistsError, UnknownVariableError
from sdmodel.outputs.folder import check_out_dir, write_outputs
from sdmodel.paths import DATA_DIR

DATA = DATA_DIR

SMALL = """
[settings]
error = "log"
loss = "soft_l1"

[fit]
starts = 2
seed = 1
max_nfev = 8
bootstrap = 4

[series.coa_status_holders_waiting]
weight = 1.0

[series.nareis_arrivals]
weight = 1.0

[series.ind_pending_nareis]
{series_extra}

[parameters."target realisation"]
{param_extra}

[parameters."nareis per grant"]
tied = ["nareis per subsidiary grant"]
"""


def calibrate_into(out_dir: Path, *, lang: str = "nl", force: bool = False, **kwargs):
    """What ``asielketen calibrate`` does: check --out, calibrate, write the folder at once."""
    check_out_dir(out_dir, force=force)
    result = calibrate(**kwargs)
    write_outputs(out_dir, calibration_files(result, lang=lang), force=force,
                  manifest=result.manifest)
    return result


def small_config(tmp_path: Path, *, series_extra: str = "weight = 1.0",
                 param_extra: str = "") -> Path:
    path = tmp_path / "calibration.toml"
    path.write_text(SMALL.format(series_extra=series_extra, param_extra=param_extra),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, chain_model):
    pytest.importorskip("sdmodel.engine.batch")
    tmp = tmp_path_factory.mktemp("cal")
    out = tmp / "out"
    result = calibrate_into(out, config_path=small_config(tmp), lang="en")
    return result, out


def test_writes_a_complete_folder(small_run):
    result, out = small_run
    names = {p.name for p in out.iterdir()}
    for name in ("parameters.csv", "statistics.csv", "observations_fit.csv", "fit_report.md",
                 "manifest.json", "bootstrap.csv", "starts.csv", "calibration.toml",
                 "fit_overview.png", "fit_nareis_arrivals.png"):
        assert name in names, name
    values = load_default(out)
    assert set(values) == {"target realisation", "nareis per grant", "nareis per subsidiary grant"}
    assert values["nareis per grant"] == values["nareis per subsidiary grant"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 1 and manifest["parameters"]["method"] == "lsq"
    assert "fit_report.md" in manifest["outputs"]
    report = (out / "fit_report.md").read_text(encoding="utf-8")
    assert "Theil" in report and "not used: no model output" in report
    assert set(result.statistics.index) == {"coa_status_holders_waiting", "nareis_arrivals",
                                            "ind_pending_nareis"}


def test_same_seed_same_result(small_run, tmp_path):
    result, _ = small_run
    again = calibrate(config_path=small_config(tmp_path), figures=False)
    assert again.fit.x.tolist() == result.fit.x.tolist()
    assert again.x.tolist() == result.x.tolist() and again.fun.tolist() == result.fun.tolist()


def test_the_result_is_frozen_with_scipys_fields(small_run):
    result, _ = small_run
    assert result.x.tolist() == list(result.fit.params.values())
    assert result.cost == pytest.approx(0.5 * float(result.fun @ result.fun))
    assert (result.success, result.message, result.nfev) == (
        result.fit.success, result.fit.message, result.fit.nfev)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.x = result.x * 2


def test_backtest_scores_held_back_rows(tmp_path, chain_model):
    pytest.importorskip("sdmodel.engine.batch")
    out = tmp_path / "bt"
    result = calibrate_into(out, until="2022-01-01", config_path=small_config(tmp_path),
                            figures=False)
    assert result.backtest is not None
    assert (result.backtest.rows["period_start"] >= "2022-01-01").all()
    assert (result.rows["period_end"] < "2022-01-01").all()
    assert "ind_pending_nareis" in result.backtest.statistics.index  # only held-back rows
    assert (out / "backtest.csv").is_file()


def _fails(tmp_path: Path, error: type, match: str, **kwargs) -> str:
    out = tmp_path / "never"
    with pytest.raises(error, match=match) as info:
        calibrate_into(out, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert not out.exists()
    assert not list(tmp_path.glob(".never*"))
    return message


def test_broken_observations_file(tmp_path):
    bad = tmp_path / "observations.csv"
    lines = (DATA / "observations.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",flow,", ",flux,", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _fails(tmp_path, DataFileError, "observations.csv line 6, field 'kind'",
                     observations_path=bad, config_path=small_config(tmp_path))
    assert "flux" in message


def test_unknown_series_in_mapping(tmp_path):
    path = small_config(tmp_path).read_text(encoding="utf-8")
    (tmp_path / "c.toml").write_text(path + "\n[series.coa_ocupancy_total]\nweight = 1\n",
                                     encoding="utf-8")
    message = _fails(tmp_path, DataFileError, r"\[series\.coa_ocupancy_total\] no series",
                     config_path=tmp_path / "c.toml")
    assert "coa_occupancy_total" in message  # did you mean


def test_unknown_model_variable_in_mapping(tmp_path):
    config = small_config(tmp_path, series_extra='variable = "nareis pendng"')
    message = _fails(tmp_path, UnknownVariableError, r"\[series\.ind_pending_nareis\] variable",
                     config_path=config)
    assert "'nareis pending'" in message


def test_bounds_min_above_max(tmp_path):
    config = small_config(tmp_path, param_extra="min = 1.0\nmax = 0.5")
    _fails(tmp_path, DataFileError, r"min 1 is not below max 0\.5", config_path=config)


def test_start_outside_bounds(tmp_path):
    config = small_config(tmp_path, param_extra="min = 0.5\nmax = 0.8\nstart = 0.9")
    _fails(tmp_path, DataFileError, r"\[parameters\.\"target realisation\"\] start",
           config_path=config)


def test_unknown_parameter_and_bad_until(tmp_path):
    config = small_config(tmp_path).read_text(encoding="utf-8")
    (tmp_path / "c.toml").write_text(config + '\n[parameters."target realisaton"]\n',
                                     encoding="utf-8")
    _fails(tmp_path, UnknownVariableError, "did you mean 'target realisation'",
           config_path=tmp_path / "c.toml")
    _fails(tmp_path, AsielketenError, "--until '2022-13-01' is not a date", until="2022-13-01",
           config_path=small_config(tmp_path))


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "exists"
    out.mkdir()
    with pytest.raises(OutputExistsError, match="--force"):
        calibrate_into(out, config_path=small_config(tmp_path))
