"""What a scenario says about the future, and how it becomes model inputs.

- :mod:`~sdmodel.scenarios.fields`: the one TOML field checker (also used for optimisation specs
  and ``calibration.toml``);
- :mod:`~sdmodel.scenarios.schedule`: phased schedules (start date, ramp, intensity, milestones);
- :mod:`~sdmodel.scenarios.measures`: the policy measures and capacity levers, each effect with
  its source or assumption;
- :mod:`~sdmodel.scenarios.tables`: the ``[measures]``, ``[capacity]``, ``[thresholds]`` and
  custom-inflow tables of a scenario file, checked;
- :mod:`~sdmodel.scenarios.scenario`: scenario files (TOML), validated against the model;
- :mod:`~sdmodel.scenarios.overrides`: constants set from 2014 on (``[set]``, ``--set``);
- :mod:`~sdmodel.scenarios.rules`: adaptive rules (``[[rules]]``), checked;
  :mod:`~sdmodel.scenarios.rule_inputs`: their inputs to the .mdl's rule slots, and the events
  read back;
- :mod:`~sdmodel.scenarios.inputs`: schedules, capacity funding and a custom inflow turned into
  time-varying model inputs.
"""
