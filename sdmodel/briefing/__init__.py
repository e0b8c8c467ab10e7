"""The briefing for parliamentary use: figures titled with their findings, tables and the PDF.

- :mod:`~sdmodel.briefing.data`: the numbers behind the figures (yearly costs and flows,
  schedules, calibration errors) and the optimizer's output folder read back;
- :mod:`~sdmodel.briefing.findings`: one sentence per figure, computed from the numbers;
- :mod:`~sdmodel.briefing.figures`, :mod:`~sdmodel.briefing.plans`,
  :mod:`~sdmodel.briefing.scenarios`: the briefing figures (dashboard, costs, flows, calibration;
  the schedule Gantt and the Pareto front; the comparison and the COA fan chart);
- :mod:`~sdmodel.briefing.tables`, :mod:`~sdmodel.briefing.pages`: the PDF's tables and pages;
- :mod:`~sdmodel.briefing.build`: the front door, ``build_briefing`` and ``briefing_files``.

The optimizer draws its Gantt, Pareto and band figures with these figure functions, so
:mod:`sdmodel.optimize` depends on this package; the briefing reads an optimizer folder from disk
and never imports :mod:`sdmodel.optimize`.
"""
