"""The monitor's parts that need no calibration (the update itself is :mod:`calibration.monitor`).

- :mod:`~sdmodel.monitor.observations`: read and check ``NEW.csv`` like the shipped observations,
  combine it with them and cut the data at ``--as-of``;
- :mod:`~sdmodel.monitor.inputs`: the model inputs of the plan (a scenario on a calibration) with
  drifting parameters that take a new value from the drift month, for one or many runs;
- :mod:`~sdmodel.monitor.signposts`: green/amber/red signposts from the scenario's thresholds;
- :mod:`~sdmodel.monitor.figures`: realised vs planned vs updated, and the signpost dashboard.
"""
