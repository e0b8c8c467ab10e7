"""The jobs that run scenarios on a loaded model and summarise them.

- :mod:`~sdmodel.analysis.simulate`: one scenario (``asielketen simulate``);
- :mod:`~sdmodel.analysis.compare`: scenarios side by side, a KPI table and a cost table
  (``asielketen compare``);
- :mod:`~sdmodel.analysis.design`: what is uncertain and the sample design, the same whichever
  scenarios are run;
- :mod:`~sdmodel.analysis.uncertainty`: the ensemble run over that design: bands over history
  and future, the KPIs of every run, and the ensemble inputs the optimizer shares;
- :mod:`~sdmodel.analysis.headline`: the central run checked against the ensemble (40th-60th
  percentile, else the median);
- :mod:`~sdmodel.analysis.rule_ensemble`: when a scenario's rules fire over sampled futures;
- :mod:`~sdmodel.analysis.files`: the output folders and manifests of ``simulate`` and
  ``compare``.

Each job runs on a :class:`sdmodel.runs.Session`.
"""
