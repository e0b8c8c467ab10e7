"""``asielketen monitor``: new figures in, drift from the plan and an updated projection out.

- :mod:`~sdmodel.monitor.observations`: read and check ``NEW.csv`` like the shipped observations,
  combine it with them and cut the data at ``--as-of``;
- :mod:`~sdmodel.monitor.inputs`: the model inputs of the plan (a scenario on a calibration) with
  drifting parameters that take a new value from the drift month, for one or many runs;
- :mod:`~sdmodel.monitor.update`: the update itself, a regularised least-squares (MAP) fit with
  the committed estimates and intervals as Gaussian priors, on the calibration's objective;
- :mod:`~sdmodel.monitor.signposts`: green/amber/red signposts from the scenario's thresholds;
- :mod:`~sdmodel.monitor.command`: the front door :func:`~sdmodel.monitor.command.monitor`;
- :mod:`~sdmodel.monitor.files`, :mod:`~sdmodel.monitor.figures`: the output folder.
"""
