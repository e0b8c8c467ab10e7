"""Run the asylum-chain model: load the .mdl (PySD), batch simulation, scenarios and figures.

Heavy modules (PySD, NumPy code generation, plotting) load on first use, so importing
``sdmodel`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from sdmodel.engine.batch import BatchModel
    from sdmodel.engine.model import ChainModel

__all__ = ["BatchModel", "ChainModel"]


def __getattr__(name: str) -> Any:
    if name == "ChainModel":
        from sdmodel.engine.model import ChainModel

        return ChainModel
    if name == "BatchModel":
        from sdmodel.engine.batch import BatchModel

        return BatchModel
    raise AttributeError(f"module 'sdmodel' has no attribute {name!r}")
