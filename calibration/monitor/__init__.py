"""``asielketen monitor``: the committed fit updated with new figures, drift and re-projection.

- :mod:`~calibration.monitor.update`: the update, a regularised least-squares (MAP) fit with the
  committed estimates and intervals as Gaussian priors, on the calibration's objective;
- :mod:`~calibration.monitor.projection`: the plan and the update through the model period, with
  bands, drift rows and the state;
- :mod:`~calibration.monitor.command`: the front door :func:`~calibration.monitor.command.monitor`;
- :mod:`~calibration.monitor.files`: the output folder.

The parts that need no calibration (reading NEW.csv, the plan's inputs, signposts, figures) live
in :mod:`sdmodel.monitor`.
"""
