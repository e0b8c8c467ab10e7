"""The command line, in-process with click's CliRunner, against the real model."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from sdmodel.figures.labels import KPI_LABELS
from sdmodel.names import INFLOW_BAND_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
CONSTANT = "base time to acquire regular capacity"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


OLD_FILES = ["manifest.json", "old.txt"]


def make_old_output(out: Path) -> None:
    """A folder as an earlier run of the same command left it (its manifest lists its files)."""
    out.mkdir()
    (out / "old.txt").write_text("keep", encoding="utf-8")
    digest = hashlib.sha256(b"keep").hexdigest()
    manifest = {"command": "asielketen simulate --out run", "outputs": {"old.txt": digest}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory):
    """One unpatched `asielketen simulate` run: (result, output folder)."""
    out = tmp_path_factory.mktemp("simulate") / "run"
    result = CliRunner().invoke(
        cli.main, ["simulate", "--scenario", "instroom-hoog", "--set", f"{CONSTANT}=12",
                   "--out", str(out)]
    )
    return result, out


def test_simulate_writes_results_figure_and_manifest(simulated) -> None:
    result, out = simulated
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "kpi_overview.png", "manifest.json", "results.csv"
    ]
    assert f"to {out} in " in result.output
    assert result.stdout.count("\n") == 1  # stderr may add the one-time numba compile line
    assert sorted(p.name for p in out.parent.iterdir()) == ["run"]  # no temporary folders left


def test_results_csv_has_dates_and_labelled_kpis(simulated) -> None:
    _, out = simulated
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[0] == "date"
    assert rows[1][0] == "2014-01-01"
    assert rows[-1][0].endswith("-01")
    assert {"coa_occupancy_total", "ter_apel_occupancy", "ind_pending_asylum"} <= set(header)
    assert set(header[1:]) <= set(KPI_LABELS), "every KPI column needs a label in labels.py"


def test_manifest_records_model_data_parameters_and_versions(simulated, chain_model) -> None:
    from sdmodel.data.observations import data_sha256

    _, out = simulated
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"]["sha256"] == chain_model.sha256
    assert manifest["data_sha256"] == data_sha256()
    params = manifest["parameters"]
    assert params["scenario"] == "instroom-hoog"
    assert params["overrides"][INFLOW_BAND_VARIABLE] == 1.0  # from the scenario
    assert params["overrides"][CONSTANT] == 12.0  # from --set
    assert {"python", "asielketen", "pysd", "numpy", "pandas", "scipy"} <= set(
        manifest["versions"]
    )
    assert manifest["command"].startswith("asielketen simulate")
    assert "--scenario instroom-hoog" in manifest["command"]
    assert set(manifest["outputs"]) == {"results.csv", "kpi_overview.png"}


def test_figure_is_a_png(simulated) -> None:
    _, out = simulated
    data = (out / "kpi_overview.png").read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000


def test_until_and_english_labels(fast_model, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = invoke("simulate", "--until", "2016-12", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    last = (out / "results.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith("2016-12-01,")


@pytest.mark.parametrize("until", ["2016/12", "1990-01"])
def test_bad_until_is_a_one_line_error(fast_model, tmp_path: Path, until: str) -> None:
    result = invoke("simulate", "--until", until, "--out", str(tmp_path / "run"))
    assert result.exit_code == 1
    assert until in result.output
    assert not (tmp_path / "run").exists()


def test_unknown_set_name_suggests_the_right_one(fast_model, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = invoke("simulate", "--set", "base time to aquire regular capacity=12",
                    "--out", str(out))
    assert result.exit_code != 0
    assert f"did you mean '{CONSTANT}'" in result.output
    assert not out.exists()


def test_out_of_range_set_value_is_refused(fast_model, tmp_path: Path) -> None:
    result = invoke("simulate", "--set", f"{CONSTANT}=999", "--out", str(tmp_path / "run"))
    assert result.exit_code != 0
    assert "outside its range" in result.output


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("no-equals-sign", "is not NAME=VALUE"), (f"{CONSTANT}=twelve", "is not a number")],
)
def test_malformed_set_is_a_usage_error(tmp_path: Path, value: str, fragment: str) -> None:
    result = invoke("simulate", "--set", value, "--out", str(tmp_path / "run"))
    assert result.exit_code == 2
    assert "Invalid value for '--set'" in result.output
    assert fragment in result.output


def test_unknown_scenario_lists_the_available_ones(fast_model, tmp_path: Path) -> None:
    result = invoke("simulate", "--scenario", "instroom-hooog", "--out", str(tmp_path / "run"))
    assert result.exit_code == 1
    assert "did you mean 'instroom-hoog'" in result.output


def test_existing_out_without_force_is_untouched(fast_model, tmp_path: Path) -> None:
    out = tmp_path / "run"
    make_old_output(out)
    result = invoke("simulate", "--out", str(out))
    assert result.exit_code == 1
    assert str(out) in result.output
    assert "use --force to replace it" in result.output
    assert sorted(p.name for p in out.iterdir()) == OLD_FILES


def test_force_replaces_the_out_folder(fast_model, tmp_path: Path) -> None:
    out = tmp_path / "run"
    make_old_output(out)
    result = invoke("simulate", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "kpi_overview.png", "manifest.json", "results.csv"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.parametrize("existing", [False, True])
def test_failure_while_writing_leaves_nothing_half_written(
    fast_model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    import sdmodel.figures.style

    def broken_save(fig, path, **kwargs):
        Path(path).write_bytes(b"half a png")
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(sdmodel.figures.style, "save_figure", broken_save)
    out = tmp_path / "run"
    if existing:
        make_old_output(out)
    result = invoke("simulate", "--out", str(out), *(["--force"] if existing else []))
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    if existing:
        assert sorted(p.name for p in out.iterdir()) == OLD_FILES
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["run"] if existing else [])


def test_unwritable_out_is_a_clear_error(fast_model, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke("simulate", "--out", str(blocker / "run"))
    assert result.exit_code == 1
    assert "cannot write the output folder" in result.output
    assert "Traceback" not in result.output


def test_missing_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = invoke("doc", "--model", str(tmp_path / "missing.mdl"))
    assert result.exit_code == 1
    assert "missing.mdl" in result.output
    assert result.output.count("\n") == 1


def test_doc_table_lists_constants_with_ranges(fast_model) -> None:
    result = invoke("doc", "--kind", "constant")
    assert result.exit_code == 0, result.output
    assert CONSTANT in result.output
    assert "[6, 48]" in result.output
    assert "COA occupancy " not in result.output  # not a constant


def test_doc_csv(fast_model) -> None:
    result = invoke("doc", "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header[:6] == ["name", "kind", "units", "min", "max", "comment"]


def test_help_does_not_import_pysd() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from click.testing import CliRunner; import cli;"
        "r = CliRunner().invoke(cli.main, ['--help']);"
        "s = CliRunner().invoke(cli.main, ['simulate', '--help']);"
        "assert r.exit_code == 0 and s.exit_code == 0, r.output + s.output;"
        "assert 'simulate' in r.output and '--force' in s.output;"
        "heavy = [m for m in ('pysd', 'matplotlib', 'seaborn', 'pandas') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
