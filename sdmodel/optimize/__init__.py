"""Robust optimisation of the phased schedule and the capacity funding over an ensemble of futures.

- :mod:`~sdmodel.optimize.spec` (with :mod:`~sdmodel.optimize.values`): optimisation specs (TOML);
- :mod:`~sdmodel.optimize.problem`: the decision space and the ensemble of futures;
- :mod:`~sdmodel.optimize.ensemble`: plans evaluated over the futures in the batch simulator;
- :mod:`~sdmodel.optimize.search`: differential evolution with constraints, the feasibility check
  and the polish; :mod:`~sdmodel.optimize.pareto`: the budget sweep;
- :mod:`~sdmodel.optimize.adaptive_spec`, :mod:`~sdmodel.optimize.adaptive`: rules added to
  the best fixed plan, their thresholds and action sizes searched, adaptive vs fixed;
- :mod:`~sdmodel.optimize.run`: the front door, ``optimize`` and its result;
- :mod:`~sdmodel.optimize.tables`, :mod:`~sdmodel.optimize.files`: the tables and the output
  folder (its figures are the briefing's).
"""
