"""--force replaces only an untouched output folder of the same command (issue 15, case 1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdmodel.errors import OutputExistsError
from sdmodel.outputs.folder import check_out_dir, job_of, write_outputs
from sdmodel.paths import FITTED_DIR

SIMULATE = {"command": "asielketen simulate --out run --force"}


def write_a(out: Path, manifest=SIMULATE) -> None:
    write_outputs(out, {"a.txt": lambda p: p.write_text("a", encoding="utf-8")}, force=True,
                  manifest=manifest)


def test_force_refuses_a_copy_of_the_calibration_and_keeps_every_file(tmp_path: Path) -> None:
    copy = tmp_path / "fitted"
    shutil.copytree(FITTED_DIR, copy)
    before = sorted(p.name for p in copy.iterdir())
    with pytest.raises(OutputExistsError,
                       match="written by 'asielketen calibrate', not by 'asielketen simulate'"):
        write_a(copy)
    assert sorted(p.name for p in copy.iterdir()) == before
    assert "parameters.csv" in before


def test_force_refuses_a_folder_with_a_file_the_manifest_does_not_list(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_a(out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"files its manifest does not list \(notes.txt\)"):
        write_a(out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_force_refuses_a_folder_with_an_edited_output(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_a(out)
    (out / "a.txt").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="a.txt changed since asielketen wrote it"):
        write_a(out)
    assert (out / "a.txt").read_text(encoding="utf-8") == "edited by hand"


def test_force_refuses_an_unreadable_manifest(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="is unreadable"):
        write_a(out)


def test_force_replaces_an_untouched_output_of_the_same_command(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_a(out)
    write_outputs(out, {"b.txt": lambda p: p.write_text("b", encoding="utf-8")}, force=True,
                  manifest=SIMULATE)
    assert sorted(p.name for p in out.iterdir()) == ["b.txt", "manifest.json"]
    assert json.loads((out / "manifest.json").read_text())["command"] == SIMULATE["command"]


def test_the_check_before_work_names_the_command(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write_a(out)
    check_out_dir(out, force=True, job="simulate")
    with pytest.raises(OutputExistsError, match="not by 'asielketen compare'"):
        check_out_dir(out, force=True, job="compare")


@pytest.mark.parametrize(("command", "job"), [
    ("asielketen simulate --out x", "simulate"),
    ("/usr/bin/asielketen compare baseline --out 'a b'", "compare"),
    ("test", "test"), ("", None), (None, None),
])
def test_job_of_a_command_line(command: str | None, job: str | None) -> None:
    assert job_of(command) == job


def test_the_committed_calibration_can_be_refitted_with_force() -> None:
    """calibration/fitted is an untouched 'calibrate' output: the lead refits it with
    'asielketen calibrate --out calibration/fitted --force' (a hand edit would block that)."""
    check_out_dir(FITTED_DIR, force=True, job="calibrate")
    with pytest.raises(OutputExistsError, match="not by 'asielketen simulate'"):
        check_out_dir(FITTED_DIR, force=True, job="simulate")
