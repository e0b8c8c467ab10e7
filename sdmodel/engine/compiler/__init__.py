"""The .mdl compiled into a vectorised NumPy simulator, through PySD's abstract model.

:mod:`~sdmodel.engine.compiler.compile` is the front door (``compile_mdl``: the .mdl parsed by
PySD into a spec, cached as a generated module); :mod:`~sdmodel.engine.compiler.expressions`
translates PySD's abstract expressions into NumPy source; :mod:`~sdmodel.engine.compiler.codegen`
lays a spec out as a straight-line simulator; :mod:`~sdmodel.engine.compiler.functions` holds the
Vensim functions the generated code calls; :mod:`~sdmodel.engine.compiler.runtime` prepares the
inputs and the time grid of a run.
"""
