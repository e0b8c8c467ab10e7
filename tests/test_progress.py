"""Progress bars: on a terminal only (issue 15, case 9)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from sdmodel.progress import ProgressPool, terminal_bar, writing_bar
from sdmodel.scaleout import Pool


def _square(shared: int, shard: int) -> int:
    return shared * shard * shard


def test_no_bar_when_stderr_is_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert terminal_bar(3, "x") is None
    pool = ProgressPool(Pool(), "bands")
    assert pool.map(_square, pool.share(2), [1, 2, 3]) == [2, 8, 18]
    assert pool.bars == 0 and sys.stderr.getvalue() == ""


def test_bar_on_a_terminal_counts_every_shard(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", stream)
    pool = ProgressPool(Pool(), "bands")
    assert pool.map(_square, pool.share(1), [1, 2, 3, 4]) == [1, 4, 9, 16]
    assert pool.bars == 1
    assert "bands:" in stream.getvalue() and "/4 [" in stream.getvalue()  # total: 4 shards


def test_writing_bar_keeps_the_writers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", stream)
    with writing_bar({"a.txt": lambda p: p.write_text("a")}) as files:
        files["a.txt"](tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_text() == "a"
    assert "write:" in stream.getvalue() and "/1 [" in stream.getvalue()
