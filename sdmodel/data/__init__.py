"""What the model is compared with and starts from: the sourced data and the committed fit.

- :mod:`~sdmodel.data.observations`: the four sourced files in ``calibration/data/``
  (observations, forecasts, parameters, timeline), loaded and validated row by row, and their
  hash for run manifests;
- :mod:`~sdmodel.data.fitted`: the calibrated constants every run starts from (the committed fit
  in ``calibration/fitted/``, another calibration folder, or none).

The files stay in ``calibration/`` (see :mod:`sdmodel.paths`); only the code that reads them lives
here, so ``sdmodel`` never imports the ``calibration`` package.
"""
