"""Bad input fails at once with one line, a non-zero exit and nothing written; kills and
interrupts of the real command leave a complete output (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from sdmodel.outputs.swap import KILL_SIGNAL_VARIABLE, KILL_VARIABLE
from sdmodel.paths import FITTED_DIR

ROOT = Path(__file__).resolve().parent.parent

# (arguments with {tmp} for the test folder, the message's key words); every case: exit 1.
BAD_INPUTS = [
    ("compare baseline --samples 5 --seed -1 --out {tmp}/o",
     "--seed -1: a seed is a whole number from 0 to 4294967295"),
    ("optimize optimaliseer-alle-maatregelen --seed -1 --out {tmp}/o",
     "--seed -1: a seed is a whole number from 0 to 4294967295"),
    ("calibrate --seed 4294967296 --out {tmp}/o", "--seed 4294967296: a seed is a whole number"),
    ("compare baseline nosuch --out {tmp}/o", "nosuch.toml not found; give a file path or one of"),
    ("briefing --scenario nosuch --out {tmp}/o", "nosuch.toml not found"),
    ("optimize nospec --out {tmp}/o", "optimisation spec"),
    ("simulate --until 2030-13 --out {tmp}/o", "'2030-13' is not a month; write it as YYYY-MM"),
    ("calibrate --until 2031-01-01 --out {tmp}/o", "2031-01-01"),
    ("compare baseline --samples 1 --out {tmp}/o", "--samples 1: bands need at least 2 samples"),
    ("simulate --model {tmp}/missing.mdl --out {tmp}/o", "missing.mdl: file not found"),
    ("calibrate --config {tmp}/missing.toml --out {tmp}/o", "missing.toml: file not found"),
    ("briefing --optimized {tmp}/nodir --out {tmp}/o", "--optimized"),
    ("simulate --calibration {tmp}/nodir --out {tmp}/o", "nodir: no such folder; give an "
     "'asielketen calibrate' output folder, or 'none'"),
    ("simulate --calibration {tmp}/notfitted --out {tmp}/o",
     "is not a calibration; give an 'asielketen calibrate' output folder as --calibration"),
    ("simulate --out {tmp}/fitted --force",
     "was written by 'asielketen calibrate', not by 'asielketen simulate', so --force will not"),
    ("simulate --out {tmp}/afile/o", "afile is a file, not a folder; choose another --out"),
    ("simulate --set 'housing priority share=0' --out {tmp}/o",
     "--set 'housing priority share' = 0 would change a policy input from 2014 on"),
]


def _setup(tmp: Path) -> None:
    shutil.copytree(FITTED_DIR, tmp / "fitted")
    (tmp / "notfitted").mkdir()
    (tmp / "notfitted" / "manifest.json").write_text('{"command": "asielketen simulate"}')
    (tmp / "afile").write_text("a file", encoding="utf-8")


def _listing(tmp: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(tmp)): sorted(os.listdir(p)) for p in [tmp, *tmp.rglob("*")]
            if p.is_dir()}


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS, ids=[a.split()[0] + ":" + m[:30]
                                                                 for a, m in BAD_INPUTS])
def test_bad_input_is_one_line_exit_1_nothing_written(fast_model, tmp_path: Path, args: str,
                                                      message: str) -> None:
    import shlex

    _setup(tmp_path)
    before = _listing(tmp_path)
    result = CliRunner().invoke(cli.main, shlex.split(args.format(tmp=tmp_path)))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    assert _listing(tmp_path) == before


def test_manifest_command_keeps_the_positional_arguments() -> None:
    ctx = cli.compare.make_context("compare", ["baseline", "gefaseerd", "--out", "x",
                                               "--seed", "3"])
    assert cli._command_line(ctx).startswith("asielketen compare baseline gefaseerd --out x")


def test_a_byte_identical_copy_of_the_model_gets_the_calibration(tmp_path: Path) -> None:
    from sdmodel.data.fitted import calibrated_constants
    from sdmodel.engine.translate import file_sha256
    from sdmodel.paths import DEFAULT_MDL

    copy = tmp_path / "copy.mdl"
    shutil.copyfile(DEFAULT_MDL, copy)
    used = calibrated_constants(None, model_sha256=file_sha256(copy), is_default_model=False)
    assert used.note == "calibration/fitted" and used.values
    assert "byte-identical to models/asielketen.mdl" in used.reason
    other = calibrated_constants(None, model_sha256="0" * 64, is_default_model=False)
    assert other.values == {} and "give --calibration DIR" in other.reason


def test_help_has_examples() -> None:
    for command in ([], ["simulate"], ["compare"], ["optimize"], ["briefing"], ["calibrate"]):
        result = CliRunner().invoke(cli.main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Examples:\n  " in result.output.replace("\n    asielketen", "\n  asielketen")


def _simulate(out: Path, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != KILL_VARIABLE} | env
    return subprocess.run([sys.executable, "-m", "cli", "simulate", "--out", str(out),
                           "--force"], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.mark.slow
def test_sigterm_during_the_write_is_clean_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = _simulate(out)
    assert first.returncode == 0, first.stderr
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    for point, sig in [("first-file", "TERM"), ("before-swap", "HUP")]:
        stopped = _simulate(out, **{KILL_VARIABLE: point, KILL_SIGNAL_VARIABLE: sig})
        assert stopped.returncode == 130, stopped.stderr
        assert stopped.stderr.strip().splitlines()[-1] == "interrupted: no partial output was left"
        assert (out / "manifest.json").read_text(encoding="utf-8") == manifest  # the old one
        assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    killed = _simulate(out, **{KILL_VARIABLE: "after-swap"})
    assert killed.returncode == -9
    assert json.loads((out / "manifest.json").read_text())["created_utc"]  # the new one
    assert _simulate(out).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # the dead run's debris is gone


def test_in_process_commands_leave_the_callers_signal_handlers_alone() -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    CliRunner().invoke(cli.main, ["--help"])
    CliRunner().invoke(cli.main, ["simulate", "--help"])
    assert signal.getsignal(signal.SIGTERM) == before
