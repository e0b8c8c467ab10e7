"""Atomic output folders and run manifests (no model needed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from sdmodel.errors import AsielketenError, OutputExistsError
from sdmodel.outputs.folder import write_outputs
from sdmodel.outputs.manifest import build_manifest
from sdmodel.outputs.writers import csv_writer

MANIFEST = {"command": "test"}


OLD_FILES = ["manifest.json", "old.txt"]


def make_old_output(out: Path) -> None:
    """A folder as an earlier run of the same command left it (its manifest lists its files)."""
    out.mkdir()
    (out / "old.txt").write_text("keep", encoding="utf-8")
    digest = hashlib.sha256(b"keep").hexdigest()
    manifest = {"command": "test", "outputs": {"old.txt": digest}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def text_writer(content: str):
    def write(path: Path) -> None:
        path.write_text(content, encoding="utf-8")

    return write


def failing_writer(path: Path) -> None:
    path.write_text("half", encoding="utf-8")
    raise RuntimeError("simulated failure while writing")


def siblings(folder: Path) -> list[str]:
    """Names next to ``folder`` other than itself (leftover temporary folders)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def test_writes_files_and_manifest_with_hashes(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "run"
    write_outputs(out, {"a.txt": text_writer("a"), "b.txt": text_writer("b")}, force=False,
                  manifest=MANIFEST)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "test"
    assert set(manifest["outputs"]) == {"a.txt", "b.txt"}
    assert len(manifest["outputs"]["a.txt"]) == 64
    assert siblings(out) == []


def test_existing_folder_without_force_is_refused_and_untouched(tmp_path: Path) -> None:
    out = tmp_path / "run"
    make_old_output(out)
    with pytest.raises(OutputExistsError, match="use --force to replace it") as info:
        write_outputs(out, {"a.txt": text_writer("a")}, force=False, manifest=MANIFEST)
    assert str(out) in str(info.value)
    assert sorted(p.name for p in out.iterdir()) == OLD_FILES
    assert siblings(out) == []


def test_force_replaces_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    make_old_output(out)
    write_outputs(out, {"a.txt": text_writer("new")}, force=True, manifest=MANIFEST)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "manifest.json"]
    assert siblings(out) == []


def test_failing_writer_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "run"
    files = {"a.txt": text_writer("a"), "b.txt": failing_writer}
    with pytest.raises(RuntimeError, match="simulated failure"):
        write_outputs(out, files, force=False, manifest=MANIFEST)
    assert not out.exists()
    assert siblings(out) == []


def test_failing_writer_with_force_keeps_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    make_old_output(out)
    with pytest.raises(RuntimeError):
        write_outputs(out, {"b.txt": failing_writer}, force=True, manifest=MANIFEST)
    assert sorted(p.name for p in out.iterdir()) == OLD_FILES
    assert (out / "old.txt").read_text(encoding="utf-8") == "keep"
    assert siblings(out) == []


def test_force_does_not_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="not an asielketen output folder"):
        write_outputs(out, {"a.txt": text_writer("a")}, force=True, manifest=MANIFEST)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "precious"


def test_force_accepts_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    write_outputs(out, {"a.txt": text_writer("a")}, force=True, manifest=MANIFEST)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "manifest.json"]


def test_writer_that_writes_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AsielketenError, match="wrote no file"):
        write_outputs(tmp_path / "run", {"a.txt": lambda path: None}, force=False,
                      manifest=MANIFEST)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["sub/a.txt", "..", "manifest.json"])
def test_bad_output_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(AsielketenError):
        write_outputs(tmp_path / "run", {name: text_writer("x")}, force=False, manifest=MANIFEST)
    assert list(tmp_path.iterdir()) == []


def test_out_dir_that_is_a_file_is_refused_even_with_force(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.write_text("a file", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="is a file"):
        write_outputs(out, {"a.txt": text_writer("a")}, force=True, manifest=MANIFEST)
    assert out.read_text(encoding="utf-8") == "a file"


def test_build_manifest_records_hashes_versions_and_time(tmp_path: Path) -> None:
    manifest = build_manifest(
        model_path=tmp_path / "m.mdl", model_sha256="a" * 64, data_sha256="b" * 64,
        parameters={"scenario": "baseline"}, seed=0, command="asielketen simulate --out x",
    )
    assert manifest["model"] == {"path": str(tmp_path / "m.mdl"), "sha256": "a" * 64}
    assert manifest["data_sha256"] == "b" * 64
    assert manifest["seed"] == 0  # seed 0 is a seed, not "unseeded"
    assert set(manifest["versions"]) == {"python", "asielketen", "pysd", "numpy", "pandas",
                                         "scipy"}
    created = dt.datetime.fromisoformat(manifest["created_utc"])
    assert created.utcoffset() == dt.timedelta(0)
    json.dumps(manifest, default=str)  # serialisable


def test_results_csv_has_iso_date_column_first(tmp_path: Path) -> None:
    index = pd.date_range("2014-01-01", periods=3, freq="MS", name="date")
    results = pd.DataFrame({"coa_occupancy_total": [1.0, 2.0, 3.0]}, index=index)
    path = tmp_path / "results.csv"
    csv_writer(results, index=True)(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,coa_occupancy_total"
    assert lines[1] == "2014-01-01,1.0"


def test_csv_writer_writes_date_columns_as_iso_dates(tmp_path: Path) -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-06-12", None]), "value": [0.1, 2.0]})
    path = tmp_path / "table.csv"
    csv_writer(frame, float_format="%.3g")(path)
    assert path.read_text(encoding="utf-8") == "date,value\n2026-06-12,0.1\n,2\n"
