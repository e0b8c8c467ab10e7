"""The fit of the model to the observations, and the inflow history written into the .mdl.

- :mod:`~calibration.config`: ``calibration.toml`` (series, weights, error and loss,
  parameters and bounds, search settings);
- :mod:`~calibration.objective`, :mod:`~calibration.problem`, :mod:`~calibration.evaluate`: the
  residuals against the observations as they are, the parameters in a unit box, and the
  evaluators (batch simulator or PySD);
- :mod:`~calibration.fit`, :mod:`~calibration.intervals`: the search, and the bootstrap and Wald
  intervals with identification;
- :mod:`~calibration.diagnostics`, :mod:`~calibration.backtest`: MAPE, R2, RMSE and Theil per
  series, and the back-test;
- :mod:`~calibration.command` (the front door ``calibrate``), :mod:`~calibration.curves`,
  :mod:`~calibration.report`, :mod:`~calibration.files`: the result, its fit figures, the fit
  report and the output folder;
- :mod:`~calibration.inflow` (with :mod:`~calibration.lookups` and :mod:`~calibration.mpp`): the
  monthly inflow history and the MPP band as Vensim lookups (``python -m calibration.inflow``).

This package depends on :mod:`sdmodel` (the data it reads is loaded by :mod:`sdmodel.data`);
:mod:`sdmodel` never imports it.
"""
