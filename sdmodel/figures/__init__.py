"""The pictures: one look for every figure, and the figure families that are not the briefing's.

- :mod:`~sdmodel.figures.labels` (with :mod:`~sdmodel.figures.labels_briefing`): every KPI label,
  unit and fixed figure text in Dutch and English;
- :mod:`~sdmodel.figures.formats`: numbers, money and dates the Dutch (or English) way;
- :mod:`~sdmodel.figures.style`: palette, type, figure layout and saving (the one
  ``save_figure``);
- :mod:`~sdmodel.figures.marks`: law dates, thresholds, the scenario period, the source line;
- :mod:`~sdmodel.figures.observations`: observations marked by source quality;
- :mod:`~sdmodel.figures.panels`: the KPI panels and the overview page of ``simulate``;
- :mod:`~sdmodel.figures.compare`: the scenario comparison, fan charts and costs of ``compare``;
- :mod:`~sdmodel.figures.fit`: the calibration's fit figures.

Matplotlib and seaborn are imported inside the functions that draw; global matplotlib settings
are changed only inside :func:`~sdmodel.figures.style.figure_style`.
"""
