"""Shared fixtures: the real chain model, loaded once per test session."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a source checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def chain_model():
    """The project's model (models/asielketen.mdl), translated and loaded once."""
    from sdmodel.engine.model import ChainModel

    return ChainModel.from_mdl()


@pytest.fixture(scope="session")
def _run_cache() -> dict:
    return {}


@pytest.fixture
def fast_model(monkeypatch: pytest.MonkeyPatch, chain_model, _run_cache: dict) -> Iterator:
    """Make ``ChainModel.from_mdl()`` return the session's model and remember its runs.

    The CLI still goes through the real model; a run with the same overrides and ``until`` is
    only computed once per session.
    """
    from sdmodel.engine.model import ChainModel

    real_from_mdl = ChainModel.from_mdl.__func__
    real_run = chain_model.run

    def from_mdl(cls, path: Path | str | None = None):
        return chain_model if path is None else real_from_mdl(cls, path)

    def run(overrides: Mapping[str, float] | None = None, *, until: str | None = None):
        key = (tuple(sorted((overrides or {}).items())), until)
        if key not in _run_cache:
            _run_cache[key] = real_run(overrides, until=until)
        return _run_cache[key].copy()

    monkeypatch.setattr(ChainModel, "from_mdl", classmethod(from_mdl))
    monkeypatch.setattr(chain_model, "run", run)
    yield chain_model
