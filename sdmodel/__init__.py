"""The asylum-chain model in Python: the .mdl run by PySD and by the compiled batch simulator.

The folders are the pipeline a user walks: :mod:`~sdmodel.engine` (the simulators),
:mod:`~sdmodel.data` (the sourced data and the committed fit), :mod:`~sdmodel.scenarios`
(scenario files, measures and schedules), :mod:`~sdmodel.runs` (the loaded-model session),
:mod:`~sdmodel.analysis` (simulate, compare, uncertainty), :mod:`~sdmodel.optimize` (robust
schedules and funding), :mod:`~sdmodel.figures` and :mod:`~sdmodel.briefing` (the pictures and
the PDF) and :mod:`~sdmodel.outputs` (atomic output folders with manifests). Beside them:
:mod:`~sdmodel.errors`, :mod:`~sdmodel.paths` (the project's folders),
:mod:`~sdmodel.calendar` (model time <-> dates) and :mod:`~sdmodel.names` (the one Vensim-name
map).

Heavy modules (PySD, NumPy code generation, plotting) load on first use, so importing
``sdmodel`` stays cheap; ``sdmodel.ChainModel`` and ``sdmodel.BatchModel`` load lazily.
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
