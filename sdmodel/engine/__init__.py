"""The simulators: the .mdl translated by PySD (the reference) and compiled to NumPy (the batch).

- :mod:`~sdmodel.engine.translate`: the PySD translation cache (the model folder stays clean);
- :mod:`~sdmodel.engine.model`: :class:`~sdmodel.engine.model.ChainModel`, the model loaded
  through PySD: names, kinds, units, ranges and sources, and single runs;
- :mod:`~sdmodel.engine.kpis`: a raw run aggregated to the monthly KPI table;
- :mod:`~sdmodel.engine.compiler`: the .mdl compiled through PySD's abstract model into a
  vectorised NumPy simulator and a numba kernel (generated, cached, tested equal to PySD and
  to each other);
- :mod:`~sdmodel.engine.batch`: :class:`~sdmodel.engine.batch.BatchModel`, many parameter sets
  in one pass of the compiled simulator; :mod:`~sdmodel.engine.batch_numba` runs the kernel;
- :mod:`~sdmodel.engine.batch_kpis`: monthly KPIs of many batch runs at once;
- :mod:`~sdmodel.engine.doc`: the variables as a text table (``asielketen doc``).

:data:`Engine`, :data:`Backend` and :data:`VariableKind` are the choices a user makes of them.

Nothing here knows about scenarios, calibration or figures.
"""

from typing import Literal

Backend = Literal["numba", "numpy"]
"""The batch simulator's backend: the compiled numba kernel, or the vectorised NumPy code (the
reference of the two, and the fallback when numba is not installed)."""
Engine = Literal["numba", "numpy", "pysd"]
"""Which simulator runs a scenario: a backend of the batch simulator, or PySD (the reference)."""
VariableKind = Literal["stock", "flow", "auxiliary", "constant", "lookup"]
"""The kind of a model variable, as ``ChainModel.doc()`` and ``asielketen doc`` report it."""
