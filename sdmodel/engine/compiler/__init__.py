"""The .mdl compiled into a vectorised NumPy simulator and a numba kernel, through PySD's
abstract model.

:mod:`~sdmodel.engine.compiler.compile` is the front door (``compile_mdl``: the .mdl parsed by
PySD into a spec, cached as a generated module); :mod:`~sdmodel.engine.compiler.expressions`
translates PySD's abstract expressions into NumPy source; :mod:`~sdmodel.engine.compiler.codegen`
lays a spec out as a straight-line simulator; :mod:`~sdmodel.engine.compiler.functions` holds the
Vensim functions the generated code calls; :mod:`~sdmodel.engine.compiler.runtime` prepares the
inputs and the time grid of a run. The numba backend is generated from the same spec:
:mod:`~sdmodel.engine.compiler.kernel` lays it out as a kernel (one run's state in locals),
:mod:`~sdmodel.engine.compiler.scalar` rewrites the NumPy equations element by element,
:mod:`~sdmodel.engine.compiler.kernel_functions` and :mod:`~sdmodel.engine.compiler.kernel_math`
hold the scalar helpers and NumPy's own math routines the kernels call.
"""
