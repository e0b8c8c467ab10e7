"""Kills at every instant of the write phase: --out always holds a complete old or new output,
SIGTERM and SIGHUP clean up as Ctrl-C does (exit 130), and the next run leaves no debris."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sdmodel.outputs.folder import write_outputs
from sdmodel.outputs.swap import KILL_POINTS, KILL_SIGNAL_VARIABLE, KILL_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "asielketen simulate --out run"
FILES = ("a.txt", "b.txt", "c.txt")

WRITER = """
import sys
from pathlib import Path
import sdmodel.outputs.swap as swap
from sdmodel.outputs.folder import write_outputs
from sdmodel.outputs.signals import interrupt_on_termination

interrupt_on_termination()
out, content, fallback = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "fallback"
if fallback:  # a file system without renameat2(RENAME_EXCHANGE)
    swap._exchange = lambda a, b: False

def writer(path):
    path.write_text(content, encoding="utf-8")

try:
    write_outputs(out, {n: writer for n in FILES}, force=True, manifest={"command": COMMAND})
except KeyboardInterrupt:
    sys.exit(130)
""".replace("FILES", repr(FILES)).replace("COMMAND", repr(COMMAND))


def write(out: Path, content: str, *, kill_at: str | None = None, sig: str = "KILL",
          swap: str = "exchange") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != KILL_VARIABLE}
    if kill_at is not None:
        env |= {KILL_VARIABLE: kill_at, KILL_SIGNAL_VARIABLE: sig}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-c", WRITER, str(out), content, swap], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def content_of(out: Path) -> str | None:
    """The one content of a complete output folder (every file, hashes as in the manifest)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "manifest.json"])
    texts = {(out / n).read_text(encoding="utf-8") for n in FILES}
    assert len(texts) == 1
    for name in FILES:
        assert manifest["outputs"][name] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    return texts.pop()


def debris(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


CASES = [(point, swap) for swap in ("exchange", "fallback") for point in KILL_POINTS
         if not (point == "after-old-renamed" and swap == "exchange")]  # one syscall there


@pytest.mark.parametrize("sig", ["KILL", "TERM", "HUP"])
@pytest.mark.parametrize(("point", "swap"), CASES)
def test_kill_leaves_old_or_new_output_and_next_run_cleans_up(
    tmp_path: Path, point: str, sig: str, swap: str
) -> None:
    out = tmp_path / "run"
    assert write(out, "old").returncode == 0
    killed = write(out, "new", kill_at=point, sig=sig, swap=swap)
    if sig == "KILL":
        assert killed.returncode == -signal.SIGKILL
    else:  # like Ctrl-C: the writer's own clean-up ran, nothing is left behind
        assert killed.returncode == 130, killed.stderr
        assert debris(out) == []
    if point == "after-old-renamed" and sig == "KILL":
        assert not out.exists()  # the only instant without --out: the next run repairs it
    else:
        expected = "new" if point == "after-swap" else "old"
        assert content_of(out) == expected
    again = write(out, "again")
    assert again.returncode == 0, again.stderr
    assert content_of(out) == "again"
    assert debris(out) == []


def test_kill_of_a_first_write_leaves_no_out_and_no_debris_after_the_next_run(
    tmp_path: Path
) -> None:
    out = tmp_path / "run"
    assert write(out, "new", kill_at="files-written").returncode == -signal.SIGKILL
    assert not out.exists()
    assert len(debris(out)) == 1  # the dead writer's temporary folder
    assert write(out, "next").returncode == 0
    assert content_of(out) == "next"
    assert debris(out) == []


def test_temporary_folders_of_running_writers_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "run"
    alive = tmp_path / f".run.tmp-{os.getpid()}-0123abcd"  # this process: alive
    alive.mkdir()
    write_outputs(out, {"a.txt": lambda p: p.write_text("a")}, force=False,
                  manifest={"command": COMMAND})
    assert alive.is_dir()


def test_output_folders_get_the_umask_not_0700(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = write_outputs(tmp_path / "run", {"a.txt": lambda p: p.write_text("a")},
                            force=False, manifest={"command": COMMAND})
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o755
    assert (out / "manifest.json").stat().st_mode & 0o777 == 0o644
